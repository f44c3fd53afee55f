//! The section document: its fields (what is indexed, stored, kept fast) and the
//! documents of a page, one per section.
//!
//! Takes the site and a page's text sections; gives the page's documents.

use std::hash::{DefaultHasher, Hash, Hasher};

use anyhow::{Context, Result};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING};
use tantivy::{doc, TantivyDocument};

use super::{meta, TOKENIZER};
use crate::markdown::sections::Section;
use crate::site::Site;

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

/// The documents of page `i`, one per section, and a key of everything they hold: a
/// live update re-indexes only the pages whose key changed.
pub fn documents(site: &Site, fields: Fields, i: usize, sections: &[Section]) -> (Vec<TantivyDocument>, u64) {
    let page = &site.pages[i];
    let crumbs = meta::breadcrumbs(site, i).join(" › ");
    let description = page.description.as_deref().unwrap_or("");
    let mut key = DefaultHasher::new();
    (&page.title, &crumbs, description, &page.url, i).hash(&mut key);
    let mut docs = Vec::new();
    for (n, section) in sections.iter().enumerate().filter(|(n, section)| *n == 0 || section.heading.is_some()) {
        let heading = section.heading.as_ref().map_or("", |h| h.text.as_str());
        let anchor = section.heading.as_ref().map_or("", |h| h.id.as_str());
        (n, heading, anchor, &section.text, &section.markdown).hash(&mut key);
        docs.push(doc!(
            fields.title => page.title.as_str(),
            fields.heading => heading,
            fields.breadcrumbs => crumbs.as_str(),
            fields.description => description,
            fields.body => section.text.as_str(),
            fields.markdown => section.markdown.as_str(),
            fields.url => page.url.as_str(),
            fields.anchor => anchor,
            fields.page => i as u64,
            fields.section => n as u64,
            fields.steps => u64::from(has_steps(&section.markdown)),
        ));
    }
    (docs, key.finish())
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
