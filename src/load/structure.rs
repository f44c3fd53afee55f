//! The two files `.gitbook.yaml` names under `structure:`: the summary and the readme
//! (the home page). Takes the walked `Project` and settles which files they are,
//! with a warning when the configured name does not fit and another file is used.

use std::path::Path;

use anyhow::Result;

use super::read::{without_zero_width, Entry, Folder};
use super::{read_source, Project};
use crate::diag::Diagnostic;

/// A `structure.summary` that names no file of the root folder is a warning; the
/// summary is then the file of that name in another case, else the root `SUMMARY.md`
/// (any case), as if none were configured. A file whose name is the configured one
/// with zero-width characters in it (`SUMMARY.md\u{200b}`, which GitBook writes when
/// the name in `.gitbook.yaml` carries one) is that summary, silently.
pub(super) fn summary_path(root: &Folder, project: &mut Project, warnings: &mut Vec<Diagnostic>) -> Result<()> {
    let named = project.summary_path.clone();
    if project.markdown.contains_key(&named) || project.gitbook_yaml.is_none() {
        return Ok(());
    }
    if let Some(file) = project.assets.iter().find(|a| without_zero_width(a) == named).cloned() {
        if let Entry::File(real) = root.entry(Path::new(&file)) {
            project.assets.remove(&file);
            let summary = read_source(file.clone(), &real, warnings)?;
            project.summary_path = file.clone();
            project.gitbook.structure.summary = file.clone();
            project.markdown.insert(file, summary);
            return Ok(());
        }
    }
    let found = |wanted: &str| project.pages.iter().position(|p| p.path.eq_ignore_ascii_case(wanted));
    let Some(at) = found(&named).or_else(|| found("SUMMARY.md")) else { return Ok(()) };
    let summary = project.pages.remove(at);
    let message = format!("`structure.summary: {named}` is not a file of the root folder: `{}` is used", summary.path);
    warnings.push(Diagnostic::warning(".gitbook.yaml", yaml_line(project, "summary:"), message));
    project.summary_path = summary.path.clone();
    project.gitbook.structure.summary = summary.path.clone();
    project.markdown.insert(summary.path.clone(), summary);
    Ok(())
}

/// A `structure.readme` that names no page of the root folder (a missing file, one
/// outside it, the summary itself) is a warning; the home page is then the file of
/// that name in another case (`index.md` for `Index.md`), else the root `README.md`
/// (any case), as if none were configured. Without one configured, the root
/// `README.md` in any case (`readme.md`) is the home page, silently.
///
/// A readme above the root but inside the content folder (`../README.md` with
/// `root: ./docs/`, the repository's front page) is read, as GitBook joins the path
/// to the root: it is the home page, with a warning that its links are resolved from
/// the root folder (where its page is published).
pub(super) fn readme(
    content: &Folder,
    root: &Folder,
    project: &mut Project,
    warnings: &mut Vec<Diagnostic>,
) -> Result<()> {
    let readme = project.gitbook.structure.readme.clone();
    if project.pages.iter().any(|p| p.path == readme) || read_above_root(content, root, project, warnings)? {
        return Ok(());
    }
    let paths = || project.pages.iter().map(|p| &p.path);
    let fallback = paths()
        .find(|p| p.eq_ignore_ascii_case(&readme))
        .or_else(|| paths().find(|p| crate::paths::is_folder_readme(p)))
        .cloned();
    if readme == crate::paths::FOLDER_README {
        // Nothing named: a root `readme.md` in another case is the home page, as
        // `a/readme.md` is the page of folder `a`.
        if let Some(found) = fallback {
            project.gitbook.structure.readme = found;
        }
        return Ok(());
    }
    let home = fallback.as_deref().map_or("the first page".to_string(), |f| format!("`{f}`"));
    let message = format!("`structure.readme: {readme}` is not a page of the root folder: {home} is the home page");
    warnings.push(Diagnostic::warning(".gitbook.yaml", yaml_line(project, "readme:"), message));
    if let Some(found) = fallback {
        project.gitbook.structure.readme = found;
    }
    Ok(())
}

/// Reads a `structure.readme` that leads out of the root folder to a file of the
/// content folder as the home page, published under its file name at the root
/// (unless a page of that name is there already). Whether it was.
fn read_above_root(
    content: &Folder,
    root: &Folder,
    project: &mut Project,
    warnings: &mut Vec<Diagnostic>,
) -> Result<bool> {
    let readme = project.gitbook.structure.readme.clone();
    if !readme.split('/').any(|part| part == "..") {
        return Ok(false);
    }
    let Entry::File(real) = content.entry(&Path::new(project.gitbook.root.trim()).join(&readme)) else {
        return Ok(false);
    };
    let name = real.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let taken = project.pages.iter().chain(project.markdown.values()).any(|p| p.path == name);
    if real.starts_with(root.root()) || !name.to_ascii_lowercase().ends_with(".md") || taken {
        return Ok(false);
    }
    let message = format!(
        "`structure.readme: {readme}` is outside the root folder: it is the home page, published as `{name}` at the \
         root, and its links and images are resolved from there"
    );
    warnings.push(Diagnostic::warning(".gitbook.yaml", yaml_line(project, "readme:"), message));
    project.pages.insert(0, read_source(name.clone(), &real, warnings)?);
    project.gitbook.structure.readme = name;
    Ok(true)
}

/// The 1-based line of `.gitbook.yaml` holding `key` (0 when unknown).
fn yaml_line(project: &Project, key: &str) -> usize {
    project.gitbook_yaml.as_deref().and_then(|t| t.lines().position(|l| l.contains(key))).map_or(0, |i| i + 1)
}
