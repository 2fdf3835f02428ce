//! Scraped pages carrying script tags, `javascript:` URLs, event-handler attributes, SVG and CSS
//! payloads, as markup and as text, shown in every view of the UI in headless Chromium: nothing
//! runs (the flag each payload would set stays unset), no element is made from a payload, and
//! the payloads' text is shown as text.

use crate::browser::Browser;
use crate::common::{ingest, serve};

/// Every payload sets `window.__pwned` (or the page title) when it runs.
const PAYLOADS: &[&str] = &[
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=\"window.__pwned=2\">",
    "<svg onload=\"window.__pwned=3\"><circle r=\"4\"/></svg>",
    "<a href=\"javascript:window.__pwned=4\">click me</a>",
    "<style>body{background:url(\"javascript:window.__pwned=5\")}</style>",
    "<iframe srcdoc=\"<script>parent.__pwned=6</script>\"></iframe>",
    "<div style=\"width:expression(window.__pwned=7)\" onmouseover=\"window.__pwned=8\">hover</div>",
    "\"><script>window.__pwned=9</script>",
    "javascript:window.__pwned=10",
];

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A news-like page whose title, byline, paragraphs, caption and boilerplate carry the payloads
/// as text (escaped in the HTML, so the extractor keeps them as text), and whose markup carries
/// them as live elements and attributes.
fn hostile_page(variant: &str) -> String {
    let as_text: Vec<String> = PAYLOADS.iter().map(|p| escape(p)).collect();
    let mut body = String::new();
    for (i, p) in as_text.iter().enumerate() {
        body.push_str(&format!(
            "<p>Paragraph {i} of the report on the harbour council {variant}: the council said on Monday that {p} \
             would not change its plans for the new ferry terminal, which opens next spring after two years \
             of construction and a long dispute over the budget.</p>\n"
        ));
    }
    format!(
        r#"<!doctype html><html><head>
<title>{t0} Harbour council report {variant}</title>
<meta property="og:url" content="javascript:window.__pwned=11">
<link rel="canonical" href="javascript:window.__pwned=12">
<meta name="author" content="{t1}">
<meta property="article:published_time" content="2024-05-0{n}T10:00:00Z">
<meta property="og:site_name" content="{t2}">
<script>window.__pwned=13</script>
<style>body{{background:url("javascript:window.__pwned=14")}}</style>
</head><body onload="window.__pwned=15">
<nav><a href="javascript:window.__pwned=16">Home</a> <a href="/news">News</a> {t3}</nav>
<article>
<h1>{t0} Harbour council report {variant}</h1>
<figure><img src="javascript:window.__pwned=17" onerror="window.__pwned=18" alt="x">
<figcaption>{t4} The harbour at dawn. /Agency</figcaption></figure>
{body}
<svg onload="window.__pwned=19"><script>window.__pwned=20</script></svg>
<p>"{t5}," the council's spokeswoman Maria Keller said.</p>
</article>
<footer>Share this: {t6} <a href="javascript:window.__pwned=21">Twitter</a></footer>
</body></html>"#,
        t0 = as_text[1],
        t1 = as_text[2],
        t2 = as_text[3],
        t3 = as_text[4],
        t4 = as_text[5],
        t5 = as_text[0],
        t6 = as_text[6],
        n = if variant == "a" { 1 } else { 3 },
    )
}

/// Checks the view now drawn: no payload ran, no element came from a payload, and (where the
/// view shows scraped text, `shows_text`) the payloads' text is on the page as text.
async fn assert_inert(browser: &Browser, view: &str, shows_text: bool) {
    let report = browser
        .eval(
            r#"const v = document.getElementById('view');
               return {
                 pwned: window.__pwned === undefined ? null : String(window.__pwned),
                 title: document.title,
                 scripts: [...document.scripts].filter(s => !s.src.endsWith('/assets/app.js')).length,
                 made: v.querySelectorAll('img:not(.chart), svg, iframe, script, style, object, embed, [onerror], [onload], [onmouseover], [style*="expression"]').length,
                 foreignImages: [...v.querySelectorAll('img.chart')].filter(i => !i.getAttribute('src').startsWith('/api/v1/')).length,
                 jsLinks: [...document.querySelectorAll('a')].filter(a => /^\s*javascript:/i.test(a.getAttribute('href') || '')).length,
                 text: v.textContent,
               };"#,
        )
        .await;
    assert_eq!(report["pwned"], serde_json::Value::Null, "{view}: a payload ran: {report}");
    assert_eq!(report["title"], "presswatch", "{view}");
    assert_eq!(report["scripts"], 0, "{view}: a script element was added");
    assert_eq!(report["made"], 0, "{view}: an element was made from scraped markup");
    assert_eq!(report["jsLinks"], 0, "{view}: a javascript: link was made");
    assert_eq!(report["foreignImages"], 0, "{view}: an image from elsewhere than the API's charts");
    let text = report["text"].as_str().unwrap_or("");
    if shows_text {
        assert!(
            text.contains("onerror=\"window.__pwned=2\""),
            "{view}: payload text not shown as text: {text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scraped_payloads_never_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = dir.path().join("inputs");
    std::fs::create_dir_all(&inputs).expect("mkdir");
    std::fs::write(inputs.join("hostile-a.html"), hostile_page("a")).expect("write");
    // The same page, later and retitled: a copy, so the provenance view shows payloads side by side.
    std::fs::write(
        inputs.join("hostile-b.html"),
        hostile_page("a").replace("2024-05-01", "2024-05-03").replace("next spring", "next summer"),
    )
    .expect("write");
    let record = serde_json::json!({
        "title": PAYLOADS[1], "author": PAYLOADS[2], "url": PAYLOADS[8], "site_name": PAYLOADS[3],
        "date": "2024-05-02",
        "text": format!("The mayor said {} on Tuesday.\n\nThe port authority answered that {} was not its concern, and the ferry terminal would open as planned next spring.", PAYLOADS[0], PAYLOADS[5]),
    });
    std::fs::write(inputs.join("hostile.jsonl"), format!("{record}\n")).expect("write");
    ingest(&dir.path().join("store"), &[inputs]);
    let server = serve(dir.path(), |_| {}).await;

    let list = crate::common::get(&server.url("/api/v1/documents")).await.json();
    let ids: Vec<String> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|d| d["id"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(ids.len(), 3, "{list}");
    // The payloads are in the data the UI gets, as text.
    let detail = crate::common::get(&server.url(&format!("/api/v1/documents/{}", ids[0]))).await;
    assert!(String::from_utf8_lossy(&detail.body).contains("onerror"), "the payloads reached the store");

    let _ = std::fs::remove_file(crate::browser::artifacts().join("09-xss-provenance.png"));
    let browser = Browser::start(&[]).await;
    browser.open(&server.url("/"), "documents").await;
    assert_inert(&browser, "documents", true).await;
    browser.open(&server.url("/#/?q=onerror"), "documents").await;
    assert_inert(&browser, "search", true).await;
    for id in &ids {
        browser.open(&server.url(&format!("/#/doc/{id}?removed=1")), "doc").await;
        assert_inert(&browser, "article", true).await;
        browser.open(&server.url(&format!("/#/prov/{id}")), "prov").await;
        assert_inert(&browser, "provenance", true).await;
        if browser.eval("return document.querySelectorAll('.side-copy').length").await != 0 {
            browser.screenshot("09-xss-provenance").await;
        }
    }
    assert!(
        crate::browser::artifacts().join("09-xss-provenance.png").exists(),
        "a copy's provenance was shown"
    );
    browser.open(&server.url(&format!("/#/doc/{}?removed=1", ids[0])), "doc").await;
    browser.screenshot("10-xss-article").await;
    for (url, view, shows_text) in [
        ("/#/quotes", "quotes", true),
        ("/#/entities", "entities", false),
        ("/#/dups", "dups", true),
        ("/#/stats", "stats", false),
    ] {
        browser.open(&server.url(url), view).await;
        assert_inert(&browser, view, shows_text).await;
    }
    // The views of the corpus as a whole: search, stories, each story (its charts carry the
    // scraped title and outlets, escaped, as images), outlets compared, altered quotes.
    browser.open(&server.url("/#/search?q=onerror"), "search").await;
    assert_inert(&browser, "faceted search", true).await;
    browser.open(&server.url("/#/stories"), "stories").await;
    assert_inert(&browser, "stories", true).await;
    for id in &ids {
        browser.open(&server.url(&format!("/#/story/{id}")), "story").await;
        assert_inert(&browser, "story", true).await;
        let chart =
            crate::common::get(&server.url(&format!("/api/v1/stories/{id}/chart?kind=outlets"))).await;
        assert_eq!(chart.status, 200);
        let svg = String::from_utf8_lossy(&chart.body);
        assert!(
            !svg.contains("<script") && !svg.contains("<img") && svg.contains("&lt;"),
            "escaped in the SVG"
        );
    }
    browser.screenshot("16-xss-story").await;
    let stats = crate::common::get(&server.url("/api/v1/stats")).await.json();
    let outlets: Vec<String> = stats["top_outlets"]
        .as_array()
        .expect("outlets")
        .iter()
        .filter_map(|o| o["value"].as_str())
        .map(str::to_string)
        .collect();
    assert!(!outlets.is_empty(), "the hostile pages have outlets");
    let other = outlets.get(1).map_or("other.example", String::as_str);
    let compare =
        format!("/#/compare?a={}&b={}", crate::common::encode(&outlets[0]), crate::common::encode(other));
    browser.open(&server.url(&compare), "compare").await;
    assert_inert(&browser, "compare", false).await;
    assert!(browser.eval("return document.querySelectorAll('#words-a tr').length").await != 0);
    browser.screenshot("17-xss-compare").await;
    for (url, view) in [("/#/altered", "altered"), ("/#/upload", "upload")] {
        browser.open(&server.url(url), view).await;
        assert_inert(&browser, view, false).await;
    }

    // A hostile fragment in the URL itself is text too.
    browser
        .open(&server.url("/#/entity/%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D22%3E"), "entity")
        .await;
    let pwned = browser.eval("return window.__pwned === undefined").await;
    assert_eq!(pwned, true);
    browser.client.clone().close().await.expect("close");
}
