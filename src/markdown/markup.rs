//! Markup: the one place that reads and writes HTML text for the renderers. Escaping,
//! entity decoding, the URLs in raw HTML (rewritten or listed), the pieces of raw
//! HTML for the twin, the text between tags for the index, URL scheme checks, and
//! sanitising raw HTML from content.
//!
//! Raw HTML is read with a WHATWG tokenizer (html5gum) and cleaned with ammonia; it is
//! never sliced by hand, so no input can split a character or hide a tag.

use std::collections::{BTreeMap, HashSet};

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_into(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped for HTML text and attribute values.
pub fn escape_into(out: &mut String, text: &str) {
    let mut run = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // `i` is at an ASCII byte, so both slices end on character boundaries.
        out.push_str(&text[run..i]);
        out.push_str(entity);
        run = i + 1;
    }
    out.push_str(&text[run..]);
}

/// Whether a URL written in content may be followed: no `javascript:`, `vbscript:`,
/// `livescript:` or `data:` (but raster images). Relative URLs are safe.
pub fn safe_url(url: &str, image: bool) -> bool {
    // Browsers ignore whitespace and control characters inside a scheme.
    let cleaned: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).take(16).collect();
    let lower = cleaned.to_ascii_lowercase();
    let Some(colon) = lower.find(':') else { return true };
    let scheme = &lower[..colon];
    if scheme.contains(['/', '?', '#']) {
        return true;
    }
    // Other schemes (`slack:`, `vscode:`, a typo such as `htpps:`) open an app or
    // nothing, as on GitBook; only these run code in the page.
    match scheme {
        "javascript" | "vbscript" | "livescript" => false,
        "data" => image && lower.starts_with("data:image/") && !lower.starts_with("data:image/svg"),
        _ => true,
    }
}

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

/// Text from a user (a question, a path) made safe to echo inside a line of Markdown
/// (a heading, a link's text, a sentence): on one line, with every character that
/// could open a construct (a link, an image, an autolink or HTML, code, emphasis, a
/// heading's closing `#`s) escaped with a backslash, so it reads as the very text that
/// was sent. Characters that cannot open anything where they stand stay as they are
/// (`out_for_delivery`, `C#`), so ordinary questions read unchanged.
pub fn escape_inline(text: &str) -> String {
    let line = super::one_line(text);
    let mut out = String::with_capacity(line.len() + 8);
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    // Every character that may open something is ASCII, and an ASCII byte is always a
    // whole character: the text is copied in runs between them, each cut at such a byte.
    let mut copied = 0;
    for (i, b) in line.bytes().enumerate() {
        let before = || line[..i].chars().next_back();
        let after = || line[i + 1..].chars().next();
        let opens = match b {
            b'\\' | b'`' | b'[' | b']' | b'<' | b'>' | b'*' | b'~' => true,
            b'_' => !(word(before()) && word(after())),
            b'#' => before().is_none_or(char::is_whitespace),
            _ => false,
        };
        if opens {
            out.push_str(&line[copied..i]);
            out.push('\\');
            copied = i;
        }
    }
    out.push_str(&line[copied..]);
    out
}

/// Text from a user shown as inline code: on one line, between enough backticks that
/// none inside can close it (nothing in a code span is Markdown or HTML).
pub fn code_span(text: &str) -> String {
    let line = super::one_line(text);
    if line.is_empty() {
        return "` `".into();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in line.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if line.starts_with('`') || line.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{line}{pad}{fence}")
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

/// Cleans HTML that holds raw HTML from content: keeps what GitBook renders (text
/// formatting, figures, details, tables, images, media, marks) and the markup docask
/// itself writes around it; drops scripts, event handlers, frames, forms, styles but
/// alignment and colours, and URLs with a script-running scheme.
pub struct Sanitizer {
    builder: ammonia::Builder<'static>,
}

impl Default for Sanitizer {
    fn default() -> Self {
        let mut builder = ammonia::Builder::default();
        builder
            .add_tags(["picture", "source", "video", "audio", "track", "input", "section", "button"])
            .add_generic_attributes(["class", "id", "role", "tabindex", "hidden", "style", "align", "width", "height"])
            .add_generic_attribute_prefixes(["aria-", "data-"])
            .add_tag_attributes("img", ["loading", "srcset", "sizes"])
            .add_tag_attributes("source", ["src", "srcset", "type", "media"])
            .add_tag_attributes("video", ["src", "controls", "poster", "loop", "muted", "playsinline"])
            .add_tag_attributes("audio", ["src", "controls", "loop", "muted"])
            .add_tag_attributes("track", ["src", "kind", "label", "srclang"])
            .add_tag_attributes("input", ["checked", "disabled"])
            .add_tag_attribute_values("button", "type", ["button"])
            .add_tag_attributes("a", ["download", "rel", "target", "name"])
            .add_tag_attributes("details", ["open"])
            .add_tag_attribute_values("input", "type", ["checkbox"])
            .filter_style_properties(HashSet::from(["text-align", "color", "background-color"]))
            .link_rel(None)
            .strip_comments(true);
        Sanitizer { builder }
    }
}

impl Sanitizer {
    /// The cleaned HTML.
    pub fn clean(&self, html: &str) -> String {
        self.builder.clean(html).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Escaping as it was written first, one character at a time.
    fn escape_by_chars(text: &str) -> String {
        let chars: Vec<char> = crate::markdown::one_line(text).chars().collect();
        let mut out = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + 1).copied();
            let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
            let opens = match c {
                '\\' | '`' | '[' | ']' | '<' | '>' | '*' | '~' => true,
                '_' => !(word(before) && word(after)),
                '#' => before.is_none_or(char::is_whitespace),
                _ => false,
            };
            if opens {
                out.push('\\');
            }
            out.push(c);
        }
        out
    }

    proptest::proptest! {
        /// Copying runs between the characters that may open something escapes as the
        /// character-by-character loop does, letters and spaces beyond ASCII included.
        #[test]
        fn escaping_by_runs_is_escaping_by_characters(text in "[a-z9_#*`<>~ \\[\\]\\\\\n\u{a0}éß日_]{0,40}") {
            proptest::prop_assert_eq!(escape_inline(&text), escape_by_chars(&text));
        }
    }

    #[test]
    fn user_text_is_echoed_as_text() {
        let hostile = "token\n\n# Injected\n[click](javascript:alert(1)) <img src=x> **b** `c`";
        let escaped = escape_inline(hostile);
        assert_eq!(
            escaped,
            "token \\# Injected \\[click\\](javascript:alert(1)) \\<img src=x\\> \\*\\*b\\*\\* \\`c\\`"
        );
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&format!("# {escaped}")));
        assert!(html.starts_with("<h1>") && html.matches("<h1>").count() == 1, "{html}");
        assert!(!html.contains("<a") && !html.contains("<img") && !html.contains("<strong>"), "{html}");
        assert_eq!(escape_inline("how do I create a token?"), "how do I create a token?");
        assert_eq!(escape_inline("what does out_for_delivery mean in C#?"), "what does out_for_delivery mean in C#?");
        assert_eq!(escape_inline("_a_ #tag x #"), "\\_a\\_ \\#tag x \\#");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
        assert_eq!(code_span("/a/b"), "`/a/b`");
        assert_eq!(code_span(""), "` `");
    }

    #[test]
    fn an_expandable_summary_is_an_anchor_and_gets_its_id() {
        let html = "<details><summary><strong>Étape 2</strong> ok</summary>x</details><summary></summary>";
        assert_eq!(ids(html), ["étape-2-ok"]);
        assert!(with_summary_ids(html).starts_with("<details><summary id=\"étape-2-ok\"><strong>"));
        assert_eq!(with_summary_ids("<summary>open"), "<summary>open", "an unclosed summary is left as is");
    }

    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
        assert_eq!(escape("🐘 ok"), "🐘 ok");
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
        assert!(Sanitizer::default().clean("<a name=\"Widget.create\"></a>").contains("name=\"Widget.create\""));
    }

    #[test]
    fn script_schemes_are_unsafe() {
        for url in ["javascript:alert(1)", " JaVa\tScript:x", "vbscript:x", "data:text/html,x", "livescript:x"] {
            assert!(!safe_url(url, false), "{url}");
        }
        for url in ["https://e.com", "a/b.md", "#x", "mailto:a@b.c", "../x:y", "?q=a:b", "data:image/png;base64,x"] {
            assert!(safe_url(url, true), "{url}");
        }
        assert!(!safe_url("data:image/png;base64,x", false));
    }

    #[test]
    fn sanitizer_keeps_gitbook_markup_and_drops_scripts() {
        let s = Sanitizer::default();
        let out = s.clean("<figure><img src=\"a.png\" alt=\"A\" onerror=\"x()\"><figcaption><p>Cap</p></figcaption></figure><script>bad()</script><a href=\"javascript:x\">j</a><details><summary>Q</summary>A</details><td style=\"text-align: center; color: red\">c</td>");
        assert!(
            out.contains("<figure><img src=\"a.png\" alt=\"A\"><figcaption><p>Cap</p></figcaption></figure>"),
            "{out}"
        );
        assert!(!out.contains("onerror") && !out.contains("bad()") && !out.contains("javascript"), "{out}");
        assert!(out.contains("<details><summary>Q</summary>A</details>"), "{out}");
        let ours = "<h2 id=\"a\">A<a class=\"heading-anchor\" href=\"#a\" aria-label=\"Link\">#</a></h2>\n<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\">\ndone</li>\n</ul>\n";
        assert_eq!(s.clean(ours), ours);
    }
}
