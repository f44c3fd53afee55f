//! Loading: reads a content folder (GitBook Git-Sync repository or plain folder) into
//! memory. All reads of the build happen here.
//!
//! Takes the content path and gives a `Project`: config, `.gitbook.yaml`, summary,
//! every Markdown source with its front matter, the list of asset files, and the
//! text of spec files that OpenAPI blocks may reference.

mod book_json;
pub mod frontmatter;
pub mod gitbook_yaml;
mod hidden;
mod included;
pub mod read;
mod structure;
pub mod summary;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::{self, Config};
use crate::diag::Diagnostic;
pub use frontmatter::FrontMatter;
pub use gitbook_yaml::GitbookYaml;
use read::{Entry, Folder};
pub use summary::Summary;

/// Folder (under the content root) whose Markdown files are includes, not pages.
pub const INCLUDES_DIR: &str = ".gitbook/includes";
/// Folder (under the content root) where GitBook stores uploaded files: a Markdown
/// file there is a file to download, not a page.
pub const ASSETS_DIR: &str = ".gitbook/assets/";
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
    /// When the file was last modified, as far as the file system knows.
    pub modified: Option<std::time::SystemTime>,
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
    /// Pages, sorted by path: with a SUMMARY, the readme and the files it lists.
    pub pages: Vec<Source>,
    /// The summary, the include files (`.gitbook/includes/…`) and the other files that
    /// a page includes (a copy, for a page), by content path.
    pub markdown: BTreeMap<String, Source>,
    /// Non-Markdown files, by content path (not read).
    pub assets: BTreeSet<String>,
    /// Text of `.yaml`/`.yml`/`.json` files, for OpenAPI blocks.
    pub specs: BTreeMap<String, String>,
    /// Theme overrides from `_theme/` (`templates/page.html`, `static/docask.css`).
    pub theme: BTreeMap<String, Vec<u8>>,
    /// What reading found wrong but could read past (front matter, `.gitbook.yaml`,
    /// symlinks that leave the folder).
    pub warnings: Vec<Diagnostic>,
    /// Markdown files that SUMMARY does not list, which are not published; `check`
    /// names them.
    pub unlisted: Vec<Diagnostic>,
    /// The folder is a GitBook repository (it has `.gitbook.yaml`, a SUMMARY, or the
    /// `book.json` or `LANGS.md` of a legacy GitBook book), whose flaws are built the
    /// way GitBook publishes them.
    pub gitbook_repository: bool,
    /// The text of `.gitbook.yaml`, if there is one (to locate its lines in messages).
    pub gitbook_yaml: Option<String>,
}

/// Reads the content folder. Fails only when nothing sensible can be read: a missing
/// folder, a `root` that does not exist or leaves it, a configuration file that
/// cannot be read or parsed; everything else is a warning in `Project::warnings`.
pub fn load(content: &Path, exclude: Option<&Path>) -> Result<Project> {
    let folder = Folder::open(content)?;
    let mut warnings = Vec::new();
    let (root_folder, Settings { gitbook, yaml_text: gitbook_yaml, legacy_book }) =
        content_root(&folder, &mut warnings)?;
    let root = root_folder.root().to_path_buf();
    let config_text = match root_folder.optional_text(config::FILE_NAME)? {
        Some(text) => Some(text),
        None => folder.optional_text(config::FILE_NAME)?,
    };
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
        theme: read_theme(&root_folder, &mut warnings)?,
        warnings: Vec::new(),
        unlisted: Vec::new(),
        gitbook_repository: gitbook_yaml.is_some() || legacy_book,
        gitbook_yaml,
    };
    walk(&root_folder, exclude.as_deref(), &mut project, &mut warnings)?;
    project.gitbook_repository |= is_legacy_book(&project);
    structure::summary_path(&root_folder, &mut project, &mut warnings)?;
    structure::readme(&folder, &root_folder, &mut project, &mut warnings)?;
    if let Some(src) = project.markdown.get(&project.summary_path) {
        let summary = summary::parse(&src.body, &project.summary_path);
        warnings.extend(summary.flaws(&project.summary_path, src));
        project.gitbook_repository = true;
        if !summary.is_empty() {
            project.summary = Some(summary);
            hidden::read_listed(&root_folder, &mut project, &mut warnings)?;
        }
    }
    set_aside_space_summaries(&mut project);
    let unlisted = if project.config.publish_unlisted { Vec::new() } else { keep_listed(&mut project) };
    included::keep_included(&mut project, unlisted);
    project.warnings = warnings;
    Ok(project)
}

/// Whether the root holds what legacy GitBook (the `gitbook` CLI) built a book from
/// besides a SUMMARY: its `book.json`, or the `LANGS.md` of a book per language
/// (whose SUMMARY files are in the language folders, not at the root).
fn is_legacy_book(project: &Project) -> bool {
    project.assets.contains("book.json") || project.pages.iter().any(|p| p.path.eq_ignore_ascii_case("LANGS.md"))
}

/// Without a summary in effect every Markdown file is a page, but not the table of
/// contents of a space kept in a subfolder (`guide/SUMMARY.md`, as repositories that
/// hold several GitBook spaces have, or the language folders of a legacy book):
/// GitBook never publishes a summary as a page.
fn set_aside_space_summaries(project: &mut Project) {
    if project.summary.is_some() {
        return;
    }
    let readme = project.gitbook.structure.readme.clone();
    let is_summary =
        |p: &Source| p.path != readme && p.path.rsplit('/').next().is_some_and(|name| name == SPACE_SUMMARY);
    let (summaries, pages): (Vec<Source>, Vec<Source>) =
        std::mem::take(&mut project.pages).into_iter().partition(is_summary);
    project.pages = pages;
    for summary in summaries {
        project.markdown.insert(summary.path.clone(), summary);
    }
}

/// The file name of a space's table of contents.
pub const SPACE_SUMMARY: &str = "SUMMARY.md";

/// With a SUMMARY, only the readme and the files it lists are pages (what GitBook
/// publishes); the others are named in `unlisted`, and given back (for includes).
fn keep_listed(project: &mut Project) -> Vec<Source> {
    let Some(summary) = &project.summary else { return Vec::new() };
    let readme = project.gitbook.structure.readme.clone();
    let existing: BTreeSet<&str> = project.pages.iter().map(|p| p.path.as_str()).collect();
    let mut listed: BTreeSet<String> = BTreeSet::from([readme.clone()]);
    for entry in summary.entries() {
        let Some(path) = entry.path.as_deref() else { continue };
        let path = path.trim_end_matches('/');
        let candidates = [path.to_string(), format!("{path}.md"), format!("{path}/{}", crate::paths::FOLDER_README)];
        if let Some(found) = candidates.into_iter().find(|c| existing.contains(c.as_str())) {
            listed.insert(found);
        }
    }
    let summary_path = project.summary_path.clone();
    let (pages, unlisted): (Vec<Source>, Vec<Source>) =
        std::mem::take(&mut project.pages).into_iter().partition(|p| listed.contains(&p.path));
    project.pages = pages;
    project.unlisted = unlisted
        .iter()
        .map(|p| {
            let message = format!(
                "not listed in `{summary_path}`, so not published (list it, or set `publish_unlisted = true` in `{}`)",
                config::FILE_NAME
            );
            Diagnostic::warning(&p.path, 0, message)
        })
        .collect();
    unlisted
}

fn walk(folder: &Folder, exclude: Option<&Path>, project: &mut Project, warnings: &mut Vec<Diagnostic>) -> Result<()> {
    let root = folder.root();
    let entries = WalkDir::new(root).sort_by_file_name().into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        // Dot-folders (`.git`) and dot-files (`.DS_Store`) are not content, but a page
        // may be named with a leading dot (`.-1.md`, as GitBook names untitled pages).
        let hidden = name.starts_with('.') && name != ".gitbook" && !name.to_ascii_lowercase().ends_with(".md");
        let skipped = e.depth() > 0 && (hidden || name == "node_modules" || (e.depth() == 1 && name == THEME_DIR));
        !skipped && Some(e.path()) != exclude
    });
    let mut markdown = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("failed to walk `{}`", root.display()))?;
        let rel = relative(root, entry.path());
        let path = if entry.file_type().is_symlink() {
            match folder.entry(entry.path()) {
                Entry::File(real) => real,
                Entry::Dir(_) => {
                    warnings.push(Diagnostic::warning(&rel, 0, "a symlinked folder: not followed"));
                    continue;
                }
                Entry::Outside | Entry::Missing => {
                    let message = "a symlink to outside the content folder (or to nothing): not read";
                    warnings.push(Diagnostic::warning(&rel, 0, message));
                    continue;
                }
            }
        } else if entry.file_type().is_file() {
            entry.into_path()
        } else {
            continue;
        };
        let lower = rel.to_ascii_lowercase();
        if (lower.ends_with(".md") || lower.ends_with(".markdown")) && !rel.starts_with(ASSETS_DIR) {
            markdown.push((rel, path));
        } else {
            let is_spec = [".yaml", ".yml", ".json"].iter().any(|ext| lower.ends_with(ext));
            let small = std::fs::metadata(&path).map(|m| m.len() <= MAX_SPEC_BYTES).unwrap_or(false);
            if is_spec && small && rel != ".gitbook.yaml" && rel != config::FILE_NAME {
                project.specs.insert(rel.clone(), read::read_text(&path)?);
            }
            project.assets.insert(rel);
        }
    }
    // Reading and front matter in parallel; the results stay in walk order.
    let sources: Vec<Result<(Source, Vec<Diagnostic>)>> = markdown
        .into_par_iter()
        .map(|(rel, path)| {
            let mut found = Vec::new();
            let source = read_source(rel, &path, &mut found)?;
            Ok((source, found))
        })
        .collect();
    for result in sources {
        let (source, mut found) = result?;
        warnings.append(&mut found);
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

/// Reads the Markdown file at `path` (content path `rel`) into a `Source`, with its
/// front matter and modification time; front-matter flaws go into `warnings`.
pub(crate) fn read_source(rel: String, path: &Path, warnings: &mut Vec<Diagnostic>) -> Result<Source> {
    let (text, modified) = read::read_text_dated(path)?;
    let mut source = parse_source(rel, &text, warnings);
    source.modified = modified;
    Ok(source)
}

/// Splits and parses the front matter of one file; invalid front matter is a
/// warning, and the page is built without it.
pub fn parse_source(path: String, text: &str, warnings: &mut Vec<Diagnostic>) -> Source {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let split = frontmatter::split(text);
    let front = match split.yaml.map(frontmatter::parse) {
        Some(Ok(front)) => front,
        Some(Err((line, message))) => {
            let line = split.yaml_line + line.saturating_sub(1);
            let message = format!("invalid front matter, left out: {message}");
            warnings.push(Diagnostic::warning(&path, line, message));
            FrontMatter::default()
        }
        None => FrontMatter::default(),
    };
    Source { path, front, body: split.body.to_string(), body_line: split.body_line, modified: None }
}

/// `.gitbook.yaml` parsed (the defaults when it is missing or invalid), and its text.
fn read_gitbook_yaml(folder: &Folder, warnings: &mut Vec<Diagnostic>) -> Result<(GitbookYaml, Option<String>)> {
    let Some(text) = folder.optional_text(".gitbook.yaml")? else {
        return Ok((GitbookYaml::default(), None));
    };
    let parsed = GitbookYaml::parse(&read::without_zero_width(&text)).unwrap_or_else(|(line, message)| {
        warnings.push(Diagnostic::warning(".gitbook.yaml", line, format!("invalid YAML, defaults used: {message}")));
        GitbookYaml::default()
    });
    Ok((parsed, Some(text)))
}

/// The theme overrides of the content folder (its `_theme/` files, under its
/// `.gitbook.yaml` root), without reading the content itself; what they hold was
/// checked when the site was built.
pub fn theme(content: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let folder = Folder::open(content)?;
    let mut warnings = Vec::new();
    let (root_folder, _) = content_root(&folder, &mut warnings)?;
    read_theme(&root_folder, &mut warnings)
}

/// What the top of the content folder says about the content.
struct Settings {
    /// `.gitbook.yaml`, or a legacy `book.json` without one, or the defaults.
    gitbook: GitbookYaml,
    /// The text of `.gitbook.yaml`, if there is one.
    yaml_text: Option<String>,
    /// The settings came from a legacy book's `book.json`.
    legacy_book: bool,
}

/// The folder the content lives in (the `.gitbook.yaml` `root` under `folder`, or
/// without that file, a legacy `book.json`'s), with the settings it was found by.
fn content_root(folder: &Folder, warnings: &mut Vec<Diagnostic>) -> Result<(Folder, Settings)> {
    let (mut gitbook, yaml_text) = read_gitbook_yaml(folder, warnings)?;
    let mut legacy_book = false;
    if yaml_text.is_none() {
        if let Some(text) = folder.optional_text(book_json::FILE)? {
            gitbook = book_json::settings(&text, folder, warnings);
            legacy_book = true;
        }
    }
    let root = folder.subfolder(gitbook.root.trim())?;
    Ok((root, Settings { gitbook, yaml_text, legacy_book }))
}

/// Reads every file under the theme override folder, by path relative to it; files
/// that lead outside the content folder are left out with a warning.
fn read_theme(folder: &Folder, warnings: &mut Vec<Diagnostic>) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    let dir = match folder.entry(Path::new(THEME_DIR)) {
        Entry::Dir(dir) => dir,
        Entry::Missing | Entry::File(_) => return Ok(files),
        Entry::Outside => {
            warnings.push(Diagnostic::warning(THEME_DIR, 0, "a symlink to outside the content folder: not read"));
            return Ok(files);
        }
    };
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("failed to walk `{}`", dir.display()))?;
        let rel = relative(&dir, entry.path());
        let path = match folder.entry(entry.path()) {
            Entry::File(path) => path,
            Entry::Dir(_) | Entry::Missing => continue,
            Entry::Outside => {
                let message = "a symlink to outside the content folder: not read";
                warnings.push(Diagnostic::warning(format!("{THEME_DIR}/{rel}"), 0, message));
                continue;
            }
        };
        files.insert(rel, read::read_bytes(&path)?);
    }
    Ok(files)
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use std::fs;

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
        write(dir.path(), ".gitbook/assets/skill.md", "# An uploaded file\n");
        write(dir.path(), ".git/config", "x");
        let p = load(dir.path(), None).unwrap();
        let pages: Vec<_> = p.pages.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(pages, ["a/README.md"], "b.md is not in SUMMARY, so not a page");
        assert_eq!(p.unlisted.len(), 1);
        assert!(p.unlisted[0].file == "b.md" && p.unlisted[0].message.contains("not listed"));
        assert_eq!(p.pages[0].front.description.as_deref(), Some("d"));
        assert_eq!(p.pages[0].body_line, 4);
        assert!(p.markdown.contains_key(".gitbook/includes/x.md"));
        assert!(p.assets.contains(".gitbook/assets/p.png"));
        assert!(p.assets.contains(".gitbook/assets/skill.md"), "an uploaded Markdown file is a file");
        assert!(!p.unlisted.iter().any(|d| d.file.contains("skill")), "{:?}", p.unlisted);
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
    fn bad_front_matter_is_a_warning_naming_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "x.md", "---\ndescription: ok\ntitle: [bad\n---\n# X\n");
        let p = load(dir.path(), None).unwrap();
        assert_eq!(p.pages.len(), 1);
        assert_eq!((p.warnings[0].file.as_str(), p.warnings[0].line), ("x.md", 3));
        assert!(p.warnings[0].message.contains("invalid front matter"), "{}", p.warnings[0].message);
    }

    #[test]
    fn bom_crlf_and_zero_width_spaces_read_as_gitbook_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".gitbook.yaml", "\u{feff}root: ./\r\n\u{200b}structure:\r\n  readme: START.md\u{200b}\r\n");
        write(dir.path(), "START.md", "\u{feff}---\r\ndescription: d\r\n---\r\n# Start\r\n");
        let p = load(dir.path(), None).unwrap();
        assert_eq!(p.gitbook.structure.readme, "START.md");
        assert_eq!(p.pages[0].front.description.as_deref(), Some("d"));
        assert_eq!(p.pages[0].body, "# Start\r\n");
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn a_readme_that_is_no_page_leaves_the_home_page_to_readme_md() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".gitbook.yaml", "structure:\n  readme: Index.md\n");
        write(dir.path(), "index.md", "# Home\n");
        write(dir.path(), "README.md", "# Read me\n");
        let p = load(dir.path(), None).unwrap();
        assert_eq!(p.gitbook.structure.readme, "index.md");
        assert!(p.warnings.iter().any(|w| w.message.contains("`index.md` is the home page")), "{:?}", p.warnings);
        for named in ["SUMMARY.md", "../README.md", "docs/Welcome.md"] {
            let dir = tempfile::tempdir().unwrap();
            write(dir.path(), ".gitbook.yaml", &format!("root: ./\nstructure:\n  readme: {named}\n"));
            write(dir.path(), "SUMMARY.md", "# Table of contents\n\n* [Home](README.md)\n* [Guide](guide.md)\n");
            write(dir.path(), "README.md", "# Home\n");
            write(dir.path(), "guide.md", "# Guide\n");
            let p = load(dir.path(), None).unwrap();
            assert_eq!(p.gitbook.structure.readme, "README.md", "{named}");
            let warning = p.warnings.iter().find(|w| w.file == ".gitbook.yaml").expect("a warning");
            assert_eq!(warning.line, 3, "{named}");
            assert!(warning.message.contains(named) && warning.message.contains("`README.md` is the home page"));
        }
    }

    #[test]
    fn a_summary_path_that_names_no_file_falls_back_to_summary_md() {
        let dir = tempfile::tempdir().unwrap();
        let yaml = "root: ./guides/\nstructure:\n  readme: ./guides/README.md\n  summary: ./guides/SUMMARY.md\n";
        write(dir.path(), ".gitbook.yaml", yaml);
        write(dir.path(), "guides/SUMMARY.md", "# Table of contents\n\n* [Home](README.md)\n* [Guide](guide.md)\n");
        write(dir.path(), "guides/README.md", "# Home\n");
        write(dir.path(), "guides/guide.md", "# Guide\n");
        write(dir.path(), "guides/draft.md", "# Draft\n");
        let p = load(dir.path(), None).unwrap();
        assert_eq!((p.summary_path.as_str(), p.gitbook.structure.readme.as_str()), ("SUMMARY.md", "README.md"));
        let pages: Vec<_> = p.pages.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(pages, ["README.md", "guide.md"], "the summary is read, not published");
        let lines: Vec<_> = p.warnings.iter().filter(|w| w.file == ".gitbook.yaml").map(|w| w.line).collect();
        assert_eq!(lines, [4, 3], "{:?}", p.warnings);
    }

    #[test]
    fn a_summary_of_headings_and_comments_only_lists_no_pages() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "SUMMARY.md", "# Table of contents\n\n<!-- to do -->\n\n## Guides\n");
        write(dir.path(), "README.md", "# Home\n");
        write(dir.path(), "guide.md", "# Guide\n");
        let p = load(dir.path(), None).unwrap();
        assert!(p.summary.is_none() && p.gitbook_repository);
        let pages: Vec<_> = p.pages.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(pages, ["README.md", "guide.md"], "built as without a summary");
        let w = p.warnings.iter().find(|w| w.file == "SUMMARY.md").expect("a warning");
        assert_eq!(w.line, 1);
        assert!(w.message.contains("lists no pages;") && w.message.contains("every Markdown file is published"));
        write(dir.path(), "SUMMARY.md", "* Guides\n");
        assert!(load(dir.path(), None).unwrap().summary.is_some(), "a label is an entry");
    }

    #[test]
    fn nothing_outside_the_content_folder_is_read() {
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "secret.md", "# Secret\n");
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "README.md", "# Home\n");
        std::os::unix::fs::symlink(outside.path().join("secret.md"), dir.path().join("leak.md")).unwrap();
        let p = load(dir.path(), None).unwrap();
        assert_eq!(p.pages.len(), 1);
        assert!(p.warnings.iter().any(|w| w.file == "leak.md" && w.message.contains("outside")), "{:?}", p.warnings);
        write(dir.path(), ".gitbook.yaml", "root: ../\n");
        let err = format!("{:#}", load(dir.path(), None).unwrap_err());
        assert!(err.contains("leaves the content folder"), "{err}");
        write(dir.path(), ".gitbook.yaml", "root: ./nowhere/\n");
        let err = format!("{:#}", load(dir.path(), None).unwrap_err());
        assert!(err.contains("does not exist"), "{err}");
    }
}
