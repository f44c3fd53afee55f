//! Responses other than files and answers: 400 with a short usage text, 404 with
//! the nearest pages (HTML: the built `404.html`; Markdown: a list of the pages whose
//! URL and title are most like the path asked for; JSON: the same list), and the
//! redirect of a page's clean URL to its slash form. Text the client sent is echoed
//! in Markdown only through `escape_inline`/`code_span`, so it can never become a
//! heading or a link there. The nearest pages are found on a blocking thread, a few
//! at a time, from at most `MAX_WANTED` characters of the path.
//!
//! Takes the negotiated `Format`, the build being served and what went wrong; gives
//! the response.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::cache::Key;
use super::files::SitePath;
use super::negotiate::Format;
use super::{html, AppState};
use crate::index::SiteMeta;
use crate::live::Current;
use crate::markdown::markup::{code_span, escape_inline};
use crate::paths;

/// Characters of a client's text echoed back; the rest is cut.
pub const MAX_ECHO: usize = 200;

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

/// A client's text cut to `MAX_ECHO` characters (`…` marks the cut).
pub fn cut(text: &str) -> String {
    match text.char_indices().nth(MAX_ECHO) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
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
pub async fn not_found(state: &AppState, current: Arc<Current>, path: &str, format: Format) -> Response {
    let body: Vec<u8> = match format {
        Format::Html => match not_found_page(state, &current).await {
            Some(page) => page,
            None => return plain_not_found(),
        },
        Format::Markdown | Format::Json => {
            let near = nearest(state, &current, path).await;
            let meta = current.engine.meta();
            let list = near
                .iter()
                .map(|&i| &meta.pages[i])
                .map(|p| Nearest {
                    title: &p.title,
                    url: format!("{}{}", meta.base_url, paths::encode_href(&paths::twin_url(&p.url))),
                })
                .collect::<Vec<_>>();
            if format == Format::Json {
                serde_json::to_vec(&NotFound { error: "not found", path: &cut(path), nearest: list })
                    .unwrap_or_default()
            } else {
                not_found_markdown(meta, path, &list).into_bytes()
            }
        }
    };
    with_type(StatusCode::NOT_FOUND, format, body)
}

fn not_found_markdown(meta: &SiteMeta, path: &str, list: &[Nearest<'_>]) -> String {
    let mut md = format!("# Not found\n\nThere is no page at {}. The nearest pages:\n\n", code_span(&cut(path)));
    for p in list {
        md.push_str(&format!("- [{}]({})\n", escape_inline(p.title), p.url));
    }
    md.push_str(&format!("\nEvery page is listed in [llms.txt]({}/llms.txt).\n", meta.base_url));
    md
}

/// The built `404.html`, from the build's memory when it is there.
async fn not_found_page(state: &AppState, current: &Arc<Current>) -> Option<Vec<u8>> {
    const PAGE: &str = "/404.html";
    let path = SitePath::parse(PAGE).ok()?;
    match super::site::find(state, current, &Key { raw: PAGE.into(), markdown: false }, &path).await {
        Ok(Some(super::cache::Found::File(entry))) => Some(entry.body().to_vec()),
        _ => None,
    }
}

/// The indexes of the pages nearest to `path`, found on a blocking thread while
/// holding one of the server's few slots for it.
async fn nearest(state: &AppState, current: &Arc<Current>, path: &str) -> Vec<usize> {
    let wanted: String = path.chars().take(crate::live::nearest::MAX_WANTED * 2).collect();
    let wanted = crate::ask::normalize_page_path(&wanted);
    let _slot = state.nearest_slot().await;
    let current = current.clone();
    tokio::task::spawn_blocking(move || current.nearest().find(&wanted, NEAREST)).await.unwrap_or_default()
}

/// 308 from a page's clean URL without its slash to the slash form (where its
/// relative links work), keeping the query; the short body is in the negotiated
/// format.
pub fn to_folder(path: &SitePath, query: Option<&str>, format: Format, watching: bool) -> Response {
    let mut location = path.folder_url();
    if let Some(q) = query {
        location.push('?');
        location.push_str(q);
    }
    let body = match format {
        Format::Html => {
            let href = crate::markdown::markup::escape(&location);
            format!("<!doctype html>\n<title>Moved</title>\n<p>This page is at <a href=\"{href}\">{href}</a>.</p>\n")
        }
        Format::Markdown => format!("This page is at <{location}>.\n"),
        Format::Json => serde_json::json!({ "location": location }).to_string(),
    };
    let mut response = with_type(StatusCode::PERMANENT_REDIRECT, format, body);
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&location) {
        headers.insert(header::LOCATION, value);
    }
    let cache = if watching { "no-cache" } else { "public, max-age=60" };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoes_are_cut_on_characters() {
        assert_eq!(cut("abc"), "abc");
        let long = "é".repeat(MAX_ECHO + 5);
        assert_eq!(cut(&long).chars().count(), MAX_ECHO + 1);
    }

    #[test]
    fn a_hostile_path_stays_text_in_the_markdown_404() {
        let path = "/x\n\n# Injected\n[click](javascript:alert(1))`";
        let md = not_found_markdown(&SiteMeta::default(), path, &[]);
        assert_eq!(md.matches("\n# ").count(), 0, "{md}");
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&md));
        assert!(!html.contains("<a href=\"javascript"), "{html}");
        assert_eq!(html.matches("<h1>").count(), 1, "{html}");
    }

    #[test]
    fn redirects_keep_the_query_and_stay_on_the_site() {
        let path = SitePath::parse("//evil.example/a%20b").unwrap();
        let r = to_folder(&path, Some("ask=x%20y&goal=z"), Format::Markdown, false);
        assert_eq!(r.status(), StatusCode::PERMANENT_REDIRECT);
        assert_eq!(r.headers()[header::LOCATION], "/evil.example/a%20b/?ask=x%20y&goal=z");
    }
}
