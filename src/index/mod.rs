//! The search index: one tantivy document per section (a page split at its headings),
//! with title, heading and breadcrumb fields that weigh more than the body, English
//! stemming, and the section's Markdown stored for answers. Beside it, `site.json`
//! holds what the ask engine needs about pages (titles, navigation neighbours).
//!
//! Takes the site and each page's twin parts and text sections; gives the index
//! folder under `.docask/` of the output.

mod directory;
pub mod meta;
mod schema;
pub mod stem;
pub mod vectors;

use std::path::Path;

use anyhow::{Context, Result};
pub use meta::{PageMeta, SiteMeta};
pub use schema::{documents, has_steps, Fields};
use tantivy::indexer::{LogMergePolicy, UserOperation};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

/// Index folder, relative to the output folder.
pub const INDEX_DIR: &str = ".docask/index";
/// Indexing memory of a build, shared by its indexing threads: a 10,000-page site
/// fits in one segment per thread on two cores.
const BUILD_MEMORY: usize = 80_000_000;
/// Indexing memory for a live patch: tantivy's smallest budget per thread.
const PATCH_MEMORY: usize = 15_000_000;
/// Tokenizer: lower-cased, English-stemmed words.
pub const TOKENIZER: &str = "en_stem";

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
