//! The response: from the ranked sections of a question, the direct answer (the
//! best-matching block among the leading sections of the best page, with what it
//! leads into), the excerpts, the sources and the follow-up questions; a question
//! naming what the docs never mention gets no answer, and is told so.
//!
//! Takes the `Engine`, the request, its analysed terms and ranked hits; gives a
//! `Response`.

use tantivy::tokenizer::TextAnalyzer;

use super::{answer, format, query, rank, words, Engine, Request, Response};

/// Sections quoted as excerpts.
const EXCERPTS: usize = 3;
/// Pages listed as sources.
const SOURCES: usize = 5;
/// Below this coverage of the question, the best section is not an answer (chosen on
/// all development sets pooled: bench/README.md, "Answers").
const MIN_ANSWER_COVERAGE: f32 = 0.15;
/// Sections of the best page that may answer: those scoring at least this share of
/// its best one, `ANSWER_SECTIONS_MAX` at most.
const ANSWER_SECTIONS: f32 = 0.8;
const ANSWER_SECTIONS_MAX: usize = 3;
/// Bytes of the sections under a procedure's answer that it may bring along.
const STEPS_CHARS: usize = 2500;
/// Width of an excerpt, in bytes.
const EXCERPT_WIDTH: usize = 320;

impl Engine {
    /// The response from the ranked sections.
    pub(super) fn respond(
        &self,
        req: &Request<'_>,
        terms: &query::Terms,
        hits: &[rank::Hit],
        idf: &[f32],
        analyzer: &mut TextAnalyzer,
    ) -> Response {
        let unmentioned = self.unmentioned(req.question, analyzer);
        let mut matcher = answer::Matcher::new(terms, idf, analyzer);
        // Each page's first hit, in the order of the hits.
        let mut seen = vec![false; self.meta.pages.len()];
        let mut pages: Vec<&rank::Hit> = Vec::new();
        for hit in hits {
            if !std::mem::replace(&mut seen[hit.page], true) {
                pages.push(hit);
            }
        }
        pages.sort_by(|a, b| b.page_score.total_cmp(&a.page_score).then(a.page.cmp(&b.page)));
        let sources: Vec<format::Source> = pages
            .iter()
            .take(SOURCES)
            .map(|h| format::Source { title: self.meta.pages[h.page].title.clone(), url: self.twin_url(h.page, "") })
            .collect();
        // The answer comes from the leading sections of the best page, the block that
        // matches best (a procedure on a lesser page must not answer for it). A
        // question naming something the docs never mention is about something else:
        // the nearest section is no answer.
        let mut found: Option<(f32, String, &rank::Hit)> = None;
        if let Some(best) = pages.first() {
            if best.coverage >= MIN_ANSWER_COVERAGE && terms.has_content && unmentioned.is_empty() {
                // A how-to question whose best section is a procedure is answered by it.
                let procedure = terms.how_to && self.store.sections[best.id].steps;
                let near_best = |h: &&rank::Hit| {
                    h.page == best.page && h.score >= best.score * ANSWER_SECTIONS && (!procedure || h.id == best.id)
                };
                for hit in hits.iter().filter(near_best).take(ANSWER_SECTIONS_MAX) {
                    if let Some((score, text)) = matcher.answer(&self.texts(hit.id).markdown) {
                        // A lesser section's block must match better by as much as
                        // the section ranks lower.
                        let score = score * hit.score / best.score.max(f32::MIN_POSITIVE);
                        if found.as_ref().is_none_or(|f| score > f.0) {
                            found = Some((score, text, hit));
                        }
                    }
                }
            }
        }
        let answered = found.as_ref().map(|f| f.2.id);
        let answer = found.map(|(_, text, hit)| {
            let text = self.with_sub_steps(hit.id, text);
            let source = self.reference(hit);
            format::DirectAnswer {
                markdown: format!("{text}\n\n— [{} › {}]({})", source.title, source.section, source.url),
                source,
            }
        });
        let excerpts = hits.iter().take(EXCERPTS).map(|hit| self.excerpt(hit, &mut matcher)).collect();
        let follow_ups = self.follow_ups(hits, answered, req);
        Response {
            question: req.question.to_string(),
            goal: req.goal.map(str::to_string),
            answer,
            excerpts,
            sources,
            follow_ups,
            unmentioned,
        }
    }

    /// An answer that ends by introducing what follows ("Complete the wizard steps:")
    /// with nothing after it in its section goes on into the deeper sections under it
    /// (a stepper's steps are headings under the list), each heading in bold, as long
    /// as whole sections fit in `STEPS_CHARS` bytes.
    fn with_sub_steps(&self, id: usize, mut text: String) -> String {
        if !text.trim_end().ends_with(':') {
            return text;
        }
        let level = self.store.sections[id].level;
        let mut added = 0;
        let mut next = self.store.following(id);
        while let Some(n) = next.filter(|&n| self.store.sections[n].level > level) {
            let section = self.texts(n);
            let body = section.markdown.trim();
            let (heading, rest) = body.split_once('\n').unwrap_or((body, ""));
            let step = format!("**{}**\n\n{}", heading.trim_start_matches('#').trim(), rest.trim());
            if added + step.len() > STEPS_CHARS {
                break;
            }
            added += step.len();
            text.push_str("\n\n");
            text.push_str(step.trim_end());
            next = self.store.following(n);
        }
        text
    }

    /// The names in the question ("Flutter", "HIPAA") that no section of the docs uses.
    fn unmentioned(&self, question: &str, analyzer: &mut TextAnalyzer) -> Vec<String> {
        let mut used = |name: &str| {
            let mut stream = analyzer.token_stream(name);
            let mut stems = 0;
            let mut found = false;
            while stream.advance() {
                stems += 1;
                found |= !self.lexicon.postings(&self.store, &stream.token().text).is_empty();
            }
            found || stems == 0
        };
        words::names(question).into_iter().filter(|n| !used(n)).map(str::to_string).collect()
    }

    /// The excerpt of a ranked section.
    pub(super) fn excerpt(&self, hit: &rank::Hit, matcher: &mut answer::Matcher<'_>) -> format::Excerpt {
        let r = self.reference(hit);
        let section = self.texts(hit.id);
        let text = section.text.trim();
        let words = section.words.get_or_init(|| matcher.words(text));
        format::Excerpt {
            title: r.title,
            section: r.section,
            url: r.url,
            text: matcher.excerpt(text, words, EXCERPT_WIDTH),
            score: (hit.score * 1000.0).round() / 1000.0,
        }
    }
}
