//! Link and image destinations with spaces (`![](/assets/Screen Shot 1.png)`,
//! `[Notes](my notes.md)`), as the legacy GitBook editor wrote them and legacy GitBook
//! rendered them. CommonMark reads them as text, so the image or link would be lost
//! and its Markdown shown; they are rewritten to the bracketed form CommonMark reads
//! (`](<my notes.md>)`) before the chunk is parsed. Code spans, code blocks and raw
//! HTML are left alone, as are destinations with a title, parentheses or angle
//! brackets, and `](` not closing a `[label` on its line.

use pulldown_cmark::{Event, Tag, TagEnd};
use std::ops::Range;

/// `text` with every spaced destination bracketed, or `None` when it has none.
pub fn bracketed(text: &str) -> Option<String> {
    let candidates = candidates(text);
    if candidates.is_empty() {
        return None;
    }
    let code = code_ranges(text);
    let kept: Vec<Range<usize>> =
        candidates.into_iter().filter(|c| !code.iter().any(|r| r.start <= c.start && c.start < r.end)).collect();
    if kept.is_empty() {
        return None;
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

/// Byte ranges of the destinations (trimmed) that hold a space and nothing that
/// CommonMark would read otherwise, after a `](` that closes a `[` on its line.
fn candidates(text: &str) -> Vec<Range<usize>> {
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
        if text.as_bytes()[close] != b')' {
            continue;
        }
        let raw = &text[open..close];
        let dest = raw.trim_matches(' ');
        let lead = raw.len() - raw.trim_start_matches(' ').len();
        let plain = !dest.contains(['<', '>', '"', '\'', '(', '`', '[', ']', '\t', '\\']);
        let path_like = dest.contains(['.', '/']) && !dest.ends_with('.');
        if dest.contains(' ') && plain && path_like {
            found.push(open + lead..open + lead + dest.len());
            from = close;
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
    use super::bracketed;

    #[test]
    fn spaced_destinations_are_bracketed() {
        let text = "See ![](/assets/Oven Door 2.png) and [the list](shopping list.md).\n";
        assert_eq!(
            bracketed(text).as_deref(),
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
            assert_eq!(bracketed(text), None, "{text:?}");
        }
    }

    #[test]
    fn multibyte_text_around_a_destination_is_kept_whole() {
        let text = "说明 ![图](/assets/屏幕快照 下午.png) 完\n";
        assert_eq!(bracketed(text).as_deref(), Some("说明 ![图](</assets/屏幕快照 下午.png>) 完\n"));
    }
}
