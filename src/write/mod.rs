//! Writing the output: everything goes into a staging folder beside the output
//! folder, which is swapped in, in one step, only when the whole build succeeded. A
//! failed or killed build leaves the previous site untouched, and the next build
//! removes what a killed one left. A folder is replaced only when it is empty or
//! carries the marker file docask writes into every site.
//!
//! Takes relative paths and bytes; gives a complete output folder on `commit`.

mod in_place;
mod remove;
mod stale;
mod swap;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

pub use in_place::InPlace;
pub use remove::remove_tree;
pub use stale::{remove_stale, DirLock};
pub use swap::{swap_in, Swapped};

/// Folder (inside the output) that holds build data: the search index, the marker.
pub const DATA_DIR: &str = ".docask";
/// The marker file, inside `DATA_DIR`: a folder is a docask site when it holds this
/// file with `MARKER_LINE` as its first line.
pub const MARKER: &str = "docask-site";
/// The first line of the marker: its format and version.
pub const MARKER_LINE: &str = "docask-site 1";
/// Largest marker file read.
const MARKER_MAX: u64 = 4096;

/// Whether `dir` is a site docask wrote (and may replace): it holds the marker file,
/// a regular file whose first line is `MARKER_LINE`.
pub fn is_site(dir: &Path) -> bool {
    let marker = dir.join(DATA_DIR).join(MARKER);
    let Ok(meta) = fs::symlink_metadata(&marker) else { return false };
    if !meta.is_file() || meta.len() > MARKER_MAX {
        return false;
    }
    fs::read_to_string(&marker).is_ok_and(|text| text.lines().next() == Some(MARKER_LINE))
}

/// The marker's text.
fn marker_text() -> String {
    format!(
        "{MARKER_LINE}\nThis folder is a site written by docask {}; the next `docask build` replaces it whole.\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// Where the files made from the whole site go: a staging folder (a build), or the
/// served folder itself (a live update).
pub trait Sink: Sync {
    /// Writes `bytes` at `rel` (a `/`-separated path), creating folders.
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()>;
    /// Makes `rel` hold the same bytes as the written file `existing`.
    fn link(&self, existing: &str, rel: &str) -> Result<()>;
    /// Puts a copy of the file `src` at `rel`.
    fn copy(&self, src: &Path, rel: &str) -> Result<()>;
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        Staging::write(self, rel, bytes)
    }

    fn link(&self, existing: &str, rel: &str) -> Result<()> {
        Staging::link(self, existing, rel)
    }

    fn copy(&self, src: &Path, rel: &str) -> Result<()> {
        Staging::copy(self, src, rel)
    }
}

/// An output folder being built.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    tmp: PathBuf,
    committed: bool,
    /// Held while building, so that no other build takes the folder for a stale one.
    _lock: Option<DirLock>,
}

impl Staging {
    /// Prepares a staging folder for `target`. Refuses to replace a non-empty folder
    /// that is not a docask site, or one that contains `content`; removes the staging
    /// folders that killed builds left beside it.
    pub fn new(target: &Path, content: &Path) -> Result<Self> {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent).with_context(|| format!("failed to create `{}`", parent.display()))?;
        if target.exists() {
            let empty = fs::read_dir(target).map(|mut d| d.next().is_none()).unwrap_or(false);
            if !empty && !is_site(target) {
                bail!(
                    "`{}` exists and is not a docask site (it has no `{DATA_DIR}/{MARKER}`); remove it or choose another --out",
                    target.display()
                );
            }
            let (t, c) = (target.canonicalize()?, content.canonicalize()?);
            if c.starts_with(&t) {
                bail!("the output folder `{}` contains the content folder; choose another --out", target.display());
            }
        }
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
        remove_stale(parent, &name);
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}.tmp-{}-", std::process::id()))
            .tempdir_in(parent)
            .with_context(|| format!("failed to create a staging folder in `{}`", parent.display()))?
            .keep();
        let staging =
            Staging { target: target.to_path_buf(), _lock: DirLock::exclusive(&tmp).ok(), tmp, committed: false };
        fs::create_dir_all(staging.tmp.join(DATA_DIR))
            .with_context(|| format!("failed to create `{}`", staging.tmp.display()))?;
        staging.write(&format!("{DATA_DIR}/{MARKER}"), marker_text().as_bytes())?;
        Ok(staging)
    }

    /// The staging folder.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Writes `bytes` at `rel` (a `/`-separated path), creating folders.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.tmp.join(rel);
        // Most files go into a folder that exists by then: creating it only when the
        // write finds it missing saves two system calls a file.
        match fs::write(&path, bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent() {
                    fs::create_dir_all(dir).with_context(|| format!("failed to create `{}`", dir.display()))?;
                }
                fs::write(&path, bytes)
            }
            done => done,
        }
        .with_context(|| format!("failed to write `{}`", path.display()))
    }

    /// Creates the folders `dirs` (relative, `/`-separated, parents included) in one
    /// pass, each once, so that the writes into them never fail and retry: a page is
    /// a folder of its own, and a build of 1,000 pages would otherwise make 1,000
    /// failed opens.
    pub fn make_dirs<'a>(&self, dirs: impl IntoIterator<Item = &'a str>) -> Result<()> {
        let mut wanted: Vec<&str> = dirs.into_iter().filter(|d| !d.is_empty()).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut made: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for dir in wanted {
            let ends = dir.match_indices('/').map(|(i, _)| i).chain(std::iter::once(dir.len()));
            // `/` is ASCII: every prefix ends on a character boundary.
            for part in ends.map(|end| &dir[..end]).filter(|p| !p.is_empty()) {
                if !made.insert(part) {
                    continue;
                }
                let path = self.tmp.join(part);
                match fs::create_dir(&path) {
                    Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                        return Err(e).with_context(|| format!("failed to create `{}`", path.display()))
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Makes `rel` a second name of the written file `existing` (both relative): a hard
    /// link where the file system has them, else a copy.
    pub fn link(&self, existing: &str, rel: &str) -> Result<()> {
        let (from, path) = (self.tmp.join(existing), self.tmp.join(rel));
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("failed to create `{}`", dir.display()))?;
        }
        if fs::hard_link(&from, &path).is_err() {
            fs::copy(&from, &path).with_context(|| format!("failed to copy `{}`", from.display()))?;
        }
        Ok(())
    }

    /// Copies the file `src` to `rel`.
    pub fn copy(&self, src: &Path, rel: &str) -> Result<()> {
        let path = self.tmp.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("failed to create `{}`", dir.display()))?;
        }
        fs::copy(src, &path).with_context(|| format!("failed to copy `{}`", src.display()))?;
        Ok(())
    }

    /// Swaps the staging folder in place of the target, in one step, and deletes
    /// the previous site.
    pub fn commit(mut self) -> Result<()> {
        let swapped = swap_in(&self.tmp, &self.target)?;
        self.committed = true;
        if let Swapped::Previous(old) = swapped {
            remove_tree(&old).with_context(|| format!("failed to remove the previous site `{}`", old.display()))?;
        }
        Ok(())
    }
}

/// Replaces the file at `path` in one step: the bytes go to a file beside it, which is
/// then renamed over it, so a reader sees the old file or the new one, never a part.
pub fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    fs::write(&tmp, bytes).with_context(|| format!("failed to write `{}`", tmp.display()))?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        anyhow::Error::new(e).context(format!("failed to replace `{}`", path.display()))
    })
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_drop_discards() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        fs::create_dir(&content).unwrap();
        let out = dir.path().join("public");
        let s = Staging::new(&out, &content).unwrap();
        s.write("a/index.html", b"one").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"one");

        let s = Staging::new(&out, &content).unwrap();
        s.write("a/index.html", b"two").unwrap();
        drop(s);
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"one");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2, "no staging folder left behind");
    }

    #[test]
    fn replace_swaps_the_file_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        fs::write(&path, "old").unwrap();
        let held = fs::File::open(&path).unwrap();
        replace(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(std::io::read_to_string(held).unwrap(), "old", "an open reader keeps the old bytes");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        let err = replace(&dir.path().join("missing/page.html"), b"x").unwrap_err();
        assert!(format!("{err:#}").contains("missing"), "{err:#}");
    }

    #[test]
    fn refuses_foreign_folder_and_content_inside_output() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let err = Staging::new(dir.path(), dir.path()).unwrap_err();
        assert!(err.to_string().contains("not a docask site"), "{err}");
    }

    #[test]
    fn a_data_folder_alone_does_not_make_a_site() {
        let dir = tempfile::tempdir().unwrap();
        let (content, out) = (dir.path().join("content"), dir.path().join("x"));
        fs::create_dir_all(&content).unwrap();
        fs::create_dir_all(out.join(DATA_DIR)).unwrap();
        fs::write(out.join("important.txt"), "keep").unwrap();
        let err = Staging::new(&out, &content).unwrap_err();
        assert!(err.to_string().contains("not a docask site"), "{err}");
        fs::write(out.join(DATA_DIR).join(MARKER), "docask-site 2\n").unwrap();
        assert!(Staging::new(&out, &content).is_err(), "a marker of another format");
        assert_eq!(fs::read_to_string(out.join("important.txt")).unwrap(), "keep");

        let site = dir.path().join("site");
        let s = Staging::new(&site, &content).unwrap();
        s.write("index.html", b"home").unwrap();
        s.commit().unwrap();
        assert!(is_site(&site), "a build writes the marker");
        assert!(Staging::new(&site, &content).is_ok(), "and may replace its own site");
    }

    #[test]
    fn a_new_build_removes_what_killed_builds_left() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        fs::create_dir(&content).unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let left = dir.path().join(format!(".public.tmp-{dead}"));
        fs::create_dir_all(left.join("a")).unwrap();
        let s = Staging::new(&dir.path().join("public"), &content).unwrap();
        assert!(!left.exists(), "the folder of a dead build is removed");
        s.commit().unwrap();
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }
}
