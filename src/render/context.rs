//! Template contexts: the typed, borrowed views the templates see. Each page's context
//! holds only its own branch of the navigation, so its size does not grow with the
//! site.

use serde::Serialize;

use crate::markdown::Heading;
use crate::paths;
use crate::site::{Page, Site};

/// Site-wide values.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// Site title.
    pub title: &'a str,
    /// Site description.
    pub description: Option<&'a str>,
    /// `<html lang>`.
    pub lang: &'a str,
}

/// A link with a title (breadcrumbs, previous/next).
#[derive(Debug, Serialize)]
pub struct LinkView<'a> {
    /// Text.
    pub title: &'a str,
    /// Relative link, if any.
    pub href: Option<String>,
}

/// An entry of the in-page table of contents.
#[derive(Debug, Serialize)]
pub struct TocView<'a> {
    /// Heading level (2 or 3).
    pub level: u8,
    /// Heading text.
    pub title: &'a str,
    /// Anchor id.
    pub id: &'a str,
}

/// Everything `page.html` sees.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    /// Site values.
    pub site: SiteView<'a>,
    /// `../` prefix to the site root.
    pub root: String,
    /// Page title.
    pub title: &'a str,
    /// Page description.
    pub description: Option<&'a str>,
    /// Relative link to the Markdown twin.
    pub twin_href: String,
    /// Clean URL of the page.
    pub url: &'a str,
    /// The page's public URL when the site has a `base_url` (canonical link, `og:url`).
    pub canonical: Option<String>,
    /// Sidebar HTML: every group's top-level entries, the current branch open.
    pub sidebar: String,
    /// Group › ancestors › page.
    pub breadcrumbs: Vec<LinkView<'a>>,
    /// Headings for the in-page table of contents.
    pub toc: Vec<TocView<'a>>,
    /// Previous page in reading order.
    pub prev: Option<LinkView<'a>>,
    /// Next page in reading order.
    pub next: Option<LinkView<'a>>,
    /// The rendered body.
    pub body: &'a str,
}

/// The public URL of the page at clean URL `url` under `base` (with the trailing `/`
/// the server redirects to).
pub fn public_url(base: &str, url: &str) -> String {
    if url.is_empty() {
        format!("{base}/")
    } else {
        format!("{base}/{}/", paths::encode_href(url))
    }
}

/// Relative href from the page at `from` to the page at `to`, by way of the site root.
pub fn page_href(from: &str, to: &str) -> String {
    let prefix = paths::root_prefix(from);
    match (to.is_empty(), prefix.is_empty()) {
        (true, true) => "./".into(),
        (true, false) => prefix.to_string(),
        (false, _) => format!("{prefix}{}/", paths::encode_href(to)),
    }
}

/// A page's rendered body and the headings of its table of contents.
#[derive(Debug, Clone, Copy)]
pub struct Body<'a> {
    /// The body HTML.
    pub html: &'a str,
    /// The page's headings.
    pub headings: &'a [Heading],
}

/// Builds the view of page `index`.
pub fn page_view<'a>(
    site: &'a Site,
    index: usize,
    order: &[usize],
    position: &[Option<usize>],
    body: Body<'a>,
    sidebar: String,
) -> PageView<'a> {
    let page = &site.pages[index];
    let link = |i: usize| LinkView {
        title: site.pages[i].place.title.as_deref().unwrap_or(&site.pages[i].title),
        href: Some(page_href(&page.url, &site.pages[i].url)),
    };
    let (prev, next) = match position[index] {
        Some(p) => (p.checked_sub(1).map(|q| link(order[q])), order.get(p + 1).map(|&q| link(q))),
        None => (None, None),
    };
    PageView {
        site: SiteView { title: &site.title, description: site.description.as_deref(), lang: site.config.lang() },
        root: paths::root_prefix(&page.url),
        title: &page.title,
        description: page.description.as_deref(),
        twin_href: twin_href(&page.url),
        url: &page.url,
        canonical: site.config.base_url.as_deref().map(|base| public_url(base, &page.url)),
        sidebar,
        breadcrumbs: breadcrumbs(site, page),
        toc: body
            .headings
            .iter()
            .filter(|h| h.level == 2 || h.level == 3)
            .map(|h| TocView { level: h.level, title: &h.text, id: &h.id })
            .collect(),
        prev,
        next,
        body: body.html,
    }
}

/// Relative link from a page's HTML to its own twin.
pub fn twin_href(url: &str) -> String {
    match url.rsplit_once('/') {
        Some((_, last)) => format!("../{}.md", paths::encode_href(last)),
        None if url.is_empty() => "index.md".into(),
        None => format!("../{}.md", paths::encode_href(url)),
    }
}

fn breadcrumbs<'a>(site: &'a Site, page: &'a Page) -> Vec<LinkView<'a>> {
    let mut crumbs = Vec::new();
    if let Some(group) = &page.place.group {
        crumbs.push(LinkView { title: group, href: None });
    }
    for &a in &page.place.ancestors {
        crumbs.push(LinkView {
            title: site.pages[a].place.title.as_deref().unwrap_or(&site.pages[a].title),
            href: Some(page_href(&page.url, &site.pages[a].url)),
        });
    }
    crumbs.push(LinkView { title: page.place.title.as_deref().unwrap_or(&page.title), href: None });
    crumbs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_are_relative() {
        assert_eq!(page_href("a/b", "c"), "../../c/");
        assert_eq!(page_href("", "c"), "c/");
        assert_eq!(page_href("a", ""), "../");
        assert_eq!(page_href("", ""), "./");
        assert_eq!(twin_href("a/b"), "../b.md");
        assert_eq!(twin_href("a"), "../a.md");
        assert_eq!(twin_href(""), "index.md");
    }
}
