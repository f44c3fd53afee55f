//! What SUMMARY says about the pages: which page an entry or a link path names (the
//! file, the file with `.md`, the folder's readme), the warnings for entries that
//! name no page, and the titles of pages that have no heading of their own.
//!
//! Takes the pages and the parsed SUMMARY; gives page indexes, warnings and titles.

use std::collections::{HashMap, HashSet};

use super::Page;
use crate::diag::Diagnostic;
use crate::load::Summary;
use crate::paths;

/// Warns about each entry of `summary` (in `file`) that names no page: it is shown
/// as a label, as GitBook shows it.
pub(super) fn check(summary: &Summary, file: &str, exists: &dyn Fn(&str) -> bool, diags: &mut Vec<Diagnostic>) {
    for entry in summary.entries() {
        if let Some(other) = entry.other.as_deref().filter(|o| !o.contains(':')) {
            let message =
                format!("entry `{}` points to `{other}`, outside the root folder: it is shown as a label", entry.title);
            diags.push(Diagnostic::warning(file, entry.line, message));
        }
        let Some(path) = &entry.path else { continue };
        let why = if path == file {
            "the summary itself, which is not a page"
        } else if !exists(path) {
            "which does not exist"
        } else {
            continue;
        };
        let message = format!("entry `{}` points to `{path}`, {why}: it is shown as a label", entry.title);
        diags.push(Diagnostic::warning(file, entry.line, message));
    }
}

/// Page indexes by content path. A folder page named `readme.md` in another case is
/// also found as `README.md`, so that a link to its folder (`team/`) lands on it.
pub(super) fn paths_of(pages: &[Page]) -> HashMap<String, usize> {
    paths_index(pages.iter().map(|p| p.path.as_str()))
}

/// Index of each content path in `paths`, with the canonical `README.md` for each
/// folder readme of another case (`readme.md`).
pub(super) fn paths_index<'a>(paths: impl Iterator<Item = &'a str> + Clone) -> HashMap<String, usize> {
    let mut by_path: HashMap<String, usize> = paths.clone().enumerate().map(|(i, p)| (p.to_string(), i)).collect();
    for (i, path) in paths.enumerate() {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        if paths::is_folder_readme(name) && name != paths::FOLDER_README {
            let canonical = if dir.is_empty() {
                paths::FOLDER_README.to_string()
            } else {
                format!("{dir}/{}", paths::FOLDER_README)
            };
            by_path.entry(canonical).or_insert(i);
        }
    }
    by_path
}

/// Gives each page in `untitled` the link text of its first SUMMARY entry, as GitBook
/// titles a page that has no heading of its own (a file name is the last resort).
pub(super) fn titles(
    pages: &mut [Page],
    untitled: &[usize],
    summary: &Summary,
    page_of: &dyn Fn(&str) -> Option<usize>,
) {
    // A page leaves the set when its first labelled entry titles it.
    let mut untitled: HashSet<usize> = untitled.iter().copied().collect();
    for entry in summary.entries() {
        let Some(i) = entry.path.as_deref().and_then(page_of) else { continue };
        let label = entry.title.trim();
        if !label.is_empty() && untitled.remove(&i) {
            pages[i].title = label.to_string();
        }
    }
}

/// The page a SUMMARY entry or link path names: the file, the file with `.md`, or
/// the folder's readme.
pub(super) fn lookup(by_path: &HashMap<String, usize>, readme: &str, path: &str) -> Option<usize> {
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return by_path.get(readme).copied();
    }
    [path.to_string(), format!("{path}.md"), format!("{path}/{}", paths::FOLDER_README)]
        .iter()
        .find_map(|c| by_path.get(c).copied())
}
