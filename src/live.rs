//! The live site: the build being served (its output folder and opened ask engine),
//! shared by the HTTP server and the MCP tools, and swapped in one step when a
//! rebuild finishes, so no request ever sees half of two builds.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use anyhow::Result;

use crate::ask::Engine;

/// One complete build, ready to serve.
pub struct Current {
    /// The output folder the files are served from.
    pub out: PathBuf,
    /// The ask engine over its index.
    pub engine: Engine,
}

impl Current {
    /// Opens the build in `out`.
    pub fn open(out: &Path) -> Result<Self> {
        Ok(Current { out: out.to_path_buf(), engine: Engine::open(out)? })
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
