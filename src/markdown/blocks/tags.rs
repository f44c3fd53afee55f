//! GitBook tags in text: finds `{% name attrs %}` and `{% endname %}` outside fenced
//! and inline code, line by line (what each block name is: `names`).
//!
//! Takes a body of Markdown; gives its `Item`s in order: runs of text and tags, each
//! with its line, and for every tag that may stand alone whether it is closed.

use std::collections::HashMap;
use std::ops::Range;

use crate::diag::LineStarts;

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
    /// Columns of white space before the tag when it starts its line: GitBook indents
    /// a block, body and all, under the list item it belongs to.
    pub indent: usize,
    /// How it was miswritten, if it was.
    pub flaw: Option<Flaw>,
}

/// The block whose text holds no tags: `{% raw %}{% hint %}{% endraw %}` shows the tag.
const RAW: &str = "raw";
/// Rounds of re-reading text between tags (see `scan`); a bound, whatever the text.
const MAX_ROUNDS: usize = 8;
/// A tag may run over this many lines (`{% embed url="…"` and `%}` on the next line).
const MAX_TAG_LINES: usize = 4;

/// Splits `body` (whose first line is `first_line`) into text and tags.
///
/// What is code is what the Markdown parser says is code (fenced and indented blocks,
/// code spans), so a tag is found exactly where the page would show it as text. The
/// text between two tags is rendered on its own, where it may read differently than
/// in the whole page (a code span of the whole page can be raw HTML after a tag), so
/// each run of text that holds `{%` is read again on its own, until nothing changes.
pub fn scan(body: &str, first_line: usize) -> Vec<Item<'_>> {
    let lines = LineStarts::new(body, first_line);
    let mut pieces = vec![Piece::Pending(0..body.len())];
    for _ in 0..MAX_ROUNDS {
        let mut changed = false;
        let mut next = Vec::with_capacity(pieces.len());
        for piece in pieces {
            match piece {
                Piece::Pending(run) if body[run.clone()].contains("{%") => {
                    let split = split_run(body, run, &lines);
                    changed |= split.len() > 1 || matches!(split.first(), Some(Piece::Tag(..)));
                    next.extend(split);
                }
                Piece::Pending(run) => next.push(Piece::Stable(run)),
                other => next.push(other),
            }
        }
        pieces = next;
        if !changed {
            break;
        }
    }
    let mut items: Vec<Item<'_>> = pieces
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Pending(run) | Piece::Stable(run) if !run.is_empty() => {
                Some(Item::Text { text: &body[run.clone()], line: lines.line_of(run.start) })
            }
            Piece::Pending(_) | Piece::Stable(_) => None,
            Piece::Tag(tag) => Some(Item::Tag(tag)),
        })
        .collect();
    mark_closed(&mut items);
    items
}

/// A part of a body while it is being split.
enum Piece<'a> {
    /// Text that may still hold tags.
    Pending(Range<usize>),
    /// Text read on its own and found to hold none.
    Stable(Range<usize>),
    /// A tag.
    Tag(Tag<'a>),
}

/// Splits one run of text at the tags its own parse shows outside code; text between
/// them comes back `Pending` (to be read again on its own).
fn split_run<'a>(body: &'a str, run: Range<usize>, lines: &LineStarts) -> Vec<Piece<'a>> {
    let text = &body[run.clone()];
    let code = code_ranges(text);
    let mut out = Vec::new();
    let mut cursor = 0;
    let mut from = 0;
    while let Some(found) = find_tag(text, from, &code) {
        let Found { open, inner, end, flaw } = found;
        from = end;
        let line = lines.line_of(run.start + open);
        // `find_tag` gives offsets of ASCII delimiters: character boundaries.
        let Some(mut tag) = parse_tag(&text[inner], line) else { continue };
        tag.indent = indent_before(body, run.start + open);
        tag.flaw = flaw;
        if open > cursor {
            out.push(Piece::Pending(run.start + cursor..run.start + open));
        }
        let raw = tag.name == RAW && !tag.end;
        out.push(Piece::Tag(tag));
        // A line holding only tags leaves no text behind, not even its line end.
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
        cursor = if text[end..line_end].trim().is_empty() { line_end } else { end };
        if raw {
            // What follows, up to `{% endraw %}` (found next), is text, tags and all.
            let stop = end_of_raw(text, cursor, &code).unwrap_or(text.len()).max(cursor);
            if stop > cursor {
                out.push(Piece::Stable(run.start + cursor..run.start + stop));
            }
            (cursor, from) = (stop, stop);
        }
    }
    if out.is_empty() {
        return vec![Piece::Stable(run)];
    }
    if cursor < text.len() {
        out.push(Piece::Pending(run.start + cursor..run.end));
    }
    out
}

/// Columns of white space between the start of the line and `at` (a tab counts to the
/// next multiple of 4), or 0 when anything else comes first.
fn indent_before(body: &str, at: usize) -> usize {
    // `at` is the offset of an ASCII `{%`, and `\n` is ASCII: both are boundaries.
    let line_start = body[..at].rfind('\n').map_or(0, |i| i + 1);
    let mut columns = 0;
    for c in body[line_start..at].chars() {
        columns = match c {
            ' ' => columns + 1,
            '\t' => columns + 4 - columns % 4,
            _ => return 0,
        };
    }
    columns
}

/// `text` with up to `columns` columns of leading white space taken from each line,
/// from the first line on, until a line that is not blank is indented less (it no
/// longer belongs to the indented item).
pub fn dedent(text: &str, columns: usize) -> String {
    if columns == 0 {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split_inclusive('\n');
    for line in lines.by_ref() {
        let mut width = 0;
        let mut cut = 0;
        for (i, c) in line.char_indices() {
            let next = match c {
                ' ' => width + 1,
                '\t' => width + 4 - width % 4,
                _ => break,
            };
            if next > columns {
                break;
            }
            width = next;
            cut = i + c.len_utf8();
        }
        if width < columns && !line.trim().is_empty() {
            out.push_str(line);
            break;
        }
        // `cut` ends after an ASCII space or tab.
        out.push_str(&line[cut..]);
    }
    for line in lines {
        out.push_str(line);
    }
    out
}

/// Byte ranges of `text` that the Markdown parser reads as code, or as an HTML
/// comment (`<!-- … {% embed … %} … -->`, which GitBook hides whole, tags and all), in
/// order.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Tag as MdTag};
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (event, range) in crate::markdown::parser(text).into_offset_iter() {
        let hidden = match event {
            Event::Start(MdTag::CodeBlock(_)) | Event::Code(_) => Some(range),
            Event::Start(MdTag::HtmlBlock) | Event::InlineHtml(_) => comment(text, range),
            _ => None,
        };
        if let Some(range) = hidden.filter(|r| ranges.last().is_none_or(|last| r.start >= last.end)) {
            ranges.push(range);
        }
    }
    ranges
}

/// The HTML comment that the raw HTML at `range` of `text` opens with, up to its
/// `-->` (to the end of `range` when it has none).
fn comment(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let html = text.get(range.clone())?;
    let start = range.start + (html.len() - html.trim_start().len());
    let rest = text.get(start..range.end)?.strip_prefix("<!--")?;
    let end = rest.find("-->").map_or(range.end, |i| start + 4 + i + 3);
    Some(start..end)
}

/// Where the first `{% endraw %}` at or after `from` in `text` (outside `code`) starts:
/// the end of a `{% raw %}` block, whose text Liquid leaves as it is.
fn end_of_raw(text: &str, mut from: usize, code: &[Range<usize>]) -> Option<usize> {
    while let Some(found) = find_tag(text, from, code) {
        from = found.end;
        if parse_tag(&text[found.inner.clone()], 0).is_some_and(|t| t.end && t.name == RAW) {
            return Some(found.open);
        }
    }
    None
}

/// A tag found in text: where it starts and ends, and the part between its delimiters.
struct Found {
    open: usize,
    inner: Range<usize>,
    end: usize,
    flaw: Option<Flaw>,
}

/// How a tag was written that GitBook's own export would not write, but reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flaw {
    /// `\{% hint %\}`: escaped by a Markdown converter, meant as a tag.
    Escaped,
    /// `{% hint style="info"}`: the closing `%` is missing.
    NoPercent,
}

/// The next `{% … %}` at or after `from` in `text` that starts outside `code`; its
/// `%}` may come a few lines later. Also an escaped `\{% … %\}`, and an opener
/// starting its line whose `}` lacks the `%`.
fn find_tag(text: &str, mut from: usize, code: &[Range<usize>]) -> Option<Found> {
    while let Some(open) = text[from..].find("{%").map(|i| from + i) {
        from = open + 2;
        // The last code range that starts at or before `open`, if it holds it.
        let inside = code.partition_point(|r| r.start <= open).checked_sub(1).is_some_and(|i| open < code[i].end);
        if inside {
            continue;
        }
        let escaped = text[..open].ends_with('\\');
        let line_end = text[from..].find('\n').map_or(text.len(), |i| from + i);
        let (closer, flaw) = if escaped { ("%\\}", Some(Flaw::Escaped)) } else { ("%}", None) };
        let start = if escaped { open - 1 } else { open };
        match text[from..].find(closer).map(|i| from + i) {
            Some(close)
                if text[from..close].matches('\n').count() < MAX_TAG_LINES && !text[from..close].contains("{%") =>
            {
                return Some(Found { open: start, inner: from..close, end: close + closer.len(), flaw });
            }
            _ => {}
        }
        // `{% name attrs}` (escaped or not) starting its line, the `%` forgotten: the
        // first `}` outside quotes closes it, and the line may go on after it.
        let before = text[..start].trim_end_matches([' ', '\t']);
        let alone = before.is_empty() || before.ends_with('\n');
        if let Some(close) = percentless_close(&text[from..line_end]).filter(|_| alone) {
            let close = from + close;
            return Some(Found { open: start, inner: from..close, end: close + 1, flaw: Some(Flaw::NoPercent) });
        }
    }
    None
}

/// Where a tag whose `%` was forgotten ends in the rest of its line (`hint
/// style="info"} text`): its first `}` outside double quotes, when nothing before it
/// opens or closes another tag.
fn percentless_close(rest: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in rest.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '}' if !quoted => return Some(i),
            '{' | '%' if !quoted => return None,
            _ => {}
        }
    }
    None
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
    valid.then_some(Tag { end, name, attrs, line, closed: false, indent: 0, flaw: None })
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

    #[test]
    fn dedent_stops_at_a_line_indented_less() {
        assert_eq!(dedent("    a\n\n      b\n\tc\n  d\n    e\n", 4), "a\n\n  b\nc\n  d\n    e\n");
        assert_eq!(dedent("  🐘 x\n", 4), "  🐘 x\n");
        assert_eq!(indent_before("ab\n  \t{% x %}", 6), 4);
        assert_eq!(indent_before("ab\n- {% x %}", 5), 0);
    }

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
        assert_eq!(tags(body), ["1:a", "1:hint+", "1:b\n```\n{% tab %}\n```\nuse `{% raw %}`", "6:/hint"]);
        // What the Markdown parser reads: a fence inside an HTML block is not code.
        let html = "<details><summary>Q\n```\n{% hint %}\n\n    {% code %}\n";
        assert_eq!(tags(html), ["1:<details><summary>Q\n```", "3:hint", "4:{% code %}"]);
    }

    #[test]
    fn tags_in_an_html_comment_are_hidden_with_it() {
        let body = "a\n\n<!-- old:\n{% embed url=\"x\" %}\n-->\n\n{% hint %}\nb <!-- {% tab %} --> c\n";
        assert_eq!(tags(body), ["1:a\n\n<!-- old:\n{% embed url=\"x\" %}\n-->", "7:hint", "8:b <!-- {% tab %} --> c"]);
        // A block that only mentions a comment later is read as usual.
        assert_eq!(tags("<div>\n{% hint %}\n<!-- x -->\n"), ["1:<div>", "2:hint", "3:<!-- x -->"]);
    }

    #[test]
    fn the_text_of_a_raw_block_holds_no_tags() {
        let body = "{% raw %}\nuse {% hint %} and {{ page }}\n{% endraw %}\n{% hint %}x\n";
        assert_eq!(tags(body), ["1:raw+", "2:use {% hint %} and {{ page }}", "3:/raw", "4:hint", "4:x"]);
        // Unclosed, it runs to the end of the text it was found in.
        assert_eq!(tags("a {% raw %}{% hint %}\n"), ["1:a", "1:raw", "1:{% hint %}"]);
    }

    #[test]
    fn text_after_a_tag_is_read_on_its_own() {
        // In the whole page the second tag is in a code span; after the first tag the
        // `<img>` line starts an HTML block, where backticks are plain text.
        let body = "{% hint %}\n<img src=\"a.png\">\n`code {% endhint %}`\n";
        assert_eq!(tags(body), ["1:hint+", "2:<img src=\"a.png\">\n`code", "3:/hint", "3:`"]);
    }

    #[test]
    fn a_tag_may_close_on_a_later_line() {
        let body = "{% embed url=\"https://e.com/v\"\n   caption=\"A video\" %}\ntext\n{% hint\n";
        let items = scan(body, 1);
        assert!(matches!(&items[0], Item::Tag(t) if t.name == "embed" && t.attrs.contains("caption")), "{items:?}");
        assert!(matches!(&items[1], Item::Text { text: "text\n{% hint\n", line: 3 }), "{items:?}");
    }

    #[test]
    fn maybe_closed_tags_know_whether_they_close() {
        let body = "{% embed url=\"a\" %}\n{% embed url=\"b\" %}\ncaption\n{% endembed %}\n";
        assert_eq!(tags(body), ["1:embed", "2:embed+", "3:caption", "4:/embed"]);
    }

    #[test]
    fn names_integrations_and_junk() {
        let body = "{% @github-files/github-code-block url=\"u\" %}\n50{% off %} {%x y%}\n{% a=b %} {% %}\n";
        assert_eq!(
            tags(body),
            ["1:@github-files/github-code-block", "2:50", "2:off", "2:", "2:x", "3:{% a=b %} {% %}"]
        );
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
