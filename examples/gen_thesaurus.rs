//! Generates `data/thesaurus.tsv`, the offline English thesaurus the ask engine uses
//! for query expansion, from WordNet (via the `thesaurus` crate):
//! `cargo run --release --example gen_thesaurus > data/thesaurus.tsv`.
//!
//! Keeps single lower-case words with single-word synonyms, one line per word
//! (`word<TAB>syn syn …`), sorted, so the engine can binary-search it without
//! loading WordNet (which takes over a second).

use std::collections::BTreeMap;

fn main() {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let simple = |w: &str| w.len() > 1 && w.chars().all(|c| c.is_ascii_lowercase());
    for (word, synonyms) in thesaurus::dict().iter() {
        let word = word.to_lowercase();
        if !simple(&word) {
            continue;
        }
        let list = out.entry(word.clone()).or_default();
        list.extend(synonyms.iter().map(|s| s.to_lowercase()).filter(|s| *s != word && simple(s)));
    }
    for (word, mut list) in out {
        list.sort();
        list.dedup();
        if !list.is_empty() {
            println!("{word}\t{}", list.join(" "));
        }
    }
}
