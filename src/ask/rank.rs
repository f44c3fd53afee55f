//! Ranking: retrieves candidate sections with BM25 over weighted fields, then
//! re-ranks them by how much of the question they cover (IDF-weighted, synonyms
//! counting for their word), and boosts the page asked from and its neighbours.
//!
//! Takes the analysed `Terms` and a searcher; gives scored sections, best first,
//! with a deterministic order for equal scores.

use std::collections::HashMap;

use anyhow::Result;
use tantivy::collector::TopDocs;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Searcher, Term, TERMINATED};

use super::query::{self, Terms};
use crate::index::Fields;

/// Candidates retrieved before re-ranking.
const CANDIDATES: usize = 60;
/// Lift for sections with a numbered procedure when the question asks how to.
const HOW_TO_BOOST: f32 = 1.25;
/// Share of a page's other matching sections added to its best one.
const PAGE_SUPPORT: f32 = 0.35;
/// Share of the page score a section inherits.
const PAGE_LIFT: f32 = 0.5;

/// A ranked section.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Where the document is.
    pub addr: DocAddress,
    /// Page index in `site.json`.
    pub page: usize,
    /// Section position in its page.
    pub section: usize,
    /// Section score, lifted by the score of its page.
    pub score: f32,
    /// Score of the whole page: its best section plus a share of its other matches.
    pub page_score: f32,
    /// IDF-weighted share of the question's words the section covers (0 to 1).
    pub coverage: f32,
}

/// How the asking page changes ranking.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Page asked from.
    pub page: Option<usize>,
    /// Its neighbours in the navigation.
    pub neighbours: Vec<usize>,
}

/// Ranks sections for `terms`; also gives each term's IDF.
pub fn rank(searcher: &Searcher, fields: &Fields, terms: &Terms, ctx: &Context) -> Result<(Vec<Hit>, Vec<f32>)> {
    let idf = idfs(searcher, fields, terms)?;
    if terms.terms.is_empty() {
        return Ok((Vec::new(), idf));
    }
    let query = query::build(terms, fields);
    let top = searcher.search(&query, &TopDocs::with_limit(CANDIDATES))?;
    let present = presence(searcher, fields, terms, &top)?;
    let mut hits = Vec::with_capacity(top.len());
    for (i, (bm25, addr)) in top.iter().enumerate() {
        let seg = searcher.segment_reader(addr.segment_ord);
        let fast = |name: &str| -> Result<u64> { Ok(seg.fast_fields().u64(name)?.first(addr.doc_id).unwrap_or(0)) };
        let (page, section) = (fast("page")? as usize, fast("section")? as usize);
        let coverage = coverage(terms, &idf, |t| present[i][t]);
        let mut score = bm25 * (0.2 + coverage * coverage);
        if terms.how_to && fast("steps")? == 1 {
            score *= HOW_TO_BOOST;
        }
        if ctx.page == Some(page) {
            score *= 1.3;
        } else if ctx.neighbours.contains(&page) {
            score *= 1.1;
        }
        hits.push(Hit { addr: *addr, page, section, score, page_score: 0.0, coverage });
    }
    page_scores(&mut hits);
    hits.sort_by(|a, b| {
        b.score.total_cmp(&a.score).then(a.page.cmp(&b.page)).then(a.section.cmp(&b.section))
    });
    Ok((hits, idf))
}

/// Scores pages from their sections (best + a share of the next three) and lifts each
/// section by part of its page's score, so a page about the question outranks a
/// section that mentions it in passing.
fn page_scores(hits: &mut [Hit]) {
    let mut by_page: HashMap<usize, Vec<f32>> = HashMap::new();
    for h in hits.iter() {
        by_page.entry(h.page).or_default().push(h.score);
    }
    let page_score: HashMap<usize, f32> = by_page
        .into_iter()
        .map(|(page, mut scores)| {
            scores.sort_by(|a, b| b.total_cmp(a));
            let support: f32 = scores.iter().skip(1).take(3).sum();
            (page, scores[0] + PAGE_SUPPORT * support)
        })
        .collect();
    for h in hits.iter_mut() {
        h.page_score = page_score[&h.page];
        h.score += PAGE_LIFT * (h.page_score - h.score);
    }
}

/// IDF of each term over all fields (a term missing from the docs gets the highest).
fn idfs(searcher: &Searcher, fields: &Fields, terms: &Terms) -> Result<Vec<f32>> {
    let n = searcher.num_docs().max(1) as f32;
    terms
        .terms
        .iter()
        .map(|t| {
            let df = [fields.title, fields.heading, fields.body]
                .iter()
                .map(|&f| searcher.doc_freq(&Term::from_field_text(f, &t.text)))
                .collect::<tantivy::Result<Vec<u64>>>()?
                .into_iter()
                .max()
                .unwrap_or(0) as f32;
            Ok((1.0 + (n - df + 0.5) / (df + 0.5)).ln())
        })
        .collect()
}

/// For each candidate and term: whether the term occurs in any searched field.
fn presence(searcher: &Searcher, fields: &Fields, terms: &Terms, top: &[(f32, DocAddress)]) -> Result<Vec<Vec<bool>>> {
    let mut present = vec![vec![false; terms.terms.len()]; top.len()];
    // Candidates by segment, in doc order, so postings are read forward once.
    let mut by_segment: HashMap<u32, Vec<(u32, usize)>> = HashMap::new();
    for (i, (_, addr)) in top.iter().enumerate() {
        by_segment.entry(addr.segment_ord).or_default().push((addr.doc_id, i));
    }
    for (seg_ord, mut docs) in by_segment {
        docs.sort_unstable();
        let seg = searcher.segment_reader(seg_ord);
        for (field, _) in query::field_weights(fields) {
            let inverted = seg.inverted_index(field)?;
            for (t, term) in terms.terms.iter().enumerate() {
                let Some(mut postings) =
                    inverted.read_postings(&Term::from_field_text(field, &term.text), IndexRecordOption::Basic)?
                else {
                    continue;
                };
                for &(doc, i) in &docs {
                    if postings.doc() == TERMINATED {
                        break;
                    }
                    if postings.doc() <= doc && postings.seek(doc) == doc {
                        present[i][t] = true;
                    }
                }
            }
        }
    }
    Ok(present)
}

/// IDF-weighted share of the question's word groups that `has` finds; a synonym
/// counts for its word at its lower weight, goal words do not count.
pub fn coverage(terms: &Terms, idf: &[f32], has: impl Fn(usize) -> bool) -> f32 {
    let mut total = 0.0;
    let mut got = 0.0;
    for g in 0..terms.question_groups {
        let members: Vec<usize> = (0..terms.terms.len()).filter(|&t| terms.terms[t].group == g).collect();
        let Some(&main) = members.iter().find(|&&t| terms.terms[t].origin == query::Origin::Question) else {
            continue;
        };
        let weight = idf[main];
        total += weight;
        let best = members.iter().filter(|&&t| has(t)).map(|&t| terms.terms[t].origin.weight()).fold(0.0, f32::max);
        got += weight * best;
    }
    if total == 0.0 {
        0.0
    } else {
        got / total
    }
}

#[cfg(test)]
mod tests {
    use super::query::{Origin, QueryTerm};
    use super::*;

    fn terms(list: &[(&str, Origin, usize)], groups: usize) -> Terms {
        Terms {
            terms: list.iter().map(|(t, o, g)| QueryTerm { text: t.to_string(), origin: *o, group: *g }).collect(),
            question_groups: groups,
            ..Terms::default()
        }
    }

    #[test]
    fn coverage_weighs_rare_words_and_synonyms() {
        let t =
            terms(&[("rotat", Origin::Question, 0), ("token", Origin::Question, 1), ("renew", Origin::Synonym, 0)], 2);
        let idf = [3.0, 0.5, 2.0];
        assert_eq!(coverage(&t, &idf, |i| i == 1), 0.5 / 3.5);
        let with_synonym = coverage(&t, &idf, |i| i == 1 || i == 2);
        assert!((with_synonym - (0.5 + 3.0 * 0.45) / 3.5).abs() < 1e-6);
        assert_eq!(coverage(&t, &idf, |_| true), 1.0);
    }
}
