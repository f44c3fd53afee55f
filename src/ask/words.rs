//! Question words: the stop words a question drops, the weak words that count only a
//! little ("see", "option") and the pointing words that refer to the page asked
//! from ("it", "this"), as lists a reader can check at a glance.

#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "able", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "anyone", "are",
    "aren", "as", "at", "be", "been", "before", "being", "between", "both", "but", "by", "can", "can't", "cannot",
    "could", "did", "do", "does", "doesn", "doing", "don", "done", "down", "during", "each", "either", "else",
    "ever", "explain", "few", "for", "from", "further", "get", "go", "got", "had", "has", "have", "having", "he",
    "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "isn", "it", "its", "itself",
    "just", "know", "let", "lets", "like", "make", "may", "me", "might", "more", "most", "much", "must", "my",
    "myself", "need", "no", "nor", "not", "now", "of", "on", "once", "one", "only", "or", "other", "our", "ours",
    "out", "over", "own", "please", "possible", "s", "same", "shall", "she", "should", "show", "so", "some",
    "someone", "something", "such", "t", "tell", "than", "that", "the", "their", "them", "then", "there",
    "there's", "these", "they", "thing", "things", "this", "those", "through", "to", "too", "under", "until",
    "up", "us", "use", "using", "very", "via", "want", "wants", "was", "way", "ways", "we", "were", "what",
    "whats", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
    "yours", "yourself",
];

/// Words that questions use for their own sake more than for the topic: they count,
/// but much less than content words.
#[rustfmt::skip]
const WEAK_WORDS: &[&str] = &[
    "actually", "allowed", "anything", "best", "check", "correct", "detail", "details", "difference", "different",
    "everything", "exactly", "example", "examples", "find", "go", "goes", "going", "good", "happen", "happened",
    "happens", "help", "info", "information", "instead", "issue", "keep", "keeps", "kind", "look", "mean",
    "meaning", "means", "option", "options", "possible", "problem", "properly", "really", "right", "see", "seen",
    "something", "sort", "still", "stuff", "supposed", "thing", "try", "type", "types", "work", "working",
    "works", "wrong",
];

/// Words by which a question points at what the asker is looking at ("can this be
/// undone?", "how do I test it"): English pronouns and deictics, a closed class.
const POINTING_WORDS: &[&str] = &["it", "its", "this", "these", "those", "here", "there", "them", "they"];

/// Whether a question leans on the page it is asked from: it points at something
/// ("it", "this", "here") or names at most one topic word of its own.
pub fn leans_on_context(words: &[String]) -> bool {
    let topical = words.iter().filter(|w| !is_stop_word(w) && !is_weak_word(w)).count();
    topical <= 1 || words.iter().any(|w| POINTING_WORDS.contains(&w.as_str()))
}

/// The names a question uses: capitalised words of three characters or more that do
/// not start a sentence ("Quarkus", "HIPAA", "PagerDuty"), possessives trimmed. Quoted
/// words are examples of values, not names, and are left out.
pub fn names(question: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut starts_sentence = true;
    for token in question.split_whitespace() {
        let quoted = token.starts_with(['\'', '"', '‘', '“', '`']);
        let word = token.trim_matches(|c: char| !c.is_alphanumeric());
        let word = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")).unwrap_or(word);
        let mut chars = word.chars();
        let capitalised = chars.next().is_some_and(char::is_uppercase)
            && word.chars().count() >= 3
            && chars.all(char::is_alphanumeric);
        if capitalised && !starts_sentence && !quoted {
            out.push(word);
        }
        starts_sentence = token.trim_end_matches(['\'', '"', '’', '”', ')']).ends_with(['.', '?', '!', ':']);
    }
    out
}

/// True for words that count only weakly in a question.
pub fn is_weak_word(word: &str) -> bool {
    const KEYS: [u128; WEAK_WORDS.len()] = keys(WEAK_WORDS);
    key(word).is_some_and(|k| KEYS.binary_search(&k).is_ok())
}

/// True for words that carry no content in a question.
pub fn is_stop_word(word: &str) -> bool {
    const KEYS: [u128; STOP_WORDS.len()] = keys(STOP_WORDS);
    key(word).is_some_and(|k| KEYS.binary_search(&k).is_ok())
}

/// A word of at most 16 bytes and no zero byte as one integer, its bytes big-endian
/// and zeros after: integers in the order of the words, so the lists are searched by
/// integer comparisons instead of a call comparing bytes at each step (the words of
/// every question are looked up). `None` for any other word, which no list holds.
const fn key(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.len() > 16 {
        return None;
    }
    let mut key = 0u128;
    let mut i = 0;
    while i < 16 {
        key <<= 8;
        if i < bytes.len() {
            if bytes[i] == 0 {
                return None;
            }
            key |= bytes[i] as u128;
        }
        i += 1;
    }
    Some(key)
}

/// The [`key`] of each word of a list (each at most 16 bytes), in the list's order.
const fn keys<const N: usize>(words: &[&str]) -> [u128; N] {
    let mut out = [0u128; N];
    let mut i = 0;
    while i < N {
        out[i] = match key(words[i]) {
            Some(key) => key,
            None => panic!("a listed word is longer than 16 bytes"),
        };
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        for list in [STOP_WORDS, WEAK_WORDS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{:?}", list.windows(2).find(|w| w[0] >= w[1]));
        }
        assert!(is_stop_word("the") && is_stop_word("a") && !is_stop_word("token"));
        assert!(is_weak_word("happen") && !is_weak_word("token"));
        for list in [STOP_WORDS, WEAK_WORDS] {
            let keys: Vec<u128> = list.iter().map(|w| key(w).expect("a short word")).collect();
            assert!(keys.windows(2).all(|k| k[0] < k[1]), "keys in the order of the words");
        }
    }

    #[test]
    fn every_listed_word_is_found_and_no_other() {
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
        assert!(WEAK_WORDS.iter().all(|w| is_weak_word(w)));
        // Prefixes, extensions, case, and words longer than a key holds.
        for word in ["", "th", "thee", "The", "yourselves", "informations", "a\0", "somethingsomethingx"] {
            assert!(!is_stop_word(word), "{word}");
            assert!(!is_weak_word(word), "{word}");
        }
        assert_eq!(key("abcdefghijklmnopq"), None);
    }

    fn words(q: &str) -> Vec<String> {
        crate::ask::query::words(q)
    }

    #[test]
    fn vague_and_pointing_questions_lean_on_their_page() {
        assert!(leans_on_context(&words("what are the steps")));
        assert!(leans_on_context(&words("Can this be undone?")));
        assert!(leans_on_context(&words("how do I test it")));
        assert!(!leans_on_context(&words("What is the webhook secret?")));
        assert!(!leans_on_context(&words("How do I rotate an API key without downtime?")));
    }

    #[test]
    fn names_are_capitalised_words_inside_sentences() {
        assert_eq!(names("Is there a Flutter SDK for BugSplat's API?"), ["Flutter", "SDK", "BugSplat", "API"]);
        assert_eq!(names("Grafana dashboards? Does Axon ship one."), ["Axon"]);
        assert_eq!(names("How do I show 'John' in a C# app? I'd like that."), Vec::<&str>::new());
        assert_eq!(names("Can the émoji 🚀 Überweisung break it?"), ["Überweisung"]);
    }
}
