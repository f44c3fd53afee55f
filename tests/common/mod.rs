//! The shared harness of the integration tests (after mdBook's `BookTest`): copies a
//! fixture site from `tests/fixtures/<case>/` into a temporary folder, runs the real
//! `docask` binary on it, and reads what it wrote: a page's HTML, the `<main>` or the
//! `.markdown-body` of it, its Markdown twin, what `docask ask` prints, and checks
//! that hold for every output (no GitBook tag survives, every relative link resolves).

// Each test binary uses a different subset of the helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;
use walkdir::WalkDir;

/// The folder holding the fixture sites.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Everything written to stdout.
    pub stdout: String,
    /// Everything written to stderr.
    pub stderr: String,
}

impl Run {
    /// Lines of stderr that are warnings.
    pub fn warnings(&self) -> Vec<&str> {
        self.stderr.lines().filter(|l| l.trim_start().starts_with("warning:")).collect()
    }
}

/// Runs `docask` with `args`.
pub fn docask(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_docask")).args(args).output().expect("the docask binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A content folder in a temporary directory, with an output folder beside it.
pub struct BookTest {
    _dir: TempDir,
    /// The content folder (a copy of the fixture).
    pub content: PathBuf,
    /// Where `build` writes.
    pub out: PathBuf,
}

impl BookTest {
    /// Copies fixture `case` (a path under `tests/fixtures/`).
    pub fn from_fixture(case: &str) -> Self {
        Self::from_dir(&fixtures().join(case))
    }

    /// Copies any content folder.
    pub fn from_dir(source: &Path) -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let content = dir.path().join("content");
        copy_tree(source, &content);
        let out = dir.path().join("public");
        BookTest { _dir: dir, content, out }
    }

    /// Uses `content` where it is (for large corpora); only the output is temporary.
    pub fn in_place(content: &Path) -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let out = dir.path().join("public");
        BookTest { _dir: dir, content: content.to_path_buf(), out }
    }

    /// Copies fixture `case`, builds it, and asserts a clean build: exit 0, no
    /// warning, and no GitBook `{%` tag left in any output.
    pub fn built(case: &str) -> Self {
        let book = Self::from_fixture(case);
        let run = book.build(&[]);
        assert_eq!(run.code, 0, "build of `{case}` failed:\n{}", run.stderr);
        assert!(run.warnings().is_empty(), "warnings:\n{}", run.stderr);
        assert_no_liquid(&book.out);
        book
    }

    /// `docask build --content … --out …` plus `extra` arguments.
    pub fn build(&self, extra: &[&str]) -> Run {
        let (content, out) = (path_arg(&self.content), path_arg(&self.out));
        let mut args = vec!["build", "--content", &content, "--out", &out];
        args.extend_from_slice(extra);
        docask(&args)
    }

    /// `docask ask --out …` plus `args` (options, then the question).
    pub fn ask(&self, args: &[&str]) -> Run {
        let out = path_arg(&self.out);
        let mut all = vec!["ask", "--out", &out];
        all.extend_from_slice(args);
        docask(&all)
    }

    /// `docask check --content …`.
    pub fn check(&self) -> Run {
        docask(&["check", "--content", &path_arg(&self.content)])
    }

    /// The text of output file `rel`.
    pub fn read(&self, rel: &str) -> String {
        let path = self.out.join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read `{rel}`: {e}"))
    }

    /// Whether output file `rel` exists.
    pub fn exists(&self, rel: &str) -> bool {
        self.out.join(rel).is_file()
    }

    /// The HTML of the page at clean URL `url` (`""` is the home page).
    pub fn html(&self, url: &str) -> String {
        self.read(&html_file(url))
    }

    /// The `.markdown-body` of the page at `url`: the rendered content, no chrome.
    pub fn body(&self, url: &str) -> String {
        markdown_body(&self.html(url))
    }

    /// The Markdown twin of the page at `url`.
    pub fn twin(&self, url: &str) -> String {
        self.read(&twin_file(url))
    }

    /// The twin from its `# Title` to just before the agent footer.
    pub fn twin_body(&self, url: &str) -> String {
        twin_body(&self.twin(url))
    }
}

fn path_arg(path: &Path) -> String {
    path.to_str().expect("UTF-8 temporary path").to_string()
}

pub use docask::paths::{html_file, twin_file};

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in WalkDir::new(from) {
        let entry = entry.expect("readable fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create folder");
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// The text between `start` (included) and the first `end` after it (included).
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)?;
    let to = text[from..].find(end)? + from + end.len();
    Some(&text[from..to])
}

/// The `<main …>…</main>` element of a page.
pub fn main_of(html: &str) -> String {
    between(html, "<main", "</main>").expect("page has a <main>").to_string()
}

/// The inside of the `.markdown-body` div of a page.
pub fn markdown_body(html: &str) -> String {
    let open = "<div class=\"markdown-body\">";
    let block = between(html, open, "\n</div>\n</article>").expect("page has a .markdown-body");
    block[open.len()..block.len() - "</div>\n</article>".len()].trim().to_string()
}

/// A twin from `# Title` up to the `---` before "Agent Instructions", if it has that
/// footer (a static build without `[agent] ask_url` has none).
pub fn twin_body(twin: &str) -> String {
    let start = twin.find("\n# ").expect("twin has a title") + 1;
    let end = twin.find("\n---\n\n# Agent Instructions").unwrap_or(twin.len());
    twin[start..end].trim().to_string()
}

/// Every file under `dir` by `/`-separated relative path, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("readable output"))
        .filter(|e| e.file_type().is_file())
        .map(|e| relative(dir, e.path()))
        .collect()
}

/// The bytes of every file under `dir` whose path does not start with a `skip` prefix.
pub fn tree_bytes(dir: &Path, skip: &[&str]) -> BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .filter(|rel| !skip.iter().any(|s| rel.starts_with(s)))
        .map(|rel| {
            let bytes = fs::read(dir.join(&rel)).expect("readable output file");
            (rel, bytes)
        })
        .collect()
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).expect("inside root");
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// The HTML, Markdown and text files of an output folder (the index left out).
pub fn text_outputs(out: &Path) -> Vec<String> {
    files(out)
        .into_iter()
        .filter(|f| !f.starts_with(".docask/"))
        .filter(|f| [".html", ".md", ".txt"].iter().any(|ext| f.ends_with(ext)))
        .collect()
}

/// Output files that still contain a GitBook `{%` tag.
pub fn files_with_liquid(out: &Path) -> Vec<String> {
    text_outputs(out)
        .into_iter()
        .filter(|f| fs::read_to_string(out.join(f)).map(|t| t.contains("{%")).unwrap_or(false))
        .collect()
}

/// Asserts that no `{%` survives in any HTML, Markdown or text output.
pub fn assert_no_liquid(out: &Path) {
    assert!(!text_outputs(out).is_empty(), "no output in {out:?}");
    let left = files_with_liquid(out);
    assert!(left.is_empty(), "`{{%` survives in {left:?}");
}

/// The values of every `href="…"` and `src="…"` attribute, entities decoded.
pub fn links_in(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            found.push(decode_entities(&rest[..end]));
            rest = &rest[end..];
        }
    }
    found
}

/// Decodes `&amp;` and numeric character references (`&#x2F;`, `&#47;`).
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e < 10);
        let decoded = end.and_then(|e| entity(&rest[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "quot" => Some('"'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Where a link of an HTML page leads.
#[derive(Debug, PartialEq)]
pub enum Link {
    /// Another site, another scheme or an anchor on the same page.
    Elsewhere,
    /// An output file, by `/`-separated path.
    File(String),
    /// Above the output folder.
    Outside,
}

/// Where `link`, found on the page at output path `page`, leads on a static host;
/// `x/` means `x/index.html`.
pub fn link_target(page: &str, link: &str) -> Link {
    let lower = link.to_ascii_lowercase();
    let external = ["http:", "https:", "mailto:", "tel:", "data:", "//", "#"];
    if external.iter().any(|p| lower.starts_with(p)) {
        return Link::Elsewhere;
    }
    let path = link.split(['#', '?']).next().unwrap_or("");
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let folder = page.rsplit_once('/').map_or("", |(dir, _)| dir);
    let joined = match path.strip_prefix('/') {
        Some(rooted) => rooted.to_string(),
        None => format!("{folder}/{path}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Link::Outside;
                }
            }
            p => parts.push(p),
        }
    }
    let last = path.rsplit('/').next().unwrap_or("");
    if matches!(last, "" | "." | "..") {
        parts.push("index.html");
    }
    Link::File(parts.join("/"))
}

/// `html` without the links docask marked as broken (`class="broken-link"`), which
/// the build reported as warnings.
pub fn without_marked_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let starts = ["<span class=\"broken-link\"", "<a class=\"content-ref broken-link\""];
        let Some(start) = starts.iter().filter_map(|s| rest.find(s)).min() else {
            break;
        };
        out.push_str(&rest[..start]);
        let end = rest[start..].find("</a>").map_or(rest.len(), |e| start + e + 4);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Links in the HTML pages of `out` that do not lead to an output file, as
/// `page: link`, leaving out links marked as broken (the build warned about them).
/// Root-absolute links (`/x`) count as broken except in `404.html`, which is served
/// at any path; elsewhere they would break `file://`.
pub fn broken_links(out: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    for page in files(out).into_iter().filter(|f| f.ends_with(".html")) {
        let html = fs::read_to_string(out.join(&page)).expect("readable page");
        for link in links_in(&without_marked_links(&html)) {
            let rooted = link.starts_with('/') && !link.starts_with("//");
            let ok = match link_target(&page, &link) {
                _ if rooted && page != "404.html" => false,
                Link::Elsewhere => true,
                Link::File(target) => out.join(target).is_file(),
                Link::Outside => false,
            };
            if !ok {
                broken.push(format!("{page}: {link}"));
            }
        }
    }
    broken
}

/// The number of pages of a built site: one Markdown twin each (`sitemap.md` aside).
pub fn page_count(out: &Path) -> usize {
    files(out).iter().filter(|f| f.ends_with(".md") && *f != "sitemap.md").count()
}

/// A `docask serve` started on a free loopback port: the child, the address it
/// printed, and everything it wrote to stderr so far (read on a thread of its own).
pub struct Served {
    /// The server process.
    pub child: std::process::Child,
    /// Where it listens.
    pub addr: std::net::SocketAddr,
    /// Its stderr, line by line as it comes.
    pub stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

/// Starts `docask serve --addr 127.0.0.1:0 --content content --out out` plus `extra`,
/// and waits (up to a minute) for the line that gives its address.
pub fn serve(content: &Path, out: &Path, extra: &[&str]) -> Served {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    use std::sync::{Arc, Mutex};
    let mut child = Command::new(env!("CARGO_BIN_EXE_docask"))
        .args(["serve", "--addr", "127.0.0.1:0", "--content"])
        .arg(content)
        .arg("--out")
        .arg(out)
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("docask serve starts");
    let stderr = Arc::new(Mutex::new(String::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    let pipe = child.stderr.take().expect("stderr is piped");
    let log = stderr.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if let Some(at) = line.find("http://") {
                let addr = line[at + 7..].split('/').next().unwrap_or("").to_string();
                let _ = tx.send(addr);
            }
            let mut log = log.lock().unwrap();
            log.push_str(&line);
            log.push('\n');
        }
    });
    let addr = rx.recv_timeout(std::time::Duration::from_secs(60)).unwrap_or_else(|_| {
        let _ = child.kill();
        panic!("the server did not start:\n{}", stderr.lock().unwrap())
    });
    Served { child, addr: addr.parse().expect("a socket address"), stderr }
}

/// The section vectors a build keeps in `out/.docask/vectors.bin`, with their
/// dimension (the format: `DVEC`, u64 tag, u32 dims, u32 count, count × u64 keys,
/// count × dims bytes).
pub fn kept_vectors(out: &Path) -> (usize, Vec<Vec<u8>>) {
    let bytes = fs::read(out.join(".docask/vectors.bin")).expect("a build keeps its vectors");
    assert_eq!(&bytes[..4], b"DVEC");
    let dims = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
    let count = u32::from_le_bytes(bytes[16..20].try_into().unwrap()) as usize;
    let vectors = bytes[20 + 8 * count..].chunks(dims).map(<[u8]>::to_vec).collect();
    (dims, vectors)
}

/// Sets every byte of the vectors `out` keeps to `mark`: a build that takes them from
/// the file carries the mark.
pub fn mark_kept_vectors(out: &Path, mark: u8) {
    let (dims, vectors) = kept_vectors(out);
    let path = out.join(".docask/vectors.bin");
    let mut bytes = fs::read(&path).unwrap();
    let start = bytes.len() - dims * vectors.len();
    bytes[start..].fill(mark);
    fs::write(&path, &bytes).unwrap();
}
