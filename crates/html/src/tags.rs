//! Interned names of the elements the parser and its users care about, so tag checks are
//! integer comparisons instead of string comparisons.

macro_rules! known_tags {
    ($($variant:ident => $name:literal,)*) => {
        /// A known element name. Elements with other names report [`Tag::Other`] from
        /// [`crate::Document::tag_id`]; their name is still available from
        /// [`crate::Document::tag`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u16)]
        pub enum Tag {
            $(#[doc = concat!("`<", $name, ">`")] $variant,)*
            /// Any element whose name is not one of the known ones.
            Other,
        }

        const NAMES: &[&str] = &[$($name,)*];
        const ALL: &[Tag] = &[$(Tag::$variant,)*];

        impl Tag {
            /// Lowercase name of a known tag; `None` for [`Tag::Other`].
            pub fn name(self) -> Option<&'static str> {
                NAMES.get(self as usize).copied()
            }

            /// The known tag with this exact (already lowercase) name.
            pub fn from_lowercase(name: &str) -> Option<Tag> {
                Some(match name {
                    $($name => Tag::$variant,)*
                    _ => return None,
                })
            }
        }
    };
}

known_tags! {
    A => "a", Abbr => "abbr", Address => "address", Applet => "applet", Area => "area",
    Article => "article", Aside => "aside", Audio => "audio", B => "b", Base => "base",
    Basefont => "basefont", Bdi => "bdi", Bdo => "bdo", Bgsound => "bgsound", Big => "big",
    Blockquote => "blockquote", Body => "body", Br => "br", Button => "button",
    Canvas => "canvas", Caption => "caption", Center => "center", Cite => "cite",
    Code => "code", Col => "col", Colgroup => "colgroup", Data => "data",
    Datalist => "datalist", Dd => "dd", Del => "del", Details => "details", Dfn => "dfn",
    Dialog => "dialog", Dir => "dir", Div => "div", Dl => "dl", Dt => "dt", Em => "em",
    Embed => "embed", Fieldset => "fieldset", Figcaption => "figcaption", Figure => "figure",
    Font => "font", Footer => "footer", Form => "form", Frame => "frame",
    Frameset => "frameset", H1 => "h1", H2 => "h2", H3 => "h3", H4 => "h4", H5 => "h5",
    H6 => "h6", Head => "head", Header => "header", Hgroup => "hgroup", Hr => "hr",
    Html => "html", I => "i", Iframe => "iframe", Img => "img", Input => "input",
    Ins => "ins", Kbd => "kbd", Keygen => "keygen", Label => "label", Legend => "legend",
    Li => "li", Link => "link", Listing => "listing", Main => "main", Map => "map",
    Mark => "mark", Marquee => "marquee", Math => "math", Menu => "menu", Meta => "meta",
    Meter => "meter", Nav => "nav", Nobr => "nobr", Noembed => "noembed",
    Noframes => "noframes", Noscript => "noscript", Object => "object", Ol => "ol",
    Optgroup => "optgroup", Option => "option", Output => "output", P => "p",
    Param => "param", Picture => "picture", Plaintext => "plaintext", Pre => "pre",
    Progress => "progress", Q => "q", Rb => "rb", Rp => "rp", Rt => "rt", Rtc => "rtc",
    Ruby => "ruby", S => "s", Samp => "samp", Script => "script", Search => "search",
    Section => "section", Select => "select", Slot => "slot", Small => "small",
    Source => "source", Span => "span", Strike => "strike", Strong => "strong",
    Style => "style", Sub => "sub", Summary => "summary", Sup => "sup", Svg => "svg",
    Table => "table", Tbody => "tbody", Td => "td", Template => "template",
    Textarea => "textarea", Tfoot => "tfoot", Th => "th", Thead => "thead", Time => "time",
    Title => "title", Tr => "tr", Track => "track", Tt => "tt", U => "u", Ul => "ul",
    Var => "var", Video => "video", Wbr => "wbr", Xmp => "xmp",
    ForeignObject => "foreignobject", Desc => "desc", Mi => "mi", Mo => "mo", Mn => "mn",
    Ms => "ms", Mtext => "mtext", AnnotationXml => "annotation-xml",
}

/// Number of known tags; interned ids at or above this are document-local names.
pub(crate) const KNOWN: u32 = NAMES.len() as u32;

impl Tag {
    pub(crate) fn from_index(index: u32) -> Tag {
        ALL.get(index as usize).copied().unwrap_or(Tag::Other)
    }

    /// Elements that never have content (`<br>`, `<img>` ...).
    pub fn is_void(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Area | Base
                | Basefont
                | Bgsound
                | Br
                | Col
                | Embed
                | Frame
                | Hr
                | Img
                | Input
                | Keygen
                | Link
                | Meta
                | Param
                | Source
                | Track
                | Wbr
        )
    }

    /// Elements whose start tag closes an open `<p>` (the HTML "block-level" starters).
    pub fn closes_p(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Address
                | Article
                | Aside
                | Blockquote
                | Center
                | Details
                | Dialog
                | Dir
                | Div
                | Dl
                | Fieldset
                | Figcaption
                | Figure
                | Footer
                | Form
                | Header
                | Hgroup
                | Main
                | Menu
                | Nav
                | Ol
                | P
                | Search
                | Section
                | Summary
                | Ul
                | H1
                | H2
                | H3
                | H4
                | H5
                | H6
                | Pre
                | Listing
                | Hr
                | Table
                | Li
                | Dd
                | Dt
                | Plaintext
                | Xmp
        )
    }

    /// `<h1>` .. `<h6>`.
    pub fn is_heading(self) -> bool {
        use Tag::*;
        matches!(self, H1 | H2 | H3 | H4 | H5 | H6)
    }

    /// The HTML "special" category: structural elements that bound the search for an
    /// end tag of a phrasing element.
    pub(crate) fn is_special(self) -> bool {
        use Tag::*;
        self.closes_p()
            || matches!(
                self,
                Applet
                    | Area
                    | Base
                    | Basefont
                    | Bgsound
                    | Body
                    | Br
                    | Button
                    | Caption
                    | Col
                    | Colgroup
                    | Embed
                    | Frame
                    | Frameset
                    | Head
                    | Html
                    | Iframe
                    | Img
                    | Input
                    | Keygen
                    | Link
                    | Marquee
                    | Meta
                    | Noembed
                    | Noframes
                    | Noscript
                    | Object
                    | Param
                    | Script
                    | Select
                    | Source
                    | Style
                    | Tbody
                    | Td
                    | Template
                    | Textarea
                    | Tfoot
                    | Th
                    | Thead
                    | Title
                    | Tr
                    | Track
                    | Wbr
            )
    }

    /// Formatting elements, whose end tags close them even across other open elements.
    pub(crate) fn is_formatting(self) -> bool {
        use Tag::*;
        matches!(self, A | B | Big | Code | Em | Font | I | Nobr | S | Small | Strike | Strong | Tt | U)
    }

    /// Elements whose children are HTML again inside `<svg>` / `<math>`.
    pub(crate) fn is_integration_point(self) -> bool {
        use Tag::*;
        matches!(self, ForeignObject | Desc | Title | Mi | Mo | Mn | Ms | Mtext | AnnotationXml)
    }

    /// HTML start tags that break out of `<svg>` / `<math>` content.
    pub(crate) fn breaks_out_of_foreign(self) -> bool {
        use Tag::*;
        matches!(
            self,
            B | Big
                | Blockquote
                | Body
                | Br
                | Center
                | Code
                | Dd
                | Div
                | Dl
                | Dt
                | Em
                | Embed
                | H1
                | H2
                | H3
                | H4
                | H5
                | H6
                | Head
                | Hr
                | I
                | Img
                | Li
                | Listing
                | Menu
                | Meta
                | Nobr
                | Ol
                | P
                | Pre
                | Ruby
                | S
                | Small
                | Span
                | Strong
                | Strike
                | Sub
                | Sup
                | Table
                | Tt
                | U
                | Ul
                | Var
        )
    }

    /// Elements that may appear in `<head>`; anything else implicitly closes it.
    pub(crate) fn belongs_in_head(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Base | Basefont | Bgsound | Link | Meta | Noframes | Noscript | Script | Style | Template | Title
        )
    }

    /// Elements whose content is raw text up to the matching end tag (HTML namespace only).
    pub(crate) fn raw_text(self) -> Option<RawText> {
        use Tag::*;
        Some(match self {
            Textarea | Title => RawText::Escapable,
            Script | Style | Xmp | Iframe | Noembed | Noframes | Noscript | Template => RawText::Raw,
            Plaintext => RawText::ToEnd,
            _ => return None,
        })
    }
}

/// How the content of a raw-text element is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RawText {
    /// Up to the end tag, character references decoded (`<title>`, `<textarea>`).
    Escapable,
    /// Up to the end tag, verbatim (`<script>`, `<style>` ...).
    Raw,
    /// Everything to the end of input, verbatim (`<plaintext>`).
    ToEnd,
}

/// Slots in the name lookup table (a power of two, well above `KNOWN`).
const SLOTS: usize = 1024;

fn hash_name(name: &[u8]) -> usize {
    // FNV-1a: tag names are short, so a simple byte loop beats a general-purpose hasher.
    let mut h: u32 = 0x811c_9dc5;
    for &b in name {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h as usize
}

fn name_table() -> &'static [u16; SLOTS] {
    static TABLE: std::sync::OnceLock<[u16; SLOTS]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [0u16; SLOTS];
        for (index, name) in NAMES.iter().enumerate() {
            let mut slot = hash_name(name.as_bytes()) & (SLOTS - 1);
            while table.get(slot).is_some_and(|&s| s != 0) {
                slot = (slot + 1) & (SLOTS - 1);
            }
            if let Some(s) = table.get_mut(slot) {
                *s = index as u16 + 1;
            }
        }
        table
    })
}

/// Index of a known tag by its lowercase name bytes (an open-addressing hash lookup).
#[inline]
pub(crate) fn known_index(name: &[u8]) -> Option<u32> {
    let table = name_table();
    let mut slot = hash_name(name) & (SLOTS - 1);
    loop {
        let entry = *table.get(slot)?;
        if entry == 0 {
            return None;
        }
        let index = u32::from(entry - 1);
        if NAMES.get(index as usize).map(|n| n.as_bytes()) == Some(name) {
            return Some(index);
        }
        slot = (slot + 1) & (SLOTS - 1);
    }
}

/// Name of a known tag by index.
pub(crate) fn known_name(index: u32) -> Option<&'static str> {
    NAMES.get(index as usize).copied()
}
