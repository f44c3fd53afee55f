//! Search: the best sections for a query, more of them than an answer quotes, for
//! callers that list results themselves (the MCP `search` tool).
//!
//! Takes a query and a limit; gives `Excerpt`s (page title, section, `.md` URL with
//! anchor, trimmed text, score), best first, from the same ranking as `Engine::ask`.

use anyhow::Result;

use super::format::Excerpt;
use super::{answer, Engine, Ranked, Request};

impl Engine {
    /// The `limit` best sections for `query`, best first; empty when nothing matches.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Excerpt>> {
        let req = Request { question: query, goal: None, page: None };
        let Ranked { terms, hits, idf } = self.ranked(&req)?;
        let mut analyzer = self.take_analyzer();
        let mut matcher = answer::Matcher::new(&terms, &idf, &mut analyzer);
        let excerpts = hits.iter().take(limit).map(|hit| self.excerpt(hit, &mut matcher)).collect();
        drop(matcher);
        self.put_analyzer(analyzer);
        Ok(excerpts)
    }
}
