//! Questions → queries: a natural-language question becomes weighted, stemmed terms
//! that can never fail to parse. Stop words and question words are dropped so the
//! content words decide; the writer's synonyms (`docask.toml`) and the `goal` add
//! terms at lower weights. (A general thesaurus and word families were measured and
//! left out: they lowered as many questions as they raised, bench/README.md.)
//!
//! Takes the question, the goal, the writer's synonyms and the analyzer of the index;
//! gives `Terms`.

use std::collections::BTreeMap;

use tantivy::tokenizer::TextAnalyzer;

pub use super::words::{is_stop_word, is_weak_word};

/// Longest question accepted, in characters.
pub const MAX_QUESTION_CHARS: usize = 1000;
/// Most content words taken from a question.
const MAX_WORDS: usize = 24;

/// Where a term came from, which sets its weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Origin {
    /// A word of the question.
    Question,
    /// A word of the question that says little about the topic ("see", "option").
    Weak,
    /// A synonym of a question word.
    Synonym,
    /// A word of the goal.
    Goal,
}

impl Origin {
    /// Weight of a term of this origin in retrieval and coverage.
    pub fn weight(self) -> f32 {
        match self {
            Origin::Question => 1.0,
            Origin::Weak => 0.35,
            Origin::Synonym => 0.2,
            Origin::Goal => 0.3,
        }
    }
}

/// One stemmed term of the query.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryTerm {
    /// Stemmed, lower-cased text, as indexed.
    pub text: String,
    /// Where it came from.
    pub origin: Origin,
    /// Which question word (or goal word) it stands for; synonyms share their word's group.
    pub group: usize,
}

/// The analysed question.
#[derive(Debug, Clone, Default)]
pub struct Terms {
    /// Terms, question words first.
    pub terms: Vec<QueryTerm>,
    /// Number of groups that come from the question (not the goal).
    pub question_groups: usize,
    /// Whether the question asks for a procedure ("how do I …").
    pub how_to: bool,
    /// Whether the question asks for an amount ("how long", "how many", "the limit"):
    /// its answer holds a number.
    pub amount: bool,
    /// Whether the question asks for a named thing of the software ("which file",
    /// "what endpoint", "the setting"): its answer is usually written as code.
    pub identifier: bool,
    /// Whether the question has content words (not only stop words, which are then
    /// searched but never answered from).
    pub has_content: bool,
}

/// Lower-cased words of `text`, split on anything that is not a letter or digit.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Whether a question's words ask for an amount: "how" before a word of measure
/// ("how long", "how many"), or a noun of measure ("limit", "timeout", "price").
fn asks_amount(words: &[String]) -> bool {
    const AFTER_HOW: &[&str] =
        &["long", "many", "much", "soon", "often", "big", "large", "small", "far", "old", "fast", "frequently"];
    #[rustfmt::skip]
    const MEASURES: &[&str] = &[
        "limit", "limits", "maximum", "minimum", "max", "min", "quota", "size", "timeout", "duration", "price",
        "cost", "costs", "retention", "port", "ports",
    ];
    words.windows(2).any(|w| w[0] == "how" && AFTER_HOW.contains(&w[1].as_str()))
        || words.iter().any(|w| MEASURES.contains(&w.as_str()))
}

/// Whether a question's words ask for a named thing of the software: a noun such as
/// "file", "endpoint", "property" or "command".
fn asks_identifier(words: &[String]) -> bool {
    #[rustfmt::skip]
    const THINGS: &[&str] = &[
        "url", "urls", "file", "files", "endpoint", "endpoints", "command", "commands", "property",
        "properties", "setting", "settings", "parameter", "parameters", "flag", "flags", "header", "headers",
        "variable", "variables", "method", "methods", "function", "annotation", "field", "fields", "path",
        "topic", "folder", "directory", "scope", "class", "option", "callback", "event", "events",
    ];
    words.iter().any(|w| THINGS.contains(&w.as_str()))
}

/// The base of an inflected word whose base ends in a doubled consonant (`adding` →
/// `add`, `rolled` → `roll`), which the stemmer would cut to one letter.
fn doubled_base(word: &str) -> Option<&str> {
    let base = ["ing", "ed", "er", "ers"].iter().find_map(|s| word.strip_suffix(s))?;
    let mut last = base.chars().rev();
    let (a, b) = (last.next()?, last.next()?);
    (a == b && a.is_ascii_alphabetic() && !"aeiou".contains(a) && base.chars().count() >= 3).then_some(base)
}

/// The other stem of an `-ify` verb: the stemmer gives `notifi` for `notify` and
/// `notified` but `notif` for `notification`, `verifi` and `verif`, and so on.
fn ify_variant(stem: &str) -> Option<String> {
    if !stem.is_ascii() || stem.len() < 5 {
        None
    } else if let Some(noun) = stem.strip_suffix("ifi") {
        Some(format!("{noun}if"))
    } else {
        stem.strip_suffix("if").map(|verb| format!("{verb}ifi"))
    }
}

/// Stems one lower-cased word with the index's analyzer.
pub fn stem(analyzer: &mut TextAnalyzer, word: &str) -> Option<String> {
    let mut stream = analyzer.token_stream(word);
    let mut out = None;
    while stream.advance() {
        out.get_or_insert_with(|| stream.token().text.clone());
    }
    out
}

/// Analyses a question and an optional goal.
pub fn analyse(
    question: &str,
    goal: Option<&str>,
    analyzer: &mut TextAnalyzer,
    synonyms: &BTreeMap<String, Vec<String>>,
) -> Terms {
    let question: String = question.chars().take(MAX_QUESTION_CHARS).collect();
    let all = words(&question);
    let how_to =
        all.first().is_some_and(|w| w == "how") || all.iter().take(3).any(|w| w == "steps" || w == "procedure");
    let amount = asks_amount(&all);
    let identifier = asks_identifier(&all);
    let mut content: Vec<String> = all.iter().filter(|w| !is_stop_word(w)).cloned().collect();
    let has_content = !content.is_empty();
    if !has_content {
        content = all;
    }
    content.truncate(MAX_WORDS);
    let mut out = Terms { how_to: how_to && !amount, amount, identifier, has_content, ..Terms::default() };
    let mut group = 0;
    for word in &content {
        let Some(stemmed) = stem(analyzer, word) else {
            continue;
        };
        if out.terms.iter().any(|t| t.text == stemmed && matches!(t.origin, Origin::Question | Origin::Weak)) {
            continue;
        }
        let origin = if is_weak_word(word) { Origin::Weak } else { Origin::Question };
        out.terms.push(QueryTerm { text: stemmed.clone(), origin, group });
        // Forms the stemmer cuts apart join the group: `adding` → `ad` beside `add`,
        // `notified` → `notifi` beside `notification` → `notif`.
        let base = doubled_base(word).and_then(|b| stem(analyzer, b));
        for variant in base.into_iter().chain(ify_variant(&stemmed)) {
            if !out.terms.iter().any(|t| t.text == variant) {
                out.terms.push(QueryTerm { text: variant, origin, group });
            }
        }
        let alternatives = synonyms.get(word.as_str()).cloned().unwrap_or_default();
        for alt in alternatives {
            for w in words(&alt) {
                if let Some(s) = stem(analyzer, &w).filter(|_| !is_stop_word(&w)) {
                    if !out.terms.iter().any(|t| t.text == s) {
                        out.terms.push(QueryTerm { text: s, origin: Origin::Synonym, group });
                    }
                }
            }
        }
        group += 1;
    }
    out.question_groups = group;
    for word in goal.map(words).unwrap_or_default().into_iter().filter(|w| !is_stop_word(w)).take(MAX_WORDS) {
        if let Some(s) = stem(analyzer, &word) {
            if !out.terms.iter().any(|t| t.text == s) {
                out.terms.push(QueryTerm { text: s, origin: Origin::Goal, group });
                group += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, Stemmer};

    fn analyzer() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).filter(Stemmer::default()).build()
    }

    fn analyse_plain(q: &str, goal: Option<&str>, synonyms: &BTreeMap<String, Vec<String>>) -> Terms {
        analyse(q, goal, &mut analyzer(), synonyms)
    }

    #[test]
    fn drops_question_words_and_stems() {
        let t = analyse_plain("How do I create a new API token?", None, &BTreeMap::new());
        let texts: Vec<_> = t.terms.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["creat", "new", "api", "token"]);
        assert!(t.how_to);
    }

    #[test]
    fn amount_questions_are_told_from_procedures() {
        let t = analyse_plain("How long does the export link stay valid?", None, &BTreeMap::new());
        assert!(t.amount && !t.how_to);
        assert!(analyse_plain("what is the upload size limit", None, &BTreeMap::new()).amount);
        let t = analyse_plain("How do I export a design?", None, &BTreeMap::new());
        assert!(!t.amount && t.how_to && !t.identifier);
        assert!(analyse_plain("Which file holds the token?", None, &BTreeMap::new()).identifier);
    }

    #[test]
    fn a_doubled_consonant_keeps_its_base() {
        assert_eq!(doubled_base("adding"), Some("add"));
        assert_eq!(doubled_base("rolled"), Some("roll"));
        assert_eq!(doubled_base("creating"), None);
        assert_eq!(doubled_base("seeing"), None, "vowels are not undoubled");
        let t = analyse_plain("mandatory when adding", None, &BTreeMap::new());
        let adding: Vec<_> = t.terms.iter().filter(|q| q.group == 1).map(|q| q.text.as_str()).collect();
        assert_eq!(adding, ["ad", "add"]);
        assert_eq!(ify_variant("notifi").as_deref(), Some("notif"));
        assert_eq!(ify_variant("verif").as_deref(), Some("verifi"));
        assert_eq!(ify_variant("token"), None);
    }

    #[test]
    fn hostile_input_never_fails() {
        let long = "AND( * \"unclosed ".repeat(200);
        for q in ["", "???", "AND(", "*", "🔑🔑", "токен создать", "\"a\" OR -b", long.as_str()] {
            let t = analyse_plain(q, None, &BTreeMap::new());
            assert!(t.terms.len() <= MAX_WORDS);
        }
        let t = analyse_plain("токен создать", None, &BTreeMap::new());
        assert_eq!(t.terms.len(), 2);
    }

    #[test]
    fn synonyms_and_goal_get_lower_weights() {
        let mut syn = BTreeMap::new();
        syn.insert("key".to_string(), vec!["token".to_string()]);
        let t = analyse_plain("rotate key", Some("security audit"), &syn);
        let token = t.terms.iter().find(|t| t.text == "token").unwrap();
        assert_eq!(token.origin, Origin::Synonym);
        assert_eq!(token.group, 1);
        assert!(t.terms.iter().any(|t| t.text == "audit" && t.origin == Origin::Goal));
        assert_eq!(t.question_groups, 2);
    }
}
