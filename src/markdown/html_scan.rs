//! HTML scan: reads raw HTML from content with a WHATWG tokenizer (html5gum), never
//! slicing it by hand, so no input can split a character or hide a tag. Gives its
//! pieces for the twin, the text between its tags for the index, the anchors it
//! defines, and the URLs it holds (listed, or rewritten in place).

use std::collections::BTreeMap;

use html5gum::{DefaultEmitter, Token, Tokenizer};

use super::markup::escape;

/// One piece of raw HTML, entities decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// `<name attr="value">`, attribute names lower-cased.
    Open {
        /// Lower-cased tag name.
        name: String,
        /// Attributes by name.
        attrs: BTreeMap<String, String>,
    },
    /// `</name>`.
    Close {
        /// Lower-cased tag name.
        name: String,
    },
    /// Text between tags.
    Text(String),
}

impl Piece {
    /// The value of attribute `key` of an opening tag.
    pub fn attr(&self, key: &str) -> Option<&str> {
        match self {
            Piece::Open { attrs, .. } => attrs.get(key).map(String::as_str),
            _ => None,
        }
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The pieces of an HTML fragment; the content of `<script>`, `<style>` and comments
/// is left out.
pub fn pieces(html: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut skipping: Option<String> = None;
    for token in tokens(html) {
        match token {
            Token::StartTag(tag) => {
                let name = lossy(&tag.name);
                if skipping.is_some() {
                    continue;
                }
                if matches!(name.as_str(), "script" | "style" | "template" | "noscript") && !tag.self_closing {
                    skipping = Some(name);
                    continue;
                }
                let attrs = tag.attributes.iter().map(|(k, v)| (lossy(k), lossy(&v.value))).collect();
                out.push(Piece::Open { name, attrs });
            }
            Token::EndTag(tag) => {
                let name = lossy(&tag.name);
                match &skipping {
                    Some(open) if *open == name => skipping = None,
                    Some(_) => {}
                    None => out.push(Piece::Close { name }),
                }
            }
            Token::String(text) if skipping.is_none() => match out.last_mut() {
                Some(Piece::Text(t)) => t.push_str(&String::from_utf8_lossy(&text.value)),
                _ => out.push(Piece::Text(lossy(&text.value))),
            },
            _ => {}
        }
    }
    out
}

/// The text between the tags of an HTML fragment, entities decoded, each tag a space.
pub fn text_of(html: &str) -> String {
    let mut out = String::new();
    for piece in pieces(html) {
        match piece {
            Piece::Text(t) => out.push_str(&t.replace('\u{a0}', " ")),
            _ => out.push(' '),
        }
    }
    out
}

/// The anchors that links may point at in `html`: the `id` of every tag, the `name`
/// of `<a>` tags (`<a name="x"></a>`, as API reference generators write them;
/// browsers scroll to both), and the anchor of every expandable's `<summary>`.
pub fn ids(html: &str) -> Vec<String> {
    let mut out: Vec<String> = summary_anchors(html).into_iter().map(|(_, id)| id).collect();
    for token in tokens(html) {
        if let Token::StartTag(tag) = token {
            if let Some(id) = tag.attributes.get(b"id".as_slice()) {
                out.push(lossy(&id.value));
            }
            if tag.name.eq_ignore_ascii_case(b"a") {
                out.extend(tag.attributes.get(b"name".as_slice()).map(|name| lossy(&name.value)));
            }
        }
    }
    out
}

/// The opening tag GitBook writes for an expandable block's title.
const SUMMARY_OPEN: &str = "<summary>";

/// The anchors GitBook gives expandable blocks: a link to `#admin` opens onto
/// `<details><summary>Admin</summary>…`. For each `<summary>` (as GitBook writes it,
/// without attributes) closed in the same piece of HTML: where its `>` is, and its
/// text slugged as a heading's.
fn summary_anchors(html: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = html.get(from..).and_then(|rest| rest.find(SUMMARY_OPEN)).map(|i| from + i) {
        let inner = start + SUMMARY_OPEN.len();
        let Some(end) = html.get(inner..).and_then(|rest| rest.find("</summary>")).map(|i| inner + i) else { break };
        // Offsets of ASCII delimiters found in `html`: character boundaries.
        let text: String = tokens(&html[inner..end])
            .filter_map(|t| match t {
                Token::String(s) => Some(lossy(&s.value)),
                _ => None,
            })
            .collect();
        if !text.trim().is_empty() {
            out.push((inner - 1, super::slug::slugify(&text)));
        }
        from = end;
    }
    out
}

/// `html` with an `id` on each expandable's `<summary>` (see `summary_anchors`), so
/// that links to it land.
pub fn with_summary_ids(html: &str) -> String {
    let anchors = summary_anchors(html);
    if anchors.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 16 * anchors.len());
    let mut at = 0;
    for (gt, id) in anchors {
        out.push_str(&html[at..gt]);
        out.push_str(&format!(" id=\"{}\"", escape(&id)));
        at = gt;
    }
    out.push_str(&html[at..]);
    out
}

/// The `href` and `src` values of the tags in `html`, entities decoded, each with
/// what it points at: `"image"` for the source of an `<img>` or a `<source>`, else
/// `"link"`.
pub fn urls(html: &str) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for token in tokens(html) {
        if let Token::StartTag(tag) = token {
            let image = tag.name.eq_ignore_ascii_case(b"img") || tag.name.eq_ignore_ascii_case(b"source");
            for (name, value) in &tag.attributes {
                let what = if image && !name.eq_ignore_ascii_case(b"href") { "image" } else { "link" };
                if is_url_attr(name) {
                    out.push((lossy(&value.value), what));
                } else if is_srcset(name) {
                    out.extend(srcset(&lossy(&value.value)).into_iter().map(|(url, _)| (url.to_string(), what)));
                }
            }
        }
    }
    out
}

/// Replaces the value of every `href` and `src` attribute in `html` by what `f` makes
/// of it (given decoded, written escaped); everything else stays as written.
pub fn rewrite_urls(html: &str, mut f: impl FnMut(&str) -> String) -> String {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for token in tokens(html) {
        if let Token::StartTag(tag) = token {
            for (name, value) in &tag.attributes {
                let Some(span) = value_span(html, value.span.start..value.span.end) else { continue };
                if is_url_attr(name) {
                    edits.push((span, escape(&f(&lossy(&value.value)))));
                } else if is_srcset(name) {
                    let value = lossy(&value.value);
                    let candidates: Vec<String> = srcset(&value)
                        .into_iter()
                        .map(|(url, descriptor)| format!("{}{descriptor}", f(url)).trim_end().to_string())
                        .collect();
                    edits.push((span, escape(&candidates.join(", "))));
                }
            }
        }
    }
    if edits.is_empty() {
        return html.to_string();
    }
    edits.sort_by_key(|(span, _)| span.start);
    let mut out = String::with_capacity(html.len() + 32 * edits.len());
    let mut at = 0;
    for (span, value) in edits {
        // Spans come from the tokenizer over this very string and start where the
        // previous ended or later; `get` keeps a faulty span from panicking.
        let (Some(before), true) = (html.get(at..span.start), span.start >= at) else { continue };
        out.push_str(before);
        out.push_str(&value);
        at = span.end;
    }
    out.push_str(html.get(at..).unwrap_or(""));
    out
}

/// Where the value is inside an attribute as written (`src = "a.png"` → `a.png`):
/// the tokenizer's span covers the whole attribute.
fn value_span(html: &str, attribute: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let written = html.get(attribute.clone())?;
    let eq = written.find('=')?;
    let after = &written[eq + 1..];
    let start = eq + 1 + (after.len() - after.trim_start().len());
    let rest = &written[start..];
    let (from, len) = match rest.chars().next()? {
        q @ ('"' | '\'') => (start + 1, rest[1..].find(q)?),
        _ => (start, rest.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(rest.len())),
    };
    (len > 0).then(|| attribute.start + from..attribute.start + from + len)
}

fn is_srcset(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"srcset")
}

/// The candidates of a `srcset` value (`a.png, b.png 2x`): each URL with what follows
/// it (` 2x`, or nothing). A `data:` URL holds commas and is one candidate.
fn srcset(value: &str) -> Vec<(&str, &str)> {
    let value = value.trim();
    if value.to_ascii_lowercase().starts_with("data:") {
        return vec![(value, "")];
    }
    value
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| match c.find(char::is_whitespace) {
            Some(i) => (&c[..i], &c[i..]),
            None => (c, ""),
        })
        .collect()
}

fn is_url_attr(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"href") || name.eq_ignore_ascii_case(b"src")
}

fn tokens(html: &str) -> impl Iterator<Item = Token<usize>> + '_ {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    // `<script>`, `<style>` and `<textarea>` hold text, not tags.
    emitter.naively_switch_states(true);
    Tokenizer::new_with_emitter(html, emitter).filter_map(Result::ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expandable_summary_is_an_anchor_and_gets_its_id() {
        let html = "<details><summary><strong>Étape 2</strong> ok</summary>x</details><summary></summary>";
        assert_eq!(ids(html), ["étape-2-ok"]);
        assert!(with_summary_ids(html).starts_with("<details><summary id=\"étape-2-ok\"><strong>"));
        assert_eq!(with_summary_ids("<summary>open"), "<summary>open", "an unclosed summary is left as is");
    }

    #[test]
    fn rewrites_only_url_attributes_and_keeps_the_rest() {
        let html = "<img data-src=\"x\" src=\"a.png\" alt='src=\"no\"'><a HREF=b.md title=\"x\">href=\"c\"</a>";
        let out = rewrite_urls(html, |v| format!("/{v}"));
        assert_eq!(out, "<img data-src=\"x\" src=\"/a.png\" alt='src=\"no\"'><a HREF=/b.md title=\"x\">href=\"c\"</a>");
    }

    #[test]
    fn url_values_are_decoded_and_reescaped() {
        let out = rewrite_urls("<a href=\"q?a=1&amp;b=2\">x</a>", |v| {
            assert_eq!(v, "q?a=1&b=2");
            v.to_string()
        });
        assert_eq!(out, "<a href=\"q?a=1&amp;b=2\">x</a>");
        let found = urls("<img src='p.png'><a href=\"x\"><iframe src=\"e.html\">");
        assert_eq!(found, [("p.png".into(), "image"), ("x".into(), "link"), ("e.html".into(), "link")]);
    }

    #[test]
    fn text_skips_scripts_and_decodes_entities() {
        let text = text_of("<p>a&amp;b&#x20;c&nbsp;d</p><script>alert(1)</script><!-- no -->e");
        assert_eq!(text.split_whitespace().collect::<Vec<_>>(), ["a&b", "c", "d", "e"]);
    }

    #[test]
    fn broken_markup_never_panics() {
        for html in ["<", "<a href=", "<a href=\"🐘", "</", "<img src=x onerror=alert(1)//", "&#xD800;", "<\u{a0}>"] {
            let _ = (pieces(html), text_of(html), urls(html), rewrite_urls(html, |v| v.to_string()));
        }
    }

    #[test]
    fn srcset_candidates_are_rewritten_like_src() {
        let html = r#"<picture><source srcset="../a/dark.png, ../a/dark@2x.png 2x" media="(prefers-color-scheme: dark)"><img src="../a/light.png"></picture>"#;
        let found: Vec<(String, &str)> = ["../a/dark.png", "../a/dark@2x.png", "../a/light.png"]
            .into_iter()
            .map(|u| (u.to_string(), "image"))
            .collect();
        assert_eq!(urls(html), found);
        let out = rewrite_urls(html, |u| format!("../{u}"));
        assert!(out.contains(r#"srcset="../../a/dark.png, ../../a/dark@2x.png 2x""#), "{out}");
        assert!(out.contains(r#"src="../../a/light.png""#), "{out}");
        assert_eq!(srcset("data:image/png;base64,AA,BB"), [("data:image/png;base64,AA,BB", "")]);
    }

    #[test]
    fn ids_are_ids_and_the_names_of_links() {
        let html = "<a name=\"Widget.create\"></a><p id=\"p1\" name=\"not-an-anchor\">x</p><A NAME=\"up\" id=\"both\">";
        assert_eq!(ids(html), ["Widget.create", "p1", "both", "up"]);
    }
}
