//! The search index: one tantivy document per section (a page split at its headings),
//! with title, heading and breadcrumb fields that weigh more than the body, English
//! stemming, and the section's Markdown stored for answers. Beside it, `site.json`
//! holds what the ask engine needs about pages (titles, navigation neighbours).
//!
//! Takes the site and each page's twin parts and text sections; gives the index
//! folder under `.docask/` of the output.

mod directory;
pub mod meta;
pub mod stem;
pub mod vectors;

use std::path::Path;

use anyhow::{Context, Result};
use tantivy::indexer::{LogMergePolicy, UserOperation};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING};
use tantivy::{doc, Index, IndexWriter, TantivyDocument, Term};

use crate::markdown::sections::Section;
use crate::site::Site;
pub use meta::{PageMeta, SiteMeta};

/// Index folder, relative to the output folder.
pub const INDEX_DIR: &str = ".docask/index";
/// Indexing memory of a build, shared by its indexing threads: a 10,000-page site
/// fits in one segment per thread on two cores.
const BUILD_MEMORY: usize = 80_000_000;
/// Indexing memory for a live patch: tantivy's smallest budget per thread.
const PATCH_MEMORY: usize = 15_000_000;
/// Tokenizer: lower-cased, English-stemmed words.
pub const TOKENIZER: &str = "en_stem";

/// The fields of a section document.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Page title.
    pub title: Field,
    /// Section heading (empty for a page's own section).
    pub heading: Field,
    /// Group › parent pages › page.
    pub breadcrumbs: Field,
    /// Page description (on the page's own section).
    pub description: Field,
    /// Section plain text.
    pub body: Field,
    /// Section Markdown (stored only).
    pub markdown: Field,
    /// Page clean URL (stored only).
    pub url: Field,
    /// Anchor id, empty for a page's own section.
    pub anchor: Field,
    /// Index of the page in `site.json`.
    pub page: Field,
    /// Position of the section in its page.
    pub section: Field,
    /// 1 when the section holds a numbered procedure.
    pub steps: Field,
    /// The section's semantic vector, unit length scaled to `i8` (stored only).
    pub vector: Field,
}

impl Fields {
    /// The schema and its fields.
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        // Ranking reads word positions of headings and bodies only, and answers read
        // stored headings and bodies; page-level fields (the same in every section of
        // a page) are only counted.
        let indexed = |positions: bool| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default().set_tokenizer(TOKENIZER).set_index_option(if positions {
                    IndexRecordOption::WithFreqsAndPositions
                } else {
                    IndexRecordOption::WithFreqs
                }),
            )
        };
        let fields = Fields {
            title: b.add_text_field("title", indexed(false)),
            heading: b.add_text_field("heading", indexed(true).set_stored()),
            breadcrumbs: b.add_text_field("breadcrumbs", indexed(false)),
            description: b.add_text_field("description", indexed(false)),
            body: b.add_text_field("body", indexed(true).set_stored()),
            markdown: b.add_text_field("markdown", STORED),
            url: b.add_text_field("url", STRING | STORED),
            anchor: b.add_text_field("anchor", STRING | STORED),
            page: b.add_u64_field("page", STORED | FAST),
            section: b.add_u64_field("section", STORED | FAST),
            steps: b.add_u64_field("steps", FAST),
            vector: b.add_bytes_field("vector", STORED),
        };
        (b.build(), fields)
    }

    /// The fields of an opened index.
    pub fn of(schema: &Schema) -> Result<Fields> {
        let f = |name: &str| {
            schema.get_field(name).with_context(|| format!("the index has no `{name}` field; rebuild the site"))
        };
        Ok(Fields {
            title: f("title")?,
            heading: f("heading")?,
            breadcrumbs: f("breadcrumbs")?,
            description: f("description")?,
            body: f("body")?,
            markdown: f("markdown")?,
            url: f("url")?,
            anchor: f("anchor")?,
            page: f("page")?,
            section: f("section")?,
            steps: f("steps")?,
            vector: f("vector")?,
        })
    }
}

/// Writes section documents into a new index.
pub struct Writer {
    writer: IndexWriter,
    fields: Fields,
    /// The semantic encoder that gives each section its vector.
    embeddings: crate::ask::semantic::Embeddings,
    dir: std::path::PathBuf,
    /// Documents not yet handed to the indexing threads.
    pending: std::sync::Mutex<Vec<TantivyDocument>>,
    /// The previous build's section vectors, by the key of their text.
    known: vectors::Known,
    /// A new index's section vectors (key, vector), kept beside it on commit.
    made: Option<std::sync::Mutex<vectors::Made>>,
}

/// The kept section vectors of the index in `index_dir`: in the data folder beside it.
fn vectors_file(index_dir: &Path) -> std::path::PathBuf {
    index_dir.parent().unwrap_or(index_dir).join(vectors::FILE)
}

/// Fails when `dir` already holds an index (a new one is never made over it).
fn ensure_empty(dir: &directory::Unsynced) -> tantivy::Result<()> {
    if Index::exists(dir)? {
        return Err(tantivy::TantivyError::IndexAlreadyExists);
    }
    Ok(())
}

/// Documents handed to the indexing threads at once. Each hand-over wakes a thread
/// that then spins and yields before it sleeps again: one a page made a 1,000-page
/// build yield to the kernel thousands of times.
const BATCH: usize = 512;

impl Writer {
    /// A writer over an opened tantivy writer, with the semantic encoder for vectors.
    /// A new index (`previous` given: the index of the site it replaces) takes the
    /// vectors of unchanged sections from that site, and keeps its own for the next.
    fn over(writer: IndexWriter, fields: Fields, dir: &Path, previous: Option<&Path>) -> Result<Self> {
        let embeddings = crate::ask::semantic::Embeddings::bundled()?;
        let (dims, size) = (embeddings.dims(), crate::ask::semantic::bundled_len());
        let known = previous.map(|p| vectors::Known::read(&vectors_file(p), dims, size)).unwrap_or_default();
        tracing::debug!(sections = known.len(), "section vectors kept from the previous build");
        Ok(Writer {
            writer,
            fields,
            embeddings,
            dir: dir.to_path_buf(),
            pending: Default::default(),
            known,
            made: previous.map(|_| Default::default()),
        })
    }

    /// Creates an empty index in `dir` (which must not hold one); sections whose text
    /// the index in `previous` (the site this build replaces) had keep their vectors.
    pub fn create(dir: &Path, previous: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| format!("failed to create `{}`", dir.display()))?;
        let (schema, fields) = Fields::schema();
        let index = directory::Unsynced::open(dir)
            .map_err(tantivy::TantivyError::from)
            .and_then(|d| {
                ensure_empty(&d)?;
                Index::create(d, schema, Default::default())
            })
            .with_context(|| format!("failed to create the index in `{}`", dir.display()))?;
        index.tokenizers().register(TOKENIZER, stem::analyzer());
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
        let writer = index.writer_with_num_threads(threads, BUILD_MEMORY).context("failed to open the index writer")?;
        Self::over(writer, fields, dir, Some(previous))
    }

    /// Opens the index in `dir` to change some pages' documents (one thread, the
    /// smallest memory budget: a live patch adds a few sections).
    pub fn open(dir: &Path) -> Result<Self> {
        let index = directory::Unsynced::open(dir)
            .map_err(tantivy::TantivyError::from)
            .and_then(Index::open)
            .with_context(|| format!("failed to open the index in `{}`", dir.display()))?;
        index.tokenizers().register(TOKENIZER, stem::analyzer());
        let fields = Fields::of(&index.schema())?;
        let writer = index.writer_with_num_threads(1, PATCH_MEMORY).context("failed to open the index writer")?;
        // Each patch leaves a small segment. tantivy's default merge policy puts every
        // segment under 10,000 documents in one level, so every eighth patch merged
        // the whole index again (120 ms at 1,000 pages); sized levels merge the
        // patches' segments among themselves.
        let mut policy = LogMergePolicy::default();
        policy.set_min_layer_size(1);
        writer.set_merge_policy(Box::new(policy));
        Self::over(writer, fields, dir, None)
    }

    /// Removes every document of the page at clean URL `url`.
    pub fn remove_page(&self, url: &str) {
        self.writer.delete_term(Term::from_field_text(self.fields.url, url));
    }

    /// The field handles.
    pub fn fields(&self) -> Fields {
        self.fields
    }

    /// Adds documents (handed to the indexing threads in batches; `commit` sends the
    /// rest), each with its semantic vector, computed here, in the caller's thread.
    pub fn add(&self, mut docs: Vec<TantivyDocument>) -> Result<()> {
        let mut made = Vec::with_capacity(docs.len());
        for doc in &mut docs {
            let (key, vector) = self.vector(doc);
            doc.add_bytes(self.fields.vector, &vector);
            made.push((key, vector));
        }
        if let Some(all) = &self.made {
            all.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend(made);
        }
        let batch = {
            let mut pending = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            pending.extend(docs);
            if pending.len() < BATCH {
                return Ok(());
            }
            std::mem::take(&mut *pending)
        };
        self.send(batch)
    }

    /// The semantic vector of a section document (of its title, heading and text),
    /// with the key of that text.
    fn vector(&self, doc: &TantivyDocument) -> (u64, Vec<u8>) {
        use tantivy::schema::Value;
        let f = &self.fields;
        let mut text = String::new();
        for field in [f.title, f.heading, f.body] {
            if let Some(t) = doc.get_first(field).and_then(|v| v.as_str()) {
                text.push_str(t);
                text.push('\n');
            }
        }
        let key = vectors::key(&text);
        let vector = match self.known.get(key) {
            Some(kept) => kept.to_vec(),
            None => {
                let vector = crate::ask::semantic::quantize(&self.embeddings.encode_section(&text));
                vector.into_iter().map(|x| x as u8).collect()
            }
        };
        (key, vector)
    }

    fn send(&self, batch: Vec<TantivyDocument>) -> Result<()> {
        self.writer.run(batch.into_iter().map(UserOperation::Add)).context("failed to add sections to the index")?;
        Ok(())
    }

    /// Commits, waits for merges, and writes `site.json` (and a new index's section
    /// vectors) beside the index.
    pub fn commit(mut self, meta: &SiteMeta) -> Result<()> {
        let rest = std::mem::take(self.pending.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner));
        self.send(rest)?;
        self.writer.commit().context("failed to commit the index")?;
        self.writer.wait_merging_threads().context("failed to finish index merges")?;
        if let Some(made) = self.made.take() {
            let made = made.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
            let (dims, size) = (self.embeddings.dims(), crate::ask::semantic::bundled_len());
            vectors::write(&vectors_file(&self.dir), dims, size, made)?;
        }
        meta.write(&self.dir)
    }
}

/// The documents of page `i`: one per section.
pub fn documents(site: &Site, fields: Fields, i: usize, sections: &[Section]) -> Vec<TantivyDocument> {
    let page = &site.pages[i];
    let crumbs = meta::breadcrumbs(site, i).join(" › ");
    sections
        .iter()
        .enumerate()
        .filter(|(n, section)| *n == 0 || section.heading.is_some())
        .map(|(n, section)| {
            let heading = section.heading.as_ref();
            doc!(
                fields.title => page.title.as_str(),
                fields.heading => heading.map_or("", |h| h.text.as_str()),
                fields.breadcrumbs => crumbs.as_str(),
                fields.description => page.description.as_deref().unwrap_or(""),
                fields.body => section.text.as_str(),
                fields.markdown => section.markdown.as_str(),
                fields.url => page.url.as_str(),
                fields.anchor => heading.map_or("", |h| h.id.as_str()),
                fields.page => i as u64,
                fields.section => n as u64,
                fields.steps => u64::from(has_steps(&section.markdown)),
            )
        })
        .collect()
}

/// Whether Markdown holds a numbered list (a procedure).
pub fn has_steps(markdown: &str) -> bool {
    let mut in_fence = false;
    markdown.lines().any(|line| {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        }
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        !in_fence && digits > 0 && t[digits..].starts_with(". ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_lists_are_steps() {
        assert!(has_steps("Intro\n\n1. Go to **Settings**.\n2. Select **Add**.\n"));
        assert!(!has_steps("- a bullet\n\n```\n1. not a step\n```\n"));
    }
}
