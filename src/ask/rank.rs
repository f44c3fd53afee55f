//! Ranking: reads each question term's postings from the in-memory lexicon, scores
//! every section that has one with BM25F (a term's frequencies in title, heading,
//! description and body combined before saturation, so a common word is not counted
//! once per field), times how much of the question each covers (IDF-weighted,
//! synonyms counting for their word) and how much of its title and heading the
//! question names. Pages are scored from their sections; the page asked from and its
//! neighbours are lifted.
//!
//! Takes the analysed `Terms`, the `Lexicon` and the in-memory `Store`; gives scored
//! sections, and the order that ranks them (deterministic for equal scores).

use super::lexicon::Lexicon;
use super::postings;
use super::query::{Origin, Terms};
use super::store::Store;

/// Candidates kept for page scores and fusion.
const CANDIDATES: usize = 100;
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

/// Fields in scoring order.
const TITLE: usize = 0;
const HEADING: usize = 1;

/// A ranked section.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Section id in the `Store`.
    pub id: usize,
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

/// How the asking page changes ranking, and which features rank.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Page asked from.
    pub page: Option<usize>,
    /// Its neighbours in the navigation.
    pub neighbours: Vec<usize>,
    /// The ranking features in use.
    pub features: Features,
}

/// Ranking features, each of which can be switched off (`DOCASK_ASK_OFF=semantic,…`)
/// for an ablation (bench/eval/ablation.py, bench/README.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Features {
    /// Fusion with the semantic encoder's cosine.
    pub semantic: bool,
    /// The lexical ranking's say in the fused score (off: meaning alone ranks, for the
    /// ablation's "semantic only" row).
    pub lexical: bool,
    /// Lift for the page asked from and its neighbours.
    pub page_context: bool,
    /// Lift for procedures when the question asks how to.
    pub how_to: bool,
    /// Bonus for the share of the title and heading the question names.
    pub title_match: bool,
    /// A page's other matching sections count for it.
    pub page_support: bool,
    /// A section's score is scaled by how much of the question it covers.
    pub coverage: bool,
    /// A section inherits part of its page's score.
    pub page_lift: bool,
}

impl Default for Features {
    fn default() -> Self {
        Features {
            semantic: true,
            lexical: true,
            page_context: true,
            how_to: true,
            title_match: true,
            page_support: true,
            coverage: true,
            page_lift: true,
        }
    }
}

impl Features {
    /// Names of the features, as `DOCASK_ASK_OFF` lists them.
    pub const NAMES: [&'static str; 8] =
        ["semantic", "lexical", "page_context", "how_to", "title_match", "page_support", "coverage", "page_lift"];

    /// The default features, less those named in `off` (comma-separated; a name with a
    /// leading `+` is turned on instead; unknown names ignored).
    pub fn without(off: &str) -> Self {
        let mut f = Features::default();
        for name in off.split(',').map(str::trim) {
            match name {
                "+semantic" => f.semantic = true,
                "semantic" => f.semantic = false,
                "lexical" => f.lexical = false,
                "page_context" => f.page_context = false,
                "how_to" => f.how_to = false,
                "title_match" => f.title_match = false,
                "page_support" => f.page_support = false,
                "coverage" => f.coverage = false,
                "page_lift" => f.page_lift = false,
                _ => {}
            }
        }
        f
    }
}

impl Context {
    /// How much the asking page lifts a section of `page`.
    pub fn lift(&self, page: usize) -> f32 {
        if !self.features.page_context {
            1.0
        } else if self.page == Some(page) {
            1.3
        } else if self.neighbours.contains(&page) {
            1.1
        } else {
            1.0
        }
    }
}

/// The buffers of ranking, kept from one question to the next (see
/// [`postings::Scratch`]).
#[derive(Debug, Default)]
pub struct Scratch {
    gather: postings::Scratch,
    /// (section id, score, coverage) of every matching section.
    scored: Vec<(u32, f32, f32)>,
}

/// Scores sections for `terms`, in the buffers of `scratch`, in no particular order
/// ([`order`] ranks them; fusion re-scores them first); also gives each term's IDF.
pub fn rank(
    lexicon: &Lexicon,
    store: &Store,
    terms: &Terms,
    ctx: &Context,
    scratch: &mut Scratch,
) -> (Vec<Hit>, Vec<f32>) {
    let Scratch { gather, scored } = scratch;
    let matches = postings::gather(lexicon, store, terms, gather);
    let idf = &matches.idf;
    let groups = Groups::of(terms);
    let weights = groups.weights(terms, idf);
    // The coverage depends only on which terms a section holds, and most of the
    // matching sections hold one of a few sets of them: each set's coverage is kept
    // in a small table by a hash of the set (no set is empty), and found again there.
    let mut seen = [(0u64, 0f32); 64];
    let mut coverage_of = |present: u64| {
        let slot = &mut seen[(present.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize];
        if slot.0 != present {
            *slot = (present, groups.covered(&weights, present));
        }
        slot.1
    };
    scored.clear();
    scored.extend(matches.ids.iter().enumerate().map(|(i, &id)| {
        let s = &store.sections[id as usize];
        let coverage = coverage_of(matches.present[i]);
        let mut score = matches.bm25f[i];
        if ctx.features.coverage {
            score *= 0.2 + coverage;
        }
        if ctx.features.title_match {
            let title = groups.precision(matches.title[i], s.len[TITLE]);
            let heading = groups.precision(matches.heading[i], s.len[HEADING]);
            score *= 1.0 + TITLE_MATCH * title + HEADING_MATCH * heading;
        }
        (id, score * ctx.lift(s.page), coverage)
    }));
    // The best candidates, in an order that depends only on the build's pages.
    let key = |id: u32| (store.sections[id as usize].page, store.sections[id as usize].section);
    if scored.len() > CANDIDATES {
        // The keys are read only for equal scores.
        scored.select_nth_unstable_by(CANDIDATES - 1, |a, b| b.1.total_cmp(&a.1).then_with(|| key(a.0).cmp(&key(b.0))));
        scored.truncate(CANDIDATES);
    }
    let mut hits: Vec<Hit> = scored
        .iter()
        .map(|&(id, score, coverage)| {
            let s = &store.sections[id as usize];
            Hit { id: id as usize, page: s.page, section: s.section, score, page_score: 0.0, coverage }
        })
        .collect();
    page_scores(
        &mut hits,
        if ctx.features.page_support { PAGE_SUPPORT } else { 0.0 },
        if ctx.features.page_lift { PAGE_LIFT } else { 0.0 },
    );
    // A procedure is the better section for a how-to question; it does not make its
    // page more relevant, so this comes after the page scores.
    if terms.how_to && ctx.features.how_to {
        for hit in hits.iter_mut().filter(|h| store.sections[h.id].steps) {
            hit.score *= HOW_TO_BOOST;
        }
    }
    (hits, matches.idf.clone())
}

/// The ranking order: higher scores first; equal ones by page, then section. (page,
/// section) names one section, so the order is total, as a stable sort's.
pub fn better(a: &Hit, b: &Hit) -> std::cmp::Ordering {
    b.score.total_cmp(&a.score).then(a.page.cmp(&b.page)).then(a.section.cmp(&b.section))
}

/// Puts `hits` in ranking order, best first: [`better`]'s order. The hits are sorted
/// by score alone, as integers that carry each hit's place (8 bytes moved per step
/// instead of a whole hit), then the runs of equal scores, rare, by page and section.
pub fn order(hits: &mut [Hit]) {
    let Ok(n) = u32::try_from(hits.len()) else {
        return hits.sort_unstable_by(better);
    };
    // Higher scores first: the score's key, flipped to an unsigned integer, inverted.
    let mut keys: Vec<u64> = hits
        .iter()
        .zip(0..n)
        .map(|(h, at)| (u64::from(!((score_key(h.score) as u32) ^ (1 << 31))) << 32) | u64::from(at))
        .collect();
    keys.sort_unstable();
    let mut sorted: Vec<Hit> = keys.iter().map(|k| hits[(k & u64::from(u32::MAX)) as usize].clone()).collect();
    for run in sorted.chunk_by_mut(|a, b| a.score.total_cmp(&b.score).is_eq()) {
        if run.len() > 1 {
            run.sort_unstable_by(better);
        }
    }
    hits.clone_from_slice(&sorted);
}

/// An integer that orders scores as `f32::total_cmp` does (its own bit trick).
fn score_key(score: f32) -> i32 {
    let bits = score.to_bits() as i32;
    bits ^ (((bits >> 31) as u32) >> 1) as i32
}

/// Scores pages from their sections (best + a share of the next three) and lifts each
/// section by part of its page's score, so a page about the question outranks a
/// section that mentions it in passing.
fn page_scores(hits: &mut [Hit], support_share: f32, lift: f32) {
    // (page, score, hit) of every hit, each page's together and best first.
    let mut by_page: Vec<(usize, f32, usize)> = hits.iter().enumerate().map(|(i, h)| (h.page, h.score, i)).collect();
    by_page.sort_unstable_by_key(|&(page, score, _)| (page, std::cmp::Reverse(score_key(score))));
    for page in by_page.chunk_by(|a, b| a.0 == b.0) {
        let support: f32 = page.iter().skip(1).take(3).map(|p| p.1).sum();
        let page_score = page[0].1 + support_share * support;
        for &(_, _, i) in page {
            hits[i].page_score = page_score;
        }
    }
    for h in hits.iter_mut() {
        h.score += lift * (h.page_score - h.score);
    }
}

/// The question's word groups: for each, its question word and, as bit masks over
/// the terms (one bit per term, the first `postings::MAX_TERMS`), the terms standing
/// for it in full (the word, its variants) and as synonyms; found once per question.
#[derive(Debug, Clone, Default)]
pub struct Groups {
    groups: Vec<Group>,
}

/// Each word group's weight in the coverage ([`Groups::weights`]), and their sum.
#[derive(Debug, Clone)]
pub struct Weights {
    each: Vec<f32>,
    total: f32,
}

#[derive(Debug, Clone)]
struct Group {
    /// The question word's term.
    main: usize,
    /// Terms standing for the word in full.
    full: u64,
    /// Terms standing for it as synonyms.
    synonyms: u64,
}

impl Groups {
    /// The groups of `terms` (goal words are in none).
    pub fn of(terms: &Terms) -> Self {
        let groups = (0..terms.question_groups)
            .filter_map(|g| {
                let in_group = |t: &usize| terms.terms[*t].group == g;
                let members: Vec<usize> = (0..terms.terms.len().min(postings::MAX_TERMS)).filter(in_group).collect();
                let main =
                    *members.iter().find(|&&t| matches!(terms.terms[t].origin, Origin::Question | Origin::Weak))?;
                let mask = |synonym: bool| {
                    let picked = members.iter().filter(|&&t| (terms.terms[t].origin == Origin::Synonym) == synonym);
                    picked.fold(0u64, |m, &t| m | 1 << t)
                };
                Some(Group { main, full: mask(false), synonyms: mask(true) })
            })
            .collect();
        Groups { groups }
    }

    /// Each group's weight in the coverage: its word's IDF times its origin's weight.
    pub fn weights(&self, terms: &Terms, idf: &[f32]) -> Weights {
        let each: Vec<f32> = self.groups.iter().map(|g| idf[g.main] * terms.terms[g.main].origin.weight()).collect();
        Weights { total: each.iter().sum(), each }
    }

    /// Weighted share (`weights` from [`Self::weights`]) of the question's word groups
    /// that the terms in `present` cover; a synonym counts for its word at its lower
    /// weight, goal words do not count.
    pub fn covered(&self, weights: &Weights, present: u64) -> f32 {
        if weights.total == 0.0 {
            return 0.0;
        }
        let got: f32 = self
            .groups
            .iter()
            .zip(&weights.each)
            .map(|(g, w)| {
                if present & g.full != 0 {
                    *w
                } else if present & g.synonyms != 0 {
                    w * Origin::Synonym.weight()
                } else {
                    0.0
                }
            })
            .sum();
        got / weights.total
    }

    /// The mask of `terms` (term indices) that [`Self::covered`] reads; terms past the
    /// first `postings::MAX_TERMS` have no bit and count as absent.
    pub fn present(terms: impl IntoIterator<Item = usize>) -> u64 {
        terms.into_iter().filter(|&t| t < postings::MAX_TERMS).fold(0, |m, t| m | 1 << t)
    }

    /// Share of a short field's words (a title, a heading) that the question names
    /// (`in_field`: the terms found in it): a page titled exactly what was asked about
    /// is likely the page.
    fn precision(&self, in_field: u64, field_len: u32) -> f32 {
        if field_len == 0 || in_field == 0 {
            return 0.0;
        }
        let named = self.groups.iter().filter(|g| in_field & (g.full | g.synonyms) != 0).count();
        (named as f32 / field_len as f32).min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ask::query::QueryTerm;

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
        let groups = Groups::of(&t);
        let weights = groups.weights(&t, &idf);
        let coverage = |present: &[usize]| groups.covered(&weights, Groups::present(present.iter().copied()));
        assert_eq!(coverage(&[1]), 0.5 / 3.5);
        let with_synonym = coverage(&[1, 2]);
        assert!((with_synonym - (0.5 + 3.0 * Origin::Synonym.weight()) / 3.5).abs() < 1e-6);
        assert_eq!(coverage(&[0, 1, 2]), 1.0);
        assert_eq!(Groups::present([0, 2, postings::MAX_TERMS]), 0b101, "terms past the scored ones have no bit");
        assert!((groups.covered(&weights, 0b100) - 3.0 * Origin::Synonym.weight() / 3.5).abs() < 1e-6);
        assert_eq!(groups.covered(&weights, 0b101), 3.0 / 3.5);
        assert_eq!(groups.covered(&weights, 0), 0.0);
    }

    proptest::proptest! {
        /// Score keys order scores as `total_cmp` does, so `order` ranks as `better`.
        #[test]
        fn score_keys_order_as_total_cmp(a in proptest::num::f32::ANY, b in proptest::num::f32::ANY) {
            proptest::prop_assert_eq!(score_key(a).cmp(&score_key(b)), a.total_cmp(&b));
        }

        #[test]
        fn order_is_the_order_of_better(scores in proptest::collection::vec((0u8..4, 0usize..5), 0..40)) {
            // Distinct (page, section) pairs, as sections are; few scores, so many ties.
            let mut hits: Vec<Hit> = scores
                .iter()
                .enumerate()
                .map(|(i, &(score, page))| Hit {
                    id: i,
                    page,
                    section: i,
                    score: f32::from(score) / 2.0 - 0.5,
                    page_score: 0.0,
                    coverage: 0.0,
                })
                .collect();
            let mut expected = hits.clone();
            expected.sort_by(better);
            order(&mut hits);
            proptest::prop_assert_eq!(hits, expected);
        }
    }

    #[test]
    fn precision_is_the_named_share_of_a_short_field() {
        let t = terms(&[("creat", Origin::Question, 0), ("token", Origin::Question, 1)], 2);
        assert_eq!(Groups::of(&t).precision(0b11, 3), 2.0 / 3.0);
        assert_eq!(Groups::of(&t).precision(0b10, 1), 1.0);
        assert_eq!(Groups::of(&t).precision(0b11, 0), 0.0);
        assert_eq!(Groups::of(&t).precision(0, 2), 0.0);
    }
}
