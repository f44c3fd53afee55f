//! Blocks: a section's Markdown read as the blocks an answer can be drawn from
//! (paragraphs, lists, tables, code, quotes; headings skipped), and a list's
//! top-level items.
//!
//! Takes Markdown; gives `Block`s.

/// Kinds of Markdown blocks an answer can be drawn from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BlockKind {
    /// Running text.
    Paragraph,
    /// A bullet or numbered list.
    List {
        /// Numbered.
        ordered: bool,
    },
    /// A GFM table.
    Table,
    /// A fenced code block.
    Code,
    /// A blockquote (hints become these in the twin).
    Quote,
}

/// A block of a section's Markdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Its kind.
    pub kind: BlockKind,
    /// Its Markdown.
    pub text: String,
}

/// Splits Markdown into blocks (a light line-based reading, headings skipped).
pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut current: Option<Block> = None;
    let mut fence: Option<String> = None;
    let flush = |current: &mut Option<Block>, out: &mut Vec<Block>| {
        if let Some(b) = current.take() {
            if !b.text.trim().is_empty() {
                out.push(b);
            }
        }
    };
    for line in markdown.lines() {
        let t = line.trim_start();
        if let Some(f) = &fence {
            current
                .get_or_insert(Block { kind: BlockKind::Code, text: String::new() })
                .text
                .push_str(&format!("{line}\n"));
            if t.starts_with(f.as_str()) {
                fence = None;
                flush(&mut current, &mut out);
            }
            continue;
        }
        let kind = if t.starts_with("```") || t.starts_with("~~~") {
            flush(&mut current, &mut out);
            fence = Some(t[..3].to_string());
            BlockKind::Code
        } else if t.is_empty() {
            // A blank line ends paragraphs but not lists (loose lists).
            if !matches!(current.as_ref().map(|b| b.kind), Some(BlockKind::List { .. })) {
                flush(&mut current, &mut out);
            }
            continue;
        } else if t.starts_with('#') {
            flush(&mut current, &mut out);
            continue;
        } else if let Some(ordered) = list_marker(t) {
            BlockKind::List { ordered }
        } else if t.starts_with('|') {
            BlockKind::Table
        } else if t.starts_with('>') {
            BlockKind::Quote
        } else if line.starts_with(' ') && matches!(current.as_ref().map(|b| b.kind), Some(BlockKind::List { .. })) {
            current.as_mut().expect("list").text.push_str(&format!("{line}\n"));
            continue;
        } else {
            BlockKind::Paragraph
        };
        let same = match (current.as_ref().map(|b| b.kind), kind) {
            (Some(BlockKind::List { .. }), BlockKind::List { .. }) => true,
            (Some(a), b) => a == b,
            (None, _) => false,
        };
        if !same {
            flush(&mut current, &mut out);
        }
        let text = if kind == BlockKind::Quote { t.trim_start_matches('>').trim_start() } else { line };
        if kind == BlockKind::Quote && text.starts_with("[!") {
            continue;
        }
        current.get_or_insert(Block { kind, text: String::new() }).text.push_str(&format!("{text}\n"));
    }
    flush(&mut current, &mut out);
    out
}

/// `Some(ordered)` when the line starts a list item.
fn list_marker(t: &str) -> Option<bool> {
    if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") {
        return Some(false);
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") "))).then_some(true)
}

/// Top-level items of a list, each with its nested lines.
pub fn split_items(list: &str) -> Vec<String> {
    let indent = list.lines().next().map_or(0, |l| l.len() - l.trim_start().len());
    let mut items: Vec<String> = Vec::new();
    for line in list.lines() {
        let own = line.len() - line.trim_start().len();
        if own <= indent && list_marker(line.trim_start()).is_some() || items.is_empty() {
            items.push(String::new());
        }
        let item = items.last_mut().expect("one item");
        item.push_str(line);
        item.push('\n');
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_blocks() {
        let md = "## H\n\nFirst para.\nStill para.\n\n1. one\n   more\n2. two\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n```sh\nx\n```\n\n> [!NOTE]\n> Careful.\n";
        let kinds: Vec<_> = blocks(md).into_iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Paragraph,
                BlockKind::List { ordered: true },
                BlockKind::Table,
                BlockKind::Code,
                BlockKind::Quote
            ]
        );
        assert_eq!(split_items("1. one\n   more\n2. two\n"), ["1. one\n   more\n", "2. two\n"]);
    }
}
