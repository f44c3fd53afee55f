//! The files made from the whole site: `llms.txt`, `llms-full.txt`, the sitemaps,
//! `robots.txt`, the 404 page, the headers file, redirects, the theme's static files,
//! the navigation script, the offline search index and the assets the pages use.
//!
//! Takes the prepared site, its pages' texts and theme; writes into a `Sink` (a
//! staging folder, or the served folder for a live update) and gives where each
//! page's text lies in the files made from all pages' text.

use anyhow::Result;

use super::{headers_file, texts, Prepared, WELL_KNOWN};
use crate::agent;
use crate::paths;
use crate::render::{self, Theme};
use crate::write::Sink;

/// Writes the files made from the whole site, `text_files` among them; gives where
/// each page's text lies in those made from all pages' text.
pub(super) fn write(
    prepared: &Prepared,
    text_files: texts::TextFiles,
    theme: &Theme,
    out: &dyn Sink,
) -> Result<texts::Spans> {
    let site = &prepared.site;
    let llms = agent::llms::llms_txt(site);
    out.write("llms.txt", llms.as_bytes())?;
    out.write(&format!("{WELL_KNOWN}/llms.txt"), llms.as_bytes())?;
    out.write(texts::LLMS_FULL, text_files.llms_full.as_bytes())?;
    out.link(texts::LLMS_FULL, &format!("{WELL_KNOWN}/{}", texts::LLMS_FULL))?;
    out.write("sitemap.xml", agent::sitemap::xml(site).as_bytes())?;
    out.write("sitemap.md", agent::sitemap::markdown(site).as_bytes())?;
    out.write("robots.txt", agent::sitemap::robots(site).as_bytes())?;
    out.write("404.html", render::not_found(theme, site)?.as_bytes())?;
    // GitHub Pages runs Jekyll unless told not to, and Jekyll skips `.gitbook/`.
    out.write(".nojekyll", b"")?;
    if headers_file::taken(site, &prepared.links.assets).is_none() {
        let headers = headers_file::text(site.config.url_prefix(), theme.assets());
        out.write(headers_file::FILE, headers.as_bytes())?;
    }
    for r in &site.redirects {
        out.write(&paths::html_file(&r.from), render::redirect(theme, site, &r.from, &r.to)?.as_bytes())?;
    }
    for (name, bytes) in theme.statics() {
        out.write(&format!("static/{name}"), bytes)?;
    }
    out.write("static/nav.js", render::nav_asset::script(site).as_bytes())?;
    out.write(texts::SEARCH_INDEX, text_files.search_index.as_bytes())?;
    for asset in &prepared.links.assets {
        out.copy(&prepared.root.join(asset), asset)?;
    }
    Ok(text_files.spans)
}
