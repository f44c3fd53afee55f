//! Attributes of a GitBook tag: `style="info"`, `title='A'`, `lineNumbers=true`, and
//! the positional string of `{% include "path" %}`.

/// Parsed attributes, in the order written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attrs {
    /// `key = value` pairs; a positional value has the key `""`.
    pub pairs: Vec<(String, String)>,
}

impl Attrs {
    /// Parses the text after the tag name.
    pub fn parse(text: &str) -> Self {
        let mut pairs = Vec::new();
        let mut rest = text.trim();
        while !rest.is_empty() {
            let (key, after_key) = match rest.find(|c: char| c == '=' || c.is_whitespace() || c == '"' || c == '\'') {
                Some(i) if rest[i..].trim_start().starts_with('=') => {
                    let after = rest[i..].trim_start();
                    (rest[..i].to_string(), after[1..].trim_start())
                }
                _ => (String::new(), rest),
            };
            let (value, after) = take_value(after_key);
            pairs.push((key, value));
            rest = after.trim_start();
        }
        Attrs { pairs }
    }

    /// The value of `key` (ASCII case-insensitive).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_str())
    }

    /// The first positional value.
    pub fn positional(&self) -> Option<&str> {
        self.get("")
    }

    /// True when `key` is set to `true`.
    pub fn flag(&self, key: &str) -> bool {
        self.get(key).is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
}

/// Reads one quoted or bare value and returns it with the remaining text.
fn take_value(text: &str) -> (String, &str) {
    let mut chars = text.char_indices();
    match chars.next() {
        Some((_, q @ ('"' | '\''))) => {
            let mut escaped = false;
            for (i, c) in chars {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    return (unescape(&text[1..i]), &text[i + 1..]);
                }
            }
            (unescape(&text[1..]), "")
        }
        Some(_) => {
            let end = text.find(char::is_whitespace).unwrap_or(text.len());
            (text[..end].to_string(), &text[end..])
        }
        None => (String::new(), ""),
    }
}

/// A quoted value without its escapes: as in Markdown, a backslash before ASCII
/// punctuation escapes it (GitBook writes `title="Swift \\(iOS\\)"`) and is kept before
/// anything else. In a path written on Windows (a backslash before a letter, a digit
/// or a character beyond ASCII: `src="..\\.gitbook\\assets\\a.pdf"`) a backslash before
/// `.` is a separator too, kept for the path to be resolved.
fn unescape(raw: &str) -> String {
    let literal = |c: char| c.is_ascii_alphanumeric() || !c.is_ascii();
    let windows = raw.split('\\').skip(1).any(|after| after.chars().next().is_some_and(literal));
    let mut value = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek().copied()) {
            ('\\', Some(next)) if next.is_ascii_punctuation() && !(windows && next == '.') => {
                value.push(next);
                chars.next();
            }
            _ => value.push(c),
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backslashes_escape_punctuation_but_not_windows_separators() {
        let a = Attrs::parse(r#"src="..\.gitbook\assets\a.pdf" title="say \"hi\" \(now\) \\ done" url='it\'s'"#);
        assert_eq!(a.get("src"), Some(r"..\.gitbook\assets\a.pdf"));
        assert_eq!(a.get("title"), Some(r#"say "hi" (now) \ done"#));
        assert_eq!(Attrs::parse(r#"title="v1\.2 \a""#).get("title"), Some(r"v1\.2 \a"), "a Windows-like value");
        assert_eq!(Attrs::parse(r#"title="v1\.2""#).get("title"), Some("v1.2"));
        assert_eq!(a.get("url"), Some("it's"));
        assert_eq!(Attrs::parse(r#"src="C:\"#).get("src"), Some(r"C:\"), "unclosed");
    }

    #[test]
    fn parses_quoted_bare_and_positional() {
        let a = Attrs::parse(r#"style="warning" lineNumbers=true title='a "b"' "../x.md""#);
        assert_eq!(a.get("style"), Some("warning"));
        assert!(a.flag("linenumbers"));
        assert_eq!(a.get("title"), Some("a \"b\""));
        assert_eq!(a.positional(), Some("../x.md"));
    }

    #[test]
    fn handles_escapes_spaces_and_empty() {
        let a = Attrs::parse(r#"url = "https://x/y?a=1" caption="say \"hi\"""#);
        assert_eq!(a.get("url"), Some("https://x/y?a=1"));
        assert_eq!(a.get("caption"), Some("say \"hi\""));
        assert!(Attrs::parse("").pairs.is_empty());
    }
}
