//! Passages: a run of consecutive paragraphs (or of a hint's paragraphs) read as
//! one sequence of sentences, and the passages an answer can quote from it: a few
//! sentences in a row, across the paragraphs' breaks, each short paragraph whole.
//!
//! Takes the blocks of a section; gives sentences and passages (scoring them is
//! the matcher's job, in `answer.rs`).

use super::blocks::{Block, BlockKind};

/// A sentence answer goes on into the sentences after it up to this many bytes: the
/// number or name asked for is often in the sentence after the one naming the topic.
pub const SENTENCES_CHARS: usize = 360;

/// One sentence of a run, with the block it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence<'a> {
    /// Index of its block among the section's blocks.
    pub block: usize,
    /// Its Markdown, trimmed.
    pub text: &'a str,
}

/// A passage: sentences `first..=last` of a run, as Markdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// Index of its first sentence in the run.
    pub first: usize,
    /// Index of its last sentence in the run.
    pub last: usize,
    /// Its Markdown: sentences of a paragraph joined by a space, paragraphs by a
    /// blank line.
    pub text: String,
}

/// The end (exclusive) of the run of blocks starting at `start`: the following
/// blocks of the same kind (paragraphs, or a hint's paragraphs) that are `worded`
/// (not images alone).
pub fn run_end(blocks: &[Block], worded: &[bool], start: usize) -> usize {
    let kind = blocks[start].kind;
    let more = (start + 1..blocks.len()).take_while(|&j| blocks[j].kind == kind && worded[j]).count();
    start + 1 + more
}

/// The sentences of the blocks `from..to`.
pub fn sentences(blocks: &[Block], from: usize, to: usize) -> Vec<Sentence<'_>> {
    (from..to)
        .flat_map(|b| split_sentences(&blocks[b].text).into_iter().map(move |text| Sentence { block: b, text }))
        .collect()
}

/// The passage starting at sentence `at`: on into the next sentences, across
/// paragraph breaks, while they fit in `SENTENCES_CHARS`.
pub fn passage(run: &[Sentence<'_>], at: usize) -> Passage {
    let mut text = run[at].text.to_string();
    let mut last = at;
    for (i, next) in run.iter().enumerate().skip(at + 1) {
        if text.len() + next.text.len() >= SENTENCES_CHARS {
            break;
        }
        text.push_str(if next.block == run[last].block { " " } else { "\n\n" });
        text.push_str(next.text);
        last = i;
    }
    Passage { first: at, last, text }
}

/// The passage as quoted: from the start of its first paragraph when that whole
/// paragraph fits in `SENTENCES_CHARS` (a short paragraph is one thought: its last
/// sentence alone loses what it speaks of).
pub fn quoted(run: &[Sentence<'_>], passage: Passage) -> Passage {
    let block = run[passage.first].block;
    let own = || run.iter().enumerate().filter(|(_, s)| s.block == block);
    let start = own().next().map_or(passage.first, |(i, _)| i);
    let whole: usize = own().map(|(_, s)| s.text.len() + 1).sum();
    if start == passage.first || whole > SENTENCES_CHARS {
        return passage;
    }
    let before: Vec<&str> = run[start..passage.first].iter().map(|s| s.text).collect();
    Passage { first: start, last: passage.last, text: format!("{} {}", before.join(" "), passage.text) }
}

/// The sentences of the passage's last block after it, joined; empty when the
/// passage ends where that block ends.
pub fn rest_of_block(run: &[Sentence<'_>], passage: &Passage) -> String {
    let block = run[passage.last].block;
    let rest: Vec<&str> = run[passage.last + 1..].iter().take_while(|s| s.block == block).map(|s| s.text).collect();
    rest.join(" ")
}

/// Whether `kind` is read as sentences.
pub fn is_prose_kind(kind: BlockKind) -> bool {
    matches!(kind, BlockKind::Paragraph | BlockKind::Quote)
}

/// Sentences of a paragraph (split after `.`, `?`, `!` followed by a space).
pub fn split_sentences(text: &str) -> Vec<&str> {
    let text = text.trim();
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for i in 0..bytes.len().saturating_sub(1) {
        if matches!(bytes[i], b'.' | b'?' | b'!') && bytes[i + 1].is_ascii_whitespace() {
            let s = text[start..=i].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = i + 1;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::blocks::blocks;
    use super::*;

    #[test]
    fn splits_sentences() {
        assert_eq!(split_sentences("One. Two? Three! v1.2 stays"), ["One.", "Two?", "Three!", "v1.2 stays"]);
    }

    #[test]
    fn a_short_paragraph_is_quoted_from_its_start() {
        let md = "Back up the vault first. Otherwise the upgrade wipes it.\n";
        let b = blocks(md);
        let run = sentences(&b, 0, 1);
        assert_eq!(quoted(&run, passage(&run, 1)).text, "Back up the vault first. Otherwise the upgrade wipes it.");
    }

    #[test]
    fn a_long_paragraph_is_quoted_from_the_sentence_asked_for() {
        let filler = "This sentence only fills the paragraph up. ".repeat(9);
        let md = format!("{filler}The vault is wiped on upgrade. Back it up.\n");
        let b = blocks(&md);
        let run = sentences(&b, 0, 1);
        let p = quoted(&run, passage(&run, 9));
        assert_eq!(p.text, "The vault is wiped on upgrade. Back it up.");
        assert!(rest_of_block(&run, &p).is_empty());
    }

    #[test]
    fn a_passage_goes_on_across_paragraph_breaks() {
        let md =
            "The endpoint is `https://example.com/in`.\n\nThe service name is `urn:example`.\n\n![diagram](d.png)\n";
        let b = blocks(md);
        let worded: Vec<bool> = b.iter().map(|b| !b.text.starts_with('!')).collect();
        let end = run_end(&b, &worded, 0);
        assert_eq!(end, 2);
        let run = sentences(&b, 0, end);
        let p = passage(&run, 0);
        assert_eq!(p.text, "The endpoint is `https://example.com/in`.\n\nThe service name is `urn:example`.");
        assert_eq!((p.first, p.last), (0, 1));
    }
}
