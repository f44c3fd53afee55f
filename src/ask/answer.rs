//! Extraction: the direct answer (the passage, list items, table rows or whole
//! numbered procedure of the best section that match the question best, with what
//! it leads into) and the excerpts (each section's text trimmed around the matching
//! words).
//!
//! Takes a section's Markdown or text and a `Matcher` for the question's words;
//! gives the quoted Markdown.

use pulldown_cmark::{Event, Parser, Tag};
use tantivy::tokenizer::TextAnalyzer;

use super::blocks::{blocks, split_items, Block, BlockKind};
use super::following::{with_following, worded, Candidate};
use super::passages::{is_prose_kind, passage, quoted, rest_of_block, run_end, sentences, Passage};
use super::query::{Origin, Terms};
use super::quoted::Words;
use crate::markdown::one_line;

/// Lift for a block of the kind of answer the question asks for: a number for an
/// amount, code or a URL for a named thing of the software.
const ANSWER_TYPE_BOOST: f32 = 1.5;

/// Scores text against the question: the IDF-weighted share of question words found.
pub struct Matcher<'a> {
    terms: &'a Terms,
    idf: &'a [f32],
    groups: super::rank::Groups,
    /// Each group's weight in the coverage, found once for every block scored.
    weights: super::rank::Weights,
    analyzer: &'a mut TextAnalyzer,
}

impl<'a> Matcher<'a> {
    /// A matcher for `terms` with their IDFs, stemming with `analyzer` (the index's,
    /// whose cache of stems serves every sentence scored).
    pub fn new(terms: &'a Terms, idf: &'a [f32], analyzer: &'a mut TextAnalyzer) -> Self {
        let groups = super::rank::Groups::of(terms);
        let weights = groups.weights(terms, idf);
        Matcher { terms, idf, groups, weights, analyzer }
    }

    /// The question's terms found in `text` (goal words left out), each with the byte
    /// offset where its word starts.
    fn found(&mut self, text: &str) -> Vec<(usize, usize)> {
        let terms = self.terms;
        let mut stream = self.analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            if let Some(i) = terms.terms.iter().position(|q| q.text == t.text && q.origin != Origin::Goal) {
                out.push((i, t.offset_from));
            }
        }
        out
    }

    /// The question's terms among `words` (goal words left out), each with the byte
    /// offset where its word starts: [`Self::found`] from words found once.
    fn found_in(&self, words: &Words) -> Vec<(usize, usize)> {
        let terms = &self.terms.terms;
        words.find(|stem| terms.iter().position(|q| q.text == stem && q.origin != Origin::Goal))
    }

    /// The words of `text`, as this matcher's analyzer reads them (for [`Self::excerpt`]).
    pub fn words(&mut self, text: &str) -> Words {
        Words::of(text, self.analyzer)
    }

    /// IDF-weighted score of the question words present in `text`.
    pub fn score(&mut self, text: &str) -> f32 {
        let found = self.found(text);
        self.groups.covered(&self.weights, super::rank::Groups::present(found.iter().map(|f| f.0)))
    }

    /// The ~`width`-byte window of `text` with the most question words, cut at word
    /// boundaries, with `…` where it was cut; `words` are those of `text` trimmed
    /// ([`Self::words`]).
    pub fn excerpt(&self, text: &str, words: &Words, width: usize) -> String {
        let text = text.trim();
        if text.len() <= width {
            return one_line(text);
        }
        let hits: Vec<(usize, f32)> = self
            .found_in(words)
            .into_iter()
            .map(|(t, from)| (from, self.idf[t] * self.terms.terms[t].origin.weight()))
            .collect();
        let mut best = (0.0, 0);
        for (i, &(start, _)) in hits.iter().enumerate() {
            let total: f32 = hits[i..].iter().take_while(|(pos, _)| *pos < start + width * 3 / 4).map(|(_, w)| w).sum();
            if total > best.0 {
                best = (total, start);
            }
        }
        let start = sentence_start(text, best.1.saturating_sub(width / 5));
        let end = word_end(text, (start + width).min(text.len()));
        let mut out = String::new();
        if start > 0 {
            out.push('…');
        }
        out.push_str(&one_line(&text[start..end]));
        if end < text.len() {
            out.push('…');
        }
        out
    }

    /// The direct answer from a section's Markdown, or `None` when nothing in it
    /// matches.
    pub fn answer(&mut self, markdown: &str) -> Option<(f32, String)> {
        let blocks = blocks(markdown);
        let worded = worded(&blocks);
        let mut best: Option<Candidate> = None;
        let mut i = 0;
        while i < blocks.len() {
            let block = &blocks[i];
            let (candidate, next) = if is_prose_kind(block.kind) && worded[i] {
                let end = run_end(&blocks, &worded, i);
                (self.best_passage(&blocks, i, end), end)
            } else {
                (self.block_candidate(block, i), i + 1)
            };
            if let Some(c) = candidate.filter(|c| c.score > 0.0) {
                if best.as_ref().is_none_or(|b| c.score > b.score) {
                    best = Some(c);
                }
            }
            i = next;
        }
        let best = best?;
        Some((best.score, with_following(&blocks, &worded, best)))
    }

    /// The candidate answer from a block that is not read as sentences.
    fn block_candidate(&mut self, block: &Block, i: usize) -> Option<Candidate> {
        let (score, text) = match block.kind {
            BlockKind::List { ordered } if ordered && self.terms.how_to => {
                Some((self.score(&block.text) * 1.2, block.text.clone()))
            }
            BlockKind::List { .. } => self.best_items(&block.text),
            BlockKind::Paragraph | BlockKind::Quote => None,
            BlockKind::Table => self.best_rows(&block.text),
            BlockKind::Code => Some((self.score(&block.text) * 0.6, block.text.clone())),
        }?;
        Some(Candidate { score: self.typed(score, &text), text, last: i, closes: false, rest: String::new() })
    }

    /// `score` lifted when `text` is the kind of answer the question asks for: a
    /// number for an amount, code or a URL for a named thing of the software.
    fn typed(&self, mut score: f32, text: &str) -> f32 {
        if !(self.terms.amount || self.terms.identifier) {
            return score;
        }
        let shown = Shown::of(text);
        if self.terms.amount && shown.number {
            score *= ANSWER_TYPE_BOOST;
        }
        if self.terms.identifier && (shown.code || shown.url) {
            score *= ANSWER_TYPE_BOOST;
        }
        score
    }

    /// Whether `text` shows the kind of answer the question asks for.
    fn holds_kind_asked(&self, text: &str) -> bool {
        self.typed(1.0, text) > 1.0
    }

    /// The best passage of the run of prose blocks `from..to`: each paragraph's
    /// best-matching sentence with the sentences after it (on across paragraph
    /// breaks: a run of short paragraphs reads as one), the one covering most of
    /// the question; quoted from its paragraph's start when that paragraph is short.
    fn best_passage(&mut self, blocks: &[Block], from: usize, to: usize) -> Option<Candidate> {
        let run = sentences(blocks, from, to);
        let scores: Vec<f32> = run.iter().map(|s| self.score(s.text)).collect();
        let mut best: Option<(f32, Passage)> = None;
        for block in from..to {
            let own = (0..run.len()).filter(|&i| run[i].block == block);
            let Some(at) = own.reduce(|a, i| if scores[i] > scores[a] { i } else { a }) else {
                continue;
            };
            if scores[at] == 0.0 {
                continue;
            }
            // The number or name asked for may be in the sentence before the one
            // naming the topic: the passage may start there when that sentence
            // shows it and the passage then scores higher.
            let before = at.checked_sub(1).filter(|&b| run[b].block == block && self.holds_kind_asked(run[b].text));
            for start in std::iter::once(at).chain(before) {
                let p = passage(&run, start);
                let covered = self.score(&p.text);
                let score = self.typed(covered, &p.text);
                if best.as_ref().is_none_or(|(s, _)| score > *s) {
                    best = Some((score, p));
                }
            }
        }
        let (score, p) = best?;
        let p = quoted(&run, p);
        let last = run[p.last].block;
        let rest = rest_of_block(&run, &p);
        let closes = rest.is_empty() && blocks[last].kind == BlockKind::Paragraph;
        Some(Candidate { score, text: p.text, last, closes, rest })
    }

    fn best_items(&mut self, list: &str) -> Option<(f32, String)> {
        let items = split_items(list);
        let scored: Vec<(f32, &str)> = items.iter().map(|i| (self.score(i), i.as_str())).collect();
        let top = scored.iter().map(|(s, _)| *s).fold(0.0, f32::max);
        if top == 0.0 {
            return None;
        }
        let chosen: Vec<&str> = scored.iter().filter(|(s, _)| *s >= top * 0.6).map(|(_, t)| *t).take(4).collect();
        Some((top, chosen.join("\n")))
    }

    fn best_rows(&mut self, table: &str) -> Option<(f32, String)> {
        let lines: Vec<&str> = table.lines().collect();
        if lines.len() < 3 {
            return None;
        }
        let rows: Vec<(f32, &str)> = lines[2..].iter().map(|r| (self.score(r), *r)).collect();
        let top = rows.iter().map(|(s, _)| *s).fold(0.0, f32::max);
        if top == 0.0 {
            return None;
        }
        let mut out = format!("{}\n{}\n", lines[0], lines[1]);
        for (_, r) in rows.iter().filter(|(s, _)| *s >= top * 0.6).take(5) {
            out.push_str(r);
            out.push('\n');
        }
        Some((top, out))
    }
}

/// What a passage shows its reader of the kinds of answer a question may ask for:
/// a number, code, a URL. A link's destination is not shown: a version in it is no
/// amount, and the URL behind a link's words is no URL given as an answer.
#[derive(Debug, Default, PartialEq)]
struct Shown {
    number: bool,
    code: bool,
    url: bool,
}

impl Shown {
    fn of(markdown: &str) -> Shown {
        let mut shown = Shown::default();
        for event in Parser::new(markdown) {
            match event {
                Event::Text(text) => {
                    shown.number |= holds_number(&text);
                    shown.url |= text.contains("://");
                }
                Event::Code(code) => {
                    shown.number |= holds_number(&code);
                    shown.code = true;
                }
                Event::Start(Tag::CodeBlock(_)) => shown.code = true,
                _ => {}
            }
        }
        shown
    }
}

/// Whether `text` states a number: a digit that starts a word (`24 hours`, `$167`,
/// `100MB`), not one inside a name or path (`v1`, `/api/v2/`, `x64`), which is no
/// amount.
fn holds_number(text: &str) -> bool {
    let mut before = ' ';
    text.chars().any(|c| {
        let starts = c.is_ascii_digit() && !(before.is_alphanumeric() || matches!(before, '_' | '/' | '.' | '-'));
        before = c;
        starts
    })
}

fn sentence_start(text: &str, from: usize) -> usize {
    let from = text.floor_char_boundary(from);
    let window = &text[text.floor_char_boundary(from.saturating_sub(120))..from];
    match window.rfind(['.', '\n', '?', '!']) {
        Some(i) => {
            text.floor_char_boundary(from - window.len() + i + 1) + leading_space(&text[from - window.len() + i + 1..])
        }
        None => text[..from].rfind(' ').map_or(0, |i| i + 1),
    }
}

fn leading_space(text: &str) -> usize {
    text.len() - text.trim_start().len()
}

fn word_end(text: &str, at: usize) -> usize {
    let at = text.floor_char_boundary(at);
    text[at..].find(char::is_whitespace).map_or(text.len(), |i| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The direct answer to `question` from `markdown`, every word weighing the same.
    fn answer_to(question: &str, markdown: &str) -> Option<String> {
        let mut analyzer = crate::index::stem::analyzer();
        let terms = super::super::query::analyse(question, None, &mut analyzer, &Default::default());
        let idf = vec![1.0; terms.terms.len()];
        Matcher::new(&terms, &idf, &mut analyzer).answer(markdown).map(|(_, text)| text)
    }

    #[test]
    fn an_answer_takes_the_block_it_introduces() {
        let md = "Rotate the signing key when staff leave. The rotation goes as follows:\n\n1. Open **Keys**.\n2. Click **Rotate**.\n\nKeys never expire.\n";
        let got = answer_to("when should I rotate the signing key", md).unwrap();
        assert!(got.ends_with("follows:\n\n1. Open **Keys**.\n2. Click **Rotate**."), "{got}");
    }

    #[test]
    fn a_captioned_example_comes_whole() {
        let md = "Rotate keys often. For example, the following request rotates one:\n\n**Rotate a key**\n\n```http\nPOST /keys/1/rotate\n```\n\nUnrelated closing words here.\n";
        let got = answer_to("is there an example request that rotates a key", md).unwrap();
        assert!(
            got.contains("**Rotate a key**\n\n```http\nPOST /keys/1/rotate") && !got.contains("Unrelated"),
            "{got}"
        );
    }

    #[test]
    fn an_answer_closing_its_paragraph_takes_the_example_after_it() {
        let md = "Uploads read the policy below. Attach it to the bucket.\n\n```json\n{\"Action\": \"s3:GetObject\"}\n```\n\nUnrelated closing words here.\n";
        let got = answer_to("which bucket policy do uploads need", md).unwrap();
        assert!(got.contains("s3:GetObject") && !got.contains("Unrelated"), "{got}");
    }

    #[test]
    fn an_image_between_an_answer_and_what_it_introduces_is_skipped() {
        let md = "Uploads time out on slow links. The default limit is 30 seconds.\n\n![Timeout error](err.png)\n\nTo fix it, raise the limit in `app.ini`:\n\n```ini\ntimeout=90\n```\n\nUnrelated closing words here.\n";
        let got = answer_to("why do uploads time out on slow links", md).unwrap();
        assert!(got.ends_with("`app.ini`:\n\n```ini\ntimeout=90\n```"), "{got}");
        assert!(!got.contains("err.png") && got.starts_with("Uploads time out"), "{got}");
    }

    #[test]
    fn a_short_paragraph_is_answered_whole() {
        // The question's words are all in the second sentence; the advice is the first.
        let md = "Back up the vault before you start. An upgrade over an old install wipes the vault.\n";
        let got = answer_to("why did the upgrade over my old install wipe the vault", md).unwrap();
        assert_eq!(got, "Back up the vault before you start. An upgrade over an old install wipes the vault.");
    }

    #[test]
    fn a_run_of_short_paragraphs_answers_together() {
        // Each paragraph names half of what is asked, the list item more than either.
        let md = "The sign-in endpoint is `https://id.example.com/sso`.\n\nThe service name is `urn:example:sp`.\n\n- Okta asks for the service name in its settings.\n";
        let got = answer_to("which sign-in endpoint and service name should Okta get", md).unwrap();
        assert!(got.starts_with("The sign-in endpoint is `https://id.example.com/sso`.\n\nThe service name"), "{got}");
    }

    #[test]
    fn an_answer_stopping_inside_its_paragraph_goes_on_to_its_end() {
        let filler = "This sentence is here to make the paragraph long. ".repeat(6);
        let md = format!("Refresh tokens rotate on every use. {filler}A stolen token is revoked at once.\n\nUnrelated closing words here.\n");
        let got = answer_to("do refresh tokens rotate", &md).unwrap();
        assert!(
            got.starts_with("Refresh tokens rotate")
                && got.contains("paragraph long. A stolen token is revoked at once."),
            "{got}"
        );
    }

    #[test]
    fn an_amount_question_prefers_the_sentence_with_the_number() {
        // Four question words against three, but only the second has the number.
        let md = "- A link is valid for 24 hours after export.\n- Links point at storage.\n\nEach export link for the PDF stays in the account.\n";
        let got = answer_to("how long does an export link for the PDF stay valid", md).unwrap();
        assert!(got.contains("24 hours"), "{got}");
    }

    #[test]
    fn a_version_in_a_url_is_no_amount() {
        // Three question words each, but the first block's only digit names an API version.
        let md =
            "- The export PDF link is at `https://api.example.com/v1/pdf`.\n\nThe PDF link is kept for 24 hours.\n";
        let got = answer_to("how long is the export PDF link kept", md).unwrap();
        assert!(got.starts_with("The PDF link is kept for 24 hours"), "{got}");
        assert!(holds_number("$167/mth") && holds_number("(100MB)") && !holds_number("x64 and /api/v2/ and s3"));
    }

    #[test]
    fn a_link_behind_words_is_no_url_given_as_an_answer() {
        // The same question words in each; only the second block shows a URL, the
        // first hides one behind a link's words.
        let md = "The webhook file is described on the [settings page](https://example.com/settings).\n\n\
                  - The webhook file is fetched from `https://example.com/hooks.json`.\n";
        let got = answer_to("which file holds the webhook", md).unwrap();
        assert!(got.contains("hooks.json"), "{got}");
        assert_eq!(Shown::of("See [v2 docs](https://example.com/v2)."), Shown::default());
        assert!(Shown::of("Up to 24 hours at <https://example.com>.").url);
    }

    #[test]
    fn an_amount_may_sit_in_the_sentence_before_the_topic() {
        // The sentence naming the most question words follows the one with the amount.
        let filler = "Large attachments slow down every upload of a report to the server. ".repeat(3);
        let md = format!(
            "{filler}Uploads are capped at 100MB each. Attachments and logs make an upload of a crash report larger \
             than that. See the errors page for uploads of crash reports that were refused.\n"
        );
        let got = answer_to("how big may a crash report upload with attachments be", &md).unwrap();
        assert!(got.starts_with("Uploads are capped at 100MB"), "{got}");
        // Without an amount asked for, the passage starts at the best sentence.
        let got = answer_to("crash report upload attachments larger", &md).unwrap();
        assert!(got.starts_with("Attachments and logs"), "{got}");
    }

    #[test]
    fn a_question_for_a_named_thing_prefers_code() {
        // Three question words against four, but only the first names the file.
        let md = "The server writes the token to `security/.token`.\n\nThe server writes the token file at start.\n";
        let got = answer_to("which file does the server write the token to", md).unwrap();
        assert!(got.contains("security/.token"), "{got}");
    }

    proptest::proptest! {
        /// Words found once give every question term `found` gives analysing the text
        /// again, at the same offsets: excerpts from cached words are the same.
        #[test]
        fn words_found_once_match_the_text_analysed_again(
            text in "(?s)[a-zA-Z0-9 .,:;'`/_#*()\\n-]{0,400}|\\PC{0,200}",
            picks in proptest::collection::vec(0usize..64, 1..6),
        ) {
            let mut analyzer = crate::index::stem::analyzer();
            // A question made of some of the text's own words, so terms are found.
            let own = super::super::query::words(&text);
            let question: Vec<&str> = picks.iter().filter_map(|&i| own.get(i % own.len().max(1))).map(String::as_str).collect();
            let question = format!("how do I {} tokens", question.join(" "));
            let terms = super::super::query::analyse(&question, Some("deploy"), &mut analyzer, &Default::default());
            let idf = vec![1.0; terms.terms.len()];
            let mut matcher = Matcher::new(&terms, &idf, &mut analyzer);
            let words = matcher.words(&text);
            proptest::prop_assert_eq!(matcher.found_in(&words), matcher.found(&text));
        }
    }

    #[test]
    fn an_excerpt_is_cut_around_the_question_words() {
        let mut analyzer = crate::index::stem::analyzer();
        let terms = super::super::query::analyse("rotate the signing key", None, &mut analyzer, &Default::default());
        let idf = vec![1.0; terms.terms.len()];
        let mut matcher = Matcher::new(&terms, &idf, &mut analyzer);
        let text =
            format!("{} Rotate the signing key every year. {}", "Filler words here. ".repeat(30), "More. ".repeat(40));
        let words = matcher.words(text.trim());
        let got = matcher.excerpt(&text, &words, 120);
        assert!(got.starts_with('…') && got.contains("Rotate the signing key"), "{got}");
    }
}
