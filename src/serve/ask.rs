//! The ask endpoint: `?ask=` on any page URL, answered by the served build's engine
//! in Markdown, JSON or the HTML answer page. Answers are deterministic for a build,
//! so rendered responses are kept in an LRU cache of the build, keyed by page,
//! question, goal and format: a repeated question costs no engine call, no rendering and no
//! disk read (the engine itself reads only its memory-mapped index).
//!
//! Takes the question (validated here) and the build; gives the response.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use anyhow::Result;
use axum::body::Bytes;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use lru::LruCache;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use super::negotiate::Format;
use super::{files, html, respond, AppState};
use crate::ask::query::MAX_QUESTION_CHARS;
use crate::ask::{normalize_page_path, Request};
use crate::live::Current;
use crate::paths;

/// Rendered answers kept (a few KB each): the recent questions that get asked again.
pub const CACHE_ENTRIES: usize = 256;

/// A question as asked over HTTP.
#[derive(Debug, Clone)]
pub struct Question {
    /// The question.
    pub text: String,
    /// The goal, if any.
    pub goal: Option<String>,
    /// The page asked from, as requested (`/a/b.md`, `/a/b/`).
    pub page: String,
    /// The format to answer in.
    pub format: Format,
}

/// What an answer depends on, within one build.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    page: String,
    question: String,
    goal: Option<String>,
    format: Format,
}

/// A response ready to send.
pub struct Rendered {
    body: Bytes,
    format: Format,
    etag: HeaderValue,
}

/// Shards of the cache: requests on different workers rarely wait for each other
/// (a worker preempted while holding a lock would stall every request behind it).
const SHARDS: usize = 16;

/// The LRU cache of rendered answers, shared by all requests.
pub struct Cache {
    shards: Vec<Mutex<LruCache<Key, Arc<Rendered>>>>,
}

impl Cache {
    /// A cache of about `capacity` answers (at least one per shard).
    pub fn new(capacity: usize) -> Cache {
        let per_shard = NonZeroUsize::new(capacity.div_ceil(SHARDS)).unwrap_or(NonZeroUsize::MIN);
        Cache { shards: (0..SHARDS).map(|_| Mutex::new(LruCache::new(per_shard))).collect() }
    }

    fn shard(&self, key: &Key) -> std::sync::MutexGuard<'_, LruCache<Key, Arc<Rendered>>> {
        let mut hasher = DefaultHasher::new();
        key.hash(&mut hasher);
        let shard = &self.shards[hasher.finish() as usize % SHARDS];
        shard.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn get(&self, key: &Key) -> Option<Arc<Rendered>> {
        self.shard(key).get(key).cloned()
    }

    fn put(&self, key: Key, value: Arc<Rendered>) {
        self.shard(&key).put(key, value);
    }

    /// Drops every answer (a new build is served).
    pub fn clear(&self) {
        for shard in &self.shards {
            shard.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clear();
        }
    }

    /// Answers held.
    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).len()).sum()
    }

    /// Whether no answer is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Why a question cannot be asked, if it cannot.
pub fn validate(question: &str, goal: Option<&str>) -> Option<String> {
    if question.trim().is_empty() {
        return Some("The question is empty: put it in `ask=<question>`.".into());
    }
    if question.chars().count() > MAX_QUESTION_CHARS {
        return Some(format!("The question is longer than {MAX_QUESTION_CHARS} characters."));
    }
    if goal.is_some_and(|g| g.chars().count() > MAX_QUESTION_CHARS) {
        return Some(format!("The goal is longer than {MAX_QUESTION_CHARS} characters."));
    }
    None
}

/// Answers `question` from `current`, from the build's cache when it can.
pub fn answer(state: &AppState, current: Arc<Current>, question: Question, if_none_match: Option<&str>) -> Response {
    if let Some(reason) = validate(&question.text, question.goal.as_deref()) {
        return respond::bad_request(state, &current, question.format, &reason);
    }
    let key = Key {
        page: normalize_page_path(&question.page),
        question: question.text,
        goal: question.goal,
        format: question.format,
    };
    let rendered = match current.cache.answers.get(&key) {
        Some(hit) => hit,
        // The engine runs on the worker that took the request: an ask is CPU-bound
        // and short (a fraction of a millisecond), and handing it to a blocking
        // thread and back cost as much again as the ask itself (uncached asks per
        // second halved under load, bench/README.md). The workers are as many as the
        // cores, so no more asks run at once than there are cores to run them.
        None => match render(state, &current, &key) {
            Ok(rendered) => {
                let rendered = Arc::new(rendered);
                current.cache.answers.put(key, rendered.clone());
                rendered
            }
            Err(e) => return internal_error(&e),
        },
    };
    send(&rendered, state.watching(), if_none_match)
}

fn render(state: &AppState, current: &Current, key: &Key) -> Result<Rendered> {
    let request = Request { question: &key.question, goal: key.goal.as_deref(), page: Some(&key.page) };
    let response = current.engine.ask(&request)?;
    let body = match key.format {
        Format::Markdown => response.markdown().into_bytes(),
        Format::Json => serde_json::to_vec(&response)?,
        Format::Html => {
            let page = html::answer_page(&state.theme(), current.engine.meta(), &response, alternates(key))?;
            state.finish_html(page.into_bytes())
        }
    };
    // The answer's own bytes make its validator: a rebuild that changes it changes the tag.
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    let etag = HeaderValue::from_str(&format!("W/\"a{:x}-{:x}\"", body.len(), hasher.finish()))?;
    Ok(Rendered { body: Bytes::from(body), format: key.format, etag })
}

/// The Markdown and JSON URLs of the same answer.
fn alternates(key: &Key) -> html::Alternates {
    let encode = |t: &str| utf8_percent_encode(t, NON_ALPHANUMERIC).to_string();
    let twin = paths::encode_href(&paths::twin_url(&key.page));
    let mut markdown = format!("{twin}?ask={}", encode(&key.question));
    if let Some(goal) = &key.goal {
        markdown.push_str(&format!("&goal={}", encode(goal)));
    }
    let json = format!("{markdown}&format=json");
    html::Alternates { twin, markdown, json }
}

fn send(rendered: &Rendered, watching: bool, if_none_match: Option<&str>) -> Response {
    let cache = if watching { "no-cache" } else { "public, max-age=60" };
    let fresh = if_none_match.is_some_and(|h| rendered.etag.to_str().is_ok_and(|e| files::matches_etag(h, e)));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = rendered.body.clone().into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(rendered.format.content_type()));
        r
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::VARY, HeaderValue::from_static("accept"));
    headers.insert(header::ETAG, rendered.etag.clone());
    response
}

fn internal_error(e: &anyhow::Error) -> Response {
    tracing::error!(error = %format!("{e:#}"), "ask failed");
    respond::with_type(StatusCode::INTERNAL_SERVER_ERROR, Format::Markdown, "The question could not be answered.\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_length_and_emptiness() {
        assert!(validate("  ", None).is_some());
        assert!(validate(&"a".repeat(MAX_QUESTION_CHARS), None).is_none());
        assert!(validate(&"é".repeat(MAX_QUESTION_CHARS + 1), None).is_some());
        assert!(validate("ok", Some(&"g".repeat(MAX_QUESTION_CHARS + 1))).is_some());
    }

    #[test]
    fn alternates_point_at_the_twin() {
        let key =
            Key { page: "a/b".into(), question: "how do I?".into(), goal: Some("ship".into()), format: Format::Html };
        let alt = alternates(&key);
        assert_eq!(alt.markdown, "/a/b.md?ask=how%20do%20I%3F&goal=ship");
        assert_eq!(alt.twin, "/a/b.md");
        assert_eq!(alt.json, "/a/b.md?ask=how%20do%20I%3F&goal=ship&format=json");
    }
}
