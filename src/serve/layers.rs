//! The middleware around every response, in one layer: the security headers and the
//! discovery headers (`headers`), and one structured log line per request.
//!
//! Takes a request and the rest of the stack; gives the response with what was added.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use super::headers::{self, X_LLMS_TXT};
use super::AppState;

/// Longest part of a path or query string written to the log.
const LOGGED: usize = 200;

/// Completes the headers of every response and logs the request.
pub async fn every_response(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let line = logging().then(|| {
        let uri = request.uri();
        (request.method().clone(), uri.path().to_owned(), uri.query().unwrap_or("").to_owned())
    });
    let mut response = next.run(request).await;
    // A kept file's headers are complete already.
    if !response.headers().contains_key(&X_LLMS_TXT) {
        headers::security(response.headers_mut());
        state.live().get().cache.discovery.apply(response.headers_mut());
    }
    if let Some((method, path, query)) = line {
        log_request(&method, &path, &query, response.status(), start);
    }
    response
}

fn logging() -> bool {
    tracing::enabled!(target: "docask::request", tracing::Level::INFO)
}

/// Logs one line for a request: method, path, query, status and time taken.
pub fn log_request(method: &Method, path: &str, query: &str, status: StatusCode, start: Instant) {
    if !logging() {
        return;
    }
    tracing::info!(
        target: "docask::request",
        method = %method,
        path = %truncate(path, LOGGED),
        query = %truncate(query, LOGGED),
        status = status.as_u16(),
        micros = start.elapsed().as_micros() as u64,
        "request"
    );
}

fn truncate(text: &str, max: usize) -> &str {
    &text[..text.floor_char_boundary(max)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_on_char_boundaries() {
        assert_eq!(truncate("abc", 10), "abc");
        assert_eq!(truncate("aé", 2), "a");
    }
}
