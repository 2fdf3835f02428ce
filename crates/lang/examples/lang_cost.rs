//! Prints what one whatlang detection costs at several sample sizes, which is what the
//! sampling constants of `detect_article` are tuned against.
//!
//! `cargo run --release -p presswatch-lang --example lang_cost`

use std::time::Instant;

const EN: &str = "The government announced on Wednesday that it would raise interest rates again next month, citing persistent inflation and a strong labour market. Officials said the decision was not taken lightly. ";
const RU: &str = "Правительство объявило в среду, что в следующем месяце снова повысит процентные ставки из-за устойчивой инфляции и сильного рынка труда. ";

fn main() {
    for (name, unit) in [("en", EN), ("ru", RU)] {
        for bytes in [100usize, 400, 1000, 2000, 3000, 6000] {
            let mut text = String::new();
            while text.len() < bytes {
                text.push_str(unit);
            }
            let n = 300;
            let start = Instant::now();
            let mut found = 0;
            for _ in 0..n {
                found += usize::from(whatlang::detect(std::hint::black_box(&text)).is_some());
            }
            let us = start.elapsed().as_secs_f64() * 1e6 / n as f64;
            println!(
                "{name} {:>5} bytes: {us:7.1} µs per whatlang::detect ({found}/{n} detected)",
                text.len()
            );
        }
    }
}
