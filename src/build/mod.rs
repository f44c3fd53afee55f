//! The build pipeline: load → parse (parallel) → site → render, twins and index
//! (parallel, one parse per page shared by all three) → write → swap in.
//!
//! Takes `BuildOptions`; gives a `BuildReport` or the content errors. `check` runs the
//! same stages without writing.

mod affected;
mod headers_file;
mod page;
pub mod parses;
pub mod patch;
mod reserved;
mod site_files;
mod texts;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::config::Flaws;
use crate::diag::{ContentErrors, Diagnostic, Severity};
use crate::index;
use crate::load::{self, Project};
use crate::markdown;
use crate::paths;
use crate::render::Theme;
use crate::site::{links, Site};
use crate::write::Staging;
use page::Pages;
pub use parses::Parses;
pub use patch::Snapshot;

/// The folder of well-known URIs: copies of `llms.txt` and `llms-full.txt` there let
/// agents find them at `/.well-known/llms.txt`.
pub const WELL_KNOWN: &str = ".well-known";

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Content folder.
    pub content: PathBuf,
    /// Output folder.
    pub out: PathBuf,
    /// Public URL, overriding `docask.toml`.
    pub base_url: Option<String>,
    /// Warnings fail the build.
    pub strict: bool,
    /// No progress output.
    pub quiet: bool,
    /// Built by `docask serve`, which answers `?ask=` and `/mcp` for it.
    pub served: bool,
}

/// What a build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Pages written.
    pub pages: usize,
    /// Warnings (broken links, missing images).
    pub warnings: Vec<Diagnostic>,
    /// Markdown files SUMMARY does not list (not published).
    pub unlisted: Vec<Diagnostic>,
    /// Wall time.
    pub elapsed: Duration,
    /// The theme the site was rendered with (overrides applied), for the server's
    /// own pages (the ask page).
    pub theme: Theme,
    /// The shape of the site built, for telling a later text edit from a site change.
    pub snapshot: Snapshot,
    /// The pages' parses, kept for the next live update (none unless the site was
    /// prepared with `Parses` that keep them).
    pub parses: Parses,
}

impl BuildReport {
    /// The report of `pages` pages of `prepared` written with `theme`, whose build began
    /// at `start`: its warnings, its unlisted files and the parses it keeps.
    fn of(prepared: Prepared, pages: usize, theme: Theme, snapshot: Snapshot, start: Instant) -> Self {
        BuildReport {
            pages,
            warnings: prepared.links.warnings,
            unlisted: prepared.unlisted,
            elapsed: start.elapsed(),
            theme,
            snapshot,
            parses: prepared.parses,
        }
    }

    /// The one-line summary printed after a build.
    pub fn summary(&self, out: &std::path::Path) -> String {
        format!(
            "built {} pages into `{}` with {} warning(s) in {} ms",
            self.pages,
            out.display(),
            self.warnings.len(),
            self.elapsed.as_millis()
        )
    }
}

/// A site ready to write, with what checking it found.
pub struct Prepared {
    /// The site.
    pub site: Site,
    /// Every warning (flawed blocks, broken links…) and the assets in use.
    pub links: links::LinkReport,
    /// What only `check` reports: Markdown files that SUMMARY does not list.
    pub unlisted: Vec<Diagnostic>,
    /// Theme overrides from the content folder.
    pub theme: std::collections::BTreeMap<String, Vec<u8>>,
    /// Folder the content files live in.
    pub root: PathBuf,
    /// The parses to reuse next time, which take the pages' docs back once written.
    pub parses: Parses,
}

/// Loads, parses and checks the content. Fails only on what makes a site impossible
/// (two files with one URL, unreadable content); every flaw GitBook would publish
/// anyway is a warning in the result.
pub fn prepare(
    content: &std::path::Path,
    exclude: Option<&std::path::Path>,
    base_url: Option<&str>,
) -> Result<Prepared> {
    prepare_with(content, exclude, base_url, Parses::off())
}

/// `prepare`, reusing the unchanged pages' parses that `parses` kept (a live update).
fn prepare_with(
    content: &std::path::Path,
    exclude: Option<&std::path::Path>,
    base_url: Option<&str>,
    mut parses: Parses,
) -> Result<Prepared> {
    let start = Instant::now();
    let mut project: Project = load::load(content, exclude)?;
    let loaded = start.elapsed();
    project.config = project.config.clone().with_base_url(base_url);
    let parsed: Vec<(markdown::Doc, Vec<Diagnostic>)> = parses.parse(&mut project);
    let parsed_at = start.elapsed();
    let mut warnings = std::mem::take(&mut project.warnings);
    let mut docs = Vec::with_capacity(parsed.len());
    for (doc, mut found) in parsed {
        docs.push(doc);
        warnings.append(&mut found);
    }
    // Flaws are warnings where GitBook would publish anyway; a plain folder of
    // Markdown has no GitBook to mirror, and its flaws fail the build unless the
    // writer asks otherwise.
    let flaws =
        project.config.build.flaws.unwrap_or(if project.gitbook_repository { Flaws::Warn } else { Flaws::Error });
    if flaws == Flaws::Error && !warnings.is_empty() {
        warnings.sort();
        for w in &mut warnings {
            w.severity = Severity::Error;
        }
        return Err(ContentErrors(warnings).into());
    }
    let unlisted = project.unlisted.clone();
    let theme = std::mem::take(&mut project.theme);
    let root = project.root.clone();
    // Kept for the lines of messages about redirects, after the site took the project.
    let gitbook_yaml = project.gitbook_yaml.clone();
    let (site, diags) = Site::new(project, docs);
    let assembled = start.elapsed();
    let (mut errors, site_warnings): (Vec<_>, Vec<_>) = diags.into_iter().partition(|d| d.severity == Severity::Error);
    if !errors.is_empty() {
        errors.sort();
        return Err(ContentErrors(errors).into());
    }
    if site.pages.is_empty() {
        anyhow::bail!(
            "`{}` has no page to publish: add a README.md (the home page), or Markdown files listed in a SUMMARY.md",
            content.display()
        );
    }
    let mut site = site;
    let mut links = links::check(&site);
    links.warnings.extend(warnings);
    links.warnings.extend(site_warnings);
    links.warnings.extend(reserved::drop_collisions(&mut site.redirects, &links.assets, gitbook_yaml.as_deref()));
    links.warnings.extend(headers_file::taken(&site, &links.assets));
    links.warnings.sort();
    links.warnings.dedup();
    // How long each step took, for `RUST_LOG=debug` (a slow live update says where).
    let ms = |d: Duration| d.as_millis() as u64;
    tracing::debug!(
        loaded_ms = ms(loaded),
        parsed_ms = ms(parsed_at),
        assembled_ms = ms(assembled),
        checked_ms = ms(start.elapsed()),
        "prepare steps (ms since preparing began)"
    );
    Ok(Prepared { site, links, unlisted, theme, root, parses })
}

/// Builds the site into `opts.out`.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    build_into(opts, &opts.out)
}

/// Builds the site into `target` instead of `opts.out`, still leaving `opts.out` out
/// of the content (`serve --watch` builds each version into a folder of its own).
pub fn build_into(opts: &BuildOptions, target: &std::path::Path) -> Result<BuildReport> {
    let start = Instant::now();
    let prepared = prepare_for(opts, Parses::off())?;
    write(opts, prepared, target, target, start)
}

/// Builds the site into `opts.out`, keeping its pages' parses (up to `budget` bytes)
/// in the report for the next live update.
pub fn build_keeping(opts: &BuildOptions, budget: usize) -> Result<BuildReport> {
    let start = Instant::now();
    let prepared = prepare_for(opts, Parses::new(budget))?;
    write(opts, prepared, &opts.out, &opts.out, start)
}

/// Prepares the site `opts` describe (see `prepare`), knowing whether it is served,
/// reusing the parses `parses` kept of pages that did not change.
pub fn prepare_for(opts: &BuildOptions, parses: Parses) -> Result<Prepared> {
    let mut prepared = prepare_with(&opts.content, Some(&opts.out), opts.base_url.as_deref(), parses)?;
    prepared.site.config.served = opts.served;
    Ok(prepared)
}

/// Writes a prepared site into `target` (swapped in when complete), taking what it can
/// reuse (the vectors of unchanged sections) from the site built in `previous` (often
/// `target` itself); `start` is when the build began, for the report.
pub fn write(
    opts: &BuildOptions,
    mut prepared: Prepared,
    target: &std::path::Path,
    previous: &std::path::Path,
    start: Instant,
) -> Result<BuildReport> {
    let mut snapshot = Snapshot::of(&prepared);
    // Each page's parse is dropped as soon as the page is written.
    let docs: Vec<markdown::Doc> = prepared.site.pages.iter_mut().map(|p| std::mem::take(&mut p.doc)).collect();
    if opts.strict && !prepared.links.warnings.is_empty() {
        let mut list = prepared.links.warnings.clone();
        for d in &mut list {
            d.severity = Severity::Error;
        }
        return Err(ContentErrors(list).into());
    }
    let theme = Theme::new(&prepared.theme)?;
    let staging = Staging::new(target, &opts.content)?;
    let wanted = prepared.parses.wanted(&docs);
    let (spans, kept, keys) = write_site(&prepared, (docs, wanted), &theme, &staging, (previous, opts.quiet))?;
    snapshot.spans = spans;
    for (i, key) in keys.into_iter().enumerate() {
        snapshot.set_docs(i, key);
    }
    staging.commit()?;
    prepared.parses.keep(kept);
    let pages = prepared.site.pages.len();
    Ok(BuildReport::of(prepared, pages, theme, snapshot, start))
}

fn progress(len: usize, quiet: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        Some(len as u64),
        if quiet { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() },
    );
    if let Ok(style) = ProgressStyle::with_template("{spinner} building {pos}/{len} pages {wide_bar} {elapsed}") {
        bar.set_style(style);
    }
    bar
}

/// What writing a page leaves for the rest of the build.
struct Written {
    text: page::Text,
    /// Its parse, when the next live update is to reuse it.
    kept: Option<markdown::Doc>,
    /// The key of its index documents.
    docs_key: u64,
}

/// Renders and writes every output file into `staging` (the index taking the vectors
/// of unchanged sections from the site in `previous`); gives where each page's text
/// lies in the files made from all of them, the docs `wanted` asks to keep (each
/// other page's parse is dropped as soon as the page is written) and each page's
/// index key.
fn write_site(
    prepared: &Prepared,
    (docs, wanted): (Vec<markdown::Doc>, Vec<bool>),
    theme: &Theme,
    staging: &Staging,
    (previous, quiet): (&std::path::Path, bool),
) -> Result<(texts::Spans, Vec<markdown::Doc>, Vec<u64>)> {
    let site = &prepared.site;
    let pages = Pages::new(site, theme);
    let bar = progress(site.pages.len(), quiet);
    let page_dirs = site.pages.iter().map(|p| p.url.as_str()).chain(site.redirects.iter().map(|r| r.from.as_str()));
    staging.make_dirs(page_dirs.chain(["static"]))?;
    let indexer = index::Writer::create(&staging.path().join(index::INDEX_DIR), &previous.join(index::INDEX_DIR))?;
    let fields = indexer.fields();
    let written: Vec<Written> = docs
        .into_par_iter()
        .zip(wanted)
        .enumerate()
        .map(|(i, (doc, keep))| -> Result<Written> {
            let url = &site.pages[i].url;
            let (out, text) = pages.output(i, &doc, fields)?;
            staging.write(&paths::html_file(url), out.html.as_bytes())?;
            staging.write(&paths::twin_file(url), out.twin.as_bytes())?;
            indexer.add(out.docs)?;
            bar.inc(1);
            Ok(Written { text, kept: keep.then_some(doc), docs_key: out.docs_key })
        })
        .collect::<Result<_>>()?;
    bar.finish_and_clear();
    let mut page_texts = Vec::with_capacity(written.len());
    let (mut kept, mut keys) = (Vec::new(), Vec::with_capacity(written.len()));
    for w in written {
        page_texts.push(w.text);
        kept.extend(w.kept);
        keys.push(w.docs_key);
    }
    // The index is committed while the site-wide files are written.
    let meta = index::SiteMeta::of(site, theme.assets());
    let (committed, written) = rayon::join(
        || indexer.commit(&meta).context("failed to write the search index"),
        || site_files::write(prepared, texts::compose(site, pages.order(), page_texts), theme, staging),
    );
    committed?;
    Ok((written?, kept, keys))
}
