//! Markup: the one place that writes text into HTML and Markdown for the renderers:
//! escaping for HTML, echoing a user's text inside a line of Markdown or as inline
//! code, and the check of a URL's scheme before it is followed.
//!
//! Reading raw HTML is `html_scan`'s job, cleaning it `sanitize`'s.

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
    fn escapes_the_five_characters() {
        assert_eq!(escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
        assert_eq!(escape("🐘 ok"), "🐘 ok");
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
}
