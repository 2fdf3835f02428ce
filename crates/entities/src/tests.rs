use super::*;

fn find<'a>(es: &'a [Entity], name: &str) -> &'a Entity {
    es.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("{name} not in {:#?}", es))
}

#[test]
fn lists_are_sorted() {
    for list in [STOPWORDS, TITLES, NATIONALITIES, ORG_HEADS, ORG_NAMES] {
        assert!(list.windows(2).all(|w| w[0] < w[1]), "{:?}", list.windows(2).find(|w| w[0] >= w[1]));
    }
}

#[test]
fn titles_are_stripped_and_short_forms_resolved() {
    let text = "Secretary of State Antony Blinken stated flatly on Sunday. “It is hard,” Blinken said. Blnken added more. Russian President Vladimir Putin's envoy met Mr Putin.";
    let es = entities_in_text(text);
    let b = find(&es, "Antony Blinken");
    assert_eq!(b.kind, EntityType::Person);
    let got: Vec<&str> = b.mentions.iter().map(|s| s.slice(text)).collect();
    assert_eq!(got, ["Antony Blinken", "Blinken", "Blnken"]);
    let p = find(&es, "Vladimir Putin");
    let got: Vec<&str> = p.mentions.iter().map(|s| s.slice(text)).collect();
    assert_eq!(got, ["Vladimir Putin", "Putin"]);
}

#[test]
fn places_by_canonical_name_in_four_languages() {
    let text = "Troops near Kiev. Later in Kyiv, in Київ and in Киеве, and Kiew.";
    let es = entities_in_text(text);
    let k = find(&es, "Kyiv");
    assert_eq!(k.kind, EntityType::Place);
    assert_eq!(k.mentions.len(), 5, "{es:#?}");
}

#[test]
fn organisations() {
    let text = "The Russian Defence Ministry announced drills. NATO and the Kremlin disagreed. The White House said so.";
    let es = entities_in_text(text);
    assert_eq!(find(&es, "Russian Defence Ministry").kind, EntityType::Organisation);
    assert_eq!(find(&es, "NATO").kind, EntityType::Organisation);
    assert_eq!(find(&es, "Kremlin").kind, EntityType::Organisation);
    assert_eq!(find(&es, "White House").kind, EntityType::Organisation);
}

#[test]
fn cyrillic_people() {
    let text =
        "Президент Украины Владимир Зеленский заявил, что Зеленский готов. Министр Сергей Лавров ответил.";
    let es = entities_in_text(text);
    assert_eq!(find(&es, "Владимир Зеленский").mentions.len(), 2, "{es:#?}");
    assert_eq!(find(&es, "Сергей Лавров").kind, EntityType::Person);
    assert_eq!(find(&es, "Ukraine").kind, EntityType::Place);
}

#[test]
fn no_panic_on_odd_text() {
    for t in ["", "A", "’s", "U.S.", "Mr", "Mr. ", "ÄÖÜ ßß", "\u{0}X Y", "President", "'s Blinken's"] {
        let _ = entities_in_text(t);
    }
}

#[test]
fn an_acronym_after_a_shouted_word_across_punctuation_is_no_entity() {
    // The word before a run (here across a colon) still tells a headline: entities_in_text reads
    // the words as it goes and must keep it.
    let text = "Allies met on Sunday. UPDATE: NYAG staff met. The talks went on.";
    let es = entities_in_text(text);
    assert!(es.iter().all(|e| e.name != "NYAG"), "{es:#?}");
}
