//! GitBook tags in text: finds `{% name attrs %}` and `{% endname %}` outside fenced
//! and inline code, line by line, and knows what each block name is.
//!
//! Takes a body of Markdown; gives its `Item`s in order: runs of text and tags, each
//! with its line, and for every tag that may stand alone whether it is closed.

use std::collections::HashMap;

/// How a block name behaves in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Has an end tag; unclosed, it ends with its enclosing block or the page.
    Container,
    /// Stands alone unless an end tag follows before the next tag of its name.
    MaybeClosed,
    /// One item of the named container: an item opened while one is open ends it.
    Item(&'static str),
    /// `{% include "…" %}`.
    Include,
}

/// Every block name docask knows, modern and legacy, with its shape. Integration
/// blocks (`{% @github-files/… %}`) and unknown names stand alone unless closed.
const BLOCKS: &[(&str, Shape)] = &[
    ("hint", Shape::Container),
    ("tabs", Shape::Container),
    ("tab", Shape::Item("tabs")),
    ("stepper", Shape::Container),
    ("step", Shape::Item("stepper")),
    ("content-ref", Shape::Container),
    ("page-ref", Shape::MaybeClosed),
    ("embed", Shape::MaybeClosed),
    ("file", Shape::MaybeClosed),
    ("code", Shape::Container),
    ("include", Shape::Include),
    ("columns", Shape::Container),
    ("column", Shape::Item("columns")),
    ("updates", Shape::Container),
    ("update", Shape::Item("updates")),
    ("openapi", Shape::MaybeClosed),
    ("openapi-operation", Shape::MaybeClosed),
    ("openapi-schemas", Shape::MaybeClosed),
    ("openapi-webhook", Shape::MaybeClosed),
    ("swagger", Shape::MaybeClosed),
    ("swagger-description", Shape::Container),
    ("swagger-parameter", Shape::MaybeClosed),
    ("swagger-response", Shape::MaybeClosed),
    ("code-tabs", Shape::Container),
    ("code-tabs-item", Shape::Item("code-tabs")),
    ("api-method", Shape::Container),
    ("api-method-summary", Shape::Container),
    ("api-method-description", Shape::Container),
    ("api-method-spec", Shape::Container),
    ("api-method-request", Shape::Container),
    ("api-method-response", Shape::Container),
    ("api-method-path-parameters", Shape::Container),
    ("api-method-query-parameters", Shape::Container),
    ("api-method-headers", Shape::Container),
    ("api-method-body-parameters", Shape::Container),
    ("api-method-form-data-parameters", Shape::Container),
    ("api-method-parameter", Shape::MaybeClosed),
    ("api-method-response-example", Shape::Container),
    ("api-method-response-example-description", Shape::Container),
];

/// The shape of a known block name; `None` for integration and unknown blocks.
pub fn shape(name: &str) -> Option<Shape> {
    BLOCKS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// The names of the blocks docask knows, for messages and documentation.
pub fn known() -> impl Iterator<Item = &'static str> {
    BLOCKS.iter().map(|(n, _)| *n)
}

/// An integration block: `{% @github-files/github-code-block url="…" %}`.
pub fn is_integration(name: &str) -> bool {
    name.starts_with('@')
}

/// A piece of a body.
#[derive(Debug, Clone, PartialEq)]
pub enum Item<'a> {
    /// Text to render as Markdown, starting on `line`.
    Text {
        /// The text (whole lines, or the part of a line around tags).
        text: &'a str,
        /// Its line.
        line: usize,
    },
    /// A tag.
    Tag(Tag<'a>),
}

/// One `{% … %}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag<'a> {
    /// `{% endname %}`.
    pub end: bool,
    /// The block name, without `end`.
    pub name: &'a str,
    /// The text after the name.
    pub attrs: &'a str,
    /// Its line.
    pub line: usize,
    /// For an opening tag: whether an end tag of its name follows before the next
    /// opening tag of its name (what decides whether a maybe-closed block has a body).
    pub closed: bool,
}

/// Splits `body` (whose first line is `first_line`) into text and tags.
pub fn scan(body: &str, first_line: usize) -> Vec<Item<'_>> {
    let mut items = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for (i, raw) in body.split_inclusive('\n').enumerate() {
        let line = first_line + i;
        if let Some(f) = fence {
            if closes_fence(raw, f) {
                fence = None;
            }
            items.push(Item::Text { text: raw, line });
            continue;
        }
        if let Some(f) = opens_fence(raw) {
            fence = Some(f);
            items.push(Item::Text { text: raw, line });
            continue;
        }
        let mut rest = raw;
        let mut tags = 0;
        while let Some((start, end)) = find_tag(rest) {
            // `find_tag` gives offsets of ASCII `{%` and `%}`: character boundaries.
            match parse_tag(&rest[start + 2..end - 2], line) {
                Some(tag) => {
                    if start > 0 {
                        items.push(Item::Text { text: &rest[..start], line });
                    }
                    items.push(Item::Tag(tag));
                    tags += 1;
                }
                None => items.push(Item::Text { text: &rest[..end], line }),
            }
            rest = &rest[end..];
        }
        let only_tags = tags > 0 && rest.trim().is_empty();
        if !(rest.is_empty() || only_tags) {
            items.push(Item::Text { text: rest, line });
        }
    }
    mark_closed(&mut items);
    items
}

/// Sets `closed` on every opening tag, in one pass from the end.
fn mark_closed(items: &mut [Item<'_>]) {
    // For each name, whether the nearest later tag of that name is an end tag.
    let mut next_is_end: HashMap<&str, bool> = HashMap::new();
    for item in items.iter_mut().rev() {
        if let Item::Tag(tag) = item {
            if !tag.end {
                tag.closed = next_is_end.get(tag.name).copied().unwrap_or(false);
            }
            next_is_end.insert(tag.name, tag.end);
        }
    }
}

fn parse_tag(inner: &str, line: usize) -> Option<Tag<'_>> {
    // Liquid's whitespace control (`{%- hint -%}`) changes nothing here.
    let inner = inner.trim().trim_start_matches('-').trim_end_matches('-').trim();
    let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
    let (word, attrs) = inner.split_at(name_end);
    let (end, name) = match word.strip_prefix("end") {
        Some(rest) if !rest.is_empty() => (true, rest),
        _ => (false, word),
    };
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let valid = match name.strip_prefix('@') {
        Some(rest) => !rest.is_empty() && rest.chars().all(|c| plain(c) || c == '/' || c == '.'),
        None => !name.is_empty() && name.chars().all(plain),
    };
    valid.then_some(Tag { end, name, attrs, line, closed: false })
}

/// Byte range of the next `{% … %}` in `line` outside inline code spans.
fn find_tag(line: &str) -> Option<(usize, usize)> {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            let ticks = &line[i..i + run];
            match line[i + run..].find(ticks) {
                Some(close) => i += run + close + run,
                None => i += run,
            }
            continue;
        }
        if bytes[i] == b'{' && bytes[i + 1] == b'%' {
            let close = line[i + 2..].find("%}")?;
            return Some((i, i + 2 + close + 2));
        }
        i += 1;
    }
    None
}

/// The fence character and length when `line` opens a fenced code block.
pub fn opens_fence(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start();
    let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.chars().take_while(|x| *x == c).count();
    // The run is ASCII, so `n` bytes end on a character boundary.
    (n >= 3 && !(c == '`' && t[n..].contains('`'))).then_some((c, n))
}

/// Whether `line` closes the fence opened with `(char, length)`.
pub fn closes_fence(line: &str, (c, n): (char, usize)) -> bool {
    let t = line.trim();
    t.len() >= n && t.chars().all(|x| x == c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(body: &str) -> Vec<String> {
        scan(body, 1)
            .into_iter()
            .map(|i| match i {
                Item::Text { text, line } => format!("{line}:{}", text.trim()),
                Item::Tag(t) => {
                    format!("{}:{}{}{}", t.line, if t.end { "/" } else { "" }, t.name, if t.closed { "+" } else { "" })
                }
            })
            .collect()
    }

    #[test]
    fn finds_tags_outside_code_only() {
        let body = "a {% hint %} b\n```\n{% tab %}\n```\nuse `{% raw %}`\n{%- endhint -%}\n";
        assert_eq!(
            tags(body),
            ["1:a", "1:hint+", "1:b", "2:```", "3:{% tab %}", "4:```", "5:use `{% raw %}`", "6:/hint"]
        );
    }

    #[test]
    fn maybe_closed_tags_know_whether_they_close() {
        let body = "{% embed url=\"a\" %}\n{% embed url=\"b\" %}\ncaption\n{% endembed %}\n";
        assert_eq!(tags(body), ["1:embed", "2:embed+", "3:caption", "4:/embed"]);
    }

    #[test]
    fn names_integrations_and_junk() {
        let body = "{% @github-files/github-code-block url=\"u\" %}\n50{% off %} {%x y%}\n{% a=b %} {% %}\n";
        let found = tags(body);
        assert_eq!(found[0], "1:@github-files/github-code-block");
        assert!(found.contains(&"2:off".to_string()) && found.contains(&"2:x".to_string()), "{found:?}");
        let line3: Vec<_> = found.iter().filter(|t| t.starts_with("3:") && t.len() > 2).collect();
        assert_eq!(line3, ["3:{% a=b %}", "3:{% %}"], "{found:?}");
    }

    #[test]
    fn every_known_name_has_one_shape() {
        let names: Vec<_> = known().collect();
        for n in &names {
            assert_eq!(names.iter().filter(|m| *m == n).count(), 1, "{n}");
            if let Some(Shape::Item(parent)) = shape(n) {
                assert_eq!(shape(parent), Some(Shape::Container), "{n}");
            }
        }
    }

    #[test]
    fn multibyte_text_around_tags_never_splits_a_character() {
        let body = "🐘{% hint %}“x”\u{a0}{% endhint %}日本\n`🐘{%`{% tab %}\n";
        let all: String = scan(body, 1)
            .into_iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.to_string()),
                Item::Tag(_) => None,
            })
            .collect();
        assert!(all.contains("🐘") && all.contains("日本") && all.contains("“x”"), "{all}");
    }
}
