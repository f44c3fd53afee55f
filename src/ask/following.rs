//! Following: what a direct answer leads into and brings along. The rest of the
//! paragraph it stops in, the block it introduces ("…as follows:"), the code after
//! the paragraph it closes, the next block when it is short; images in between
//! passed over.
//!
//! Takes the section's blocks and the chosen candidate; gives the answer's Markdown.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::blocks::{Block, BlockKind};
use super::passages::{is_prose_kind, SENTENCES_CHARS};

/// Bytes of the blocks an answer may bring along after its own: what it introduces
/// (`…as follows:`), the code after the paragraph it closes.
const FOLLOWING_CHARS: usize = 1500;

/// A candidate answer: its score, its Markdown, the index of the last block it
/// draws from, whether it ends where that block (a paragraph) ends, and if not,
/// the rest of that block's sentences.
pub struct Candidate {
    /// Its score.
    pub score: f32,
    /// Its Markdown.
    pub text: String,
    /// Index of the last block it draws from.
    pub last: usize,
    /// Whether it ends where that block, a paragraph, ends.
    pub closes: bool,
    /// The rest of that block's sentences when it stops inside it.
    pub rest: String,
}

/// The answer with what it leads into. A short answer stopping inside a paragraph
/// goes on to the paragraph's end (the rest counting in `FOLLOWING_CHARS`), else
/// stops there: it never jumps over the rest of its paragraph. Then come the block
/// it introduces ("…:"), the code, list or table after the paragraph it closes,
/// and the next block when the answer was short; on while each block introduces
/// the next. A paragraph of images or links alone in between is passed over (an
/// image's alt text never answers).
pub fn with_following(blocks: &[Block], worded: &[bool], best: Candidate) -> String {
    let mut text = best.text.trim().to_string();
    let short = text.len() < SENTENCES_CHARS;
    let mut closes = best.closes;
    let mut added = 0;
    if !best.rest.is_empty() {
        if !short || best.rest.len() > FOLLOWING_CHARS {
            return text;
        }
        text.push(' ');
        text.push_str(&best.rest);
        added += best.rest.len();
        closes = blocks[best.last].kind == BlockKind::Paragraph;
    }
    let structured = |b: &Block| matches!(b.kind, BlockKind::Code | BlockKind::List { .. } | BlockKind::Table);
    let following = (best.last + 1..blocks.len()).filter(|&j| worded[j]).map(|j| &blocks[j]);
    for (n, next) in following.enumerate() {
        let first = n == 0 && (closes && structured(next) || short);
        let more = next.text.trim_end();
        if added + more.len() > FOLLOWING_CHARS || !(text.ends_with(':') || is_caption(&text) || first) {
            break;
        }
        text.push_str("\n\n");
        text.push_str(more);
        added += more.len();
    }
    text
}

/// Whether the last block of `text` is a caption: one line all in bold, such as the
/// title GitBook gives a code block (`**List buyers**`), which leads into what follows.
fn is_caption(text: &str) -> bool {
    let last = text.rsplit("\n\n").next().unwrap_or("").trim();
    !last.contains('\n') && last.len() > 4 && last.starts_with("**") && last.ends_with("**")
}

/// For each block, whether it says something in words of its own: all do but a
/// paragraph or hint of images and links alone (found once per answer).
pub fn worded(blocks: &[Block]) -> Vec<bool> {
    blocks.iter().map(|b| !is_prose_kind(b.kind) || has_prose(&b.text)).collect()
}

/// Whether a paragraph says something in words of its own: not only images (whose
/// alt text describes a picture, never answers) and links (pointers elsewhere).
fn has_prose(markdown: &str) -> bool {
    let mut inside = 0usize;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Image { .. } | Tag::Link { .. }) => inside += 1,
            Event::End(TagEnd::Image | TagEnd::Link) => inside = inside.saturating_sub(1),
            Event::Text(text) | Event::Code(text) if inside == 0 && text.chars().any(char::is_alphanumeric) => {
                return true
            }
            _ => {}
        }
    }
    false
}
