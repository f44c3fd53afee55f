//! Questions → queries: a natural-language question becomes weighted, stemmed terms
//! that can never fail to parse. Stop words and question words are dropped so the
//! content words decide; synonyms (the writer's and the thesaurus's) and the `goal`
//! add terms at lower weights.
//!
//! Takes the question, the goal and the analyzer of the index; gives `Terms` and the
//! tantivy query that retrieves candidate sections.

use std::collections::BTreeMap;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use super::thesaurus::Thesaurus;
pub use super::words::{is_stop_word, is_weak_word};
use crate::index::Fields;

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
    /// A word of the docs from the same family (`subscription` for `subscriber`).
    Derived,
    /// A word of the goal.
    Goal,
}

impl Origin {
    /// Weight of a term of this origin in retrieval and coverage.
    pub fn weight(self) -> f32 {
        match self {
            Origin::Question => 1.0,
            Origin::Weak => 0.35,
            Origin::Derived => 0.6,
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
    /// Stemmed question words in order, for phrase bonuses.
    pub sequence: Vec<String>,
    /// Whether the question asks for a procedure ("how do I …").
    pub how_to: bool,
    /// Whether the question has content words (not only stop words, which are then
    /// searched but never answered from).
    pub has_content: bool,
}

/// Lower-cased words of `text`, split on anything that is not a letter or digit.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
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

/// Where alternative words come from.
pub struct Vocabulary<'a> {
    /// The writer's synonyms: a lower-cased word → words that mean the same here.
    pub synonyms: &'a BTreeMap<String, Vec<String>>,
    /// The general English thesaurus.
    pub thesaurus: Thesaurus,
    /// Whether a stemmed word is rare enough in the docs to be worth expanding.
    pub expand: &'a dyn Fn(&str) -> bool,
    /// Words of the docs that share a long prefix with a stemmed word.
    pub family: &'a dyn Fn(&str) -> Vec<String>,
}

/// Analyses a question and an optional goal.
pub fn analyse(question: &str, goal: Option<&str>, analyzer: &mut TextAnalyzer, vocabulary: &Vocabulary<'_>) -> Terms {
    let question: String = question.chars().take(MAX_QUESTION_CHARS).collect();
    let all = words(&question);
    let how_to =
        all.first().is_some_and(|w| w == "how") || all.iter().take(3).any(|w| w == "steps" || w == "procedure");
    let mut content: Vec<String> = all.iter().filter(|w| !is_stop_word(w)).cloned().collect();
    let has_content = !content.is_empty();
    if !has_content {
        content = all;
    }
    content.truncate(MAX_WORDS);
    let mut out = Terms { how_to, has_content, ..Terms::default() };
    let mut group = 0;
    for word in &content {
        let Some(stemmed) = stem(analyzer, word) else {
            continue;
        };
        out.sequence.push(stemmed.clone());
        if out.terms.iter().any(|t| t.text == stemmed && matches!(t.origin, Origin::Question | Origin::Weak)) {
            continue;
        }
        let origin = if is_weak_word(word) { Origin::Weak } else { Origin::Question };
        out.terms.push(QueryTerm { text: stemmed.clone(), origin, group });
        let lemma = vocabulary.thesaurus.lemma(word);
        // The lemma is the same word (the stemmer may disagree: `adding` → `ad`, `add` → `add`).
        if let Some(l) = lemma.as_deref().and_then(|l| stem(analyzer, l)).filter(|l| *l != stemmed) {
            out.terms.push(QueryTerm { text: l, origin, group });
        }
        for derived in (vocabulary.family)(&stemmed) {
            if !out.terms.iter().any(|t| t.text == derived) {
                out.terms.push(QueryTerm { text: derived, origin: Origin::Derived, group });
            }
        }
        let mut alternatives: Vec<String> = vocabulary.synonyms.get(word).cloned().unwrap_or_default();
        if let Some(l) = &lemma {
            alternatives.extend(vocabulary.synonyms.get(l).cloned().unwrap_or_default());
        }
        if (vocabulary.expand)(&stemmed) {
            alternatives.extend(vocabulary.thesaurus.synonyms(word).into_iter().map(str::to_string));
        }
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

/// Field weights: titles and headings weigh more than body text. The order is
/// relied on by the ranking's field masks (title first, heading second).
pub fn field_weights(f: &Fields) -> [(Field, f32); 5] {
    [(f.title, 2.5), (f.heading, 3.0), (f.breadcrumbs, 0.6), (f.description, 1.5), (f.body, 1.0)]
}

/// The retrieval query: every term in every weighted field. (Proximity is scored on
/// the candidates; phrase queries here cost time and changed no ranking.)
pub fn build(terms: &Terms, fields: &Fields) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for t in &terms.terms {
        for (field, weight) in field_weights(fields) {
            let q = TermQuery::new(Term::from_field_text(field, &t.text), IndexRecordOption::WithFreqs);
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), weight * t.origin.weight()))));
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, Stemmer};

    fn analyzer() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).filter(Stemmer::default()).build()
    }

    fn analyse_plain(q: &str, goal: Option<&str>, synonyms: &BTreeMap<String, Vec<String>>) -> Terms {
        let vocabulary =
            Vocabulary { synonyms, thesaurus: Thesaurus::with_data(""), expand: &|_| false, family: &|_| Vec::new() };
        analyse(q, goal, &mut analyzer(), &vocabulary)
    }

    #[test]
    fn drops_question_words_and_stems() {
        let t = analyse_plain("How do I create a new API token?", None, &BTreeMap::new());
        let texts: Vec<_> = t.terms.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["creat", "new", "api", "token"]);
        assert!(t.how_to);
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

    #[test]
    fn lemmas_and_thesaurus_join_the_word_group() {
        let vocabulary = Vocabulary {
            synonyms: &BTreeMap::new(),
            thesaurus: Thesaurus::with_data("add\tappend\nmandatory\trequired\n"),
            expand: &|stem| stem == "mandatori",
            family: &|stem| if stem == "mandatori" { vec!["mandat".to_string()] } else { Vec::new() },
        };
        let t = analyse("mandatory when adding", None, &mut analyzer(), &vocabulary);
        let find = |text: &str| t.terms.iter().find(|q| q.text == text).cloned().unwrap();
        assert_eq!(find("requir").origin, Origin::Synonym);
        assert_eq!(find("add").origin, Origin::Question, "lemma of adding");
        assert_eq!(find("add").group, find("ad").group);
        assert!(t.terms.iter().all(|q| q.text != "append"), "adding is common here, so not expanded");
        assert_eq!(find("mandat").origin, Origin::Derived);
    }
}
