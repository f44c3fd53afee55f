//! Question words: the stop words a question drops, the weak words that count only a
//! little ("see", "option") and the pointing words that refer to the page asked
//! from ("it", "this"), as lists a reader can check at a glance.

#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "all", "am", "an", "and", "any", "are", "as", "at", "be", "been",
    "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "done",
    "down", "during", "each", "either", "else", "ever", "few", "for", "from", "further", "had", "has", "have",
    "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "let", "lets", "may", "me", "might", "more", "most", "much", "must", "my", "myself",
    "need", "no", "nor", "not", "now", "of", "on", "once", "one", "only", "or", "other", "our", "ours", "out",
    "over", "own", "please", "same", "shall", "she", "should", "so", "some", "such", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
    "until", "up", "us", "very", "was", "we", "were", "what", "whats", "when", "where", "which", "while", "who",
    "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "s", "t", "don", "doesn", "isn",
    "aren", "can't", "cannot", "want", "wants", "tell", "show", "explain", "way", "ways", "possible", "able",
    "there's", "thing", "things", "anyone", "someone", "something", "also", "via", "using", "use", "get", "got",
    "make", "go", "know", "like",
];

/// Words that questions use for their own sake more than for the topic: they count,
/// but much less than content words.
#[rustfmt::skip]
const WEAK_WORDS: &[&str] = &[
    "see", "seen", "find", "look", "option", "options", "happen", "happens", "happened", "work", "works",
    "working", "check", "try", "mean", "means", "meaning", "really", "exactly", "actually", "still", "anything",
    "everything", "something", "kind", "sort", "type", "types", "example", "examples", "different",
    "difference", "instead", "possible", "allowed", "supposed", "help", "info", "information", "details",
    "detail", "best", "good", "right", "wrong", "correct", "properly", "problem", "issue", "thing", "stuff",
    "go", "goes", "going", "keep", "keeps",
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
    WEAK_WORDS.contains(&word)
}

/// True for words that carry no content in a question.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

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
