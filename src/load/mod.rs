//! Loading: reads a content folder (GitBook Git-Sync repository or plain folder) into
//! memory. All reads of the build happen here.
//!
//! Takes the content path and gives a `Project`: config, `.gitbook.yaml`, summary,
//! every Markdown source with its front matter, the list of asset files, and the
//! text of spec files that OpenAPI blocks may reference.

pub mod frontmatter;
pub mod gitbook_yaml;
pub mod summary;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::{self, Config};
use crate::diag::{ContentErrors, Diagnostic};
pub use frontmatter::FrontMatter;
pub use gitbook_yaml::GitbookYaml;
pub use summary::Summary;

/// Folder (under the content root) whose Markdown files are includes, not pages.
pub const INCLUDES_DIR: &str = ".gitbook/includes";
/// Folder (under the content root) with theme overrides; not content.
pub const THEME_DIR: &str = "_theme";
/// Largest spec file read for OpenAPI blocks.
const MAX_SPEC_BYTES: u64 = 4 << 20;

/// One Markdown file of the content.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the content root, `/`-separated.
    pub path: String,
    /// Parsed front matter.
    pub front: FrontMatter,
    /// The Markdown after the front matter.
    pub body: String,
    /// Line of the file where `body` starts.
    pub body_line: usize,
}

/// Everything the build needs from disk.
#[derive(Debug)]
pub struct Project {
    /// The folder the pages live in (`.gitbook.yaml` `root` applied).
    pub root: PathBuf,
    /// `docask.toml`.
    pub config: Config,
    /// `.gitbook.yaml`.
    pub gitbook: GitbookYaml,
    /// `SUMMARY.md`, if present.
    pub summary: Option<Summary>,
    /// Content path of the summary file.
    pub summary_path: String,
    /// Pages, sorted by path.
    pub pages: Vec<Source>,
    /// The summary and the include files (`.gitbook/includes/…`), by content path.
    pub markdown: BTreeMap<String, Source>,
    /// Non-Markdown files, by content path (not read).
    pub assets: BTreeSet<String>,
    /// Text of `.yaml`/`.yml`/`.json` files, for OpenAPI blocks.
    pub specs: BTreeMap<String, String>,
    /// Theme overrides from `_theme/` (`templates/page.html`, `static/docask.css`).
    pub theme: BTreeMap<String, Vec<u8>>,
}

/// Reads the content folder. Content errors (bad front matter, bad `.gitbook.yaml`)
/// are gathered and returned together as `ContentErrors`.
pub fn load(content: &Path, exclude: Option<&Path>) -> Result<Project> {
    let content =
        content.canonicalize().with_context(|| format!("content folder `{}` not found", content.display()))?;
    let mut errors = Vec::new();
    let gitbook = read_gitbook_yaml(&content, &mut errors)?;
    let root = content.join(gitbook.root.trim_start_matches("./"));
    let config_text =
        read_optional(&root.join(config::FILE_NAME))?.or(read_optional(&content.join(config::FILE_NAME))?);
    let config = Config::parse(config_text.as_deref())?;
    let exclude = exclude.and_then(|p| p.canonicalize().ok());
    let mut project = Project {
        root: root.clone(),
        config,
        summary: None,
        summary_path: gitbook.structure.summary.clone(),
        gitbook,
        pages: Vec::new(),
        markdown: BTreeMap::new(),
        assets: BTreeSet::new(),
        specs: BTreeMap::new(),
        theme: read_theme(&root.join(THEME_DIR))?,
    };
    walk(&root, exclude.as_deref(), &mut project, &mut errors)?;
    if let Some(src) = project.markdown.get(&project.summary_path) {
        project.summary = Some(summary::parse(&src.body, &project.summary_path));
    }
    if !errors.is_empty() {
        return Err(ContentErrors(errors).into());
    }
    Ok(project)
}

fn walk(root: &Path, exclude: Option<&Path>, project: &mut Project, errors: &mut Vec<Diagnostic>) -> Result<()> {
    let entries = WalkDir::new(root).sort_by_file_name().into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        let skipped = e.depth() > 0
            && ((name.starts_with('.') && name != ".gitbook")
                || name == "node_modules"
                || (e.depth() == 1 && name == THEME_DIR));
        !skipped && Some(e.path()) != exclude
    });
    let mut markdown = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("failed to walk `{}`", root.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative(root, entry.path());
        let lower = rel.to_ascii_lowercase();
        if lower.ends_with(".md") || lower.ends_with(".markdown") {
            markdown.push((rel, entry.into_path()));
        } else {
            let is_spec = [".yaml", ".yml", ".json"].iter().any(|ext| lower.ends_with(ext));
            let small = entry.metadata().map(|m| m.len() <= MAX_SPEC_BYTES).unwrap_or(false);
            if is_spec && small && rel != ".gitbook.yaml" && rel != config::FILE_NAME {
                project.specs.insert(rel.clone(), read(entry.path())?);
            }
            project.assets.insert(rel);
        }
    }
    // Reading and front matter in parallel; the results stay in walk order.
    let sources: Vec<Result<(Source, Vec<Diagnostic>)>> = markdown
        .into_par_iter()
        .map(|(rel, path)| {
            let text = read(&path)?;
            let mut found = Vec::new();
            let source = parse_source(rel, &text, &mut found);
            Ok((source, found))
        })
        .collect();
    for result in sources {
        let (source, mut found) = result?;
        errors.append(&mut found);
        // Pages are parsed from `pages`; only the summary and include files need
        // to be looked up by path (a 10,000-page site must not be held twice).
        if source.path != project.summary_path && !source.path.starts_with(INCLUDES_DIR) {
            project.pages.push(source);
        } else {
            project.markdown.insert(source.path.clone(), source);
        }
    }
    Ok(())
}

/// Splits and parses the front matter of one file.
pub fn parse_source(path: String, text: &str, errors: &mut Vec<Diagnostic>) -> Source {
    let split = frontmatter::split(text);
    let front = match split.yaml.map(frontmatter::parse) {
        Some(Ok(front)) => front,
        Some(Err((line, message))) => {
            let line = split.yaml_line + line.saturating_sub(1);
            errors.push(Diagnostic::error(&path, line, format!("invalid front matter: {message}")));
            FrontMatter::default()
        }
        None => FrontMatter::default(),
    };
    Source { path, front, body: split.body.to_string(), body_line: split.body_line }
}

fn read_gitbook_yaml(content: &Path, errors: &mut Vec<Diagnostic>) -> Result<GitbookYaml> {
    let Some(text) = read_optional(&content.join(".gitbook.yaml"))? else {
        return Ok(GitbookYaml::default());
    };
    Ok(GitbookYaml::parse(&text).unwrap_or_else(|(line, message)| {
        errors.push(Diagnostic::error(".gitbook.yaml", line, format!("invalid YAML: {message}")));
        GitbookYaml::default()
    }))
}

/// Reads every file under the theme override folder, by path relative to it.
fn read_theme(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("failed to walk `{}`", dir.display()))?;
        if entry.file_type().is_file() {
            let bytes =
                fs::read(entry.path()).with_context(|| format!("failed to read `{}`", entry.path().display()))?;
            files.insert(relative(dir, entry.path()), bytes);
        }
    }
    Ok(files)
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn read(path: &Path) -> Result<String> {
    let bytes = fs::read(path).with_context(|| format!("failed to read `{}`", path.display()))?;
    if bytes.len() > crate::markdown::events::MAX_SOURCE {
        anyhow::bail!("`{}` is {} bytes; text files over 4 GiB are not supported", path.display(), bytes.len());
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn read_optional(path: &Path) -> Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("failed to read `{}`", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn loads_pages_includes_assets_sorted() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "b.md", "# B\n");
        write(dir.path(), "a/README.md", "---\ndescription: d\n---\n# A\n");
        write(dir.path(), "SUMMARY.md", "* [A](a/README.md)\n");
        write(dir.path(), ".gitbook/includes/x.md", "shared\n");
        write(dir.path(), ".gitbook/assets/p.png", "png");
        write(dir.path(), ".git/config", "x");
        let p = load(dir.path(), None).unwrap();
        let pages: Vec<_> = p.pages.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(pages, ["a/README.md", "b.md"]);
        assert_eq!(p.pages[0].front.description.as_deref(), Some("d"));
        assert_eq!(p.pages[0].body_line, 4);
        assert!(p.markdown.contains_key(".gitbook/includes/x.md"));
        assert!(p.assets.contains(".gitbook/assets/p.png"));
        assert!(!p.assets.iter().any(|a| a.starts_with(".git/")));
        assert!(p.summary.is_some());
    }

    #[test]
    fn gitbook_root_is_honoured() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".gitbook.yaml", "root: ./docs/\n");
        write(dir.path(), "docs/README.md", "# Home\n");
        write(dir.path(), "notes.md", "# Not docs\n");
        let p = load(dir.path(), None).unwrap();
        assert_eq!(p.pages.len(), 1);
        assert_eq!(p.pages[0].path, "README.md");
    }

    #[test]
    fn bad_front_matter_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "x.md", "---\ndescription: ok\ntitle: [bad\n---\n# X\n");
        let err = load(dir.path(), None).unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("x.md:"), "{text}");
        assert!(text.contains("invalid front matter"), "{text}");
    }
}
