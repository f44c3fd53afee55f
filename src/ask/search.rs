//! Search: the best sections for a query, more of them than an answer quotes, for
//! callers that list results themselves (the MCP `search` tool).
//!
//! Takes a query and a limit; gives `Excerpt`s (page title, section, `.md` URL with
//! anchor, trimmed text, score), best first, from the same ranking as `Engine::ask`.

use anyhow::Result;
use tantivy::TantivyDocument;

use super::format::Excerpt;
use super::{answer, Engine, Ranked, Request, EXCERPT_WIDTH};

impl Engine {
    /// The `limit` best sections for `query`, best first; empty when nothing matches.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Excerpt>> {
        let req = Request { question: query, goal: None, page: None };
        let Ranked { searcher, terms, hits, idf } = self.ranked(&req)?;
        let mut matcher = answer::Matcher::new(&terms, &idf);
        hits.iter()
            .take(limit)
            .map(|hit| {
                let doc: TantivyDocument = searcher.doc(hit.addr)?;
                let s = self.section(&doc, hit);
                Ok(Excerpt {
                    title: s.reference.title,
                    section: s.reference.section,
                    url: s.reference.url,
                    text: matcher.excerpt(&s.body, EXCERPT_WIDTH),
                    score: (hit.score * 1000.0).round() / 1000.0,
                })
            })
            .collect()
    }
}
