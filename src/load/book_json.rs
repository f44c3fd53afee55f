//! `book.json` of a legacy GitBook book (the `gitbook` CLI era): its `root`, the
//! folder holding the book's files, which the CLI honoured as `.gitbook.yaml`'s is
//! today. Read only when there is no `.gitbook.yaml`.

use std::path::Path;

use serde::Deserialize;

use super::gitbook_yaml::GitbookYaml;
use super::read::{Entry, Folder};
use crate::diag::Diagnostic;

/// The file's name, at the top of the repository.
pub const FILE: &str = "book.json";

/// The key docask reads (the book's other settings are left alone).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct BookJson {
    root: Option<String>,
}

/// The settings `text` (the `book.json` of `folder`) gives, as `.gitbook.yaml`
/// settings (its root). Invalid JSON, or a `root` that is no folder inside `folder`, is a
/// warning, and the defaults (or the top folder) are used.
pub fn settings(text: &str, folder: &Folder, warnings: &mut Vec<Diagnostic>) -> GitbookYaml {
    let book: BookJson = match serde_json::from_str(text) {
        Ok(book) => book,
        Err(e) => {
            warnings.push(Diagnostic::warning(FILE, e.line(), format!("invalid JSON, defaults used: {e}")));
            return GitbookYaml::default();
        }
    };
    let mut settings = GitbookYaml::default();
    if let Some(root) = book.root.map(|r| r.trim().to_string()).filter(|r| !r.is_empty()) {
        match folder.entry(Path::new(&root)) {
            Entry::Dir(_) => settings.root = root,
            _ => {
                let line = text.lines().position(|l| l.contains("\"root\"")).map_or(1, |i| i + 1);
                let message = format!("`root: {root}` is no folder inside the content folder: the top folder is used");
                warnings.push(Diagnostic::warning(FILE, line, message));
            }
        }
    }
    settings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_read_and_a_bad_root_is_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("book")).unwrap();
        let folder = Folder::open(dir.path()).unwrap();
        let mut warnings = Vec::new();
        let s = settings(r#"{"title": "T", "root": "./book", "plugins": ["x"]}"#, &folder, &mut warnings);
        assert_eq!(s, GitbookYaml { root: "./book".into(), ..GitbookYaml::default() });
        assert!(warnings.is_empty(), "{warnings:?}");
        let s = settings("{\n  \"plugins\": [],\n  \"root\": \"nowhere\"\n}", &folder, &mut warnings);
        assert_eq!((s.root.as_str(), s.structure.readme.as_str()), ("./", "README.md"));
        assert_eq!((warnings[0].file.as_str(), warnings[0].line), (FILE, 3));
        let s = settings("{\"root\": ", &folder, &mut warnings);
        assert_eq!(s, GitbookYaml::default());
        assert!(warnings[1].message.contains("invalid JSON"), "{warnings:?}");
    }
}
