//! The web UI in headless Chromium: list -> article (removed parts toggled) -> provenance side
//! by side -> entity, quotes, dark mode, keyboard; search with facets and the date histogram ->
//! story (charts, outlets in order) -> outlet comparison -> altered quotes -> upload; a
//! screenshot of each view.

use crate::browser::Browser;
use crate::common::{seeded_store, serve, COPY_OUTLET};
use fantoccini::key::Key;
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_article_copy_side_by_side() {
    let dir = seeded_store();
    let server = serve(dir.path(), |_| {}).await;
    let browser = Browser::start(&[]).await;
    let c = &browser.client;

    // The list, then a search for the seed and its copy.
    browser.open(&server.url("/"), "documents").await;
    let n = browser.eval("return document.querySelectorAll('#documents li').length").await;
    assert_eq!(n, 6);
    browser.screenshot("01-documents").await;
    c.find(Locator::Css("#q")).await.expect("search box").send_keys("isolating russia").await.expect("type");
    c.find(Locator::Css("#q"))
        .await
        .expect("search box")
        .send_keys(&String::from(char::from(Key::Enter)))
        .await
        .expect("enter");
    browser.wait_view("documents").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let n = browser.eval("return document.querySelectorAll('#documents li').length").await;
        if n == 2 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "search shows {n} documents, not 2");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        c.current_url().await.expect("url").as_str().contains("#/?q=isolating"),
        "the search is a permalink"
    );

    // Keyboard: j selects the first result, Enter opens it.
    c.find(Locator::Css("body")).await.expect("body").send_keys("j").await.expect("j");
    let copy_link = browser
        .eval("return [...document.querySelectorAll('#documents li a')].map(a => a.getAttribute('href'))")
        .await;
    c.find(Locator::Css("body"))
        .await
        .expect("body")
        .send_keys(&String::from(char::from(Key::Enter)))
        .await
        .expect("enter");
    browser.wait_view("doc").await;
    let title = c.find(Locator::Css("#title")).await.expect("title").text().await.expect("text");
    assert!(title.contains("Isolating Russia"), "{title}");
    assert!(copy_link.to_string().contains("#/doc/"));

    // Removed parts: hidden, then shown with their reasons by the toggle (and by `r`).
    let hidden = browser.eval("return document.getElementById('removed').hidden").await;
    assert_eq!(hidden, true);
    c.find(Locator::Css("#toggle-removed")).await.expect("toggle").click().await.expect("click");
    let reasons = browser
        .eval("return [...document.querySelectorAll('#removed .reason')].map(e => e.textContent)")
        .await;
    assert!(reasons.as_array().is_some_and(|r| !r.is_empty()), "{reasons}");
    assert!(reasons.to_string().contains("editors_note"), "{reasons}");
    assert!(c.current_url().await.expect("url").as_str().ends_with("?removed=1"));
    browser.screenshot("02-article-removed-parts").await;

    // Open the copy's provenance: source and copy side by side, changed words marked.
    let ids = crate::common::get(&server.url("/api/v1/documents?q=copy-of-000")).await.json();
    let copy = ids["items"][0]["id"].as_str().expect("copy id").to_string();
    browser.open(&server.url(&format!("/#/doc/{copy}")), "doc").await;
    c.find(Locator::Css("body")).await.expect("body").send_keys("p").await.expect("p");
    browser.wait_view("prov").await;
    let sides = browser.eval("return document.querySelectorAll('.side-source').length").await;
    assert!(sides.as_u64().is_some_and(|n| n >= 1), "{sides}");
    let marks = browser
        .eval("return [...document.querySelectorAll('.side-copy mark')].map(m => m.textContent).join(' ')")
        .await;
    assert!(marks.to_string().contains("important"), "{marks}");
    let source_marks = browser
        .eval("return [...document.querySelectorAll('.side-source mark')].map(m => m.textContent).join(' ')")
        .await;
    assert!(source_marks.to_string().contains("key"), "{source_marks}");
    browser.screenshot("03-provenance-side-by-side").await;

    // Entity page and quotes.
    browser.open(&server.url("/#/entity/Putin"), "entity").await;
    let h1 = c.find(Locator::Css("h1")).await.expect("h1").text().await.expect("text");
    assert_eq!(h1, "Vladimir Putin");
    browser.screenshot("04-entity").await;
    browser.open(&server.url("/#/quotes"), "quotes").await;
    let quotes = browser.eval("return document.querySelectorAll('.list li').length").await;
    assert!(quotes.as_u64().is_some_and(|n| n > 0));
    browser.screenshot("05-quotes").await;
    browser.open(&server.url("/#/dups"), "dups").await;
    browser.screenshot("06-dups").await;
    browser.open(&server.url("/#/stats"), "stats").await;
    browser.screenshot("07-stats").await;
    browser.client.clone().close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dark_mode_follows_the_system() {
    let dir = seeded_store();
    let server = serve(dir.path(), |_| {}).await;
    let browser = Browser::start(&["--force-dark-mode", "--blink-settings=preferredColorScheme=0"]).await;
    browser.open(&server.url("/#/stats"), "stats").await;
    let dark = browser.eval("return matchMedia('(prefers-color-scheme: dark)').matches").await;
    assert_eq!(dark, true, "the browser was started in dark mode");
    let bg = browser.eval("return getComputedStyle(document.documentElement).backgroundColor").await;
    assert_eq!(bg, "rgb(21, 23, 27)", "the dark palette applies");
    let ids = crate::common::get(&server.url("/api/v1/documents?q=copy-of-000")).await.json();
    let copy = ids["items"][0]["id"].as_str().expect("copy id").to_string();
    browser.open(&server.url(&format!("/#/prov/{copy}")), "prov").await;
    browser.screenshot("08-provenance-dark").await;
    browser.client.clone().close().await.expect("close");
}

/// Polls `script` until it returns true (10 s at most).
async fn until(browser: &Browser, script: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if browser.eval(script).await == true {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "never true: {script}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn text_of(browser: &Browser, css: &str) -> String {
    let script =
        format!("return [...document.querySelectorAll({css:?})].map(e => e.textContent).join(' | ')");
    browser.eval(&script).await.as_str().unwrap_or("").to_string()
}

const CHARTS_LOADED: &str = "const c = [...document.querySelectorAll('img.chart')]; \
    return c.length > 0 && c.every(i => i.complete && i.naturalWidth > 0)";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_story_compare_altered_upload() {
    let dir = seeded_store();
    let server = serve(dir.path(), |o| o.token = Some("e2e-token".into())).await;
    let browser = Browser::start(&[]).await;
    let c = &browser.client;
    let body = move || async move { c.find(Locator::Css("body")).await.expect("body") };

    // Search: hits with the match marked, the month histogram, facets; a facet narrows it.
    browser.open(&server.url("/#/search?q=isolating%20russia"), "search").await;
    assert_eq!(browser.eval("return document.querySelectorAll('#hits li').length").await, 2);
    let marks = text_of(&browser, "#hits .snippet mark").await;
    assert!(marks.to_lowercase().contains("russia"), "{marks}");
    assert_eq!(browser.eval("return document.querySelectorAll('#histogram .bar').length").await, 1);
    assert_eq!(
        browser.eval("return document.querySelector('#histogram .bar').dataset.month").await,
        "2021-03"
    );
    let outlets = text_of(&browser, "[data-facet='outlet'] a").await;
    assert!(outlets.contains("CGTN") && outlets.contains(COPY_OUTLET), "{outlets}");
    browser.screenshot("11-search-facets").await;
    let facet =
        format!("[data-facet='outlet'] li:nth-child({}) a", if outlets.starts_with("CGTN") { 2 } else { 1 });
    c.find(Locator::Css(&facet)).await.expect("facet").click().await.expect("click");
    browser.wait_view("search").await;
    until(&browser, "return document.querySelectorAll('#hits li').length === 1").await;
    assert!(
        c.current_url().await.expect("url").as_str().contains("outlet%3A"),
        "the facet is in the permalink"
    );
    // The histogram bar restricts to its month.
    c.find(Locator::Css("#histogram .bar")).await.expect("bar").click().await.expect("click");
    until(
        &browser,
        "return location.hash.includes('since=2021-03-01') && location.hash.includes('until=2021-03-31')",
    )
    .await;

    // Stories by keyboard: g t, j j (the second story: seed 000 and its copy), Enter.
    body().await.send_keys("g").await.expect("g");
    body().await.send_keys("t").await.expect("t");
    browser.wait_view("stories").await;
    body().await.send_keys("j").await.expect("j");
    body().await.send_keys("j").await.expect("j");
    body().await.send_keys(&String::from(char::from(Key::Enter))).await.expect("enter");
    browser.wait_view("story").await;
    let label = c.find(Locator::Css("#story-label")).await.expect("label").text().await.expect("text");
    assert!(label.contains("Isolating Russia"), "{label}");
    assert_eq!(text_of(&browser, "#outlets li .outlet").await, format!("CGTN | {COPY_OUTLET}"));
    assert_eq!(browser.eval("return document.querySelectorAll('#by-day tr').length").await, 3);
    assert!(text_of(&browser, "#first-report").await.contains("2021-03-20"));
    assert!(browser.eval("return document.querySelectorAll('#story-quotes li').length").await != 0);
    until(&browser, CHARTS_LOADED).await;
    browser.screenshot("12-story").await;

    // Its outlets compared: the copy's changed words are the copy's outlet's.
    c.find(Locator::Css("#compare-link")).await.expect("compare link").click().await.expect("click");
    browser.wait_view("compare").await;
    let a_words = text_of(&browser, "#words-a td.word").await;
    let b_words = text_of(&browser, "#words-b td.word").await;
    assert!(a_words.contains("key") && a_words.contains("specific"), "{a_words}");
    assert!(b_words.contains("important"), "{b_words}");
    assert_eq!(browser.eval("return document.querySelectorAll('#coverage tr').length").await, 3);
    assert!(c.current_url().await.expect("url").as_str().contains("#/compare?a=CGTN"));
    browser.screenshot("13-compare").await;

    // Altered quotes: the copy's cut word marked on the first appearance's side.
    browser.open(&server.url("/#/altered"), "altered").await;
    assert!(text_of(&browser, "#altered .side-source mark").await.contains("specific"));
    browser.screenshot("14-altered-quotes").await;

    // The entity page's chart and quotes by day.
    browser.open(&server.url("/#/entity/Putin"), "entity").await;
    until(&browser, CHARTS_LOADED).await;
    assert!(text_of(&browser, "#quotes-by-day h3").await.contains("2021-03-20"));

    // Upload through the form, with the token.
    let file = dir.path().join("upload-note.md");
    std::fs::write(&file, "---\ntitle: Harbour budget agreed\n---\n\nThe harbour committee met on Tuesday and agreed the budget for next year.\n")
        .expect("write");
    browser.open(&server.url("/#/upload"), "upload").await;
    c.find(Locator::Css("#upload-file"))
        .await
        .expect("file")
        .send_keys(&file.display().to_string())
        .await
        .expect("file");
    c.find(Locator::Css("#upload-token")).await.expect("token").send_keys("e2e-token").await.expect("token");
    browser.screenshot("15-upload").await;
    c.find(Locator::Css("#upload-form button")).await.expect("submit").click().await.expect("click");
    until(&browser, "return !!document.querySelector('#upload-result table')").await;
    assert!(text_of(&browser, "#upload-result").await.contains("added1"));
    let hits = crate::common::get(&server.url("/api/v1/documents?q=harbour%20budget")).await.json();
    assert_eq!(hits["items"][0]["source"], "upload:upload-note.md");
    browser.client.clone().close().await.expect("close");
}
