//! Authors: person names, author metadata, bylines, author bios and editor's notes.

use crate::text::compact;
use presswatch_text::{collapse_visible as collapse_whitespace, decode_text_entities as decode_entities};
use regex::Regex;
use std::sync::OnceLock;

const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "degli", "di", "da", "dos", "das", "du", "la", "le",
    "bin", "ibn", "al", "el", "zu", "ter", "ten", "y", "af", "av",
];

/// Capitalized words that are not parts of a person's name (they show a sentence, a desk or a
/// role, not a person).
const NOT_NAME_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "and",
    "or",
    "of",
    "in",
    "on",
    "at",
    "for",
    "with",
    "this",
    "that",
    "it",
    "he",
    "she",
    "we",
    "they",
    "but",
    "news",
    "opinion",
    "opinions",
    "staff",
    "editor",
    "editors",
    "editorial",
    "team",
    "desk",
    "redaktion",
    "agency",
    "press",
    "media",
    "online",
    "reporter",
    "correspondent",
    "admin",
    "administrator",
    "contributor",
    "contributors",
    "guest",
    "anonymous",
    "unknown",
    "newsroom",
    "service",
    "services",
    "wire",
    "report",
    "reports",
    "update",
    "live",
    "photo",
    "video",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "president",
    "minister",
    "der",
    "die",
    "das",
    "le",
    "la",
    "les",
    "el",
    "los",
    "il",
    "board",
    "group",
    "international",
    "foundation",
    "institute",
    "university",
    "council",
    "ministry",
    "department",
    "office",
    "centre",
    "center",
    "company",
    "ltd",
    "inc",
    "gmbh",
    "corp",
];

/// Author values that name nobody.
const GENERIC_AUTHORS: &[&str] = &[
    "admin",
    "administrator",
    "staff",
    "editor",
    "editors",
    "editorial",
    "editorial board",
    "redaktion",
    "guest",
    "anonymous",
    "unknown",
    "newsroom",
    "webmaster",
    "author",
    "autor",
    "the editors",
    "staff writer",
    "staff reporter",
    "web desk",
    "news desk",
    "online desk",
];

/// News and wire agencies that bylines glue after the writer's name ("Tom Davies Associated
/// Press"), lowercase. A small generic vocabulary, not a list of sites.
const AGENCIES: &[&str] = &[
    "associated press",
    "the associated press",
    "ap",
    "reuters",
    "afp",
    "agence france-presse",
    "agence france presse",
    "dpa",
    "epd",
    "kna",
    "apa",
    "sda",
    "bloomberg",
    "bloomberg news",
    "tass",
    "itar-tass",
    "ria novosti",
    "interfax",
    "xinhua",
    "kyodo",
    "yonhap",
    "upi",
    "pti",
    "ians",
    "ani",
    "efe",
    "ansa",
    "pap",
    "čtk",
    "ctk",
    "anadolu",
    "anadolu agency",
    "ukrinform",
    "unian",
];

/// Last words of outlet names ("Florida Today", "The Detroit News", "Berliner Zeitung"),
/// lowercase. Only a phrase of at least two capitalized words ending in one of these, after a
/// name of at least two words, is taken for an outlet: "Emily Post" stays a person.
const OUTLET_LAST_WORDS: &[&str] = &[
    "today",
    "times",
    "post",
    "news",
    "press",
    "herald",
    "journal",
    "tribune",
    "gazette",
    "chronicle",
    "telegraph",
    "observer",
    "guardian",
    "daily",
    "review",
    "register",
    "courier",
    "dispatch",
    "examiner",
    "bulletin",
    "inquirer",
    "magazine",
    "newspaper",
    "zeitung",
    "presse",
    "rundschau",
    "nachrichten",
    "kurier",
    "anzeiger",
    "tagblatt",
    "gazeta",
    "quotidien",
    "diario",
    "noticias",
    "газета",
    "новости",
];

/// Degrees and professional credentials written after a name ("Rachael Link, MS, RD"), in
/// capitals without dots. They qualify the person before them and are never names. `Jr.`,
/// `Sr.` and generational numerals (`III`) are different: they are part of the name and stay
/// attached to it ("Martin Luther King, Jr." -> "Martin Luther King Jr.").
const CREDENTIALS: &[&str] = &[
    "ms", "ma", "msc", "bsc", "bs", "ba", "mba", "mph", "md", "do", "phd", "rd", "rdn", "ld", "ldn", "rn",
    "np", "pa", "pac", "jd", "dds", "dmd", "dvm", "pharmd", "cpt", "cscs", "cde", "cdces", "lpn", "mphil",
    "dphil", "edd", "psyd", "lcsw", "lmft", "cns", "nd", "dpt", "esq", "cpa", "cfa", "ibclc", "facs", "facp",
    "frcp", "mrcp", "mbbs", "msn", "bsn", "dnp", "fnp", "med", "mfa", "llm", "llb", "dr", "prof", "mag",
    "dipl", "ing",
];

const NAME_SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// Returns the name when `s` is a plausible person's name: 2 to 4 capitalized words (Unicode
/// letters, hyphens, apostrophes, initials), optionally joined by particles (`van`, `de`,
/// `bin`), and never a sentence. All-caps names come back title-cased.
pub fn person_name(s: &str) -> Option<String> {
    let s = collapse_whitespace(s);
    let s = s.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '|' | '·'));
    if s.is_empty() || s.chars().count() > 60 || s.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let tokens: Vec<&str> = s.split(' ').collect();
    if tokens.len() < 2 || tokens.len() > 6 {
        return None;
    }
    let all_caps = s.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    let mut capitalized = 0;
    for (i, tok) in tokens.iter().enumerate() {
        let lower = tok.to_lowercase();
        let is_edge = i == 0 || i + 1 == tokens.len();
        if PARTICLES.contains(&lower.as_str()) && !is_edge && !all_caps {
            continue;
        }
        if !is_name_word(tok) || NOT_NAME_WORDS.contains(&lower.trim_end_matches('.')) {
            return None;
        }
        capitalized += 1;
    }
    if !(2..=4).contains(&capitalized) {
        return None;
    }
    if all_caps {
        return Some(tokens.iter().map(|t| title_case(t)).collect::<Vec<_>>().join(" "));
    }
    Some(tokens.join(" "))
}

fn is_name_word(tok: &str) -> bool {
    let mut chars = tok.chars();
    let Some(first) = chars.next() else { return false };
    if !first.is_uppercase() {
        return false;
    }
    let rest: Vec<char> = chars.collect();
    if rest.iter().any(|c| !(c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))) {
        return false;
    }
    // A trailing dot only on initials and short forms ("J.", "Jr.").
    if tok.ends_with('.') && tok.chars().count() > 3 {
        return false;
    }
    // "Jean-Luc", "O'Brien" are fine; "-" alone is not.
    rest.iter().any(|c| c.is_alphabetic()) || tok.ends_with('.')
}

fn title_case(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut start = true;
    for c in word.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = matches!(c, '-' | '\'' | '’');
    }
    out
}

struct Patterns {
    by_prefix: Option<Regex>,
    list_separators: Option<Regex>,
    bio: Option<Regex>,
    bio_role: Option<Regex>,
    about_author: Option<Regex>,
    views_of: Option<Regex>,
    reporting_by: Option<Regex>,
}

fn compile(pattern: &str) -> Option<Regex> {
    match Regex::new(pattern) {
        Ok(r) => Some(r),
        Err(e) => {
            tracing::error!(%e, "author pattern does not compile");
            None
        }
    }
}

const NAME: &str = r"\p{Lu}[\p{L}\p{M}'’.\-]*(?:\s+(?:(?:van|von|der|den|de|del|della|di|da|dos|das|du|la|le|bin|ibn|al|el|zu|ter|ten)\s+)*\p{Lu}[\p{L}\p{M}'’.\-]*){1,3}";

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        by_prefix: compile(
            r"(?i)^(?:posted by|submitted by|reported by|written by|words by|story by|text by|geschrieben von|publié par|publicado por|text:|texte?:|by|von|par|por|di|door|av|przez|автор|текст|author|autor|autorin)\s*:?\s+",
        ),
        list_separators: compile(&format!(
            r"\s+(?:{})\s+|\s*[;|/·]\s*|\s*,\s*(?:and\s+|und\s+)?",
            LIST_WORDS.join("|")
        )),
        bio: compile(&format!(
            r"^(?:(?i:der autor|die autorin|l'auteur|l'autrice|el autor|la autora|l'autore|autor|autorka|автор)\s+)?({NAME})\s*,?\s+(works as|work as|is|was|has been|serves as|ist|war|arbeitet als|est|était|es|fue|è|jest|był|była|является|работает)\b(.*)$"
        )),
        bio_role: compile(
            r"(?i)\b(?:journalist\w*|analyst\w*|professor\w*|fellow|writer|commentator|columnist|correspondent|editor|researcher|reporter|author|lecturer|scholar|economist|historian|contributor|political scientist|freelance\w*|korrespondent\w*|redakteur\w*|autor\w*|politologe|politologin|politikwissenschaftler\w*|historiker\w*|ökonom\w*|publizist\w*|journaliste|chercheur|chercheuse|éditorialiste|rédact\w*|politologue|periodista|analista|investigador\w*|escritor\w*|giornalista|ricercat\w*|scrittore|scrittrice|dziennikar\w*|analityk\w*|publicyst\w*|журналист\w*|аналитик\w*|политолог\w*|исследовател\w*|обозревател\w*|профессор\w*)\b",
        ),
        about_author: compile(
            r"(?i)^(?:about the author|über den autor|über die autorin|zum autor|zur autorin|der autor|die autorin|l'auteur|à propos de l'auteur|sobre el autor|sobre la autora|l'autore|o autorze|об авторе)\s*[:.\-–—]?\s*",
        ),
        views_of: compile(&format!(
            r"(?:views?|opinions?|positions?|polic(?:y|ies)|stance) of (?:the )?({})",
            r"\p{Lu}[\p{L}\p{N}&'’\-]*(?:\s+\p{Lu}[\p{L}\p{N}&'’\-]*){0,4}"
        )),
        reporting_by: compile(
            r"(?i)^(?:with\s+)?(additional\s+|further\s+|extra\s+)?reporting\s+(?:by|from)\s+([^;]+?)(?:;|$)",
        ),
    })
}

/// Splits an author list ("A and B", "A, B", "A & B; C") into names.
fn split_list(s: &str) -> Vec<String> {
    // "Smith, John": one person, written last name first.
    let comma_parts: Vec<&str> = s.split(',').map(str::trim).collect();
    if let [last, first] = comma_parts.as_slice() {
        let single = |p: &str| !p.contains(' ') && is_name_word(p);
        if single(last) && single(first) && !s.contains(" and ") && !s.contains(" & ") {
            return vec![format!("{first} {last}")];
        }
    }
    let parts: Vec<&str> = match &patterns().list_separators {
        Some(re) => re.split(s).map(str::trim).filter(|p| !p.is_empty()).collect(),
        None => vec![s.trim()],
    };
    let mut out: Vec<String> = Vec::new();
    for part in parts {
        match out.last_mut() {
            Some(prev) if is_name_suffix(part) => {
                prev.push(' ');
                prev.push_str(part);
            }
            Some(prev) if is_credential(part, prev) => {}
            _ => out.push(part.to_string()),
        }
    }
    out
}

/// Letters only, lowercase: `Ph.D.` -> `phd`, `PA-C` -> `pac`.
fn letters_lower(s: &str) -> String {
    s.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect()
}

fn is_name_suffix(part: &str) -> bool {
    !part.contains(' ') && NAME_SUFFIXES.contains(&letters_lower(part).as_str())
}

/// A list part that qualifies the name before it: credentials from [`CREDENTIALS`] ("MS RD",
/// "Ph.D."), or, after a name of several words, a single capitalized abbreviation of 2 to 5
/// letters ("FAAN", "CNN"), which is a credential or an affiliation and no person.
fn is_credential(part: &str, prev: &str) -> bool {
    let words: Vec<&str> = part.split_whitespace().collect();
    if words.is_empty() || words.len() > 3 {
        return false;
    }
    if words.iter().all(|w| {
        let l = letters_lower(w);
        !l.is_empty() && CREDENTIALS.contains(&l.as_str()) && w.chars().next().is_some_and(char::is_uppercase)
    }) {
        return true;
    }
    let letters = part.chars().filter(|c| c.is_alphabetic()).count();
    words.len() == 1
        && (2..=5).contains(&letters)
        && part.chars().all(|c| c.is_uppercase() || c == '.' || c == '-')
        && presswatch_text::word_count(prev) >= 2
}

/// Drops an agency or outlet glued after a person's name: "Tom Davies Associated Press",
/// "Kevin McCoy USA TODAY", "Elliot Brownstein Florida Today". What is cut: a known agency
/// ([`AGENCIES`]) or one of `outlet_keys` (compacted outlet names of the page); a trailing run
/// of all-capital words ("USA TODAY", "CNN") after a name that is not itself in capitals; or a
/// phrase of two or more capitalized words ending in an outlet word ([`OUTLET_LAST_WORDS`]),
/// the shortest such (with a leading "The"). The cut is made only when at least two words
/// remain and they still read as a person's name; otherwise the value is returned unchanged.
/// Limits: a three-word outlet without "The" ("Detroit Free Press") leaves its first word.
pub fn strip_affiliation(name: &str, outlet_keys: &[String]) -> String {
    let tokens: Vec<&str> = name.split_whitespace().collect();
    let n = tokens.len();
    let head_if_person = |k: usize| -> Option<String> {
        let head = tokens.get(..k)?.join(" ");
        person_name(&head).map(|_| head)
    };
    if n < 3 {
        return name.to_string();
    }
    // Exact agency or page outlet, the longest first.
    for k in 2..n {
        let tail = tokens.get(k..).unwrap_or(&[]).join(" ");
        let lower = tail.to_lowercase();
        if AGENCIES.contains(&lower.as_str()) || outlet_keys.contains(&compact(&tail)) {
            if let Some(head) = head_if_person(k) {
                return head;
            }
        }
    }
    // A trailing run of all-capital words after a name written in mixed case.
    let is_caps_word = |w: &str| {
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && w.chars().all(|c| c.is_uppercase() || matches!(c, '&' | '-' | '.'))
    };
    let run_start = tokens.iter().rposition(|w| !is_caps_word(w)).map_or(0, |i| i + 1);
    if run_start >= 2 && run_start < n {
        let run = tokens.get(run_start..).unwrap_or(&[]);
        // One capitalized word may be a surname in the French style ("Jean Pierre DUPONT"):
        // only a short one (an acronym: "CNN", "AP") is cut alone.
        let short_single = run.len() >= 2
            || run.first().is_some_and(|w| w.chars().filter(|c| c.is_alphabetic()).count() <= 4);
        let generational =
            !short_single || (run.len() == 1 && run.first().is_some_and(|w| is_name_suffix(w)));
        let head_mixed =
            tokens.get(..run_start).unwrap_or(&[]).iter().any(|w| w.chars().any(char::is_lowercase));
        if !generational && head_mixed {
            if let Some(head) = head_if_person(run_start) {
                return head;
            }
        }
    }
    // A capitalized phrase ending in an outlet word.
    let last_is_outlet =
        tokens.last().is_some_and(|w| OUTLET_LAST_WORDS.contains(&w.to_lowercase().as_str()));
    if last_is_outlet && n >= 4 {
        for k in (2..=n - 2).rev() {
            let tail = tokens.get(k..).unwrap_or(&[]);
            if !tail.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase)) {
                break;
            }
            let k = if k > 2 && tokens.get(k - 1).is_some_and(|w| w.eq_ignore_ascii_case("the")) {
                k - 1
            } else {
                k
            };
            if let Some(head) = head_if_person(k) {
                return head;
            }
        }
    }
    name.to_string()
}

fn strip_by(s: &str) -> String {
    match &patterns().by_prefix {
        Some(re) => re.replace(s, "").into_owned(),
        None => s.to_string(),
    }
}

/// The cleaned author metadata, and the value dropped because it names a column or section
/// (e.g. `CGTN - Opinions`: the outlet's opinion column, not a person).
pub(crate) struct MetaAuthors {
    pub authors: Vec<String>,
    pub column: Option<String>,
}

/// Cleans author metadata: decodes entities, strips "By ", splits lists, and drops values that
/// are URLs, generic ("admin", "staff"), the outlet or site itself, a column of the outlet
/// ("CGTN - Opinions" when the outlet is CGTN), or one of the page's categories.
/// Values need not look like Western names here (metadata may hold `王毅` or an agency).
pub(crate) fn clean_meta_authors(raw: &[String], outlets: &[String], categories: &[String]) -> MetaAuthors {
    let outlet_keys: Vec<String> = outlets.iter().map(|o| compact(o)).filter(|o| !o.is_empty()).collect();
    // With the name part of domains (`floridatoday.com` -> `floridatoday`), to recognize an
    // outlet glued after a name.
    let affiliation_keys = crate::meta::outlet_keys(outlets);
    let category_keys: Vec<String> =
        categories.iter().map(|c| compact(c)).filter(|c| !c.is_empty()).collect();
    let mut authors: Vec<String> = Vec::new();
    let mut column = None;
    for value in raw {
        let value = collapse_whitespace(&decode_entities(value));
        let value = strip_by(&value);
        if value.is_empty() || is_url_like(&value) {
            continue;
        }
        let whole = compact(&value);
        let is_column = category_keys.contains(&whole)
            || outlet_keys.iter().any(|o| whole.starts_with(o.as_str()) && has_column_separator(&value));
        if is_column {
            column.get_or_insert_with(|| value.clone());
            continue;
        }
        let (value, with) = split_parenthetical(&value);
        for part in split_list(&value).into_iter().chain(with.iter().flat_map(|w| split_list(w))) {
            let part = strip_by(part.trim_matches(|c: char| c.is_whitespace() || ",;:|".contains(c)));
            let part = strip_trailing_noise(&part);
            let part = strip_role(&strip_affiliation(&part, &affiliation_keys));
            if is_desk(&part) || is_job_title(&part) {
                continue;
            }
            let k = compact(&part);
            if k.is_empty()
                || part.chars().count() > 80
                || is_url_like(&part)
                || GENERIC_AUTHORS.contains(&part.to_lowercase().as_str())
                || outlet_keys.contains(&k)
                || category_keys.contains(&k)
            {
                continue;
            }
            push_unique(&mut authors, part);
        }
    }
    MetaAuthors { authors, column }
}

/// Words that join the names of a list ("A and B", "A und B").
const LIST_WORDS: &[&str] = &["and", "&", "und", "et", "y", "e", "i", "и", "og", "och", "en"];

/// Words that open a parenthetical naming co-authors: "Jean Dupont (avec Marie Curie)".
const WITH_WORDS: &[&str] = &["with", "avec", "mit", "con", "com", "z", "с", "met", "med"];

/// Takes parenthesized parts out of an author value, so a list is never split inside them:
/// "(avec Marie Curie et Paul Roux)" gives its names as co-authors; one inside a name
/// ("Richard (R.J.) Eskow") stays; any other ("(Reuters)", "(Paris)", "(@handle)") is dropped.
/// An unclosed "(" drops the rest.
fn split_parenthetical(value: &str) -> (String, Vec<String>) {
    if !value.contains('(') {
        return (value.to_string(), Vec::new());
    }
    let mut outside = String::with_capacity(value.len());
    let mut with: Vec<String> = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('(') {
        outside.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let (inner, next) = match after.find(')') {
            Some(close) => (&after[..close], &after[close + 1..]),
            None => (after, ""),
        };
        let inner = inner.trim();
        let with_names = inner
            .split_once(char::is_whitespace)
            .filter(|(first, _)| WITH_WORDS.contains(&first.to_lowercase().as_str()))
            .map(|(_, names)| names.trim().to_string());
        match with_names {
            Some(names) => with.push(names),
            // Inside a name ("Richard (R.J.) Eskow"): a nickname or middle names, kept.
            None if next.trim_start().starts_with(char::is_alphabetic) && !inner.contains(',') => {
                outside.push('(');
                outside.push_str(inner);
                outside.push(')');
            }
            None => {}
        }
        outside.push(' ');
        rest = next;
    }
    outside.push_str(rest.trim_end_matches(')'));
    (collapse_whitespace(&outside), with)
}

/// Drops what a template glues to the end of a name: digits ("Lucas Nolan22", a comment count
/// or a profile id) and a dangling list word ("Jane Doe and").
fn strip_trailing_noise(name: &str) -> String {
    let mut s = name.trim();
    loop {
        let before = s;
        // Only after a name of two or more words: a one-word handle keeps its digits ("rmb8090").
        if s.chars().rev().take_while(char::is_ascii_digit).count() > 0
            && s.trim_end_matches(|c: char| c.is_ascii_digit()).ends_with(char::is_alphabetic)
            && s.split_whitespace().count() >= 2
        {
            s = s.trim_end_matches(|c: char| c.is_ascii_digit());
        }
        if let Some((head, last)) = s.rsplit_once(char::is_whitespace) {
            if LIST_WORDS.contains(&last.to_lowercase().as_str()) {
                s = head.trim_end();
            }
        }
        if s == before {
            return s.to_string();
        }
    }
}

/// Job titles that a template writes after the name ("Ben Silverman Games Editor").
const ROLE_WORDS: &[&str] = &[
    "editor",
    "reporter",
    "correspondent",
    "writer",
    "contributor",
    "columnist",
    "producer",
    "journalist",
    "redakteur",
    "redakteurin",
    "korrespondent",
    "korrespondentin",
    "journaliste",
    "rédacteur",
    "rédactrice",
    "correspondant",
    "correspondante",
    "corresponsal",
    "periodista",
    "корреспондент",
    "журналист",
    "manager",
    "engineer",
    "lead",
    "director",
    "designer",
    "developer",
    "scientist",
    "evangelist",
    "intern",
];

/// Words that qualify a job title: "Senior", "Staff", "Games" in "Games Editor".
const ROLE_MODIFIERS: &[&str] = &[
    "senior",
    "staff",
    "chief",
    "managing",
    "contributing",
    "deputy",
    "associate",
    "executive",
    "assistant",
    "guest",
    "freelance",
    "special",
    "political",
    "foreign",
    "national",
    "international",
    "sports",
    "business",
    "science",
    "health",
    "tech",
    "technology",
    "games",
    "news",
    "digital",
    "web",
    "online",
    "investigative",
    "economics",
    "legal",
    "culture",
    "arts",
    "entertainment",
    "opinion",
    "features",
    "world",
    "europe",
    "asia",
    "africa",
    "defence",
    "defense",
    "security",
    "diplomatic",
    "investigations",
    "data",
    "video",
    "photo",
    "social",
    "media",
    "breaking",
    "weekend",
    "copy",
    "desk",
    "leitender",
    "stellvertretender",
    "freier",
    "product",
    "software",
    "marketing",
    "community",
    "technical",
    "program",
    "engineering",
    "research",
    "sales",
    "support",
    "developer",
    "design",
    "content",
    "editorial",
];

/// A list part that is only a job title ("Product Manager", "Senior Software Engineer"), as in
/// "Posted by Jane Doe, Product Manager".
fn is_job_title(part: &str) -> bool {
    let lower: Vec<String> = part.split_whitespace().map(str::to_lowercase).collect();
    lower.last().is_some_and(|w| ROLE_WORDS.contains(&w.as_str()))
        && lower[..lower.len() - 1].iter().all(|w| ROLE_MODIFIERS.contains(&w.as_str()))
}

/// Drops a job title after a name: "Ben Silverman Games Editor" -> "Ben Silverman", "Mary Ann
/// Smith Staff Writer" -> "Mary Ann Smith". The title is a role word ([`ROLE_WORDS`]) and the
/// qualifiers before it ([`ROLE_MODIFIERS`]); cut only when a person's name of at least two
/// words remains.
fn strip_role(name: &str) -> String {
    let tokens: Vec<&str> = name.split_whitespace().collect();
    let lower: Vec<String> = tokens.iter().map(|w| w.to_lowercase()).collect();
    let ends_in_role = lower.last().is_some_and(|w| ROLE_WORDS.contains(&w.as_str()));
    if !ends_in_role || tokens.len() < 3 {
        return name.to_string();
    }
    let role_start = (2..tokens.len())
        .find(|&k| lower[k..tokens.len() - 1].iter().all(|w| ROLE_MODIFIERS.contains(&w.as_str())));
    match role_start {
        Some(k) => {
            let head = tokens[..k].join(" ");
            // "AP Auto Writer", "CNN Political Reporter": an agency's job title, no person.
            let acronym =
                |w: &str| (2..=5).contains(&w.chars().count()) && w.chars().all(|c| c.is_ascii_uppercase());
            let agency_first =
                acronym(tokens[0]) && tokens.get(1).is_some_and(|w| w.chars().any(char::is_lowercase));
            if agency_first {
                String::new()
            } else if person_name(&head).is_some() {
                head
            } else {
                name.to_string()
            }
        }
        None => name.to_string(),
    }
}

/// A desk or team of the outlet, not a person: "National Desk", "Web Desk", "Sports Team".
fn is_desk(name: &str) -> bool {
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    words.len() <= 4
        && words.last().is_some_and(|w| {
            ["desk", "team", "staff", "newsroom", "bureau", "redaktion", "rédaction", "redacción", "редакция"]
                .contains(&w.as_str())
        })
}

fn has_column_separator(s: &str) -> bool {
    [" - ", " – ", " — ", " | ", ": ", " / "].iter().any(|sep| s.contains(sep))
}

fn is_url_like(s: &str) -> bool {
    let l = s.to_lowercase();
    l.contains("://") || l.starts_with("www.") || l.contains('/') || l.contains('@')
}

/// Adds `name` unless already present (case-insensitively).
pub(crate) fn push_unique(list: &mut Vec<String>, name: String) {
    let k = compact(&name);
    if !k.is_empty() && !list.iter().any(|n| compact(n) == k) {
        list.push(name);
    }
}

/// What a byline line credits its persons with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credit {
    /// "By Jane Doe": the article's authors.
    Author,
    /// "Reporting by Andrew Osborn; Editing by …" (wire style): the reporters, authors when the
    /// page names no other.
    Reporting,
    /// "Additional reporting by Joseph Hudak": contributors, not authors.
    AdditionalReporting,
}

/// "By Jane Doe and John Roe", "Von Anna Müller", "Reporting by A; Editing by B": the persons,
/// when the whole (short) line is a byline.
pub fn byline(text: &str) -> Option<Vec<String>> {
    byline_credit(text).map(|(names, _)| names)
}

/// [`byline`], with what the line credits the persons with.
pub fn byline_credit(text: &str) -> Option<(Vec<String>, Credit)> {
    if text.chars().count() > 150 {
        return None;
    }
    let p = patterns();
    if let Some(c) = p.reporting_by.as_ref().and_then(|re| re.captures(text)) {
        let names: Vec<String> = split_list(c.get(2)?.as_str())
            .iter()
            .filter_map(|n| person_name(&strip_affiliation(n, &[])))
            .collect();
        let credit = if c.get(1).is_some() { Credit::AdditionalReporting } else { Credit::Reporting };
        return (!names.is_empty()).then_some((names, credit));
    }
    let stripped = strip_by(text);
    if stripped.len() == text.len() {
        return None;
    }
    // "By Jane Doe | March 20, 2021": keep the part before a separator.
    let names_part = stripped.split(['|', '•', '·']).next().unwrap_or("").trim();
    let parts = split_list(names_part);
    let names: Vec<String> = parts.iter().filter_map(|n| person_name(&strip_affiliation(n, &[]))).collect();
    (!names.is_empty() && names.len() == parts.len()).then_some((names, Credit::Author))
}

/// An author bio: "Petro Burkovskyi works as Senior Fellow for …", "Jane Doe is a journalist
/// based in Berlin.", "Der Autor Hans Meier ist Journalist." Returns the person's name.
pub fn bio(text: &str) -> Option<String> {
    if text.chars().count() > 400 {
        return None;
    }
    let p = patterns();
    let text = match p.about_author.as_ref().and_then(|re| re.find(text)) {
        Some(m) => text.get(m.end()..).unwrap_or(text),
        None => text,
    };
    let c = p.bio.as_ref()?.captures(text)?;
    let name = person_name(c.get(1)?.as_str())?;
    let verb = c.get(2)?.as_str();
    let rest = c.get(3).map_or("", |m| m.as_str());
    let works_as = matches!(verb, "works as" | "work as" | "serves as" | "arbeitet als" | "работает");
    if works_as || p.bio_role.as_ref().is_some_and(|re| re.is_match(rest)) {
        Some(name)
    } else {
        None
    }
}

/// True for "About the author", "Der Autor", … headings or lead-ins.
pub(crate) fn is_about_author(text: &str) -> bool {
    text.chars().count() <= 400 && patterns().about_author.as_ref().is_some_and(|re| re.is_match(text))
}

/// Facts from an editor's note: the person it presents and the outlet whose views it disclaims.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct NoteFacts {
    pub person: Option<String>,
    pub outlet: Option<String>,
}

pub(crate) fn editors_note_facts(text: &str) -> NoteFacts {
    // Drop the label ("Editor's note:") so the note starts with its subject.
    let body = text
        .char_indices()
        .take(40)
        .find(|&(_, c)| matches!(c, ':' | '—' | '–'))
        .and_then(|(i, c)| text.get(i + c.len_utf8()..))
        .unwrap_or(text)
        .trim();
    let body = body.trim_start_matches(['(', '[', ' ']);
    let p = patterns();
    let person =
        p.bio.as_ref().and_then(|re| re.captures(body)).and_then(|c| person_name(c.get(1)?.as_str()));
    let outlet = p
        .views_of
        .as_ref()
        .and_then(|re| re.captures(body))
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().trim_end_matches(['.', ',']).to_string())
        .filter(|o| !o.is_empty() && o.chars().count() <= 40);
    NoteFacts { person, outlet }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_names() {
        for (input, want) in [
            ("Bradley Blankenship", "Bradley Blankenship"),
            ("Petro Burkovskyi", "Petro Burkovskyi"),
            ("Ursula von der Leyen", "Ursula von der Leyen"),
            ("Jean-Luc O'Brien", "Jean-Luc O'Brien"),
            ("J. R. R. Tolkien", "J. R. R. Tolkien"),
            ("Łukasz Wróbel", "Łukasz Wróbel"),
            ("Анна Иванова", "Анна Иванова"),
            ("JOHN SMITH", "John Smith"),
        ] {
            assert_eq!(person_name(input).as_deref(), Some(want), "{input}");
        }
        for bad in [
            "Putin",
            "CGTN - Opinions",
            "The Kremlin said",
            "Russia puts transatlantic unity and security in Europe to the test",
            "john smith",
            "Staff Reporter",
            "Reuters Staff",
            "Democratic Initiatives Foundation",
            "Agent 007",
            "",
            "de Gaulle",
        ] {
            assert_eq!(person_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn meta_authors_are_split_and_filtered() {
        let outlets = vec!["CGTN".to_string()];
        let cats = vec!["新媒体".to_string(), "CGTN - Opinions".to_string()];
        let m = clean_meta_authors(&["CGTN - Opinions".to_string()], &outlets, &cats);
        assert!(m.authors.is_empty());
        assert_eq!(m.column.as_deref(), Some("CGTN - Opinions"));

        let raw = vec![
            "By Jane Doe and John Roe".to_string(),
            "Anna Müller, Peter Schmidt".to_string(),
            "https://example.com/author/jane".to_string(),
            "admin".to_string(),
            "jane doe".to_string(),
            "Doe, Jane".to_string(),
            "王毅".to_string(),
            "Tom &amp; Jerry".to_string(),
        ];
        let m = clean_meta_authors(&raw, &[], &[]);
        assert_eq!(
            m.authors,
            ["Jane Doe", "John Roe", "Anna Müller", "Peter Schmidt", "王毅", "Tom", "Jerry"]
        );
        assert_eq!(m.column, None);
    }

    #[test]
    fn template_noise_around_meta_authors_is_dropped() {
        let raw = vec![
            "Jean Dupont (avec Marie Curie et Paul Roux)".to_string(),
            "Lucas Nolan22".to_string(),
            "Jane Doe and".to_string(),
            "National Desk".to_string(),
            "Ben Silverman Games Editor".to_string(),
            "Tom Hale (Reuters)".to_string(),
            "AP National Security Writer".to_string(),
            "Posted by Peter Harbison".to_string(),
            "By: Jason Hart (Diary)".to_string(),
            "rmb8090".to_string(),
            "Posted by Tammy McLeod, Software Engineer".to_string(),
            "Richard (R.J.) Eskow".to_string(),
        ];
        let m = clean_meta_authors(&raw, &[], &[]);
        assert_eq!(
            m.authors,
            [
                "Jean Dupont",
                "Marie Curie",
                "Paul Roux",
                "Lucas Nolan",
                "Jane Doe",
                "Ben Silverman",
                "Tom Hale",
                "Peter Harbison",
                "Jason Hart",
                "rmb8090",
                "Tammy McLeod",
                "Richard (R.J.) Eskow"
            ]
        );
        // A name that only looks like a role phrase is kept.
        assert_eq!(strip_role("Anna Editor"), "Anna Editor");
        assert_eq!(strip_trailing_noise("Agent 47"), "Agent 47");
    }

    #[test]
    fn agencies_and_outlets_glued_after_a_name_are_dropped() {
        let none: Vec<String> = Vec::new();
        for (input, want) in [
            ("Tom Davies Associated Press", "Tom Davies"),
            ("Kevin McCoy USA TODAY", "Kevin McCoy"),
            ("Elliot Brownstein Florida Today", "Elliot Brownstein"),
            ("Anna Müller dpa", "Anna Müller"),
            ("Jane Doe Reuters", "Jane Doe"),
            ("Jane Doe CNN", "Jane Doe"),
            ("Jane Doe The Detroit News", "Jane Doe"),
            ("Hans Meier Berliner Zeitung", "Hans Meier"),
            // Kept: real names.
            ("Emily Post", "Emily Post"),
            ("Michael Bloomberg", "Michael Bloomberg"),
            ("Jean Pierre DUPONT", "Jean Pierre DUPONT"),
            ("Martin Luther King III", "Martin Luther King III"),
            ("JOHN SMITH AP", "JOHN SMITH"),
            ("JOHN SMITH CNN", "JOHN SMITH CNN"),
            ("Mary Ann Evans", "Mary Ann Evans"),
            ("Associated Press", "Associated Press"),
        ] {
            assert_eq!(strip_affiliation(input, &none), want, "{input}");
        }
        // The page's own outlet, in its domain form.
        let outlets = crate::meta::outlet_keys(&["jsonline.com".to_string()]);
        assert_eq!(
            strip_affiliation("Jane Doe Milwaukee Journal Sentinel", &none),
            "Jane Doe Milwaukee Journal Sentinel"
        );
        assert_eq!(strip_affiliation("Jane Doe JSOnline", &outlets), "Jane Doe");
        let keys = crate::meta::outlet_keys(&["Milwaukee Journal Sentinel".to_string()]);
        assert_eq!(strip_affiliation("Jane Doe Milwaukee Journal Sentinel", &keys), "Jane Doe");
    }

    #[test]
    fn credentials_after_a_comma_are_not_names() {
        let m = clean_meta_authors(&["Rachael Link, MS, RD".to_string()], &[], &[]);
        assert_eq!(m.authors, ["Rachael Link"]);
        let m = clean_meta_authors(&["Jane Doe, Ph.D., and John Roe, MD".to_string()], &[], &[]);
        assert_eq!(m.authors, ["Jane Doe", "John Roe"]);
        let m = clean_meta_authors(&["Martin Luther King, Jr.".to_string()], &[], &[]);
        assert_eq!(m.authors, ["Martin Luther King Jr."]);
        let m = clean_meta_authors(&["Kevin Johnson and Kevin McCoy USA TODAY".to_string()], &[], &[]);
        assert_eq!(m.authors, ["Kevin Johnson", "Kevin McCoy"]);
        let outlets = vec!["floridatoday.com".to_string()];
        let m = clean_meta_authors(&["Elliot Brownstein Florida Today".to_string()], &outlets, &[]);
        assert_eq!(m.authors, ["Elliot Brownstein"]);
        // Names in a list are not credentials.
        let m = clean_meta_authors(&["Anna Li, Wei Wu, Jo Ma".to_string()], &[], &[]);
        assert_eq!(m.authors, ["Anna Li", "Wei Wu", "Jo Ma"]);
        assert_eq!(byline("By Rachael Link, MS, RD"), Some(vec!["Rachael Link".to_string()]));
    }

    #[test]
    fn bylines() {
        assert_eq!(byline("By Jane Doe"), Some(vec!["Jane Doe".to_string()]));
        assert_eq!(byline("By JANE DOE and John Roe"), Some(vec!["Jane Doe".into(), "John Roe".into()]));
        assert_eq!(byline("Von Anna Müller | 20. März 2021"), Some(vec!["Anna Müller".into()]));
        assert_eq!(
            byline("Reporting by Andrew Osborn; Editing by Alex Richardson"),
            Some(vec!["Andrew Osborn".into()])
        );
        assert_eq!(byline("By the way, the talks failed."), None);
        assert_eq!(byline("Jane Doe"), None);
        assert_eq!(byline("By Reuters"), None);
        assert_eq!(byline("By Tom Davies Associated Press"), Some(vec!["Tom Davies".to_string()]));
        assert_eq!(
            byline_credit("Additional reporting by Joseph Hudak"),
            Some((vec!["Joseph Hudak".to_string()], Credit::AdditionalReporting))
        );
        assert_eq!(byline_credit("Reporting by Andrew Osborn").map(|(_, c)| c), Some(Credit::Reporting));
        assert_eq!(byline_credit("By Jane Doe").map(|(_, c)| c), Some(Credit::Author));
    }

    #[test]
    fn bios() {
        assert_eq!(
            bio("Petro Burkovskyi works as Senior Fellow for the Democratic Initiatives Foundation in Kyiv, Ukraine.")
                .as_deref(),
            Some("Petro Burkovskyi")
        );
        assert_eq!(bio("Jane Doe is a freelance journalist based in Berlin.").as_deref(), Some("Jane Doe"));
        assert_eq!(bio("Hans Meier ist Journalist und lebt in Wien.").as_deref(), Some("Hans Meier"));
        assert_eq!(bio("Der Autor Hans Meier ist Politikwissenschaftler.").as_deref(), Some("Hans Meier"));
        assert_eq!(bio("Vladimir Putin is a former KGB officer."), None);
        assert_eq!(bio("Joe Biden was in Geneva last summer."), None);
        assert!(is_about_author("Der Autor ist Journalist in Berlin."));
    }

    #[test]
    fn editors_note() {
        let f = editors_note_facts(
            "Editor's note: Bradley Blankenship is a Prague-based American journalist, political analyst and freelance reporter. The article reflects the author's opinions and not necessarily the views of CGTN.",
        );
        assert_eq!(f.person.as_deref(), Some("Bradley Blankenship"));
        assert_eq!(f.outlet.as_deref(), Some("CGTN"));
        assert_eq!(editors_note_facts("Editor's note: This story was updated."), NoteFacts::default());
    }
}
