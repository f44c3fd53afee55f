//! Link and image destinations as legacy editors wrote them, which CommonMark would
//! misread; they are rewritten before the chunk (or the summary) is parsed.
//!
//! - Spaces (`![](/assets/Screen Shot 1.png)`, `[Notes](my notes.md)`), as the legacy
//!   GitBook editor wrote them and legacy GitBook rendered them: CommonMark reads them
//!   as text, so the image or link would be lost and its Markdown shown. They are
//!   bracketed (`](<my notes.md>)`).
//! - Windows folder separators (`![](..\.gitbook\assets\a.png)`, as editors on Windows
//!   write them): a browser reads `\` in a web page's URL as `/`, but CommonMark first
//!   reads `\.` as an escaped dot, which would make `..\.gitbook` the folder
//!   `...gitbook`. A destination with a backslash that is no escape (before a letter,
//!   a digit or a character beyond ASCII) is a Windows path: its backslashes before
//!   those and before `.` become `/`. Other backslashes stay escapes
//!   (`error\_003.md`); the remaining ones are read as `/` when the path is resolved.
//!
//! Code spans, code blocks and raw HTML are left alone, as are `](` not closing a
//! `[label` on its line, other sites (`https:`, `C:`), and for spaces, destinations
//! with a title, parentheses or angle brackets.

use pulldown_cmark::{Event, Tag, TagEnd};
use std::ops::Range;

/// `text` with its Windows separators made `/` and its spaced destinations bracketed,
/// or `None` when it has neither.
pub fn rewrite(text: &str) -> Option<String> {
    let separators = windows_separators(text);
    let spaced = candidates(text);
    if separators.is_empty() && spaced.is_empty() {
        return None;
    }
    let code = code_ranges(text);
    let in_code = |at: usize| code.iter().any(|r| r.start <= at && at < r.end);
    let separators: Vec<usize> = separators.into_iter().filter(|&at| !in_code(at)).collect();
    // A `/` for a `\` keeps every offset, so the code ranges still hold after it.
    let text = if separators.is_empty() {
        std::borrow::Cow::Borrowed(text)
    } else {
        let mut bytes = text.as_bytes().to_vec();
        for at in &separators {
            bytes[*at] = b'/';
        }
        // Only ASCII backslashes were replaced by ASCII slashes.
        std::borrow::Cow::Owned(String::from_utf8(bytes).ok()?)
    };
    let kept: Vec<Range<usize>> = if separators.is_empty() {
        spaced.into_iter().filter(|c| !in_code(c.start)).collect()
    } else {
        candidates(&text).into_iter().filter(|c| !in_code(c.start)).collect()
    };
    if kept.is_empty() {
        return (!separators.is_empty()).then(|| text.into_owned());
    }
    let mut out = String::with_capacity(text.len() + 2 * kept.len());
    let mut at = 0;
    for dest in kept {
        out.push_str(&text[at..dest.start]);
        out.push('<');
        out.push_str(&text[dest.clone()]);
        out.push('>');
        at = dest.end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// Offsets of the backslashes that are Windows folder separators in destinations
/// after a `](` that closes a `[` on its line (see the module's comment).
fn windows_separators(text: &str) -> Vec<usize> {
    let mut found = Vec::new();
    for Range { start: open, end: close } in written(text) {
        // The path ends at the destination's end, or where a title starts.
        let path = text[open..close].split(['"', '\'']).next().unwrap_or("");
        if has_scheme(path.trim_start_matches([' ', '<'])) {
            continue;
        }
        let bytes = path.as_bytes();
        let next = |i: usize| bytes.get(i + 1).copied().unwrap_or(b' ');
        let literal = |b: u8| b.is_ascii_alphanumeric() || !b.is_ascii();
        let mut backslashes = Vec::new();
        let mut windows = false;
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'\\' {
                match next(i) {
                    // An escaped backslash is one literal backslash, read as `/` later.
                    b'\\' => i += 1,
                    b if literal(b) => {
                        windows = true;
                        backslashes.push(open + i);
                    }
                    b'.' => backslashes.push(open + i),
                    _ => {}
                }
            }
            i += 1;
        }
        if windows {
            found.extend(backslashes);
        }
    }
    found
}

/// Where destinations are written: the byte ranges between each `](` that closes a
/// `[` on its line and the first `)` after it on that line (each range starts and
/// ends at an ASCII delimiter, so slicing there never splits a character).
fn written(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find("](") {
        let open = from + pos + 2;
        from = open;
        let line_start = text[..open].rfind('\n').map_or(0, |n| n + 1);
        if !text[line_start..open - 2].contains('[') {
            continue;
        }
        let Some(close) = text[open..].find([')', '\n']).map(|n| open + n) else { continue };
        if text.as_bytes()[close] == b')' {
            found.push(open..close);
        }
    }
    found
}

/// Whether a destination starts with a URL scheme (`https:`, `mailto:`) or a drive
/// (`C:`): another site or a file on the writer's machine, left as written.
fn has_scheme(dest: &str) -> bool {
    let Some((scheme, _)) = dest.split_once(':') else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Byte ranges of the destinations (trimmed) that hold a space and nothing that
/// CommonMark would read otherwise, after a `](` that closes a `[` on its line.
fn candidates(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    for Range { start: open, end: close } in written(text) {
        let raw = &text[open..close];
        let dest = raw.trim_matches(' ');
        let lead = raw.len() - raw.trim_start_matches(' ').len();
        let plain = !dest.contains(['<', '>', '"', '\'', '(', '`', '[', ']', '\t', '\\']);
        let path_like = dest.contains(['.', '/']) && !dest.ends_with('.');
        if dest.contains(' ') && plain && path_like {
            found.push(open + lead..open + lead + dest.len());
        }
    }
    found
}

/// Where the text is code or raw HTML, whose characters are not Markdown.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut block_start = None;
    for (event, range) in super::parser(text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => ranges.push(block_start.take().unwrap_or(range.start)..range.end),
            Event::Code(_) | Event::Html(_) | Event::InlineHtml(_) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn spaced_destinations_are_bracketed() {
        let text = "See ![](/assets/Oven Door 2.png) and [the list](shopping list.md).\n";
        assert_eq!(
            rewrite(text).as_deref(),
            Some("See ![](</assets/Oven Door 2.png>) and [the list](<shopping list.md>).\n")
        );
    }

    #[test]
    fn code_titles_and_prose_are_left_alone() {
        for text in [
            "`[a](b c.md)` in code\n",
            "```\n[a](b c.md)\n```\n",
            "[a](b.md \"a title\")\n",
            "no label here](b c.md)\n",
            "[a](<b c.md>)\n",
            "[a](plain words)\n",
            "[a](b c.md\n)\n",
        ] {
            assert_eq!(rewrite(text), None, "{text:?}");
        }
    }

    #[test]
    fn multibyte_text_around_a_destination_is_kept_whole() {
        let text = "说明 ![图](/assets/屏幕快照 下午.png) 完\n";
        assert_eq!(rewrite(text).as_deref(), Some("说明 ![图](</assets/屏幕快照 下午.png>) 完\n"));
    }

    #[test]
    fn windows_separators_become_slashes() {
        let text = "![a](..\\.gitbook\\assets\\Pie chart.png) and [b](guide\\setup.md \"the\\title\")\n";
        assert_eq!(
            rewrite(text).as_deref(),
            Some("![a](<../.gitbook/assets/Pie chart.png>) and [b](guide/setup.md \"the\\title\")\n")
        );
        let text = "说明 ![图](图片\\示意图.png) 完 [x](<.\\docs\\a b.md>)\n";
        assert_eq!(rewrite(text).as_deref(), Some("说明 ![图](图片/示意图.png) 完 [x](<./docs/a b.md>)\n"));
    }

    #[test]
    fn escapes_code_and_other_sites_keep_their_backslashes() {
        for text in [
            "[a](errors/error\\_003.md)\n",
            "[a](C:\\Users\\me\\a.md)\n",
            "`[a](guide\\setup.md)` in code\n",
            "```\n![a](img\\a.png)\n```\n",
            "<img src=\"img\\a.png\"> in raw HTML\n",
            "[x](..\\..\\y.md not closed on its line\n",
            "a path img\\a.png outside a destination\n",
        ] {
            assert_eq!(rewrite(text), None, "{text:?}");
        }
    }
}
