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

    let (status, missing) = get(port, "/repo/static/docask.css");
    assert!(status == 200 && !missing.is_empty());
    let not_found = book.read("404.html");
    for href in ["/repo/static/docask.css", "href=\"/repo/\"", "/repo/guide/install/"] {
        assert!(not_found.contains(href), "404.html works under the subpath: {href} in\n{not_found}");
    }
    assert!(book.exists(".nojekyll"), "GitHub Pages would skip .gitbook/ without it");
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
