//! The sections in memory: what ranking needs of every section (page, position,
//! heading, anchor, field lengths, semantic vector), read from the index once when the
//! engine opens. Texts stay in the index: a response reads the few sections it quotes
//! (`Store::texts`), so memory does not grow with the size of the docs' text.
//!
//! Takes an opened index's searcher (and the store of the index it replaces, whose
//! unchanged segments are not read again); gives `Store`, addressed by a section id
//! that also maps tantivy's (segment, document) addresses, deleted documents left out.

use std::collections::HashSet;

use anyhow::{Context, Result};
use rayon::prelude::*;
use tantivy::columnar::Column;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, Searcher, SegmentReader, TantivyDocument};

use crate::index::Fields;

/// Number of fields that ranking scores (title, heading, breadcrumbs, description, body).
pub const SCORED: usize = 5;

/// The scored fields, in ranking order.
pub fn scored(fields: &Fields) -> [Field; SCORED] {
    [fields.title, fields.heading, fields.breadcrumbs, fields.description, fields.body]
}

/// The level of the heading a section's Markdown opens with (0 when none).
pub fn heading_level(markdown: &str) -> u8 {
    let first = markdown.trim_start().lines().next().unwrap_or("");
    let hashes = first.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) && first[hashes..].starts_with(' ') {
        hashes as u8
    } else {
        0
    }
}

/// One section, as answering reads it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredSection {
    /// Index segment of its document.
    pub segment: u32,
    /// Its document in that segment.
    pub doc: u32,
    /// Index of its page in `site.json`.
    pub page: usize,
    /// Position in its page (0 for the page's own section).
    pub section: usize,
    /// Whether it holds a numbered procedure.
    pub steps: bool,
    /// Heading text (empty for a page's own section).
    pub heading: Box<str>,
    /// Heading level (`##` is 2; 0 for a page's own section).
    pub level: u8,
    /// Anchor id (empty for a page's own section).
    pub anchor: Box<str>,
    /// Length in tokens of each scored field (as the index's field norms record it).
    pub len: [u32; SCORED],
}

/// Every live section of an index.
#[derive(Debug, Default, PartialEq)]
pub struct Store {
    /// Sections by id.
    pub sections: Vec<StoredSection>,
    /// Id of each (segment, document), `None` for deleted ones.
    ids: Vec<Vec<Option<u32>>>,
    /// Each segment's id and the id of its first section (its sections follow in
    /// document order).
    segments: Vec<(SegmentId, u32)>,
    /// Average length of each scored field over the sections.
    pub avg: [f32; SCORED],
    /// Length of the semantic vectors (0 when the index has none).
    pub dims: usize,
    /// The sections' unit vectors of the semantic encoder, scaled to `i8`, one after
    /// the other in section order (read in one pass when every section is compared).
    vectors: Vec<i8>,
}

/// Documents a reading task takes at once: each task reads a run of documents from
/// the store's blocks in order.
const READ_CHUNK: usize = 256;

/// What reading one segment's sections takes, found once for the segment.
struct Reading<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    segment: u32,
    norms: Vec<FieldNormReader>,
    steps: Column<u64>,
}

impl Reading<'_> {
    /// Section `doc` of the segment, with its vector.
    fn section(&self, doc: u32) -> Result<(StoredSection, Vec<i8>)> {
        let fields = self.fields;
        let stored: TantivyDocument = self
            .searcher
            .doc(DocAddress::new(self.segment, doc))
            .with_context(|| format!("failed to read section {doc} of the index"))?;
        let text = |f| stored.get_first(f).and_then(|v| v.as_str()).unwrap_or("").into();
        let number = |f| stored.get_first(f).and_then(|v| v.as_u64()).unwrap_or(0) as usize;
        let mut len = [0; SCORED];
        for (f, n) in self.norms.iter().enumerate() {
            len[f] = n.fieldnorm(doc);
        }
        let vector = stored.get_first(fields.vector).and_then(|v| v.as_bytes()).unwrap_or_default();
        let vector = vector.iter().map(|&x| x as i8).collect();
        let section = StoredSection {
            segment: self.segment,
            doc,
            page: number(fields.page),
            section: number(fields.section),
            steps: self.steps.first(doc).unwrap_or(0) == 1,
            heading: text(fields.heading),
            level: stored.get_first(fields.markdown).and_then(|v| v.as_str()).map_or(0, heading_level),
            anchor: text(fields.anchor),
            len,
        };
        Ok((section, vector))
    }
}

impl Store {
    /// Reads every live section of the index `searcher` sees, runs of documents in
    /// parallel (every engine opening reads them all: a server's start, each live
    /// update under `--watch`). The sections of a segment `previous` (the store of the
    /// index this one replaces) holds too are taken from it, less those deleted since:
    /// a live update reads only the segments it wrote. Gives the store and how many
    /// sections were taken from `previous`.
    pub fn read(searcher: &Searcher, fields: &Fields, previous: Option<&Store>) -> Result<(Self, usize)> {
        let mut store = Store::default();
        let mut totals = [0u64; SCORED];
        let mut kept = 0;
        for (seg_ord, seg) in searcher.segment_readers().iter().enumerate() {
            let mut ids = vec![None; seg.max_doc() as usize];
            let first = store.sections.len() as u32;
            let known = previous.and_then(|p| Some((p, p.segment_sections(seg.segment_id())?)));
            if let Some((previous, sections)) = known {
                let live = sections.filter(|&id| !seg.is_deleted(previous.sections[id].doc)).map(|id| {
                    let section = StoredSection { segment: seg_ord as u32, ..previous.sections[id].clone() };
                    (section, previous.vector(id))
                });
                let before = store.sections.len();
                store.append(live, &mut ids, &mut totals);
                kept += store.sections.len() - before;
            } else {
                store.read_segment(searcher, fields, seg_ord as u32, seg, &mut ids, &mut totals)?;
            }
            store.ids.push(ids);
            store.segments.push((seg.segment_id(), first));
        }
        let n = store.sections.len().max(1) as f32;
        for (avg, total) in store.avg.iter_mut().zip(totals) {
            *avg = total as f32 / n;
        }
        Ok((store, kept))
    }

    /// Reads the live sections of one segment from the index.
    fn read_segment(
        &mut self,
        searcher: &Searcher,
        fields: &Fields,
        segment: u32,
        seg: &SegmentReader,
        ids: &mut [Option<u32>],
        totals: &mut [u64; SCORED],
    ) -> Result<()> {
        let reading = Reading {
            searcher,
            fields,
            segment,
            norms: scored(fields).iter().map(|f| seg.get_fieldnorms_reader(*f)).collect::<tantivy::Result<_>>()?,
            steps: seg.fast_fields().u64("steps")?,
        };
        let live: Vec<u32> = (0..seg.max_doc()).filter(|&doc| !seg.is_deleted(doc)).collect();
        // A run per thread at a time, kept in order: only those runs' sections are
        // held twice, not the whole index's.
        let batch = READ_CHUNK * rayon::current_num_threads().max(1);
        for docs in live.chunks(batch) {
            let runs: Vec<Vec<(StoredSection, Vec<i8>)>> = docs
                .par_chunks(READ_CHUNK)
                .map(|run| run.iter().map(|&doc| reading.section(doc)).collect())
                .collect::<Result<_>>()?;
            self.append(runs.into_iter().flatten(), ids, totals);
        }
        Ok(())
    }

    /// The ids of the sections of the segment `id`, when this store read it.
    fn segment_sections(&self, id: SegmentId) -> Option<std::ops::Range<usize>> {
        let at = self.segments.iter().position(|(s, _)| *s == id)?;
        let end = self.segments.get(at + 1).map_or(self.sections.len(), |&(_, first)| first as usize);
        Some(self.segments[at].1 as usize..end)
    }

    /// Appends sections with their vectors (read from the index, or kept from the
    /// store it replaces), in document order;
    /// records their ids in `ids` (by document) and their field lengths in `totals`.
    fn append<V: AsRef<[i8]>>(
        &mut self,
        read: impl Iterator<Item = (StoredSection, V)>,
        ids: &mut [Option<u32>],
        totals: &mut [u64; SCORED],
    ) {
        for (section, vector) in read {
            let vector = vector.as_ref();
            if self.sections.is_empty() {
                self.dims = vector.len();
            }
            // A section without a vector of the common length compares as zero.
            if vector.len() == self.dims {
                self.vectors.extend_from_slice(vector);
            } else {
                self.vectors.extend(std::iter::repeat_n(0, self.dims));
            }
            for (total, len) in totals.iter_mut().zip(section.len) {
                *total += u64::from(len);
            }
            ids[section.doc as usize] = Some(self.sections.len() as u32);
            self.sections.push(section);
        }
    }

    /// The plain text and the Markdown of section `id`, read from the index (empty
    /// when the index cannot be read: the section is then quoted as empty).
    pub fn texts(&self, searcher: &Searcher, fields: &Fields, id: usize) -> (String, String) {
        let s = &self.sections[id];
        let Ok(doc) = searcher.doc::<TantivyDocument>(DocAddress::new(s.segment, s.doc)) else {
            return (String::new(), String::new());
        };
        let text = |f| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or("").to_string();
        (text(fields.body), text(fields.markdown))
    }

    /// For each section, whether at least `pages` different pages use its heading
    /// (case aside), such as "Flags" or "Examples" on every page of a reference: such
    /// a heading names a kind of section, not a topic.
    pub fn shared_headings(&self, pages: usize) -> Vec<bool> {
        let keys: Vec<String> = self.sections.iter().map(|s| s.heading.to_lowercase()).collect();
        // (heading, page) once each, so that a heading's run counts its pages.
        let mut on: Vec<(&str, usize)> =
            keys.iter().zip(&self.sections).filter(|(k, _)| !k.is_empty()).map(|(k, s)| (k.as_str(), s.page)).collect();
        on.sort_unstable();
        on.dedup();
        let shared: HashSet<&str> =
            on.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() >= pages).map(|run| run[0].0).collect();
        keys.iter().map(|k| shared.contains(k.as_str())).collect()
    }

    /// The section after `id` in its page, if any.
    pub fn following(&self, id: usize) -> Option<usize> {
        let s = self.sections.get(id)?;
        let next = |n: &StoredSection| n.page == s.page && n.section == s.section + 1;
        if self.sections.get(id + 1).is_some_and(next) {
            return Some(id + 1);
        }
        self.sections.iter().position(next)
    }

    /// The section id of a document, `None` when it is deleted or unknown.
    pub fn id(&self, segment: u32, doc: u32) -> Option<u32> {
        self.ids.get(segment as usize).and_then(|s| s.get(doc as usize)).copied().flatten()
    }

    /// The semantic vector of a section (`dims` long).
    pub fn vector(&self, id: usize) -> &[i8] {
        &self.vectors[id * self.dims..(id + 1) * self.dims]
    }

    /// The dot product of `query` (`dims` long) with every section's vector, in
    /// section order.
    pub fn dots(&self, query: &[i8]) -> Vec<i32> {
        super::semantic::dots_i8(&self.vectors, query)
    }

    /// Number of sections.
    pub fn len(&self) -> usize {
        self.sections.len()
    }

    /// Whether there is no section.
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_that_enough_pages_use_is_shared() {
        let section = |page, heading: &str| StoredSection { page, heading: heading.into(), ..Default::default() };
        let sections = vec![
            section(0, "Flags"),
            section(1, "flags"),
            section(1, "FLAGS"),
            section(2, "Flags"),
            section(0, "Install"),
            section(1, "Usage"),
            section(2, "Usage"),
            section(0, ""),
            section(1, ""),
            section(2, ""),
        ];
        let store = Store { sections, ..Default::default() };
        let no = false;
        assert_eq!(store.shared_headings(3), [true, true, true, true, no, no, no, no, no, no]);
        assert_eq!(store.shared_headings(2), [true, true, true, true, no, true, true, no, no, no]);
        assert!(store.shared_headings(4).iter().all(|&s| !s), "pages count, not sections");
    }

    #[test]
    fn heading_levels() {
        assert_eq!(heading_level("### General\n\nText"), 3);
        assert_eq!(heading_level("## Create\n"), 2);
        assert_eq!(heading_level("Text before any heading"), 0);
        assert_eq!(heading_level("#hashtag"), 0);
        assert_eq!(heading_level("####### seven"), 0);
    }
}
