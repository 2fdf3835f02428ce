//! Phrase lists per removal reason, in several languages, compiled once into regexes.
//!
//! Two tiers per reason: `exact` patterns must match a block's whole [`key`](crate::text::key)
//! (the block *is* "Leave a Reply"), and `contains` patterns may match anywhere in a *short*
//! block (a long paragraph that merely mentions cookies is not a cookie notice). Long blocks are
//! never matched, which also keeps matching cheap.

#[cfg(test)]
use crate::text::key;
use crate::text::match_text;
use presswatch_model::Reason;
use presswatch_text::ends_sentence;
#[cfg(test)]
use presswatch_text::word_count;
use regex::Regex;
use std::sync::OnceLock;

/// Blocks longer than this (in chars) are article text, whatever they mention.
pub(crate) const MAX_PHRASE_BLOCK_CHARS: usize = 400;

fn compile(pattern: &str) -> Option<Regex> {
    match Regex::new(pattern) {
        Ok(r) => Some(r),
        Err(e) => {
            tracing::error!(%e, "phrase pattern does not compile");
            None
        }
    }
}

/// `^(?:alternatives)$` over a key.
fn exact(alternatives: &str) -> Option<Regex> {
    compile(&format!(r"^(?:{alternatives})$"))
}

/// [`exact`], also allowing a count before or after ("12 Comments", "Comments (3)", "Share 41"):
/// only for widgets that show counts. Elsewhere a number changes the meaning ("Top 5" is a
/// table heading, not "back to top").
fn exact_counted(alternatives: &str) -> Option<Regex> {
    compile(&format!(r"^(?:\d+\s+)?(?:{alternatives})(?:\s*[(\[]?\d+[)\]]?)?$"))
}

struct Rule {
    reason: Reason,
    exact: Option<Regex>,
    contains: Option<Regex>,
    /// `contains` applies only to blocks up to this many chars.
    contains_max: usize,
}

pub(crate) struct Matchers {
    rules: Vec<Rule>,
    editors_note: Option<Regex>,
    disclaimer: Option<Regex>,
    related_heading: Option<Regex>,
    related_prefix: Option<Regex>,
    read_more: Option<Regex>,
    comment_heading: Option<Regex>,
    photo_credit: Option<Regex>,
    latest_news: Option<Regex>,
    reading_time: Option<Regex>,
}

const RELATED: &str = r"similar (?:news|articles|stories|posts)|related(?: articles?| posts?| stories| news| content| coverage| topics?| reading| links| videos?)?|more (?:stories|news|articles|headlines|on this (?:topic|story)|like this)|you (?:may|might) also (?:like|be interested in|enjoy)|recommended(?: for you| stories| articles| reading)?|see also|also read|read also|further reading|most (?:read|popular|viewed|shared)|trending(?: now| stories)?|top stories|editor's picks|don't miss|mehr zum thema|mehr aus (?:dem|der) (?:ressort|rubrik)|das könnte sie auch interessieren|auch interessant|ähnliche (?:artikel|beiträge|themen|nachrichten)|verwandte (?:artikel|themen|beiträge)|lesen sie (?:auch|mehr)|meistgelesen|empfehlungen|lire aussi|à lire aussi|a lire aussi|à lire également|sur le même sujet|voir aussi|les plus lus|articles? similaires|dans la même rubrique|te puede interesar|noticias relacionadas|lee también|lea también|art[ií]culos relacionados|leggi anche|articoli correlati|potrebbe interessarti|czytaj (?:także|też|również)|zobacz (?:także|też|również)|podobne artykuły|polecane|читайте также|смотрите также|по теме|похожие (?:новости|статьи)|другие новости|рекомендуем";

const READ_MORE: &str = r"read more|read the (?:full )?(?:story|article)|continue reading|full story|more|weiterlesen|mehr lesen|mehr dazu|mehr|lire la suite|lire plus|en savoir plus|leer más|seguir leyendo|leggi (?:tutto|di più|l'articolo)|continua a leggere|czytaj (?:więcej|dalej)|więcej|читать (?:далее|дальше|полностью)|подробнее";

const COMMENT_HEADINGS: &str = r"leave a (?:reply|comment)|post a comment|add (?:a )?comment|write a comment|comments?|no comments?(?: yet)?|(?:show|view|load|read) (?:all )?comments|join the (?:discussion|conversation)|kommentare?(?: schreiben| verfassen| anzeigen)?|kommentar schreiben|leserkommentare|laisser un commentaire|commentaires?|deja (?:un|tu) comentario|comentarios?|lascia un commento|commenti|commento|komentarze?|dodaj komentarz|skomentuj|комментарии|комментариев|комментарий|оставить комментарий|добавить комментарий";

fn matchers_build() -> Matchers {
    let rules = vec![
        Rule {
            reason: Reason::Advertisement,
            exact: exact(
                r"advert\w*|ads?|ad feature|sponsored(?: content| post| links?| by [\p{L}\d .&'-]{1,40})?|paid (?:content|post|partnership)|promoted(?: content)?|anzeigen?|werbung|publicit[eé]|publicidad|pubblicit[aà]|reklama|реклама|annonce|scroll to continue(?: with content)?|continue reading (?:the main story|below)|(?:story|article) continues (?:below|after) (?:this )?advert\w*",
            ),
            contains: compile(r"\badverti[sz]e?m[ae]?n?t\b"),
            contains_max: 80,
        },
        Rule {
            reason: Reason::BackToTop,
            exact: exact(
                r"(?:back|go|scroll|return|jump) to (?:the )?top(?: button| of (?:the )?page)?|to top|top|nach oben|zur[uü]ck nach oben|seitenanfang|retour en haut(?: de (?:la )?page)?|haut de (?:la )?page|volver arriba|ir arriba|torna (?:su|in alto|all'inizio)|do g[oó]ry|na g[oó]r[eę]|powr[oó]t na g[oó]r[eę]|наверх|вверх",
            ),
            contains: None,
            contains_max: 0,
        },
        Rule {
            reason: Reason::CommentWidget,
            exact: exact_counted(&format!(
                r"{COMMENT_HEADINGS}|(?:cancel|post|submit) (?:reply|comment)|reply|jetzt kommentieren|r[eé]agir|commenter"
            )),
            contains: compile(
                r"your email address will not be published|you must be (?:logged in|registered) to post a comment|comments are closed|required fields are marked|ihre e-mail-adresse wird nicht veröffentlicht|kommentarfunktion (?:ist )?(?:deaktiviert|geschlossen)|votre adresse (?:e-mail|de messagerie|email) ne sera pas publiée|tu dirección de correo electrónico no será publicada|il tuo indirizzo email non sarà pubblicato|twój adres e-mail nie zostanie opublikowany|ваш адрес email не будет опубликован",
            ),
            contains_max: 300,
        },
        Rule {
            reason: Reason::RelatedLinks,
            exact: exact(&format!("{RELATED}|{READ_MORE}")),
            contains: None,
            contains_max: 0,
        },
        Rule {
            reason: Reason::Newsletter,
            exact: exact(
                r"newsletters?|(?:subscribe|sign up|register)(?: now| today| here| for free)?|subscribe to (?:our|the) newsletter|sign up for (?:our|the) newsletter|newsletter (?:abonnieren|bestellen|anmelden|abonnement)|jetzt (?:abonnieren|anmelden)|abonnieren|zum newsletter anmelden|s'inscrire|inscrivez-vous|abonnez-vous|suscr[ií]bete|suscribirse|iscriviti|zapisz się|subskrybuj|подписаться|подпишитесь",
            ),
            contains: compile(
                r"\b(?:our|unseren?|notre|nos|nuestro|nuestra|la nostra|nasz\w*|нашу|наш)\s+(?:\w+\s+){0,2}newsletters?\b|\b(?:subscribe|sign up|sign-up|register|abonnieren|anmelden|bestellen|inscri\w*|abonne\w*|suscr\w*|iscriv\w*|zapisz|zapisać|подпи\w*)\b[^.]{0,40}\bnewsletters?\b|\bnewsletters?\b[^.]{0,40}\b(?:subscribe|sign up|abonnieren|anmelden|bestellen|inscri\w*|abonne\w*|suscr\w*|iscriv\w*|zapisz|подпи\w*)\b|(?:straight|delivered|directly) (?:to|into) your inbox|in ihr (?:e-mail-)?postfach",
            ),
            contains_max: 300,
        },
        Rule {
            reason: Reason::CookieNotice,
            exact: exact(
                r"datenschutz(?:erklärung|hinweise?|einstellungen|bestimmungen)?|cookie[- ]?(?:einstellungen|settings|policy|richtlinie|richtlinien|preferences|banner|hinweis|consent)|cookies?|privacy(?: policy| settings| notice| center| & cookies| and cookies)?|(?:accept|reject|manage) (?:all )?cookies|alle akzeptieren|politique de confidentialit[ée]|param[eè]tres des cookies|gestion des cookies|pol[ií]tica de (?:privacidad|cookies)|configuraci[oó]n de cookies|informativa (?:sulla )?privacy|polityka prywatno[sś]ci|polityka cookies|ustawienia cookies|политика конфиденциальности",
            ),
            contains: compile(
                r"\bwe use cookies\b|\b(?:this|our) (?:web)?site uses cookies\b|\buses cookies to\b|\buse of cookies\b|\baccept (?:all )?cookies\b|\bcookie (?:policy|settings)\b|datenschutzbestimmungen|datenschutzerklärung|erklären sie sich (?:damit )?einverstanden|\b(?:verwenden|verwendet|nutzen|nutzt|setzen|setzt) (?:\w+ )?cookies\b|nous utilisons des cookies|utilise des cookies|utilizamos cookies|utiliza cookies|utilizziamo (?:i )?cookie|używamy (?:plików )?cookies?|(?:используем|использует) (?:файлы )?cookie|agree to (?:our|the) (?:privacy policy|terms|use of cookies)|read our privacy policy",
            ),
            contains_max: 350,
        },
        Rule {
            reason: Reason::DonationAppeal,
            exact: exact(
                r"donate(?: now| today| here)?|(?:jetzt )?spenden|faire un don|donar|dona ora|wesprzyj(?: nas)?|пожертвовать|support us|support our (?:work|journalism)|unterstützen sie uns|soutenez-nous|apóyanos|sostienici|поддержите нас",
            ),
            contains: compile(
                r"donation tool|mak(?:e|ing) a (?:donation|contribution)|(?:journalism|reporting|newsroom) needs your support|donate (?:now|today)|donations? (?:are|is) tax[- ]deductible|tax[- ]deductible|donation receipt|(?:you can|please|help us) support (?:us|our|the independent|independent)|support (?:our|independent) journalism|become a (?:supporter|patron)\b|jetzt spenden|spendenkonto|spendenquittung|spendenbescheinigung|steuerlich absetzbar|unterstützen sie (?:uns|unsere arbeit|unabhängigen journalismus)|faire un don|soutenez (?:-nous|notre|le journalisme)|haz una donación|hacer una donación|apoya (?:nuestro|el periodismo)|fai una donazione|sostieni (?:il nostro|l'informazione)|wesprzyj (?:nas|nasz)|przekaż darowiznę|поддержите (?:нас|наш)|сдела(?:ть|йте) пожертвование",
            ),
            contains_max: MAX_PHRASE_BLOCK_CHARS,
        },
        Rule {
            reason: Reason::ShareWidget,
            exact: exact_counted(
                r"share(?: (?:this|on|via|the|article|story|page|post|it|with|your|friends)){0,4}(?: (?:facebook|twitter|x|linkedin|whatsapp|telegram|e-?mail|reddit))?|tweet(?: this)?|teilen|(?:auf|per|via) (?:facebook|twitter|whatsapp|e-mail) teilen|artikel teilen|partager(?: sur (?:facebook|twitter))?|compartir(?: en (?:facebook|twitter))?|condividi|udostępnij|поделиться|follow us(?: on (?:facebook|twitter|x|instagram|telegram|linkedin))?|folgen sie uns|suivez-nous|síguenos|seguici|obserwuj nas|подписывайтесь",
            ),
            contains: None,
            contains_max: 0,
        },
        Rule {
            reason: Reason::Navigation,
            exact: exact(
                r"home|homepage|startseite|accueil|inicio|portada|главная|strona główna|menu|menü|main menu|navigation|skip to (?:main )?content|skip navigation|zum inhalt springen|aller au contenu|search|suche|rechercher|buscar|cerca|szukaj|поиск|log ?in|sign in|log ?out|einloggen|connexion|se connecter|iniciar sesión|accedi|zaloguj(?: się)?|войти|impressum|agb|kontakt|contact(?: us)?|about us|über uns|à propos|mentions l[eé]gales|aviso legal|terms (?:of (?:use|service)|and conditions)|nutzungsbedingungen|sitemap|rss|all rights reserved",
            ),
            contains: compile(
                r"^(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\))?\s*\d{4})|all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|tutti i diritti riservati|wszelkie prawa zastrzeżone|все права защищены|^(?:home|startseite|accueil|inicio|главная|strona główna)\s*(?:[>›»/|→])",
            ),
            contains_max: 200,
        },
        Rule {
            reason: Reason::Boilerplate,
            exact: None,
            contains: compile(
                r"if you (?:want|would like|wish) to contribute|(?:want|would like) to write for us|\bwrite for us\b|\bpitch us\b|send us your (?:story|stories|tips?|letters?)|contact us at \S+@\S+|(?:möchten|wollen) sie (?:einen )?(?:gastbeitrag|beitrag) (?:schreiben|einreichen|veröffentlichen)|vous souhaitez contribuer|si quieres colaborar|vuoi collaborare",
            ),
            contains_max: 300,
        },
    ];
    Matchers {
        rules,
        editors_note: compile(
            r"^\s*[(\[]?\s*(?:editor'?s'? note|editors' note|note from the editor|note to (?:our )?readers|anm\.?\s?d\.?\s?red\.?|anmerkung der redaktion|hinweis der redaktion|note de la r[ée]daction|n\.\s?d\.\s?l\.\s?r\.?|ndlr|nota del editor|nota de la redacci[oó]n|nota della redazione|nota dell'editore|od redakcji|notka redakcyjna|от редакции|примечание редакции)\s*[:.\-–—)\]]",
        ),
        disclaimer: compile(
            r"(?:reflects?|represents?) (?:only )?the (?:author's|authors'|writer's|author's own|writer's own) (?:own )?(?:opinions?|views?)|do(?:es)? not necessarily (?:reflect|represent) the (?:views?|opinions?|position|policy)|the views expressed (?:in this (?:article|piece) )?are (?:those of the author|the author's own|solely)|gibt (?:ausschließlich )?die meinung de[sr] (?:autors|autorin|verfassers) wieder|n'engage(?:nt)? que (?:son|leur|ses) auteur|no refleja(?:n)? necesariamente|non riflett(?:e|ono) necessariamente|nie musi odzwierciedlać|не обязательно отражает|может не совпадать с (?:мнением|позицией) редакции",
        ),
        related_heading: exact(RELATED),
        related_prefix: compile(&format!(r"^(?:{RELATED}|{READ_MORE})\s*[:»›>|–—]")),
        read_more: exact(READ_MORE),
        comment_heading: exact_counted(COMMENT_HEADINGS),
        photo_credit: compile(
            r"^(?:photo|photos|photograph|foto|fotos|image|images|picture|pic|bild|bilder|credit|photo credit|bildquelle|crédit photo|crédits? photo|crédit|фото|zdjęcie|fot\.?)\s*:\s*\S",
        ),
        latest_news: compile(
            r"\b(?:latest|top|breaking) (?:news|stories|headlines)\b|\bheadlines\b|\bschlagzeilen\b|\bnachrichten aus\b",
        ),
        reading_time: compile(
            r"^(?:\d+\s*(?:min(?:ute)?s?|minuten|min\.?)\s*(?:read|lesezeit|de lecture|lectura|lettura|czytania|чтения)|(?:reading time|read time|lesezeit|lesedauer|temps de lecture|tiempo de lectura|tempo di lettura|czas czytania|время чтения)\s*:?\s*\d+\s*\p{L}*\.?)$",
        ),
    }
}

/// The compiled matchers, built on first use (immutable afterwards).
pub(crate) fn matchers() -> &'static Matchers {
    static M: OnceLock<Matchers> = OnceLock::new();
    M.get_or_init(matchers_build)
}

fn is(re: &Option<Regex>, s: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(s))
}

/// One block's text in the forms the matchers read, computed once per block.
pub(crate) struct Texts<'a> {
    /// Whitespace-collapsed text as shown.
    pub text: &'a str,
    /// [`key`] of `text`.
    pub key: &'a str,
    /// [`match_text`] of `text`: only computed for blocks short enough to be matched at all.
    pub lc: Option<&'a str>,
    pub chars: usize,
    pub words: usize,
}

/// Owned [`Texts`] of a string, for tests.
#[cfg(test)]
pub(crate) struct Owned {
    text: String,
    key: String,
    lc: String,
}

#[cfg(test)]
impl Owned {
    pub(crate) fn new(text: &str) -> Owned {
        Owned { text: text.to_string(), key: key(text), lc: match_text(text) }
    }

    pub(crate) fn texts(&self) -> Texts<'_> {
        let chars = self.text.chars().count();
        Texts {
            text: &self.text,
            key: &self.key,
            lc: (chars <= MAX_PHRASE_BLOCK_CHARS).then_some(self.lc.as_str()),
            chars,
            words: word_count(&self.text),
        }
    }
}

impl Matchers {
    /// The removal reason a short block's wording shows, if any.
    #[cfg(test)]
    pub(crate) fn classify(&self, text: &str, link_density: f32) -> Option<Reason> {
        let k = key(text);
        let lc = match_text(text);
        let t = Texts { text, key: &k, lc: Some(&lc), chars: text.chars().count(), words: word_count(text) };
        self.classify_texts(&t).or_else(|| self.is_link_list(&t, link_density).then_some(Reason::Navigation))
    }

    /// The removal reason a short block's wording shows, if any (the link-density rule is
    /// [`Matchers::is_link_list`], which needs the block's neighbours).
    pub(crate) fn classify_texts(&self, t: &Texts) -> Option<Reason> {
        if t.chars > MAX_PHRASE_BLOCK_CHARS {
            return None;
        }
        let lc = t.lc?;
        for rule in &self.rules {
            if is(&rule.exact, t.key) {
                return Some(rule.reason);
            }
        }
        if self.is_related_prefixed(t) {
            return Some(Reason::RelatedLinks);
        }
        for rule in &self.rules {
            if t.chars <= rule.contains_max && is(&rule.contains, lc) {
                return Some(rule.reason);
            }
        }
        if self.is_share_widget(t.key) {
            return Some(Reason::ShareWidget);
        }
        // Section link lists: "Australia Latest News, Australia Headlines".
        if t.words <= 10 && !ends_sentence(t.text) && is(&self.latest_news, lc) {
            return Some(Reason::Navigation);
        }
        None
    }

    /// Almost all link text and short: a menu entry or link list. A visible URL is not (menus
    /// show words, not addresses: a URL in the text is a source or reference the author gave).
    pub(crate) fn is_link_list(&self, t: &Texts, link_density: f32) -> bool {
        link_density >= 0.8
            && t.words <= 15
            && !t.text.split_whitespace().any(|w| {
                let w = w.trim_start_matches(|c: char| !c.is_alphanumeric());
                w.starts_with("http://") || w.starts_with("https://") || w.starts_with("www.")
            })
    }

    /// "Editor's note: …" and opinion disclaimers.
    pub(crate) fn is_editors_note(&self, t: &Texts) -> bool {
        // The label opens the note: its first few words are enough.
        let head: String = t.text.chars().take(60).collect();
        is(&self.editors_note, &match_text(&head)) || t.lc.is_some_and(|lc| is(&self.disclaimer, lc))
    }

    /// A heading that introduces a list of teasers ("Similar News", "Lire aussi").
    pub(crate) fn is_related_heading(&self, t: &Texts) -> bool {
        is(&self.related_heading, t.key) || self.is_related_prefixed(t)
    }

    /// "Similar News: …", "READ MORE: headline" — a short block opened by a related-links label.
    fn is_related_prefixed(&self, t: &Texts) -> bool {
        t.chars <= 250 && t.lc.is_some_and(|lc| is(&self.related_prefix, lc.trim_start()))
    }

    /// "Read more »" and its translations: the marker after a teaser.
    pub(crate) fn is_read_more(&self, t: &Texts) -> bool {
        t.chars <= 40 && is(&self.read_more, t.key)
    }

    /// A heading that opens a comment section.
    pub(crate) fn is_comment_heading(&self, t: &Texts) -> bool {
        t.chars <= 60 && is(&self.comment_heading, t.key)
    }

    /// "Photo: White House / Imago Images": a credit line, kept as a caption.
    pub(crate) fn is_photo_credit(&self, t: &Texts) -> bool {
        t.chars <= 150 && t.lc.is_some_and(|lc| is(&self.photo_credit, lc))
    }

    /// "5 min read", "Lesezeit: 3 Min.".
    pub(crate) fn is_reading_time(&self, t: &Texts) -> bool {
        t.chars <= 40 && is(&self.reading_time, t.key)
    }

    /// A block made only of share verbs and network names ("Facebook Twitter WhatsApp E-Mail").
    fn is_share_widget(&self, k: &str) -> bool {
        const CORE: &[&str] = &[
            "share",
            "shares",
            "tweet",
            "facebook",
            "twitter",
            "linkedin",
            "whatsapp",
            "telegram",
            "pinterest",
            "reddit",
            "xing",
            "flipboard",
            "vk",
            "vkontakte",
            "odnoklassniki",
            "messenger",
            "teilen",
            "partager",
            "compartir",
            "condividi",
            "udostępnij",
            "поделиться",
            "threads",
            "bluesky",
            "mastodon",
        ];
        const EXTRA: &[&str] = &[
            "email", "e", "mail", "print", "drucken", "imprimer", "imprimir", "stampa", "drukuj", "copy",
            "link", "copied", "this", "article", "story", "on", "via", "per", "auf", "sur", "en", "su", "na",
            "w", "в", "the", "to", "with", "x", "ok", "pocket", "sms", "artikel", "seite", "page", "url",
        ];
        let words: Vec<&str> = k.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        if words.is_empty() || words.len() > 12 {
            return false;
        }
        let mut core = 0;
        for w in &words {
            if CORE.contains(w) {
                core += 1;
            } else if !(EXTRA.contains(w) || w.chars().all(|c| c.is_ascii_digit())) {
                return false;
            }
        }
        core >= 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_patterns_compile() {
        let m = matchers();
        for r in &m.rules {
            assert!(r.exact.is_some() || r.contains.is_some(), "{:?}", r.reason);
            if r.contains_max > 0 {
                assert!(r.contains.is_some(), "{:?}", r.reason);
            }
        }
        for re in [
            &m.editors_note,
            &m.disclaimer,
            &m.related_heading,
            &m.related_prefix,
            &m.read_more,
            &m.comment_heading,
            &m.photo_credit,
            &m.latest_news,
            &m.reading_time,
        ] {
            assert!(re.is_some());
        }
    }

    #[test]
    fn short_blocks_are_classified() {
        let m = matchers();
        let cases = [
            ("ADVERTISEMENT", Reason::Advertisement),
            ("ADVERTISMENT", Reason::Advertisement),
            ("Advertisment", Reason::Advertisement),
            ("Anzeige", Reason::Advertisement),
            ("Publicité", Reason::Advertisement),
            ("Реклама", Reason::Advertisement),
            ("Sponsored", Reason::Advertisement),
            ("Back to top", Reason::BackToTop),
            ("Back to top button", Reason::BackToTop),
            ("Nach oben", Reason::BackToTop),
            ("Share on Facebook", Reason::ShareWidget),
            ("Tweet", Reason::ShareWidget),
            ("Share this", Reason::ShareWidget),
            ("Facebook Twitter WhatsApp E-Mail", Reason::ShareWidget),
            ("Leave a Reply", Reason::CommentWidget),
            ("Leave a comment", Reason::CommentWidget),
            ("Comments", Reason::CommentWidget),
            ("12 Comments", Reason::CommentWidget),
            ("Kommentar schreiben", Reason::CommentWidget),
            ("Read more »", Reason::RelatedLinks),
            ("Similar News:", Reason::RelatedLinks),
            ("Related Articles", Reason::RelatedLinks),
            ("Related topics", Reason::RelatedLinks),
            ("You may also like", Reason::RelatedLinks),
            ("Weiterlesen", Reason::RelatedLinks),
            ("Lire aussi", Reason::RelatedLinks),
            ("Читайте также", Reason::RelatedLinks),
            ("READ MORE: Putin says talks are at a dead end", Reason::RelatedLinks),
            ("Newsletter bestellen", Reason::Newsletter),
            ("Stay tuned with our regular newsletter about all our relevant subjects.", Reason::Newsletter),
            ("Subscribe to our newsletter", Reason::Newsletter),
            ("Sign up", Reason::Newsletter),
            ("Mit unseren Datenschutzbestimmungen erklären Sie sich einverstanden.", Reason::CookieNotice),
            ("We use cookies to improve your experience.", Reason::CookieNotice),
            ("Datenschutz", Reason::CookieNotice),
            ("Cookie-Einstellungen", Reason::CookieNotice),
            ("Privacy Policy", Reason::CookieNotice),
            (
                "Did you like thike this article? If yes, you can support the independent editorial work and journalism of LibMod via a simple donation tool.",
                Reason::DonationAppeal,
            ),
            (
                "We are recognized as a non-profit organization, accordingly donations are tax deductible. For a donation receipt (necessary for an amount over 200 EUR), please send your address data to",
                Reason::DonationAppeal,
            ),
            (
                "(If you want to contribute and have specific expertise, please contact us at opinions@cgtn.com.)",
                Reason::Boilerplate,
            ),
            ("Australia Latest News, Australia Headlines", Reason::Navigation),
            ("Home › World › Europe", Reason::Navigation),
            ("© 2021 Example Media. All rights reserved.", Reason::Navigation),
        ];
        for (text, want) in cases {
            assert_eq!(m.classify(text, 0.0), Some(want), "{text}");
        }
    }

    #[test]
    fn article_text_is_not_classified() {
        let m = matchers();
        for text in [
            "The company changed its privacy policy last year after complaints from users.",
            "Donations to the party rose sharply in 2021.",
            "Meanwhile, Russia's top diplomat said the talks would continue.",
            "What can happen next?",
            "Troublemaking as Russian-style policymaking toward the West",
            "The first scenario would be disastrous for all sides.",
            "Europe",
            "Share prices fell by 3 percent on Monday.",
            "More than 100,000 troops are massed near the border.",
            "Top 5",
            "Home 3",
        ] {
            assert_eq!(m.classify(text, 0.0), None, "{text}");
        }
        assert_eq!(m.classify("12 Comments", 0.0), Some(Reason::CommentWidget));
        assert_eq!(m.classify("Sport Politics Culture", 1.0), Some(Reason::Navigation));
        assert_eq!(m.classify("Source: https://example.org/report.pdf", 1.0), None);
        let long = format!("{} We use cookies.", "The summit ended without a deal. ".repeat(20));
        assert_eq!(m.classify(&long, 0.0), None);
    }

    #[test]
    fn editors_notes_and_markers() {
        let m = matchers();
        assert!(m.is_editors_note(&Owned::new("Editor's note: Bradley Blankenship is a journalist.").texts()));
        assert!(m.is_editors_note(&Owned::new("Editor’s Note — This story was updated.").texts()));
        assert!(m.is_editors_note(&Owned::new("Anm. d. Red.: Der Text erschien zuerst im Spiegel.").texts()));
        assert!(!m.is_editors_note(&Owned::new("The editor noted that the story was old.").texts()));
        assert!(m.is_read_more(&Owned::new("Read more »").texts()));
        assert!(m.is_read_more(&Owned::new("Czytaj więcej").texts()));
        assert!(!m.is_read_more(&Owned::new("Read more about the summit in our report.").texts()));
        assert!(m.is_related_heading(
            &Owned::new("Similar News:You can also read news stories similar to this one.").texts()
        ));
        assert!(m.is_comment_heading(&Owned::new("Leave a Reply").texts()));
        assert!(m.is_photo_credit(&Owned::new("Photo: White House / Imago Images").texts()));
        assert!(m.is_reading_time(&Owned::new("5 min read").texts()));
        assert!(m.is_reading_time(&Owned::new("Lesezeit: 3 Min.").texts()));
    }
}
