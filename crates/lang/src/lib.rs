//! Language identification for presswatch articles.
//!
//! What it is for: giving every clean article (and, where the text is long enough, every block) an
//! ISO 639-1 language code, and turning whatever a page *declares* (`en-US`, `en_GB`, `English`,
//! `deu`) into the same codes. Detection uses the `whatlang` trigram models; its ISO 639-3 answer is
//! mapped to ISO 639-1 here.
//!
//! What it is not for: translation, script conversion, or telling dialects apart (`en-US` and
//! `en-GB` are both `en`). It never guesses from very short text: `None` is the honest answer there.
//!
//! ```
//! let d = presswatch_lang::detect(
//!     "Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Energiepolitik beschlossen.",
//! )
//! .unwrap();
//! assert_eq!(d.code, "de");
//! assert_eq!(presswatch_lang::normalize_declared("en_GB").as_deref(), Some("en"));
//! assert_eq!(presswatch_lang::normalize_declared("Deutsch").as_deref(), Some("de"));
//! ```

use presswatch_model::{Article, Block, DocumentStage, Language};
use presswatch_text::{HashMap, Script};

/// A confident language detection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    /// ISO 639-1 code.
    pub code: &'static str,
    /// whatlang's confidence, 0.0..=1.0.
    pub confidence: f64,
}

/// Minimum weighted letter count before detection is attempted: trigram statistics on a handful
/// of words are noise.
const MIN_LETTERS: usize = 20;
/// A block gets its own language only when it is at least this long (weighted letters);
/// shorter blocks inherit the document language.
const MIN_BLOCK_LETTERS: usize = 40;
/// Below this confidence a detection is treated as unsure.
const MIN_CONFIDENCE: f64 = 0.5;
/// Detection looks at no more than this many bytes: the language of a news article is settled
/// long before, and it bounds the cost on huge inputs (trigram scoring is most of cleaning's time).
const MAX_SAMPLE_BYTES: usize = 8 * 1024;
/// A block's own language is judged on at most this many bytes of it.
const MAX_BLOCK_SAMPLE_BYTES: usize = 400;

/// One language: ISO 639-1 code, other codes (639-2/T, 639-2/B, 639-3 incl. macrolanguage
/// members whatlang uses) and names (English and native, lowercase) it may be declared as.
struct LangEntry {
    iso1: &'static str,
    codes: &'static [&'static str],
    names: &'static [&'static str],
}

const LANGS: &[LangEntry] = &[
    LangEntry { iso1: "af", codes: &["afr"], names: &["afrikaans"] },
    LangEntry { iso1: "ak", codes: &["aka"], names: &["akan"] },
    LangEntry { iso1: "am", codes: &["amh"], names: &["amharic", "አማርኛ"] },
    LangEntry { iso1: "ar", codes: &["ara", "arb"], names: &["arabic", "العربية"] },
    LangEntry { iso1: "az", codes: &["aze", "azj"], names: &["azerbaijani", "azərbaycanca"] },
    LangEntry { iso1: "be", codes: &["bel"], names: &["belarusian", "беларуская"] },
    LangEntry { iso1: "bg", codes: &["bul"], names: &["bulgarian", "български"] },
    LangEntry { iso1: "bn", codes: &["ben"], names: &["bengali", "bangla", "বাংলা"] },
    LangEntry { iso1: "ca", codes: &["cat"], names: &["catalan", "català"] },
    LangEntry { iso1: "cs", codes: &["ces", "cze"], names: &["czech", "čeština", "cesky", "česky"] },
    LangEntry { iso1: "da", codes: &["dan"], names: &["danish", "dansk"] },
    LangEntry { iso1: "de", codes: &["deu", "ger"], names: &["german", "deutsch"] },
    LangEntry { iso1: "el", codes: &["ell", "gre"], names: &["greek", "ελληνικά"] },
    LangEntry { iso1: "en", codes: &["eng"], names: &["english"] },
    LangEntry { iso1: "eo", codes: &["epo"], names: &["esperanto"] },
    LangEntry { iso1: "es", codes: &["spa"], names: &["spanish", "español", "espanol", "castellano"] },
    LangEntry { iso1: "et", codes: &["est", "ekk"], names: &["estonian", "eesti"] },
    LangEntry { iso1: "fa", codes: &["fas", "per", "pes"], names: &["persian", "farsi", "فارسی"] },
    LangEntry { iso1: "fi", codes: &["fin"], names: &["finnish", "suomi"] },
    LangEntry { iso1: "fr", codes: &["fra", "fre"], names: &["french", "français", "francais"] },
    LangEntry { iso1: "gu", codes: &["guj"], names: &["gujarati", "ગુજરાતી"] },
    LangEntry { iso1: "he", codes: &["heb", "iw"], names: &["hebrew", "עברית"] },
    LangEntry { iso1: "hi", codes: &["hin"], names: &["hindi", "हिन्दी", "हिंदी"] },
    LangEntry { iso1: "hr", codes: &["hrv"], names: &["croatian", "hrvatski"] },
    LangEntry { iso1: "hu", codes: &["hun"], names: &["hungarian", "magyar"] },
    LangEntry { iso1: "hy", codes: &["hye", "arm"], names: &["armenian", "հայերեն"] },
    LangEntry { iso1: "id", codes: &["ind", "in"], names: &["indonesian", "bahasa indonesia"] },
    LangEntry { iso1: "it", codes: &["ita"], names: &["italian", "italiano"] },
    LangEntry { iso1: "ja", codes: &["jpn"], names: &["japanese", "日本語"] },
    LangEntry { iso1: "jv", codes: &["jav"], names: &["javanese", "basa jawa"] },
    LangEntry { iso1: "ka", codes: &["kat", "geo"], names: &["georgian", "ქართული"] },
    LangEntry { iso1: "km", codes: &["khm"], names: &["khmer", "ខ្មែរ"] },
    LangEntry { iso1: "kn", codes: &["kan"], names: &["kannada", "ಕನ್ನಡ"] },
    LangEntry { iso1: "ko", codes: &["kor"], names: &["korean", "한국어"] },
    LangEntry { iso1: "la", codes: &["lat"], names: &["latin", "latina"] },
    LangEntry { iso1: "lt", codes: &["lit"], names: &["lithuanian", "lietuvių"] },
    LangEntry { iso1: "lv", codes: &["lav", "lvs"], names: &["latvian", "latviešu"] },
    LangEntry { iso1: "mk", codes: &["mkd", "mac"], names: &["macedonian", "македонски"] },
    LangEntry { iso1: "ml", codes: &["mal"], names: &["malayalam", "മലയാളം"] },
    LangEntry { iso1: "mr", codes: &["mar"], names: &["marathi", "मराठी"] },
    LangEntry { iso1: "my", codes: &["mya", "bur"], names: &["burmese", "myanmar"] },
    LangEntry { iso1: "nb", codes: &["nob"], names: &["norwegian bokmål", "bokmål", "bokmal"] },
    LangEntry { iso1: "ne", codes: &["nep", "npi"], names: &["nepali", "नेपाली"] },
    LangEntry { iso1: "nl", codes: &["nld", "dut"], names: &["dutch", "nederlands", "flemish"] },
    LangEntry { iso1: "no", codes: &["nor"], names: &["norwegian", "norsk"] },
    LangEntry { iso1: "or", codes: &["ori", "ory"], names: &["oriya", "odia", "ଓଡ଼ିଆ"] },
    LangEntry { iso1: "pa", codes: &["pan"], names: &["punjabi", "panjabi", "ਪੰਜਾਬੀ"] },
    LangEntry { iso1: "pl", codes: &["pol"], names: &["polish", "polski"] },
    LangEntry { iso1: "pt", codes: &["por"], names: &["portuguese", "português", "portugues"] },
    LangEntry { iso1: "ro", codes: &["ron", "rum"], names: &["romanian", "română", "romana"] },
    LangEntry { iso1: "ru", codes: &["rus"], names: &["russian", "русский"] },
    LangEntry { iso1: "si", codes: &["sin"], names: &["sinhala", "sinhalese", "සිංහල"] },
    LangEntry { iso1: "sk", codes: &["slk", "slo"], names: &["slovak", "slovenčina"] },
    LangEntry { iso1: "sl", codes: &["slv"], names: &["slovenian", "slovene", "slovenščina"] },
    LangEntry { iso1: "sn", codes: &["sna"], names: &["shona", "chishona"] },
    LangEntry { iso1: "sr", codes: &["srp"], names: &["serbian", "српски", "srpski"] },
    LangEntry { iso1: "sv", codes: &["swe"], names: &["swedish", "svenska"] },
    LangEntry { iso1: "ta", codes: &["tam"], names: &["tamil", "தமிழ்"] },
    LangEntry { iso1: "te", codes: &["tel"], names: &["telugu", "తెలుగు"] },
    LangEntry { iso1: "th", codes: &["tha"], names: &["thai", "ไทย"] },
    LangEntry { iso1: "tk", codes: &["tuk"], names: &["turkmen", "türkmençe"] },
    LangEntry { iso1: "tl", codes: &["tgl", "fil"], names: &["tagalog", "filipino"] },
    LangEntry { iso1: "tr", codes: &["tur"], names: &["turkish", "türkçe", "turkce"] },
    LangEntry { iso1: "uk", codes: &["ukr"], names: &["ukrainian", "українська"] },
    LangEntry { iso1: "ur", codes: &["urd"], names: &["urdu", "اردو"] },
    LangEntry { iso1: "uz", codes: &["uzb", "uzn"], names: &["uzbek", "oʻzbekcha", "o'zbekcha"] },
    LangEntry { iso1: "vi", codes: &["vie"], names: &["vietnamese", "tiếng việt"] },
    LangEntry { iso1: "yi", codes: &["yid"], names: &["yiddish", "ייִדיש"] },
    LangEntry {
        iso1: "zh",
        codes: &["zho", "chi", "cmn", "yue", "zh-hans", "zh-hant"],
        names: &["chinese", "mandarin", "中文", "汉语", "漢語", "普通话", "简体中文", "繁體中文"],
    },
    LangEntry { iso1: "zu", codes: &["zul"], names: &["zulu", "isizulu"] },
];

/// Maps an ISO 639-3 (or 639-2) code to ISO 639-1.
pub fn iso639_1(code: &str) -> Option<&'static str> {
    let code = code.trim().to_ascii_lowercase();
    LANGS.iter().find(|l| l.iso1 == code || l.codes.contains(&code.as_str())).map(|l| l.iso1)
}

/// Detects the language of `text`.
///
/// Returns `None` when the text has too few letters or whatlang is unsure (confidence below 0.5),
/// because a wrong code is worse than none for search and deduplication.
pub fn detect(text: &str) -> Option<Detection> {
    detect_sample(sample(text, MAX_SAMPLE_BYTES))
}

fn detect_sample(sample: &str) -> Option<Detection> {
    detect_at_least(sample, MIN_CONFIDENCE)
}

fn detect_at_least(sample: &str, min_confidence: f64) -> Option<Detection> {
    if weighted_letters(sample) < MIN_LETTERS {
        return None;
    }
    let info = whatlang::detect(sample)?;
    let confidence = info.confidence();
    // NaN-safe: an unordered confidence is not a confident one.
    if confidence.is_nan() || confidence < min_confidence {
        return None;
    }
    let code = iso639_1(info.lang().code())?;
    Some(Detection { code, confidence })
}

/// The last resort for a document's language, below a sure detection and the declared language:
/// whatlang's answer from this confidence on. On the labelled man-page set (bench/lang) its
/// answers between 0.25 and 0.5 were right 77% of the time on paragraphs and 95% on pages, and
/// mostly in close pairs (Danish and Norwegian) where a sure answer is rare; below 0.25, half.
const MIN_WEAK_CONFIDENCE: f64 = 0.25;

/// The language of a whole document: the detected one when detection is sure, else the declared
/// one (normalized), else a weak detection ([`MIN_WEAK_CONFIDENCE`]), else `None`.
pub fn detect_document(text: &str, declared: Option<&str>) -> Option<String> {
    // One whatlang call serves both floors.
    let found = detect_at_least(sample(text, MAX_SAMPLE_BYTES), MIN_WEAK_CONFIDENCE);
    match found {
        Some(d) if d.confidence >= MIN_CONFIDENCE => Some(d.code.to_string()),
        _ => declared.and_then(normalize_declared).or_else(|| found.map(|d| d.code.to_string())),
    }
}

/// Sets `language` on every block: blocks long enough for a confident detection get their own
/// language (a German footer in an English article gets `de`); the others inherit `document`.
pub fn detect_blocks(blocks: &mut [Block], document: Option<&str>) {
    for block in blocks.iter_mut() {
        let sample = sample(&block.text, MAX_BLOCK_SAMPLE_BYTES);
        let own = if weighted_letters(sample) >= MIN_BLOCK_LETTERS {
            detect_sample(sample).map(|d| d.code)
        } else {
            None
        };
        block.language = own.or(document).and_then(Language::new);
    }
}

/// Detects the languages of a whole article: the document language once, on a bounded sample
/// of its longest blocks; then each block long enough gets its own language only where it may
/// differ from the document (another script, or too few of the document's own most frequent
/// short words); every other block inherits the document language. Captions take no part in the
/// document sample, but get a language like any block. When detection is unsure, the declared
/// language (normalized) is the document language.
///
/// This is what [`detect_language`] uses. Trigram scoring has a fixed cost per call (every
/// profile of the script is scored), so scoring each block would cost far more than one
/// document sample plus the few blocks that look foreign; a German footer in an English article still gets `de`.
pub fn detect_article(blocks: &mut [Block], declared: Option<&str>) -> Option<String> {
    let candidates = sample_blocks(blocks, PROFILE_SAMPLE_BYTES);
    let heads: Vec<&str> = candidates
        .iter()
        .filter_map(|&i| blocks.get(i))
        .map(|b| sample(&b.text, PROFILE_SAMPLE_BYTES))
        .collect();
    let raw = heads.join("\n");
    let profile = Profile::of(heads.iter().copied());
    drop(heads);
    if profile.words.is_empty() {
        return detect_article_by_votes(blocks, declared);
    }
    let mut word = String::new();
    // Which blocks are long enough for their own language, and may be in another language than
    // most of the text (judged on their head); shorter blocks inherit without a look.
    let differs: Vec<bool> = blocks
        .iter()
        .map(|b| {
            let head = sample(&b.text, MAX_BLOCK_SAMPLE_BYTES);
            let (letters, script) = letters_and_script(head);
            letters >= MIN_BLOCK_LETTERS && profile.may_differ_in(script, head, &mut word)
        })
        .collect();
    // The document sample leaves out blocks that look foreign, so a short footer in another
    // language cannot outvote the body; when nothing looks like the majority, take it all.
    let mut doc = String::with_capacity(DOC_SAMPLE_BYTES + 16);
    for &i in &candidates {
        let room = DOC_SAMPLE_BYTES.saturating_sub(doc.len());
        if room == 0 {
            break;
        }
        if let (Some(b), Some(false)) = (blocks.get(i), differs.get(i).copied()) {
            doc.push_str(sample(&b.text, room));
            doc.push('\n');
        }
    }
    if weighted_letters(&doc) < MIN_LETTERS {
        doc = sample(&raw, DOC_SAMPLE_BYTES).to_string();
    }
    let detection = detect_sample(&doc);
    // No answer or an unsure one on the sample (names and scores, mixed text): the careful way
    // decides.
    if detection.is_none_or(|d| d.confidence < SURE_DOCUMENT) {
        return detect_article_by_votes(blocks, declared);
    }
    let detected = detection.map(|d| d.code);
    let document: Option<String> =
        detected.map(str::to_string).or_else(|| declared.and_then(normalize_declared));
    // Pages repeat blocks (a caption, a credit line): each distinct sample is detected once.
    let mut seen: Vec<(usize, Option<&'static str>)> = Vec::new();
    let mut own_codes: Vec<Option<&'static str>> = Vec::with_capacity(blocks.len());
    for (i, (block, &differs)) in blocks.iter().zip(&differs).enumerate() {
        if !differs {
            own_codes.push(None);
            continue;
        }
        let text = sample(&block.text, MAX_BLOCK_SAMPLE_BYTES);
        let same = |&&(j, _): &&(usize, Option<&'static str>)| {
            blocks.get(j).is_some_and(|b| sample(&b.text, MAX_BLOCK_SAMPLE_BYTES) == text)
        };
        let code = match seen.iter().find(same) {
            Some(&(_, code)) => code,
            None => {
                let code = detect_sample(text).map(|d| d.code);
                seen.push((i, code));
                code
            }
        };
        own_codes.push(code);
    }
    for (block, own) in blocks.iter_mut().zip(own_codes) {
        block.language = match own {
            Some(code) => Language::new(code),
            None => document.as_deref().and_then(Language::new),
        };
    }
    document
}

/// The careful way for short texts, where the document has no frequent words to tell its
/// language by: each block long enough gets its own language, the document language is the one
/// most of the detected text is in (by letters; whole-text detection when no block is long
/// enough; the declared language when detection is unsure), the other blocks inherit it.
fn detect_article_by_votes(blocks: &mut [Block], declared: Option<&str>) -> Option<String> {
    let mut own: Vec<Option<&'static str>> = Vec::with_capacity(blocks.len());
    let mut votes: Vec<(&'static str, usize)> = Vec::new();
    let mut voted = 0usize;
    // Repeated blocks (captions, credit lines) are detected once: (sample, its code).
    let mut seen: Vec<(&str, Option<&'static str>)> = Vec::new();
    for block in blocks.iter() {
        let sample = sample(&block.text, MAX_BLOCK_SAMPLE_BYTES);
        let letters = weighted_letters(sample);
        let code = if letters < MIN_BLOCK_LETTERS {
            None
        } else if let Some(&(_, code)) = seen.iter().find(|(s, _)| *s == sample) {
            code
        } else {
            let code = detect_sample(sample).map(|d| d.code);
            seen.push((sample, code));
            code
        };
        if let (Some(c), false) = (code, block.kind == presswatch_model::BlockKind::Caption) {
            voted += letters;
            match votes.iter_mut().find(|(v, _)| *v == c) {
                Some((_, w)) => *w += letters,
                None => votes.push((c, letters)),
            }
        }
        own.push(code);
    }
    let plurality = votes.iter().max_by_key(|(_, w)| *w).copied();
    let document = match plurality {
        Some((code, w)) if w * 2 > voted => Some(code.to_string()),
        // Mixed text without a majority: the declared language, else the largest share.
        Some((code, _)) => declared.and_then(normalize_declared).or_else(|| Some(code.to_string())),
        None => {
            let text: Vec<&str> = blocks
                .iter()
                .filter(|b| b.kind != presswatch_model::BlockKind::Caption)
                .map(|b| b.text.as_str())
                .collect();
            detect_document(&text.join("\n"), declared)
        }
    };
    for (block, code) in blocks.iter_mut().zip(own) {
        block.language = code.and_then(Language::new).or_else(|| document.as_deref().and_then(Language::new));
    }
    document
}

/// The document language is judged on at most this many bytes, taken from the longest
/// non-caption blocks (the body text, not its labels). A kilobyte of prose settles the language
/// of an article; whatlang costs about 90 µs per call plus 35 µs per KB (`examples/lang_cost`).
const DOC_SAMPLE_BYTES: usize = 1200;
/// The document's frequent words are counted on at most this many bytes of its longest blocks
/// (counting is cheap; more text gives a steadier list).
const PROFILE_SAMPLE_BYTES: usize = 4 * 1024;
/// Below this confidence on the document sample, every block is detected and votes.
const SURE_DOCUMENT: f64 = 0.9;
/// How many of the document's most frequent short words make its fingerprint.
const PROFILE_WORDS: usize = 32;
/// Words up to this many chars can be function words ("the", "und", "que", "это").
const PROFILE_WORD_CHARS: usize = 4;

/// Indices of the longest distinct non-caption blocks, longest first, whose text adds up to
/// `max` bytes.
fn sample_blocks(blocks: &[Block], max: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..blocks.len())
        .filter(|&i| blocks.get(i).is_some_and(|b| b.kind != presswatch_model::BlockKind::Caption))
        .collect();
    let len = |i: usize| blocks.get(i).map_or(0, |b| b.text.len());
    order.sort_by(|&a, &b| len(b).cmp(&len(a)).then(a.cmp(&b)));
    let mut out: Vec<usize> = Vec::new();
    let mut total = 0usize;
    for i in order {
        if total >= max {
            break;
        }
        let Some(text) = blocks.get(i).map(|b| b.text.as_str()) else { continue };
        // A repeated block says nothing new (equal texts have equal lengths, so they are adjacent).
        if out.last().and_then(|&j| blocks.get(j)).is_some_and(|b| b.text == text) {
            continue;
        }
        total += text.len().min(max);
        out.push(i);
    }
    out
}

/// Writing system of a letter, coarsely: enough to tell that a block is in another language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScriptClass {
    Latin,
    Cyrillic,
    Greek,
    Arabic,
    Hebrew,
    Indic,
    Cjk,
    Hangul,
    Other,
}

fn script_class(c: char) -> ScriptClass {
    match c as u32 {
        0x0000..=0x024F | 0x1E00..=0x1EFF => ScriptClass::Latin,
        0x0370..=0x03FF | 0x1F00..=0x1FFF => ScriptClass::Greek,
        0x0400..=0x052F => ScriptClass::Cyrillic,
        0x0590..=0x05FF => ScriptClass::Hebrew,
        0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => ScriptClass::Arabic,
        0x0900..=0x0DFF => ScriptClass::Indic,
        _ => match Script::of(c) {
            Script::Han | Script::Kana => ScriptClass::Cjk,
            Script::Hangul => ScriptClass::Hangul,
            Script::Thai | Script::Other => ScriptClass::Other,
        },
    }
}

/// [`weighted_letters`] and [`main_script`] of `text` in one pass over its chars.
fn letters_and_script(text: &str) -> (usize, Option<ScriptClass>) {
    let mut counts = [0usize; 9];
    let mut weighted = 0usize;
    for c in text.chars() {
        let class = if c.is_ascii() {
            if !c.is_ascii_alphabetic() {
                continue;
            }
            weighted += 1;
            ScriptClass::Latin
        } else if is_letter(c) {
            weighted += if Script::of(c).is_cjk() { 3 } else { 1 };
            script_class(c)
        } else {
            continue;
        };
        if let Some(n) = counts.get_mut(class as usize) {
            *n += 1;
        }
    }
    (weighted, script_of_counts(&counts))
}

/// The script with the most letters (the last such in declaration order on a tie, as
/// `max_by_key` picks).
fn script_of_counts(counts: &[usize; 9]) -> Option<ScriptClass> {
    const CLASSES: [ScriptClass; 9] = [
        ScriptClass::Latin,
        ScriptClass::Cyrillic,
        ScriptClass::Greek,
        ScriptClass::Arabic,
        ScriptClass::Hebrew,
        ScriptClass::Indic,
        ScriptClass::Cjk,
        ScriptClass::Hangul,
        ScriptClass::Other,
    ];
    let (best, n) = counts.iter().enumerate().max_by_key(|(_, n)| **n)?;
    (*n > 0).then(|| CLASSES.get(best).copied()).flatten()
}

/// The script most letters of `text` are written in.
fn main_script(text: &str) -> Option<ScriptClass> {
    letters_and_script(text).1
}

/// What the document's language looks like, cheaply: its script and its most frequent short
/// words (mostly function words: "the", "und", "que", "это"), learned from the document itself so
/// it works for any language written with spaces.
struct Profile {
    script: Option<ScriptClass>,
    /// Lowercase, most frequent first; at most [`PROFILE_WORDS`] (≤ 32).
    words: Vec<WordKey>,
    /// One bit per word ([`mask_bit`]): most words of a block are not profile words, and this
    /// says so without comparing against all of them.
    mask: u64,
}

/// The bit a word key sets in [`Profile::mask`].
fn mask_bit(key: WordKey) -> u64 {
    let folded = ((key >> 64) as u64) ^ (key as u64);
    1u64 << (presswatch_text::mix(folded) >> 58)
}

impl Profile {
    /// Learns the profile from the sample blocks. A word counts once per block, and only words
    /// found in at least two blocks qualify: a function word of the document runs through its
    /// blocks, while a word repeated inside one foreign block ("le", "d'") does not.
    fn of<'a>(blocks: impl Iterator<Item = &'a str>) -> Profile {
        let mut counts: HashMap<WordKey, (usize, usize)> = HashMap::default();
        let mut word = String::new();
        let mut letters_in = String::new();
        for (n, text) in blocks.enumerate() {
            letters_in.push_str(text);
            letters_in.push('\n');
            for_each_short_word(text, &mut word, |w| match counts.get_mut(&w) {
                Some((count, last)) => {
                    if *last != n {
                        *count += 1;
                        *last = n;
                    }
                }
                None => {
                    counts.insert(w, (1, n));
                }
            });
        }
        // Keys order as their words do (big-endian bytes, zero padded), so ties rank as before.
        let mut ranked: Vec<(WordKey, usize)> =
            counts.into_iter().filter(|(_, (n, _))| *n >= 2).map(|(w, (n, _))| (w, n)).collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked.truncate(PROFILE_WORDS);
        let words: Vec<WordKey> = ranked.into_iter().map(|(w, _)| w).collect();
        let mask = words.iter().fold(0u64, |m, &w| m | mask_bit(w));
        Profile { script: main_script(&letters_in), words, mask }
    }

    /// True when `text` may be in another language than the document: another script, or (for
    /// scripts written with spaces) fewer than two of the document's frequent words, or under
    /// one word in six being one of them. `script` is the main script of `text` (see [`letters_and_script`]).
    fn may_differ_in(&self, script: Option<ScriptClass>, text: &str, word: &mut String) -> bool {
        if script != self.script {
            return true;
        }
        if matches!(script, Some(ScriptClass::Cjk | ScriptClass::Other)) {
            return false; // written without spaces (or unknown): the script is all we can tell
        }
        if self.words.is_empty() {
            return true;
        }
        let mut hits = 0usize;
        // Which of the (at most 32) profile words were seen: one repeated word ("in") can be
        // shared by two languages, several different ones hardly.
        let mut seen = 0u32;
        let words = for_each_short_word(text, word, |w| {
            if self.mask & mask_bit(w) == 0 {
                return;
            }
            if let Some(i) = self.words.iter().position(|p| *p == w) {
                hits += 1;
                seen |= 1u32 << (i % 32);
            }
        });
        let distinct = seen.count_ones();
        !(distinct >= 2 && (distinct >= 4 || hits * 8 >= words))
    }
}

/// A short lowercase word packed into an integer: its UTF-8 bytes, big-endian, zero padded.
/// Words never contain NUL (it is not alphanumeric), so distinct words get distinct keys, and
/// keys order as the words' bytes do. Comparing two keys is one integer compare, not a `memcmp`.
type WordKey = u128;

/// Calls `f` with the key of each word of up to [`PROFILE_WORD_CHARS`] chars, lowercased (words
/// with digits excluded), reusing `buf` so no word allocates. Returns the number of words seen.
fn for_each_short_word(text: &str, buf: &mut String, mut f: impl FnMut(WordKey)) -> usize {
    let mut words = 0usize;
    for w in text.split(|c: char| !is_letter_or_digit(c)) {
        if w.is_empty() {
            continue;
        }
        words += 1;
        // A char is at most 4 bytes: a longer word cannot be short.
        if w.len() > PROFILE_WORD_CHARS * 4 || w.chars().count() > PROFILE_WORD_CHARS {
            continue;
        }
        let key = if w.is_ascii() {
            if w.bytes().any(|b| b.is_ascii_digit()) {
                continue;
            }
            pack(w.bytes().map(|b| b.to_ascii_lowercase()))
        } else {
            if w.chars().any(|c| c.is_numeric()) {
                continue;
            }
            buf.clear();
            buf.extend(w.chars().flat_map(char::to_lowercase));
            // Four chars lowercase to at most 16 bytes (only U+0130 grows, to 3 bytes).
            if buf.len() > 16 {
                continue;
            }
            pack(buf.bytes())
        };
        f(key);
    }
    words
}

/// Packs up to 16 bytes into a [`WordKey`]; callers check the length.
fn pack(bytes: impl Iterator<Item = u8>) -> WordKey {
    let mut key: WordKey = 0;
    let mut n = 0u32;
    for b in bytes.take(16) {
        key = (key << 8) | WordKey::from(b);
        n += 1;
    }
    key.checked_shl(8 * (16 - n)).unwrap_or(0)
}

/// The language stage as a registered per-document stage ([`detect_language`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct LanguageStage;

impl DocumentStage for LanguageStage {
    fn name(&self) -> &'static str {
        "language"
    }

    fn apply(&self, article: &mut Article) {
        detect_language(article);
    }
}

/// The language stage: sets the article's language, and each block's, from its text. The
/// article's `language` on input is the declared one (from `presswatch-clean`), kept when the
/// text is too short to tell.
pub fn detect_language(article: &mut Article) {
    let declared = article.meta.language.as_ref().map(Language::as_str);
    article.meta.language = detect_article(&mut article.blocks, declared).as_deref().and_then(Language::new);
}

/// Normalizes a declared language (`en-US`, `en_GB`, `English`, `deu`, `de-DE`,
/// `en-US,en;q=0.9`) to an ISO 639-1 code. Unknown values give `None`.
pub fn normalize_declared(s: &str) -> Option<String> {
    let lower = s.trim().to_lowercase();
    // Accept-Language style lists: the first entry is the primary language.
    let first = lower.split([',', ';']).next().unwrap_or("").trim();
    if first.is_empty() {
        return None;
    }
    // Whole-name match first ("bahasa indonesia", "norwegian bokmål").
    if let Some(l) = LANGS.iter().find(|l| l.names.contains(&first)) {
        return Some(l.iso1.to_string());
    }
    if let Some(l) = LANGS.iter().find(|l| l.codes.contains(&first)) {
        return Some(l.iso1.to_string());
    }
    // A tag: the primary subtag decides (`de-DE`, `en_GB`, `zh-Hans-CN`).
    let primary = first.split(['-', '_', ' ', '.']).next().unwrap_or("");
    let entry = LANGS
        .iter()
        .find(|l| l.iso1 == primary || l.codes.contains(&primary) || l.names.contains(&primary))?;
    Some(entry.iso1.to_string())
}

/// At most `max` bytes of `text`, cut at a char boundary.
fn sample(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or(text)
}

/// Letters, with ideographs and syllabaries counted three times: one CJK character carries about
/// as much as a short word does elsewhere.
fn weighted_letters(text: &str) -> usize {
    text.chars()
        .map(|c| {
            if c.is_ascii() {
                usize::from(c.is_ascii_alphabetic())
            } else if !is_letter(c) {
                0
            } else if Script::of(c).is_cjk() {
                3
            } else {
                1
            }
        })
        .sum()
}

/// `char::is_alphabetic` with the common blocks of news text answered without the Unicode
/// table search (the same answers: a test compares every char).
fn is_letter(c: char) -> bool {
    match c as u32 {
        0x00..=0x7F => c.is_ascii_alphabetic(),
        0xC0..=0x24F => c != '\u{D7}' && c != '\u{F7}',
        0x0410..=0x044F | 0xAC00..=0xD7A3 | 0x4E00..=0x9FEF => true,
        0x2000..=0x206F => false,
        _ => c.is_alphabetic(),
    }
}

/// `char::is_alphanumeric`, fast on the same blocks as [`is_letter`] (none of which has digits
/// outside ASCII).
fn is_letter_or_digit(c: char) -> bool {
    match c as u32 {
        0x00..=0x7F => c.is_ascii_alphanumeric(),
        0xC0..=0x24F => c != '\u{D7}' && c != '\u{F7}',
        0x0410..=0x044F | 0xAC00..=0xD7A3 | 0x4E00..=0x9FEF => true,
        0x2000..=0x206F => false,
        _ => c.is_alphanumeric(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use presswatch_model::BlockKind;

    const EN: &str = "The government announced on Wednesday that it would raise interest rates \
        again next month, citing persistent inflation and a strong labour market.";
    const DE: &str = "Die Bundesregierung hat am Mittwoch angekündigt, die Zinsen im kommenden \
        Monat erneut zu erhöhen, weil die Inflation hartnäckig bleibt.";
    const FR: &str = "Le gouvernement a annoncé mercredi qu'il relèverait à nouveau les taux \
        d'intérêt le mois prochain, en raison d'une inflation persistante.";
    const RU: &str = "Правительство объявило в среду, что в следующем месяце снова повысит \
        процентные ставки из-за устойчивой инфляции и сильного рынка труда.";
    const PL: &str = "Rząd ogłosił w środę, że w przyszłym miesiącu ponownie podniesie stopy \
        procentowe, powołując się na utrzymującą się inflację i silny rynek pracy.";
    const ZH: &str = "政府周三宣布，由于通货膨胀持续和劳动力市场强劲，下个月将再次提高利率。";

    #[test]
    fn fast_letter_tests_agree_with_std_on_every_char() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{:X}", c as u32);
            assert_eq!(is_letter_or_digit(c), c.is_alphanumeric(), "{:X}", c as u32);
        }
    }

    #[test]
    fn one_pass_letters_and_script_agree_with_the_two_passes() {
        let mixed = format!("{EN} {RU} {ZH} 한국어 العربية 12 !");
        for t in [EN, DE, FR, RU, PL, ZH, "", "123 !?", "ab АБВ", "АБ ab", mixed.as_str()] {
            let (letters, script) = letters_and_script(t);
            assert_eq!(letters, weighted_letters(t), "{t}");
            assert_eq!(script, main_script_by_counting(t), "{t}");
        }
    }

    /// The script with the most letters, counted the plain way.
    fn main_script_by_counting(text: &str) -> Option<ScriptClass> {
        let mut counts: Vec<(ScriptClass, usize)> = Vec::new();
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            let class = script_class(c);
            match counts.iter_mut().find(|(k, _)| *k == class) {
                Some((_, n)) => *n += 1,
                None => counts.push((class, 1)),
            }
        }
        // Ties go to the later variant, as in `script_of_counts`.
        counts.sort_by_key(|(k, _)| *k as usize);
        counts.iter().max_by_key(|(_, n)| *n).map(|(k, _)| *k)
    }

    #[test]
    fn a_weak_detection_is_the_last_resort_for_a_document() {
        // Norwegian that whatlang tells from Danish with a confidence of about 0.28.
        let text =
            "Avslutningskoden er null hvis uttrykket verken er tomt eller null, og to hvis det er ugyldig.";
        assert_eq!(detect(text), None, "not sure enough on its own");
        assert_eq!(detect_document(text, None).as_deref(), Some("nb"));
        assert_eq!(detect_document(text, Some("da-DK")).as_deref(), Some("da"), "a declaration outranks it");
        let mut blocks =
            vec![Block { kind: presswatch_model::BlockKind::Paragraph, text: text.into(), language: None }];
        assert_eq!(detect_article(&mut blocks, None).as_deref(), Some("nb"));
        // Below the weak floor there is no answer.
        assert_eq!(
            detect_document(
                "Skriv ut størrelsene i hele enheter før de vises, og les mer om formatet nedenfor.",
                None
            ),
            None
        );
    }

    #[test]
    fn detects_six_languages() {
        for (text, code) in [(EN, "en"), (DE, "de"), (FR, "fr"), (RU, "ru"), (PL, "pl"), (ZH, "zh")] {
            let d = detect(text).unwrap_or_else(|| panic!("no detection for {code}"));
            assert_eq!(d.code, code, "{text}");
            assert!(d.confidence >= MIN_CONFIDENCE && d.confidence <= 1.0);
        }
    }

    #[test]
    fn short_or_empty_text_is_not_guessed() {
        for t in ["", "   ", "Hello", "Read more »", "12345 67890 !!!", "中文"] {
            assert_eq!(detect(t), None, "{t:?}");
        }
    }

    #[test]
    fn declared_forms_normalize() {
        let cases = [
            ("en-US", "en"),
            ("en_GB", "en"),
            ("English", "en"),
            ("deu", "de"),
            ("ger", "de"),
            ("de-DE", "de"),
            ("Deutsch", "de"),
            (" FR ", "fr"),
            ("français", "fr"),
            ("zh-Hans-CN", "zh"),
            ("zh_TW", "zh"),
            ("cmn", "zh"),
            ("中文", "zh"),
            ("Русский", "ru"),
            ("pl-PL", "pl"),
            ("en-US,en;q=0.9", "en"),
            ("iw", "he"),
            ("Norwegian Bokmål", "nb"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_declared(input).as_deref(), Some(want), "{input}");
        }
        for bad in ["", "xx", "klingon", "12", "-", "q=0.9"] {
            assert_eq!(normalize_declared(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_whatlang_language_maps_to_iso1() {
        for lang in whatlang::Lang::all() {
            assert!(iso639_1(lang.code()).is_some(), "{}", lang.code());
        }
    }

    #[test]
    fn document_prefers_detection_and_falls_back_to_declared() {
        assert_eq!(detect_document(DE, Some("en-US")).as_deref(), Some("de"));
        assert_eq!(detect_document("Ok.", Some("en-US")).as_deref(), Some("en"));
        assert_eq!(detect_document("Ok.", None), None);
        assert_eq!(detect_document("Ok.", Some("nonsense")), None);
    }

    #[test]
    fn blocks_get_own_language_or_inherit() {
        let mut blocks = vec![
            Block { kind: BlockKind::Heading, text: "Inflation".into(), language: None },
            Block { kind: BlockKind::Paragraph, text: EN.into(), language: None },
            Block {
                kind: BlockKind::Paragraph,
                text: "Mit unseren Datenschutzbestimmungen erklären Sie sich einverstanden.".into(),
                language: None,
            },
        ];
        detect_blocks(&mut blocks, Some("en"));
        let langs: Vec<_> = blocks.iter().map(|b| b.language.as_deref()).collect();
        assert_eq!(langs, [Some("en"), Some("en"), Some("de")]);

        let mut short = vec![Block { kind: BlockKind::Paragraph, text: "Ja.".into(), language: None }];
        detect_blocks(&mut short, None);
        assert_eq!(short[0].language, None);
    }

    #[test]
    fn article_language_is_the_majority_of_its_text() {
        let mk = |kind, text: &str| Block { kind, text: text.into(), language: None };
        let mut blocks = vec![
            mk(BlockKind::Heading, "Inflation"),
            mk(BlockKind::Paragraph, EN),
            mk(BlockKind::Paragraph, EN),
            mk(BlockKind::Caption, DE),
            mk(BlockKind::Paragraph, "Mit unseren Datenschutzbestimmungen erklären Sie sich einverstanden."),
        ];
        assert_eq!(detect_article(&mut blocks, Some("fr")).as_deref(), Some("en"));
        let langs: Vec<_> = blocks.iter().map(|b| b.language.as_deref()).collect();
        assert_eq!(langs, [Some("en"), Some("en"), Some("en"), Some("de"), Some("de")]);

        // No block long enough: the whole text decides, then the declared language.
        let mut short = vec![
            mk(BlockKind::Paragraph, "Der Gipfel ist vorbei."),
            mk(BlockKind::Paragraph, "Die Regierung schweigt dazu."),
        ];
        assert_eq!(detect_article(&mut short, None).as_deref(), Some("de"));
        assert!(short.iter().all(|b| b.language.as_deref() == Some("de")));
        let mut tiny = vec![mk(BlockKind::Paragraph, "Ja.")];
        assert_eq!(detect_article(&mut tiny, Some("de-AT")).as_deref(), Some("de"));
        assert_eq!(detect_article(&mut [], None), None);
    }

    #[test]
    fn foreign_blocks_in_a_long_article_get_their_own_language() {
        let mk = |kind, text: &str| Block { kind, text: text.into(), language: None };
        let en2 = "Officials said that the decision was taken after a long debate in the cabinet, and that \
            the bank would watch the data closely in the coming weeks before it acts again.";
        let en3 = "Markets reacted calmly to the news, with the pound little changed against the dollar \
            and the euro by the end of the day, as traders had expected the move for weeks.";
        let mut blocks = vec![
            mk(BlockKind::Paragraph, EN),
            mk(BlockKind::Paragraph, en2),
            mk(BlockKind::Paragraph, en3),
            mk(
                BlockKind::Paragraph,
                "In the end, it was a decision that most of the experts had seen coming.",
            ),
            mk(BlockKind::Paragraph, "Mit unseren Datenschutzbestimmungen erklären Sie sich einverstanden."),
            mk(BlockKind::Paragraph, RU),
            mk(BlockKind::Paragraph, FR),
        ];
        assert_eq!(detect_article(&mut blocks, Some("de")).as_deref(), Some("en"));
        let langs: Vec<_> = blocks.iter().map(|b| b.language.as_deref()).collect();
        assert_eq!(
            langs,
            [Some("en"), Some("en"), Some("en"), Some("en"), Some("de"), Some("ru"), Some("fr")]
        );
    }

    #[test]
    fn huge_input_is_sampled_without_panicking() {
        let text = "ü".repeat(MAX_SAMPLE_BYTES); // 2-byte chars: the cut falls mid-char
        assert!(sample(&text, MAX_SAMPLE_BYTES).len() <= MAX_SAMPLE_BYTES);
        assert!(sample(&text, 3).len() == 2);
        let long = EN.repeat(500);
        assert_eq!(detect(&long).map(|d| d.code), Some("en"));
    }
}
