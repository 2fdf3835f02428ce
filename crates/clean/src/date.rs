//! Date normalization: any raw date string found on a page, in a URL, or in a dateline, to ISO 8601.
//!
//! Output is `YYYY-MM-DD` when only the day is known, and RFC 3339 (`2021-03-20T03:25:03Z`,
//! `2021-03-20T10:00:00+01:00`) when a time *and* its offset are known. A time without an offset
//! is dropped (the day is kept): guessing UTC would shift articles by hours and sometimes a day.
//! Ambiguous numeric forms (`03/04/2021`) are rejected rather than guessed; so are impossible
//! dates and years outside 1990..=2100.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, SecondsFormat, TimeZone};
use presswatch_text::collapse_visible as collapse_whitespace;
use regex::Regex;
use std::sync::OnceLock;

const MIN_YEAR: i32 = 1990;
const MAX_YEAR: i32 = 2100;

struct Patterns {
    label: Option<Regex>,
    time: Option<Regex>,
    digit_t_digit: Option<Regex>,
    iso_basic: Option<Regex>,
    cjk: Option<Regex>,
    ymd: Option<Regex>,
    dmy: Option<Regex>,
    url_slashes: Option<Regex>,
    url_dashes: Option<Regex>,
    url_compact: Option<Regex>,
    url_month_name: Option<Regex>,
    zone_word: Option<Regex>,
    agency: Option<Regex>,
}

fn compile(pattern: &str) -> Option<Regex> {
    match Regex::new(pattern) {
        Ok(r) => Some(r),
        Err(e) => {
            tracing::error!(%e, "date pattern does not compile");
            None
        }
    }
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        label: compile(
            r"(?i)^(?:date|dated|published|publish date|posted|updated|last updated|modified|created|datum|veröffentlicht|aktualisiert|erschienen|stand|publié|mis à jour|publicado|actualizado|pubblicato|aggiornato|opublikowano|zaktualizowano|data|дата|опубликовано|обновлено)(?:\s+(?:on|am|le|el|il|em))?\s*:?\s*",
        ),
        time: compile(
            r"(?i)(?:^|[^\d:.])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d{1,9})?\s*(a\.?\s?m\b\.?|p\.?\s?m\b\.?)?\s*((?:utc|gmt)\s*[+-]\s*\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}\b|[+-]\d{2}\b|z\b|utc\b|gmt\b|ut\b|est\b|edt\b|cst\b|cdt\b|mst\b|mdt\b|pst\b|pdt\b|cet\b|cest\b|eet\b|eest\b|wet\b|west\b|bst\b|msk\b|jst\b|kst\b|hkt\b|sgt\b|aest\b|aedt\b)?",
        ),
        digit_t_digit: compile(r"(\d)[tT](\d)"),
        // ISO 8601 basic format: 20180619T055000+0900.
        iso_basic: compile(r"^(\d{4})(\d{2})(\d{2})[tT](\d{2})(\d{2})(\d{2})?(?:[.,]\d{1,9})?([zZ]|[+-]\d{2}:?\d{2})?$"),
        cjk: compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?"),
        ymd: compile(r"(?:^|[^\d])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[^\d]|$)"),
        dmy: compile(r"(?:^|[^\d])(\d{1,2})([./-])(\d{1,2})[./-](\d{4})(?:[^\d]|$)"),
        url_slashes: compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})(?:[/_.-]|$)"),
        url_dashes: compile(r"(?:^|[/_-])(\d{4})-(\d{2})-(\d{2})(?:[/_.-]|$)"),
        url_compact: compile(r"(?:^|[/_-])(\d{4})(\d{2})(\d{2})(?:[/_.-]|$)"),
        url_month_name: compile(r"(?i)/(\d{4})[/-](\p{L}{3,10})\.?[/-](\d{1,2})(?:[/_.-]|$)"),
        // An unknown time-zone abbreviation right after a time: `IST`, `MEZ`, `(PKT)`. Written in
        // capitals, which is what sets it apart from ordinary words.
        zone_word: compile(r"^\s*\(?([A-Z]{2,5})\)?"),
        agency: compile(r"\s*\([^)]{0,40}\)\s*$"),
    })
}

/// Normalizes a raw date string to ISO 8601 (see the module docs for the exact forms).
///
/// Accepts RFC 2822 (`Sat, 20 Mar 2021 03:25:03 GMT`), ISO 8601 / RFC 3339, `2021/03/20`,
/// `20.03.2021`, `March 20, 2021`, `20 March 2021`, month names in English, German, French,
/// Spanish, Italian, Portuguese, Dutch, Polish and Russian, `2021年3月20日`, `20210320`, and
/// Unix timestamps in seconds or milliseconds. An optional leading label (`Published:`,
/// `date`, `Veröffentlicht am`) is ignored; any other word makes the string not a date.
pub fn normalize_date(raw: &str) -> Option<String> {
    let p = patterns();
    let text = collapse_whitespace(raw);
    if text.is_empty() || text.len() > 120 {
        return None;
    }
    let text = match &p.label {
        Some(re) => re.replace(&text, "").into_owned(),
        None => text,
    };
    let text = text.trim();
    if text.chars().all(|c| c.is_ascii_digit()) {
        return from_digits(text);
    }
    if let Some(caps) = p.iso_basic.as_ref().and_then(|re| re.captures(text)) {
        let part = |i: usize| caps.get(i).map_or("", |m| m.as_str());
        let seconds = if part(6).is_empty() { "00" } else { part(6) };
        let extended =
            format!("{}-{}-{}T{}:{}:{}{}", part(1), part(2), part(3), part(4), part(5), seconds, part(7));
        return normalize_date(&extended);
    }
    let text = match &p.digit_t_digit {
        Some(re) => re.replace_all(text, "$1 $2").into_owned(),
        None => text.to_string(),
    };
    let lower = text.to_lowercase();

    // Time (and offset) first; what remains must be a date.
    let mut time: Option<(NaiveTime, Option<FixedOffset>)> = None;
    let mut rest = lower.clone();
    // Matched on the original text (the pattern ignores case) so that the word after the time
    // can be judged by its capitals.
    if let Some(caps) = p.time.as_ref().and_then(|re| re.captures(&text)) {
        let num = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let (Some(mut h), Some(m)) = (num(1), num(2)) else { return None };
        let s = num(3).unwrap_or(0).min(59);
        if let Some(ampm) = caps.get(4) {
            if !(1..=12).contains(&h) {
                return None;
            }
            let pm = ampm.as_str().to_ascii_lowercase().starts_with('p');
            h = match (pm, h) {
                (false, 12) => 0,
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, h) => h,
            };
        }
        let t = NaiveTime::from_hms_opt(h, m, s)?;
        let offset = match caps.get(5) {
            Some(z) => Some(parse_offset(&z.as_str().to_lowercase())?),
            None => None,
        };
        time = Some((t, offset));
        if let Some(whole) = caps.get(0) {
            let mut end = whole.end();
            if offset.is_none() {
                end += unknown_zone_len(text.get(end..).unwrap_or(""));
            }
            // The pattern may have consumed one separator before the time; it is not needed.
            rest = format!(
                "{} {}",
                text.get(..whole.start()).unwrap_or("").to_lowercase(),
                text.get(end..).unwrap_or("").to_lowercase()
            );
        }
    }
    let date = parse_date_part(&rest)?;
    Some(format_date_time(date, time))
}

/// Length of an unknown time-zone abbreviation at the start of `after` (the text right after a
/// time): 2 to 5 capitals, maybe in parentheses, that are not a month or weekday (`NOV`).
/// Such zones (`IST` is India, Israel or Ireland) give no reliable offset, so the time is
/// dropped with them and the day kept, as for a time without a zone.
fn unknown_zone_len(after: &str) -> usize {
    let Some(c) = patterns().zone_word.as_ref().and_then(|re| re.captures(after)) else { return 0 };
    let (Some(whole), Some(word)) = (c.get(0), c.get(1)) else { return 0 };
    let next_is_letter =
        after.get(whole.end()..).and_then(|r| r.chars().next()).is_some_and(char::is_alphabetic);
    let w = word.as_str().to_lowercase();
    if next_is_letter || month_number(&w).is_some() || weekday(&w) || is_filler(&w) {
        return 0;
    }
    whole.end()
}

fn format_date_time(date: NaiveDate, time: Option<(NaiveTime, Option<FixedOffset>)>) -> String {
    match time {
        Some((t, Some(offset))) => match offset.from_local_datetime(&date.and_time(t)).single() {
            Some(dt) => dt.to_rfc3339_opts(SecondsFormat::Secs, true),
            None => date.format("%Y-%m-%d").to_string(),
        },
        _ => date.format("%Y-%m-%d").to_string(),
    }
}

/// An all-digit string: `YYYYMMDD`, or a Unix timestamp (seconds or milliseconds).
fn from_digits(text: &str) -> Option<String> {
    match text.len() {
        8 => {
            let y = text.get(0..4)?.parse().ok()?;
            let m = text.get(4..6)?.parse().ok()?;
            let d = text.get(6..8)?.parse().ok()?;
            make_date(y, m, d).map(|d| d.format("%Y-%m-%d").to_string())
        }
        9 | 10 | 12 | 13 => {
            let mut secs: i64 = text.parse().ok()?;
            if text.len() >= 12 {
                secs /= 1000;
            }
            let dt = DateTime::from_timestamp(secs, 0)?;
            let year: i32 = dt.format("%Y").to_string().parse().ok()?;
            if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
                return None;
            }
            Some(dt.to_rfc3339_opts(SecondsFormat::Secs, true))
        }
        _ => None,
    }
}

fn parse_offset(tz: &str) -> Option<FixedOffset> {
    let tz: String = tz.chars().filter(|c| !c.is_whitespace()).collect();
    let hours = |h: i32| FixedOffset::east_opt(h * 3600);
    match tz.as_str() {
        "z" | "utc" | "gmt" | "ut" | "wet" => return hours(0),
        "bst" | "cet" | "west" => return hours(1),
        "cest" | "eet" => return hours(2),
        "eest" | "msk" => return hours(3),
        "hkt" | "sgt" => return hours(8),
        "jst" | "kst" => return hours(9),
        "aest" => return hours(10),
        "aedt" => return hours(11),
        "edt" => return hours(-4),
        "est" | "cdt" => return hours(-5),
        "cst" | "mdt" => return hours(-6),
        "mst" | "pdt" => return hours(-7),
        "pst" => return hours(-8),
        _ => {}
    }
    let signed = tz.trim_start_matches("utc").trim_start_matches("gmt");
    let (sign, digits) = match signed.chars().next()? {
        '+' => (1, signed.get(1..)?),
        '-' => (-1, signed.get(1..)?),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| c.is_ascii_digit()).collect();
    let (h, m): (i32, i32) = match digits.len() {
        1 | 2 => (digits.parse().ok()?, 0),
        3 => (digits.get(..1)?.parse().ok()?, digits.get(1..)?.parse().ok()?),
        4 => (digits.get(..2)?.parse().ok()?, digits.get(2..)?.parse().ok()?),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// A calendar date within the accepted years.
fn make_date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

fn cap_num<T: std::str::FromStr>(caps: &regex::Captures<'_>, i: usize) -> Option<T> {
    caps.get(i)?.as_str().parse().ok()
}

/// The date part of a lowercase string whose time has been removed.
fn parse_date_part(text: &str) -> Option<NaiveDate> {
    let p = patterns();
    if let Some(c) = p.cjk.as_ref().and_then(|re| re.captures(text)) {
        return make_date(cap_num(&c, 1)?, cap_num(&c, 2)?, cap_num(&c, 3)?);
    }
    let only_date_words = |t: &str, skip: (usize, usize)| -> bool {
        let outside = format!("{} {}", t.get(..skip.0).unwrap_or(""), t.get(skip.1..).unwrap_or(""));
        tokens(&outside).iter().all(|tok| match tok {
            Token::Word(w) => is_filler(w) || weekday(w),
            Token::Num(_) => false,
        })
    };
    if let Some(c) = p.ymd.as_ref().and_then(|re| re.captures(text)) {
        let whole = c.get(0)?;
        if !only_date_words(text, (whole.start(), whole.end())) {
            return None;
        }
        return make_date(cap_num(&c, 1)?, cap_num(&c, 2)?, cap_num(&c, 3)?);
    }
    if let Some(c) = p.dmy.as_ref().and_then(|re| re.captures(text)) {
        let whole = c.get(0)?;
        if !only_date_words(text, (whole.start(), whole.end())) {
            return None;
        }
        let a: u32 = cap_num(&c, 1)?;
        let b: u32 = cap_num(&c, 3)?;
        let y: i32 = cap_num(&c, 4)?;
        let sep = c.get(2)?.as_str();
        let (d, m) = if sep == "." || sep == "-" || a > 12 || a == b {
            (a, b)
        } else if b > 12 {
            (b, a)
        } else {
            return None; // 03/04/2021: day-first or month-first? Unknowable.
        };
        return make_date(y, m, d);
    }
    textual_date(text)
}

#[derive(Debug)]
enum Token {
    Word(String),
    Num(String),
}

/// Splits into letter runs and digit runs; an ordinal suffix (`20th`, `1er`, `3.`) stays with
/// its number.
fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_is_num = false;
    let flush = |cur: &mut String, is_num: bool, out: &mut Vec<Token>| {
        if !cur.is_empty() {
            let s = std::mem::take(cur);
            out.push(if is_num { Token::Num(s) } else { Token::Word(s) });
        }
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !cur_is_num {
                flush(&mut cur, false, &mut out);
            }
            cur_is_num = true;
            cur.push(c);
        } else if c.is_alphabetic() {
            if cur_is_num {
                flush(&mut cur, true, &mut out);
            }
            cur_is_num = false;
            cur.push(c);
        } else {
            flush(&mut cur, cur_is_num, &mut out);
        }
    }
    flush(&mut cur, cur_is_num, &mut out);
    out
}

fn textual_date(text: &str) -> Option<NaiveDate> {
    let toks = tokens(text);
    let mut month = None;
    let mut month_pos = 0;
    let mut year = None;
    let mut days: Vec<(usize, u32)> = Vec::new();
    for (i, tok) in toks.iter().enumerate() {
        match tok {
            Token::Word(w) => {
                if let Some(m) = month_number(w) {
                    if month.is_some() {
                        return None;
                    }
                    month = Some(m);
                    month_pos = i;
                } else if !(is_filler(w) || weekday(w) || is_ordinal_suffix(w, i, &toks)) {
                    return None;
                }
            }
            Token::Num(n) => match n.len() {
                4 => {
                    if year.is_some() {
                        return None;
                    }
                    year = Some(n.parse::<i32>().ok()?);
                }
                1 | 2 => days.push((i, n.parse().ok()?)),
                _ => return None,
            },
        }
    }
    let month = month?;
    let year = year?;
    let day = match days.as_slice() {
        [(_, d)] => *d,
        // Several small numbers: take the one next to the month name.
        many => many.iter().find(|(i, _)| i.abs_diff(month_pos) <= 2).map(|(_, d)| *d)?,
    };
    make_date(year, month, day)
}

fn is_ordinal_suffix(w: &str, i: usize, toks: &[Token]) -> bool {
    matches!(w, "st" | "nd" | "rd" | "th" | "er" | "re" | "e" | "º" | "o" | "a")
        && i.checked_sub(1).and_then(|j| toks.get(j)).is_some_and(|t| matches!(t, Token::Num(_)))
}

fn is_filler(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "of"
            | "on"
            | "at"
            | "de"
            | "del"
            | "di"
            | "le"
            | "el"
            | "il"
            | "am"
            | "um"
            | "uhr"
            | "a"
            | "an"
            | "in"
            | "à"
            | "às"
            | "h"
            | "r"
            | "roku"
            | "г"
            | "года"
            | "год"
            | "gmt"
            | "utc"
            | "et"
            | "ce"
            | "du"
            | "den"
            | "der"
            | "op"
            | "em"
            | "w"
            | "v"
            | "в"
    )
}

fn weekday(w: &str) -> bool {
    matches!(
        w,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "mon"
            | "tue"
            | "tues"
            | "wed"
            | "thu"
            | "thur"
            | "thurs"
            | "fri"
            | "sat"
            | "sun"
            | "montag"
            | "dienstag"
            | "mittwoch"
            | "donnerstag"
            | "freitag"
            | "samstag"
            | "sonnabend"
            | "sonntag"
            | "mo"
            | "di"
            | "mi"
            | "do"
            | "fr"
            | "sa"
            | "so"
            | "lundi"
            | "mardi"
            | "mercredi"
            | "jeudi"
            | "vendredi"
            | "samedi"
            | "dimanche"
            | "lunes"
            | "martes"
            | "miércoles"
            | "miercoles"
            | "jueves"
            | "viernes"
            | "sábado"
            | "sabado"
            | "domingo"
            | "lunedì"
            | "martedì"
            | "mercoledì"
            | "giovedì"
            | "venerdì"
            | "sabato"
            | "domenica"
            | "poniedziałek"
            | "wtorek"
            | "środa"
            | "czwartek"
            | "piątek"
            | "sobota"
            | "niedziela"
            | "понедельник"
            | "вторник"
            | "среда"
            | "четверг"
            | "пятница"
            | "суббота"
            | "воскресенье"
            | "пн"
            | "вт"
            | "ср"
            | "чт"
            | "пт"
            | "сб"
            | "вс"
    )
}

/// Month names and abbreviations (lowercase) in the languages presswatch sees most.
pub(crate) fn month_number(w: &str) -> Option<u32> {
    Some(match w {
        "january" | "jan" | "januar" | "jänner" | "janvier" | "janv" | "enero" | "ene" | "gennaio"
        | "gen" | "janeiro" | "januari" | "styczeń" | "stycznia" | "styczen" | "январь" | "января"
        | "янв" => 1,
        "february" | "feb" | "februar" | "février" | "fevrier" | "févr" | "fevr" | "febrero" | "febbraio"
        | "fevereiro" | "februari" | "luty" | "lutego" | "февраль" | "февраля" | "фев" => 2,
        "march" | "mar" | "märz" | "mär" | "maerz" | "mars" | "marzo" | "março" | "marco" | "maart"
        | "marzec" | "marca" | "март" | "марта" => 3,
        "april" | "apr" | "avril" | "avr" | "abril" | "abr" | "aprile" | "kwiecień" | "kwietnia"
        | "kwiecien" | "апрель" | "апреля" | "апр" => 4,
        "may" | "mai" | "mayo" | "maggio" | "mag" | "maio" | "mei" | "maj" | "maja" | "май" | "мая" => {
            5
        }
        "june" | "jun" | "juni" | "juin" | "junio" | "giugno" | "giu" | "junho" | "czerwiec" | "czerwca"
        | "июнь" | "июня" | "июн" => 6,
        "july" | "jul" | "juli" | "juillet" | "juil" | "julio" | "luglio" | "lug" | "julho" | "lipiec"
        | "lipca" | "июль" | "июля" | "июл" => 7,
        "august" | "aug" | "août" | "aout" | "agosto" | "ago" | "augustus" | "sierpień" | "sierpnia"
        | "sierpien" | "август" | "августа" | "авг" => 8,
        "september" | "sep" | "sept" | "septembre" | "septiembre" | "setiembre" | "settembre" | "set"
        | "setembro" | "wrzesień" | "września" | "wrzesien" | "wrzesnia" | "сентябрь" | "сентября"
        | "сен" | "сент" => 9,
        "october" | "oct" | "oktober" | "okt" | "octobre" | "octubre" | "ottobre" | "ott" | "outubro"
        | "październik" | "października" | "pazdziernik" | "октябрь" | "октября" | "окт" => {
            10
        }
        "november" | "nov" | "novembre" | "noviembre" | "novembro" | "listopad" | "listopada" | "ноябрь"
        | "ноября" | "ноя" => 11,
        "december" | "dec" | "dezember" | "dez" | "décembre" | "decembre" | "déc" | "diciembre" | "dic"
        | "dicembre" | "dezembro" | "grudzień" | "grudnia" | "grudzien" | "декабрь" | "декабря" | "дек" => {
            12
        }
        _ => return None,
    })
}

/// A publication date found in a URL path: `/2021/03/20/`, `/2021-03-20/`, `/20210320/`,
/// `/2019/nov/18/` (a month name or abbreviation in any language [`normalize_date`] knows), or
/// such a segment followed by `-`, `_`, `.`.
pub fn date_from_url(url: &str) -> Option<String> {
    let p = patterns();
    let path = match url.find("://") {
        Some(i) => {
            let after = url.get(i + 3..)?;
            after.find('/').and_then(|j| after.get(j..)).unwrap_or("")
        }
        None => url,
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    for re in [&p.url_slashes, &p.url_dashes, &p.url_compact].into_iter().flatten() {
        for c in re.captures_iter(path) {
            if let (Some(y), Some(m), Some(d)) = (cap_num(&c, 1), cap_num(&c, 2), cap_num(&c, 3)) {
                if let Some(date) = make_date(y, m, d) {
                    return Some(date.format("%Y-%m-%d").to_string());
                }
            }
        }
    }
    for c in p.url_month_name.iter().flat_map(|re| re.captures_iter(path)) {
        let month = c.get(2).and_then(|m| month_number(&m.as_str().to_lowercase()));
        if let (Some(y), Some(m), Some(d)) = (cap_num(&c, 1), month, cap_num(&c, 3)) {
            if let Some(date) = make_date(y, m, d) {
                return Some(date.format("%Y-%m-%d").to_string());
            }
        }
    }
    None
}

/// A date from a dateline at the start of an article: `Jan. 13, 2022 — …`,
/// `BERLIN, 20. März 2021 (dpa) - …`. Datelines without a year (`MOSCOW, Jan 13 (Reuters) -`)
/// give `None`: the year cannot be known from them.
pub fn date_from_dateline(text: &str) -> Option<String> {
    let head: String = text.chars().take(100).collect();
    let cut = [" - ", " — ", " – ", " —", " –", "—", "–"].iter().filter_map(|sep| head.find(sep)).min()?;
    let prefix = head.get(..cut)?.trim();
    if prefix.is_empty() || prefix.chars().count() > 60 {
        return None;
    }
    let prefix = match &patterns().agency {
        Some(re) => re.replace(prefix, "").into_owned(),
        None => prefix.to_string(),
    };
    // Try the whole prefix, then without leading place names (`MOSCOW,`).
    let parts: Vec<&str> = prefix.split(',').collect();
    (0..parts.len()).find_map(|i| normalize_date(&parts.get(i..)?.join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_forms_normalize() {
        let cases = [
            ("Sat, 20 Mar 2021 03:25:03 GMT", "2021-03-20T03:25:03Z"),
            ("Sat, 20 Mar 2021 03:25:03 +0100", "2021-03-20T03:25:03+01:00"),
            ("Tue, 1 Jun 2021 23:00:00 -0500", "2021-06-01T23:00:00-05:00"),
            ("2021-12-13", "2021-12-13"),
            (" date 2021-12-13 ", "2021-12-13"),
            ("2021-03-20T03:25:03Z", "2021-03-20T03:25:03Z"),
            ("2021-03-20T03:25:03.123+01:00", "2021-03-20T03:25:03+01:00"),
            ("2021-03-20 03:25", "2021-03-20"),
            ("2021/03/20", "2021-03-20"),
            ("March 20, 2021", "2021-03-20"),
            ("Mar. 20, 2021", "2021-03-20"),
            ("20 March 2021", "2021-03-20"),
            ("Saturday, March 20th, 2021", "2021-03-20"),
            ("March 20, 2021 3:25 PM EST", "2021-03-20T15:25:00-05:00"),
            ("March 20, 2021 12:05 am UTC", "2021-03-20T00:05:00Z"),
            ("20.03.2021", "2021-03-20"),
            ("20.03.2021 14:30 Uhr", "2021-03-20"),
            ("20. März 2021", "2021-03-20"),
            ("Veröffentlicht am 20. März 2021", "2021-03-20"),
            ("1er mars 2021", "2021-03-01"),
            ("20 février 2021", "2021-02-20"),
            ("20 de marzo de 2021", "2021-03-20"),
            ("20 marca 2021 r.", "2021-03-20"),
            ("20 марта 2021 года", "2021-03-20"),
            ("2021年3月20日", "2021-03-20"),
            ("20/03/2021", "2021-03-20"),
            ("03/20/2021", "2021-03-20"),
            ("20210320", "2021-03-20"),
            ("1616210703", "2021-03-20T03:25:03Z"),
            ("1616210703000", "2021-03-20T03:25:03Z"),
            ("Published: 2021-03-20T10:00:00+02:00", "2021-03-20T10:00:00+02:00"),
            // Time first, with a zone abbreviation that is no reliable offset: the day only.
            ("01:38:07 PM IST Nov 20, 2019", "2019-11-20"),
            ("Nov 20, 2019 01:38 PM IST", "2019-11-20"),
            ("20.03.2021, 14:30 (MEZ)", "2021-03-20"),
            ("01:38 PM NOV 20, 2019", "2019-11-20"),
            ("01:38 PM EST Nov 20, 2019", "2019-11-20T13:38:00-05:00"),
            // Compact ISO 8601 (basic format), and a visible date with seconds.
            ("20180619T055000+0900", "2018-06-19T05:50:00+09:00"),
            ("20180619T055000Z", "2018-06-19T05:50:00Z"),
            ("2023-11-17 20:52:15", "2023-11-17"),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize_date(raw).as_deref(), Some(want), "{raw}");
        }
    }

    #[test]
    fn impossible_or_ambiguous_dates_are_rejected() {
        for raw in [
            "",
            "yesterday",
            "2021-02-30",
            "2021-13-01",
            "1899-01-01",
            "2150-01-01",
            "31 June 2021",
            "March 2021",
            "03/04/2021",
            "20210230",
            "123",
            "99999999999",
            "25:61 2021-03-20",
            "Putin visited Berlin on 20 March 2021",
            "20 March 2021 | Reuters",
            "13:00 PM March 20, 2021",
            "01:38 PM Ist Nov 20, 2019",
            "01:38 PM IST WORLD Nov 20, 2019",
            "Sat, 20 Mar 2021 03:25:03 +9999",
        ] {
            assert_eq!(normalize_date(raw), None, "{raw}");
        }
    }

    #[test]
    fn url_dates() {
        assert_eq!(date_from_url("https://x.com/2021/03/20/story").as_deref(), Some("2021-03-20"));
        assert_eq!(
            date_from_url("https://news.cgtn.com/news/2021-03-20/Isolating-YLrW0tnQT6/index.html").as_deref(),
            Some("2021-03-20")
        );
        assert_eq!(date_from_url("https://x.de/politik/20210320-merkel.html").as_deref(), Some("2021-03-20"));
        assert_eq!(date_from_url("https://x.com/2021/03/story").as_deref(), None);
        assert_eq!(date_from_url("https://x.com/article/123456789012").as_deref(), None);
        assert_eq!(date_from_url("https://x.com/2021/02/31/story").as_deref(), None);
        assert_eq!(date_from_url("https://2021-03-20.example.com/").as_deref(), None);
        // A month name as a path segment.
        assert_eq!(
            date_from_url("https://www.example.com/truth/article/2019/nov/18/guide-to-tariffs/").as_deref(),
            Some("2019-11-18")
        );
        assert_eq!(date_from_url("https://x.com/stories/2019/Sept/3/story").as_deref(), Some("2019-09-03"));
        assert_eq!(date_from_url("https://x.de/2019/märz/03/text").as_deref(), Some("2019-03-03"));
        assert_eq!(date_from_url("https://x.com/2019/11/18/story").as_deref(), Some("2019-11-18"));
        assert_eq!(date_from_url("https://x.com/a/2019-11-18-story").as_deref(), Some("2019-11-18"));
        assert_eq!(date_from_url("https://x.com/2019/news/18/story").as_deref(), None);
        assert_eq!(date_from_url("https://x.com/2019/nov/31/story").as_deref(), None);
    }

    #[test]
    fn datelines() {
        assert_eq!(
            date_from_dateline("Jan. 13, 2022 — The talks ended without a deal.").as_deref(),
            Some("2022-01-13")
        );
        assert_eq!(
            date_from_dateline("BERLIN, 20. März 2021 (dpa) - Die Regierung hat...").as_deref(),
            Some("2021-03-20")
        );
        assert_eq!(date_from_dateline("MOSCOW, Jan 13 (Reuters) - Russia said..."), None);
        assert_eq!(date_from_dateline("Russia - a country in 2021 - said..."), None);
    }
}
