//! Live reload for `serve --watch`: the status of the latest build (its id, or the
//! error that keeps the previous one served), pushed to open pages over Server-Sent
//! Events; the small same-origin script that listens, reloads on a new build and shows
//! a build error as an overlay; and the injection of that script into HTML responses.
//!
//! Takes build outcomes from the watcher; gives the `/_docask/…` routes.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use tokio::sync::watch;
use tokio_stream::wrappers::WatchStream;
use tokio_stream::StreamExt;

use super::AppState;

/// Where the live-reload script is served.
pub const SCRIPT_URL: &str = "/_docask/live-reload.js";
/// The script, compiled in; it is served only under `--watch`.
const SCRIPT: &str = include_str!("../../static/live-reload.js");

/// What open pages are told about the build being served.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    /// Id of the build being served; a new id means "reload".
    pub build: String,
    /// The error of the latest rebuild (file and line), while the previous build is
    /// still served.
    pub error: Option<String>,
    /// The server is shutting down: event streams end.
    #[serde(skip)]
    closing: bool,
}

/// Publishes build outcomes to every open event stream; cheap to clone.
#[derive(Clone)]
pub struct Hub {
    tx: Arc<watch::Sender<Status>>,
    /// Distinguishes this server process, so a restarted server also reloads pages.
    session: String,
}

impl Default for Hub {
    fn default() -> Self {
        Self::new()
    }
}

impl Hub {
    /// A hub whose first build is the one being served now.
    pub fn new() -> Hub {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
        let session = format!("{nanos:x}");
        let status = Status { build: format!("{session}-0"), error: None, closing: false };
        Hub { tx: Arc::new(watch::channel(status).0), session }
    }

    /// The current status.
    pub fn status(&self) -> Status {
        self.tx.borrow().clone()
    }

    /// A new build is being served.
    pub fn built(&self, generation: u64) {
        let build = format!("{}-{generation}", self.session);
        self.tx.send_modify(|s| {
            s.build = build;
            s.error = None;
        });
    }

    /// A rebuild failed; the previous build stays.
    pub fn failed(&self, message: String) {
        self.tx.send_modify(|s| s.error = Some(message));
    }

    /// Ends every event stream (before a graceful shutdown, which waits for them).
    pub fn close(&self) {
        self.tx.send_modify(|s| s.closing = true);
    }

    fn subscribe(&self) -> watch::Receiver<Status> {
        self.tx.subscribe()
    }
}

/// The `/_docask/…` routes: the event stream, the status as JSON, the script.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/_docask/events", get(events))
        .route("/_docask/status", get(status))
        .route(SCRIPT_URL, get(script))
}

async fn events(State(state): State<AppState>) -> Response {
    let Some(hub) = state.hub() else { return super::respond::plain_not_found() };
    let stream = WatchStream::new(hub.subscribe()).take_while(|s| !s.closing).map(|s| {
        let data = serde_json::to_string(&s).unwrap_or_else(|_| "{}".into());
        Ok::<_, Infallible>(Event::default().event("status").data(data))
    });
    let mut response = Sse::new(stream).keep_alive(KeepAlive::default()).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response
}

async fn status(State(state): State<AppState>) -> Response {
    match state.hub() {
        Some(hub) => Json(hub.status()).into_response(),
        None => super::respond::plain_not_found(),
    }
}

async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], SCRIPT)
        .into_response()
}

/// Adds the live-reload script to an HTML document, before its last `</body>`.
pub fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_URL}\" defer></script>\n");
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>".to_vec())).unwrap();
        assert!(out.contains("<p>x</p><script src=\"/_docask/live-reload.js\" defer></script>\n</body>"), "{out}");
        let bare = String::from_utf8(inject(b"<p>x</p>".to_vec())).unwrap();
        assert!(bare.ends_with("</script>\n"));
    }

    #[test]
    fn hub_tracks_builds_and_errors() {
        let hub = Hub::new();
        let first = hub.status().build;
        hub.failed("a.md:3: unclosed hint".into());
        assert_eq!(hub.status().build, first);
        assert_eq!(hub.status().error.as_deref(), Some("a.md:3: unclosed hint"));
        hub.built(1);
        assert_ne!(hub.status().build, first);
        assert_eq!(hub.status().error, None);
    }
}
