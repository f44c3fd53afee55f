//! `docask init`: writes a small GitBook-style starter (README, SUMMARY, a page with
//! a hint and tabs, `docask.toml`) into a new or empty folder.
//!
//! Takes the folder; gives the number of files written.

use std::fs;
use std::path::Path;

use anyhow::{bail, Context, Result};

/// The starter files, by path in the new folder.
const STARTER: [(&str, &str); 4] = [
    ("README.md", include_str!("../templates/starter/README.md")),
    ("SUMMARY.md", include_str!("../templates/starter/SUMMARY.md")),
    ("guides/first-guide.md", include_str!("../templates/starter/guides/first-guide.md")),
    ("docask.toml", include_str!("../templates/starter/docask.toml")),
];

/// Writes the starter into `dir`, which must not exist or be empty.
pub fn create(dir: &Path) -> Result<usize> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).with_context(|| format!("cannot read `{}`", dir.display()))?;
        if entries.next().is_some() {
            bail!("`{}` is not empty: docask init writes only into a new or empty folder", dir.display());
        }
    }
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("cannot create `{}`", parent.display()))?;
        }
        fs::write(&path, text).with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    Ok(STARTER.len())
}
