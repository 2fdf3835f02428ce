//! The web UI in headless Chromium: list -> article (removed parts toggled) -> provenance side
//! by side -> entity, quotes, dark mode, keyboard; a screenshot of each view.

use crate::browser::Browser;
use crate::common::{seeded_store, serve};
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
