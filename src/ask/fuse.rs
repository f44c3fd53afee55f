//! Fusion: the lexical ranking and the semantic one combined by "capped coverage"
//! (bench/README.md, "Semantic signal"). With `c` the coverage of the question by the
//! best lexical section, `w = min(½, c)`, and over the pool of lexical candidates plus
//! the sections nearest the question's vector,
//! `fused = w · minmax(lexical) + (1 − w) · minmax(cosine)`: the less the words of the
//! docs see of the question, the more its meaning decides. A page scores as its best
//! section.
//!
//! Takes the lexical hits (in any order), the `Store` (section vectors) and the
//! question's vector; gives the fused hits, best first.

use rustc_hash::FxHashMap;

use super::rank::{self, Context, Hit};
use super::semantic::dot_i8;
use super::store::Store;

/// Sites with at most this many sections have every section compared with the
/// question; larger ones only the lexical candidates (the scan costs ~25 ns a section).
const SCAN_ALL: usize = 20_000;
/// Sections added to the pool for their meaning alone.
const NEAREST: usize = 30;
/// Largest share of the lexical ranking in the fused score.
const LEXICAL_CAP: f32 = 0.5;

/// The lexical hits (in any order) re-scored by fusion, best first; only ranked when
/// the question or the sections have no vector. When no word of the question is in
/// the docs, meaning alone ranks.
pub fn fuse(mut hits: Vec<Hit>, store: &Store, query: &[i8], ctx: &Context) -> Vec<Hit> {
    if query.iter().all(|&x| x == 0) || store.dims != query.len() {
        rank::order(&mut hits);
        return hits;
    }
    let best = hits.iter().min_by(|a, b| rank::better(a, b));
    let w = best.filter(|_| ctx.features.lexical).map_or(0.0, |best| best.coverage.min(LEXICAL_CAP));
    // Every section's cosine when the site is small enough to compare them all (then
    // the lexical hits take theirs from it), else the lexical hits' only.
    let all: Option<Vec<i32>> = (store.len() <= SCAN_ALL).then(|| store.dots(query));
    let cosine = |id: usize| all.as_ref().map_or_else(|| dot_i8(store.vector(id), query), |c| c[id]) as f32;
    // The pool: (id, lexical score, cosine, coverage).
    let mut pool: Vec<(usize, f32, f32, f32)> =
        hits.iter().map(|h| (h.id, h.score, cosine(h.id), h.coverage)).collect();
    if let Some(all) = &all {
        let mut is_lexical = vec![false; all.len()];
        for h in &hits {
            is_lexical[h.id] = true;
        }
        for id in nearest(all, |id| (store.sections[id].page, store.sections[id].section)) {
            if !is_lexical[id] {
                pool.push((id, 0.0, all[id] as f32, 0.0));
            }
        }
    }
    let lexical = minmax(pool.iter().map(|p| p.1));
    let semantic = minmax(pool.iter().map(|p| p.2));
    let mut fused: Vec<Hit> = pool
        .iter()
        .map(|&(id, lex, cos, coverage)| {
            let s = &store.sections[id];
            let lift = ctx.lift(s.page);
            let score = (w * lexical(lex) + (1.0 - w) * semantic(cos)) * lift;
            Hit { id, page: s.page, section: s.section, score, page_score: 0.0, coverage }
        })
        .collect();
    let mut best: FxHashMap<usize, f32> = FxHashMap::with_capacity_and_hasher(fused.len(), Default::default());
    for h in &fused {
        let top = best.entry(h.page).or_insert(0.0);
        *top = top.max(h.score);
    }
    for h in &mut fused {
        h.page_score = best[&h.page];
    }
    rank::order(&mut fused);
    fused
}

/// The `NEAREST` sections of the highest dot products, best first; equal ones in the
/// order of their `key` (page, section), then of their id. The products are first
/// counted by bands of 128 (those of two unit vectors scaled to ±127 lie within
/// ±16,129; the outermost bands take anything beyond): every product in the band
/// where the count from the top reaches `NEAREST`, or above it, is a candidate, and
/// only those few have their key read and are sorted.
fn nearest<K: Ord>(dots: &[i32], key: impl Fn(usize) -> K) -> Vec<usize> {
    let band = |dot: i32| ((dot >> 7) + 128).clamp(0, 255) as usize;
    let mut counts = [0usize; 256];
    for &dot in dots {
        counts[band(dot)] += 1;
    }
    let mut above = 0;
    let floor = (0..256).rev().find(|&b| {
        above += counts[b];
        above >= NEAREST
    });
    // The lowest product of that band (every product when it is the lowest band).
    let floor = floor.filter(|&b| b > 0).map_or(i32::MIN, |b| (b as i32 - 128) << 7);
    let mut best: Vec<(i32, K, usize)> =
        dots.iter().enumerate().filter(|&(_, &dot)| dot >= floor).map(|(id, &dot)| (dot, key(id), id)).collect();
    // Best first: higher products, then lower keys, then lower ids.
    best.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    best.truncate(NEAREST);
    best.into_iter().map(|(_, _, id)| id).collect()
}

/// Rescales values to 0..1 over their own range (all 0 when they are equal).
fn minmax(values: impl Iterator<Item = f32>) -> impl Fn(f32) -> f32 {
    let (lo, hi) = values.fold((f32::MAX, f32::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    move |v| if hi > lo { (v - lo) / (hi - lo) } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_takes_the_highest_products_and_breaks_ties_by_key() {
        let dots: Vec<i32> = (0..100).map(|i| i % 50).collect();
        // 49 twice (ids 49 and 99), then 48 twice…: the key orders each pair.
        let found = nearest(&dots, std::cmp::Reverse);
        assert_eq!(found.len(), NEAREST);
        assert_eq!(&found[..4], &[99, 49, 98, 48]);
        assert!(found.windows(2).all(|w| dots[w[0]] >= dots[w[1]]));
        assert_eq!(nearest(&[3, 7], |id| id), vec![1, 0]);
        assert!(nearest(&[], |id| id).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn nearest_is_the_head_of_the_whole_order(
            dots in proptest::collection::vec(proptest::prop_oneof![-4i32..4, -17_000i32..17_000, proptest::num::i32::ANY], 0..200),
        ) {
            // Distinct keys in no relation to the ids (37 and 1009 are coprime), then
            // keys shared by many sections (ids order those).
            let keys: [fn(usize) -> usize; 2] = [|id| (id * 37) % 1009, |id| id % 3];
            for key in keys {
                let mut all: Vec<usize> = (0..dots.len()).collect();
                all.sort_by(|&a, &b| dots[b].cmp(&dots[a]).then(key(a).cmp(&key(b))));
                all.truncate(NEAREST);
                proptest::prop_assert_eq!(nearest(&dots, key), all);
            }
        }
    }

    #[test]
    fn minmax_rescales_and_survives_equal_values() {
        let f = minmax([2.0, 4.0, 3.0].into_iter());
        assert_eq!(f(2.0), 0.0);
        assert_eq!(f(4.0), 1.0);
        assert_eq!(f(3.0), 0.5);
        assert_eq!(minmax([1.0, 1.0].into_iter())(1.0), 0.0);
    }
}
