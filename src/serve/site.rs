//! The site handler: every request that is not one of the server's own routes. It
//! decodes the query and the path strictly, then answers `?ask=`, serves a file or a
//! page (HTML, or its Markdown twin when `Accept` prefers it), or says 404.
//!
//! Takes the request; gives the response, in the format the client asked for.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use tokio_util::io::ReaderStream;

use super::ask::{self, Question};
use super::files::{self, Hit, PathError, Payload, SitePath};
use super::negotiate::{self, Accept, Format};
use super::params::Params;
use super::{respond, AppState};
use crate::live::Current;

/// Serves a request for the site.
pub async fn handle(State(state): State<AppState>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let text = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    let accept = Accept::parse(text(header::ACCEPT));
    let if_none_match = text(header::IF_NONE_MATCH);
    let current = state.live().get();
    let offered = if uri.path().ends_with(".md") { negotiate::TWIN_ANSWER } else { negotiate::ANSWER };
    let params = match Params::parse(uri.query()) {
        Ok(params) => params,
        Err(e) => return respond::bad_request(&state, &current, accept.choose(offered), &e.to_string()),
    };
    let format = params.format.unwrap_or_else(|| accept.choose(offered));
    let path = match SitePath::parse(uri.path()) {
        Ok(path) => path,
        Err(PathError::Encoding(e)) => return respond::bad_request(&state, &current, format, &e.to_string()),
        Err(PathError::Forbidden) => return respond::not_found(&state, &current, uri.path(), format).await,
    };
    if let Some(text) = params.ask {
        let question = Question { text, goal: params.goal, page: path.display(), format };
        return ask::answer(&state, current, question, if_none_match).await;
    }
    let markdown = match params.format {
        Some(f) => f == Format::Markdown,
        None => accept.choose(negotiate::PAGE) == Format::Markdown,
    };
    serve_file(&state, current, path, markdown, if_none_match, format).await
}

/// Serves the file or page `path` names, or 404 in `format`.
async fn serve_file(
    state: &AppState,
    current: Arc<Current>,
    path: SitePath,
    markdown: bool,
    if_none_match: Option<&str>,
    format: Format,
) -> Response {
    let (out, wanted, validator) = (current.out.clone(), path.clone(), if_none_match.map(str::to_owned));
    let found = tokio::task::spawn_blocking(move || files::open(&out, &wanted, markdown, validator.as_deref())).await;
    match found {
        Ok(Ok(Some(hit))) => file_response(state, hit),
        Ok(Ok(None)) => respond::not_found(state, &current, &path.display(), format).await,
        Ok(Err(e)) => {
            tracing::error!(path = %path.display(), error = %e, "failed to read a file");
            (StatusCode::INTERNAL_SERVER_ERROR, "the file could not be read\n").into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "file task failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "the file could not be read\n").into_response()
        }
    }
}

fn file_response(state: &AppState, hit: Hit) -> Response {
    let content_type = files::content_type(&hit.rel);
    let mut response = match hit.payload {
        None => StatusCode::NOT_MODIFIED.into_response(),
        Some(Payload::Bytes(bytes)) => {
            let bytes = if content_type.starts_with("text/html") { state.finish_html(bytes) } else { bytes };
            Body::from(bytes).into_response()
        }
        Some(Payload::Stream(file)) => {
            Body::from_stream(ReaderStream::new(tokio::fs::File::from_std(file))).into_response()
        }
    };
    let ok = response.status() == StatusCode::OK;
    let headers = response.headers_mut();
    if ok {
        if let Ok(value) = HeaderValue::from_str(&content_type) {
            headers.insert(header::CONTENT_TYPE, value);
        }
    }
    if let Ok(value) = HeaderValue::from_str(&hit.etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(files::cache_control(&hit.rel, state.watching())));
    if hit.negotiated || hit.rel.ends_with(".md") {
        headers.insert(header::VARY, HeaderValue::from_static("accept"));
    }
    response
}
