//! Ask: answers a question from the built index, offline and deterministic.
//!
//! Takes the output folder (opened once: the index and `site.json`, never the pages)
//! and a `Request`; gives a `Response` with the direct answer, excerpts, sources and
//! follow-up questions.

pub mod answer;
pub mod blocks;
mod directory;
pub mod follow_ups;
pub mod following;
pub mod format;
pub mod fuse;
pub mod lexicon;
pub mod passages;
mod pool;
pub mod postings;
pub mod query;
pub mod quoted;
pub mod rank;
mod respond;
pub mod search;
pub mod semantic;
pub mod store;
pub mod words;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Index;

use crate::index::{self, Fields, SiteMeta};
use crate::paths;
pub use format::Response;

/// A question.
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    /// The question, in natural language.
    pub question: &'a str,
    /// What the asker is trying to do.
    pub goal: Option<&'a str>,
    /// The page asked from (`/a/b.md`, `a/b`, `/`).
    pub page: Option<&'a str>,
}

/// An opened index, ready to answer.
pub struct Engine {
    /// The index as it was opened: the `Store` mirrors exactly these segments.
    searcher: tantivy::Searcher,
    fields: Fields,
    /// Analyzers not in use; each keeps its cache of stems between questions.
    analyzers: pool::Pool<TextAnalyzer>,
    /// Ranking buffers not in use; each keeps its capacity between questions.
    scratch: pool::Pool<rank::Scratch>,
    meta: SiteMeta,
    synonyms: BTreeMap<String, Vec<String>>,
    store: store::Store,
    /// By section id, whether many pages share its heading (it then leads to no
    /// follow-up question).
    shared_headings: Vec<bool>,
    /// By section id, its follow-up question once a response has asked for it.
    questions: Vec<std::sync::OnceLock<Option<Box<str>>>>,
    lexicon: lexicon::Lexicon,
    /// The texts of the sections quoted so far (bounded).
    quoted: quoted::Quoted,
    /// By page, the `.md` URL of its twin (base URL included, encoded).
    twins: Vec<String>,
    embeddings: std::sync::Arc<semantic::Embeddings>,
    features: rank::Features,
}

impl Engine {
    /// Opens the index of the site built into `out`.
    pub fn open(out: &Path) -> Result<Self> {
        Self::open_with(out, std::sync::Arc::new(semantic::Embeddings::bundled()?), None)
    }

    /// Opens the index of the site built into `out` that replaces `previous`'s (a live
    /// update), sharing what has not changed: the parsed embeddings (parsing the
    /// vocabulary takes about 6 ms) and the sections of the index segments both have
    /// (only the segments the update wrote are read).
    pub fn reopen(out: &Path, previous: &Engine) -> Result<Self> {
        Self::open_with(out, previous.embeddings.clone(), Some(&previous.store))
    }

    fn open_with(
        out: &Path,
        embeddings: std::sync::Arc<semantic::Embeddings>,
        previous: Option<&store::Store>,
    ) -> Result<Self> {
        let dir = out.join(index::INDEX_DIR);
        let (searcher, fields) = open_searcher(out, &dir)?;
        let meta = SiteMeta::read(dir.parent().unwrap_or(&dir))?;
        let synonyms = symmetric(&meta.synonyms);
        // The sections are read through a second opening of the index, dropped after:
        // reading every stored document maps the whole document store, and those
        // pages leave memory with it. Both openings must see the same segments.
        let (reading, _) = open_searcher(out, &dir)?;
        let same = |s: &tantivy::Searcher| s.segment_readers().iter().map(|r| r.segment_id()).collect::<Vec<_>>();
        let source = if same(&reading) == same(&searcher) { &reading } else { &searcher };
        let (store, kept) = store::Store::read(source, &fields, previous)
            .with_context(|| format!("failed to read the index in `{}`", dir.display()))?;
        tracing::debug!(sections = store.len(), kept, "sections of the index, kept from the engine it replaces");
        drop(reading);
        let lexicon = lexicon::Lexicon::new(searcher.clone(), &fields);
        let twins = meta
            .pages
            .iter()
            .map(|p| format!("{}{}", meta.base_url, paths::encode_href(&paths::twin_url(&p.url))))
            .collect();
        let shared_headings = store.shared_headings(follow_ups::SHARED_HEADING_PAGES);
        let questions = std::iter::repeat_with(Default::default).take(store.len()).collect();
        let features = rank::Features::without(&std::env::var("DOCASK_ASK_OFF").unwrap_or_default());
        Ok(Engine {
            searcher,
            fields,
            analyzers: pool::Pool::default(),
            scratch: pool::Pool::default(),
            meta,
            synonyms,
            store,
            shared_headings,
            questions,
            lexicon,
            quoted: quoted::Quoted::default(),
            twins,
            embeddings,
            features,
        })
    }

    /// An analyzer for one question (warm from an earlier one when there is one).
    fn take_analyzer(&self) -> TextAnalyzer {
        self.analyzers.take(|| crate::index::stem::analyzer_with_cache(STEMS_KEPT))
    }

    /// Gives back an analyzer taken for a question.
    fn put_analyzer(&self, analyzer: TextAnalyzer) {
        self.analyzers.put(analyzer);
    }

    /// What the engine knows about the site.
    pub fn meta(&self) -> &SiteMeta {
        &self.meta
    }

    /// Index of the page a path names (`/a/b.md`, `/a/b/`, `a/b`, `/index.md`).
    pub fn page_index(&self, path: &str) -> Option<usize> {
        let url = normalize_page_path(path);
        self.meta.pages.iter().position(|p| p.url == url)
    }

    /// The ranked sections for a question, as `(page title, section, coverage, score)`,
    /// for `docask ask --explain`.
    pub fn explain(&self, req: &Request<'_>) -> Result<Vec<(String, String, f32, f32)>> {
        let Ranked { hits, .. } = self.ranked(req)?;
        Ok(hits
            .iter()
            .take(10)
            .map(|h| {
                let r = self.reference(h);
                (r.title, r.section, h.coverage, h.score)
            })
            .collect())
    }

    /// Answers a question.
    pub fn ask(&self, req: &Request<'_>) -> Result<Response> {
        let Ranked { terms, hits, idf } = self.ranked(req)?;
        let mut analyzer = self.take_analyzer();
        let response = self.respond(req, &terms, &hits, &idf, &mut analyzer);
        self.put_analyzer(analyzer);
        Ok(response)
    }

    /// The plain text and Markdown of section `id`, read from the index the first
    /// time a response quotes it.
    fn texts(&self, id: usize) -> std::sync::Arc<quoted::Section> {
        self.quoted.get(id, || {
            let (text, markdown) = self.store.texts(&self.searcher, &self.fields, id);
            quoted::Section::new(text, markdown)
        })
    }

    /// Analyses the question and ranks the sections: the first half of every answer.
    ///
    /// The question is read in its context: when it leans on the page asked from (points
    /// at it, or names no more than one topic word), that page's title joins the goal
    /// (low-weight words that do not count as covering the question) and the text the
    /// semantic encoder reads, so "what are the steps" is about the page's topic.
    fn ranked(&self, req: &Request<'_>) -> Result<Ranked> {
        let ctx = self.context(req);
        let topic = ctx
            .page
            .filter(|_| self.features.page_context && words::leans_on_context(&query::words(req.question)))
            .map(|p| self.meta.pages[p].title.as_str());
        let goal = match (req.goal, topic) {
            (Some(goal), Some(topic)) => Some(format!("{goal} {topic}")),
            (goal, topic) => goal.or(topic).map(str::to_string),
        };
        let mut analyzer = self.take_analyzer();
        let terms = self.analyse(&Request { goal: goal.as_deref(), ..req.clone() }, &mut analyzer);
        self.put_analyzer(analyzer);
        let mut scratch = self.scratch.take(rank::Scratch::default);
        let (mut hits, idf) = rank::rank(&self.lexicon, &self.store, &terms, &ctx, &mut scratch);
        self.scratch.put(scratch);
        if self.features.semantic && terms.has_content {
            let text = match topic {
                Some(topic) => format!("{}\n{topic}", req.question),
                None => req.question.to_string(),
            };
            let query = semantic::quantize(&self.embeddings.encode(&text));
            hits = fuse::fuse(hits, &self.store, &query, &ctx);
        } else {
            rank::order(&mut hits);
        }
        Ok(Ranked { terms, hits, idf })
    }

    fn analyse(&self, req: &Request<'_>, analyzer: &mut TextAnalyzer) -> query::Terms {
        query::analyse(req.question, req.goal, analyzer, &self.synonyms)
    }

    fn context(&self, req: &Request<'_>) -> rank::Context {
        let page = req.page.and_then(|p| self.page_index(p));
        rank::Context {
            page,
            neighbours: page.map(|p| self.meta.neighbours(p)).unwrap_or_default(),
            features: self.features,
        }
    }

    /// Page title, section heading and `.md` URL with anchor of a ranked section.
    fn reference(&self, hit: &rank::Hit) -> format::SectionRef {
        let page = &self.meta.pages[hit.page];
        let s = &self.store.sections[hit.id];
        format::SectionRef {
            title: page.title.clone(),
            section: if s.heading.is_empty() { page.title.clone() } else { s.heading.to_string() },
            url: self.twin_url(hit.page, &s.anchor),
        }
    }

    /// `.md` URL of a page, with an anchor when given.
    fn twin_url(&self, page: usize, anchor: &str) -> String {
        let mut url = self.twins[page].clone();
        if !anchor.is_empty() {
            url.push('#');
            url.push_str(anchor);
        }
        url
    }
}

/// Distinct words each of the engine's analyzers keeps stemmed (about 100 bytes a
/// word): more than the vocabulary of most docs, and a bound on a server's memory
/// however many words the questions and quoted sections bring.
const STEMS_KEPT: usize = 20_000;

/// Decompressed blocks of the document store kept per segment (tantivy's default is
/// 100): the texts a response quotes are kept by `quoted`, so a block is rarely read
/// twice, and a larger cache would only hold memory.
const DOC_STORE_BLOCKS: usize = 4;

/// A searcher over the index in `dir` (of the site built into `out`) and its fields.
fn open_searcher(out: &Path, dir: &Path) -> Result<(tantivy::Searcher, Fields)> {
    let directory = directory::StoreByReads::open(dir)
        .with_context(|| format!("no search index in `{}`; run `docask build` first", out.display()))?;
    let index = Index::open(directory)
        .with_context(|| format!("no search index in `{}`; run `docask build` first", out.display()))?;
    let fields = Fields::of(&index.schema())?;
    let reader: tantivy::IndexReader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .doc_store_cache_num_blocks(DOC_STORE_BLOCKS)
        .try_into()
        .context("failed to open the index reader")?;
    Ok((reader.searcher(), fields))
}

/// A question's analysed terms and ranked sections.
struct Ranked {
    terms: query::Terms,
    hits: Vec<rank::Hit>,
    idf: Vec<f32>,
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, NON_ALPHANUMERIC).to_string()
}

/// `/a/b.md`, `/a/b/`, `a/b`, `/index.md`, `/` → the clean URL `a/b` or ``.
pub fn normalize_page_path(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or("").trim_matches('/');
    let path = path.strip_suffix(".md").unwrap_or(path);
    let path = path.strip_suffix("/index.html").or_else(|| path.strip_suffix("index.html")).unwrap_or(path);
    if path == "index" {
        String::new()
    } else {
        path.trim_matches('/').to_string()
    }
}

/// Makes writer synonyms symmetric: `key = ["token"]` also maps `token` to `key`.
fn symmetric(map: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, values) in map {
        let group: Vec<String> = std::iter::once(key).chain(values).map(|w| w.to_lowercase()).collect();
        for w in &group {
            let entry = out.entry(w.clone()).or_default();
            entry.extend(group.iter().filter(|o| *o != w).cloned());
            entry.sort();
            entry.dedup();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_page_paths() {
        assert_eq!(normalize_page_path("/a/b.md"), "a/b");
        assert_eq!(normalize_page_path("/a/b/"), "a/b");
        assert_eq!(normalize_page_path("/index.md"), "");
        assert_eq!(normalize_page_path("/"), "");
        assert_eq!(normalize_page_path("/a/b/index.html?x=1"), "a/b");
    }

    /// A live update's engine keeps the sections of the segments the update left
    /// alone and reads the others: the same store as an engine opened afresh.
    #[test]
    fn a_reopened_engine_reads_only_the_segments_a_patch_wrote() {
        use crate::build::{self, patch, BuildOptions, Snapshot};
        let dir = tempfile::tempdir().unwrap();
        let (content, out) = (dir.path().join("content"), dir.path().join("out"));
        let page =
            |n: usize| format!("# Page {n}\n\nIntro {n}.\n\n## Setup\n\nSet up part {n}.\n\n## Use\n\nUse part {n}.\n");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(content.join("README.md"), "# Home\n\nWelcome.\n").unwrap();
        for n in 1..=6 {
            std::fs::write(content.join(format!("p{n}.md")), page(n)).unwrap();
        }
        let opts = BuildOptions {
            content: content.clone(),
            out: out.clone(),
            base_url: None,
            strict: false,
            quiet: true,
            served: false,
        };
        let mut last = build::build(&opts).unwrap().snapshot;
        let mut engine = Engine::open(&out).unwrap();
        let total = engine.store.len();
        for (round, n) in [3, 5, 3].into_iter().enumerate() {
            // New words: the page's documents deleted, and written again in a new segment.
            let text = page(n).replace("Set up part", &format!("With zanthoxyl {round}, set up part"));
            std::fs::write(content.join(format!("p{n}.md")), text).unwrap();
            let prepared = build::prepare(&content, Some(&out), None).unwrap();
            let next = Snapshot::of(&prepared);
            let edited = last.edited(&next).expect("a text edit");
            last = patch::patch(&last, next, prepared, &edited, &out, std::time::Instant::now()).unwrap().snapshot;
            let reopened = Engine::reopen(&out, &engine).unwrap();
            let fresh = Engine::open(&out).unwrap();
            assert_eq!(reopened.store, fresh.store, "round {round}");
            assert_eq!(reopened.store.len(), total);
            // The page's three sections are read from the new segment, the rest kept.
            let (_, kept) = store::Store::read(&fresh.searcher, &fresh.fields, Some(&engine.store)).unwrap();
            assert_eq!(kept, total - 3, "round {round}");
            let answer = reopened.ask(&Request { question: "zanthoxyl", goal: None, page: None }).unwrap().markdown();
            assert!(answer.contains(&format!("zanthoxyl {round}")), "{answer}");
            engine = reopened;
        }
    }

    #[test]
    fn synonyms_are_symmetric() {
        let mut m = BTreeMap::new();
        m.insert("key".to_string(), vec!["token".to_string(), "Credential".to_string()]);
        let s = symmetric(&m);
        assert_eq!(s["token"], vec!["credential".to_string(), "key".to_string()]);
        assert_eq!(s["key"].len(), 2);
    }
}
