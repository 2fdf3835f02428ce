//! The words the stage recognises: speech verbs (cues) with their lemmas, pronouns, titles and
//! roles, function words. English, German, French and Russian; one table per kind, looked up
//! through [`Lexicon`], built once per process.

use presswatch_text::{HashMap, HashSet};
use std::sync::OnceLock;

/// Speech verbs, by lemma: every inflected form that introduces speech or a report of it.
/// `tell` takes an object before its content ("told reporters that ..."). English.
const CUES_EN: &[(&str, &[&str])] = &[
    ("say", &["say", "says", "said", "saying"]),
    ("tell", &["tell", "tells", "told", "telling"]),
    ("add", &["add", "adds", "added", "adding"]),
    ("warn", &["warn", "warns", "warned", "warning"]),
    ("state", &["states", "stated"]),
    ("claim", &["claim", "claims", "claimed", "claiming"]),
    ("note", &["notes", "noted", "noting"]),
    ("explain", &["explain", "explains", "explained", "explaining"]),
    ("insist", &["insist", "insists", "insisted", "insisting"]),
    ("argue", &["argue", "argues", "argued", "arguing"]),
    ("announce", &["announce", "announces", "announced"]),
    ("write", &["writes", "wrote"]),
    ("ask", &["asks", "asked"]),
    ("reply", &["replies", "replied"]),
    ("respond", &["responds", "responded"]),
    ("remark", &["remarks", "remarked"]),
    ("suggest", &["suggests", "suggested"]),
    ("declare", &["declares", "declared"]),
    ("acknowledge", &["acknowledges", "acknowledged"]),
    ("admit", &["admits", "admitted"]),
    ("stress", &["stresses", "stressed"]),
    ("emphasize", &["emphasizes", "emphasized", "emphasises", "emphasised"]),
    ("deny", &["denies", "denied"]),
    ("urge", &["urges", "urged"]),
    ("predict", &["predicts", "predicted"]),
    ("confirm", &["confirms", "confirmed"]),
    ("report", &["reports", "reported"]),
    ("tweet", &["tweets", "tweeted"]),
    ("vow", &["vows", "vowed"]),
    ("promise", &["promises", "promised"]),
    ("complain", &["complains", "complained"]),
    ("assert", &["asserts", "asserted"]),
    ("allege", &["alleges", "alleged"]),
    ("contend", &["contends", "contended"]),
    ("maintain", &["maintains", "maintained"]),
    ("believe", &["believes", "believed"]),
    ("recall", &["recalls", "recalled"]),
    ("continue", &["continued"]),
    ("conclude", &["concludes", "concluded"]),
    ("testify", &["testifies", "testified"]),
];

/// German speech verbs.
const CUES_DE: &[(&str, &[&str])] = &[
    ("sagen", &["sagt", "sagte", "sagten", "gesagt", "sagen"]),
    ("erklären", &["erklärt", "erklärte", "erklärten"]),
    ("betonen", &["betont", "betonte", "betonten"]),
    ("warnen", &["warnt", "warnte", "warnten", "gewarnt"]),
    ("meinen", &["meint", "meinte"]),
    ("hinzufügen", &["fügte", "hinzugefügt"]),
    ("ergänzen", &["ergänzt", "ergänzte"]),
    ("mitteilen", &["teilte", "mitgeteilt"]),
    ("behaupten", &["behauptet", "behauptete"]),
    ("kritisieren", &["kritisiert", "kritisierte"]),
    ("berichten", &["berichtet", "berichtete"]),
    ("unterstreichen", &["unterstrich"]),
    ("versichern", &["versichert", "versicherte"]),
    ("antworten", &["antwortet", "antwortete"]),
    ("schreiben", &["schreibt", "schrieb"]),
    ("fordern", &["fordert", "forderte"]),
    ("sprechen", &["sprach"]),
];

/// French speech verbs.
const CUES_FR: &[(&str, &[&str])] = &[
    ("dire", &["dit", "disait", "dira", "dis"]),
    ("déclarer", &["déclare", "déclaré", "déclarait"]),
    ("affirmer", &["affirme", "affirmé", "affirmait"]),
    ("ajouter", &["ajoute", "ajouté", "ajoutait", "ajoutant"]),
    ("estimer", &["estime", "estimé", "estimait"]),
    ("souligner", &["souligne", "souligné", "soulignant"]),
    ("expliquer", &["explique", "expliqué"]),
    ("avertir", &["averti", "avertit"]),
    ("prévenir", &["prévenu", "prévient"]),
    ("assurer", &["assure", "assuré"]),
    ("indiquer", &["indique", "indiqué"]),
    ("annoncer", &["annonce", "annoncé"]),
    ("répondre", &["répond", "répondu"]),
    ("préciser", &["précise", "précisé", "précisant"]),
    ("insister", &["insiste", "insisté"]),
    ("confier", &["confie", "confié"]),
    ("lancer", &["lance", "lancé"]),
    ("marteler", &["martèle", "martelé"]),
];

/// Russian speech verbs.
const CUES_RU: &[(&str, &[&str])] = &[
    ("сказать", &["сказал", "сказала", "сказали"]),
    ("заявить", &["заявил", "заявила", "заявили", "заявляет", "заявлял"]),
    ("отметить", &["отметил", "отметила", "отметили", "отмечает"]),
    ("добавить", &["добавил", "добавила", "добавили"]),
    ("подчеркнуть", &["подчеркнул", "подчеркнула", "подчеркнули"]),
    ("предупредить", &["предупредил", "предупредила", "предупредили"]),
    ("сообщить", &["сообщил", "сообщила", "сообщили"]),
    ("пояснить", &["пояснил", "пояснила"]),
    ("считать", &["считает", "считают"]),
    ("говорить", &["говорит", "говорил", "говорила"]),
    ("утверждать", &["утверждает", "утверждал", "утверждала"]),
    ("написать", &["написал", "написала"]),
    ("признать", &["признал", "признала"]),
];

/// Cues that report content only with a complementizer after them ("believes that"): alone
/// they are not speech.
const NEEDS_COMPLEMENTIZER: &[&str] = &["believe", "continue", "recall", "report", "sprechen", "dire"];

/// Words that open a reported clause after a cue.
const COMPLEMENTIZERS: &[&str] = &["that", "dass", "daß", "que", "qu", "что", "чтобы"];

/// Subject pronouns, with whether they are plural.
const PRONOUNS: &[(&str, bool)] = &[
    ("he", false),
    ("she", false),
    ("they", true),
    ("we", true),
    ("er", false),
    ("sie", false),
    ("il", false),
    ("elle", false),
    ("ils", true),
    ("elles", true),
    ("он", false),
    ("она", false),
    ("они", true),
];

/// Titles, roles and descriptors that stand before a name and are not part of it ("Secretary
/// of State Antony Blinken"), lowercase.
const TITLES: &[&str] = &[
    "president",
    "vice",
    "prime",
    "minister",
    "secretary",
    "foreign",
    "defence",
    "defense",
    "deputy",
    "state",
    "chancellor",
    "senator",
    "sen",
    "rep",
    "representative",
    "governor",
    "gov",
    "mayor",
    "general",
    "gen",
    "ambassador",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chief",
    "head",
    "leader",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "professor",
    "king",
    "queen",
    "prince",
    "pope",
    "judge",
    "justice",
    "director",
    "chairman",
    "chairwoman",
    "ceo",
    "commissioner",
    "envoy",
    "adviser",
    "advisor",
    "officer",
    "commander",
    "colonel",
    "lieutenant",
    "former",
    "senior",
    "us",
    "u.s",
    "eu",
    "un",
    "nato",
    "uk",
    "interior",
    "finance",
    "economy",
    "health",
    "affairs",
    "security",
    "national",
    "speaker",
    "house",
    "white",
    "press",
    "lawmaker",
    "congressman",
    "congresswoman",
    "sir",
    "lord",
    "lady",
    "russian",
    "ukrainian",
    "american",
    "british",
    "german",
    "french",
    "chinese",
    "european",
    "italian",
    "polish",
    "israeli",
    "iranian",
    "turkish",
    "japanese",
    "indian",
    "canadian",
    "australian",
    "belarusian",
    "estonian",
    "latvian",
    "lithuanian",
    "georgian",
    "spanish",
    "swedish",
    "finnish",
    "dutch",
    "hungarian",
    "syrian",
    "palestinian",
    "saudi",
    "korean",
    "kremlin",
    "herr",
    "frau",
    "bundeskanzler",
    "kanzler",
    "kanzlerin",
    "präsident",
    "präsidentin",
    "bundespräsident",
    "ministerin",
    "sprecher",
    "sprecherin",
    "chef",
    "chefin",
    "botschafter",
    "m",
    "mme",
    "monsieur",
    "madame",
    "président",
    "présidente",
    "ministre",
    "premier",
    "secrétaire",
    "porte-parole",
    "général",
    "ambassadeur",
    "chancelier",
    "chancelière",
    "президент",
    "министр",
    "глава",
    "премьер",
    "премьер-министр",
    "пресс-секретарь",
    "представитель",
    "посол",
    "канцлер",
    "госсекретарь",
    "заместитель",
    "генсек",
    "директор",
    "спикер",
];

/// Word endings that make a German compound a title ("Außenministerin", "Regierungssprecher").
const TITLE_ENDINGS: &[&str] =
    &["minister", "ministerin", "präsident", "präsidentin", "sprecher", "sprecherin", "kanzler", "kanzlerin"];

/// Nouns that name a speaker by role ("the minister said", "officials said"), lowercase; a
/// definite one refers back to a named person with that title.
const ROLES: &[&str] = &[
    "official",
    "officials",
    "minister",
    "president",
    "secretary",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "diplomat",
    "diplomats",
    "ambassador",
    "chancellor",
    "senator",
    "governor",
    "mayor",
    "general",
    "envoy",
    "adviser",
    "advisor",
    "analyst",
    "analysts",
    "expert",
    "experts",
    "source",
    "sources",
    "statement",
    "leader",
    "leaders",
    "lawmaker",
    "lawmakers",
    "ministry",
    "kremlin",
    "government",
    "embassy",
    "police",
    "prosecutors",
    "prosecutor",
    "witnesses",
    "witness",
    "residents",
    "chief",
    "executive",
    "director",
    "commander",
    "premier",
    "chairman",
    "ceo",
    "company",
    "minister",
    "ministerin",
    "sprecher",
    "sprecherin",
    "kanzler",
    "kanzlerin",
    "regierung",
    "ministre",
    "président",
    "porte-parole",
    "gouvernement",
    "министр",
    "президент",
    "представитель",
    "пресс-секретарь",
    "глава",
    "посол",
];

/// Determiners that open a noun phrase; the definite ones are marked.
const DETERMINERS: &[(&str, bool)] = &[
    ("the", true),
    ("a", false),
    ("an", false),
    ("this", true),
    ("that", true),
    ("der", true),
    ("die", true),
    ("das", true),
    ("ein", false),
    ("eine", false),
    ("le", true),
    ("la", true),
    ("les", true),
    ("un", false),
    ("une", false),
    ("l", true),
];

/// Words between a subject and its cue that belong to neither ("Putin has repeatedly warned",
/// "Macron a déclaré", "Blinken also said").
const AUXILIARIES: &[&str] = &[
    "has",
    "have",
    "had",
    "is",
    "was",
    "were",
    "are",
    "also",
    "repeatedly",
    "again",
    "later",
    "earlier",
    "then",
    "previously",
    "only",
    "just",
    "once",
    "never",
    "reportedly",
    "publicly",
    "flatly",
    "bluntly",
    "recently",
    "often",
    "firmly",
    "hat",
    "hatte",
    "haben",
    "habe",
    "auch",
    "a",
    "avait",
    "ont",
    "aussi",
    "также",
    "уже",
    "ранее",
    "не",
    "will",
    "would",
    "could",
    "may",
    "might",
];

/// Capitalized words that never start or continue a name: sentence-initial function words,
/// months and days, and words of organisations and places that look like names.
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "but",
    "and",
    "or",
    "however",
    "meanwhile",
    "after",
    "before",
    "as",
    "if",
    "when",
    "while",
    "though",
    "although",
    "because",
    "so",
    "yet",
    "still",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "his",
    "her",
    "their",
    "our",
    "there",
    "here",
    "with",
    "without",
    "for",
    "from",
    "by",
    "to",
    "of",
    "asked",
    "despite",
    "instead",
    "nonetheless",
    "officials",
    "according",
    "during",
    "since",
    "also",
    "such",
    "some",
    "many",
    "most",
    "all",
    "both",
    "neither",
    "another",
    "other",
    "what",
    "who",
    "why",
    "how",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "der",
    "die",
    "das",
    "ein",
    "eine",
    "und",
    "aber",
    "auch",
    "doch",
    "er",
    "sie",
    "es",
    "wir",
    "laut",
    "nach",
    "le",
    "la",
    "les",
    "un",
    "une",
    "et",
    "mais",
    "il",
    "elle",
    "ils",
    "selon",
    "pour",
    "dans",
    "в",
    "на",
    "но",
    "и",
    "он",
    "она",
    "они",
    "по",
    "как",
    "это",
];

/// Words of organisations and places: a name run holding one is no person.
const NOT_PERSON: &[&str] = &[
    "house",
    "department",
    "ministry",
    "union",
    "council",
    "party",
    "news",
    "times",
    "post",
    "kingdom",
    "states",
    "nations",
    "office",
    "forces",
    "army",
    "bank",
    "agency",
    "service",
    "committee",
    "commission",
    "parliament",
    "court",
    "government",
    "university",
    "institute",
    "foundation",
    "russia",
    "ukraine",
    "europe",
    "america",
    "germany",
    "france",
    "britain",
    "china",
    "moscow",
    "kyiv",
    "kiev",
    "washington",
    "berlin",
    "paris",
    "london",
    "brussels",
    "geneva",
    "vienna",
    "kremlin",
    "pentagon",
    "senate",
    "congress",
    "nato",
    "war",
    "cold",
    "world",
    "east",
    "west",
    "north",
    "south",
    "eastern",
    "western",
    "central",
    "soviet",
    "republic",
    "federation",
    "stream",
    "tass",
    "abc",
    "nbc",
    "cnn",
    "bbc",
    "reuters",
    "week",
    "initiative",
    "initiatives",
    "democratic",
    "republican",
    "people",
    "servant",
    "group",
    "summit",
    "talks",
    "stability",
    "strategic",
    "россии",
    "украины",
    "сша",
    "кремль",
    "кремля",
    "москва",
    "москвы",
    "deutschland",
    "frankreich",
    "russland",
    "ukraine",
    "europa",
    "bundestag",
    "bundesregierung",
    "élysée",
    "matignon",
];

/// How a cue is used.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cue {
    /// Its lemma.
    pub(crate) lemma: &'static str,
    /// Takes an object before its content ("told reporters").
    pub(crate) tell: bool,
    /// Reports content only with a complementizer after it.
    pub(crate) needs_complementizer: bool,
    /// Its content may follow a bare comma ("sagte, die Lage sei ernst"), as in German and
    /// Russian, not in English or French.
    pub(crate) comma_clause: bool,
}

/// Every word list, as sets for fast lookups.
pub(crate) struct Lexicon {
    cues: HashMap<&'static str, Cue>,
    complementizers: HashSet<&'static str>,
    pronouns: HashMap<&'static str, bool>,
    titles: HashSet<&'static str>,
    roles: HashSet<&'static str>,
    determiners: HashMap<&'static str, bool>,
    auxiliaries: HashSet<&'static str>,
    not_names: HashSet<&'static str>,
    not_person: HashSet<&'static str>,
}

impl Lexicon {
    /// The lexicon, built on first use.
    pub(crate) fn get() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(Lexicon::build)
    }

    fn build() -> Lexicon {
        let mut cues = HashMap::default();
        for (table, comma_clause) in [(CUES_EN, false), (CUES_DE, true), (CUES_FR, false), (CUES_RU, true)] {
            for &(lemma, forms) in table {
                for &form in forms {
                    let cue = Cue {
                        lemma,
                        tell: lemma == "tell",
                        needs_complementizer: NEEDS_COMPLEMENTIZER.contains(&lemma),
                        comma_clause,
                    };
                    cues.insert(form, cue);
                }
            }
        }
        Lexicon {
            cues,
            complementizers: COMPLEMENTIZERS.iter().copied().collect(),
            pronouns: PRONOUNS.iter().copied().collect(),
            titles: TITLES.iter().copied().collect(),
            roles: ROLES.iter().copied().collect(),
            determiners: DETERMINERS.iter().copied().collect(),
            auxiliaries: AUXILIARIES.iter().copied().collect(),
            not_names: NOT_NAMES.iter().copied().collect(),
            not_person: NOT_PERSON.iter().copied().collect(),
        }
    }

    /// The cue `lower` (a lowercase word) is a form of.
    pub(crate) fn cue(&self, lower: &str) -> Option<Cue> {
        self.cues.get(lower).copied()
    }

    pub(crate) fn is_complementizer(&self, lower: &str) -> bool {
        self.complementizers.contains(lower)
    }

    /// `Some(plural)` for a subject pronoun.
    pub(crate) fn pronoun(&self, lower: &str) -> Option<bool> {
        self.pronouns.get(lower).copied()
    }

    pub(crate) fn is_title(&self, lower: &str) -> bool {
        self.titles.contains(lower)
            || TITLE_ENDINGS.iter().any(|e| lower.len() > e.len() && lower.ends_with(e))
    }

    pub(crate) fn is_role(&self, lower: &str) -> bool {
        self.roles.contains(lower)
    }

    /// `Some(definite)` for a determiner.
    pub(crate) fn determiner(&self, lower: &str) -> Option<bool> {
        self.determiners.get(lower).copied()
    }

    pub(crate) fn is_auxiliary(&self, lower: &str) -> bool {
        self.auxiliaries.contains(lower) || (lower.len() > 4 && lower.ends_with("ly") && lower.is_ascii())
    }

    pub(crate) fn is_not_name(&self, lower: &str) -> bool {
        self.not_names.contains(lower)
    }

    pub(crate) fn is_not_person(&self, lower: &str) -> bool {
        self.not_person.contains(lower)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_lowercase_and_forms_unique() {
        let mut seen = HashSet::default();
        for &(_, forms) in CUES_EN.iter().chain(CUES_DE).chain(CUES_FR).chain(CUES_RU) {
            for f in forms {
                assert_eq!(f.to_lowercase(), *f);
                assert!(seen.insert(*f), "{f} is listed twice");
            }
        }
        for list in [TITLES, ROLES, AUXILIARIES, NOT_NAMES, NOT_PERSON] {
            for w in list {
                assert_eq!(w.to_lowercase(), *w);
            }
        }
    }
}
