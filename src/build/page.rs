//! One page's outputs, from its single parse: the HTML page, the Markdown twin, the
//! index documents and the offline-search entries. Shared by the full build and the
//! live patch, so both write the same bytes for a page.
//!
//! Takes the site, the theme and a parsed page; gives its `Output` files and its
//! `Text`, what the site-wide files take from it (the twin body, the search entries).

use anyhow::Result;
use tantivy::TantivyDocument;

use crate::agent;
use crate::config::RawHtml;
use crate::index::{self, Fields};
use crate::markdown::{self, sanitize::Sanitizer, sections, Doc};
use crate::render::{self, search_asset, sidebar::Sidebar, Theme};
use crate::site::Site;

/// Renders pages of one site with one theme.
pub struct Pages<'a> {
    site: &'a Site,
    theme: &'a Theme,
    order: Vec<usize>,
    position: Vec<Option<usize>>,
    sidebar: Sidebar<'a>,
    /// Cleans raw HTML; `None` when the site trusts it.
    sanitizer: Option<Sanitizer>,
}

/// The files and index documents of a page.
pub struct Output {
    /// The HTML page.
    pub html: String,
    /// The Markdown twin file.
    pub twin: String,
    /// Its index documents.
    pub docs: Vec<TantivyDocument>,
    /// A key of everything its index documents hold.
    pub docs_key: u64,
}

/// What `llms-full.txt` and the offline search index take from a page.
pub struct Text {
    /// The twin body (no header, no footer).
    pub body: String,
    /// Offline-search entries.
    pub entries: search_asset::Entries,
}

impl<'a> Pages<'a> {
    /// Prepares rendering: the reading order that previous/next follow.
    pub fn new(site: &'a Site, theme: &'a Theme) -> Self {
        let order = site.reading_order();
        let mut position = vec![None; site.pages.len()];
        for (p, &i) in order.iter().enumerate() {
            position[i].get_or_insert(p);
        }
        let sanitizer = (site.config.build.raw_html == RawHtml::Sanitized).then(Sanitizer::default);
        Pages { site, theme, order, position, sidebar: Sidebar::new(site), sanitizer }
    }

    /// Page indexes in reading order (the order of `llms-full.txt`).
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// Renders page `i` completely.
    pub fn output(&self, i: usize, doc: &Doc, fields: Fields) -> Result<(Output, Text)> {
        let site = self.site;
        let page = &site.pages[i];
        let html_body = markdown::html::render(doc, site, &page.url, self.sanitizer.as_ref());
        let body_view = render::context::Body { html: &html_body, headings: &doc.headings };
        let view = render::page_view(site, i, &self.order, &self.position, body_view, self.sidebar.html(i));
        let html = self.theme.render("page.html", &view)?;
        let sections = sections::sections(doc, site, site.config.url_prefix());
        let body = sections::join(&sections);
        let twin = agent::twin(site, page, &body);
        let (docs, docs_key) = index::documents(site, fields, i, &sections);
        Ok((Output { html, twin, docs, docs_key }, Text { body, entries: search_asset::entries(&sections) }))
    }

    /// The twin body and search entries of a page, without rendering its HTML.
    pub fn text(&self, doc: &Doc) -> Text {
        let site = self.site;
        let sections = sections::sections(doc, site, site.config.url_prefix());
        Text { body: sections::join(&sections), entries: search_asset::entries(&sections) }
    }
}
