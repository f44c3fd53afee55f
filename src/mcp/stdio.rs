//! `docask mcp`: the tools over stdio, for editors and desktop agents that start a
//! local process. Messages go over stdin and stdout only (diagnostics to stderr);
//! the server exits cleanly when the client closes stdin. A rebuild of the site
//! (`docask build` into the same folder) is picked up on the next call.
//!
//! Takes the output folder of a built site; gives a running server until the
//! client leaves.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use anyhow::{Context, Result};
use rmcp::ServiceExt;

use super::DocsTools;
use crate::index::meta::FILE as SITE_JSON;
use crate::live::{Current, Live};
use crate::write::DATA_DIR;

/// Serves the site built into `out` over stdin and stdout until stdin closes.
pub fn run(out: &Path) -> Result<()> {
    let current = Current::open(out)?;
    let reload = Reload::new(out);
    let tools = DocsTools::reloading(Live::new(current), reload);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("failed to start the async runtime")?;
    runtime.block_on(serve(tools))
}

async fn serve(tools: DocsTools) -> Result<()> {
    let service = match tools.serve(rmcp::transport::stdio()).await {
        Ok(service) => service,
        // A client that leaves before the handshake is not an error of ours.
        Err(e) if is_closed(&e) => return Ok(()),
        Err(e) => return Err(anyhow::anyhow!("the MCP handshake failed: {e}")),
    };
    service.waiting().await.context("the MCP server stopped unexpectedly")?;
    Ok(())
}

fn is_closed(e: &rmcp::service::ServerInitializeError) -> bool {
    matches!(e, rmcp::service::ServerInitializeError::ConnectionClosed(_))
}

/// Reopens the build when its `site.json` changes, so a long-lived `docask mcp`
/// answers from the latest `docask build`.
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
            Err(e) => eprintln!("docask mcp: keeping the previous build: {e:#}"),
        }
    }
}

/// When the build in `out` was written, if it is there.
fn stamp(out: &Path) -> Option<SystemTime> {
    std::fs::metadata(out.join(DATA_DIR).join(SITE_JSON)).and_then(|m| m.modified()).ok()
}
