//! Live preview (`serve --watch`): watches the content folder and, after 30 ms
//! without a further change, updates the site. An edit to the text of pages patches
//! the build being served in place (`build::patch`: each file replaced in one step).
//! Any other change rebuilds the site and its index into a new folder of its own
//! (`.<out>.live-<pid>-<n>` beside the output folder), which is then swapped in.
//! Requests in flight keep the build they started with (an `Arc`); a replaced
//! build's folder is deleted once no request uses it, so no request ever sees a
//! missing file. A failed update keeps the last good build served and reports the
//! error (file and line) on stderr and to open pages. On shutdown the build being
//! served is moved to the output folder.
//!
//! Takes the server state and the build options; runs on a thread of its own.

use std::collections::BTreeSet;
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
use crate::build::{self, BuildOptions, BuildReport, Parses, Snapshot};
use crate::live::Current;

/// Quiet time after a change before rebuilding (editors save in bursts of a few
/// writes and renames, milliseconds apart).
const DEBOUNCE: Duration = Duration::from_millis(30);
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
    /// Starts watching `opts.content`, rebuilding into folders beside `opts.out`;
    /// `built` is the snapshot of the build being served and its pages' parses, if it
    /// was built just now.
    pub fn start(state: AppState, opts: BuildOptions, built: Option<(Snapshot, Parses)>) -> Result<Watcher> {
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
        let rebuilder = Rebuilder::new(state.clone(), opts, content, out.clone(), built);
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

/// Replaces `out` with the folder `build`, in one step, and deletes the previous one.
fn promote(build: &Path, out: &Path) -> Result<()> {
    if let crate::write::Swapped::Previous(old) = crate::write::swap_in(build, out)? {
        crate::write::remove_tree(&old)
            .with_context(|| format!("failed to remove the previous site `{}`", old.display()))?;
    }
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
    /// The snapshot of the build being served (none after a failed patch).
    served: Option<Snapshot>,
    /// The pages' parses, reused for the pages an update did not change.
    parses: Parses,
    /// Files changed since the build being served.
    pending: Changes,
}

/// Files changed since the build being served.
#[derive(Default)]
struct Changes {
    paths: BTreeSet<PathBuf>,
    /// Those that did not exist before their first change.
    created: BTreeSet<PathBuf>,
}

impl Changes {
    fn add(&mut self, event: notify::Event) {
        let created = matches!(event.kind, EventKind::Create(_));
        for path in event.paths {
            if created && !self.paths.contains(&path) {
                self.created.insert(path.clone());
            }
            self.paths.insert(path);
        }
    }

    /// Whether a patch can take in every change: each path is a page of the build
    /// `last` describes, or a file that came and went (editors write a temporary
    /// file and rename it over the page, or probe the folder with one).
    fn patchable(&self, last: &Snapshot) -> bool {
        self.paths.iter().all(|p| last.is_page(p) || (self.created.contains(p) && !p.exists()))
    }
}

/// How a change was taken in.
enum Update {
    /// The edited pages patched.
    Patched,
    /// The pages that show the edit rendered again, the changed files replaced in place.
    Rewritten,
    /// A new site built beside the served one.
    Rebuilt,
}

impl Rebuilder {
    fn new(
        state: AppState,
        opts: BuildOptions,
        content: PathBuf,
        out: PathBuf,
        built: Option<(Snapshot, Parses)>,
    ) -> Self {
        let opts = BuildOptions { quiet: true, ..opts };
        let (served, parses) = match built {
            Some((snapshot, parses)) => (Some(snapshot), parses),
            None => (None, Parses::new(build::parses::DEFAULT_BUDGET)),
        };
        Rebuilder {
            state,
            opts,
            content,
            out,
            generation: 0,
            retired: Vec::new(),
            served,
            parses,
            pending: Changes::default(),
        }
    }

    fn run(mut self, rx: Receiver<Message>) {
        loop {
            match rx.recv_timeout(SWEEP_EVERY) {
                Ok(Message::Changed(event)) if self.relevant(&event) => {
                    self.pending.add(event);
                    if !self.settle(&rx) {
                        break;
                    }
                    self.update();
                }
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => break,
                Ok(Message::Changed(_)) | Err(RecvTimeoutError::Timeout) => {}
            }
            self.sweep();
        }
        self.sweep();
    }

    /// Waits until no relevant change came for `DEBOUNCE`, gathering the changes;
    /// false when told to stop.
    fn settle(&mut self, rx: &Receiver<Message>) -> bool {
        let mut deadline = Instant::now() + DEBOUNCE;
        loop {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(Message::Changed(event)) if self.relevant(&event) => {
                    self.pending.add(event);
                    deadline = Instant::now() + DEBOUNCE;
                }
                Ok(Message::Changed(_)) => {}
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return false,
                Err(RecvTimeoutError::Timeout) => return true,
            }
        }
    }

    /// Takes in the pending changes (those of failed updates too): patches the build
    /// being served when only pages' text changed, or rebuilds the site into a new
    /// folder.
    fn update(&mut self) {
        self.generation += 1;
        let start = Instant::now();
        super::memory::hold_freed_memory();
        let updated = self.patch_or_rebuild(start);
        super::memory::release_freed_memory();
        super::memory::return_freed_memory_at_once();
        match updated {
            Ok((how, report, current)) => {
                let old = self.state.live().get();
                self.state.swap(current, report.theme, self.generation);
                if old.out != self.out && old.out != self.state.live().get().out {
                    self.retired.push((Arc::downgrade(&old), old.out.clone()));
                }
                for warning in &report.warnings {
                    eprintln!("{warning}");
                }
                let ms = start.elapsed().as_millis() as u64;
                let parsed = report.parses.parsed();
                match how {
                    Update::Patched => tracing::info!(pages = report.pages, parsed, ms, "patched; pages reload"),
                    Update::Rewritten => {
                        tracing::info!(
                            pages = report.pages,
                            parsed,
                            ms,
                            "rewrote the pages showing the edit; pages reload"
                        )
                    }
                    Update::Rebuilt => tracing::info!(pages = report.pages, parsed, ms, "rebuilt; pages reload"),
                }
                self.served = Some(report.snapshot);
                self.parses = report.parses;
                self.pending = Changes::default();
            }
            Err(e) => {
                let message = format!("{e:#}");
                eprintln!("error: {message}\n(still serving the last good build; fix the error to update it)");
                if let Some(hub) = self.state.hub() {
                    hub.failed(message);
                }
            }
        }
    }

    fn patch_or_rebuild(&mut self, start: Instant) -> Result<(Update, BuildReport, Current)> {
        let prepared = build::prepare_for(&self.opts, self.parses.take())?;
        let prepared_ms = start.elapsed().as_millis() as u64;
        let served = self.state.live().get();
        // Opens the build written into `out` for asks, logging how long each step took
        // for `RUST_LOG=debug` (a slow preview says where).
        let open = |out: &Path| {
            let written_ms = start.elapsed().as_millis() as u64;
            let current = Current::reopen(out, &served)?;
            let opened_ms = start.elapsed().as_millis() as u64;
            tracing::debug!(prepared_ms, written_ms, opened_ms, "update steps (ms since the update began)");
            anyhow::Ok(current)
        };
        // A failed patch may have replaced some files: then the next change rebuilds all.
        let last = self.served.take();
        let next = Snapshot::of(&prepared);
        let edited = last
            .as_ref()
            .filter(|last| self.pending.patchable(last))
            .and_then(|last| Some((last, last.edited(&next)?)));
        if let Some((last, edited)) = edited {
            let report = build::patch::patch(last, next, prepared, &edited, &served.out, start)?;
            return Ok((Update::Patched, report, open(&served.out)?));
        }
        // An edit other pages show (a title in sidebars, pagers, cards): the pages
        // showing it rewritten in place.
        if let Some(last) = last.as_ref().filter(|last| self.pending.patchable(last) && last.same_pages(&next)) {
            let report = build::patch::patch_all(last, next, prepared, &served.out, start)?;
            return Ok((Update::Rewritten, report, open(&served.out)?));
        }
        let dir = sibling(&self.out, &format!("live-{}-{}", std::process::id(), self.generation));
        // The served site gives the new one the vectors of its unchanged sections.
        let built = build::write(&self.opts, prepared, &dir, &served.out, start)
            .and_then(|report| Ok((Update::Rebuilt, report, open(&dir)?)));
        if built.is_err() {
            let _ = fs::remove_dir_all(&dir);
        }
        built
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
    fn files_that_came_and_went_do_not_stop_a_patch() {
        use notify::event::{CreateKind, RemoveKind};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        fs::write(root.join("README.md"), "# Home\n").unwrap();
        fs::write(root.join("a.md"), "# A\n").unwrap();
        fs::write(root.join("SUMMARY.md"), "* [Home](README.md)\n* [A](a.md)\n").unwrap();
        let last = Snapshot::of(&build::prepare(&root, None, None).unwrap());
        let event = |kind, path: PathBuf| notify::Event::new(kind).add_path(path);

        let mut changes = Changes::default();
        changes.add(event(EventKind::Modify(ModifyKind::Any), root.join("a.md")));
        assert!(changes.patchable(&last), "a page's text");
        changes.add(event(EventKind::Create(CreateKind::File), root.join("4913")));
        changes.add(event(EventKind::Remove(RemoveKind::File), root.join("4913")));
        assert!(changes.patchable(&last), "an editor's probe file, created and deleted");

        fs::write(root.join("notes.txt"), "new").unwrap();
        changes.add(event(EventKind::Create(CreateKind::File), root.join("notes.txt")));
        assert!(!changes.patchable(&last), "a new file that stays");

        let mut gone = Changes::default();
        fs::remove_file(root.join("SUMMARY.md")).unwrap();
        gone.add(event(EventKind::Remove(RemoveKind::File), root.join("SUMMARY.md")));
        assert!(!gone.patchable(&last), "a file of the build, deleted");
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
