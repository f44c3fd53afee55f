//! Postings: what the index knows about the question's terms, read straight from its
//! inverted lists (no query objects, no stored documents): every section holding a
//! term with the term's frequency in each scored field, each term's IDF, and, for the
//! few best candidates only, where the question's words stand in headings and bodies.
//!
//! Takes a searcher, the `Store` (which maps documents to live sections) and the
//! analysed terms; gives `Matches` and proximity shares.

use std::collections::HashMap;

use anyhow::Result;
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, Term, TERMINATED};

use super::query::{Origin, Terms};
use super::store::{Store, SCORED};
use crate::index::Fields;

/// Largest gap between two question words that still counts as together.
const NEAR: u32 = 3;

/// BM25 saturation.
const K1: f32 = 1.2;
/// BM25F weight and length normalisation (b) of each scored field: title, heading,
/// breadcrumbs, description, body.
const FIELDS: [(f32, f32); SCORED] = [(3.0, 0.4), (3.0, 0.4), (0.6, 0.4), (1.5, 0.5), (1.0, 0.75)];
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

/// The scored fields, in the ranking's order (title, heading, breadcrumbs, description, body).
pub fn scored(f: &Fields) -> [Field; SCORED] {
    [f.title, f.heading, f.breadcrumbs, f.description, f.body]
}

/// Reads every term's postings in every scored field, term by term, and scores the
/// matching live sections; each term's IDF is over the title, heading and body fields
/// (a term missing from the docs gets the highest).
pub fn gather(searcher: &Searcher, fields: &Fields, store: &Store, terms: &Terms) -> Result<Matches> {
    let n = store.len();
    let mut slot: Vec<u32> = vec![u32::MAX; n];
    // This term's weighted, normalised frequency in each section, and the sections it touched.
    let mut sum: Vec<f32> = vec![0.0; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut out = Matches::default();
    let avg = store.avg.map(|a| a.max(1.0));
    for (t, term) in terms.terms.iter().enumerate().take(MAX_TERMS) {
        let mut df = [0u32; SCORED];
        for (seg_ord, seg) in searcher.segment_readers().iter().enumerate() {
            for (f, field) in scored(fields).into_iter().enumerate() {
                let inverted = seg.inverted_index(field)?;
                let Some(info) = inverted.get_term_info(&Term::from_field_text(field, &term.text))? else { continue };
                let mut postings = inverted.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
                let (weight, b) = FIELDS[f];
                while postings.doc() != TERMINATED {
                    if let Some(id) = store.id(seg_ord as u32, postings.doc()) {
                        df[f] += 1;
                        let i = id as usize;
                        if slot[i] == u32::MAX {
                            slot[i] = out.ids.len() as u32;
                            out.ids.push(id);
                            out.bm25f.push(0.0);
                            out.present.push(0);
                            out.title.push(0);
                            out.heading.push(0);
                        }
                        let at = slot[i] as usize;
                        out.present[at] |= 1 << t;
                        match f {
                            0 => out.title[at] |= 1 << t,
                            1 => out.heading[at] |= 1 << t,
                            _ => {}
                        }
                        if sum[i] == 0.0 {
                            touched.push(id);
                        }
                        let norm = 1.0 - b + b * store.sections[i].len[f] as f32 / avg[f];
                        sum[i] += weight * postings.term_freq() as f32 / norm;
                    }
                    postings.advance();
                }
            }
        }
        let df = df[0].max(df[1]).max(df[4]) as f32;
        let idf = (1.0 + (n as f32 - df + 0.5) / (df + 0.5)).ln();
        out.idf.push(idf);
        let weight = term.origin.weight() * idf;
        for id in touched.drain(..) {
            let i = id as usize;
            out.bm25f[slot[i] as usize] += weight * sum[i] / (K1 + sum[i]);
            sum[i] = 0.0;
        }
    }
    // Terms past the scored ones still need an IDF (the highest: they count as unseen).
    while out.idf.len() < terms.terms.len() {
        out.idf.push((1.0 + (n as f32 + 0.5) / 0.5).ln());
    }
    Ok(out)
}

/// For each of `ids`, the IDF-weighted share of adjacent question-word pairs that
/// occur close together in the heading or the body: "load balance" as a phrase, not
/// two stray words. Reads the positions of the pairs' words only.
pub fn near_pairs(
    searcher: &Searcher,
    fields: &Fields,
    store: &Store,
    terms: &Terms,
    idf: &[f32],
    ids: &[u32],
) -> Result<Vec<f32>> {
    let index = |stem: &str| {
        terms.terms.iter().position(|t| t.text == stem && matches!(t.origin, Origin::Question | Origin::Weak))
    };
    let pairs: Vec<(usize, usize, f32)> = terms
        .sequence
        .windows(2)
        .filter(|p| p[0] != p[1])
        .filter_map(|p| Some((index(&p[0])?, index(&p[1])?)))
        .map(|(a, b)| (a, b, (idf[a] + idf[b]) / 2.0))
        .collect();
    let total: f32 = pairs.iter().map(|p| p.2).sum();
    if total == 0.0 {
        return Ok(vec![0.0; ids.len()]);
    }
    let mut wanted: Vec<usize> = pairs.iter().flat_map(|&(a, b, _)| [a, b]).collect();
    wanted.sort_unstable();
    wanted.dedup();
    // Positions of each wanted term in each candidate, heading and body (`pos[c][w][slot]`).
    let mut pos: Vec<Vec<[Vec<u32>; 2]>> = vec![vec![[Vec::new(), Vec::new()]; wanted.len()]; ids.len()];
    // Candidates by segment, in document order, so postings are read forward once.
    let mut by_segment: HashMap<u32, Vec<(u32, usize)>> = HashMap::new();
    for (i, &id) in ids.iter().enumerate() {
        let s = &store.sections[id as usize];
        by_segment.entry(s.segment).or_default().push((s.doc, i));
    }
    for (seg_ord, mut docs) in by_segment {
        docs.sort_unstable();
        let seg = searcher.segment_reader(seg_ord);
        for (slot, field) in [fields.heading, fields.body].into_iter().enumerate() {
            let inverted = seg.inverted_index(field)?;
            for (w, &t) in wanted.iter().enumerate() {
                let term = Term::from_field_text(field, &terms.terms[t].text);
                let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::WithFreqsAndPositions)?
                else {
                    continue;
                };
                for &(doc, i) in &docs {
                    if postings.doc() == TERMINATED {
                        break;
                    }
                    if postings.doc() <= doc && postings.seek(doc) == doc {
                        postings.positions(&mut pos[i][w][slot]);
                    }
                }
            }
        }
    }
    let at = |t: usize| wanted.binary_search(&t).unwrap_or(0);
    Ok(pos
        .iter()
        .map(|p| {
            let got: f32 = pairs
                .iter()
                .filter(|&&(a, b, _)| (0..2).any(|slot| close(&p[at(a)][slot], &p[at(b)][slot])))
                .map(|p| p.2)
                .sum();
            got / total
        })
        .collect())
}

/// Whether some position of `a` is within `NEAR` of some position of `b` (both sorted).
fn close(a: &[u32], b: &[u32]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].abs_diff(b[j]) <= NEAR {
            return true;
        }
        if a[i] < b[j] {
            i += 1
        } else {
            j += 1
        }
    }
    false
}
