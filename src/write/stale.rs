//! Folders that builds leave beside the output folder, and who owns them: a build
//! stages into `.<out>.tmp-<pid>-<random>`, `serve --watch` builds each version into
//! `.<out>.live-<pid>-<n>`, and a swap may leave the previous site under such a
//! name for a moment. A build killed before it cleans up leaves its folder behind;
//! the next build removes it, but only when its owner is gone: the process named in
//! it has exited, and no process holds a lock on it (owners hold one while they
//! use the folder, which also covers processes of other PID namespaces sharing the
//! disk).
//!
//! Takes the output folder's parent and name; gives `DirLock`s to owners and removes
//! what nobody owns.

use std::fs;
use std::io;
use std::path::Path;

/// The kinds of folders docask keeps beside an output folder `out`:
/// `.<out>.<kind>-<pid>…`.
const KINDS: [&str; 3] = ["tmp", "live", "old"];

/// A lock held on a folder while it is in use; released when dropped (or when the
/// process dies).
#[derive(Debug)]
pub struct DirLock {
    #[cfg(unix)]
    _fd: rustix::fd::OwnedFd,
}

impl DirLock {
    /// Locks `dir` for its only owner: a build writing into it.
    pub fn exclusive(dir: &Path) -> io::Result<DirLock> {
        lock(dir, false)
    }

    /// Locks `dir` as one of its readers: a server serving it.
    pub fn shared(dir: &Path) -> io::Result<DirLock> {
        lock(dir, true)
    }
}

#[cfg(unix)]
fn lock(dir: &Path, shared: bool) -> io::Result<DirLock> {
    use rustix::fs::{flock, FlockOperation};
    let fd = open_dir(dir)?;
    let op = if shared { FlockOperation::NonBlockingLockShared } else { FlockOperation::NonBlockingLockExclusive };
    flock(&fd, op)?;
    Ok(DirLock { _fd: fd })
}

#[cfg(unix)]
fn open_dir(dir: &Path) -> io::Result<rustix::fd::OwnedFd> {
    use rustix::fs::{open, Mode, OFlags};
    Ok(open(dir, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC, Mode::empty())?)
}

#[cfg(not(unix))]
fn lock(_dir: &Path, _shared: bool) -> io::Result<DirLock> {
    Ok(DirLock {})
}

/// Removes the folders beside `parent/name` that builds or servers left and no longer
/// own; gives how many it removed. Folders it cannot judge stay.
pub fn remove_stale(parent: &Path, name: &str) -> usize {
    let Ok(entries) = fs::read_dir(parent) else { return 0 };
    let mut removed = 0;
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| owner_pid(n, name)) else { continue };
        let path = entry.path();
        if !entry.file_type().is_ok_and(|t| t.is_dir()) || process_alive(pid) {
            continue;
        }
        // Holding the lock while deleting keeps a late owner from starting to use it.
        let Ok(_lock) = DirLock::exclusive(&path) else { continue };
        if super::remove_tree(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The process id in the name of a folder docask keeps beside `out`, if it is one.
fn owner_pid(file_name: &str, out: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_prefix(out)?.strip_prefix('.')?;
    let (kind, rest) = rest.split_once('-')?;
    if !KINDS.contains(&kind) {
        return None;
    }
    let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    rest[..digits].parse().ok()
}

/// Whether process `pid` exists (ours, or any other that a signal could reach).
#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    use rustix::io::Errno;
    use rustix::process::{test_kill_process, Pid};
    if pid == std::process::id() {
        return true;
    }
    let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else { return true };
    !matches!(test_kill_process(pid), Err(e) if e == Errno::SRCH)
}

/// Without a way to ask, every owner counts as alive: nothing is removed.
#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_owner_from_the_name() {
        assert_eq!(owner_pid(".public.tmp-123-xYz9", "public"), Some(123));
        assert_eq!(owner_pid(".public.tmp-123", "public"), Some(123));
        assert_eq!(owner_pid(".public.tmp-123.old", "public"), Some(123));
        assert_eq!(owner_pid(".public.live-77-3", "public"), Some(77));
        assert_eq!(owner_pid(".public.old-5", "public"), Some(5));
        assert_eq!(owner_pid(".public.tmp-", "public"), None);
        assert_eq!(owner_pid(".other.tmp-1", "public"), None);
        assert_eq!(owner_pid("public", "public"), None);
        assert_eq!(owner_pid(".public.cache-1", "public"), None);
    }

    /// The id of a process that has exited.
    #[cfg(unix)]
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().expect("`true` runs");
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[test]
    #[cfg(unix)]
    fn removes_only_what_no_live_process_owns() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dead_pid();
        let stale = dir.path().join(format!(".public.tmp-{dead}-abc"));
        let stale_old = dir.path().join(format!(".public.tmp-{dead}.old"));
        let ours = dir.path().join(format!(".public.live-{}-1", std::process::id()));
        let locked = dir.path().join(format!(".public.live-{dead}-2"));
        let foreign = dir.path().join(format!(".notes.tmp-{dead}"));
        for d in [&stale, &stale_old, &ours, &locked, &foreign] {
            fs::create_dir_all(d.join("sub")).unwrap();
        }
        let held = DirLock::shared(&locked).unwrap();
        assert_eq!(remove_stale(dir.path(), "public"), 2);
        assert!(!stale.exists() && !stale_old.exists(), "folders of a dead process are removed");
        assert!(ours.exists(), "a live process's folder stays");
        assert!(locked.exists(), "a folder someone holds a lock on stays");
        assert!(foreign.exists(), "another output's folder stays");
        drop(held);
        assert_eq!(remove_stale(dir.path(), "public"), 1);
    }
}
