//! Writing into the served output folder itself, for a live update that rewrites
//! every page: each file whose bytes change is replaced in one step (a request sees
//! the old file or the new one, never a part), and a file whose bytes are the same is
//! left alone.
//!
//! Takes the output folder and relative paths with their bytes; gives the files
//! replaced.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result};

use super::{replace, Sink};

/// The served output folder, written in place.
#[derive(Debug)]
pub struct InPlace {
    root: PathBuf,
    replaced: AtomicUsize,
}

impl InPlace {
    /// Writes into `root`.
    pub fn new(root: &Path) -> Self {
        InPlace { root: root.to_path_buf(), replaced: AtomicUsize::new(0) }
    }

    /// How many files were replaced so far.
    pub fn replaced(&self) -> usize {
        self.replaced.load(Ordering::Relaxed)
    }
}

impl Sink for InPlace {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.root.join(rel);
        if fs::read(&path).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("failed to create `{}`", dir.display()))?;
        }
        replace(&path, bytes)?;
        self.replaced.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Writes the bytes of `existing` again at `rel`: replacing a file breaks the
    /// hard link a build makes between the two.
    fn link(&self, existing: &str, rel: &str) -> Result<()> {
        let from = self.root.join(existing);
        let bytes = fs::read(&from).with_context(|| format!("failed to read `{}`", from.display()))?;
        self.write(rel, &bytes)
    }

    /// An update that writes in place changed pages only, never an asset: the copy
    /// the served build holds is kept; one it lacks is copied.
    fn copy(&self, src: &Path, rel: &str) -> Result<()> {
        if self.root.join(rel).exists() {
            return Ok(());
        }
        let bytes = fs::read(src).with_context(|| format!("failed to read `{}`", src.display()))?;
        self.write(rel, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_files_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let sink = InPlace::new(dir.path());
        sink.write("a/b.html", b"one").unwrap();
        sink.write("a/b.html", b"one").unwrap();
        assert_eq!(sink.replaced(), 1, "the same bytes again replace nothing");
        sink.write("a/b.html", b"two").unwrap();
        assert_eq!(fs::read(dir.path().join("a/b.html")).unwrap(), b"two");
        sink.link("a/b.html", "c.html").unwrap();
        assert_eq!(fs::read(dir.path().join("c.html")).unwrap(), b"two");
        assert_eq!(sink.replaced(), 3);
        let src = dir.path().join("src.png");
        fs::write(&src, b"png").unwrap();
        sink.copy(&src, "img/x.png").unwrap();
        fs::write(&src, b"other").unwrap();
        sink.copy(&src, "img/x.png").unwrap();
        assert_eq!(fs::read(dir.path().join("img/x.png")).unwrap(), b"png", "an asset held is kept");
        let leftovers: Vec<_> = fs::read_dir(dir.path().join("a")).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left");
    }
}
