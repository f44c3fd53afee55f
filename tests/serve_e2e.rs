//! `docask serve` end to end: the real binary on a free port, spoken to over a real
//! socket with plain HTTP/1.1 (raw bytes, so hostile request lines reach the server
//! unchanged): the contract over the wire, a concurrent burst of asks, header
//! limits, graceful shutdown, fingerprinted theme files cached for good, and live
//! preview with `--watch` (an edit is served, a broken edit keeps the last good site
//! and shows its error until fixed, a theme edit renames the theme file).

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::BookTest;

/// A running `docask serve`, stopped with SIGTERM when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(content: &Path, out: &Path, extra: &[&str]) -> Server {
        let common::Served { child, addr, stderr } = common::serve(content, out, extra);
        Server { child, addr, stderr }
    }

    fn get(&self, target: &str) -> Reply {
        self.request(&format!("GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
    }

    fn get_with(&self, target: &str, header: &str) -> Reply {
        self.request(&format!("GET {target} HTTP/1.1\r\nHost: x\r\n{header}\r\nConnection: close\r\n\r\n"))
    }

    fn request(&self, raw: &str) -> Reply {
        let mut stream = TcpStream::connect(self.addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        stream.write_all(raw.as_bytes()).expect("send");
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        Reply::parse(&bytes)
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Sends SIGTERM and waits for the exit code.
    fn stop(&mut self) -> Option<i32> {
        self.signal("-TERM")
    }

    /// Sends a signal (`-INT`, `-TERM`) and waits for the exit code.
    fn signal(&mut self, signal: &str) -> Option<i32> {
        let _ = Command::new("kill").args([signal, &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A parsed HTTP/1.1 response.
#[derive(Debug)]
struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn parse(bytes: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(bytes);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let chunked = head.to_ascii_lowercase().contains("transfer-encoding: chunked");
        let body = if chunked { dechunk(body) } else { body.to_string() };
        Reply { status, head: head.to_string(), body }
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else { break };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

fn wait_for(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

const PAGE: &str = "/modules-and-features/settings/api-tokens/create-api-token";

#[test]
fn serves_the_contract_over_a_socket_and_stops_gracefully() {
    let book = BookTest::in_place(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
    let mut server = Server::start(&book.content, &book.out, &[]);
    assert_eq!(server.get("/healthz").body, "ok");
    let page = server.get(&format!("{PAGE}/"));
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(page.header("x-content-type-options").as_deref(), Some("nosniff"));
    let twin = server.get_with(&format!("{PAGE}/"), "Accept: text/markdown");
    assert!(twin.header("content-type").unwrap().starts_with("text/markdown"));
    let ask = server.get(&format!("{PAGE}.md?ask=how%20do%20I%20create%20a%20new%20token"));
    assert_eq!(ask.status, 200);
    assert!(ask.body.starts_with("# how do I create a new token"), "{}", ask.body);
    assert_eq!(server.get(&format!("{PAGE}.md?ask=%ff%fe")).status, 400);

    for target in [
        "/..\\..\\..\\etc\\passwd",
        "/../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/static/../../../../etc/passwd",
        "/%00/etc/passwd",
        "/.docask/site.json",
        "/.docask/index/meta.json",
    ] {
        let reply = server.get(target);
        assert_ne!(reply.status, 200, "{target}");
        assert!(!reply.body.contains("root:") && !reply.body.contains("\"synonyms\""), "{target} leaked");
    }
    let absolute = server.request("GET http://x/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(!absolute.body.contains("root:"));

    let huge = format!("X-Big: {}", "a".repeat(40 * 1024));
    let too_big = server.get_with("/healthz", &huge);
    assert_eq!(too_big.status, 431, "headers over the limit are refused: {}", too_big.head);

    assert!(server.stderr().contains("status=200"), "one log line per request:\n{}", server.stderr());
    assert_eq!(server.stop(), Some(0), "SIGTERM stops the server cleanly:\n{}", server.stderr());
}

#[test]
fn a_burst_of_concurrent_asks_all_succeed() {
    let book = BookTest::in_place(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
    let server = Arc::new(Server::start(&book.content, &book.out, &[]));
    let questions = [
        "how do I create a new token",
        "how do I delete a token",
        "what permissions can a token have",
        "when does a token expire",
        "how do I rotate an api key",
        "can I see the token again after creating it",
        "what happens to a revoked token",
        "where are the api tokens settings",
    ];
    let threads: Vec<_> = (0..16)
        .map(|t| {
            let server = server.clone();
            std::thread::spawn(move || {
                for i in 0..13 {
                    let n = t * 13 + i;
                    if n >= 200 {
                        break;
                    }
                    let q = questions[n % questions.len()].replace(' ', "%20");
                    let target = if n % 3 == 0 {
                        format!("{PAGE}.md?ask={q}%20{n}&format=json")
                    } else {
                        format!("{PAGE}.md?ask={q}")
                    };
                    let reply = server.get(&target);
                    assert_eq!(reply.status, 200, "{target}: {}", reply.head);
                    assert!(!reply.body.is_empty(), "{target}");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("every request succeeded");
    }
    let mut server = Arc::into_inner(server).expect("the threads are done");
    assert_eq!(server.signal("-INT"), Some(0), "Ctrl-C stops the server cleanly:\n{}", server.stderr());
}

#[test]
fn watch_serves_edits_and_keeps_the_last_good_site_on_errors() {
    let book = BookTest::from_fixture("serve");
    let mut server = Server::start(&book.content, &book.out, &["--watch"]);
    let page = "/guide/install/";
    let first = server.get(page);
    assert!(first.body.contains("/_docask/live-reload.js"), "the live-reload script is injected");
    let build0 = server.get("/_docask/status").body;

    // An edit is served.
    let file = book.content.join("guide/install.md");
    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{original}\n## Upgrade\n\nRun `widget upgrade` to get the newest release.\n"))
        .unwrap();
    wait_for("the edit to be served", Duration::from_secs(10), || server.get(page).body.contains("widget upgrade"));
    assert_ne!(server.get("/_docask/status").body, build0, "a new build id tells pages to reload");
    let answer = server.get("/guide/install.md?ask=how%20do%20I%20upgrade%20the%20widget");
    assert!(answer.body.contains("widget upgrade"), "the new index answers:\n{}", answer.body);

    // A flawed page is built the way GitBook shows it, with a warning on stderr.
    std::fs::write(&file, format!("{original}\n{{% hint style=\"info\" %}}\nnever closed\n")).unwrap();
    wait_for("the flaw to be reported", Duration::from_secs(10), || server.stderr().contains("unclosed `{% hint %}`"));
    wait_for("the flawed page to be served", Duration::from_secs(10), || {
        server.get(page).body.contains("never closed")
    });

    // A broken edit keeps the last good site and shows the error, with file and line.
    let config = book.content.join("docask.toml");
    std::fs::write(&config, "title = [\n").unwrap();
    wait_for("the error to be reported", Duration::from_secs(10), || {
        server.get("/_docask/status").body.contains("docask.toml")
    });
    let status: serde_json::Value = serde_json::from_str(&server.get("/_docask/status").body).unwrap();
    let error = status["error"].as_str().unwrap();
    assert!(error.contains("docask.toml") && error.contains("line 1"), "file and line: {error}");
    assert!(server.stderr().contains("docask.toml"), "the error is on stderr:\n{}", server.stderr());
    assert!(server.get(page).body.contains("never closed"), "the last good site stays served");

    // Fixed: served again, error gone.
    std::fs::remove_file(&config).unwrap();
    std::fs::write(&file, format!("{original}\n## Fixed\n\nAll good again.\n")).unwrap();
    wait_for("the fix to be served", Duration::from_secs(10), || server.get(page).body.contains("All good again"));
    let status: serde_json::Value = serde_json::from_str(&server.get("/_docask/status").body).unwrap();
    assert!(status["error"].is_null(), "{status}");

    // A text-only edit is patched into the served build; the index follows it. It is
    // saved the way many editors do: a new file, renamed over the page.
    assert_eq!(server.stderr().matches("patched;").count(), 0, "{}", server.stderr());
    let fixed = std::fs::read_to_string(&file).unwrap();
    let saving = book.content.join("guide/install.md.saving");
    std::fs::write(&saving, fixed.replace("All good again.", "All good again, now with the gizmo flag.")).unwrap();
    std::fs::rename(&saving, &file).unwrap();
    wait_for("the patch to be served", Duration::from_secs(10), || server.get(page).body.contains("gizmo flag"));
    wait_for("the patch to be logged", Duration::from_secs(10), || server.stderr().contains("patched;"));
    let answer = server.get("/guide/install.md?ask=which%20flag%20is%20new");
    assert!(answer.body.contains("gizmo flag"), "the patched index answers:\n{}", answer.body);
    assert!(server.get("/llms-full.txt").body.contains("gizmo flag"));

    // A title can show on other pages: every page is rendered again, in place.
    let rewrites = server.stderr().matches("rewrote the pages showing the edit;").count();
    let retitled = std::fs::read_to_string(&file).unwrap().replace("# Install the CLI", "# Install the gizmo CLI");
    std::fs::write(&file, retitled).unwrap();
    wait_for("the rewrite to be logged", Duration::from_secs(10), || {
        server.stderr().matches("rewrote the pages showing the edit;").count() > rewrites
    });
    assert!(server.get(page).body.contains("<h1>Install the gizmo CLI</h1>"));
    assert!(server.get("/llms-full.txt").body.contains("# Install the gizmo CLI"));

    // On shutdown the served build becomes the output folder; no build folder is left.
    assert_eq!(server.stop(), Some(0), "{}", server.stderr());
    let twin = std::fs::read_to_string(book.out.join("guide/install.md")).unwrap();
    assert!(twin.contains("All good again"));
    let parent = book.out.parent().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn never_follows_a_symbolic_link_out_of_the_site() {
    let book = BookTest::from_fixture("serve");
    let server = Server::start(&book.content, &book.out, &[]);
    let outside = book.out.parent().unwrap().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "the secret").unwrap();
    std::fs::write(outside.join("index.html"), "the secret page").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", book.out.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), book.out.join("secret.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, book.out.join("linked")).unwrap();
    std::os::unix::fs::symlink(&outside, book.out.join("guide/linked")).unwrap();
    for target in ["/leak.txt", "/secret.txt", "/linked/secret.txt", "/linked/", "/linked", "/guide/linked/"] {
        for accept in ["text/html", "text/markdown"] {
            let reply = server.get_with(target, &format!("Accept: {accept}"));
            assert_eq!(reply.status, 404, "{target}: {}", reply.head);
            assert!(!reply.body.contains("root:") && !reply.body.contains("the secret"), "{target} leaked");
        }
    }
    assert_eq!(server.get("/guide/install/").status, 200, "real files are still served");
}

#[test]
fn hostile_text_and_huge_paths_get_plain_answers() {
    let book = BookTest::in_place(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
    let server = Arc::new(Server::start(&book.content, &book.out, &[]));
    let injection = "%0A%0A%23%20Injected%0A%5Bclick%5D(javascript:alert(1))";
    for target in [
        format!("{PAGE}.md?ask=token{injection}"),
        format!("/nope{injection}.md"),
        format!("{PAGE}.md?format={injection}"),
    ] {
        let reply = server.get(&target);
        assert!(reply.status == 200 || reply.status == 400 || reply.status == 404, "{target}: {}", reply.head);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&reply.body));
        assert!(!html.contains("<h1>Injected"), "{target}:\n{}", reply.body);
        assert!(!html.contains("href=\"javascript:"), "{target}:\n{}", reply.body);
    }
    // Eight 404s with 30,000-character paths at once: each gets its list of nearest
    // pages, and the server keeps answering.
    let long = format!("/{}.md", "x".repeat(30_000));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (server, long) = (server.clone(), long.clone());
            std::thread::spawn(move || server.get(&long))
        })
        .collect();
    assert_eq!(server.get("/healthz").body, "ok");
    for t in threads {
        let reply = t.join().unwrap();
        assert_eq!(reply.status, 404, "{}", reply.head);
        assert!(
            reply.body.lines().filter(|l| l.starts_with("- [")).count() == 5,
            "{}",
            &reply.body[..200.min(reply.body.len())]
        );
        assert!(reply.body.len() < 4096, "the path is not echoed whole");
    }
}

#[test]
fn discovery_canonical_urls_validators_and_compression_over_the_wire() {
    let book = BookTest::in_place(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
    let server = Server::start(&book.content, &book.out, &[]);
    for target in [
        format!("{PAGE}/"),
        "/healthz".into(),
        "/no/such/page".into(),
        format!("{PAGE}.md?ask=token"),
        "/llms.txt".into(),
    ] {
        let reply = server.get(&target);
        assert_eq!(reply.header("link").as_deref(), Some("</llms.txt>; rel=\"llms-txt\""), "{target}");
        assert_eq!(reply.header("x-llms-txt").as_deref(), Some("/llms.txt"), "{target}");
    }
    let llms = server.get("/llms.txt");
    assert_eq!(server.get("/.well-known/llms.txt").body, llms.body);
    assert_eq!(server.get("/.well-known/llms-full.txt").body, server.get("/llms-full.txt").body);

    let moved = server.get(&format!("{PAGE}?ask=token&goal=x"));
    assert_eq!(moved.status, 308);
    assert_eq!(moved.header("location"), Some(format!("{PAGE}/?ask=token&goal=x")));

    let page = server.get(&format!("{PAGE}/"));
    let since = page.header("last-modified").expect("Last-Modified");
    assert_eq!(server.get_with(&format!("{PAGE}/"), &format!("If-Modified-Since: {since}")).status, 304);
    let etag = page.header("etag").expect("ETag");
    assert_eq!(server.get_with(&format!("{PAGE}/"), &format!("If-None-Match: {etag}")).status, 304);

    let br = server.get_with(&format!("{PAGE}/"), "Accept-Encoding: gzip, br");
    assert_eq!(br.header("content-encoding").as_deref(), Some("br"));
}

#[test]
fn malformed_mcp_messages_get_json_rpc_errors() {
    let book = BookTest::in_place(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
    let server = Server::start(&book.content, &book.out, &[]);
    for (body, code) in [("{not json", -32700), ("[1,2]", -32600)] {
        let reply = server.request(&format!(
            "POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ));
        assert_eq!(reply.status, 400, "{body}: {}", reply.head);
        let value: serde_json::Value = serde_json::from_str(&reply.body).unwrap_or_default();
        assert_eq!(value["error"]["code"], code, "{body}: {}", reply.body);
    }
}

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The theme files an HTML page links (`href`/`src` values under `static/`), as
/// site paths resolved against `page`, the page's folder path.
fn theme_links(page: &str, html: &str) -> Vec<String> {
    let values = quoted_after(html, "href=\"").into_iter().chain(quoted_after(html, "src=\""));
    values.filter(|v| v.contains("static/")).map(|v| resolve(page, v)).collect()
}

/// Every value in double quotes that follows `opening` (which ends with the quote).
fn quoted_after<'a>(text: &'a str, opening: &str) -> Vec<&'a str> {
    let values = text.match_indices(opening).map(|(at, _)| &text[at + opening.len()..]);
    values.map(|value| &value[..value.find('"').unwrap_or(0)]).collect()
}

/// `link` resolved against the folder path `base` (`/a/b/` + `../c` → `/a/c`).
fn resolve(base: &str, link: &str) -> String {
    if link.starts_with('/') {
        return link.to_string();
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in link.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            part => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The hash in a fingerprinted name (`/static/docask.<hash>.css` → `<hash>`).
fn name_hash(path: &str) -> Option<&str> {
    let name = path.rsplit('/').next()?;
    let mut parts = name.rsplit('.');
    let (_ext, hash, _stem) = (parts.next()?, parts.next()?, parts.next()?);
    (hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then_some(hash)
}

/// The first 16 hex digits of the SHA-256 of `text`.
fn content_hash(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes()).iter().take(8).map(|b| format!("{b:02x}")).collect()
}

#[test]
fn theme_files_are_linked_by_content_hash_and_cached_for_good() {
    let book = BookTest::from_fixture("serve");
    let server = Server::start(&book.content, &book.out, &[]);
    let page = server.get("/guide/install/");
    assert_eq!(page.status, 200);
    assert_eq!(page.header("cache-control").as_deref(), Some("public, max-age=60"), "a page is not immutable");
    let links = theme_links("/guide/install/", &page.body);
    for kind in [".css", ".js"] {
        assert!(links.iter().any(|l| l.ends_with(kind)), "the page links a theme {kind}: {links:?}");
    }
    for link in &links {
        let hash = name_hash(link).unwrap_or_else(|| panic!("{link} has no content hash in its name"));
        let file = server.get(link);
        assert_eq!(file.status, 200, "{link}");
        assert_eq!(file.header("cache-control").as_deref(), Some(IMMUTABLE), "{link}");
        assert_eq!(content_hash(&file.body), hash, "{link}: the name is the hash of what is served");
    }
    let css = links.iter().find(|l| l.ends_with(".css")).unwrap();
    let stylesheet = server.get(css).body;
    let icons: Vec<String> = quoted_after(&stylesheet, "url(\"").into_iter().map(|u| resolve("/static/", u)).collect();
    assert!(icons.len() >= 4, "the stylesheet's icons: {icons:?}");
    for icon in &icons {
        assert!(name_hash(icon).is_some(), "{icon}");
        assert_eq!(server.get(icon).header("cache-control").as_deref(), Some(IMMUTABLE), "{icon}");
    }

    // The server's own pages link the same files.
    let answer = server.get_with("/guide/install/?ask=how%20do%20I%20install", "Accept: text/html");
    assert_eq!(answer.status, 200);
    assert!(answer.header("content-type").unwrap().starts_with("text/html"));
    assert_ne!(answer.header("cache-control").as_deref(), Some(IMMUTABLE));
    let mut answer_links = theme_links("/", &answer.body);
    let mut page_links = links.clone();
    answer_links.sort();
    page_links.sort();
    assert_eq!(answer_links, page_links);

    // Plain names stay, for templates that link them, revalidated daily.
    let plain = server.get("/static/docask.css");
    assert_eq!(plain.status, 200);
    assert_eq!(plain.header("cache-control").as_deref(), Some("public, max-age=86400"));
    for built_per_site in ["/static/nav.js", "/static/search-index.js"] {
        let reply = server.get(built_per_site);
        assert_eq!(reply.status, 200, "{built_per_site}");
        assert_ne!(reply.header("cache-control").as_deref(), Some(IMMUTABLE), "{built_per_site} changes per build");
    }
}

/// A rebuild under `--watch` goes into a folder of its own, yet takes the vectors of
/// unchanged sections from the site it replaces, as `docask build` does.
#[test]
fn a_rebuild_under_watch_keeps_the_vectors_of_unchanged_sections() {
    let book = BookTest::from_fixture("serve");
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    common::mark_kept_vectors(&book.out, 5);
    let mut server = Server::start(&book.content, &book.out, &["--watch"]);
    // A new title shows on other pages: every page is rendered again in place, and
    // only the retitled page is indexed again.
    let file = book.content.join("guide/install.md");
    let retitled = std::fs::read_to_string(&file).unwrap().replace("# Install the CLI", "# Install the gizmo CLI");
    std::fs::write(&file, retitled).unwrap();
    wait_for("the rewrite to be logged", Duration::from_secs(10), || {
        server.stderr().contains("rewrote the pages showing the edit;")
    });
    assert!(server.get("/guide/install/").body.contains("Install the gizmo CLI"), "the new title is served");
    // A new page: the site is rebuilt beside the served one.
    let rebuilds = server.stderr().matches("rebuilt;").count();
    std::fs::write(book.content.join("guide/upgrade.md"), "# Upgrade\n\nRun the upgrade command.\n").unwrap();
    let summary = std::fs::read_to_string(book.content.join("SUMMARY.md")).unwrap();
    let summary = summary.replace("  * [Webhooks]", "  * [Upgrade](guide/upgrade.md)\n  * [Webhooks]");
    std::fs::write(book.content.join("SUMMARY.md"), summary).unwrap();
    wait_for("the rebuild to be logged", Duration::from_secs(10), || {
        server.stderr().matches("rebuilt;").count() > rebuilds
    });
    // On shutdown the served build becomes the output folder, its vectors with it.
    assert_eq!(server.stop(), Some(0), "{}", server.stderr());
    let (_, vectors) = common::kept_vectors(&book.out);
    let marked = vectors.iter().filter(|v| v.iter().all(|&b| b == 5)).count();
    assert!(marked >= 1 && marked < vectors.len(), "{marked} of {} sections kept", vectors.len());
}

#[test]
fn a_theme_edit_under_watch_renames_the_file_and_drops_the_old_name() {
    let book = BookTest::from_fixture("serve");
    let server = Server::start(&book.content, &book.out, &["--watch"]);
    let page = "/guide/install/";
    let stylesheet = |server: &Server| {
        let links = theme_links(page, &server.get(page).body);
        links.into_iter().find(|l| l.ends_with(".css")).expect("a stylesheet")
    };
    let old = stylesheet(&server);
    assert_eq!(server.get(&old).status, 200);

    let theme = book.content.join("_theme/static");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(theme.join("docask.css"), "body { color: rebeccapurple }\n").unwrap();
    wait_for("the new stylesheet to be linked", Duration::from_secs(10), || stylesheet(&server) != old);
    let new = stylesheet(&server);
    let served = server.get(&new);
    assert_eq!((served.status, served.body.as_str()), (200, "body { color: rebeccapurple }\n"));
    assert_eq!(served.header("cache-control").as_deref(), Some(IMMUTABLE));
    assert_eq!(name_hash(&new), Some(content_hash(&served.body).as_str()));
    assert_eq!(server.get(&old).status, 404, "the old name left with the build it belonged to");
}

#[test]
fn without_watch_the_build_runs_apart_and_the_server_keeps_its_theme_and_ask_links() {
    let book = BookTest::from_fixture("serve");
    let theme = book.content.join("_theme/static");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(theme.join("docask.css"), "body { color: teal }\n").unwrap();
    let mut server = Server::start(&book.content, &book.out, &[]);
    let twin = server.get("/guide/install.md");
    assert_eq!(twin.status, 200);
    assert!(twin.body.contains("?ask="), "a served build points agents at the server's ask: {}", twin.body);
    // The answer page is rendered by the server with the theme it read from the
    // content, and links the stylesheet the build wrote.
    let page = "/guide/install/";
    let answer = server.get_with(&format!("{page}?ask=install"), "Accept: text/html");
    assert_eq!(answer.status, 200);
    let links = theme_links(page, &answer.body);
    let stylesheet = links.iter().find(|l| l.ends_with(".css")).expect("the answer page links a stylesheet");
    let served = server.get(stylesheet);
    assert_eq!((served.status, served.body.as_str()), (200, "body { color: teal }\n"));
    assert!(server.stderr().contains("built "), "the build's summary is printed: {}", server.stderr());
    assert_eq!(server.stop(), Some(0));
}
