//! Spaces kept in subfolders of a content folder without a root summary
//! (`guide/SUMMARY.md`, as repositories that hold several GitBook spaces have, or the
//! language folders of a legacy book): in the navigation, the pages of such a folder
//! follow its summary's order, nesting, labels and groups, as they do in that space;
//! the folder's pages that its summary does not list follow, in folder order.
//!
//! Takes the summaries of the spaces and each folder's items in folder order; gives
//! the items in the space's order.

use std::collections::{BTreeMap, HashSet};

use super::nav::NavItem;
use crate::load::summary::{self, Entry, Summary};
use crate::load::{Source, SPACE_SUMMARY};
use crate::paths;

/// The summaries of the spaces, by folder.
pub(super) struct Spaces {
    by_folder: BTreeMap<String, Summary>,
}

impl Spaces {
    /// The spaces among the Markdown files that are not pages: each `SUMMARY.md` in
    /// a subfolder (set aside by `load` when there is no root summary).
    pub(super) fn read(markdown: &BTreeMap<String, Source>) -> Self {
        let by_folder = markdown
            .iter()
            .filter(|(path, _)| path.rsplit_once('/').is_some_and(|(_, name)| name == SPACE_SUMMARY))
            .map(|(path, source)| (paths::parent(path).to_string(), summary::parse(&source.body, path)))
            .filter(|(_, summary)| !summary.is_empty())
            .collect();
        Spaces { by_folder }
    }

    /// The items of `folder` (whose own page is `index`) in its space's order, or as
    /// given when it holds no space; `page_of` finds the item index of a content path.
    pub(super) fn arrange(
        &self,
        folder: &str,
        index: Option<usize>,
        items: Vec<NavItem>,
        page_of: &dyn Fn(&str) -> Option<usize>,
    ) -> Vec<NavItem> {
        let Some(summary) = self.by_folder.get(folder) else { return items };
        let mut listed = Listed { index, page_of, used: HashSet::new() };
        let mut out = Vec::new();
        for group in &summary.groups {
            let entries = listed.items(&group.entries);
            match &group.title {
                Some(title) if !entries.is_empty() => out.push(label(title, entries)),
                _ => out.extend(entries),
            }
        }
        out.extend(unlisted(items, &listed.used));
        out
    }
}

/// The entries of one space's summary turned into items.
struct Listed<'a> {
    /// The folder's own page: the item the listed ones nest under.
    index: Option<usize>,
    page_of: &'a dyn Fn(&str) -> Option<usize>,
    /// The pages listed so far.
    used: HashSet<usize>,
}

impl Listed<'_> {
    fn items(&mut self, entries: &[Entry]) -> Vec<NavItem> {
        let mut out = Vec::new();
        for entry in entries {
            let page = entry.path.as_deref().and_then(self.page_of);
            let children = self.items(&entry.children);
            match page {
                // The folder's own page is the item these nest under already.
                Some(p) if Some(p) == self.index => {
                    self.used.insert(p);
                    out.extend(children);
                }
                Some(p) => {
                    self.used.insert(p);
                    out.push(NavItem { title: entry.title.clone(), page, external: None, children });
                }
                // A label written as one (`* Recipes`) keeps its place.
                None if entry.path.is_none() && entry.other.is_none() => out.push(label(&entry.title, children)),
                // A file that is no page (missing, hidden) or a link elsewhere: its
                // children take its place.
                None => out.extend(children),
            }
        }
        out
    }
}

fn label(title: &str, children: Vec<NavItem>) -> NavItem {
    NavItem { title: title.to_string(), page: None, external: None, children }
}

/// The items the summary did not list, in folder order: a listed page's item gives
/// way to its children, and a folder left without pages goes.
fn unlisted(items: Vec<NavItem>, used: &HashSet<usize>) -> Vec<NavItem> {
    let mut out = Vec::new();
    for mut item in items {
        let children = unlisted(std::mem::take(&mut item.children), used);
        match item.page {
            Some(p) if used.contains(&p) => out.extend(children),
            None if children.is_empty() && item.external.is_none() => {}
            _ => out.push(NavItem { children, ..item }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(title: &str, page: Option<usize>, children: Vec<NavItem>) -> NavItem {
        NavItem { title: title.into(), page, external: None, children }
    }

    fn titles(items: &[NavItem]) -> Vec<String> {
        items.iter().map(|i| format!("{}{:?}", i.title, titles(&i.children))).collect()
    }

    #[test]
    fn listed_pages_come_first_in_summary_order_and_the_rest_keep_folder_order() {
        let text = "* [Space](README.md)\n* [Zeta](z.md)\n  * Notes\n  * [Gone](gone.md)\n    * [Alpha](a.md)\n\n## More\n\n* [Sub](sub/README.md)\n";
        let mut markdown = BTreeMap::new();
        let mut warnings = Vec::new();
        let source = crate::load::parse_source("s/SUMMARY.md".into(), text, &mut warnings);
        markdown.insert("s/SUMMARY.md".to_string(), source);
        let spaces = Spaces::read(&markdown);
        let paths = ["s/README.md", "s/a.md", "s/b.md", "s/sub/README.md", "s/sub/c.md", "s/z.md"];
        let page_of = |p: &str| paths.iter().position(|x| *x == p);
        // Folder order, as the tree gives it: a, b, z, then the folder sub.
        let tree = vec![
            item("a", Some(1), vec![]),
            item("b", Some(2), vec![]),
            item("z", Some(5), vec![]),
            item("sub", Some(3), vec![item("c", Some(4), vec![])]),
        ];
        let arranged = spaces.arrange("s", Some(0), tree.clone(), &page_of);
        assert_eq!(
            titles(&arranged),
            ["Zeta[\"Notes[]\", \"Alpha[]\"]", "More[\"Sub[]\"]", "b[]", "c[]"],
            "a missing file gives way to its children; unlisted pages follow"
        );
        assert_eq!(titles(&spaces.arrange("other", None, tree.clone(), &page_of)), titles(&tree));
    }
}
