//! Links: resolves what a writer linked to (a page, an anchor, an asset) and checks
//! every link, image and block reference of the site.
//!
//! Gives `Target`s to the renderers and, from `check`, the broken-link warnings and the
//! set of assets the output needs.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::{Page, Site};
use crate::diag::Diagnostic;
use crate::markdown::{markup, Links, Target};
use crate::paths;

/// Whether `url` starts with a URL scheme (`https:`, `mailto:`, `slack:`…): a letter,
/// then letters, digits, `+`, `-` or `.`, then `:`. Such a link leaves the site.
fn has_scheme(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once(':') else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        // `page.md:12` names a file, not a scheme.
        && !scheme.ends_with(".md")
}

/// Whether GitBook wrote `url` in place of a link it could not resolve on export:
/// `broken-reference` (alone, as a last folder, or with a trailing `/`) or
/// `/broken/pages/…`, `/broken/spaces/…`, `/broken/files/…`.
fn gitbook_broken_marker(url: &str) -> bool {
    let path = url.split(['#', '?']).next().unwrap_or("").trim_end_matches('/');
    path == "broken-reference"
        || path.ends_with("/broken-reference")
        || ["pages", "spaces", "files"].iter().any(|kind| path.contains(&format!("broken/{kind}/")))
}

impl Links for Site {
    fn resolve(&self, from_file: &str, href: &str) -> Target {
        let href = href.trim();
        if let Some(anchor) = href.strip_prefix('#') {
            return Target::Anchor(anchor.to_string());
        }
        if !markup::safe_url(href, true) {
            return Target::Broken(format!("`{}` would run a script; the link is left out", one_line_prefix(href)));
        }
        let lower = href.to_ascii_lowercase();
        if has_scheme(&lower) || lower.starts_with("//") {
            return Target::External(href.to_string());
        }
        if href.is_empty() || gitbook_broken_marker(&lower) {
            return Target::Broken("GitBook marked this link as broken".into());
        }
        let (path, anchor) = match href.split_once('#') {
            Some((p, a)) => (p, Some(a.to_string()).filter(|a| !a.is_empty())),
            None => (href, None),
        };
        let path = path.split('?').next().unwrap_or("");
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let resolved = match paths::resolve(from_file, &decoded) {
            Some(resolved) => resolved,
            // A link with one `..` too many (as GitBook writes some) lands, in a
            // browser, on the root: so it does here, where that file is.
            None => {
                let at_root = paths::resolve_at_root(from_file, &decoded);
                if self.find_page(&at_root).is_none() && !self.assets.contains(&at_root) {
                    return Target::Broken(format!("`{href}` points outside the content folder"));
                }
                at_root
            }
        };
        if let Some(i) = self.find_page(&resolved) {
            return Target::Page { url: self.pages[i].url.clone(), anchor };
        }
        if self.assets.contains(&resolved) {
            return Target::Asset(resolved);
        }
        // A site-absolute clean URL (`/guides/setup`) written by hand.
        if href.starts_with('/') {
            if let Some(&i) = self.by_url.get(resolved.trim_end_matches(".md")) {
                return Target::Page { url: self.pages[i].url.clone(), anchor };
            }
        }
        if self.unlisted.contains(&resolved) {
            return Target::Broken(format!("`{resolved}` is not listed in SUMMARY, so it is not published"));
        }
        Target::Broken(format!("`{resolved}` does not exist"))
    }

    fn page_title(&self, url: &str) -> Option<&str> {
        self.page_by_url(url).map(|p| p.title.as_str())
    }

    fn spec(&self, from_file: &str, src: &str) -> Option<&serde_json::Value> {
        self.specs.get(&paths::resolve(from_file, src)?)
    }
}

/// The first characters of a URL, for messages.
fn one_line_prefix(href: &str) -> String {
    let short: String = href.chars().take(40).filter(|c| !c.is_control()).collect();
    if short.len() < href.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// What checking the links of a site found.
#[derive(Debug, Default)]
pub struct LinkReport {
    /// Broken links, anchors and images.
    pub warnings: Vec<Diagnostic>,
    /// Content paths of the assets pages use.
    pub assets: BTreeSet<String>,
    /// By page index, the pages it links to (links, images, HTML and block
    /// references), sorted: what a page may show of other pages' titles.
    pub targets: Vec<Vec<usize>>,
}

/// What checking one page found.
#[derive(Default)]
struct PageReport {
    warnings: Vec<Diagnostic>,
    assets: BTreeSet<String>,
    targets: BTreeSet<usize>,
}

/// Checks every reference of every page (pages in parallel).
pub fn check(site: &Site) -> LinkReport {
    let reports: Vec<PageReport> = site.pages.par_iter().map(|page| check_page(site, page)).collect();
    let mut report = LinkReport { targets: Vec::with_capacity(reports.len()), ..LinkReport::default() };
    for mut r in reports {
        report.warnings.append(&mut r.warnings);
        report.assets.append(&mut r.assets);
        report.targets.push(r.targets.into_iter().collect());
    }
    report
}

fn check_page(site: &Site, page: &Page) -> PageReport {
    let mut report = PageReport::default();
    for r in page.doc.references() {
        check_one(site, page, &r.file, &r.href, r.line, r.what, &mut report);
    }
    report
}

fn check_one(
    site: &Site,
    page: &super::Page,
    file: &str,
    href: &str,
    line: usize,
    what: &str,
    report: &mut PageReport,
) {
    match site.resolve(file, href) {
        Target::Broken(why) => report.warnings.push(Diagnostic::warning(file, line, format!("broken {what}: {why}"))),
        Target::Asset(path) => {
            report.assets.insert(path);
        }
        Target::Page { url, anchor } => {
            let Some(&i) = site.by_url.get(&url) else { return };
            report.targets.insert(i);
            let target = &site.pages[i];
            if let Some(anchor) = anchor.filter(|anchor| !has_anchor(target, anchor)) {
                report.warnings.push(Diagnostic::warning(
                    file,
                    line,
                    format!("broken anchor: `#{anchor}` is not a heading of `{}`", target.path),
                ));
            }
        }
        Target::Anchor(anchor) if !anchor.is_empty() && !has_anchor(page, &anchor) => {
            report.warnings.push(Diagnostic::warning(
                file,
                line,
                format!("broken anchor: `#{anchor}` is not a heading of this page"),
            ));
        }
        _ => {}
    }
}

/// Whether `#anchor` lands on `page`: as written, or percent-decoded as a browser
/// reads it (table-of-contents generators encode non-ASCII headings:
/// `#%C3%A9tape` is `#étape`).
fn has_anchor(page: &Page, anchor: &str) -> bool {
    page.anchors.contains(anchor)
        || (anchor.contains('%')
            && page.anchors.contains(percent_encoding::percent_decode_str(anchor).decode_utf8_lossy().as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_leave_the_site_and_file_names_do_not() {
        for url in ["https://a.b", "mailto:x@y.z", "slack://open", "docid:abc", "vscode:extension/x", "htpps://typo"] {
            assert!(has_scheme(url), "{url}");
        }
        for url in ["a/b.md", "../c.md#x", "page.md:12", "/abs/path", "1abc:x", "émoji:x", ""] {
            assert!(!has_scheme(url), "{url}");
        }
    }

    #[test]
    fn gitbook_broken_markers_are_recognised() {
        for url in [
            "broken-reference",
            "../x/broken-reference/",
            "/broken/pages/abc123",
            "https-less/broken/spaces/s1/x",
            "broken/files/f#a",
        ] {
            assert!(gitbook_broken_marker(url), "{url}");
        }
        for url in ["broken.md", "docs/broken-references.md", "/broken/other"] {
            assert!(!gitbook_broken_marker(url), "{url}");
        }
    }
}
