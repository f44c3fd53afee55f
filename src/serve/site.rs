//! The site handler: every request that is not one of the server's own routes. It
//! decodes the query and the path strictly, then answers `?ask=`, serves a file or a
//! page (HTML, or its Markdown twin when `Accept` prefers it), redirects a page's
//! clean URL to its slash form, or says 404. Files come from the build's memory when
//! they are there (no system call); otherwise they are read on a blocking thread and
//! kept when small.
//!
//! Takes the request; gives the response, in the format the client asked for.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio_util::io::ReaderStream;

use super::ask::{self, Question};
use super::cache::{Conditions, Entry, Found, Key, Made, MAX_ENTRY};
use super::files::{self, PathError, Resolved, SitePath};
use super::headers::Encoding;
use super::negotiate::{self, Accept, Format};
use super::params::Params;
use super::{respond, AppState};
use crate::live::Current;

/// Files up to this size are read whole; larger ones are streamed.
const READ_WHOLE: u64 = 1 << 20;

/// Serves a request for the site.
pub async fn handle(State(state): State<AppState>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    if parts.method != Method::GET && parts.method != Method::HEAD {
        let mut response = (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let headers = &parts.headers;
    let accept = Accept::parse(text(headers, header::ACCEPT));
    let current = state.live().get();
    let uri = &parts.uri;
    let offered = if uri.path().ends_with(".md") { negotiate::TWIN_ANSWER } else { negotiate::ANSWER };
    let params = match Params::parse(uri.query()) {
        Ok(params) => params,
        Err(e) => return respond::bad_request(&state, &current, accept.choose(offered), &e.to_string()),
    };
    let format = params.format.unwrap_or_else(|| accept.choose(offered));
    let path = match SitePath::parse(uri.path()) {
        Ok(path) => path,
        Err(PathError::Encoding(e)) => return respond::bad_request(&state, &current, format, &e.to_string()),
        Err(PathError::Forbidden) => return respond::not_found(&state, current, uri.path(), format).await,
    };
    let markdown = match params.format {
        Some(f) => f == Format::Markdown,
        None => accept.choose(negotiate::PAGE) == Format::Markdown,
    };
    let key = Key { raw: uri.path().to_string(), markdown };
    let found = match find(&state, &current, &key, &path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match found {
        Some(Found::Folder) => respond::to_folder(&path, uri.query(), format, state.watching()),
        _ if params.ask.is_some() => {
            let (asked, goal) = (params.ask.unwrap_or_default(), params.goal);
            let question = Question { text: asked, goal, page: path.display(), format };
            ask::answer(&state, current, question, text(headers, header::IF_NONE_MATCH))
        }
        Some(Found::File(entry)) => entry.respond(conditions(headers), accepted(headers)),
        None => match read(&state, &current, &path, markdown, conditions(headers)).await {
            Ok(Some(response)) => response,
            Ok(None) => respond::not_found(&state, current, &path.display(), format).await,
            Err(response) => response,
        },
    }
}

fn text(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn conditions(headers: &HeaderMap) -> Conditions<'_> {
    Conditions {
        if_none_match: text(headers, header::IF_NONE_MATCH),
        if_modified_since: text(headers, header::IF_MODIFIED_SINCE),
    }
}

fn accepted(headers: &HeaderMap) -> Encoding {
    Encoding::accepted(text(headers, header::ACCEPT_ENCODING))
}

/// What `key` (whose path decoded to `path`) names, from the build's memory or, on a
/// miss, from disk (kept for the next request); `None` when it names no small file
/// and no folder.
pub async fn find(
    state: &AppState,
    current: &Arc<Current>,
    key: &Key,
    path: &SitePath,
) -> Result<Option<Found>, Response> {
    if let Some(found) = current.cache.get(&key.raw, key.markdown) {
        return Ok(Some(found));
    }
    let (cur, k, p, watching) = (current.clone(), key.clone(), path.clone(), state.watching());
    match tokio::task::spawn_blocking(move || load(&cur, k, &p, watching)).await {
        Ok(Ok(found)) => Ok(found),
        Ok(Err(e)) => Err(read_failed(path, &e)),
        Err(e) => Err(read_failed(path, &e)),
    }
}

/// Resolves `path` on disk and keeps what is small enough under `key`; `None` when
/// there is nothing to keep (missing or large).
fn load(current: &Current, key: Key, path: &SitePath, watching: bool) -> std::io::Result<Option<Found>> {
    let found = match files::resolve(&current.out, path, key.markdown)? {
        Resolved::Folder => Found::Folder,
        Resolved::Missing => return Ok(None),
        Resolved::File(found) if found.meta.len() > MAX_ENTRY => return Ok(None),
        Resolved::File(found) => {
            let bytes = finish(read_whole(&found.file, &found.meta)?, &found.rel, watching);
            let made =
                Made { rel: &found.rel, negotiated: found.negotiated, watching, discovery: &current.cache.discovery };
            Found::File(Arc::new(Entry::new(bytes, &found.meta, &made)))
        }
    };
    current.cache.put(key, found.clone());
    Ok(Some(found))
}

fn read_whole(file: &std::fs::File, meta: &std::fs::Metadata) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    let mut reader = file.take(meta.len());
    reader.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// HTML as served: with the live-reload script under `--watch`.
fn finish(bytes: Vec<u8>, rel: &str, watching: bool) -> Vec<u8> {
    if watching && rel.ends_with(".html") {
        super::reload::inject(bytes)
    } else {
        bytes
    }
}

/// Serves a file too large to keep: read whole up to `READ_WHOLE`, streamed past it
/// (the compression layer compresses it on the way when the client accepts it).
async fn read(
    state: &AppState,
    current: &Arc<Current>,
    path: &SitePath,
    markdown: bool,
    conditions: Conditions<'_>,
) -> Result<Option<Response>, Response> {
    let (cur, p, watching) = (current.clone(), path.clone(), state.watching());
    let opened = tokio::task::spawn_blocking(move || -> std::io::Result<Option<(Entry, Body)>> {
        let Resolved::File(found) = files::resolve(&cur.out, &p, markdown)? else { return Ok(None) };
        let made = Made { rel: &found.rel, negotiated: found.negotiated, watching, discovery: &cur.cache.discovery };
        // The headers and validators of a kept file, without its bytes.
        let head = Entry::new(Vec::new(), &found.meta, &made);
        let body = if found.meta.len() > READ_WHOLE {
            Body::from_stream(ReaderStream::new(tokio::fs::File::from_std(found.file)))
        } else {
            Body::from(finish(read_whole(&found.file, &found.meta)?, &found.rel, watching))
        };
        Ok(Some((head, body)))
    })
    .await;
    let (head, body) = match opened {
        Ok(Ok(Some(found))) => found,
        Ok(Ok(None)) => return Ok(None),
        Ok(Err(e)) => return Err(read_failed(path, &e)),
        Err(e) => return Err(read_failed(path, &e)),
    };
    if head.fresh(conditions) {
        return Ok(Some(head.respond(conditions, Encoding::Identity)));
    }
    let mut response = body.into_response();
    *response.headers_mut() = head.headers().clone();
    Ok(Some(response))
}

fn read_failed(path: &SitePath, e: &dyn std::fmt::Display) -> Response {
    tracing::error!(path = %path.display(), error = %e, "failed to read a file");
    (StatusCode::INTERNAL_SERVER_ERROR, "the file could not be read\n").into_response()
}
