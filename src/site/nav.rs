//! Navigation: the tree of the sidebar, from `SUMMARY.md` or, without one, from the
//! folder tree (sorted), plus each page's place in it (parent, order, breadcrumbs).
//!
//! Takes the summary (or the page paths) and a lookup from content path to page index;
//! gives `Nav`.

use std::collections::BTreeMap;

use crate::load::summary::{Entry, Summary};
use crate::paths;

/// The navigation tree.
#[derive(Debug, Clone, Default)]
pub struct Nav {
    /// Groups in order.
    pub groups: Vec<NavGroup>,
}

/// A titled group of the sidebar.
#[derive(Debug, Clone, Default)]
pub struct NavGroup {
    /// `None` for the untitled first group.
    pub title: Option<String>,
    /// Top-level items.
    pub items: Vec<NavItem>,
}

/// One sidebar entry.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Label in the sidebar.
    pub title: String,
    /// Index of its page, `None` for a label without a page.
    pub page: Option<usize>,
    /// Another site it links to (`https://…` in SUMMARY), when it is no page.
    pub external: Option<String>,
    /// Nested entries.
    pub children: Vec<NavItem>,
}

/// Reorders the items of one folder of the tree: given the folder's path, the index
/// of its readme (the folder's own page) and its items in folder order.
pub type Arrange<'a> = dyn Fn(&str, Option<usize>, Vec<NavItem>) -> Vec<NavItem> + 'a;

/// Where a page sits in the navigation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    /// Sidebar label.
    pub title: Option<String>,
    /// Group title.
    pub group: Option<String>,
    /// Ancestor pages, outermost first.
    pub ancestors: Vec<usize>,
    /// Ancestor labels without a page, outermost first (for breadcrumbs).
    pub ancestor_titles: Vec<String>,
    /// Position in reading order.
    pub order: Option<usize>,
}

impl Nav {
    /// Builds the tree from a summary; `index` maps content paths to page indexes.
    pub fn from_summary(summary: &Summary, index: &dyn Fn(&str) -> Option<usize>) -> Self {
        fn item(e: &Entry, index: &dyn Fn(&str) -> Option<usize>) -> NavItem {
            let page = e.path.as_deref().and_then(index);
            let external = e.other.clone().filter(|o| page.is_none() && o.contains(':'));
            NavItem {
                title: e.title.clone(),
                page,
                external,
                children: e.children.iter().map(|c| item(c, index)).collect(),
            }
        }
        let groups = summary
            .groups
            .iter()
            .map(|g| NavGroup { title: g.title.clone(), items: g.entries.iter().map(|e| item(e, index)).collect() })
            .collect();
        Nav { groups }
    }

    /// Builds the tree from page paths (sorted), folder `README`s as parents; `arrange`
    /// may reorder the items of each folder (given its path and its readme's index).
    pub fn from_tree(pages: &[(String, String)], readme: &str, arrange: &Arrange<'_>) -> Self {
        // (content path, title) → nested by folder.
        #[derive(Default)]
        struct Folder {
            path: String,
            index: Option<usize>,
            files: Vec<usize>,
            folders: BTreeMap<String, Folder>,
        }
        let mut root = Folder::default();
        for (i, (path, _)) in pages.iter().enumerate() {
            let mut parts: Vec<&str> = path.split('/').collect();
            let file = parts.pop().unwrap_or_default();
            let folder = parts.iter().fold(&mut root, |f, p| {
                let path = if f.path.is_empty() { p.to_string() } else { format!("{}/{p}", f.path) };
                f.folders.entry(p.to_string()).or_insert_with(|| Folder { path, ..Folder::default() })
            });
            let index = if parts.is_empty() { file == readme } else { paths::is_folder_readme(file) };
            if index {
                folder.index = Some(i);
            } else {
                folder.files.push(i);
            }
        }
        fn items(folder: &Folder, pages: &[(String, String)], arrange: &Arrange<'_>) -> Vec<NavItem> {
            let mut out: Vec<NavItem> = folder
                .files
                .iter()
                .map(|&i| NavItem { title: pages[i].1.clone(), page: Some(i), external: None, children: vec![] })
                .collect();
            for (name, sub) in &folder.folders {
                let children = items(sub, pages, arrange);
                let title = sub.index.map(|i| pages[i].1.clone()).unwrap_or_else(|| name.clone());
                if sub.index.is_some() || !children.is_empty() {
                    out.push(NavItem { title, page: sub.index, external: None, children });
                }
            }
            arrange(&folder.path, folder.index, out)
        }
        let mut top = Vec::new();
        if let Some(i) = root.index {
            top.push(NavItem { title: pages[i].1.clone(), page: Some(i), external: None, children: vec![] });
        }
        top.extend(items(&root, pages, arrange));
        Nav { groups: vec![NavGroup { title: None, items: top }] }
    }

    /// Each page's place, indexed by page; pages not in the tree get the default.
    pub fn places(&self, page_count: usize) -> Vec<Place> {
        let mut places = vec![Place::default(); page_count];
        let mut order = 0;
        for group in &self.groups {
            let mut trail = Vec::new();
            for item in &group.items {
                visit(item, &group.title, &mut trail, &mut places, &mut order);
            }
        }
        places
    }

    /// Pages in reading order.
    pub fn reading_order(&self) -> Vec<usize> {
        let mut out = Vec::new();
        fn walk(items: &[NavItem], out: &mut Vec<usize>) {
            for i in items {
                out.extend(i.page);
                walk(&i.children, out);
            }
        }
        for g in &self.groups {
            walk(&g.items, &mut out);
        }
        out
    }
}

fn visit(
    item: &NavItem,
    group: &Option<String>,
    trail: &mut Vec<(Option<usize>, String)>,
    places: &mut [Place],
    order: &mut usize,
) {
    if let Some(p) = item.page {
        // The first mention of a page wins.
        if places[p].order.is_none() {
            places[p] = Place {
                title: Some(item.title.clone()),
                group: group.clone(),
                ancestors: trail.iter().filter_map(|(p, _)| *p).collect(),
                ancestor_titles: trail.iter().map(|(_, t)| t.clone()).collect(),
                order: Some(*order),
            };
            *order += 1;
        }
    }
    trail.push((item.page, item.title.clone()));
    for child in &item.children {
        visit(child, group, trail, places, order);
    }
    trail.pop();
}

/// Title for a page without a heading: its file name, humanised.
pub fn title_from_path(path: &str, readme: &str) -> String {
    let url = paths::page_url(path, readme);
    let name = url.rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("Home");
    crate::markdown::capitalise(&name.replace(['-', '_'], " "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::summary;

    #[test]
    fn places_follow_summary_nesting_and_order() {
        let s = summary::parse("* [A](a.md)\n  * [B](b.md)\n\n## G\n\n* [C](c.md)\n", "SUMMARY.md");
        let paths = ["a.md", "b.md", "c.md"];
        let nav = Nav::from_summary(&s, &|p| paths.iter().position(|x| *x == p));
        let places = nav.places(3);
        assert_eq!(places[1].ancestors, vec![0]);
        assert_eq!(places[2].group.as_deref(), Some("G"));
        assert_eq!(nav.reading_order(), vec![0, 1, 2]);
    }

    #[test]
    fn tree_nav_puts_readme_first_and_nests_folders() {
        let pages: Vec<(String, String)> =
            [("README.md", "Home"), ("b/README.md", "B"), ("b/x.md", "X"), ("z.md", "Z")]
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect();
        let nav = Nav::from_tree(&pages, "README.md", &|_, _, items| items);
        let titles: Vec<_> = nav.groups[0].items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, ["Home", "Z", "B"]);
        assert_eq!(nav.groups[0].items[2].children[0].title, "X");
    }

    #[test]
    fn humanises_file_names() {
        assert_eq!(title_from_path("a/set-up_guide.md", "README.md"), "Set up guide");
        assert_eq!(title_from_path("README.md", "README.md"), "Home");
    }
}
