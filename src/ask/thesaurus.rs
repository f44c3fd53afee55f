//! The offline English thesaurus (WordNet, compiled in from `data/thesaurus.tsv`):
//! synonyms for query expansion and a dictionary for lemmas (`adding` → `add`),
//! looked up by binary search in the sorted text, with nothing to load.

/// The thesaurus text: `word<TAB>synonym synonym …` lines, sorted by word.
const DATA: &str = include_str!("../../data/thesaurus.tsv");

/// A sorted `word<TAB>synonyms` table.
#[derive(Debug, Clone, Copy)]
pub struct Thesaurus {
    data: &'static str,
}

impl Default for Thesaurus {
    fn default() -> Self {
        Thesaurus { data: DATA }
    }
}

impl Thesaurus {
    /// A thesaurus over other sorted data (tests).
    pub fn with_data(data: &'static str) -> Self {
        Thesaurus { data }
    }

    /// The synonyms listed for exactly `word`.
    fn entry(&self, word: &str) -> Option<&'static str> {
        let data = self.data;
        let (mut lo, mut hi) = (0usize, data.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            // Searched as bytes: `mid` may fall inside a character, a line never starts there.
            let start = data.as_bytes()[..mid].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let end = data[start..].find('\n').map_or(data.len(), |i| start + i);
            let line = &data[start..end];
            let (key, rest) = line.split_once('\t').unwrap_or((line, ""));
            match key.cmp(word) {
                std::cmp::Ordering::Equal => return Some(rest),
                std::cmp::Ordering::Less => lo = end + 1,
                std::cmp::Ordering::Greater => hi = start,
            }
        }
        None
    }

    /// The dictionary form of an inflected word (`adding` → `add`, `stars` → `star`),
    /// when the thesaurus knows one and it differs from `word`.
    pub fn lemma(&self, word: &str) -> Option<String> {
        if self.entry(word).is_some() {
            return None;
        }
        let cut = |n: usize| word.get(..word.len().saturating_sub(n)).unwrap_or("").to_string();
        let mut candidates = Vec::new();
        if word.ends_with("ies") {
            candidates.push(cut(3) + "y");
        }
        if word.ends_with("es") {
            candidates.push(cut(2));
        }
        if word.ends_with('s') {
            candidates.push(cut(1));
        }
        for suffix in ["ing", "ed"] {
            if word.ends_with(suffix) {
                let stem = cut(suffix.len());
                candidates.push(stem.clone());
                candidates.push(stem.clone() + "e");
                // A doubled final letter (`stopped` → `stopp` → `stop`).
                let mut last = stem.chars().rev();
                if let (Some(a), Some(b)) = (last.next(), last.next()) {
                    if a == b && stem.chars().count() > 2 {
                        candidates.push(stem[..stem.len() - a.len_utf8()].to_string());
                    }
                }
            }
        }
        candidates.into_iter().find(|c| c.len() > 1 && self.entry(c).is_some())
    }

    /// Synonyms of `word` (or of its lemma).
    pub fn synonyms(&self, word: &str) -> Vec<&'static str> {
        let entry = self.entry(word).or_else(|| self.lemma(word).and_then(|l| self.entry(&l)));
        entry.map(|e| e.split(' ').filter(|s| !s.is_empty()).collect()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_synonyms_in_the_compiled_data() {
        let t = Thesaurus::default();
        assert!(t.synonyms("mandatory").contains(&"required"));
        assert!(t.synonyms("stars").contains(&"asterisk"), "plural looked up by its lemma");
        assert!(t.synonyms("zzzz").is_empty());
    }

    #[test]
    fn lemmas_undo_common_inflections() {
        let t = Thesaurus::with_data("add\tsum\nstar\tasterisk\nstop\thalt\n");
        assert_eq!(t.lemma("adding").as_deref(), Some("add"));
        assert_eq!(t.lemma("stars").as_deref(), Some("star"));
        assert_eq!(t.lemma("stopped").as_deref(), Some("stop"));
        assert_eq!(t.lemma("add"), None);
        assert_eq!(t.synonyms("start"), Vec::<&str>::new());
    }
}
