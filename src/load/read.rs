//! Reading inside the content folder only: every read of the build goes through a
//! `Folder`, which refuses what leaves the folder (a symlink pointing out, a `root:`
//! outside it) with a diagnostic that never shows the file's contents, and reads text
//! as GitBook does (a UTF-8 byte-order mark dropped, invalid UTF-8 replaced).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// Text files larger than this are refused (chunk offsets are 32-bit).
const MAX_TEXT: u64 = crate::markdown::events::MAX_SOURCE as u64;

/// The content folder, canonical, that reads must stay in.
#[derive(Debug, Clone)]
pub struct Folder {
    root: PathBuf,
}

/// What a path inside the folder is, once symlinks are looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A file inside the folder (itself, or a symlink to one inside).
    File(PathBuf),
    /// A folder inside the folder.
    Dir(PathBuf),
    /// Nothing there.
    Missing,
    /// A symlink that leads outside the folder (or nowhere): not read.
    Outside,
}

impl Folder {
    /// The content folder at `path`, which must exist.
    pub fn open(path: &Path) -> Result<Self> {
        let root = path.canonicalize().with_context(|| format!("content folder `{}` not found", path.display()))?;
        if !root.is_dir() {
            bail!("content folder `{}` is not a folder", path.display());
        }
        Ok(Folder { root })
    }

    /// The canonical folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// What `path` (absolute, or relative to the folder) is.
    pub fn entry(&self, path: &Path) -> Entry {
        let path = self.root.join(path);
        match path.canonicalize() {
            Ok(real) if real.starts_with(&self.root) => {
                if real.is_dir() {
                    Entry::Dir(real)
                } else {
                    Entry::File(real)
                }
            }
            Ok(_) => Entry::Outside,
            Err(_) if fs::symlink_metadata(&path).is_ok() => Entry::Outside,
            Err(_) => Entry::Missing,
        }
    }

    /// The folder `sub` (relative), which must exist and stay inside: `.gitbook.yaml`'s
    /// `root`.
    pub fn subfolder(&self, sub: &str) -> Result<Folder> {
        match self.entry(Path::new(sub)) {
            Entry::Dir(root) => Ok(Folder { root }),
            Entry::Outside => {
                bail!("`.gitbook.yaml`: `root: {sub}` leaves the content folder; docask reads only inside it")
            }
            Entry::File(_) => bail!("`.gitbook.yaml`: `root: {sub}` is a file, not a folder"),
            Entry::Missing => bail!("`.gitbook.yaml`: `root: {sub}` does not exist in the content folder"),
        }
    }

    /// The text of the file `rel` if it exists; an error names it when it leads
    /// outside the folder or cannot be read.
    pub fn optional_text(&self, rel: &str) -> Result<Option<String>> {
        match self.entry(Path::new(rel)) {
            Entry::File(path) => read_text(&path).map(Some),
            Entry::Missing => Ok(None),
            Entry::Dir(_) => bail!("`{rel}` is a folder, not a file"),
            Entry::Outside => {
                bail!("`{rel}` is a symlink to a file outside the content folder; docask reads nothing outside it")
            }
        }
    }
}

/// Reads a text file: invalid UTF-8 is replaced, a leading byte-order mark dropped.
pub fn read_text(path: &Path) -> Result<String> {
    read_text_dated(path).map(|(text, _)| text)
}

/// `read_text`, with the file's modification time.
pub fn read_text_dated(path: &Path) -> Result<(String, Option<std::time::SystemTime>)> {
    let meta = fs::metadata(path).ok();
    let modified = meta.as_ref().and_then(|m| m.modified().ok());
    let size = meta.map_or(0, |m| m.len());
    if size > MAX_TEXT {
        bail!("`{}` is {size} bytes; text files over 4 GiB are not supported", path.display());
    }
    let bytes = fs::read(path).with_context(|| format!("failed to read `{}`", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    Ok((text.strip_prefix('\u{feff}').unwrap_or(&text).to_string(), modified))
}

/// Reads a file's bytes (theme files).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).with_context(|| format!("failed to read `{}`", path.display()))
}

/// `text` without the zero-width characters that editors leave in YAML (`\u{200b}`
/// before a key hides it from a YAML parser; GitBook reads through them).
pub fn without_zero_width(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlinks_out_of_the_folder_are_refused_without_their_contents() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "root:x:0:0\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("in.md"), "\u{feff}# In\n").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.path().join("docask.toml")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("in.md"), dir.path().join("alias.md")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("dangling.md")).unwrap();
        let folder = Folder::open(dir.path()).unwrap();
        let err = format!("{:#}", folder.optional_text("docask.toml").unwrap_err());
        assert!(err.contains("outside the content folder") && !err.contains("root:x"), "{err}");
        assert_eq!(folder.optional_text("alias.md").unwrap().as_deref(), Some("# In\n"));
        assert_eq!(folder.entry(Path::new("dangling.md")), Entry::Outside);
        assert_eq!(folder.optional_text("none.md").unwrap(), None);
        let root = format!("{:#}", folder.subfolder("../").unwrap_err());
        assert!(root.contains("leaves the content folder"), "{root}");
    }

    #[test]
    fn zero_width_characters_are_dropped() {
        assert_eq!(
            without_zero_width("\u{200b}structure:\n  summary: S.md\u{200b}\n"),
            "structure:\n  summary: S.md\n"
        );
    }
}
