//! Pages the summary lists inside a dot-folder (GitBook files pages it could not place
//! under `.uncategorized/`). The walk leaves dot-folders out (`.git`, `.github` are not
//! content), so those pages are read here, once the summary names them.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Result;

use super::read::{Entry, Folder};
use super::{read_source, Project};
use crate::diag::Diagnostic;

/// Reads the Markdown files the summary lists under a dot-folder other than `.gitbook`,
/// that the walk did not read, into the project's pages.
pub fn read_listed(folder: &Folder, project: &mut Project, warnings: &mut Vec<Diagnostic>) -> Result<()> {
    let Some(summary) = &project.summary else { return Ok(()) };
    let known: BTreeSet<&str> = project.pages.iter().map(|p| p.path.as_str()).collect();
    let wanted: BTreeSet<String> = summary
        .entries()
        .into_iter()
        .filter_map(|entry| entry.path.as_deref())
        .filter(|path| in_dot_folder(path) && path.to_ascii_lowercase().ends_with(".md") && !known.contains(path))
        .map(str::to_string)
        .collect();
    for rel in wanted {
        // Only a file inside the content folder is read (not through a symlink out).
        let Entry::File(real) = folder.entry(Path::new(&rel)) else { continue };
        project.pages.push(read_source(rel, &real, warnings)?);
    }
    Ok(())
}

/// Whether `path` lies in a folder whose name starts with a dot (but not `.gitbook`).
fn in_dot_folder(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    parts.iter().any(|part| part.starts_with('.') && !matches!(*part, "." | ".." | ".gitbook"))
}

#[cfg(test)]
mod tests {
    use super::in_dot_folder;

    #[test]
    fn only_dot_folders_count() {
        assert!(in_dot_folder(".uncategorized/page.md"));
        assert!(in_dot_folder("guide/.drafts/page.md"));
        assert!(!in_dot_folder(".-1.md"));
        assert!(!in_dot_folder("./guide/page.md"));
        assert!(!in_dot_folder(".gitbook/includes/part.md"));
    }
}
