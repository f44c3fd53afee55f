//! Middleware applied to every response: the security headers a static site should
//! send, and one structured log line per request.
//!
//! Takes a request or a response; gives it back with what was added.

use std::time::Instant;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The Content-Security-Policy. The theme loads only same-origin scripts and styles
/// and has no inline script; `'unsafe-inline'` styles are allowed because content
/// carries `style` attributes (GitBook tables' `text-align`, raw HTML), and images
/// may come from `https:` because content may embed remote images.
pub const CSP: &str = "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; \
script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

/// Adds the security headers, keeping any a handler set itself.
pub async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::CONTENT_SECURITY_POLICY, CSP),
    ] {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
    response
}

/// Longest part of a query string written to the log.
const LOGGED_QUERY: usize = 200;

/// Logs one line per request: method, path, query, status and time taken.
pub async fn log(request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(|q| truncate(q, LOGGED_QUERY).to_owned()).unwrap_or_default();
    let response = next.run(request).await;
    tracing::info!(
        target: "docask::request",
        method = %method,
        path = %path,
        query = %query,
        status = response.status().as_u16(),
        micros = start.elapsed().as_micros() as u64,
        "request"
    );
    response
}

fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
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
