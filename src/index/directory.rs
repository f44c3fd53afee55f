//! The folder an index is written to: tantivy's memory-mapped directory, less its
//! syncs. tantivy makes each file durable as it finishes it (`fdatasync` on every
//! segment file, `meta.json` and the folder): about twenty waits for the disk in any
//! build, two thirds of the wall time of a small site's build on a disk. A docask
//! index is part of a site that is built in a staging folder and swapped in whole,
//! like the pages beside it, which were never synced: a crash before the swap leaves
//! the previous site, and the kernel writes the files back in its own time, as it does
//! for every page. Reads, deletes and locks are tantivy's own.
//!
//! Takes the index folder; gives a `Directory` for `Index::open`.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, TerminatingWrite, WatchCallback,
    WatchHandle, WritePtr,
};

/// An index folder whose writes are not synced.
#[derive(Clone, Debug)]
pub struct Unsynced {
    inner: MmapDirectory,
    root: PathBuf,
}

impl Unsynced {
    /// The existing folder `root`.
    pub fn open(root: &Path) -> Result<Self, OpenDirectoryError> {
        Ok(Unsynced { inner: MmapDirectory::open(root)?, root: root.to_path_buf() })
    }
}

/// A new file, finished by a flush only.
struct FileWriter(File);

impl Write for FileWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl TerminatingWrite for FileWriter {
    fn terminate_ref(&mut self, _: AntiCallToken) -> io::Result<()> {
        self.0.flush()
    }
}

impl Directory for Unsynced {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        // Never over an existing file: tantivy's files are written once.
        let file = OpenOptions::new().write(true).create_new(true).open(self.root.join(path)).map_err(|e| {
            if e.kind() == io::ErrorKind::AlreadyExists {
                OpenWriteError::FileAlreadyExists(path.to_path_buf())
            } else {
                OpenWriteError::wrap_io_error(e, path.to_path_buf())
            }
        })?;
        Ok(BufWriter::new(Box::new(FileWriter(file))))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    /// Written beside and renamed over: a reader sees the old bytes or the new ones.
    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        crate::write::replace(&self.root.join(path), data).map_err(|e| io::Error::other(format!("{e:#}")))
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_written_once_and_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let d = Unsynced::open(dir.path()).unwrap();
        let mut w = d.open_write(Path::new("seg.idx")).unwrap();
        w.write_all(b"postings").unwrap();
        w.terminate().unwrap();
        assert_eq!(std::fs::read(dir.path().join("seg.idx")).unwrap(), b"postings");
        assert!(matches!(d.open_write(Path::new("seg.idx")), Err(OpenWriteError::FileAlreadyExists(_))));

        d.atomic_write(Path::new("meta.json"), b"{}").unwrap();
        d.atomic_write(Path::new("meta.json"), b"{\"v\":2}").unwrap();
        assert_eq!(d.atomic_read(Path::new("meta.json")).unwrap(), b"{\"v\":2}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "no temporary file left beside them");
        assert!(Unsynced::open(&dir.path().join("missing")).is_err());
    }
}
