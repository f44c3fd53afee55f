//! Swapping a finished folder into place in one step, so that the path names either
//! the previous site or the new one at every moment, never nothing: `renameat2` with
//! `RENAME_EXCHANGE` on Linux (`renameatx_np` with `RENAME_SWAP` on Apple systems),
//! or `RENAME_NOREPLACE` when there is no previous site. Where the system or the file
//! system cannot exchange (another OS, NFS, some FUSE mounts), two renames, with the
//! previous site put back if the second fails.
//!
//! Takes the finished folder and the target path; gives back where the previous
//! site now is, for its owner to delete.

use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// What `swap_in` left behind.
#[derive(Debug, PartialEq, Eq)]
pub enum Swapped {
    /// The target did not exist; nothing to delete.
    Fresh,
    /// The previous target is now at this path (the finished folder's old name).
    Previous(PathBuf),
}

/// Moves the folder `new` to `target`, replacing what is there in one step where the
/// system allows it.
pub fn swap_in(new: &Path, target: &Path) -> Result<Swapped> {
    match atomic(new, target) {
        Ok(swapped) => Ok(swapped),
        Err(e) if unsupported(&e) => two_renames(new, target),
        Err(e) => Err(e).with_context(|| format!("failed to move `{}` to `{}`", new.display(), target.display())),
    }
}

/// Whether the error says that the atomic calls are not available here.
#[cfg(unix)]
fn unsupported(e: &io::Error) -> bool {
    use rustix::io::Errno;
    e.kind() == io::ErrorKind::Unsupported
        || Errno::from_io_error(e).is_some_and(|n| n == Errno::INVAL || n == Errno::NOSYS || n == Errno::OPNOTSUPP)
}

#[cfg(not(unix))]
fn unsupported(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Unsupported
}

/// Rename without replacing; when the target exists, exchange the two.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn atomic(new: &Path, target: &Path) -> io::Result<Swapped> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, new, CWD, target, RenameFlags::NOREPLACE) {
        Ok(()) => return Ok(Swapped::Fresh),
        Err(e) if e == rustix::io::Errno::EXIST || e == rustix::io::Errno::NOTEMPTY => {}
        Err(e) => return Err(e.into()),
    }
    renameat_with(CWD, new, CWD, target, RenameFlags::EXCHANGE)?;
    Ok(Swapped::Previous(new.to_path_buf()))
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn atomic(_new: &Path, _target: &Path) -> io::Result<Swapped> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The fallback: the target moves aside under the finished folder's name with
/// `.old` added, then the finished folder moves in. Between the two a reader finds
/// no target.
pub fn two_renames(new: &Path, target: &Path) -> Result<Swapped> {
    let mut aside = new.as_os_str().to_owned();
    aside.push(".old");
    let aside = PathBuf::from(aside);
    let existed = target.symlink_metadata().is_ok();
    if existed {
        std::fs::rename(target, &aside)
            .with_context(|| format!("failed to move the previous `{}` aside", target.display()))?;
    }
    if let Err(e) = std::fs::rename(new, target) {
        if existed {
            let _ = std::fs::rename(&aside, target);
        }
        return Err(e).with_context(|| format!("failed to move `{}` to `{}`", new.display(), target.display()));
    }
    Ok(if existed { Swapped::Previous(aside) } else { Swapped::Fresh })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;

    fn folder(path: &Path, text: &str) {
        fs::create_dir_all(path).unwrap();
        fs::write(path.join("index.html"), text).unwrap();
    }

    #[test]
    fn moves_in_fresh_and_exchanges_with_a_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let (new, target) = (dir.path().join(".out.tmp"), dir.path().join("out"));
        folder(&new, "one");
        assert_eq!(swap_in(&new, &target).unwrap(), Swapped::Fresh);
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "one");
        folder(&new, "two");
        let Swapped::Previous(old) = swap_in(&new, &target).unwrap() else {
            panic!("the previous site is handed back")
        };
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "two");
        assert_eq!(fs::read_to_string(old.join("index.html")).unwrap(), "one");
    }

    /// Counts the moments a reader polling the target found nothing there while
    /// `swap` replaced it `rounds` times.
    fn gaps_seen(swap: fn(&Path, &Path) -> Result<Swapped>, rounds: usize) -> usize {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        folder(&target, "first");
        let (done, gaps) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
        let reader = {
            let (done, gaps, probe) = (done.clone(), gaps.clone(), target.join("index.html"));
            std::thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    if fs::symlink_metadata(&probe).is_err() {
                        gaps.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        };
        for i in 0..rounds {
            let new = dir.path().join(format!(".out.tmp-{i}"));
            folder(&new, &i.to_string());
            if let Swapped::Previous(old) = swap(&new, &target).unwrap() {
                fs::remove_dir_all(old).unwrap();
            }
        }
        done.store(true, Ordering::Relaxed);
        reader.join().unwrap();
        gaps.load(Ordering::Relaxed)
    }

    #[test]
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    fn a_reader_never_finds_the_site_missing() {
        assert_eq!(gaps_seen(swap_in, 300), 0, "the target was missing during a swap");
    }
}
