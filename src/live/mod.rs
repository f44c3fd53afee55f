//! The live site: the build being served (its output folder, opened ask engine and
//! what serving it keeps in memory), shared by the HTTP server and the MCP tools,
//! and swapped in one step when a rebuild finishes, so no request ever sees half of
//! two builds. Each build has memory of its own (files, answers, the "nearest
//! pages" finder): a new build starts with none, so nothing of the previous one is
//! ever served from memory.

pub mod nearest;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::SystemTime;

use anyhow::Result;

use crate::ask::Engine;
use crate::index::meta::FILE as SITE_JSON;
use crate::serve::cache::BuildCache;
use crate::write::{DirLock, DATA_DIR};
pub use nearest::Nearest;

/// One complete build, ready to serve.
pub struct Current {
    /// The output folder the files are served from.
    pub out: PathBuf,
    /// The ask engine over its index.
    pub engine: Engine,
    /// What the HTTP server keeps in memory for this build (files, answers).
    pub cache: BuildCache,
    nearest: OnceLock<Nearest>,
    /// A shared lock on the folder: no build removes it as stale while it is served.
    _lock: Option<DirLock>,
}

impl Current {
    /// Opens the build in `out`.
    pub fn open(out: &Path) -> Result<Self> {
        Self::with_engine(out, Engine::open(out)?)
    }

    /// Opens the build in `out` that replaces `previous`, sharing what never changes.
    pub fn reopen(out: &Path, previous: &Current) -> Result<Self> {
        Self::with_engine(out, Engine::reopen(out, &previous.engine)?)
    }

    fn with_engine(out: &Path, engine: Engine) -> Result<Self> {
        let cache = BuildCache::new(engine.meta());
        Ok(Current {
            out: out.to_path_buf(),
            engine,
            cache,
            nearest: OnceLock::new(),
            _lock: DirLock::shared(out).ok(),
        })
    }

    /// The finder of the pages nearest to a path, made on first use.
    pub fn nearest(&self) -> &Nearest {
        self.nearest.get_or_init(|| Nearest::new(self.engine.meta()))
    }
}

/// A handle to the build being served; cheap to clone.
#[derive(Clone)]
pub struct Live {
    inner: Arc<RwLock<Arc<Current>>>,
}

impl Live {
    /// Serves `current`.
    pub fn new(current: Current) -> Self {
        Live { inner: Arc::new(RwLock::new(Arc::new(current))) }
    }

    /// The build to answer this request from (kept alive while the request uses it).
    pub fn get(&self) -> Arc<Current> {
        match self.inner.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Swaps in a new build.
    pub fn set(&self, current: Current) {
        let next = Arc::new(current);
        match self.inner.write() {
            Ok(mut guard) => *guard = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
    }
}

/// Reopens the build when its `site.json` changes, so a long-lived `docask mcp` or
/// `docask serve` (without `--watch`) answers from the latest `docask build` into
/// its folder.
pub struct Reload {
    out: PathBuf,
    stamp: Mutex<Option<SystemTime>>,
}

impl Reload {
    /// Watches the build in `out`, as opened now.
    pub fn new(out: &Path) -> Self {
        Reload { out: out.to_path_buf(), stamp: Mutex::new(stamp(out)) }
    }

    /// Swaps a rebuilt site into `live`; keeps the open one while a rebuild is half
    /// written or failed.
    pub fn refresh(&self, live: &Live) {
        let now = stamp(&self.out);
        let mut seen = match self.stamp.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if now.is_none() || now == *seen {
            return;
        }
        match Current::open(&self.out) {
            Ok(current) => {
                live.set(current);
                *seen = now;
            }
            Err(e) => eprintln!("docask: keeping the previous build: {e:#}"),
        }
    }
}

/// When the build in `out` was written, if it is there.
fn stamp(out: &Path) -> Option<SystemTime> {
    std::fs::metadata(out.join(DATA_DIR).join(SITE_JSON)).and_then(|m| m.modified()).ok()
}
