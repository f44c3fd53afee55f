//! Postings: what the lexicon knows about the question's terms: every section holding
//! one, its BM25F score over the scored fields, which terms it holds (in any field,
//! in the title, in the heading), and each term's IDF.
//!
//! Takes the `Lexicon`, the `Store` (for the number of sections) and the analysed
//! terms; gives `Matches`.

use super::lexicon::{Lexicon, IN_HEADING, IN_TITLE};
use super::query::Terms;
use super::store::Store;

/// BM25 saturation.
const K1: f32 = 1.2;
/// Terms scored (a term's presence is a bit of a `u64`); later ones are left out.
pub const MAX_TERMS: usize = 64;

/// The sections holding at least one term: their BM25F scores and which terms they hold.
#[derive(Debug, Default)]
pub struct Matches {
    /// Section ids, in the order first met.
    pub ids: Vec<u32>,
    /// BM25F score of each (a term's frequencies in the fields weighted and
    /// length-normalised, then saturated once).
    pub bm25f: Vec<f32>,
    /// Bit `t` set when term `t` is in any scored field of the section.
    pub present: Vec<u64>,
    /// Bit `t` set when term `t` is in the title.
    pub title: Vec<u64>,
    /// Bit `t` set when term `t` is in the heading.
    pub heading: Vec<u64>,
    /// IDF of each term.
    pub idf: Vec<f32>,
}

impl Matches {
    fn clear(&mut self) {
        for list in [&mut self.present, &mut self.title, &mut self.heading] {
            list.clear();
        }
        self.ids.clear();
        self.bm25f.clear();
        self.idf.clear();
    }
}

/// The buffers of gathering, kept from one question to the next: on a large site a
/// common word's matches run to tens of thousands of sections, and buffers made anew
/// for each question would churn megabytes per ask (memory the allocator holds on to).
#[derive(Debug, Default)]
pub struct Scratch {
    /// By section id, its place in the matches; `u32::MAX` for every section
    /// between questions.
    slot: Vec<u32>,
    matches: Matches,
}

/// Reads every term's postings from the lexicon and scores the sections holding
/// them, into `scratch`; a term's IDF counts the sections using it in any scored
/// field (a term missing from the docs gets the highest).
pub fn gather<'s>(lexicon: &Lexicon, store: &Store, terms: &Terms, scratch: &'s mut Scratch) -> &'s Matches {
    let n = store.len() as f32;
    if scratch.slot.len() != store.len() {
        scratch.slot = vec![u32::MAX; store.len()];
    }
    let Scratch { slot, matches: out } = scratch;
    out.clear();
    for (t, term) in terms.terms.iter().enumerate().take(MAX_TERMS) {
        let postings = lexicon.postings(store, &term.text);
        let df = postings.len() as f32;
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        out.idf.push(idf);
        let weight = term.origin.weight() * idf;
        for p in postings.iter() {
            let i = p.section as usize;
            if slot[i] == u32::MAX {
                slot[i] = out.ids.len() as u32;
                out.ids.push(p.section);
                out.bm25f.push(0.0);
                out.present.push(0);
                out.title.push(0);
                out.heading.push(0);
            }
            let at = slot[i] as usize;
            out.present[at] |= 1 << t;
            if p.flags & IN_TITLE != 0 {
                out.title[at] |= 1 << t;
            }
            if p.flags & IN_HEADING != 0 {
                out.heading[at] |= 1 << t;
            }
            out.bm25f[at] += weight * p.weight / (K1 + p.weight);
        }
    }
    // Terms past the scored ones still need an IDF (the highest: they count as unseen).
    while out.idf.len() < terms.terms.len() {
        out.idf.push((1.0 + (n + 0.5) / 0.5).ln());
    }
    for &id in &out.ids {
        slot[id as usize] = u32::MAX;
    }
    out
}
