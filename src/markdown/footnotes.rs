//! Footnotes. A page is parsed and written a chunk at a time (between GitBook
//! blocks), while its footnotes belong to the whole page: a chunk's references to notes
//! defined in another chunk are parsed with stand-in definitions, and notes are
//! numbered over the page as they are written.
//!
//! Takes a chunk's Markdown and the page's footnote labels; gives the labels, the text
//! with stand-ins, and each note's number and HTML.

use std::collections::HashMap;

use super::markup::escape;

/// The prefix of the anchor GitBook (after GitHub) gives footnote `label`:
/// `[a note](#user-content-fn-1)[^1]`.
pub const FOOTNOTE_ANCHOR: &str = "user-content-fn-";

/// The labels of the footnotes `text` defines (`[^1]: …` at the start of a line).
pub(super) fn labels(text: &str) -> Vec<String> {
    if !text.contains("[^") {
        return Vec::new();
    }
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("   ").or(line.strip_prefix("  ")).or(line.strip_prefix(' ')).unwrap_or(line);
            let (label, _) = rest.strip_prefix("[^")?.split_once("]:")?;
            (!label.is_empty() && !label.contains([' ', ']'])).then(|| label.to_string())
        })
        .collect()
}

/// `text` followed by stand-in definitions (and how many) of the page's footnotes it refers to but
/// does not define: a page is parsed a chunk at a time (between GitBook blocks), and
/// a reference whose definition is in another chunk would otherwise show as `[^1]`.
pub(super) fn with_stand_ins(text: &str, notes: &[String]) -> Option<(String, usize)> {
    if notes.is_empty() || !text.contains("[^") {
        return None;
    }
    let own = labels(text);
    let mut extra = String::new();
    let mut count = 0;
    for label in notes.iter().filter(|l| !own.contains(l) && text.contains(&format!("[^{l}]"))) {
        extra.push_str(&format!("\n[^{label}]: .\n"));
        count += 1;
    }
    (count > 0).then(|| (format!("{text}\n\n{extra}"), count))
}

/// The numbers of a page's notes, in the order first met.
#[derive(Debug, Default)]
pub(super) struct Numbers(HashMap<String, usize>);

impl Numbers {
    /// The number of note `label`: the next one the first time it is met.
    fn of(&mut self, label: &str) -> usize {
        let next = self.0.len() + 1;
        *self.0.entry(label.to_string()).or_insert(next)
    }

    /// The HTML of a reference to note `label`.
    pub(super) fn reference(&mut self, label: &str) -> String {
        let n = self.of(label);
        format!("<sup class=\"footnote-reference\"><a href=\"#{}\">{n}</a></sup>", escape(label))
    }

    /// The HTML opening note `label`'s definition, with the anchor GitBook links a
    /// note's text to (GitHub's name for it); the definition closes with `</div>`.
    pub(super) fn definition(&mut self, label: &str) -> String {
        let (n, label) = (self.of(label), escape(label));
        format!(
            "<span id=\"{FOOTNOTE_ANCHOR}{label}\"></span>\n<div class=\"footnote-definition\" id=\"{label}\">\
             <sup class=\"footnote-definition-label\">{n}</sup>"
        )
    }
}
