//! The lexicon: every indexed term of the scored fields with its postings, read from
//! the index once when the engine opens, so that ranking a question reads plain
//! memory (no term dictionary, no posting decoder per request).
//!
//! A posting holds what BM25F needs of a term in a section and nothing that depends
//! on the question: the term's frequency in each field, weighted and normalised by
//! the field's length (`Σ weight·tf / (1 − b + b·len/avg)`), and whether the term is in
//! the title or the heading. Takes a searcher, the fields and the `Store`; gives
//! `Lexicon`.

use std::collections::HashMap;

use anyhow::{Context, Result};
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, TERMINATED};

use super::store::{Store, SCORED};
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

/// Where a term occurs: (section id, field, frequency), in any order.
type Occurrences = Vec<(u32, u8, u32)>;

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

/// Every term of the scored fields, sorted, with its postings.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Terms in byte order, each with the end of its postings in `postings`.
    terms: Vec<(Box<str>, u32)>,
    /// The postings of every term, one term after the other, each by section id.
    postings: Vec<Posting>,
}

impl Lexicon {
    /// Reads the scored fields of the index `searcher` sees; `store` maps its
    /// documents to sections (deleted ones are left out) and knows their lengths.
    pub fn read(searcher: &Searcher, fields: &Fields, store: &Store) -> Result<Self> {
        let scored: [Field; SCORED] =
            [fields.title, fields.heading, fields.breadcrumbs, fields.description, fields.body];
        let avg = store.avg.map(|a| a.max(1.0));
        let mut found: HashMap<Box<str>, Occurrences> = HashMap::new();
        for (seg_ord, seg) in searcher.segment_readers().iter().enumerate() {
            for (f, field) in scored.iter().enumerate() {
                // A field of no weight is left out (title and heading still flag matches).
                if FIELDS[f].0 == 0.0 && f > 1 {
                    continue;
                }
                let inverted = seg.inverted_index(*field).context("failed to open a field of the index")?;
                let mut stream = inverted.terms().stream().context("failed to read the index's terms")?;
                while stream.advance() {
                    let Ok(term) = std::str::from_utf8(stream.key()) else { continue };
                    let mut postings = inverted
                        .read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)
                        .context("failed to read the index's postings")?;
                    let entry = found.entry(term.into()).or_default();
                    while postings.doc() != TERMINATED {
                        if let Some(id) = store.id(seg_ord as u32, postings.doc()) {
                            entry.push((id, f as u8, postings.term_freq()));
                        }
                        postings.advance();
                    }
                }
            }
        }
        let mut terms: Vec<(Box<str>, Occurrences)> = found.into_iter().filter(|(_, o)| !o.is_empty()).collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut lexicon = Lexicon::default();
        for (term, mut occurrences) in terms {
            occurrences.sort_unstable();
            let first = lexicon.postings.len();
            for (section, field, tf) in occurrences {
                let f = usize::from(field);
                let (weight, b) = FIELDS[f];
                let len = store.sections[section as usize].len[f] as f32;
                let part = weight * tf as f32 / (1.0 - b + b * len / avg[f]);
                let flag = [IN_TITLE, IN_HEADING].get(f).copied().unwrap_or(0);
                let this_term = lexicon.postings.len() > first;
                match lexicon.postings.last_mut() {
                    Some(last) if this_term && last.section == section => {
                        last.weight += part;
                        last.flags |= flag;
                    }
                    _ => lexicon.postings.push(Posting { section, weight: part, flags: flag }),
                }
            }
            lexicon.terms.push((term, lexicon.postings.len() as u32));
        }
        Ok(lexicon)
    }

    /// The postings of `term` (empty when the docs never use it).
    pub fn postings(&self, term: &str) -> &[Posting] {
        match self.terms.binary_search_by(|t| (*t.0).cmp(term)) {
            Ok(i) => &self.postings[self.start(i)..self.terms[i].1 as usize],
            Err(_) => &[],
        }
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether there is no term.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    fn start(&self, i: usize) -> usize {
        if i == 0 {
            0
        } else {
            self.terms[i - 1].1 as usize
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posting(section: u32) -> Posting {
        Posting { section, weight: 1.0, flags: 0 }
    }

    #[test]
    fn finds_each_terms_own_postings() {
        let lexicon = Lexicon {
            terms: vec![("api".into(), 2), ("key".into(), 3), ("token".into(), 5)],
            postings: vec![posting(0), posting(4), posting(1), posting(2), posting(3)],
        };
        assert_eq!(lexicon.postings("api"), [posting(0), posting(4)]);
        assert_eq!(lexicon.postings("key"), [posting(1)]);
        assert_eq!(lexicon.postings("token"), [posting(2), posting(3)]);
        assert!(lexicon.postings("zebra").is_empty());
        assert!(lexicon.postings("").is_empty());
        assert_eq!(lexicon.len(), 3);
    }
}
