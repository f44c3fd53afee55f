//! What the server keeps in memory for one build: small files with their response
//! headers computed once and their gzip and brotli forms compressed once, clean URLs
//! known to redirect, rendered answers, and the discovery headers of the site. A hit
//! costs a lock, a map lookup and a copy of the headers: no system call, no thread
//! hand-off. The files are bounded by bytes (least recently used go first); a new
//! build gets a new, empty `BuildCache`, so nothing of an older build is served.
//!
//! Takes files read by `files::resolve`; gives responses.

use std::hash::{Hash, Hasher};
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use lru::LruCache;
use rustc_hash::FxHasher;

use super::files;
use super::headers::{self, Discovery, Encoding, Precompressed};
use crate::index::SiteMeta;

/// Bytes of files (all their forms) kept per build.
pub const CACHE_BYTES: usize = 32 << 20;
/// Largest file kept; larger ones are read (or streamed) for each request.
pub const MAX_ENTRY: u64 = 512 << 10;
/// Smallest file worth compressing.
const MIN_COMPRESS: usize = 256;
/// Brotli quality for files compressed once and served many times (0-11): 5 is
/// within a few per cent of the best size at a small part of its time.
const BROTLI_QUALITY: u32 = 5;
/// Brotli window (log2 of its bytes).
const BROTLI_WINDOW: u32 = 22;
/// Shards: requests on different workers rarely wait for each other.
const SHARDS: usize = 8;

/// What a request resolves to, as kept: its raw path (as sent, before decoding) and
/// whether Markdown was negotiated. Only paths that decoded to a `SitePath` are kept.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Key {
    /// The raw URL path.
    pub raw: String,
    /// Whether Markdown was negotiated.
    pub markdown: bool,
}

/// A kept resolution.
#[derive(Clone)]
pub enum Found {
    /// A file, ready to send.
    File(Arc<Entry>),
    /// A page's clean URL without its slash: redirect.
    Folder,
}

/// A file with its headers and forms.
pub struct Entry {
    headers: HeaderMap,
    identity: Bytes,
    gzip: Option<Bytes>,
    br: Option<Bytes>,
    etag: String,
    modified: u64,
}

/// What the client's request says about its copy.
#[derive(Debug, Default, Clone, Copy)]
pub struct Conditions<'a> {
    /// `If-None-Match`.
    pub if_none_match: Option<&'a str>,
    /// `If-Modified-Since` (ignored when `If-None-Match` is present).
    pub if_modified_since: Option<&'a str>,
}

/// How an entry is made: the file's path, whether `Accept` chose it, and the server's
/// settings that shape its headers.
pub struct Made<'a> {
    /// Path relative to the output folder.
    pub rel: &'a str,
    /// Reached through a clean URL, so it varies with `Accept`.
    pub negotiated: bool,
    /// Served under `--watch`.
    pub watching: bool,
    /// The discovery headers of the build.
    pub discovery: &'a Discovery,
}

impl Entry {
    /// An entry for a file's bytes (HTML already finished for the server's mode).
    pub fn new(bytes: Vec<u8>, meta: &std::fs::Metadata, made: &Made<'_>) -> Entry {
        let content_type = files::content_type(made.rel);
        let compress = files::compressible(&content_type) && bytes.len() >= MIN_COMPRESS;
        let (gzip, br) = if compress { (gzip(&bytes), brotli(&bytes)) } else { (None, None) };
        let etag = files::etag(meta);
        let modified = files::modified_secs(meta);
        let mut headers = HeaderMap::with_capacity(16);
        let mut put = |name, value: &str| {
            if let Ok(value) = HeaderValue::from_str(value) {
                headers.insert(name, value);
            }
        };
        put(header::CONTENT_TYPE, &content_type);
        put(header::ETAG, &etag);
        put(header::LAST_MODIFIED, &files::http_date(modified));
        put(header::CACHE_CONTROL, files::cache_control(made.rel, made.watching));
        let accept = made.negotiated || made.rel.ends_with(".md");
        match (accept, compress) {
            (true, true) => put(header::VARY, "accept, accept-encoding"),
            (true, false) => put(header::VARY, "accept"),
            (false, true) => put(header::VARY, "accept-encoding"),
            (false, false) => {}
        }
        headers::security(&mut headers);
        made.discovery.apply(&mut headers);
        Entry { headers, identity: Bytes::from(bytes), gzip, br, etag, modified }
    }

    /// Bytes held.
    fn size(&self) -> usize {
        let forms = [Some(&self.identity), self.gzip.as_ref(), self.br.as_ref()];
        forms.into_iter().flatten().map(Bytes::len).sum::<usize>() + 1024
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The file's bytes as they are.
    pub fn body(&self) -> Bytes {
        self.identity.clone()
    }

    /// Whether the client's copy is current (by `If-None-Match` when sent, else by
    /// `If-Modified-Since`).
    pub fn fresh(&self, conditions: Conditions<'_>) -> bool {
        match conditions.if_none_match {
            Some(tags) => files::matches_etag(tags, &self.etag),
            None => conditions.if_modified_since.is_some_and(|d| files::not_modified_since(d, self.modified)),
        }
    }

    /// The response: 304 when the client's copy is current, else the body in the
    /// best encoding the client accepts.
    pub fn respond(&self, conditions: Conditions<'_>, accepted: Encoding) -> Response {
        let (status, body, encoding) = if self.fresh(conditions) {
            (StatusCode::NOT_MODIFIED, Body::empty(), None)
        } else {
            match (&self.br, &self.gzip) {
                (Some(br), _) if accepted.brotli() => (StatusCode::OK, Body::from(br.clone()), Some("br")),
                (_, Some(gz)) if accepted.gzip() => (StatusCode::OK, Body::from(gz.clone()), Some("gzip")),
                _ => (StatusCode::OK, Body::from(self.identity.clone()), None),
            }
        };
        let mut response = (status, body).into_response();
        *response.headers_mut() = self.headers.clone();
        if let Some(encoding) = encoding {
            response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response.extensions_mut().insert(Precompressed);
        response
    }
}

fn gzip(bytes: &[u8]) -> Option<Bytes> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    encoder.write_all(bytes).ok()?;
    smaller(encoder.finish().ok()?, bytes.len())
}

fn brotli(bytes: &[u8]) -> Option<Bytes> {
    let mut out = Vec::new();
    {
        let mut encoder = brotli::CompressorWriter::new(&mut out, 16 * 1024, BROTLI_QUALITY, BROTLI_WINDOW);
        encoder.write_all(bytes).ok()?;
        encoder.flush().ok()?;
    }
    smaller(out, bytes.len())
}

/// Keeps a compressed form only when it saves at least a tenth.
fn smaller(compressed: Vec<u8>, original: usize) -> Option<Bytes> {
    (compressed.len() * 10 < original * 9).then(|| Bytes::from(compressed))
}

struct Shard {
    /// Resolutions by raw path: for HTML, for Markdown.
    maps: [LruCache<String, Found>; 2],
    bytes: usize,
}

/// The memory of one build.
pub struct BuildCache {
    shards: Vec<Mutex<Shard>>,
    /// Rendered answers.
    pub answers: super::ask::Cache,
    /// The discovery headers of the site (`Link`, `X-Llms-Txt`).
    pub discovery: Discovery,
}

impl BuildCache {
    /// An empty cache for the build `meta` describes.
    pub fn new(meta: &SiteMeta) -> BuildCache {
        let shard = || Mutex::new(Shard { maps: [LruCache::unbounded(), LruCache::unbounded()], bytes: 0 });
        BuildCache {
            shards: (0..SHARDS).map(|_| shard()).collect(),
            answers: super::ask::Cache::new(super::ask::CACHE_ENTRIES),
            discovery: Discovery::of(&meta.base_url),
        }
    }

    fn shard(&self, raw: &str, markdown: bool) -> MutexGuard<'_, Shard> {
        let mut hasher = FxHasher::default();
        raw.hash(&mut hasher);
        markdown.hash(&mut hasher);
        let shard = &self.shards[hasher.finish() as usize % SHARDS];
        shard.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// What the raw path `raw` resolved to, if kept.
    pub fn get(&self, raw: &str, markdown: bool) -> Option<Found> {
        self.shard(raw, markdown).maps[usize::from(markdown)].get(raw).cloned()
    }

    /// Keeps what `key` resolved to, dropping the least recently used when over the
    /// budget.
    pub fn put(&self, key: Key, found: Found) {
        let size = found_size(&found);
        let budget = CACHE_BYTES / SHARDS;
        if size > budget {
            return;
        }
        let mut shard = self.shard(&key.raw, key.markdown);
        let map = usize::from(key.markdown);
        if let Some(old) = shard.maps[map].put(key.raw, found) {
            shard.bytes -= found_size(&old);
        }
        shard.bytes += size;
        while shard.bytes > budget {
            // The least recently used of the fuller map goes first.
            let first = usize::from(shard.maps[1].len() > shard.maps[0].len());
            let evicted = shard.maps[first].pop_lru().or_else(|| shard.maps[1 - first].pop_lru());
            let Some((_, old)) = evicted else { break };
            shard.bytes -= found_size(&old);
        }
    }

    /// Bytes held (for tests and reports).
    pub fn bytes(&self) -> usize {
        self.shards.iter().map(|s| s.lock().unwrap_or_else(|p| p.into_inner()).bytes).sum()
    }
}

fn found_size(found: &Found) -> usize {
    match found {
        Found::File(entry) => entry.size(),
        Found::Folder => 256,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(dir: &std::path::Path, name: &str, bytes: Vec<u8>) -> Entry {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let discovery = Discovery::of("");
        Entry::new(bytes, &meta, &Made { rel: name, negotiated: false, watching: false, discovery: &discovery })
    }

    #[test]
    fn text_is_kept_compressed_and_served_in_the_accepted_form() {
        let dir = tempfile::tempdir().unwrap();
        let page = entry(dir.path(), "a.html", "<p>hello hello hello</p>\n".repeat(100).into_bytes());
        assert!(page.gzip.is_some() && page.br.is_some());
        let enc = |r: &Response| r.headers().get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap().to_string());
        assert_eq!(enc(&page.respond(Conditions::default(), Encoding::Brotli)).as_deref(), Some("br"));
        assert_eq!(enc(&page.respond(Conditions::default(), Encoding::Gzip)).as_deref(), Some("gzip"));
        assert_eq!(enc(&page.respond(Conditions::default(), Encoding::Identity)), None);
        let png = entry(dir.path(), "x.png", vec![0; 4096]);
        assert!(png.gzip.is_none() && png.br.is_none(), "images are not compressed");
    }

    #[test]
    fn validators_give_304() {
        let dir = tempfile::tempdir().unwrap();
        let page = entry(dir.path(), "a.txt", b"hello".to_vec());
        let etag = page.etag.clone();
        let date = files::http_date(page.modified);
        let by_tag =
            page.respond(Conditions { if_none_match: Some(&etag), if_modified_since: None }, Encoding::Identity);
        assert_eq!(by_tag.status(), StatusCode::NOT_MODIFIED);
        let by_date =
            page.respond(Conditions { if_none_match: None, if_modified_since: Some(&date) }, Encoding::Identity);
        assert_eq!(by_date.status(), StatusCode::NOT_MODIFIED);
        let other = Conditions { if_none_match: Some("\"other\""), if_modified_since: Some(&date) };
        assert_eq!(page.respond(other, Encoding::Identity).status(), StatusCode::OK, "the tag decides");
        assert!(by_tag.headers().contains_key(header::LAST_MODIFIED));
    }

    #[test]
    fn the_budget_holds() {
        let dir = tempfile::tempdir().unwrap();
        let cache = BuildCache::new(&SiteMeta::default());
        for i in 0..200 {
            let e = entry(dir.path(), "f.png", vec![i as u8; 400 << 10]);
            let key = Key { raw: format!("/f{i}.png"), markdown: false };
            cache.put(key, Found::File(Arc::new(e)));
        }
        assert!(cache.bytes() <= CACHE_BYTES, "{}", cache.bytes());
        assert!(cache.bytes() > CACHE_BYTES / 2, "{}", cache.bytes());
    }
}
