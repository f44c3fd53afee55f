//! Included files: GitBook includes reusable content from `.gitbook/includes/`, and
//! legacy GitBook books include any Markdown file of the book (a snippet that SUMMARY
//! does not list, or another page: `{% include "/setup/install.md" %}`). The files
//! that a page, or a file it includes, names are kept for the includes; the other
//! files that are not pages are let go.
//!
//! Takes the loaded project and its unlisted files; adds the included ones to
//! `Project::markdown`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Project, Source};
use crate::markdown::blocks;

/// Adds to `project.markdown` every file that an include of a page or of an included
/// file names: an `unlisted` file moves there, a page is copied (the build parses a
/// page's text away once the page is parsed, but every page including it needs it).
pub(super) fn keep_included(project: &mut Project, unlisted: Vec<Source>) {
    let pages: HashMap<&str, &Source> = project.pages.iter().map(|p| (p.path.as_str(), p)).collect();
    let mut unlisted: BTreeMap<String, Source> = unlisted.into_iter().map(|s| (s.path.clone(), s)).collect();
    let markdown = &project.markdown;
    let find = |path: &str| markdown.get(path).or_else(|| pages.get(path).copied()).or_else(|| unlisted.get(path));
    let exists = |path: &str| find(path).is_some();
    let mut wanted = BTreeSet::new();
    let mut todo: Vec<&Source> = project.pages.iter().chain(markdown.values()).collect();
    while let Some(source) = todo.pop() {
        for path in blocks::included_paths(&source.path, &source.body, source.body_line, exists) {
            if !markdown.contains_key(&path) && wanted.insert(path.clone()) {
                todo.extend(find(&path));
            }
        }
    }
    let copies: Vec<Source> = wanted.iter().filter_map(|p| pages.get(p.as_str()).map(|s| (*s).clone())).collect();
    for source in copies {
        project.markdown.insert(source.path.clone(), source);
    }
    // A file kept for an include is in use, not forgotten: `check` does not name it.
    project.unlisted.retain(|d| !wanted.contains(&d.file));
    for path in wanted {
        if let Some(source) = unlisted.remove(&path) {
            project.markdown.insert(path, source);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(pages: &[(&str, &str)], unlisted: &[(&str, &str)]) -> (Project, Vec<Source>) {
        let sources = |files: &[(&str, &str)]| -> Vec<Source> {
            let mut warnings = Vec::new();
            files.iter().map(|(p, t)| super::super::parse_source(p.to_string(), t, &mut warnings)).collect()
        };
        let dir = tempfile::tempdir().unwrap();
        let mut project = super::super::load(dir.path(), None).unwrap();
        project.pages = sources(pages);
        (project, sources(unlisted))
    }

    #[test]
    fn keeps_what_pages_include_and_what_that_includes() {
        let (mut p, unlisted) = project(
            &[("a.md", "{% include \"/snippets/one.md\" %}\n"), ("b/c.md", "{% include \"../a.md\" %}\n")],
            &[
                ("snippets/one.md", "one\n{% include \"two.md\" %}\n"),
                ("snippets/two.md", "two\n"),
                ("snippets/unused.md", "never included\n"),
            ],
        );
        p.markdown.clear();
        keep_included(&mut p, unlisted);
        let kept: Vec<&str> = p.markdown.keys().map(String::as_str).collect();
        assert_eq!(kept, ["a.md", "snippets/one.md", "snippets/two.md"]);
        assert_eq!(p.pages.len(), 2, "an included page stays a page");
    }

    #[test]
    fn includes_in_code_or_of_missing_files_keep_nothing() {
        let (mut p, unlisted) =
            project(&[("a.md", "`{% include \"b.md\" %}`\n\n{% include \"missing.md\" %}\n")], &[("b.md", "b\n")]);
        p.markdown.clear();
        keep_included(&mut p, unlisted);
        assert!(p.markdown.is_empty(), "{:?}", p.markdown.keys());
    }
}
