//! The pages nearest to a path or a few words, for "did you mean" lists (404s, MCP's
//! unknown pages): the same ranking as `SiteMeta::nearest` (Dice coefficient of
//! letter pairs over each page's URL, last URL segment and title; ties in reading
//! order), at a cost that does not grow with the square of what was asked: the
//! pages' letter pairs are computed once per build, the asked text is cut to
//! `MAX_WANTED` characters, and each pair of a page is looked up among the asked
//! text's pairs by binary search.
//!
//! Takes the build's `SiteMeta`; gives page indexes, best first.

use crate::index::SiteMeta;

/// Characters of the asked text taken into account; the rest is ignored.
pub const MAX_WANTED: usize = 256;

/// A letter pair, packed.
type Pair = u64;

/// The letter pairs of every visible page's URL, last URL segment and title.
pub struct Nearest {
    /// Pairs of all candidates, one after the other, each candidate's sorted.
    pairs: Vec<Pair>,
    /// For each visible page: its index and where its three candidates' pairs are.
    pages: Vec<Candidates>,
}

struct Candidates {
    page: usize,
    order: Option<usize>,
    spans: [(u32, u32); 3],
}

impl Nearest {
    /// Computes the letter pairs of `meta`'s visible pages.
    pub fn new(meta: &SiteMeta) -> Nearest {
        let mut pairs = Vec::new();
        let mut pages = Vec::new();
        for (i, p) in meta.pages.iter().enumerate().filter(|(_, p)| !p.hidden) {
            let last = p.url.rsplit('/').next().unwrap_or("");
            let mut spans = [(0, 0); 3];
            for (span, text) in spans.iter_mut().zip([p.url.as_str(), last, p.title.as_str()]) {
                let start = pairs.len();
                pairs.extend(letter_pairs(&text.to_lowercase()));
                pairs[start..].sort_unstable();
                *span = (start as u32, (pairs.len() - start) as u32);
            }
            pages.push(Candidates { page: i, order: p.order, spans });
        }
        pairs.shrink_to_fit();
        Nearest { pairs, pages }
    }

    /// The `n` visible pages most like `wanted`, best first; ties in reading order.
    pub fn find(&self, wanted: &str, n: usize) -> Vec<usize> {
        let cut: String = wanted.chars().take(MAX_WANTED).collect();
        let asked = Asked::new(&cut.to_lowercase());
        let mut used = vec![0u16; asked.counts.len()];
        let mut scored: Vec<(f32, Option<usize>, usize)> = self
            .pages
            .iter()
            .map(|c| {
                let score = c
                    .spans
                    .iter()
                    .map(|&(start, len)| {
                        let pairs = &self.pairs[start as usize..(start + len) as usize];
                        asked.dice(pairs, &mut used)
                    })
                    .fold(0.0, f32::max);
                (score, c.order, c.page)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(n).map(|(_, _, page)| page).collect()
    }
}

/// The asked text's letter pairs, distinct and sorted, with how often each occurs.
struct Asked {
    keys: Vec<Pair>,
    counts: Vec<u16>,
    total: usize,
}

impl Asked {
    fn new(text: &str) -> Asked {
        let mut all = letter_pairs(text);
        let total = all.len();
        all.sort_unstable();
        let (mut keys, mut counts): (Vec<Pair>, Vec<u16>) = (Vec::new(), Vec::new());
        for p in all {
            match keys.last() {
                Some(&last) if last == p => {
                    if let Some(c) = counts.last_mut() {
                        *c = c.saturating_add(1);
                    }
                }
                _ => {
                    keys.push(p);
                    counts.push(1);
                }
            }
        }
        Asked { keys, counts, total }
    }

    /// Dice coefficient with a candidate's pairs: twice the pairs in common (each
    /// occurrence matched once) over the pairs of both. `used` is scratch space of
    /// `keys.len()` zeros, left zeroed.
    fn dice(&self, pairs: &[Pair], used: &mut [u16]) -> f32 {
        if pairs.is_empty() || self.total == 0 {
            return 0.0;
        }
        let mut common = 0usize;
        for p in pairs {
            if let Ok(k) = self.keys.binary_search(p) {
                if used[k] < self.counts[k] {
                    used[k] += 1;
                    common += 1;
                }
            }
        }
        for p in pairs {
            if let Ok(k) = self.keys.binary_search(p) {
                used[k] = 0;
            }
        }
        2.0 * common as f32 / (self.total + pairs.len()) as f32
    }
}

/// The letter pairs of `text` as `SiteMeta::nearest` counts them: letters and digits,
/// every other run of characters one space, no leading space.
fn letter_pairs(text: &str) -> Vec<Pair> {
    let mut pairs = Vec::new();
    let mut prev: Option<char> = None;
    for c in text.chars() {
        let c = if c.is_alphanumeric() { c } else { ' ' };
        if c == ' ' && prev.is_none_or(|l| l == ' ') {
            continue;
        }
        if let Some(p) = prev {
            pairs.push((u64::from(p as u32) << 32) | u64::from(c as u32));
        }
        prev = Some(c);
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::PageMeta;

    fn meta() -> SiteMeta {
        let page = |url: &str, title: &str, order: Option<usize>, hidden: bool| PageMeta {
            url: url.into(),
            title: title.into(),
            description: None,
            parent: None,
            order,
            breadcrumbs: vec![],
            hidden,
        };
        SiteMeta {
            pages: vec![
                page("", "Home", Some(0), false),
                page("settings/api-tokens/create-api-token", "Create an API token", Some(1), false),
                page("settings/api-tokens/delete-api-token", "Delete an API token", Some(2), false),
                page("guide/install", "Install", Some(3), false),
                page("guide/secret", "Secret", Some(4), true),
                page("guide/über-straße", "Über die Straße", None, false),
                page("a/a/a", "aaaa aa a", Some(5), false),
            ],
            ..SiteMeta::default()
        }
    }

    #[test]
    fn ranks_as_the_site_meta_does() {
        let meta = meta();
        let nearest = Nearest::new(&meta);
        for wanted in [
            "settings/api-tokens/create-token",
            "guide/instal",
            "zzz",
            "",
            "delete a token",
            "UBER strasse",
            "aaaaaaa",
            "a-a-a-a",
            "///",
            "guide/secret",
        ] {
            assert_eq!(nearest.find(wanted, 3), meta.nearest(wanted, 3), "{wanted:?}");
        }
    }

    #[test]
    fn long_asks_are_cut() {
        let meta = meta();
        let nearest = Nearest::new(&meta);
        let long = format!("guide/install{}", "x".repeat(30_000));
        let cut: String = long.chars().take(MAX_WANTED).collect();
        assert_eq!(nearest.find(&long, 2), meta.nearest(&cut, 2));
    }
}
