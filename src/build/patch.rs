//! Live patches (`serve --watch`). When an edit changed only the text of some pages
//! (no title, description, front matter, anchor or asset in use changed), no other
//! page shows anything different, and the served build is patched in place: those
//! pages' HTML and twins, their parts of the two files made from every page's text
//! (`llms-full.txt`, the offline search index), and their index documents. Each file
//! is replaced in one step, so a request sees a file's old or new bytes, never a mix.
//! An edit that other pages show (a title, a description, front matter, an anchor)
//! but that keeps the same pages and assets renders again the pages that show it
//! (`affected`), replaces the files whose bytes changed and indexes again only the
//! pages whose index documents changed ([`patch_all`]). Any other change (SUMMARY,
//! includes, assets, config, theme, a page added or removed) is a full rebuild.
//!
//! Takes the last build's `Snapshot` and a newly prepared site; gives the pages an
//! edit changed, then patches the output folder.

use std::collections::BTreeSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;

use super::page::{Output, Pages, Text};
use super::texts::{self, Spans, TextFiles, LLMS_FULL, SEARCH_INDEX};
use super::{affected, BuildReport, Prepared};
use crate::index;
use crate::paths;
use crate::render::Theme;
use crate::site::Site;
use crate::write::{replace, InPlace, Sink};

/// What a built site's pages looked like.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Folder the pages' content paths are relative to.
    root: PathBuf,
    /// A hash of what every page shows of the site (its title and description).
    pub(super) site: u64,
    /// Sorted by content path, like the site's pages.
    pub(super) pages: Vec<Shape>,
    /// Assets the pages use.
    assets: BTreeSet<String>,
    /// Where each page's text lies in the files made from all pages.
    pub(super) spans: Spans,
}

/// A page: its path, a hash of what other pages and the site-wide files show of it
/// (URL, title, description, front matter, anchors), the hash of its text, and the
/// key of its index documents (0 until they are written).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Shape {
    path: String,
    pub(super) outside: u64,
    /// A hash of what the navigation shows of it (sidebars, breadcrumbs, pagers): its
    /// label in SUMMARY, or its title.
    pub(super) label: u64,
    /// A hash of what pages linking to it show (cards, link texts): its title and
    /// description.
    pub(super) card: u64,
    /// A hash of its front matter's other settings.
    pub(super) front: u64,
    pub(super) text: u64,
    docs: u64,
}

/// The hash of `value`.
fn hash(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

impl Snapshot {
    /// The snapshot of a prepared site.
    pub fn of(prepared: &Prepared) -> Snapshot {
        let pages = prepared
            .site
            .pages
            .iter()
            .map(|p| {
                let mut anchors: Vec<&str> = p.anchors.iter().map(String::as_str).collect();
                anchors.sort_unstable();
                let label = hash(p.place.title.as_ref().unwrap_or(&p.title));
                let card = hash((&p.title, &p.description));
                // The front matter holds YAML values, which do not hash; their
                // printed form is the same for the same values.
                let f = &p.front;
                let front = hash(format!("{:?}", (f.hidden, &f.icon, &f.layout, &f.extra)));
                let outside = hash((&p.url, label, card, front, anchors, format!("{:?}", (&f.title, &f.description))));
                Shape { path: p.path.clone(), outside, label, card, front, text: p.doc.hash, docs: 0 }
            })
            .collect();
        let site = &prepared.site;
        Snapshot {
            root: prepared.root.clone(),
            site: hash((&site.title, &site.description)),
            pages,
            assets: prepared.links.assets.clone(),
            spans: Spans::default(),
        }
    }

    /// Whether the file at `path` (absolute) is one of the site's pages. The pages are
    /// in walk order (`a/` before `a-2.md`, pages listed in dot-folders last), not in
    /// the order of their paths, so they are searched through.
    pub fn is_page(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.root) else { return false };
        let rel = rel.to_string_lossy().replace('\\', "/");
        self.pages.iter().any(|p| p.path == rel)
    }

    /// The pages whose text changed from `self` to `next`, when that is all that
    /// changed; `None` when a patch of those pages alone cannot show the change.
    pub fn edited(&self, next: &Snapshot) -> Option<Vec<usize>> {
        let same = self.same_pages(next) && self.pages.iter().zip(&next.pages).all(|(a, b)| a.outside == b.outside);
        same.then(|| (0..next.pages.len()).filter(|&i| self.pages[i].text != next.pages[i].text).collect())
    }

    /// Whether `next` has the same pages, in the same folder, using the same assets:
    /// then [`patch_all`] can take in any edit to them.
    pub fn same_pages(&self, next: &Snapshot) -> bool {
        self.root == next.root
            && self.assets == next.assets
            && self.pages.len() == next.pages.len()
            && self.pages.iter().zip(&next.pages).all(|(a, b)| a.path == b.path)
    }

    /// Records the key of page `i`'s index documents.
    pub(super) fn set_docs(&mut self, i: usize, key: u64) {
        self.pages[i].docs = key;
    }
}

/// Patches the build in `out`, made from the site `last` describes, with the `edited`
/// pages of `prepared`, whose snapshot is `next` (`last.edited(&next)` found that it
/// differs only in those pages' text).
pub fn patch(
    last: &Snapshot,
    mut next: Snapshot,
    prepared: Prepared,
    edited: &[usize],
    out: &Path,
    start: Instant,
) -> Result<BuildReport> {
    let site = &prepared.site;
    let theme = Theme::new(&prepared.theme)?;
    let pages = Pages::new(site, &theme);
    let indexer = index::Writer::open(&out.join(index::INDEX_DIR))?;
    // Everything is rendered before the first file is replaced.
    let rendered = render(&pages, site, edited, indexer.fields(), last, &mut next)?;
    let (mut outputs, mut texts) = (Vec::new(), Vec::new());
    for (i, (output, text)) in rendered {
        next.set_docs(i, output.docs_key);
        outputs.push((i, output));
        texts.push((i, text));
    }
    let files = text_files(site, &pages, out, &last.spans, texts)?;
    for (i, output) in &outputs {
        let url = &site.pages[*i].url;
        replace(&out.join(paths::html_file(url)), output.html.as_bytes())?;
        replace(&out.join(paths::twin_file(url)), output.twin.as_bytes())?;
    }
    replace(&out.join(LLMS_FULL), files.llms_full.as_bytes())?;
    replace(&out.join(super::WELL_KNOWN).join(LLMS_FULL), files.llms_full.as_bytes())?;
    replace(&out.join(SEARCH_INDEX), files.search_index.as_bytes())?;
    // The edited pages' `lastmod`.
    replace(&out.join("sitemap.xml"), crate::agent::sitemap::xml(site).as_bytes())?;
    for (i, output) in outputs {
        indexer.remove_page(&site.pages[i].url);
        indexer.add(output.docs)?;
    }
    indexer.commit(&index::SiteMeta::of(site, theme.assets())).context("failed to update the search index")?;
    next.spans = files.spans;
    Ok(report(prepared, edited.len(), theme, next, start))
}

/// Patches the build in `out`, made from the site `last` describes, with the site
/// `prepared`, whose snapshot is `next` (`last.same_pages(&next)`): an edit other
/// pages may show (a title in the sidebars, a description, an anchor). The pages
/// that show it are rendered again (`affected`), all of them before the first file
/// is replaced; a file is replaced only when its bytes changed, and a page is indexed
/// again only when its documents did.
pub fn patch_all(
    last: &Snapshot,
    mut next: Snapshot,
    prepared: Prepared,
    out: &Path,
    start: Instant,
) -> Result<BuildReport> {
    let site = &prepared.site;
    let theme = Theme::new(&prepared.theme)?;
    let pages = Pages::new(site, &theme);
    let indexer = index::Writer::open(&out.join(index::INDEX_DIR))?;
    let shown = affected::pages(last, &next, site, pages.order(), &prepared.links.targets);
    let rendered = render(&pages, site, &shown, indexer.fields(), last, &mut next)?;
    let sink = InPlace::new(out);
    rendered.par_iter().try_for_each(|(i, (output, _))| {
        let url = &site.pages[*i].url;
        sink.write(&paths::html_file(url), output.html.as_bytes())?;
        sink.write(&paths::twin_file(url), output.twin.as_bytes())
    })?;
    let mut texts = Vec::with_capacity(rendered.len());
    let mut indexed = 0;
    for (i, (output, text)) in rendered {
        if output.docs_key != last.pages[i].docs {
            indexer.remove_page(&site.pages[i].url);
            indexer.add(output.docs)?;
            indexed += 1;
        }
        next.set_docs(i, output.docs_key);
        texts.push((i, text));
    }
    let files = text_files(site, &pages, out, &last.spans, texts)?;
    next.spans = super::site_files::write(&prepared, files, &theme, &sink)?;
    indexer.commit(&index::SiteMeta::of(site, theme.assets())).context("failed to update the search index")?;
    tracing::debug!(rendered = shown.len(), files = sink.replaced(), indexed, "rewrote the pages showing an edit");
    Ok(report(prepared, shown.len(), theme, next, start))
}

/// Renders the pages in `list` (in parallel); `next` takes the keys of every other
/// page's index documents from `last`, as those documents stay.
fn render(
    pages: &Pages<'_>,
    site: &Site,
    list: &[usize],
    fields: index::Fields,
    last: &Snapshot,
    next: &mut Snapshot,
) -> Result<Vec<(usize, (Output, Text))>> {
    for (shape, before) in next.pages.iter_mut().zip(&last.pages) {
        shape.docs = before.docs;
    }
    list.par_iter().map(|&i| Ok((i, pages.output(i, &site.pages[i].doc, fields)?))).collect()
}

/// `llms-full.txt` and the offline search index of `site` with the `edited` pages'
/// texts: spliced into the files in `out` (composed with `spans`), or composed anew
/// from every page when a splice cannot give the same bytes.
fn text_files(
    site: &Site,
    pages: &Pages<'_>,
    out: &Path,
    spans: &Spans,
    edited: Vec<(usize, Text)>,
) -> Result<TextFiles> {
    let files = (read(&out.join(LLMS_FULL))?, read(&out.join(SEARCH_INDEX))?);
    Ok(match texts::splice(site, pages.order(), (&files.0, &files.1), spans, edited) {
        Some(files) => files,
        None => {
            let all = site.pages.par_iter().map(|p| pages.text(&p.doc)).collect();
            texts::compose(site, pages.order(), all)
        }
    })
}

/// The report of a live patch of `pages` pages: the parses the next update may reuse
/// are kept.
fn report(mut prepared: Prepared, pages: usize, theme: Theme, next: Snapshot, start: Instant) -> BuildReport {
    let wanted = prepared.parses.wanted(prepared.site.pages.iter().map(|p| &p.doc));
    let docs = prepared.site.pages.iter_mut().zip(wanted).filter(|(_, keep)| *keep);
    prepared.parses.keep(docs.map(|(p, _)| std::mem::take(&mut p.doc)));
    BuildReport::of(prepared, pages, theme, next, start)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("failed to read `{}`", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_in_walk_order_are_found() {
        let shape = |path: &str| Shape { path: path.into(), outside: 0, label: 0, card: 0, front: 0, text: 0, docs: 0 };
        let pages = ["a/README.md", "a-2.md", "a.md", ".uncategorized/b.md"].map(shape).to_vec();
        let snapshot =
            Snapshot { root: PathBuf::from("/c"), site: 0, pages, assets: BTreeSet::new(), spans: Spans::default() };
        for page in ["a/README.md", "a-2.md", "a.md", ".uncategorized/b.md"] {
            assert!(snapshot.is_page(&Path::new("/c").join(page)), "{page}");
        }
        assert!(!snapshot.is_page(Path::new("/c/b.md")));
        assert!(!snapshot.is_page(Path::new("/elsewhere/a.md")));
    }
}
