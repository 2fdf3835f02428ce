//! Section labels that end an article: "Related articles", "Comments", "Tags", "Share"... in
//! the languages presswatch meets. A short block whose whole text is such a label opens the
//! page's tail (recirculation, tags, comment threads), not more of the article.

use crate::util::loose_key;
use presswatch_model::Reason;

/// Whole-label keys (lowercase, letters only: digits, spaces and punctuation dropped, so
/// "12 Comments" and "Comments (3):" both give "comments").
const EXACT: &[(&str, Reason)] = &[
    // Comments.
    ("comments", Reason::CommentWidget),
    ("comment", Reason::CommentWidget),
    ("responses", Reason::CommentWidget),
    ("reactions", Reason::CommentWidget),
    ("discussion", Reason::CommentWidget),
    ("leaveacomment", Reason::CommentWidget),
    ("leaveareply", Reason::CommentWidget),
    ("postacomment", Reason::CommentWidget),
    ("addacomment", Reason::CommentWidget),
    ("addcomment", Reason::CommentWidget),
    ("writeacomment", Reason::CommentWidget),
    ("jointhediscussion", Reason::CommentWidget),
    ("jointheconversation", Reason::CommentWidget),
    ("telluswhatyouthink", Reason::CommentWidget),
    ("showcomments", Reason::CommentWidget),
    ("viewcomments", Reason::CommentWidget),
    ("kommentare", Reason::CommentWidget),
    ("kommentar", Reason::CommentWidget),
    ("leserkommentare", Reason::CommentWidget),
    ("commentaires", Reason::CommentWidget),
    ("commentaire", Reason::CommentWidget),
    ("comentarios", Reason::CommentWidget),
    ("comentários", Reason::CommentWidget),
    ("deixeumcomentário", Reason::CommentWidget),
    ("commenti", Reason::CommentWidget),
    ("komentarze", Reason::CommentWidget),
    ("komentarz", Reason::CommentWidget),
    ("reacties", Reason::CommentWidget),
    ("комментарии", Reason::CommentWidget),
    ("комментарий", Reason::CommentWidget),
    ("评论", Reason::CommentWidget),
    ("网友评论", Reason::CommentWidget),
    ("发表评论", Reason::CommentWidget),
    ("コメント", Reason::CommentWidget),
    // Related and recirculation.
    ("related", Reason::RelatedLinks),
    ("youmayalsolike", Reason::RelatedLinks),
    ("youmightalsolike", Reason::RelatedLinks),
    ("youmaylike", Reason::RelatedLinks),
    ("youmightlike", Reason::RelatedLinks),
    ("youmayalsobeinterestedin", Reason::RelatedLinks),
    ("youmightbeinterestedin", Reason::RelatedLinks),
    ("alsoread", Reason::RelatedLinks),
    ("readalso", Reason::RelatedLinks),
    ("readmore", Reason::RelatedLinks),
    ("readnext", Reason::RelatedLinks),
    ("recommended", Reason::RelatedLinks),
    ("recommendedforyou", Reason::RelatedLinks),
    ("mostpopular", Reason::RelatedLinks),
    ("mostread", Reason::RelatedLinks),
    ("popular", Reason::RelatedLinks),
    ("trending", Reason::RelatedLinks),
    ("trendingnow", Reason::RelatedLinks),
    ("dontmiss", Reason::RelatedLinks),
    ("editorspicks", Reason::RelatedLinks),
    ("seealso", Reason::RelatedLinks),
    ("mehrzumthema", Reason::RelatedLinks),
    ("daskönntesieauchinteressieren", Reason::RelatedLinks),
    ("auchinteressant", Reason::RelatedLinks),
    ("lesensieauch", Reason::RelatedLinks),
    ("weitereartikel", Reason::RelatedLinks),
    ("meistgelesen", Reason::RelatedLinks),
    ("àlireaussi", Reason::RelatedLinks),
    ("alireaussi", Reason::RelatedLinks),
    ("lireaussi", Reason::RelatedLinks),
    ("surlemêmesujet", Reason::RelatedLinks),
    ("vousaimerezaussi", Reason::RelatedLinks),
    ("articlessimilaires", Reason::RelatedLinks),
    ("lespluslus", Reason::RelatedLinks),
    ("àvoiraussi", Reason::RelatedLinks),
    ("tepuedeinteresar", Reason::RelatedLinks),
    ("tambiéntepuedeinteresar", Reason::RelatedLinks),
    ("noticiasrelacionadas", Reason::RelatedLinks),
    ("artículosrelacionados", Reason::RelatedLinks),
    ("leetambién", Reason::RelatedLinks),
    ("lomásleído", Reason::RelatedLinks),
    ("vocêpodegostar", Reason::RelatedLinks),
    ("leiatambém", Reason::RelatedLinks),
    ("vejatambém", Reason::RelatedLinks),
    ("notíciasrelacionadas", Reason::RelatedLinks),
    ("maislidas", Reason::RelatedLinks),
    ("leggianche", Reason::RelatedLinks),
    ("articolicorrelati", Reason::RelatedLinks),
    ("potrebbeinteressarti", Reason::RelatedLinks),
    ("piùletti", Reason::RelatedLinks),
    ("zobacztakże", Reason::RelatedLinks),
    ("zobaczteż", Reason::RelatedLinks),
    ("czytajtakże", Reason::RelatedLinks),
    ("czytajteż", Reason::RelatedLinks),
    ("polecamy", Reason::RelatedLinks),
    ("najczęściejczytane", Reason::RelatedLinks),
    ("powiązaneartykuły", Reason::RelatedLinks),
    ("leesook", Reason::RelatedLinks),
    ("gerelateerdeartikelen", Reason::RelatedLinks),
    ("читайтетакже", Reason::RelatedLinks),
    ("смотритетакже", Reason::RelatedLinks),
    ("похожиестатьи", Reason::RelatedLinks),
    ("похожиеновости", Reason::RelatedLinks),
    ("потеме", Reason::RelatedLinks),
    ("новостипотеме", Reason::RelatedLinks),
    ("популярное", Reason::RelatedLinks),
    ("相关文章", Reason::RelatedLinks),
    ("相关阅读", Reason::RelatedLinks),
    ("相关新闻", Reason::RelatedLinks),
    ("推荐阅读", Reason::RelatedLinks),
    ("延伸阅读", Reason::RelatedLinks),
    ("热门文章", Reason::RelatedLinks),
    ("猜你喜欢", Reason::RelatedLinks),
    ("関連記事", Reason::RelatedLinks),
    ("おすすめ記事", Reason::RelatedLinks),
    // Tags and sharing.
    ("tags", Reason::Navigation),
    ("tag", Reason::Navigation),
    ("tagged", Reason::Navigation),
    ("topics", Reason::Navigation),
    ("filedunder", Reason::Navigation),
    ("schlagwörter", Reason::Navigation),
    ("motsclés", Reason::Navigation),
    ("etiquetas", Reason::Navigation),
    ("tagi", Reason::Navigation),
    ("теги", Reason::Navigation),
    ("标签", Reason::Navigation),
    ("タグ", Reason::Navigation),
    ("share", Reason::ShareWidget),
    ("sharethis", Reason::ShareWidget),
    ("sharethisarticle", Reason::ShareWidget),
    ("sharethisstory", Reason::ShareWidget),
    ("teilen", Reason::ShareWidget),
    ("partager", Reason::ShareWidget),
    ("compartir", Reason::ShareWidget),
    ("compartilhe", Reason::ShareWidget),
    ("condividi", Reason::ShareWidget),
    ("udostępnij", Reason::ShareWidget),
    ("поделиться", Reason::ShareWidget),
    ("分享到", Reason::ShareWidget),
];

/// Label starts that name a recirculation section when the label is a heading ("Related
/// articles", "More from Sport", "More in Minnesota Wild").
const HEADING_PREFIX: &[&str] = &[
    "related",
    "morefrom",
    "morein",
    "moreon",
    "morestories",
    "morenews",
    "similar",
    "relacionad",
    "verwandt",
];

/// The section a short block's text opens when it is a tail label, by the reason its content
/// would be removed for. `heading` allows label prefixes ("Related stories", "More from X").
pub(crate) fn tail_label(text: &str, heading: bool) -> Option<Reason> {
    if text.chars().count() > 48 {
        return None;
    }
    let key: String = loose_key(text).chars().filter(|c| !c.is_numeric()).collect();
    if key.is_empty() {
        return None;
    }
    if let Some((_, r)) = EXACT.iter().find(|(k, _)| *k == key) {
        return Some(*r);
    }
    if heading && HEADING_PREFIX.iter().any(|p| key.starts_with(p)) {
        return Some(Reason::RelatedLinks);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_in_several_languages() {
        assert_eq!(tail_label("12 Comments", false), Some(Reason::CommentWidget));
        assert_eq!(tail_label("Kommentare (3):", false), Some(Reason::CommentWidget));
        assert_eq!(tail_label("You may also like...", false), Some(Reason::RelatedLinks));
        assert_eq!(tail_label("Читайте также", false), Some(Reason::RelatedLinks));
        assert_eq!(tail_label("相关文章", false), Some(Reason::RelatedLinks));
        assert_eq!(tail_label("More in Minnesota Wild", true), Some(Reason::RelatedLinks));
        assert_eq!(tail_label("More in Minnesota Wild", false), None);
        assert_eq!(tail_label("Tags:", false), Some(Reason::Navigation));
        // Sentences that merely start like a label are article text.
        assert_eq!(tail_label("Comments from the minister surprised many.", false), None);
        assert_eq!(tail_label("Related: SpaceX's Starship in pictures", false), None);
    }
}
