//! The index folder as the engine opens it: tantivy's memory-mapped files, except
//! the document store (the sections' texts, most of the index), which is read by
//! positional reads. A mapped page, once read, counts in the server's resident
//! memory for as long as the index stays open; the store's pages are read a block at
//! a time for the few sections a response quotes, so over many questions they would
//! map the whole store. Read into a buffer instead, they leave memory with it (the
//! kernel's page cache still keeps them for the next read).
//!
//! Takes an index folder; gives a tantivy `Directory`.

use std::fs::File;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::HasLen;

/// An index folder whose document store is read by positional reads.
#[derive(Clone, Debug)]
pub struct StoreByReads {
    root: PathBuf,
    mapped: MmapDirectory,
}

impl StoreByReads {
    /// Opens the index folder `root`.
    pub fn open(root: &Path) -> Result<Self, OpenDirectoryError> {
        Ok(StoreByReads { root: root.to_path_buf(), mapped: MmapDirectory::open(root)? })
    }
}

/// A file read at an offset for each request.
#[derive(Debug)]
struct ReadFile {
    file: File,
    len: usize,
}

impl HasLen for ReadFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for ReadFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        let end = range.end.min(self.len);
        let mut buffer = vec![0; end.saturating_sub(range.start)];
        read_exact_at(&self.file, &mut buffer, range.start as u64)?;
        Ok(OwnedBytes::new(buffer))
    }
}

/// Fills `buffer` from `file` at byte `at`.
#[cfg(unix)]
fn read_exact_at(file: &File, buffer: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, at)
}

/// Fills `buffer` from `file` at byte `at`.
#[cfg(windows)]
fn read_exact_at(file: &File, mut buffer: &mut [u8], mut at: u64) -> io::Result<()> {
    while !buffer.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_read(file, buffer, at)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buffer = &mut buffer[n..];
        at += n as u64;
    }
    Ok(())
}

impl Directory for StoreByReads {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if path.extension().is_none_or(|e| e != "store") {
            return self.mapped.get_file_handle(path);
        }
        let opened = File::open(self.root.join(path)).and_then(|file| {
            let len = usize::try_from(file.metadata()?.len()).map_err(io::Error::other)?;
            Ok(ReadFile { file, len })
        });
        match opened {
            Ok(file) => Ok(Arc::new(file)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(OpenReadError::FileDoesNotExist(path.to_path_buf())),
            Err(e) => Err(OpenReadError::wrap_io_error(e, path.to_path_buf())),
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mapped.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mapped.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mapped.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mapped.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.mapped.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.mapped.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.mapped.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mapped.watch(callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_files_are_read_at_offsets_and_others_mapped() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a.store"), b"0123456789").expect("write");
        std::fs::write(dir.path().join("a.idx"), b"abcdef").expect("write");
        let d = StoreByReads::open(dir.path()).expect("open");
        let store = d.get_file_handle(Path::new("a.store")).expect("store");
        assert_eq!(store.len(), 10);
        assert_eq!(store.read_bytes(2..5).expect("read").as_slice(), b"234");
        assert_eq!(store.read_bytes(8..20).expect("read past the end").as_slice(), b"89");
        assert!(store.read_bytes(4..4).expect("empty").is_empty());
        let idx = d.get_file_handle(Path::new("a.idx")).expect("idx");
        assert_eq!(idx.read_bytes(1..3).expect("read").as_slice(), b"bc");
        assert!(matches!(d.get_file_handle(Path::new("missing.store")), Err(OpenReadError::FileDoesNotExist(_))));
    }

    #[test]
    fn locks_are_the_mapped_directory_s() {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = StoreByReads::open(dir.path()).expect("open");
        let lock = Lock { filepath: PathBuf::from(".test.lock"), is_blocking: false };
        let held = d.acquire_lock(&lock).expect("first lock");
        drop(held);
        // A lock file left behind by a released lock does not block the next one.
        assert!(d.acquire_lock(&lock).is_ok());
    }
}
