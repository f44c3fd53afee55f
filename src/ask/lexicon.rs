//! The lexicon: a term's postings over the scored fields, read from the index the
//! first time a question uses the term and kept in memory for the next questions
//! (up to `CACHED` postings and `CACHED_TERMS` terms; past either the table starts
//! again empty, so memory stays bounded whatever the size of the docs and however many
//! new words the questions bring).
//!
//! A posting holds what BM25F needs of a term in a section and nothing that depends
//! on the question: the term's frequency in each field, weighted and normalised by
//! the field's length (`Σ weight·tf / (1 − b + b·len/avg)`), and whether the term is in
//! the title or the heading. Takes a searcher, the fields and the `Store`; gives
//! `Lexicon`.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, Term, TERMINATED};

use super::store::{scored, Store, SCORED};
use crate::index::Fields;

/// BM25F weight and length normalisation (b) of each scored field: title, heading,
/// breadcrumbs, description, body. A page's title and description describe every
/// section of it, so they weigh most, as in the plain section BM25F the ranking is
/// measured against.
pub const FIELDS: [(f32, f32); SCORED] = [(6.0, 0.5), (2.0, 0.5), (0.0, 0.5), (6.0, 0.5), (1.0, 0.75)];

/// Bit of `Posting::flags`: the term is in the page title.
pub const IN_TITLE: u8 = 1;
/// Bit of `Posting::flags`: the term is in the section heading.
pub const IN_HEADING: u8 = 2;

/// Postings kept in memory (12 bytes each: about 3 MB). Every term of a site of a few
/// hundred pages fits; on a site of 10,000 pages a question's common terms are read
/// again from the index now and then, which keeps the server under its memory budget.
const CACHED: usize = 250_000;
/// Terms kept in memory, words the docs never use included (about 100 bytes each).
const CACHED_TERMS: usize = 20_000;

/// A term in one section.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Posting {
    /// Section id in the `Store`.
    pub section: u32,
    /// Weighted, length-normalised frequency over the fields (before saturation).
    pub weight: f32,
    /// `IN_TITLE`, `IN_HEADING`.
    pub flags: u8,
}

/// The postings of the terms asked about so far.
#[derive(Default)]
struct Table {
    terms: FxHashMap<Box<str>, Arc<[Posting]>>,
    postings: usize,
}

impl Table {
    /// Keeps the postings of `term`, emptying the table first when it would hold more
    /// than `max_postings` postings or `max_terms` terms.
    fn keep(&mut self, term: &str, postings: Arc<[Posting]>, max_postings: usize, max_terms: usize) {
        if self.postings + postings.len() > max_postings || self.terms.len() >= max_terms {
            *self = Table::default();
        }
        self.postings += postings.len();
        self.terms.insert(term.into(), postings);
    }
}

/// Terms' postings, read from the index on first use.
pub struct Lexicon {
    searcher: Searcher,
    fields: [Field; SCORED],
    table: Mutex<Table>,
}

impl Lexicon {
    /// A lexicon over the index `searcher` sees.
    pub fn new(searcher: Searcher, fields: &Fields) -> Self {
        Lexicon { searcher, fields: scored(fields), table: Mutex::default() }
    }

    /// The postings of `term`, by section id (empty when the docs never use it);
    /// `store` maps the index's documents to sections and knows their lengths.
    pub fn postings(&self, store: &Store, term: &str) -> Arc<[Posting]> {
        if let Some(found) = self.table.lock().ok().and_then(|t| t.terms.get(term).cloned()) {
            return found;
        }
        let postings: Arc<[Posting]> = self.read(store, term).into();
        if let Ok(mut table) = self.table.lock() {
            table.keep(term, postings.clone(), CACHED, CACHED_TERMS);
        }
        postings
    }

    /// Reads a term's postings from every segment and scored field (an unreadable
    /// field counts as not holding the term).
    fn read(&self, store: &Store, term: &str) -> Vec<Posting> {
        let avg = store.avg.map(|a| a.max(1.0));
        // (section, field, frequency)
        let mut found: Vec<(u32, usize, u32)> = Vec::new();
        for (seg_ord, seg) in self.searcher.segment_readers().iter().enumerate() {
            for (f, field) in self.fields.iter().enumerate() {
                // A field of no weight is left out (title and heading still flag matches).
                if FIELDS[f].0 == 0.0 && f > 1 {
                    continue;
                }
                let Ok(inverted) = seg.inverted_index(*field) else { continue };
                let Ok(Some(mut postings)) =
                    inverted.read_postings(&Term::from_field_text(*field, term), IndexRecordOption::WithFreqs)
                else {
                    continue;
                };
                while postings.doc() != TERMINATED {
                    if let Some(id) = store.id(seg_ord as u32, postings.doc()) {
                        found.push((id, f, postings.term_freq()));
                    }
                    postings.advance();
                }
            }
        }
        found.sort_unstable();
        let mut out: Vec<Posting> = Vec::new();
        for (section, f, tf) in found {
            let (weight, b) = FIELDS[f];
            let len = store.sections[section as usize].len[f] as f32;
            let part = weight * tf as f32 / (1.0 - b + b * len / avg[f]);
            let flag = [IN_TITLE, IN_HEADING].get(f).copied().unwrap_or(0);
            match out.last_mut() {
                Some(last) if last.section == section => {
                    last.weight += part;
                    last.flags |= flag;
                }
                _ => out.push(Posting { section, weight: part, flags: flag }),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_stays_within_its_bounds() {
        let mut table = Table::default();
        let one: Arc<[Posting]> = vec![Posting { section: 0, weight: 1.0, flags: 0 }].into();
        for i in 0..10 {
            table.keep(&format!("unknown{i}"), Arc::from(Vec::new()), 100, 3);
            assert!(table.terms.len() <= 3);
        }
        let mut table = Table::default();
        for i in 0..10 {
            table.keep(&format!("word{i}"), one.clone(), 4, 100);
            assert!(table.postings <= 4 && table.postings == table.terms.len());
        }
        assert!(table.terms.contains_key("word9"), "the newest term is kept");
    }
}
