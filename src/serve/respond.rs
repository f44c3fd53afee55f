//! Error responses in the asked-for format: 400 with a short usage text, and 404
//! with the nearest pages (HTML: the built `404.html`; Markdown: a list of the pages
//! whose URL and title are most like the path asked for; JSON: the same list).
//!
//! Takes the negotiated `Format`, the build being served and what went wrong; gives
//! the response.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::negotiate::Format;
use super::{html, AppState};
use crate::index::{PageMeta, SiteMeta};
use crate::live::Current;
use crate::paths;

/// How to ask, shown with every 400.
pub const USAGE: &str = "Ask a question with GET /<page>.md?ask=<question>&goal=<goal>: `ask` is the question \
(1 to 1,000 characters of percent-encoded UTF-8), `goal` (optional) is what you are trying to achieve. \
Add `format=json` or send `Accept: application/json` for JSON.";

/// Pages listed on a 404.
const NEAREST: usize = 5;

/// A bare 404 for the server's own routes.
pub fn plain_not_found() -> Response {
    (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-store")], "not found\n").into_response()
}

/// A body with its type, status and `Cache-Control: no-store`, varying on `Accept`.
pub fn with_type(status: StatusCode, format: Format, body: impl Into<Body>) -> Response {
    let mut response = (status, body.into()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::VARY, HeaderValue::from_static("accept"));
    response
}

#[derive(Serialize)]
struct BadRequest<'a> {
    error: &'a str,
    usage: &'a str,
}

/// 400: what was wrong, and how to ask.
pub fn bad_request(state: &AppState, current: &Current, format: Format, reason: &str) -> Response {
    let body: Vec<u8> = match format {
        Format::Markdown => format!("# Bad request\n\n{reason}\n\n{USAGE}\n").into_bytes(),
        Format::Json => serde_json::to_vec(&BadRequest { error: reason, usage: USAGE }).unwrap_or_default(),
        Format::Html => match html::error_page(&state.theme(), current.engine.meta(), reason, USAGE) {
            Ok(page) => state.finish_html(page.into_bytes()),
            Err(e) => {
                tracing::error!(error = %format!("{e:#}"), "the 400 page did not render");
                return with_type(StatusCode::BAD_REQUEST, Format::Markdown, format!("{reason}\n\n{USAGE}\n"));
            }
        },
    };
    with_type(StatusCode::BAD_REQUEST, format, body)
}

#[derive(Serialize)]
struct NotFound<'a> {
    error: &'static str,
    path: &'a str,
    nearest: Vec<Nearest<'a>>,
}

#[derive(Serialize)]
struct Nearest<'a> {
    title: &'a str,
    url: String,
}

/// 404 with the nearest pages.
pub async fn not_found(state: &AppState, current: &Current, path: &str, format: Format) -> Response {
    let meta = current.engine.meta();
    let nearest = || {
        nearest(meta, path, NEAREST)
            .into_iter()
            .map(|p| Nearest { title: &p.title, url: format!("{}{}", meta.base_url, paths::twin_url(&p.url)) })
            .collect::<Vec<_>>()
    };
    let body: Vec<u8> = match format {
        Format::Html => match tokio::fs::read(current.out.join("404.html")).await {
            Ok(page) => state.finish_html(page),
            Err(_) => return plain_not_found(),
        },
        Format::Markdown => {
            let mut md = format!("# Not found\n\nThere is no page at `{path}`. The nearest pages:\n\n");
            for p in nearest() {
                md.push_str(&format!("- [{}]({})\n", p.title, p.url));
            }
            md.push_str(&format!("\nEvery page is listed in [llms.txt]({}/llms.txt).\n", meta.base_url));
            md.into_bytes()
        }
        Format::Json => {
            serde_json::to_vec(&NotFound { error: "not found", path, nearest: nearest() }).unwrap_or_default()
        }
    };
    with_type(StatusCode::NOT_FOUND, format, body)
}

/// The visible pages most like `path` by URL and title: shared words (a word that
/// starts another counts) and shared letter pairs. Without any likeness, the first
/// pages in reading order.
pub fn nearest<'a>(meta: &'a SiteMeta, path: &str, n: usize) -> Vec<&'a PageMeta> {
    let wanted = crate::ask::normalize_page_path(path);
    meta.nearest(&wanted, n).into_iter().map(|i| &meta.pages[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str, title: &str, order: usize) -> PageMeta {
        PageMeta {
            url: url.into(),
            title: title.into(),
            description: None,
            parent: None,
            order: Some(order),
            breadcrumbs: vec![],
            hidden: false,
        }
    }

    #[test]
    fn nearest_pages_by_url_and_title() {
        let meta = SiteMeta {
            pages: vec![
                page("", "Home", 0),
                page("settings/api-tokens/create-api-token", "Create an API token", 1),
                page("settings/api-tokens/delete-api-token", "Delete an API token", 2),
                page("guide/install", "Install", 3),
            ],
            ..SiteMeta::default()
        };
        let urls = |path: &str| nearest(&meta, path, 2).into_iter().map(|p| p.url.as_str()).collect::<Vec<_>>();
        assert_eq!(urls("/settings/api-tokens/create-token")[0], "settings/api-tokens/create-api-token");
        assert_eq!(urls("/guide/instal")[0], "guide/install");
        assert_eq!(urls("/zzz"), vec!["", "settings/api-tokens/create-api-token"]);
    }
}
