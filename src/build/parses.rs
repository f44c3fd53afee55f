//! Parses kept between live updates (`serve --watch`). A page's parse depends only on
//! its content path, its Markdown, the line its body starts at, and the other
//! Markdown files (SUMMARY, includes, included pages); an update reuses the parse of
//! each page whose inputs are the same as last time, and parses only the others. A
//! text edit to one page of a 1,000-page site then parses one page, not 1,000.
//!
//! The parses are held in memory between updates, so they are bounded: a byte budget
//! (the pages' Markdown and their packed events), beyond which pages are parsed
//! anew each update as before. A build that does not keep parses (`docask build`)
//! uses `Parses::off`, which keeps nothing and hashes nothing.
//!
//! Takes the loaded project; gives each page's `Doc` and warnings. After the site is
//! written, the docs come back through `keep`.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::load::{Project, Source};
use crate::markdown::{self, Doc};

/// What the kept parses may take, as `doc_bytes` counts them: the 1,000-page
/// generated corpus (4 MB of Markdown) counts about 11 MB (resident memory grows by
/// about half as much again), a 10,000-page one ten times that, which would take
/// `serve --watch` over its 100 MB: that site keeps none.
pub const DEFAULT_BUDGET: usize = 16 << 20;

/// The kept parses, by content path.
#[derive(Debug, Default)]
pub struct Parses {
    /// Bytes the kept parses may take; 0 keeps nothing.
    budget: usize,
    /// Hash of the other Markdown files that every parse read.
    context: u64,
    kept: HashMap<String, Kept>,
    /// What the docs handed out were parsed from, until they come back.
    lent: HashMap<String, Lent>,
    /// Pages the last `parse` parsed (the others reused their kept parse).
    parsed: usize,
}

#[derive(Debug)]
struct Kept {
    key: u64,
    doc: Doc,
    diags: Vec<Diagnostic>,
}

#[derive(Debug)]
struct Lent {
    key: u64,
    diags: Vec<Diagnostic>,
}

impl Parses {
    /// Keeps nothing: every page is parsed.
    pub fn off() -> Self {
        Parses::default()
    }

    /// Keeps parses up to `budget` bytes.
    pub fn new(budget: usize) -> Self {
        Parses { budget, ..Parses::default() }
    }

    /// Takes the kept parses, leaving none kept with the same budget (an update that
    /// fails loses them; the next one parses every page again).
    pub fn take(&mut self) -> Parses {
        std::mem::replace(self, Parses::new(self.budget))
    }

    /// Whether this keeps parses at all.
    pub fn keeps(&self) -> bool {
        self.budget > 0
    }

    /// Parses every page of `project` (in parallel), reusing the kept parse of each
    /// page whose inputs did not change; each page's body is let go once parsed.
    pub fn parse(&mut self, project: &mut Project) -> Vec<(Doc, Vec<Diagnostic>)> {
        if !self.keeps() {
            self.parsed = project.pages.len();
            return parse_all(&mut project.pages, &project.markdown, Vec::new());
        }
        let context = context_hash(&project.markdown);
        if context != self.context {
            self.kept.clear();
            self.context = context;
        }
        let keys: Vec<u64> = project.pages.par_iter().map(key).collect();
        let mut kept = std::mem::take(&mut self.kept);
        let reused: Vec<Option<(Doc, Vec<Diagnostic>)>> = project
            .pages
            .iter()
            .zip(&keys)
            .map(|(source, &key)| kept.remove(&source.path).filter(|k| k.key == key).map(|k| (k.doc, k.diags)))
            .collect();
        // Pages no longer in the site are dropped with the rest of `kept`.
        drop(kept);
        self.parsed = reused.iter().filter(|r| r.is_none()).count();
        let parsed = parse_all(&mut project.pages, &project.markdown, reused);
        self.lent = parsed
            .iter()
            .zip(keys)
            .map(|((doc, diags), key)| (doc.path.clone(), Lent { key, diags: diags.clone() }))
            .collect();
        parsed
    }

    /// Which of `docs` (a site's) `keep` would take: all of them when they all fit
    /// in the budget, none otherwise. Keeping some would save parsing only those, at
    /// a price in memory that a site too large for the budget cannot pay.
    pub fn wanted<'a>(&self, docs: impl IntoIterator<Item = &'a Doc>) -> Vec<bool> {
        let docs: Vec<&Doc> = docs.into_iter().collect();
        let fit = self.keeps() && docs.iter().map(|d| doc_bytes(d)).sum::<usize>() <= self.budget;
        docs.iter().map(|doc| fit && self.lent.contains_key(&doc.path)).collect()
    }

    /// Takes back the docs handed out by `parse` (those `wanted` chose), to reuse
    /// them in the next update; all are dropped if they do not fit in the budget.
    pub fn keep(&mut self, docs: impl IntoIterator<Item = Doc>) {
        let docs: Vec<Doc> = docs.into_iter().collect();
        let size: usize =
            self.kept.values().map(|k| doc_bytes(&k.doc)).sum::<usize>() + docs.iter().map(doc_bytes).sum::<usize>();
        if size <= self.budget {
            for doc in docs {
                if let Some(lent) = self.lent.remove(&doc.path) {
                    self.kept.insert(doc.path.clone(), Kept { key: lent.key, doc, diags: lent.diags });
                }
            }
        }
        self.lent.clear();
    }

    /// Pages the last `parse` parsed rather than reused.
    pub fn parsed(&self) -> usize {
        self.parsed
    }

    /// Number of parses kept.
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    /// Whether no parse is kept.
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }
}

/// Parses the pages that have no `reused` parse (all of them when `reused` is empty).
fn parse_all(
    pages: &mut [Source],
    markdown: &BTreeMap<String, Source>,
    mut reused: Vec<Option<(Doc, Vec<Diagnostic>)>>,
) -> Vec<(Doc, Vec<Diagnostic>)> {
    reused.resize_with(pages.len(), || None);
    pages
        .par_iter_mut()
        .zip(reused)
        .map(|(source, reused)| {
            let parsed = reused.unwrap_or_else(|| markdown::parse(source, markdown));
            // The parsed chunks hold the text now.
            source.body = String::new();
            parsed
        })
        .collect()
}

/// What a page's parse depends on, besides the other Markdown files.
fn key(source: &Source) -> u64 {
    let mut h = DefaultHasher::new();
    (&source.path, &source.body, source.body_line).hash(&mut h);
    h.finish()
}

/// What every page's parse may read of the other Markdown files (includes).
fn context_hash(markdown: &BTreeMap<String, Source>) -> u64 {
    let mut h = DefaultHasher::new();
    for (path, source) in markdown {
        (path, &source.path, &source.body, source.body_line).hash(&mut h);
    }
    h.finish()
}

/// About what a parse takes in memory: its Markdown and its packed events.
fn doc_bytes(doc: &Doc) -> usize {
    let mut bytes = std::mem::size_of::<Doc>() + doc.path.len();
    markdown::for_each_chunk(&doc.nodes, &mut |chunk| {
        bytes += std::mem::size_of::<markdown::Chunk>() + chunk.source.len() + chunk.event_count() * 24;
    });
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(pages: &[(&str, &str)]) -> Project {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in pages {
            std::fs::write(dir.path().join(path), text).unwrap();
        }
        crate::load::load(dir.path(), None).unwrap()
    }

    fn round(parses: &mut Parses, pages: &[(&str, &str)]) -> Vec<Doc> {
        let mut project = project(pages);
        let docs: Vec<Doc> = parses.parse(&mut project).into_iter().map(|(doc, _)| doc).collect();
        let wanted = parses.wanted(&docs);
        assert!(wanted.iter().all(|&w| w), "everything fits the budget");
        parses.keep(docs.clone());
        docs
    }

    #[test]
    fn unchanged_pages_reuse_their_parse_and_edited_ones_are_parsed_again() {
        let mut parses = Parses::new(DEFAULT_BUDGET);
        let first = [("README.md", "# Home\n\nHello.\n"), ("a.md", "# A\n\nOne.\n")];
        round(&mut parses, &first);
        assert_eq!((parses.parsed(), parses.len()), (2, 2));
        let edited = [("README.md", "# Home\n\nHello.\n"), ("a.md", "# A\n\nTwo.\n")];
        let docs = round(&mut parses, &edited);
        assert_eq!((parses.parsed(), parses.len()), (1, 2), "only the edited page is parsed");
        let included =
            [("README.md", "# Home\n\nHello.\n"), ("a.md", "# A\n\nTwo.\n"), ("SUMMARY.md", "* [A](a.md)\n")];
        round(&mut parses, &included);
        assert_eq!(parses.parsed(), 2, "a change to the other Markdown files parses every page");
        let fresh: Vec<Doc> = {
            let mut project = project(&edited);
            Parses::off().parse(&mut project).into_iter().map(|(doc, _)| doc).collect()
        };
        assert_eq!(docs.len(), fresh.len());
        for (kept, fresh) in docs.iter().zip(&fresh) {
            assert_eq!((kept.hash, &kept.title, &kept.headings), (fresh.hash, &fresh.title, &fresh.headings));
        }
        assert_ne!(docs[1].hash, round(&mut Parses::new(DEFAULT_BUDGET), &first)[1].hash, "a.md parsed again");
    }

    #[test]
    fn a_site_over_the_budget_keeps_no_parse() {
        let pages = [("README.md", "# Home\n\nHello.\n"), ("a.md", "# A\n\nOne.\n")];
        let mut project = project(&pages);
        let docs: Vec<Doc> = Parses::off().parse(&mut project).into_iter().map(|(doc, _)| doc).collect();
        let mut parses = Parses::new(doc_bytes(&docs[0]) + doc_bytes(&docs[1]) - 1);
        let docs: Vec<Doc> = parses.parse(&mut self::project(&pages)).into_iter().map(|(doc, _)| doc).collect();
        assert_eq!(parses.wanted(&docs), vec![false, false], "one would fit, but not both");
        parses.keep(docs);
        assert!(parses.is_empty());
        let mut off = Parses::off();
        let docs: Vec<Doc> = off.parse(&mut self::project(&pages)).into_iter().map(|(doc, _)| doc).collect();
        off.keep(docs);
        assert!(off.is_empty());
        assert_eq!(off.parsed(), 2);
    }
}
