//! Ranking: retrieves candidate sections with tantivy (BM25 over weighted fields),
//! then re-scores them with BM25F (a term's frequencies in title, heading, breadcrumbs,
//! description and body combined before saturation, so a common word is not counted
//! once per field), times how much of the question each covers (IDF-weighted,
//! synonyms counting for their word) and how much of its title and heading the
//! question names. Pages are scored from their sections; the page asked from and its
//! neighbours are lifted.
//!
//! Takes the analysed `Terms` and a searcher; gives scored sections, best first, in a
//! deterministic order for equal scores.

use std::collections::HashMap;

use anyhow::Result;
use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, Term, TERMINATED};

use super::query::{self, Origin, Terms};
use crate::index::Fields;

/// Candidates retrieved before re-scoring.
const CANDIDATES: usize = 100;
/// BM25 saturation.
const K1: f32 = 1.2;
/// Lift for sections with a numbered procedure when the question asks how to.
const HOW_TO_BOOST: f32 = 1.6;
/// Weight of the share of the page title that the question names.
const TITLE_MATCH: f32 = 1.0;
/// Weight of the share of the section heading that the question names.
const HEADING_MATCH: f32 = 0.3;
/// Share of a page's other matching sections added to its best one.
const PAGE_SUPPORT: f32 = 0.35;
/// Share of the page score a section inherits.
const PAGE_LIFT: f32 = 0.5;

/// Fields in scoring order: weight and length normalisation (b) of each.
const TITLE: usize = 0;
const HEADING: usize = 1;
const BODY: usize = 4;
/// Weight of question words found next to each other (within `NEAR` positions).
const PROXIMITY: f32 = 0.5;
/// Largest gap between two question words that still counts as together.
const NEAR: u32 = 3;

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

/// The BM25F fields: (field, weight, b).
fn scored_fields(f: &Fields) -> [(Field, f32, f32); 5] {
    [
        (f.title, 3.0, 0.4),
        (f.heading, 3.0, 0.4),
        (f.breadcrumbs, 0.6, 0.4),
        (f.description, 1.5, 0.5),
        (f.body, 1.0, 0.75),
    ]
}

/// What is known about one candidate: term frequencies and lengths per field.
struct Candidate {
    addr: DocAddress,
    /// `tf[term][field]`.
    tf: Vec<[u32; 5]>,
    len: [u32; 5],
    /// Positions of each term in the heading and the body (`pos[term][0|1]`).
    pos: Vec<[Vec<u32>; 2]>,
}

/// Ranks sections for `terms`; also gives each term's IDF.
pub fn rank(searcher: &Searcher, fields: &Fields, terms: &Terms, ctx: &Context) -> Result<(Vec<Hit>, Vec<f32>)> {
    let idf = idfs(searcher, fields, terms)?;
    if terms.terms.is_empty() {
        return Ok((Vec::new(), idf));
    }
    let mut top = searcher.search(&query::build(terms, fields), &TopDocs::with_limit(CANDIDATES))?;
    // Documents tied with the last candidate are cut by document order, which depends
    // on how indexing threads shared the work: leave the whole tie out so the same
    // build always ranks the same way.
    if top.len() == CANDIDATES {
        let last = top[CANDIDATES - 1].0;
        if top.iter().any(|(score, _)| *score > last) {
            top.retain(|(score, _)| *score > last);
        }
    }
    let candidates = gather(searcher, fields, terms, &top)?;
    let avg = average_lengths(searcher, fields)?;
    let mut hits = Vec::with_capacity(candidates.len());
    let mut steps = Vec::with_capacity(candidates.len());
    // The page, section and steps columns of each segment, opened once.
    let mut columns: HashMap<u32, [Column<u64>; 3]> = HashMap::new();
    for c in &candidates {
        let [pages, sections, step_flags] = match columns.entry(c.addr.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let fast = searcher.segment_reader(c.addr.segment_ord).fast_fields();
                e.insert([fast.u64("page")?, fast.u64("section")?, fast.u64("steps")?])
            }
        };
        let value = |column: &Column<u64>| column.first(c.addr.doc_id).unwrap_or(0);
        let (page, section) = (value(pages) as usize, value(sections) as usize);
        let coverage = coverage(terms, &idf, |t| c.tf[t].iter().any(|&n| n > 0));
        let title = precision(terms, |t| c.tf[t][TITLE] > 0, c.len[TITLE]);
        let heading = precision(terms, |t| c.tf[t][HEADING] > 0, c.len[HEADING]);
        let mut score = bm25f(fields, terms, &idf, c, &avg)
            * (0.2 + coverage)
            * (1.0 + PROXIMITY * near_pairs(terms, &idf, c))
            * (1.0 + TITLE_MATCH * title + HEADING_MATCH * heading);
        if ctx.page == Some(page) {
            score *= 1.3;
        } else if ctx.neighbours.contains(&page) {
            score *= 1.1;
        }
        hits.push(Hit { addr: c.addr, page, section, score, page_score: 0.0, coverage });
        steps.push(value(step_flags) == 1);
    }
    page_scores(&mut hits);
    // A procedure is the better section for a how-to question; it does not make its
    // page more relevant, so this comes after the page scores.
    for (hit, &steps) in hits.iter_mut().zip(&steps) {
        if terms.how_to && steps {
            hit.score *= HOW_TO_BOOST;
        }
    }
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.page.cmp(&b.page)).then(a.section.cmp(&b.section)));
    Ok((hits, idf))
}

/// BM25F: per term, field frequencies weighted and length-normalised, then saturated once.
fn bm25f(fields: &Fields, terms: &Terms, idf: &[f32], c: &Candidate, avg: &[f32; 5]) -> f32 {
    let spec = scored_fields(fields);
    let mut score = 0.0;
    for (t, term) in terms.terms.iter().enumerate() {
        let mut tf = 0.0;
        for (f, &(_, weight, b)) in spec.iter().enumerate() {
            let n = c.tf[t][f];
            if n > 0 {
                let norm = 1.0 - b + b * c.len[f] as f32 / avg[f].max(1.0);
                tf += weight * n as f32 / norm;
            }
        }
        score += term.origin.weight() * idf[t] * tf / (K1 + tf);
    }
    score
}

/// IDF-weighted share of adjacent question-word pairs that occur close together in
/// the heading or the body: "load balance" as a phrase, not two stray words.
fn near_pairs(terms: &Terms, idf: &[f32], c: &Candidate) -> f32 {
    let index = |stem: &str| {
        terms.terms.iter().position(|t| t.text == stem && matches!(t.origin, Origin::Question | Origin::Weak))
    };
    let (mut total, mut got) = (0.0, 0.0);
    for pair in terms.sequence.windows(2).filter(|p| p[0] != p[1]) {
        let (Some(a), Some(b)) = (index(&pair[0]), index(&pair[1])) else { continue };
        let weight = (idf[a] + idf[b]) / 2.0;
        total += weight;
        if (0..2).any(|slot| close(&c.pos[a][slot], &c.pos[b][slot])) {
            got += weight;
        }
    }
    if total == 0.0 {
        0.0
    } else {
        got / total
    }
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

/// Reads each candidate's term frequencies and field lengths from the postings and
/// field norms (no stored documents are loaded).
fn gather(searcher: &Searcher, fields: &Fields, terms: &Terms, top: &[(f32, DocAddress)]) -> Result<Vec<Candidate>> {
    let mut out: Vec<Candidate> = top
        .iter()
        .map(|(_, addr)| Candidate {
            addr: *addr,
            tf: vec![[0; 5]; terms.terms.len()],
            len: [0; 5],
            pos: vec![[Vec::new(), Vec::new()]; terms.terms.len()],
        })
        .collect();
    // Candidates by segment, in doc order, so postings are read forward once.
    let mut by_segment: HashMap<u32, Vec<(u32, usize)>> = HashMap::new();
    for (i, (_, addr)) in top.iter().enumerate() {
        by_segment.entry(addr.segment_ord).or_default().push((addr.doc_id, i));
    }
    for (seg_ord, mut docs) in by_segment {
        docs.sort_unstable();
        let seg = searcher.segment_reader(seg_ord);
        for (f, (field, _, _)) in scored_fields(fields).into_iter().enumerate() {
            let norms = seg.get_fieldnorms_reader(field)?;
            for &(doc, i) in &docs {
                out[i].len[f] = norms.fieldnorm(doc);
            }
            let inverted = seg.inverted_index(field)?;
            for (t, term) in terms.terms.iter().enumerate() {
                let term = Term::from_field_text(field, &term.text);
                let slot = match f {
                    HEADING => Some(0),
                    BODY => Some(1),
                    _ => None,
                };
                let option = if slot.is_some() {
                    IndexRecordOption::WithFreqsAndPositions
                } else {
                    IndexRecordOption::WithFreqs
                };
                let Some(mut postings) = inverted.read_postings(&term, option)? else {
                    continue;
                };
                for &(doc, i) in &docs {
                    if postings.doc() == TERMINATED {
                        break;
                    }
                    if postings.doc() <= doc && postings.seek(doc) == doc {
                        out[i].tf[t][f] = postings.term_freq();
                        if let Some(slot) = slot {
                            postings.positions(&mut out[i].pos[t][slot]);
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Average length of each scored field over the index.
fn average_lengths(searcher: &Searcher, fields: &Fields) -> Result<[f32; 5]> {
    let docs = searcher.num_docs().max(1) as f32;
    let mut avg = [0.0; 5];
    for (f, (field, _, _)) in scored_fields(fields).into_iter().enumerate() {
        let mut tokens = 0u64;
        for seg in searcher.segment_readers() {
            tokens += seg.inverted_index(field)?.total_num_tokens();
        }
        avg[f] = tokens as f32 / docs;
    }
    Ok(avg)
}

/// Share of a short field's words (a title, a heading) that the question names: a
/// page titled exactly what was asked about is likely the page.
fn precision(terms: &Terms, in_field: impl Fn(usize) -> bool, field_len: u32) -> f32 {
    if field_len == 0 {
        return 0.0;
    }
    let named = (0..terms.question_groups)
        .filter(|&g| (0..terms.terms.len()).any(|t| terms.terms[t].group == g && in_field(t)))
        .count();
    (named as f32 / field_len as f32).min(1.0)
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

/// IDF of each term over the title, heading and body fields (a term missing from the
/// docs gets the highest).
fn idfs(searcher: &Searcher, fields: &Fields, terms: &Terms) -> Result<Vec<f32>> {
    let n = searcher.num_docs().max(1) as f32;
    terms
        .terms
        .iter()
        .map(|t| {
            let mut df = 0u64;
            for f in [fields.title, fields.heading, fields.body] {
                df = df.max(searcher.doc_freq(&Term::from_field_text(f, &t.text))?);
            }
            let df = df as f32;
            Ok((1.0 + (n - df + 0.5) / (df + 0.5)).ln())
        })
        .collect()
}

/// IDF-weighted share of the question's word groups that `has` finds; a synonym
/// counts for its word at its lower weight, goal words do not count.
pub fn coverage(terms: &Terms, idf: &[f32], has: impl Fn(usize) -> bool) -> f32 {
    let mut total = 0.0;
    let mut got = 0.0;
    for g in 0..terms.question_groups {
        let members: Vec<usize> = (0..terms.terms.len()).filter(|&t| terms.terms[t].group == g).collect();
        let Some(&main) = members.iter().find(|&&t| matches!(terms.terms[t].origin, Origin::Question | Origin::Weak))
        else {
            continue;
        };
        let weight = idf[main] * terms.terms[main].origin.weight();
        total += weight;
        let best = members
            .iter()
            .filter(|&&t| has(t))
            .map(|&t| match terms.terms[t].origin {
                o @ (Origin::Synonym | Origin::Derived) => o.weight(),
                _ => 1.0,
            })
            .fold(0.0, f32::max);
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
    use super::query::QueryTerm;
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
        assert!((with_synonym - (0.5 + 3.0 * Origin::Synonym.weight()) / 3.5).abs() < 1e-6);
        assert_eq!(coverage(&t, &idf, |_| true), 1.0);
    }

    #[test]
    fn precision_is_the_named_share_of_a_short_field() {
        let t = terms(&[("creat", Origin::Question, 0), ("token", Origin::Question, 1)], 2);
        assert_eq!(precision(&t, |_| true, 3), 2.0 / 3.0);
        assert_eq!(precision(&t, |i| i == 1, 1), 1.0);
        assert_eq!(precision(&t, |_| true, 0), 0.0);
    }
}
