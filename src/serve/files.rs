//! Files: resolves a request path to a file of the output folder without ever
//! leaving it, and says how a file is served (type, validators, caching policy).
//!
//! Takes the raw URL path and the output folder; gives a `SitePath` (decoded, checked
//! segments), then a `Resolved` file: opened without following any symbolic link
//! (`openat2` with `RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS` on Linux, each component
//! checked elsewhere), so a link placed in the output folder never leads out of it.
//! A page's clean URL without its trailing slash resolves to a redirect to the slash
//! form: that is where the page's relative links work.

use std::fs::{File, Metadata};
use std::io;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use super::params::{self, DecodeError};
use crate::paths;

/// Dot-folders that are served: GitBook's assets (`.gitbook/assets/…`), copied into
/// the output at their content path, and `.well-known` (the llms files for agents).
/// `.docask` (the index) and every other dot-path stay private.
const SERVED_DOT_FOLDERS: [&str; 2] = [".gitbook", ".well-known"];

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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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

    /// The decoded segments.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// Whether the raw path ended with `/`.
    pub fn trailing_slash(&self) -> bool {
        self.trailing_slash
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

    /// The path's folder form, percent-encoded, for a `Location` (`/a/b%20c/`). Built
    /// from the checked segments, so it is always a path on this site (never `//host`).
    pub fn folder_url(&self) -> String {
        let mut url = String::from("/");
        for segment in &self.segments {
            url.push_str(&paths::encode_segment(segment));
            url.push('/');
        }
        url
    }
}

fn allowed(segment: &str) -> bool {
    !(segment == "."
        || segment == ".."
        || segment.contains(['/', '\\', '\0'])
        || segment.chars().any(char::is_control)
        || (segment.starts_with('.') && !SERVED_DOT_FOLDERS.contains(&segment)))
}

/// A file found for a request, opened.
pub struct Opened {
    /// The open file.
    pub file: File,
    /// Its metadata.
    pub meta: Metadata,
    /// Its path relative to the output folder (`a/b/index.html`).
    pub rel: String,
    /// A page (HTML or twin) reached through its clean URL, so `Accept` chose it.
    pub negotiated: bool,
}

/// What a request path names in the output folder.
pub enum Resolved {
    /// A file.
    File(Box<Opened>),
    /// A page's clean URL without the trailing slash: redirect to the folder form.
    Folder,
    /// Nothing.
    Missing,
}

fn opened(file: File, meta: Metadata, rel: String, negotiated: bool) -> Resolved {
    Resolved::File(Box::new(Opened { file, meta, rel, negotiated }))
}

/// Finds what `path` names in `out`: a file as is; for a clean URL with its slash
/// (`/a/b/`) the page's `index.html`, or its twin when `markdown`; for one without
/// (`/a/b`) a redirect to the slash form.
pub fn resolve(out: &Path, path: &SitePath, markdown: bool) -> io::Result<Resolved> {
    let rel = path.relative();
    if !path.segments.is_empty() && !path.trailing_slash {
        if let Some((file, meta)) = open_beneath(out, &rel)? {
            return Ok(opened(file, meta, rel, false));
        }
        let index = paths::html_file(&rel);
        return Ok(if open_beneath(out, &index)?.is_some() { Resolved::Folder } else { Resolved::Missing });
    }
    let html = paths::html_file(&rel);
    let Some((file, meta)) = open_beneath(out, &html)? else { return Ok(Resolved::Missing) };
    if markdown {
        let twin = paths::twin_file(&rel);
        if let Some((file, meta)) = open_beneath(out, &twin)? {
            return Ok(opened(file, meta, twin, true));
        }
    }
    Ok(opened(file, meta, html, true))
}

/// Opens the regular file at `rel` (a `/`-separated path) inside `out` without
/// following a symbolic link anywhere below `out`; `None` when there is none.
pub fn open_beneath(out: &Path, rel: &str) -> io::Result<Option<(File, Metadata)>> {
    match open_no_symlinks(out, rel) {
        Ok(file) => {
            let meta = file.metadata()?;
            Ok(meta.is_file().then_some((file, meta)))
        }
        Err(e) if absent(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Errors that mean "nothing servable there": missing, not a folder on the way, a
/// symbolic link refused, a name the system rejects.
fn absent(e: &io::Error) -> bool {
    if matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory | io::ErrorKind::InvalidFilename) {
        return true;
    }
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        let refused = [Errno::LOOP, Errno::XDEV, Errno::NAMETOOLONG, Errno::ISDIR];
        if Errno::from_io_error(e).is_some_and(|n| refused.contains(&n)) {
            return true;
        }
    }
    false
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn open_no_symlinks(out: &Path, rel: &str) -> io::Result<File> {
    use rustix::fs::{open, openat2, Mode, OFlags, ResolveFlags};
    use rustix::io::Errno;
    let dir = open(out, OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
    let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOCTTY | OFlags::NOFOLLOW;
    let resolve = ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS;
    let rel = if rel.is_empty() { "." } else { rel };
    match openat2(&dir, rel, flags, Mode::empty(), resolve) {
        Ok(fd) => Ok(File::from(fd)),
        // Kernels before 5.6, or a sandbox that forbids the call.
        Err(e) if e == Errno::NOSYS || e == Errno::PERM => open_checked(out, rel),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn open_no_symlinks(out: &Path, rel: &str) -> io::Result<File> {
    open_checked(out, rel)
}

/// Checks every component below `out` for a symbolic link, then opens the file (the
/// last component without following a link, where the system can say so).
fn open_checked(out: &Path, rel: &str) -> io::Result<File> {
    let mut path = out.to_path_buf();
    for part in rel.split('/').filter(|p| !p.is_empty()) {
        path.push(part);
        if path.symlink_metadata()?.file_type().is_symlink() {
            return Err(io::ErrorKind::NotFound.into());
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    options.open(path)
}

/// A file's modification time in whole seconds since 1970 (what `Last-Modified` says).
pub fn modified_secs(meta: &Metadata) -> u64 {
    meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs())
}

/// A weak entity tag from a file's length and modification time.
pub fn etag(meta: &Metadata) -> String {
    let mtime = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).unwrap_or_default();
    format!("W/\"{:x}-{:x}.{:x}\"", meta.len(), mtime.as_secs(), mtime.subsec_nanos())
}

/// `Last-Modified` of a modification time in seconds.
pub fn http_date(secs: u64) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + std::time::Duration::from_secs(secs))
}

/// Whether an `If-None-Match` value names `etag` (weak comparison, `*` matches).
pub fn matches_etag(header: &str, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let ours = bare(etag);
    header.split(',').any(|t| t.trim() == "*" || bare(t) == ours)
}

/// Whether a file modified at `secs` is unchanged since the `If-Modified-Since` date.
pub fn not_modified_since(header: &str, secs: u64) -> bool {
    httpdate::parse_http_date(header.trim())
        .ok()
        .and_then(|t: SystemTime| t.duration_since(UNIX_EPOCH).ok())
        .is_some_and(|since| secs <= since.as_secs())
}

/// The `Content-Type` of an output file, by extension.
pub fn content_type(rel: &str) -> String {
    let ext = extension(rel);
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

/// Whether a response of this type is worth compressing.
pub fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || ["application/json", "application/xml", "image/svg+xml", "application/javascript"]
            .iter()
            .any(|t| content_type.starts_with(t))
}

fn extension(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default()
}

/// `Cache-Control` of files whose name carries their content's hash.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The `Cache-Control` of an output file: a year and immutable for a theme file
/// under `static/` whose name carries a content hash (`static/docask.3f2a9c1d.css`,
/// as the build writes them); otherwise short for pages, twins and the agent files
/// (they change with every build), a day for the rest of `static/`, an hour for
/// other assets; under `--watch` everything else is revalidated. Content assets are
/// never immutable, whatever their name: `shot.20240115.png` (eight hex digits) may
/// be replaced under the same name.
pub fn cache_control(rel: &str, watch: bool) -> &'static str {
    let ext = extension(rel);
    if rel.starts_with("static/") && fingerprinted(rel.rsplit('/').next().unwrap_or(rel)) {
        IMMUTABLE
    } else if watch {
        "no-cache"
    } else if rel.starts_with("static/") {
        "public, max-age=86400"
    } else if matches!(ext.as_str(), "html" | "md" | "txt" | "xml") {
        "public, max-age=60"
    } else {
        "public, max-age=3600"
    }
}

/// Whether a file name reads `<stem>.<8 or more hex digits>.<ext>`.
pub fn fingerprinted(name: &str) -> bool {
    let mut parts = name.rsplit('.');
    let (Some(ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else { return false };
    !ext.is_empty() && !stem.is_empty() && hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit())
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
        assert_eq!(p.folder_url(), "/a/b%20c/");
        assert!(parse("/.gitbook/assets/x.png").is_ok());
        assert!(parse("/.well-known/llms.txt").is_ok());
        assert!(parse("/a/b.md").unwrap().is_twin());
        assert_eq!(parse("/").unwrap().relative(), "");
        assert_eq!(parse("//evil.example/x").unwrap().folder_url(), "/evil.example/x/", "never another host");
    }

    fn rel(out: &Path, raw: &str, md: bool) -> Option<(String, bool)> {
        match resolve(out, &parse(raw).unwrap(), md).unwrap() {
            Resolved::File(found) => Some((found.rel, found.negotiated)),
            Resolved::Folder => Some(("->/".into(), false)),
            Resolved::Missing => None,
        }
    }

    #[test]
    fn resolves_clean_urls_files_and_twins() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::create_dir_all(out.join("a/b")).unwrap();
        std::fs::write(out.join("a/b/index.html"), "<p>page</p>").unwrap();
        std::fs::write(out.join("a/b.md"), "# page").unwrap();
        std::fs::write(out.join("index.html"), "home").unwrap();
        assert_eq!(rel(out, "/a/b/", false), Some(("a/b/index.html".into(), true)));
        assert_eq!(rel(out, "/a/b/", true), Some(("a/b.md".into(), true)));
        assert_eq!(rel(out, "/a/b", false), Some(("->/".into(), false)), "redirected to the slash form");
        assert_eq!(rel(out, "/a/b", true), Some(("->/".into(), false)));
        assert_eq!(rel(out, "/a/b.md", false), Some(("a/b.md".into(), false)));
        assert_eq!(rel(out, "/", false), Some(("index.html".into(), true)));
        assert_eq!(rel(out, "/a", false), None);
        assert_eq!(rel(out, "/a/b/index.html/x", false), None);
        assert_eq!(rel(out, "/a/b.md/", false), None);
    }

    #[test]
    #[cfg(unix)]
    fn never_follows_a_symbolic_link() {
        let dir = tempfile::tempdir().unwrap();
        let (out, outside) = (dir.path().join("out"), dir.path().join("outside"));
        std::fs::create_dir_all(out.join("real")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.txt"), "secret").unwrap();
        std::fs::write(outside.join("index.html"), "secret").unwrap();
        std::fs::write(out.join("real/index.html"), "ok").unwrap();
        std::os::unix::fs::symlink(outside.join("secret.txt"), out.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("linked")).unwrap();
        std::os::unix::fs::symlink(out.join("real/index.html"), out.join("inside.html")).unwrap();
        assert_eq!(rel(&out, "/leak.txt", false), None);
        assert_eq!(rel(&out, "/linked/secret.txt", false), None);
        assert_eq!(rel(&out, "/linked/", false), None);
        assert_eq!(rel(&out, "/inside.html", false), None, "no link is followed, even one that stays inside");
        assert_eq!(rel(&out, "/real/", false), Some(("real/index.html".into(), true)));
        assert!(open_checked(&out, "leak.txt").is_err() && open_checked(&out, "linked/secret.txt").is_err());
        assert!(open_checked(&out, "real/index.html").is_ok());
    }

    #[test]
    fn validators_compare() {
        assert!(matches_etag("W/\"1-2.3\"", "W/\"1-2.3\""));
        assert!(matches_etag("\"x\", \"1-2.3\"", "W/\"1-2.3\""));
        assert!(matches_etag("*", "W/\"1\""));
        assert!(!matches_etag("\"1-2.4\"", "W/\"1-2.3\""));
        let date = http_date(1_700_000_000);
        assert_eq!(date, "Tue, 14 Nov 2023 22:13:20 GMT");
        assert!(not_modified_since(&date, 1_700_000_000));
        assert!(!not_modified_since(&date, 1_700_000_001));
        assert!(!not_modified_since("yesterday", 0));
    }

    #[test]
    fn types_and_caching() {
        assert_eq!(content_type("a/b.md"), "text/markdown; charset=utf-8");
        assert_eq!(content_type("x.png"), "image/png");
        assert!(compressible(&content_type("a/index.html")) && !compressible(&content_type("x.png")));
        assert_eq!(cache_control("static/docask.css", false), "public, max-age=86400");
        assert_eq!(cache_control("a/index.html", false), "public, max-age=60");
        assert_eq!(cache_control("a/index.html", true), "no-cache");
        assert_eq!(cache_control("static/docask.3f2a9c1d.css", false), IMMUTABLE);
        assert_eq!(cache_control("static/app.0123456789abcdef.js", true), IMMUTABLE);
        assert_eq!(cache_control("static/icons/info.0123456789abcdef.svg", false), IMMUTABLE);
        for plain in [
            "static/docask.css",
            "static/a.3f2a9c1.css",
            "static/.3f2a9c1d.css",
            "static/x.3f2a9c1g.css",
            ".gitbook/assets/shot.20240115.png",
            "assets/logo.deadbeef.svg",
        ] {
            assert_ne!(cache_control(plain, false), IMMUTABLE, "{plain}");
        }
    }
}
