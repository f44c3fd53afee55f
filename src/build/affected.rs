//! Which pages show an edit. Other pages' files show a page in four places: its
//! label (the SUMMARY entry's text, or its title) in the sidebars around it, the
//! breadcrumbs of the pages under it and the previous/next links of its neighbours
//! in reading order; its title and description in the cards and link texts of the
//! pages linking to it. Only the pages showing what changed, and the edited ones,
//! are rendered again (`patch::patch_all`); an edit every page shows (the site's
//! title, a top-level entry's label, front matter other than the title and
//! description) renders them all.
//!
//! Takes the last and next snapshots of the same pages, the site, its reading order
//! and the pages each page links to; gives the pages to render again.

use super::patch::Snapshot;
use crate::site::{NavItem, Site};

/// The pages (indexes, ascending) whose files may differ between `last` and `next`:
/// those whose text or shape changed, and those showing a label, title or
/// description that changed. `order` is the reading order; `links`, by page, the
/// pages it links to.
pub fn pages(last: &Snapshot, next: &Snapshot, site: &Site, order: &[usize], links: &[Vec<usize>]) -> Vec<usize> {
    let n = next.pages.len();
    let every = || (0..n).collect();
    if last.site != next.site || last.pages.iter().zip(&next.pages).any(|(a, b)| a.front != b.front) {
        return every();
    }
    let mut show = vec![false; n];
    for (e, (a, b)) in last.pages.iter().zip(&next.pages).enumerate() {
        show[e] |= a.outside != b.outside || a.text != b.text;
        if a.label != b.label {
            if !sidebars(site, e, &mut show) {
                return every();
            }
            // Its neighbours' previous and next links. (The pages under it, whose
            // breadcrumbs name it, are among those whose sidebars list it.)
            for (p, _) in order.iter().enumerate().filter(|(_, &i)| i == e) {
                for q in [p.checked_sub(1), Some(p + 1)].into_iter().flatten() {
                    if let Some(&i) = order.get(q) {
                        show[i] = true;
                    }
                }
            }
        }
        if a.card != b.card {
            // Its cards and link texts.
            for (i, targets) in links.iter().enumerate() {
                show[i] |= targets.binary_search(&e).is_ok();
            }
        }
    }
    (0..n).filter(|&i| show[i]).collect()
}

/// Marks in `show` the pages whose sidebar may list page `e`: a sidebar shows the
/// top-level entries and the children of every entry open on its page (the page
/// itself, its ancestors, a label holding it). `false` when `e` is a top-level entry,
/// which every sidebar lists.
fn sidebars(site: &Site, e: usize, show: &mut [bool]) -> bool {
    let mut parents = Vec::new();
    for group in &site.nav.groups {
        if group.items.iter().any(|item| item.page == Some(e)) {
            return false;
        }
        for item in &group.items {
            parents_of(item, e, &mut parents);
        }
    }
    for parent in parents {
        for (i, page) in site.pages.iter().enumerate() {
            show[i] |= match parent.page {
                Some(p) => p == i || page.place.ancestors.contains(&p),
                None => holds(parent, i),
            };
        }
    }
    true
}

/// Pushes onto `out` every entry under `item` (itself included) with page `e` among
/// its children.
fn parents_of<'a>(item: &'a NavItem, e: usize, out: &mut Vec<&'a NavItem>) {
    if item.children.iter().any(|c| c.page == Some(e)) {
        out.push(item);
    }
    for child in &item.children {
        parents_of(child, e, out);
    }
}

/// Whether page `i` is anywhere under `item`.
fn holds(item: &NavItem, i: usize) -> bool {
    item.children.iter().any(|c| c.page == Some(i) || holds(c, i))
}
