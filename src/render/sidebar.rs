//! The sidebar of a page, as HTML: every group with its top-level entries, and the
//! entries on the path to the current page expanded (the rest of the tree comes from
//! `static/nav.js` when a reader expands it). Written here rather than in a template
//! because a recursive template macro took a fifth of the build's time; themes style
//! it with the classes below.
//!
//! Takes the site and a page; gives the markup that goes inside
//! `<nav id="sidebar">`.

use std::fmt::Write;

use crate::markdown::markup::{self, escape, escape_into};
use crate::paths;
use crate::site::{NavItem, Page, Site};

/// Renders the sidebars of one site. What every page's sidebar repeats (each entry's
/// escaped URL and path) is prepared once for the site.
pub struct Sidebar<'a> {
    site: &'a Site,
    /// By page index: the escaped clean URL (`data-url`) and the escaped, encoded
    /// path of the page's folder (empty for the root page).
    links: Vec<(String, String)>,
}

impl<'a> Sidebar<'a> {
    /// Prepares the entries of `site`.
    pub fn new(site: &'a Site) -> Self {
        let links = site.pages.iter().map(|p| (escape(&p.url), escape(&paths::encode_href(&p.url)))).collect();
        Sidebar { site, links }
    }

    /// The sidebar groups of page `index`: `<div class="nav-group">` with an optional
    /// `<p class="nav-group-title">` and a `<ul>` of `<li class="nav-item">` entries
    /// (`current`, `open` and `has-children` classes; entries with children carry
    /// `data-url` with the clean URL), each with a `<div class="nav-row">` holding the
    /// link (relative to the page, or a `nav-label` span) and, for entries with
    /// children, a `nav-expand` button.
    pub fn html(&self, index: usize) -> String {
        let page = &self.site.pages[index];
        let path = self.links[index].1.as_str();
        let depth = if path.is_empty() { 0 } else { path.split('/').count() };
        let up = Up { path, depth, page, index };
        let mut out = String::with_capacity(16 * 1024);
        for group in &self.site.nav.groups {
            out.push_str("<div class=\"nav-group\">\n");
            if let Some(title) = &group.title {
                let _ = writeln!(out, "<p class=\"nav-group-title\">{}</p>", escape(title));
            }
            self.items(&up, &group.items, &mut out);
            out.push_str("\n</div>\n");
        }
        out
    }

    fn items(&self, up: &Up<'_>, list: &[NavItem], out: &mut String) {
        let (page, index) = (up.page, up.index);
        out.push_str("<ul>");
        let shown = window(list, index);
        if shown.start > 0 {
            more(up, shown.start, out);
        }
        for item in &list[shown.clone()] {
            let current = item.page == Some(index);
            let open = current
                || item.page.is_some_and(|p| page.place.ancestors.contains(&p))
                || (item.page.is_none() && contains(item, index));
            let has_children = !item.children.is_empty();
            out.push_str("\n<li class=\"nav-item");
            for (on, class) in [(current, " current"), (open, " open"), (has_children, " has-children")] {
                if on {
                    out.push_str(class);
                }
            }
            out.push('"');
            if let Some(p) = item.page.filter(|_| has_children) {
                out.push_str(" data-url=\"");
                out.push_str(&self.links[p].0);
                out.push('"');
            }
            out.push_str("><div class=\"nav-row\">");
            match item.page {
                Some(p) => {
                    out.push_str("<a href=\"");
                    relative_link(up, &self.links[p].1, out);
                    out.push_str(if current { "\" aria-current=\"page\">" } else { "\">" });
                    escape_into(out, &item.title);
                    out.push_str("</a>");
                }
                None => match item.external.as_deref().filter(|u| markup::safe_url(u, false)) {
                    Some(url) => {
                        out.push_str("<a class=\"nav-external\" rel=\"noopener\" href=\"");
                        escape_into(out, url);
                        out.push_str("\">");
                        escape_into(out, &item.title);
                        out.push_str("</a>");
                    }
                    None => {
                        out.push_str("<span class=\"nav-label\">");
                        escape_into(out, &item.title);
                        out.push_str("</span>");
                    }
                },
            }
            if has_children {
                out.push_str("<button class=\"nav-expand\" type=\"button\" aria-expanded=\"");
                out.push_str(if open { "true" } else { "false" });
                out.push_str("\" aria-label=\"");
                escape_into(out, &item.title);
                out.push_str(": show or hide pages\"></button>");
            }
            out.push_str("</div>");
            if open && has_children {
                self.items(up, &item.children, out);
            }
            out.push_str("</li>");
        }
        if shown.end < list.len() {
            more(up, list.len() - shown.end, out);
        }
        out.push_str("\n</ul>");
    }
}

/// Longest list of entries a sidebar shows at one level. Past it, a page shows the
/// entries around its own branch and says how many more there are, so a page's size
/// does not grow with a flat SUMMARY (2,000 top-level entries would otherwise be
/// 2,000 links in every page).
const MAX_ENTRIES: usize = 50;

/// The entries of `list` shown on page `index`: all of a short list; of a long one,
/// `MAX_ENTRIES` around the entry on the page's path (from the start when none is).
fn window(list: &[NavItem], index: usize) -> std::ops::Range<usize> {
    if list.len() <= MAX_ENTRIES {
        return 0..list.len();
    }
    let at = list.iter().position(|item| item.page == Some(index) || contains(item, index)).unwrap_or(0);
    let start = at.saturating_sub(MAX_ENTRIES / 2).min(list.len() - MAX_ENTRIES);
    start..start + MAX_ENTRIES
}

/// The entry standing for `n` entries left out: a link to the full list of pages.
fn more(up: &Up<'_>, n: usize, out: &mut String) {
    out.push_str("\n<li class=\"nav-item nav-more\"><div class=\"nav-row\"><a href=\"");
    for _ in 0..up.depth {
        out.push_str("../");
    }
    let _ = write!(out, "sitemap.md\">… {n} more pages</a></div></li>");
}

/// The page a sidebar is for, with its folder's path and depth.
struct Up<'a> {
    path: &'a str,
    depth: usize,
    page: &'a Page,
    index: usize,
}

/// Pushes the link from the page's folder to the folder at `to`: up to the folders
/// both share, then down (`../guide/`, `../../`, `./` for the page itself), so
/// entries near the page, the most numerous, have short links.
fn relative_link(up: &Up<'_>, to: &str, out: &mut String) {
    let (mut shared, mut tail) = (0, 0);
    for (a, b) in up.path.split('/').zip(to.split('/')) {
        if a != b || a.is_empty() {
            break;
        }
        shared += 1;
        tail += b.len() + 1;
    }
    for _ in shared..up.depth {
        out.push_str("../");
    }
    match to.get(tail..).filter(|t| !t.is_empty()) {
        Some(rest) => {
            out.push_str(rest);
            out.push('/');
        }
        None if shared == up.depth => out.push_str("./"),
        None => {}
    }
}

fn contains(item: &NavItem, index: usize) -> bool {
    item.children.iter().any(|c| c.page == Some(index) || contains(c, index))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_flat_summary_of_2000_entries_shows_a_window_around_the_page() {
        let mut summary = String::from("# Summary\n\n* [Home](README.md)\n");
        let mut files = vec![("README.md".to_string(), "# Home\n".to_string())];
        for i in 0..2000 {
            summary.push_str(&format!("* [Page {i}](p{i}.md)\n"));
            files.push((format!("p{i}.md"), format!("# Page {i}\n")));
        }
        files.push(("SUMMARY.md".into(), summary));
        let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let (_dir, site) = crate::testing::site(&refs);
        let sidebar = super::Sidebar::new(&site);
        let middle = site.pages.iter().position(|p| p.url == "p1000").unwrap();
        let html = sidebar.html(middle);
        assert!(html.len() < 8 * 1024, "{} bytes", html.len());
        assert_eq!(html.matches("class=\"nav-item").count(), 52, "50 entries and two for the rest");
        assert!(html.contains("aria-current=\"page\">Page 1000</a>"), "the page's own entry is shown");
        assert!(html.contains("<a href=\"../sitemap.md\">… 976 more pages</a>"), "{html}");
        let home = sidebar.html(site.pages.iter().position(|p| p.url.is_empty()).unwrap());
        assert!(home.contains(">Home</a>") && home.contains("… 1951 more pages"), "{home}");
    }

    #[test]
    fn opens_the_path_to_the_current_page_only() {
        let (_dir, site) = crate::testing::site(&[
            ("SUMMARY.md", "# Summary\n\n* [Home](README.md)\n\n## Guides & more\n\n* [A](a/README.md)\n  * [A one](a/one.md)\n* [B & co](b/README.md)\n  * [B one](b/one.md)\n"),
            ("README.md", "# Home\n"),
            ("a/README.md", "# A\n"),
            ("a/one.md", "# A one\n"),
            ("b/README.md", "# B\n"),
            ("b/one.md", "# B one\n"),
        ]);
        let html = super::Sidebar::new(&site).html(site.index_of_url("a/one").unwrap());
        assert!(html.contains("<p class=\"nav-group-title\">Guides &amp; more</p>"), "{html}");
        assert!(html.contains("<li class=\"nav-item open has-children\" data-url=\"a\">"), "{html}");
        assert!(html.contains("<li class=\"nav-item current open\"><div class=\"nav-row\"><a href=\"./\" aria-current=\"page\">A one</a>"), "{html}");
        // Links go up only as far as the folders they share with the page.
        assert!(html.contains("<a href=\"../../\">Home</a>"), "{html}");
        assert!(html.contains("<a href=\"../\">A</a>"), "{html}");
        assert!(html.contains("<a href=\"../../b/\">B &amp; co</a>"), "{html}");
        let home = super::Sidebar::new(&site).html(site.index_of_url("").unwrap());
        assert!(home.contains("<a href=\"./\" aria-current=\"page\">Home</a>"), "{home}");
        assert!(home.contains("<a href=\"a/\">A</a>"), "{home}");
        assert!(
            html.contains("<li class=\"nav-item has-children\" data-url=\"b\">"),
            "the other branch stays closed: {html}"
        );
        assert!(
            html.contains(">B &amp; co</a><button class=\"nav-expand\" type=\"button\" aria-expanded=\"false\""),
            "{html}"
        );
        assert!(!html.contains("B one"), "a closed branch's entries come from nav.js: {html}");
        assert_eq!(html.matches("<ul>").count(), html.matches("</ul>").count());
    }
}
