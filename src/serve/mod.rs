//! Serve: `docask serve` builds the site, then serves it over HTTP (DESIGN.md,
//! "HTTP"): pages at clean URLs, Markdown twins (`.md` or `Accept: text/markdown`),
//! answers to `?ask=` in Markdown, JSON or HTML, the agent files, `/healthz`, and 404s
//! and 400s in the asked-for format; hardened (paths stay inside the output, limits,
//! timeouts, security headers) and, with `--watch`, rebuilding and reloading pages.
//!
//! Takes `ServeOptions`; serves until Ctrl-C or SIGTERM. `router` gives the axum
//! `Router` over an `AppState` for in-process use and tests.

pub mod ask;
pub mod cache;
pub mod fast;
pub mod files;
pub mod headers;
pub mod html;
pub mod layers;
pub mod log;
pub mod memory;
pub mod negotiate;
pub mod params;
pub mod reload;
pub mod respond;
pub mod server;
pub mod site;
pub mod watch;

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::{Context, Result};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{middleware, Router};
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;

use crate::build::{self, BuildOptions, Parses, Snapshot};
use crate::live::{Current, Live};
use crate::render::Theme;

/// Longest time a request may take (waiting for a slot included); then 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Requests handled at once; more wait for a slot.
pub const MAX_IN_FLIGHT: usize = 256;
/// Threads for blocking work (file reads, engine calls).
const MAX_BLOCKING_THREADS: usize = 16;

/// What `docask serve` does.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Content folder.
    pub content: PathBuf,
    /// Output folder (built into, then served).
    pub out: PathBuf,
    /// Address to listen on; port 0 picks a free port (printed on stderr).
    pub addr: SocketAddr,
    /// Rebuild on change and reload open pages.
    pub watch: bool,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// How much to log.
    pub verbosity: crate::cli::Verbosity,
}

/// The server's state: the build being served and what the server keeps beside it.
/// Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    live: Live,
    shared: Arc<Shared>,
}

struct Shared {
    theme: RwLock<Arc<Theme>>,
    hub: Option<reload::Hub>,
    /// "Nearest pages" searches at once (404s): CPU-bound too, and a flood of 404s
    /// must leave threads for everything else.
    nearest_slots: tokio::sync::Semaphore,
}

impl AppState {
    /// Serves `live`, rendering the server's own pages with `theme`; `watch` turns
    /// on live reload.
    pub fn new(live: Live, theme: Theme, watch: bool) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        let shared = Shared {
            theme: RwLock::new(Arc::new(theme)),
            hub: watch.then(reload::Hub::new),
            nearest_slots: tokio::sync::Semaphore::new(cores),
        };
        AppState { live, shared: Arc::new(shared) }
    }

    /// The build being served (shared with the MCP endpoint).
    pub fn live(&self) -> &Live {
        &self.live
    }

    /// The theme of the build being served.
    pub fn theme(&self) -> Arc<Theme> {
        match self.shared.theme.read() {
            Ok(theme) => theme.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Waits for a free slot to search for the nearest pages.
    pub async fn nearest_slot(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        self.shared.nearest_slots.acquire().await.ok()
    }

    /// The live-reload hub, under `--watch`.
    pub fn hub(&self) -> Option<&reload::Hub> {
        self.shared.hub.as_ref()
    }

    /// Whether the server watches the content (no long caching, live reload).
    pub fn watching(&self) -> bool {
        self.shared.hub.is_some()
    }

    /// An HTML document as served: with the live-reload script under `--watch`.
    pub fn finish_html(&self, html: Vec<u8>) -> Vec<u8> {
        if self.watching() {
            reload::inject(html)
        } else {
            html
        }
    }

    /// Serves a new build (with memory of its own: nothing of the previous build is
    /// served from memory after this): its theme, then the build; tells open pages
    /// to reload.
    pub fn swap(&self, current: Current, theme: Theme, generation: u64) {
        match self.shared.theme.write() {
            Ok(mut slot) => *slot = Arc::new(theme),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(theme),
        }
        self.live.set(current);
        if let Some(hub) = self.hub() {
            hub.built(generation);
        }
    }
}

/// The HTTP application: the router with kept files answered before it.
pub type App = fast::KeptFirst<Router>;

/// Every route of DESIGN.md's table, with the limits, compression, security and
/// discovery headers and request log around them; kept files answered first.
pub fn router(state: AppState) -> App {
    let site = Router::new()
        .route("/healthz", get(healthz))
        .route_service("/mcp", crate::mcp::http::service(state.live().clone()))
        .fallback(site::handle)
        .layer(
            ServiceBuilder::new()
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
                .layer(GlobalConcurrencyLimitLayer::new(MAX_IN_FLIGHT))
                .layer(CompressionLayer::new().compress_when(headers::NotPrecompressed)),
        );
    // The event stream stays open while a page is: outside the timeout and the limit.
    let app = if state.watching() { site.merge(reload::routes()) } else { site };
    let app =
        app.layer(middleware::from_fn_with_state(state.clone(), layers::every_response)).with_state(state.clone());
    fast::KeptFirst::new(app, state)
}

async fn healthz() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], "ok")
}

/// Builds the site, then serves it until Ctrl-C or SIGTERM.
pub fn run(opts: &ServeOptions) -> Result<()> {
    let _flusher = init_logging(opts.verbosity);
    // The address is taken before the build: a port in use fails at once.
    let listener = std::net::TcpListener::bind(opts.addr)
        .with_context(|| format!("cannot listen on {} (is another server running there?)", opts.addr))?;
    listener.set_nonblocking(true).context("cannot make the listening socket non-blocking")?;
    let build_opts = BuildOptions {
        content: opts.content.clone(),
        out: opts.out.clone(),
        base_url: None,
        strict: false,
        quiet: opts.verbosity == crate::cli::Verbosity::Quiet,
        served: true,
    };
    let (current, theme, error, snapshot) =
        if opts.watch { first_build(&build_opts)? } else { build_apart(&build_opts, opts.verbosity)? };
    memory::release_freed_memory();
    memory::return_freed_memory_at_once();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .enable_all()
        .build()
        .context("failed to start the async runtime")?;
    let watcher = runtime.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener).context("cannot listen on the bound socket")?;
        let addr = listener.local_addr().context("no local address")?;
        let state = AppState::new(Live::new(current), theme, opts.watch);
        if let (Some(hub), Some(message)) = (state.hub(), error) {
            hub.failed(message);
        }
        let watcher = if opts.watch {
            Some(watch::Watcher::start(state.clone(), build_opts, snapshot)?)
        } else {
            follow_rebuilds(state.live().clone(), &opts.out);
            None
        };
        if opts.verbosity != crate::cli::Verbosity::Quiet {
            eprintln!(
                "serving `{}` at http://{addr}/{} (Ctrl-C to stop)",
                opts.content.display(),
                if opts.watch { ", rebuilding on change" } else { "" }
            );
        }
        if opts.open {
            open_browser(&format!("http://{addr}/"));
        }
        let hub = state.hub().cloned();
        let shutdown = async move {
            server::signal().await;
            tracing::info!("shutting down");
            if let Some(hub) = hub {
                hub.close();
            }
        };
        server::serve(listener, router(state), shutdown).await?;
        anyhow::Ok(watcher)
    })?;
    drop(runtime);
    if let Some(watcher) = watcher {
        watcher.finish()?;
    }
    Ok(())
}

/// How often the server looks for a `docask build` into the folder it serves.
const REBUILD_CHECK: Duration = Duration::from_secs(1);

/// Without `--watch`, serves each `docask build` into `out` within `REBUILD_CHECK`,
/// with memory of its own (nothing of the previous build is served from memory).
fn follow_rebuilds(live: Live, out: &std::path::Path) {
    let reload = crate::live::Reload::new(out);
    let started = std::thread::Builder::new().name("docask-reload".into()).spawn(move || loop {
        std::thread::sleep(REBUILD_CHECK);
        reload.refresh(&live);
    });
    if let Err(e) = started {
        tracing::warn!(error = %e, "cannot follow rebuilds of the output folder");
    }
}

/// The build to serve, its theme, the error that kept a newer one from being built,
/// and (when it was built in this process) its snapshot and pages' parses.
type Started = (Current, Theme, Option<String>, Option<(Snapshot, Parses)>);

/// The first build under `--watch`, in this process (later builds patch what it
/// built). A content error still serves the previous build in the output folder, if
/// there is one, with the error shown. Gives the build to serve, its theme, the
/// error, and what it was built from.
fn first_build(opts: &BuildOptions) -> Result<Started> {
    match build::build_keeping(opts, build::parses::DEFAULT_BUDGET) {
        Ok(report) => {
            for warning in &report.warnings {
                eprintln!("{warning}");
            }
            eprintln!("{}", report.summary(&opts.out));
            Ok((Current::open(&opts.out)?, report.theme, None, Some((report.snapshot, report.parses))))
        }
        Err(e) => match Current::open(&opts.out) {
            Ok(current) => {
                eprintln!("error: {e:#}\n(serving the previous build in `{}` until this is fixed)", opts.out.display());
                Ok((current, Theme::new(&BTreeMap::new())?, Some(format!("{e:#}")), None))
            }
            Err(_) => Err(e),
        },
    }
}

/// The build without `--watch`: a `docask build` process of its own (this binary),
/// which prints its warnings and summary itself. The server then holds none of what
/// only building needs: what the build's heap leaves behind, and the code and data
/// that rendering and indexing touch (on a 10,000-page site the server started at
/// 78 MB resident after an in-process build, 62 MB after one apart). Gives the build
/// to serve and its theme.
fn build_apart(opts: &BuildOptions, verbosity: crate::cli::Verbosity) -> Result<Started> {
    let binary = std::env::current_exe().context("cannot find the docask binary to build the site with")?;
    let mut build = std::process::Command::new(binary);
    build.arg("build").arg("--served").arg("--content").arg(&opts.content).arg("--out").arg(&opts.out);
    match verbosity {
        crate::cli::Verbosity::Quiet => build.arg("-q"),
        crate::cli::Verbosity::Verbose => build.arg("-v"),
        crate::cli::Verbosity::Normal => &mut build,
    };
    let status = build.status().context("cannot start the build of the site")?;
    anyhow::ensure!(status.success(), "the site was not built (the build's error is above)");
    let theme = Theme::new(&crate::load::theme(&opts.content)?)?;
    Ok((Current::open(&opts.out)?, theme, None, None))
}

/// Opens `url` in the default browser; a failure is logged, not fatal.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let opened = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = opened {
        tracing::warn!(error = %e, "cannot open a browser ({program}); open {url} yourself");
    }
}

/// One log line per request and the server's events, to stderr (written from a
/// thread of their own); `RUST_LOG` filters. The guard writes what is left when
/// dropped.
fn init_logging(verbosity: crate::cli::Verbosity) -> log::Flusher {
    let default = match verbosity {
        crate::cli::Verbosity::Quiet => "warn,tantivy=error",
        crate::cli::Verbosity::Normal => "info,tantivy=warn",
        crate::cli::Verbosity::Verbose => "debug,tantivy=info,hyper=info,h2=info",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let (lines, flusher) = log::stderr_lines();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(lines)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
    flusher
}
