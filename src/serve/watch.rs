//! Live preview (`serve --watch`): watches the content folder, and after 100 ms
//! without a further change rebuilds the site and its index into a new folder of its
//! own (`.<out>.live-<pid>-<n>` beside the output folder), then swaps it in. Requests
//! in flight keep the build they started with (an `Arc`); a replaced build's folder
//! is deleted once no request uses it, so no request ever sees a missing file. A
//! failed rebuild keeps the last good build served and reports the error (file and
//! line) on stderr and to open pages. On shutdown the build being served is moved
//! to the output folder.
//!
//! Takes the server state and the build options; runs on a thread of its own.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::event::{AccessKind, EventKind, MetadataKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};

use super::AppState;
use crate::build::{self, BuildOptions};
use crate::live::Current;
use crate::render::Theme;

/// Quiet time after a change before rebuilding (editors save in bursts).
const DEBOUNCE: Duration = Duration::from_millis(100);
/// How often replaced builds are checked for deletion.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

enum Message {
    Changed(notify::Event),
    Stop,
}

/// The running watcher.
pub struct Watcher {
    _notify: RecommendedWatcher,
    tx: Sender<Message>,
    thread: JoinHandle<()>,
    state: AppState,
    out: PathBuf,
}

impl Watcher {
    /// Starts watching `opts.content`, rebuilding into folders beside `opts.out`.
    pub fn start(state: AppState, opts: BuildOptions) -> Result<Watcher> {
        let content =
            opts.content.canonicalize().with_context(|| format!("cannot watch `{}`", opts.content.display()))?;
        let out = opts.out.canonicalize().with_context(|| format!("cannot find `{}`", opts.out.display()))?;
        let (tx, rx) = mpsc::channel();
        let events = tx.clone();
        let mut notify = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if let Ok(event) = event {
                let _ = events.send(Message::Changed(event));
            }
        })
        .context("cannot start the file watcher")?;
        notify
            .watch(&content, RecursiveMode::Recursive)
            .with_context(|| format!("cannot watch `{}`", content.display()))?;
        let rebuilder = Rebuilder::new(state.clone(), opts, content, out.clone());
        let thread = std::thread::Builder::new()
            .name("docask-watch".into())
            .spawn(move || rebuilder.run(rx))
            .context("cannot start the rebuild thread")?;
        Ok(Watcher { _notify: notify, tx, thread, state, out })
    }

    /// Stops watching, waits for a rebuild in progress, deletes replaced builds and
    /// moves the build being served to the output folder.
    pub fn finish(self) -> Result<()> {
        let _ = self.tx.send(Message::Stop);
        if self.thread.join().is_err() {
            tracing::error!("the rebuild thread panicked");
        }
        let served = self.state.live().get().out.clone();
        if served != self.out {
            promote(&served, &self.out)?;
        }
        Ok(())
    }
}

/// Replaces `out` with the folder `build`.
fn promote(build: &Path, out: &Path) -> Result<()> {
    let trash = sibling(out, &format!("old-{}", std::process::id()));
    if out.exists() {
        fs::rename(out, &trash).with_context(|| format!("failed to move `{}` aside", out.display()))?;
    }
    if let Err(e) = fs::rename(build, out) {
        let _ = fs::rename(&trash, out);
        return Err(e).with_context(|| format!("failed to move the latest build to `{}`", out.display()));
    }
    let _ = fs::remove_dir_all(&trash);
    Ok(())
}

/// `.<name>.<suffix>` beside `out`: a dot-folder, which content loading skips.
fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
    out.with_file_name(format!(".{name}.{suffix}"))
}

struct Rebuilder {
    state: AppState,
    opts: BuildOptions,
    content: PathBuf,
    out: PathBuf,
    generation: u64,
    /// Replaced builds, deleted when no request holds them any more.
    retired: Vec<(Weak<Current>, PathBuf)>,
}

impl Rebuilder {
    fn new(state: AppState, opts: BuildOptions, content: PathBuf, out: PathBuf) -> Self {
        let opts = BuildOptions { quiet: true, ..opts };
        Rebuilder { state, opts, content, out, generation: 0, retired: Vec::new() }
    }

    fn run(mut self, rx: Receiver<Message>) {
        loop {
            match rx.recv_timeout(SWEEP_EVERY) {
                Ok(Message::Changed(event)) if self.relevant(&event) => {
                    if !self.settle(&rx) {
                        break;
                    }
                    self.rebuild();
                }
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => break,
                Ok(Message::Changed(_)) | Err(RecvTimeoutError::Timeout) => {}
            }
            self.sweep();
        }
        self.sweep();
    }

    /// Waits until no relevant change came for `DEBOUNCE`; false when told to stop.
    fn settle(&self, rx: &Receiver<Message>) -> bool {
        let mut deadline = Instant::now() + DEBOUNCE;
        loop {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(Message::Changed(event)) if self.relevant(&event) => deadline = Instant::now() + DEBOUNCE,
                Ok(Message::Changed(_)) => {}
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return false,
                Err(RecvTimeoutError::Timeout) => return true,
            }
        }
    }

    fn rebuild(&mut self) {
        self.generation += 1;
        let dir = sibling(&self.out, &format!("live-{}-{}", std::process::id(), self.generation));
        let start = Instant::now();
        let built = build::build_into(&self.opts, &dir).and_then(|report| {
            let current = Current::open(&dir)?;
            let theme = Theme::new(&report.theme)?;
            Ok((report, current, theme))
        });
        super::release_freed_memory();
        match built {
            Ok((report, current, theme)) => {
                let old = self.state.live().get();
                self.state.swap(current, theme, self.generation);
                if old.out != self.out {
                    self.retired.push((Arc::downgrade(&old), old.out.clone()));
                }
                for warning in &report.warnings {
                    eprintln!("{warning}");
                }
                tracing::info!(pages = report.pages, ms = start.elapsed().as_millis() as u64, "rebuilt; pages reload");
            }
            Err(e) => {
                let _ = fs::remove_dir_all(&dir);
                let message = format!("{e:#}");
                eprintln!("error: {message}\n(still serving the last good build; fix the error to update it)");
                if let Some(hub) = self.state.hub() {
                    hub.failed(message);
                }
            }
        }
    }

    /// Deletes replaced builds that no request holds any more.
    fn sweep(&mut self) {
        self.retired.retain(|(build, dir)| {
            if build.strong_count() > 0 {
                return true;
            }
            if let Err(e) = fs::remove_dir_all(dir) {
                tracing::warn!(dir = %dir.display(), error = %e, "failed to delete a replaced build");
            }
            false
        });
    }

    /// Whether `event` changes the content: not a read, not our own output, not a
    /// dot-file (editor swap files, `.git`) other than GitBook's, not a backup.
    fn relevant(&self, event: &notify::Event) -> bool {
        let kind_counts = match event.kind {
            EventKind::Access(AccessKind::Close(notify::event::AccessMode::Write)) => true,
            EventKind::Access(_) | EventKind::Other => false,
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
            _ => true,
        };
        kind_counts && event.paths.iter().any(|p| self.is_content(p))
    }

    fn is_content(&self, path: &Path) -> bool {
        let Some(parent) = self.out.parent() else { return false };
        let ours = sibling(&self.out, "");
        let ours = ours.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if path.starts_with(&self.out)
            || path
                .strip_prefix(parent)
                .ok()
                .and_then(|r| r.components().next())
                .is_some_and(|c| c.as_os_str().to_string_lossy().starts_with(&ours))
        {
            return false;
        }
        let Ok(rel) = path.strip_prefix(&self.content) else { return false };
        let name = rel.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        let hidden = rel.components().any(|c| {
            let c = c.as_os_str().to_string_lossy();
            c.starts_with('.') && c != ".gitbook" && c != ".gitbook.yaml"
        });
        !hidden && !name.ends_with('~') && !name.ends_with(".swp") && !name.ends_with(".swx")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_are_dot_folders_beside_the_output() {
        assert_eq!(sibling(Path::new("/t/public"), "live-1-2"), PathBuf::from("/t/.public.live-1-2"));
    }

    #[test]
    fn promote_replaces_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let (out, build) = (dir.path().join("public"), dir.path().join(".public.live-1-1"));
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("a"), "old").unwrap();
        fs::create_dir_all(&build).unwrap();
        fs::write(build.join("a"), "new").unwrap();
        promote(&build, &out).unwrap();
        assert_eq!(fs::read_to_string(out.join("a")).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
