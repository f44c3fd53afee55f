//! The quoted sections: the plain text and Markdown of the sections that responses
//! quote, read from the index the first time one is quoted and kept for the next
//! questions, with the stemmed words of the plain text found once (an excerpt is then
//! found by comparing stems, not by analysing the text again). Bounded like the
//! lexicon: past `CACHED_BYTES` the table starts again empty, so memory stays bounded
//! whatever the size of the docs.
//!
//! Takes the engine's `Store` and searcher (through a reading function); gives
//! `Section`s shared between the questions.

use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;
use tantivy::tokenizer::TextAnalyzer;

/// Bytes of text (and their words, counted as twice the plain text) kept in memory.
const CACHED_BYTES: usize = 4 << 20;

/// One section's texts.
#[derive(Debug, Default)]
pub struct Section {
    /// The plain text (what excerpts quote).
    pub text: String,
    /// The Markdown (what answers quote).
    pub markdown: String,
    /// The words of `text` trimmed, found the first time an excerpt needs them.
    pub words: OnceLock<Words>,
}

impl Section {
    /// The section's texts.
    pub fn new(text: String, markdown: String) -> Self {
        Section { text, markdown, words: OnceLock::new() }
    }

    /// Memory counted for it: its texts, and its words as much again as the text.
    fn bytes(&self) -> usize {
        2 * self.text.len() + self.markdown.len()
    }
}

/// The sections quoted so far, by section id.
#[derive(Default)]
pub struct Quoted {
    table: Mutex<Table>,
}

#[derive(Default)]
struct Table {
    sections: FxHashMap<usize, Arc<Section>>,
    bytes: usize,
}

impl Table {
    /// Keeps `section`, emptying the table first when it would hold more than `max` bytes.
    fn keep(&mut self, id: usize, section: Arc<Section>, max: usize) {
        if self.bytes + section.bytes() > max {
            *self = Table::default();
        }
        self.bytes += section.bytes();
        self.sections.insert(id, section);
    }
}

impl Quoted {
    /// Section `id`, kept from an earlier question or read with `read`.
    pub fn get(&self, id: usize, read: impl FnOnce() -> Section) -> Arc<Section> {
        if let Some(found) = self.table.lock().ok().and_then(|t| t.sections.get(&id).cloned()) {
            return found;
        }
        let section = Arc::new(read());
        if let Ok(mut table) = self.table.lock() {
            table.keep(id, section.clone(), CACHED_BYTES);
        }
        section
    }
}

/// A text's words as an analyzer reads them: each distinct stem once, and each word
/// as the index of its stem and the byte offset where it starts.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Words {
    stems: Vec<Box<str>>,
    words: Vec<(u32, u32)>,
}

impl Words {
    /// The words of `text` (a text past 4 GB is read up to there).
    pub fn of(text: &str, analyzer: &mut TextAnalyzer) -> Self {
        let mut index: FxHashMap<Box<str>, u32> = FxHashMap::default();
        let mut out = Words::default();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            let Ok(at) = u32::try_from(token.offset_from) else { break };
            let stem = match index.get(token.text.as_str()) {
                Some(&stem) => stem,
                None => {
                    let stem = out.stems.len() as u32;
                    out.stems.push(token.text.as_str().into());
                    index.insert(token.text.as_str().into(), stem);
                    stem
                }
            };
            out.words.push((stem, at));
        }
        out
    }

    /// `(term, offset)` of each word whose stem `term_of` gives a term for, in order.
    pub fn find(&self, term_of: impl Fn(&str) -> Option<usize>) -> Vec<(usize, usize)> {
        let terms: Vec<Option<usize>> = self.stems.iter().map(|s| term_of(s)).collect();
        let mut found = Vec::with_capacity(self.words.len());
        found.extend(self.words.iter().filter_map(|&(stem, at)| terms[stem as usize].map(|t| (t, at as usize))));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_each_stem_once_with_every_offset() {
        let words = Words::of("Tokens rotate; a token rotated.", &mut crate::index::stem::analyzer());
        assert_eq!(words.stems.len(), 3, "{words:?}");
        let found = words.find(|stem| ["token", "rotat"].iter().position(|t| *t == stem));
        assert_eq!(found, [(0, 0), (1, 7), (0, 17), (1, 23)]);
    }

    #[test]
    fn the_table_stays_within_its_bounds() {
        let mut table = Table::default();
        for id in 0..10 {
            table.keep(id, Arc::new(Section::new("x".repeat(10), "y".repeat(10))), 100);
            assert!(table.bytes <= 100 && table.bytes == 30 * table.sections.len());
        }
        assert!(table.sections.contains_key(&9), "the newest section is kept");
    }

    #[test]
    fn a_section_is_read_once() {
        let quoted = Quoted::default();
        let reads = std::cell::Cell::new(0);
        let read = || {
            reads.set(reads.get() + 1);
            Section::new("text".into(), "# text".into())
        };
        assert_eq!(quoted.get(4, read).text, "text");
        assert_eq!(quoted.get(4, read).markdown, "# text");
        assert_eq!(reads.get(), 1);
    }
}
