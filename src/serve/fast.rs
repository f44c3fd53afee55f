//! Kept files first: a plain `GET` or `HEAD` of a file the build keeps in memory is
//! answered before routing, without the middleware stack (its headers, security and
//! discovery included, were computed when the file was kept, and it needs neither a
//! timeout nor a slot). Anything else — a query, another method, the server's own
//! routes, a file not kept yet — goes to the router, whose answer for a kept file
//! is the same response.
//!
//! Takes the router; gives a service that wraps it.

use std::convert::Infallible;
use std::future::{ready, Ready};
use std::task::{Context, Poll};
use std::time::Instant;

use axum::http::{header, HeaderMap, Method, Request};
use axum::response::Response;
use futures_util::future::Either;
use tower::Service;

use super::cache::{Conditions, Found};
use super::headers::Encoding;
use super::negotiate::{self, Accept, Format};
use super::AppState;

/// Path prefixes of the server's own routes, which are never files.
const OWN_ROUTES: [&str; 3] = ["/healthz", "/mcp", "/_docask/"];

/// The router, with kept files answered before it.
#[derive(Clone)]
pub struct KeptFirst<S> {
    inner: S,
    state: AppState,
}

impl<S> KeptFirst<S> {
    /// Wraps `inner`, answering from `state`'s build.
    pub fn new(inner: S, state: AppState) -> Self {
        KeptFirst { inner, state }
    }
}

impl<S, B> Service<Request<B>> for KeptFirst<S>
where
    S: Service<Request<B>, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<Ready<Result<Response, Infallible>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        match kept(&self.state, request.method(), request.uri(), request.headers()) {
            Some(response) => Either::Left(ready(Ok(response))),
            None => Either::Right(self.inner.call(request)),
        }
    }
}

/// The response for a kept file, if the request is a plain one for a kept file.
fn kept(state: &AppState, method: &Method, uri: &axum::http::Uri, headers: &HeaderMap) -> Option<Response> {
    if (method != Method::GET && method != Method::HEAD) || uri.query().is_some() {
        return None;
    }
    let path = uri.path();
    if OWN_ROUTES.iter().any(|r| path.starts_with(r)) {
        return None;
    }
    let start = Instant::now();
    let text = |name| headers.get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
    let markdown = Accept::parse(text(header::ACCEPT)).choose(negotiate::PAGE) == Format::Markdown;
    let Found::File(entry) = state.live().get().cache.get(path, markdown)? else { return None };
    let conditions =
        Conditions { if_none_match: text(header::IF_NONE_MATCH), if_modified_since: text(header::IF_MODIFIED_SINCE) };
    let response = entry.respond(conditions, Encoding::accepted(text(header::ACCEPT_ENCODING)));
    super::layers::log_request(method, path, "", response.status(), start);
    Some(response)
}
