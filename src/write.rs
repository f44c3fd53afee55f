//! Writing the output: everything goes into a temporary folder beside the output
//! folder, which is swapped in only when the whole build succeeded. A failed build
//! leaves the previous site untouched.
//!
//! Takes relative paths and bytes; gives a complete output folder on `commit`.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// Folder (inside the output) that holds build data: the search index, the marker.
pub const DATA_DIR: &str = ".docask";

/// An output folder being built.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

impl Staging {
    /// Prepares a staging folder for `target`. Refuses to replace a non-empty folder
    /// that is not a docask site, or one that contains `content`.
    pub fn new(target: &Path, content: &Path) -> Result<Self> {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent).with_context(|| format!("failed to create `{}`", parent.display()))?;
        if target.exists() {
            let is_site = target.join(DATA_DIR).is_dir();
            let empty = fs::read_dir(target).map(|mut d| d.next().is_none()).unwrap_or(false);
            if !is_site && !empty {
                bail!("`{}` exists and is not a docask site; remove it or choose another --out", target.display());
            }
            let (t, c) = (target.canonicalize()?, content.canonicalize()?);
            if c.starts_with(&t) {
                bail!("the output folder `{}` contains the content folder; choose another --out", target.display());
            }
        }
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).with_context(|| format!("failed to clear `{}`", tmp.display()))?;
        }
        fs::create_dir_all(tmp.join(DATA_DIR)).with_context(|| format!("failed to create `{}`", tmp.display()))?;
        Ok(Staging { target: target.to_path_buf(), tmp, committed: false })
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

    /// Copies the file `src` to `rel`.
    pub fn copy(&self, src: &Path, rel: &str) -> Result<()> {
        let path = self.tmp.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("failed to create `{}`", dir.display()))?;
        }
        fs::copy(src, &path).with_context(|| format!("failed to copy `{}`", src.display()))?;
        Ok(())
    }

    /// Swaps the staging folder in place of the target.
    pub fn commit(mut self) -> Result<()> {
        let old = self.tmp.with_file_name(format!(
            "{}.old",
            self.tmp.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        ));
        if self.target.exists() {
            fs::rename(&self.target, &old)
                .with_context(|| format!("failed to move the previous `{}` aside", self.target.display()))?;
        }
        if let Err(e) = fs::rename(&self.tmp, &self.target) {
            // Put the previous site back before reporting.
            let _ = fs::rename(&old, &self.target);
            return Err(e).with_context(|| format!("failed to move the new site to `{}`", self.target.display()));
        }
        self.committed = true;
        if old.exists() {
            fs::remove_dir_all(&old).with_context(|| format!("failed to remove `{}`", old.display()))?;
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
            let _ = fs::remove_dir_all(&self.tmp);
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
}
