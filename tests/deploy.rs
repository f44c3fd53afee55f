//! A build deployed where no docask server runs: a plain static file server that
//! serves the output folder under a subpath (as GitHub Pages serves a project site).
//! What the twins, `llms.txt` and the pages tell agents and readers must work there:
//! every link agents are given answers, nothing advertises `?ask=` or `/mcp`, and the
//! head carries the public URL.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use common::BookTest;

const BASE: &str = "/repo";

/// A static file server on a real socket: `GET /repo/<path>` gives the file, or the
/// folder's `index.html`; anything else 404. No docask code runs in it.
fn static_server(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = answer(&root, stream);
        }
    });
    port
}

fn answer(root: &Path, mut stream: TcpStream) -> std::io::Result<()> {
    let mut line = String::new();
    let mut reader = BufReader::new(stream.try_clone()?);
    reader.read_line(&mut line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("");
    let file = path.strip_prefix(BASE).and_then(|rest| {
        let decoded = percent_decode(rest.trim_start_matches('/'));
        if decoded.split('/').any(|part| part == "..") {
            return None;
        }
        let mut file = root.join(decoded);
        if file.is_dir() {
            file = file.join("index.html");
        }
        file.is_file().then_some(file)
    });
    match file {
        Some(file) => {
            let body = std::fs::read(file)?;
            write!(stream, "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len())?;
            stream.write_all(&body)
        }
        None => stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).and_then(|&b| hex(b)), bytes.get(i + 2).and_then(|&b| hex(b))) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The status and body of `GET path` on `port`.
fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    let status = reply.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = reply.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

/// The URLs of Markdown links and bare `https://host/...` URLs in `text` that point
/// into the site at `site_url`, as paths on the static server.
fn site_links(text: &str, site_url: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '"' | '`')) {
        let word = word.trim_end_matches(['.', ',', ';', ':']);
        if let Some(rest) = word.strip_prefix(site_url) {
            out.push(format!("{BASE}{}", rest.split('#').next().unwrap_or("")));
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn a_static_build_under_a_subpath_gives_agents_only_links_that_work() {
    let site_url = "https://user.github.io/repo";
    let book = BookTest::from_fixture("serve");
    let run = book.build(&["--base-url", site_url]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let port = static_server(book.out.clone());

    let (status, llms) = get(port, "/repo/llms.txt");
    assert_eq!(status, 200);
    let (_, twin) = get(port, "/repo/guide/install.md");
    for (name, text) in [("llms.txt", &llms), ("twin", &twin)] {
        assert!(
            !text.contains("?ask=") && !text.contains("/mcp"),
            "{name} promises an endpoint no one answers:\n{text}"
        );
        assert!(!text.contains("Agent Instructions"), "{name}:\n{text}");
        assert!(text.contains(&format!("{site_url}/llms-full.txt")), "{name} points at llms-full.txt:\n{text}");
    }
    let links: Vec<String> = site_links(&llms, site_url).into_iter().chain(site_links(&twin, site_url)).collect();
    assert!(links.len() >= 5, "{links:?}");
    for link in &links {
        assert_eq!(get(port, link).0, 200, "an agent following {link} gets nothing");
    }

    let (_, page) = get(port, "/repo/guide/install/");
    assert!(page.contains("<link rel=\"canonical\" href=\"https://user.github.io/repo/guide/install/\">"), "{page}");
    assert!(page.contains("<meta property=\"og:url\" content=\"https://user.github.io/repo/guide/install/\">"));
    let (_, home) = get(port, "/repo/");
    let title = &home[home.find("<title>").unwrap()..home.find("</title>").unwrap()];
    assert!(!title.contains(" | "), "the home page's title is not doubled: {title}");

    let not_found = book.read("404.html");
    let css = link_of(&not_found, "<link rel=\"stylesheet\" href=\"");
    assert!(css.starts_with("/repo/static/docask.") && css.ends_with(".css") && css != "/repo/static/docask.css");
    let (status, stylesheet) = get(port, &css);
    assert!(status == 200 && !stylesheet.is_empty(), "{css}");
    for href in ["href=\"/repo/\"", "/repo/guide/install/"] {
        assert!(not_found.contains(href), "404.html works under the subpath: {href} in\n{not_found}");
    }
    assert!(book.exists(".nojekyll"), "GitHub Pages would skip .gitbook/ without it");
}

/// The value that follows `opening` (which ends with a quote), up to the next quote.
fn link_of(html: &str, opening: &str) -> String {
    let at = html.find(opening).unwrap_or_else(|| panic!("no {opening} in\n{html}")) + opening.len();
    html[at..].split('"').next().unwrap_or("").to_string()
}

/// The rules of a `_headers` file: each path with its `Name: value` lines.
fn header_rules(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut rules: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        if !line.starts_with(char::is_whitespace) {
            rules.push((line.to_string(), Vec::new()));
        } else if let (Some(rule), Some((name, value))) = (rules.last_mut(), line.trim().split_once(':')) {
            rule.1.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    rules
}

#[test]
fn headers_file_gives_static_hosts_the_servers_caching_and_discovery_under_the_subpath() {
    let book = BookTest::from_fixture("serve");
    let run = book.build(&["--base-url", "https://user.github.io/repo"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let port = static_server(book.out.clone());
    let rules = header_rules(&book.read("_headers"));
    let (every, headers) = &rules[0];
    assert_eq!(every, "/repo/*", "{rules:?}");
    let header = |name: &str| headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
    assert_eq!(header("Link"), Some("</repo/llms.txt>; rel=\"llms-txt\""));
    assert_eq!(header("X-Llms-Txt"), Some("/repo/llms.txt"));
    assert_eq!(get(port, "/repo/llms.txt").0, 200, "the Link points at llms.txt");
    assert_eq!(header("X-Content-Type-Options"), Some("nosniff"));

    let immutable: Vec<&str> = rules[1..]
        .iter()
        .map(|(path, headers)| {
            assert_eq!(headers, &[("Cache-Control".into(), "public, max-age=31536000, immutable".into())], "{path}");
            path.as_str()
        })
        .collect();
    for path in &immutable {
        assert!(path.starts_with("/repo/static/"), "{path}");
        assert_eq!(get(port, path).0, 200, "{path} is a file of the site");
    }
    let page = book.read("guide/install/index.html");
    for opening in ["<link rel=\"stylesheet\" href=\"", "<script src=\"", "<link rel=\"icon\" href=\""] {
        let href = link_of(&page, opening);
        let path = format!("/repo/{}", href.trim_start_matches("../"));
        assert!(immutable.contains(&path.as_str()), "{path} (linked as {href}) is immutable: {immutable:?}");
    }
    for changing in ["/repo/static/nav.js", "/repo/static/search-index.js", "/repo/static/docask.css"] {
        assert!(!immutable.contains(&changing), "{changing} keeps the host's caching");
    }
}

#[test]
fn a_page_at_the_headers_path_wins_with_a_warning() {
    let book = BookTest::from_fixture("serve");
    std::fs::write(book.content.join("_headers.md"), "# Headers\n\nWhich headers we send.\n").unwrap();
    let summary = std::fs::read_to_string(book.content.join("SUMMARY.md")).unwrap();
    std::fs::write(book.content.join("SUMMARY.md"), format!("{summary}* [Headers](_headers.md)\n")).unwrap();
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(book.html("_headers").contains("Which headers we send"));
    let warnings = run.warnings();
    assert!(
        warnings.iter().any(|w| w.contains("_headers.md") && w.contains("does not write")),
        "the file of headers is left out with a warning naming the page:\n{}",
        run.stderr
    );
}

#[test]
fn ask_url_and_lang_come_from_docask_toml() {
    let book = BookTest::from_fixture("serve");
    std::fs::write(
        book.content.join("docask.toml"),
        "lang = \"de\"\n[agent]\nask_url = \"https://ask.example.com/\"\n",
    )
    .unwrap();
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let twin = book.read("guide/install.md");
    assert!(twin.contains("GET https://ask.example.com/guide/install.md?ask=<question>&goal=<goal>"), "{twin}");
    assert!(twin.contains("https://ask.example.com/mcp"), "{twin}");
    assert!(book.read("llms.txt").contains("https://ask.example.com/mcp"));
    assert!(book.read("guide/install/index.html").contains("<html lang=\"de\""));
    assert!(!book.read("guide/install/index.html").contains("rel=\"canonical\""), "no base_url, no canonical link");
}
