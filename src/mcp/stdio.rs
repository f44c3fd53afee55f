//! `docask mcp`: the tools over stdio, for editors and desktop agents that start a
//! local process. Messages go over stdin and stdout only (diagnostics to stderr);
//! the server exits cleanly when the client closes stdin. A rebuild of the site
//! (`docask build` into the same folder) is picked up on the next call.
//!
//! Takes the output folder of a built site; gives a running server until the
//! client leaves.

use std::path::Path;

use anyhow::{Context, Result};
use rmcp::ServiceExt;

use super::DocsTools;
use crate::live::{Current, Live, Reload};

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
