//! Charts of the seeds, checked by opening the files: the SVG parsed (size, title, legend,
//! one bar or dot per dated day in each series' colour, scraped names as text), the PNG
//! decoded (size, each series' colour on it).

use presswatch_plot::{color, entity_timeline, render, story_outlets, story_timeline, Format, Size};
use std::path::{Path, PathBuf};

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds")
}

/// The seeds, and seed 000 again from two later outlets (a near-verbatim copy lands in its
/// source's story), one of them with markup in its name.
fn store() -> (tempfile::TempDir, presswatch_store::SqliteStore) {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = std::fs::read_to_string(seeds_dir().join("000_f3a028baaf0c539f.txt")).expect("seed 000");
    let inputs = dir.path().join("inputs");
    std::fs::create_dir_all(&inputs).expect("mkdir");
    for (name, date, outlet) in [
        ("copy-1.txt", "Mon, 22 Mar 2021 10:00:00 GMT", "wire.example"),
        ("copy-2.txt", "Thu, 25 Mar 2021 10:00:00 GMT", "<b>evil</b> & co"),
    ] {
        let copy = seed
            .replacen("date: Sat, 20 Mar 2021 03:25:03 GMT", &format!("date: {date}\noutlet: {outlet}"), 1)
            .replace("a few key events", "a few important events");
        std::fs::write(inputs.join(name), copy).expect("write");
    }
    let path = dir.path().join("store");
    let mut writer = presswatch_store::SqliteStore::open(&path).expect("open");
    let lookup = presswatch_store::SqliteStore::open(&path).expect("open");
    let pool = presswatch_app::thread_pool(Some(2)).expect("pool");
    let listed = presswatch_app::ingest::inputs(&[seeds_dir(), inputs]);
    presswatch_app::ingest::ingest(
        &mut writer,
        &lookup,
        listed.inputs,
        presswatch_app::ingest::IngestOptions::default(),
        &pool,
        &presswatch_app::Silent,
    )
    .expect("ingest");
    drop(writer);
    (dir, lookup)
}

fn first_seed_story(store: &presswatch_store::SqliteStore) -> presswatch_app::stories::StoryDetail {
    let page = presswatch_app::read::documents(
        store,
        &presswatch_app::read::DocumentQuery { offset: 0, limit: 50, text: Some("000_f3a028".into()) },
    )
    .expect("documents");
    let id = page.items[0].id.to_string();
    presswatch_app::stories::story(store, &id).expect("story").expect("a story")
}

fn hex(c: plotters::style::RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

fn svg_of(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("SVG is UTF-8")
}

/// Elements of `kind` filled with `fill`.
fn filled(doc: &roxmltree::Document, kind: &str, fill: &str) -> usize {
    doc.descendants()
        .filter(|n| n.has_tag_name(kind))
        .filter(|n| n.attribute("fill").is_some_and(|f| f.eq_ignore_ascii_case(fill)))
        .count()
}

/// The text of every `<text>` element, without the line breaks the SVG writer puts around it.
fn texts(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect()
}

#[test]
fn story_timeline_svg_has_a_bar_per_day() {
    let (_dir, store) = store();
    let detail = first_seed_story(&store);
    assert_eq!(detail.members.len(), 3, "seed 000 and its two copies: {:?}", detail.members);
    assert_eq!(detail.by_day.len(), 3);
    let size = Size { width: 800, height: 400 };
    let svg = svg_of(&render(&story_timeline(&detail), Format::Svg, size).expect("render"));
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let root = doc.root_element();
    assert_eq!(root.attribute("width"), Some("800"));
    assert_eq!(root.attribute("height"), Some("400"));
    let texts = texts(&doc);
    assert!(texts.iter().any(|t| t.contains("Isolating Russia")), "title: {texts:?}");
    assert!(texts.iter().any(|t| t == "documents") && texts.iter().any(|t| t == "peak days"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "2021-03-20"), "day labels: {texts:?}");
    // Three days, one document each: all three are peaks (at most three), each a bar (and one
    // more rectangle of the colour in the legend).
    assert_eq!(filled(&doc, "rect", &hex(color(1))), 3 + 1, "{svg}");
}

#[test]
fn outlets_svg_lists_outlets_in_pickup_order_as_text() {
    let (_dir, store) = store();
    let detail = first_seed_story(&store);
    assert_eq!(detail.outlets.len(), 3, "{:?}", detail.outlets);
    let chart = story_outlets(&detail);
    let names: Vec<&str> = chart.series.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, detail.outlets.iter().map(String::as_str).collect::<Vec<_>>());
    let svg = svg_of(&render(&chart, Format::Svg, Size::default()).expect("render"));
    assert!(!svg.contains("<b>"), "markup in an outlet's name is escaped");
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let texts = texts(&doc);
    for outlet in &detail.outlets {
        assert!(texts.iter().any(|t| t == outlet), "{outlet} in the legend: {texts:?}");
    }
    assert!(texts.iter().any(|t| t == "<b>evil</b> & co"));
    // Each outlet's one document is a dot of its colour.
    for i in 0..3 {
        assert_eq!(filled(&doc, "circle", &hex(color(i))), 1, "series {i}");
    }
}

#[test]
fn entity_timeline_png_decodes_with_every_series() {
    let (_dir, store) = store();
    let putin = presswatch_app::entities::entity(&store, "Putin").expect("entity").expect("Putin");
    let chart = entity_timeline(&putin);
    assert!(chart.series.iter().all(|s| !s.points.is_empty()));
    let days = putin.by_day.iter().filter(|d| d.day.is_some()).count();
    assert!(days >= 3, "Putin is named on several days: {:?}", putin.by_day);
    let png_bytes = render(&chart, Format::Png, Size { width: 640, height: 360 }).expect("render");
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("frame");
    assert_eq!((info.width, info.height), (640, 360));
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let pixels = &buf[..info.buffer_size()];
    let count = |c: plotters::style::RGBColor| pixels.chunks(3).filter(|p| p == &[c.0, c.1, c.2]).count();
    for i in 0..chart.series.len() {
        assert!(count(color(i)) > 30, "series {i} ({}) is drawn", chart.series[i].name);
    }
    // Text was rasterized: dark pixels that are not any series' colour.
    let dark = pixels.chunks(3).filter(|p| p.iter().all(|&v| v < 60)).count();
    assert!(dark > 200, "labels drawn ({dark} dark pixels)");
}

#[test]
fn nothing_dated_is_an_error() {
    let chart = presswatch_plot::Chart {
        title: "t".into(),
        y_label: "y".into(),
        style: presswatch_plot::Style::Bars,
        series: vec![presswatch_plot::Series { name: "s".into(), points: vec![] }],
    };
    assert!(matches!(render(&chart, Format::Svg, Size::default()), Err(presswatch_plot::PlotError::NoData)));
}
