//! Files: resolves a request path to a file of the output folder without ever
//! leaving it, and reads it with the validators and caching policy it is served with.
//!
//! Takes the raw URL path and the output folder; gives a `SitePath` (decoded, checked
//! segments), then a `Hit` (the file, its `ETag`, and its bytes unless the client's
//! copy is current). All disk access of a file request happens in `open`, one
//! blocking call.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::params::{self, DecodeError};
use crate::paths;

/// Files up to this size are read into memory; larger ones are streamed.
const READ_WHOLE: u64 = 1 << 20;
/// The only dot-folder served: GitBook's assets (`.gitbook/assets/…`) are copied
/// into the output at their content path. `.docask` (the index) and every other
/// dot-path stay private.
const SERVED_DOT_FOLDER: &str = ".gitbook";

/// Why a request path names nothing that may be served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// It does not decode (answered with 400).
    Encoding(DecodeError),
    /// It would leave the output folder or enter a private one (answered with 404).
    Forbidden,
}

/// A decoded request path whose segments can only name something inside the output
/// folder: no `.`/`..`, no separators or NUL inside a segment, no private dot-folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePath {
    segments: Vec<String>,
    trailing_slash: bool,
}

impl SitePath {
    /// Decodes and checks a raw URL path (`/a/b%20c/`).
    pub fn parse(raw: &str) -> Result<SitePath, PathError> {
        let mut segments = Vec::new();
        for raw_segment in raw.split('/').filter(|s| !s.is_empty()) {
            let segment = params::decode(raw_segment).map_err(PathError::Encoding)?;
            if !allowed(&segment) {
                return Err(PathError::Forbidden);
            }
            segments.push(segment);
        }
        Ok(SitePath { segments, trailing_slash: raw.ends_with('/') })
    }

    /// Whether the path names a Markdown file (`/a/b.md`).
    pub fn is_twin(&self) -> bool {
        self.segments.last().is_some_and(|s| s.ends_with(".md"))
    }

    /// The decoded path, `/`-separated, without leading slash (`a/b.md`, `` for `/`).
    pub fn relative(&self) -> String {
        self.segments.join("/")
    }

    /// The decoded path with a leading slash, for messages.
    pub fn display(&self) -> String {
        format!("/{}", self.relative())
    }
}

fn allowed(segment: &str) -> bool {
    !(segment == "."
        || segment == ".."
        || segment.contains(['/', '\\', '\0'])
        || segment.chars().any(char::is_control)
        || (segment.starts_with('.') && segment != SERVED_DOT_FOLDER))
}

/// The bytes of a file, or a handle to stream it from.
pub enum Payload {
    /// The whole file.
    Bytes(Vec<u8>),
    /// A large file, to be streamed.
    Stream(File),
}

/// A file found for a request.
pub struct Hit {
    /// Its path relative to the output folder (`a/b/index.html`).
    pub rel: String,
    /// It is a page (HTML or twin) reached through its clean URL, so `Accept` chose it.
    pub negotiated: bool,
    /// Weak validator from length and modification time.
    pub etag: String,
    /// `None` when the client's `If-None-Match` names the current version.
    pub payload: Option<Payload>,
}

/// Finds and reads what `path` names in `out`: a file as is, or for a clean URL
/// (`/a/b`, `/a/b/`) the page's `index.html`, or its twin when `markdown`.
pub fn open(out: &Path, path: &SitePath, markdown: bool, if_none_match: Option<&str>) -> io::Result<Option<Hit>> {
    let Some((file, rel, negotiated)) = locate(out, path, markdown)? else { return Ok(None) };
    let meta = file.metadata()?;
    let etag = etag(&meta);
    if if_none_match.is_some_and(|h| matches_etag(h, &etag)) {
        return Ok(Some(Hit { rel, negotiated, etag, payload: None }));
    }
    let payload = if meta.len() > READ_WHOLE {
        Payload::Stream(file)
    } else {
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        (&file).read_to_end(&mut bytes)?;
        Payload::Bytes(bytes)
    };
    Ok(Some(Hit { rel, negotiated, etag, payload: Some(payload) }))
}

/// Opens the file `path` names; `(file, relative path, negotiated)`.
fn locate(out: &Path, path: &SitePath, markdown: bool) -> io::Result<Option<(File, String, bool)>> {
    let mut full: PathBuf = out.to_path_buf();
    full.extend(&path.segments);
    let rel = path.relative();
    if !path.segments.is_empty() && !path.trailing_slash {
        if let Some(file) = open_file(&full)? {
            return Ok(Some((file, rel, false)));
        }
    }
    if markdown {
        let twin = paths::twin_file(&rel);
        if full.join("index.html").is_file() {
            if let Some(file) = open_file(&out.join(&twin))? {
                return Ok(Some((file, twin, true)));
            }
        }
    }
    let html = paths::html_file(&rel);
    Ok(open_file(&full.join("index.html"))?.map(|file| (file, html, true)))
}

/// Opens `path` if it is a regular file.
fn open_file(path: &Path) -> io::Result<Option<File>> {
    match File::open(path) {
        Ok(file) if file.metadata()?.is_file() => Ok(Some(file)),
        Ok(_) => Ok(None),
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory | io::ErrorKind::InvalidFilename
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// A weak entity tag from a file's length and modification time.
fn etag(meta: &std::fs::Metadata) -> String {
    let mtime = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).unwrap_or_default();
    format!("W/\"{:x}-{:x}.{:x}\"", meta.len(), mtime.as_secs(), mtime.subsec_nanos())
}

/// Whether an `If-None-Match` value names `etag` (weak comparison, `*` matches).
pub fn matches_etag(header: &str, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let ours = bare(etag);
    header.split(',').any(|t| t.trim() == "*" || bare(t) == ours)
}

/// The `Content-Type` of an output file, by extension.
pub fn content_type(rel: &str) -> String {
    let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let known = match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "yaml" | "yml" => "text/yaml; charset=utf-8",
        "svg" => "image/svg+xml",
        _ => return mime_guess::from_ext(&ext).first_or_octet_stream().to_string(),
    };
    known.to_string()
}

/// The `Cache-Control` of an output file: short for pages, twins and the agent
/// files (they change with every build), a day for the theme's `static/`, an hour
/// for other assets; under `--watch` everything is revalidated.
pub fn cache_control(rel: &str, watch: bool) -> &'static str {
    let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if watch {
        "no-cache"
    } else if rel.starts_with("static/") {
        "public, max-age=86400"
    } else if matches!(ext.as_str(), "html" | "md" | "txt" | "xml") {
        "public, max-age=60"
    } else {
        "public, max-age=3600"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<SitePath, PathError> {
        SitePath::parse(raw)
    }

    #[test]
    fn refuses_paths_that_leave_or_peek() {
        for raw in [
            "/../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/..%2f..%2fetc%2fpasswd",
            "/a/..%5c..%5cetc",
            "/..\\..\\etc\\passwd",
            "/a%00b",
            "/.docask/site.json",
            "/.docask/index/meta.json",
            "/.git/config",
            "/a/.env",
            "/static/./x",
        ] {
            assert_eq!(parse(raw), Err(PathError::Forbidden), "{raw}");
        }
        assert_eq!(parse("/%zz"), Err(PathError::Encoding(DecodeError::Percent)));
        assert_eq!(parse("/%ff"), Err(PathError::Encoding(DecodeError::Utf8)));
    }

    #[test]
    fn keeps_ordinary_paths() {
        let p = parse("//a/b%20c/").unwrap();
        assert_eq!(p.relative(), "a/b c");
        assert!(p.trailing_slash);
        assert!(parse("/.gitbook/assets/x.png").is_ok());
        assert!(parse("/a/b.md").unwrap().is_twin());
        assert_eq!(parse("/").unwrap().relative(), "");
    }

    #[test]
    fn resolves_clean_urls_files_and_twins() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::create_dir_all(out.join("a/b")).unwrap();
        std::fs::write(out.join("a/b/index.html"), "<p>page</p>").unwrap();
        std::fs::write(out.join("a/b.md"), "# page").unwrap();
        std::fs::write(out.join("index.html"), "home").unwrap();
        let rel =
            |raw: &str, md: bool| open(out, &parse(raw).unwrap(), md, None).unwrap().map(|h| (h.rel, h.negotiated));
        assert_eq!(rel("/a/b", false), Some(("a/b/index.html".into(), true)));
        assert_eq!(rel("/a/b/", false), Some(("a/b/index.html".into(), true)));
        assert_eq!(rel("/a/b", true), Some(("a/b.md".into(), true)));
        assert_eq!(rel("/a/b.md", false), Some(("a/b.md".into(), false)));
        assert_eq!(rel("/", false), Some(("index.html".into(), true)));
        assert_eq!(rel("/a", false), None);
        assert_eq!(rel("/a/b/index.html/x", false), None);
    }

    #[test]
    fn etags_compare_weakly() {
        assert!(matches_etag("W/\"1-2.3\"", "W/\"1-2.3\""));
        assert!(matches_etag("\"x\", \"1-2.3\"", "W/\"1-2.3\""));
        assert!(matches_etag("*", "W/\"1\""));
        assert!(!matches_etag("\"1-2.4\"", "W/\"1-2.3\""));
    }

    #[test]
    fn types_and_caching() {
        assert_eq!(content_type("a/b.md"), "text/markdown; charset=utf-8");
        assert_eq!(content_type("x.png"), "image/png");
        assert_eq!(cache_control("static/docask.css", false), "public, max-age=86400");
        assert_eq!(cache_control("a/index.html", false), "public, max-age=60");
        assert_eq!(cache_control("a/index.html", true), "no-cache");
    }
}
