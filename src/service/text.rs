//! Turning text into safe HTML: Markdown written here, HTML received from elsewhere; and
//! numbers and durations written out for people.

use crate::i18n::Lang;

/// Tags and attributes we keep: the ones Mastodon keeps, plus headings and paragraphs.
fn cleaner() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.tags(
        [
            "p",
            "br",
            "a",
            "span",
            "del",
            "pre",
            "code",
            "em",
            "strong",
            "b",
            "i",
            "u",
            "ul",
            "ol",
            "li",
            "blockquote",
            "h2",
            "h3",
            "h4",
        ]
        .into_iter()
        .collect(),
    )
    .link_rel(Some("nofollow noopener noreferrer"))
    .url_schemes(["http", "https", "mailto"].into_iter().collect());
    b
}

/// Cleans HTML from another server before it is stored or shown.
pub fn sanitize_html(html: &str) -> String {
    cleaner().clean(html).to_string()
}

/// Renders a coordinator's Markdown to sanitised HTML (raw HTML in it is escaped away).
pub fn markdown_to_html(markdown: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let parser = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH);
    let mut out = String::new();
    html::push_html(&mut out, parser);
    sanitize_html(&out)
}

/// Plain text from HTML (for summaries shown as text).
pub fn html_to_text(html: &str) -> String {
    // Block ends separate words; inline tags do not.
    let mut spaced = html.to_string();
    for end in [
        "</p>", "</li>", "</div>", "</h1>", "</h2>", "</h3>", "</h4>", "<br>", "<br/>", "<br />",
    ] {
        spaced = spaced.replace(end, " ").replace(&end.to_uppercase(), " ");
    }
    let no_tags = ammonia::Builder::empty().clean(&spaced).to_string();
    no_tags
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Escapes text for HTML or XML (content and attribute values).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A duration as both languages write it: "2 h 30", "45 min", "3 h".
pub fn duration(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02}"),
    }
}

/// A decimal as people of the language write it: "12,5" in French, "12.5" in English (the
/// separator comes from the catalogue).
pub fn decimal(lang: Lang, d: rust_decimal::Decimal) -> String {
    let s = d.normalize().to_string();
    let separator = crate::i18n::tr(lang, "decimal_separator");
    if separator == "." {
        s
    } else {
        s.replace('.', &separator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_are_removed() {
        let dirty = r#"<p onclick="x()">Hi<script>alert(1)</script><img src=x onerror=y><a href="javascript:z">l</a></p>"#;
        let clean = sanitize_html(dirty);
        assert!(!clean.contains("script"), "{clean}");
        assert!(!clean.contains("onclick"), "{clean}");
        assert!(!clean.contains("onerror"), "{clean}");
        assert!(!clean.contains("javascript"), "{clean}");
        assert!(clean.contains("Hi"));
    }

    #[test]
    fn markdown_renders_and_raw_html_is_neutralised() {
        let html = markdown_to_html("**Bring** gloves\n\n<script>x</script>");
        assert!(html.contains("<strong>Bring</strong>"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
    }

    #[test]
    fn decimals_as_each_language_writes_them() {
        let d = rust_decimal::Decimal::new(125, 1);
        assert_eq!(decimal(Lang::Fr, d), "12,5");
        assert_eq!(decimal(Lang::En, d), "12.5");
        assert_eq!(decimal(Lang::Fr, rust_decimal::Decimal::new(300, 2)), "3");
    }

    #[test]
    fn text_from_html() {
        assert_eq!(html_to_text("<p>A &amp; B</p><p>C</p>"), "A & B C");
    }
}
