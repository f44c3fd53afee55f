//! The site: every parsed page with its URL, title and place in the navigation, the
//! redirects and the OpenAPI specs; resolves links between them (`links`).
//!
//! Takes the loaded `Project` and the parsed `Doc`s; gives a `Site`, or the content
//! errors (missing SUMMARY entries, two files with one URL).

pub mod links;
pub mod nav;
mod spaces;
mod specs;
mod summary;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::load::{FrontMatter, Project};
use crate::markdown::Doc;
use crate::paths;
pub use nav::{Nav, NavItem, Place};

/// A page of the site.
#[derive(Debug)]
pub struct Page {
    /// Content path.
    pub path: String,
    /// Clean URL (`a/b`, `""` for home).
    pub url: String,
    /// Page title.
    pub title: String,
    /// Front-matter description.
    pub description: Option<String>,
    /// The front matter.
    pub front: FrontMatter,
    /// The parsed body.
    pub doc: Doc,
    /// Heading ids, for anchor checks.
    pub anchors: HashSet<String>,
    /// Where it sits in the navigation.
    pub place: Place,
    /// When its file was last modified (`lastmod` in `sitemap.xml`).
    pub modified: Option<std::time::SystemTime>,
}

/// A redirect from an old path to a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Redirect {
    /// Old clean path (`introduction/quick-start`).
    pub from: String,
    /// Clean URL of the page it now lives at.
    pub to: String,
}

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    /// Settings.
    pub config: Config,
    /// Site title.
    pub title: String,
    /// Site summary (root page description).
    pub description: Option<String>,
    /// Pages, sorted by content path.
    pub pages: Vec<Page>,
    /// The navigation tree (page indexes into `pages`).
    pub nav: Nav,
    /// Redirect pages to write.
    pub redirects: Vec<Redirect>,
    by_path: HashMap<String, usize>,
    by_url: HashMap<String, usize>,
    assets: BTreeSet<String>,
    specs: BTreeMap<String, serde_json::Value>,
    readme: String,
    /// Content paths of the Markdown files SUMMARY does not list (not published).
    unlisted: BTreeSet<String>,
}

/// The URL whose twin file is the home page's (`index.md`).
const HOME_TWIN_STEM: &str = "index";

impl Site {
    /// Assembles the site. Errors and warnings found on the way are returned with it;
    /// the caller fails on errors.
    pub fn new(project: Project, docs: Vec<Doc>) -> (Site, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let readme = project.gitbook.structure.readme.clone();
        let mut by_url: HashMap<String, usize> = HashMap::new();
        let mut pages: Vec<Page> = Vec::with_capacity(docs.len());
        // Pages with neither a front-matter title nor a heading of their own.
        let mut untitled = Vec::new();
        // What links may point at on each page, found for all pages at once.
        let anchors: Vec<HashSet<String>> = docs.par_iter().map(anchors).collect();
        // The home page's twin is `/index.md`, which a root `index.md` (or
        // `index/README.md`) would also claim: that page gives way, as if its URL
        // were taken, and the home page keeps its twin whatever the walk order.
        let home = project.pages.iter().find(|p| p.path == readme).map(|p| p.path.clone());
        let taken = |url: &str, by_url: &HashMap<String, usize>| {
            by_url.contains_key(url) || (url == HOME_TWIN_STEM && home.is_some())
        };
        for ((source, doc), anchors) in project.pages.into_iter().zip(docs).zip(anchors) {
            let mut url = paths::page_url(&source.path, &readme);
            if !url.is_empty() && taken(&url, &by_url) {
                // GitBook publishes both (`a.md` and `a/README.md`), the second under
                // a numbered slug.
                let free = (2..).map(|n| format!("{url}-{n}")).find(|u| !taken(u, &by_url)).unwrap_or_default();
                let message = match by_url.get(&url) {
                    Some(&other) => format!(
                        "maps to the same URL `/{url}` as `{}`: published at `/{free}` (rename one of them to choose)",
                        pages[other].path
                    ),
                    None => format!(
                        "its Markdown twin `/{url}.md` is the home page's (`{}`): published at `/{free}` (rename it to choose)",
                        home.as_deref().unwrap_or_default()
                    ),
                };
                diags.push(Diagnostic::warning(&source.path, 0, message));
                url = free;
            }
            by_url.insert(url.clone(), pages.len());
            // GitBook titles a page by its heading; a front-matter `title` (which
            // GitBook does not read) only names a page that has none.
            let title = doc.title.clone().or_else(|| source.front.title.clone()).unwrap_or_else(|| {
                untitled.push(pages.len());
                nav::title_from_path(&source.path, &readme)
            });
            pages.push(Page {
                modified: source.modified,
                path: source.path,
                url,
                title,
                description: source.front.description.clone(),
                front: source.front,
                doc,
                anchors,
                place: Place::default(),
            });
        }
        let by_path = summary::paths_of(&pages);
        if let Some(summary) = &project.summary {
            summary::titles(&mut pages, &untitled, summary, &|p| summary::lookup(&by_path, &readme, p));
        }
        let nav = match &project.summary {
            Some(summary) => {
                let exists = |p: &str| summary::lookup(&by_path, &readme, p).is_some();
                summary::check(summary, &project.summary_path, &exists, &mut diags);
                Nav::from_summary(summary, &|p| summary::lookup(&by_path, &readme, p))
            }
            None => {
                let list: Vec<(String, String)> =
                    pages.iter().filter(|p| !p.front.hidden).map(|p| (p.path.clone(), p.title.clone())).collect();
                let index: Vec<usize> =
                    pages.iter().enumerate().filter(|(_, p)| !p.front.hidden).map(|(i, _)| i).collect();
                let spaces = spaces::Spaces::read(&project.markdown);
                let by_list = summary::paths_index(list.iter().map(|(path, _)| path.as_str()));
                let page_of = |path: &str| summary::lookup(&by_list, &readme, path);
                let arrange = |folder: &str, index, items| spaces.arrange(folder, index, items, &page_of);
                remap(Nav::from_tree(&list, &readme, &arrange), &index)
            }
        };
        let count = pages.len();
        for (page, place) in pages.iter_mut().zip(nav.places(count)) {
            page.place = place;
        }
        let specs = specs::parse(&pages, &project.specs, &mut diags);
        let title = project
            .config
            .title
            .clone()
            .or_else(|| by_url.get("").map(|&i| pages[i].title.clone()))
            .unwrap_or_else(|| "Documentation".into());
        let description =
            project.config.description.clone().or_else(|| by_url.get("").and_then(|&i| pages[i].description.clone()));
        let mut site = Site {
            config: project.config,
            title,
            description,
            pages,
            nav,
            redirects: vec![],
            by_path,
            by_url,
            assets: project.assets,
            specs,
            readme,
            unlisted: project.unlisted.iter().map(|d| d.file.clone()).collect(),
        };
        site.redirects =
            site.resolve_redirects(&project.gitbook.redirects, project.gitbook_yaml.as_deref(), &mut diags);
        site.redirects.extend(site.home_redirect());
        (site, diags)
    }

    /// The page at clean URL `url`.
    pub fn page_by_url(&self, url: &str) -> Option<&Page> {
        self.by_url.get(url).map(|&i| &self.pages[i])
    }

    /// Index of the page at clean URL `url`.
    pub fn index_of_url(&self, url: &str) -> Option<usize> {
        self.by_url.get(url).copied()
    }

    /// Page indexes in reading order (navigation order).
    pub fn reading_order(&self) -> Vec<usize> {
        self.nav.reading_order()
    }

    /// The redirects of `.gitbook.yaml` (whose text is `yaml`) that lead to a page; a
    /// warning, at the line of the entry, for each of the others.
    fn resolve_redirects(
        &self,
        map: &BTreeMap<String, String>,
        yaml: Option<&str>,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<Redirect> {
        let mut out = Vec::new();
        for (from, to) in map {
            let Some(from) = paths::normalize(from.trim_end_matches(".md")) else {
                continue;
            };
            let line = || yaml.and_then(|text| crate::load::gitbook_yaml::redirect_line(text, &from)).unwrap_or(0);
            let page = paths::normalize(to).and_then(|to| self.find_page(&to));
            match page {
                Some(_) if self.by_url.contains_key(&from) => {
                    diags.push(Diagnostic::warning(
                        ".gitbook.yaml",
                        line(),
                        format!("redirect `{from}` is also a page; the page wins"),
                    ));
                }
                Some(i) => out.push(Redirect { from, to: self.pages[i].url.clone() }),
                None => diags.push(Diagnostic::warning(
                    ".gitbook.yaml",
                    line(),
                    format!("redirect `{from}` points to `{to}`, which is not a page"),
                )),
            }
        }
        out
    }

    /// Without a root `README`, the site root leads to the first page in reading
    /// order (as GitBook and mdBook make it the landing page), so that links to the
    /// root, such as the site title in the header, do not break.
    fn home_redirect(&self) -> Option<Redirect> {
        if self.by_url.contains_key("") || self.redirects.iter().any(|r| r.from.is_empty()) {
            return None;
        }
        let first = self.reading_order().first().copied().or((!self.pages.is_empty()).then_some(0))?;
        Some(Redirect { from: String::new(), to: self.pages[first].url.clone() })
    }

    /// Finds a page by content path, trying `.md` and folder `README`.
    fn find_page(&self, path: &str) -> Option<usize> {
        summary::lookup(&self.by_path, &self.readme, path)
    }
}

/// What `#…` may point at on a page: its headings (with the anchors GitBook gives
/// them; the title's land at the top), its API operations, its footnotes, and ids
/// written in its raw HTML.
fn anchors(doc: &Doc) -> HashSet<String> {
    let mut out: HashSet<String> =
        doc.headings.iter().flat_map(|h| std::iter::once(&h.id).chain(&h.aliases)).cloned().collect();
    out.extend(doc.title_anchors.iter().cloned());
    crate::markdown::for_each_block(&doc.nodes, &mut |block| {
        if let crate::markdown::BlockKind::Api(api) = &block.kind {
            out.extend(crate::markdown::openapi::anchor(&api.op));
        }
    });
    crate::markdown::for_each_chunk(&doc.nodes, &mut |chunk| {
        for (event, _) in chunk.events() {
            match event {
                pulldown_cmark::Event::Html(html) | pulldown_cmark::Event::InlineHtml(html) => {
                    out.extend(crate::markdown::html_scan::ids(&html));
                }
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::FootnoteDefinition(label)) => {
                    out.insert(format!("{}{label}", crate::markdown::FOOTNOTE_ANCHOR));
                    out.insert(label.to_string());
                }
                _ => {}
            }
        }
    });
    out
}

fn remap(mut nav: Nav, index: &[usize]) -> Nav {
    fn fix(items: &mut [NavItem], index: &[usize]) {
        for item in items {
            item.page = item.page.map(|p| index[p]);
            fix(&mut item.children, index);
        }
    }
    for g in &mut nav.groups {
        fix(&mut g.items, index);
    }
    nav
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;

    /// Loads and parses a content folder made of `files`.
    fn assemble(files: &[(&str, &str)]) -> (Site, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let project = crate::load::load(dir.path(), None).unwrap();
        let docs = project.pages.iter().map(|s| crate::markdown::parse(s, &project.markdown).0).collect();
        Site::new(project, docs)
    }

    #[test]
    fn two_files_with_one_url_are_both_published() {
        let (_, diags) = assemble(&[
            ("SUMMARY.md", "* [A](a.md)\n* [A too](a/README.md)\n"),
            ("a.md", "# A\n"),
            ("a/README.md", "# A too\n"),
        ]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].message.contains("maps to the same URL `/a`"));
        assert_eq!(diags[0].severity, Severity::Warning);
        let (site, _) = assemble(&[
            ("SUMMARY.md", "* [A](a.md)\n* [A too](a/README.md)\n* [A2](a-2.md)\n"),
            ("a.md", "# A\n"),
            ("a/README.md", "# A too\n"),
            ("a-2.md", "# A2\n"),
        ]);
        // In walk order: the folder `a/` before `a-2.md` before `a.md`.
        let urls: Vec<(&str, &str)> = site.pages.iter().map(|p| (p.path.as_str(), p.url.as_str())).collect();
        assert_eq!(urls, [("a/README.md", "a"), ("a-2.md", "a-2"), ("a.md", "a-3")]);
    }

    #[test]
    fn without_a_root_readme_the_root_redirects_to_the_first_page() {
        let (site, _) = assemble(&[("SUMMARY.md", "* [B](b.md)\n* [A](a.md)\n"), ("a.md", "# A\n"), ("b.md", "# B\n")]);
        let home = Redirect { from: String::new(), to: "b".into() };
        assert_eq!(site.redirects, vec![home]);
        let (with_readme, _) = assemble(&[("README.md", "# Home\n"), ("a.md", "# A\n")]);
        assert!(with_readme.redirects.is_empty());
    }
}
