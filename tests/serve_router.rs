//! The HTTP contract in process: every row of DESIGN.md's HTTP table, content
//! negotiation, the hostile requests, 304s, the security and discovery headers,
//! canonical URLs, compression and caching, through `tower::ServiceExt::oneshot` on
//! the application over the bundled site (built once).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use docask::build::{self, BuildOptions};
use docask::live::{Current, Live};
use docask::render::Theme;
use docask::serve::{router, App, AppState};
use tower::ServiceExt;

const PAGE: &str = "/modules-and-features/settings/api-tokens/create-api-token";
const QUESTION: &str = "how%20do%20I%20create%20a%20new%20token";
const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// Builds `content` (relative to the repository) once per test binary into the
/// target's temporary folder.
fn built(content: &str) -> PathBuf {
    static BUILT: OnceLock<std::sync::Mutex<Vec<(String, PathBuf)>>> = OnceLock::new();
    let list = BUILT.get_or_init(Default::default);
    let mut list = list.lock().unwrap();
    if let Some((_, out)) = list.iter().find(|(c, _)| c == content) {
        return out.clone();
    }
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-router").join(content.replace('/', "-"));
    // A folder left by an older build of the tests may lack today's site marker.
    let _ = std::fs::remove_dir_all(&out);
    let opts = BuildOptions {
        content: Path::new(env!("CARGO_MANIFEST_DIR")).join(content),
        out: out.clone(),
        base_url: None,
        strict: false,
        quiet: true,
        served: true,
    };
    build::build(&opts).expect("the site builds");
    list.push((content.to_string(), out.clone()));
    out
}

fn state_for(content: &str, watch: bool) -> AppState {
    let out = built(content);
    AppState::new(Live::new(Current::open(&out).unwrap()), Theme::new(&Default::default()).unwrap(), watch)
}

fn app() -> App {
    router(state_for("content", false))
}

struct Got {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Got {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

async fn get(app: &App, uri: &str, headers: &[(&str, &str)]) -> Got {
    let mut request = Request::builder().uri(uri);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    Got { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

fn assert_security_headers(got: &Got, what: &str) {
    assert_eq!(got.header("link"), "</llms.txt>; rel=\"llms-txt\"", "{what}: discovery");
    assert_eq!(got.header("x-llms-txt"), "/llms.txt", "{what}: discovery");
    assert_eq!(got.header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(got.header("x-frame-options"), "DENY", "{what}");
    assert!(!got.header("referrer-policy").is_empty(), "{what}");
    let csp = got.header("content-security-policy");
    for directive in ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'self'"] {
        assert!(csp.contains(directive), "{what}: CSP `{csp}` lacks {directive}");
    }
}

#[tokio::test]
async fn page_is_html_at_its_folder_url_with_its_twin_linked() {
    let app = app();
    for _ in 0..2 {
        // The second time from the build's memory.
        let got = get(&app, &format!("{PAGE}/"), &[("accept", BROWSER)]).await;
        assert_eq!(got.status, StatusCode::OK);
        assert!(got.header("content-type").starts_with("text/html"));
        assert!(got.body.contains("<link rel=\"alternate\" type=\"text/markdown\" href=\""));
        assert!(got.header("vary").to_ascii_lowercase().contains("accept"));
        assert_eq!(got.header("cache-control"), "public, max-age=60");
        assert!(got.header("etag").starts_with("W/\""));
        assert!(got.header("last-modified").ends_with(" GMT"));
        assert!(!got.body.contains("live-reload"), "no live reload without --watch");
        assert_security_headers(&got, "page");
    }
    let home = get(&app, "/", &[]).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.header("content-type").starts_with("text/html"));
}

#[tokio::test]
async fn a_page_without_its_slash_redirects_to_it_keeping_the_query() {
    let app = app();
    for (uri, location) in [
        (PAGE.to_string(), format!("{PAGE}/")),
        (format!("{PAGE}?ask={QUESTION}&goal=x"), format!("{PAGE}/?ask={QUESTION}&goal=x")),
        ("/modules-and-features/settings".to_string(), "/modules-and-features/settings/".to_string()),
    ] {
        for accept in [BROWSER, "text/markdown", "application/json"] {
            let got = get(&app, &uri, &[("accept", accept)]).await;
            assert_eq!(got.status, StatusCode::PERMANENT_REDIRECT, "{uri} ({accept})");
            assert_eq!(got.header("location"), location, "{uri} ({accept})");
            assert_security_headers(&got, &uri);
        }
    }
    let twin = get(&app, &format!("{PAGE}.md"), &[]).await;
    assert_eq!(twin.status, StatusCode::OK, "files are served at their own path");
    assert_eq!(get(&app, "/llms.txt/", &[]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn twin_at_md_and_through_accept() {
    let app = app();
    let twin = get(&app, &format!("{PAGE}.md"), &[]).await;
    assert_eq!(twin.status, StatusCode::OK);
    assert_eq!(twin.header("content-type"), "text/markdown; charset=utf-8");
    assert!(twin.header("vary").to_ascii_lowercase().contains("accept"));
    assert!(twin.body.contains("# Agent Instructions"));
    for accept in ["text/markdown", "text/markdown, text/html;q=0.9", "text/html;q=0.1, text/markdown"] {
        let got = get(&app, &format!("{PAGE}/"), &[("accept", accept)]).await;
        assert_eq!(got.header("content-type"), "text/markdown; charset=utf-8", "{accept}");
        assert_eq!(got.body, twin.body, "{accept}");
    }
    for accept in ["text/html, text/markdown;q=0.9", BROWSER, "*/*", "application/json"] {
        let got = get(&app, &format!("{PAGE}/"), &[("accept", accept)]).await;
        assert!(got.header("content-type").starts_with("text/html"), "{accept}");
    }
    let home = get(&app, "/", &[("accept", "text/markdown")]).await;
    assert!(home.header("content-type").starts_with("text/markdown"));
    assert!(get(&app, "/index.md", &[]).await.header("content-type").starts_with("text/markdown"));
}

#[tokio::test]
async fn ask_answers_in_markdown() {
    let app = app();
    for (uri, accept) in
        [(format!("{PAGE}.md?ask={QUESTION}"), "*/*"), (format!("{PAGE}/?ask={QUESTION}"), "text/markdown")]
    {
        let got = get(&app, &uri, &[("accept", accept)]).await;
        assert_eq!(got.status, StatusCode::OK, "{uri}");
        assert_eq!(got.header("content-type"), "text/markdown; charset=utf-8", "{uri}");
        assert!(got.body.starts_with("# how do I create a new token\n"), "{}", got.body);
        assert!(got.body.contains("\n# Sources:\n"), "{}", got.body);
        assert!(got.body.contains("create-api-token.md"), "{}", got.body);
        assert!(got.header("vary").to_ascii_lowercase().contains("accept"));
    }
    let with_goal = get(&app, &format!("{PAGE}.md?ask={QUESTION}&goal=automate%20deploys"), &[]).await;
    assert_eq!(with_goal.status, StatusCode::OK);
}

#[tokio::test]
async fn ask_answers_in_json() {
    let app = app();
    let by_param = get(&app, &format!("{PAGE}.md?ask={QUESTION}&format=json"), &[]).await;
    let by_accept = get(&app, &format!("{PAGE}.md?ask={QUESTION}"), &[("accept", "application/json")]).await;
    let on_page = get(&app, &format!("{PAGE}/?ask={QUESTION}"), &[("accept", "application/json")]).await;
    for got in [&by_param, &by_accept, &on_page] {
        assert_eq!(got.status, StatusCode::OK);
        assert!(got.header("content-type").starts_with("application/json"));
        let json: serde_json::Value = serde_json::from_str(&got.body).unwrap();
        assert_eq!(json["question"], "how do I create a new token");
        assert!(json["sources"][0]["url"].as_str().unwrap().contains("create-api-token"), "{json}");
        for key in ["answer", "excerpts", "follow_ups", "goal"] {
            assert!(json.get(key).is_some(), "{key} missing: {json}");
        }
    }
    assert_eq!(by_param.body, by_accept.body);
}

#[tokio::test]
async fn browser_ask_gets_a_themed_answer_page_from_the_asking_page() {
    let app = app();
    let got = get(&app, &format!("{PAGE}/?ask={QUESTION}"), &[("accept", BROWSER)]).await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(got.header("content-type").starts_with("text/html"));
    assert!(got.body.contains("<h1>how do I create a new token</h1>"), "{}", got.body);
    assert!(got.body.contains("/static/docask.css"), "the theme's stylesheet");
    assert!(got.body.contains(&format!("data-md=\"{PAGE}.md\"")), "the ask box asks from the same page");
    assert!(got.body.contains("create-api-token/"), "sources link to the HTML page");
    assert!(!got.body.contains("<script>") && !got.body.contains(" style=\""), "no inline script or style");

    let xss = get(&app, &format!("{PAGE}/?ask=%3Cscript%3Ealert(1)%3C%2Fscript%3E"), &[("accept", BROWSER)]).await;
    assert_eq!(xss.status, StatusCode::OK);
    assert!(!xss.body.contains("<script>alert(1)"), "{}", xss.body);
    assert!(xss.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[tokio::test]
async fn agent_files_and_health() {
    let app = app();
    for (uri, ctype) in [
        ("/llms.txt", "text/plain"),
        ("/llms-full.txt", "text/plain"),
        ("/sitemap.xml", "application/xml"),
        ("/sitemap.md", "text/markdown"),
        ("/robots.txt", "text/plain"),
    ] {
        let got = get(&app, uri, &[]).await;
        assert_eq!(got.status, StatusCode::OK, "{uri}");
        assert!(got.header("content-type").starts_with(ctype), "{uri}: {}", got.header("content-type"));
        assert_eq!(got.body, std::fs::read_to_string(built("content").join(&uri[1..])).unwrap(), "{uri} as built");
    }
    let health = get(&app, "/healthz", &[]).await;
    assert_eq!((health.status, health.body.as_str()), (StatusCode::OK, "ok"));
    assert_security_headers(&health, "/healthz");
    for name in ["llms.txt", "llms-full.txt"] {
        let well_known = get(&app, &format!("/.well-known/{name}"), &[]).await;
        assert_eq!(well_known.status, StatusCode::OK, "{name}");
        assert_eq!(well_known.body, get(&app, &format!("/{name}"), &[]).await.body, "{name}: a copy");
    }
    assert_ne!(get(&app, "/.well-known/../.docask/site.json", &[]).await.status, StatusCode::OK);
}

#[tokio::test]
async fn files_are_sent_compressed_with_brotli_or_gzip() {
    let app = app();
    let plain = get(&app, "/llms-full.txt", &[]).await;
    assert_eq!(plain.header("content-encoding"), "");
    for _ in 0..2 {
        let request =
            Request::builder().uri("/llms-full.txt").header("accept-encoding", "gzip, br").body(Body::empty());
        let response = app.clone().oneshot(request.unwrap()).await.unwrap();
        assert_eq!(response.headers()["content-encoding"], "br");
        assert!(response.headers()["vary"].to_str().unwrap().contains("accept-encoding"));
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut brotli::Decompressor::new(&bytes[..], 4096), &mut text).unwrap();
        assert_eq!(text, plain.body);
    }
    let gz = get(&app, "/llms-full.txt", &[("accept-encoding", "gzip")]).await;
    assert_eq!(gz.header("content-encoding"), "gzip");
    let svg = get(&app, "/.gitbook/assets/token-states.svg", &[("accept-encoding", "br;q=0, gzip")]).await;
    assert_eq!(svg.header("content-encoding"), "gzip");
}

#[tokio::test]
async fn assets_are_files_with_longer_caching_for_static() {
    let app = app();
    let css = get(&app, "/static/docask.css", &[]).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.header("content-type").starts_with("text/css"));
    assert_eq!(css.header("cache-control"), "public, max-age=86400");
    let svg = get(&app, "/.gitbook/assets/token-states.svg", &[]).await;
    assert_eq!(svg.status, StatusCode::OK, "GitBook assets are served");
    assert_eq!(svg.header("content-type"), "image/svg+xml");
    assert_eq!(svg.header("cache-control"), "public, max-age=3600");
}

#[tokio::test]
async fn names_with_a_content_hash_are_cached_for_a_year() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    common_build(&out);
    std::fs::write(out.join("static/app.0123abcd.css"), "a{}").unwrap();
    std::fs::write(out.join("static/app.0123abc.css"), "a{}").unwrap();
    let app =
        router(AppState::new(Live::new(Current::open(&out).unwrap()), Theme::new(&Default::default()).unwrap(), false));
    let hashed = get(&app, "/static/app.0123abcd.css", &[]).await;
    assert_eq!(hashed.header("cache-control"), "public, max-age=31536000, immutable");
    let short = get(&app, "/static/app.0123abc.css", &[]).await;
    assert_eq!(short.header("cache-control"), "public, max-age=86400", "seven digits are not a hash");
}

fn common_build(out: &Path) {
    let opts = BuildOptions {
        content: Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        out: out.to_path_buf(),
        base_url: None,
        strict: false,
        quiet: true,
        served: true,
    };
    build::build(&opts).expect("the site builds");
}

#[tokio::test]
async fn missing_pages_are_404_with_the_nearest_pages() {
    let app = app();
    let html = get(&app, "/modules-and-features/settings/api-tokens/create-token", &[("accept", BROWSER)]).await;
    assert_eq!(html.status, StatusCode::NOT_FOUND);
    assert!(html.header("content-type").starts_with("text/html"));
    assert_eq!(html.body, std::fs::read_to_string(built("content").join("404.html")).unwrap());

    let md = get(&app, "/modules-and-features/settings/api-tokens/create-token", &[("accept", "text/markdown")]).await;
    assert_eq!(md.status, StatusCode::NOT_FOUND);
    assert!(md.header("content-type").starts_with("text/markdown"));
    let first = md.body.lines().find(|l| l.starts_with("- [")).unwrap();
    assert!(first.contains("create-api-token.md"), "{}", md.body);

    let twin = get(&app, "/no/such/page.md", &[]).await;
    assert_eq!(twin.status, StatusCode::NOT_FOUND);
    assert!(twin.header("content-type").starts_with("text/markdown"));

    let json = get(&app, "/no/such/page", &[("accept", "application/json")]).await;
    assert_eq!(json.status, StatusCode::NOT_FOUND);
    let value: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(value["error"], "not found");
    assert!(!value["nearest"].as_array().unwrap().is_empty());
    assert_security_headers(&json, "404");
}

#[tokio::test]
async fn the_nearest_pages_are_searched_off_the_workers_a_few_at_a_time() {
    let state = state_for("content", false);
    let app = router(state.clone());
    // Every slot taken: a 404 waits for one, and meanwhile the server answers others.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut held = Vec::new();
    for _ in 0..cores {
        held.push(state.nearest_slot().await.expect("a slot"));
    }
    let long = format!("/{}.md", "token".repeat(6_000));
    let waiting = tokio::spawn({
        let app = app.clone();
        async move { get(&app, &long, &[]).await }
    });
    let health = get(&app, "/healthz", &[]).await;
    assert_eq!(health.status, StatusCode::OK);
    tokio::task::yield_now().await;
    assert!(!waiting.is_finished(), "the 404 waits for a slot");
    drop(held);
    let not_found = waiting.await.unwrap();
    assert_eq!(not_found.status, StatusCode::NOT_FOUND);
    assert_eq!(not_found.body.lines().filter(|l| l.starts_with("- [")).count(), 5, "{}", not_found.body);
    assert!(not_found.body.len() < 4096, "the path is echoed cut short");
}

#[tokio::test]
async fn bad_asks_are_400_with_usage_in_the_asked_for_format() {
    let app = app();
    let long = "a".repeat(1001);
    for query in ["ask=", "ask=%20%20", &format!("ask={long}"), "ask=%ff%fe", "ask=%zz", "ask=50%", "ask=x&format=xml"]
    {
        let md = get(&app, &format!("{PAGE}.md?{query}"), &[]).await;
        assert_eq!(md.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(md.header("content-type").starts_with("text/markdown"), "{query}");
        assert!(md.body.contains("?ask=<question>"), "usage for {query}: {}", md.body);

        let json = get(&app, &format!("{PAGE}.md?{query}"), &[("accept", "application/json")]).await;
        assert_eq!(json.status, StatusCode::BAD_REQUEST, "{query}");
        let value: serde_json::Value = serde_json::from_str(&json.body).unwrap();
        assert!(value["error"].is_string() && value["usage"].is_string(), "{query}");

        let html = get(&app, &format!("{PAGE}/?{query}"), &[("accept", BROWSER)]).await;
        assert_eq!(html.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(html.header("content-type").starts_with("text/html"), "{query}");
        assert!(html.body.contains("class=\"ask-usage\""), "{query}");
        assert_security_headers(&html, query);
    }
    let exactly = get(&app, &format!("{PAGE}.md?ask={}", "a".repeat(1000)), &[]).await;
    assert_eq!(exactly.status, StatusCode::OK, "1,000 characters are allowed");
    let bad_path = get(&app, "/a%zz/b", &[]).await;
    assert_eq!(bad_path.status, StatusCode::BAD_REQUEST);
}

/// Renders Markdown the way an agent's viewer would.
fn rendered(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(markdown));
    html
}

#[tokio::test]
async fn text_from_the_client_stays_text_in_markdown() {
    let app = app();
    let injection = "%0A%0A%23%20Injected%0A%5Bclick%5D(javascript:alert(1))%20%3Cimg%20src%3Dx%3E";
    for uri in [
        format!("{PAGE}.md?ask=token{injection}"),
        format!("{PAGE}.md?ask=token&goal=g{injection}"),
        format!("/no/such/page{injection}.md"),
        format!("{PAGE}.md?ask=token&format=x{injection}"),
    ] {
        let got = get(&app, &uri, &[("accept", "text/markdown")]).await;
        assert!(got.header("content-type").starts_with("text/markdown"), "{uri}");
        let html = rendered(&got.body);
        assert!(!html.contains("<h1>Injected"), "{uri}: a heading was injected:\n{}", got.body);
        assert!(!html.contains("href=\"javascript:"), "{uri}: a link was injected:\n{}", got.body);
        assert!(!html.contains("<img"), "{uri}: HTML was injected:\n{}", got.body);
    }
    let json = get(&app, &format!("{PAGE}.md?ask=token{injection}&format=json"), &[]).await;
    let value: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert!(
        value["question"].as_str().unwrap().contains("[click](javascript:alert(1))"),
        "JSON keeps the text as sent"
    );
}

#[tokio::test]
async fn hostile_paths_never_leave_the_output_or_show_the_index() {
    let app = app();
    for uri in [
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%5c..%5c..%5cetc%5cpasswd",
        "/%5c..%5c..%5cetc%5cpasswd",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/index.html%00.md",
        "/%00",
        "/.docask/site.json",
        "/.docask/index/meta.json",
        "/.docask/",
        "/%2edocask/site.json",
        "/static/%2e%2e/.docask/site.json",
        "/.gitbook/../.docask/site.json",
    ] {
        for accept in [BROWSER, "text/markdown", "application/json"] {
            let got = get(&app, uri, &[("accept", accept)]).await;
            assert_ne!(got.status, StatusCode::OK, "{uri} ({accept})");
            assert!(!got.body.contains("root:"), "{uri} leaked /etc/passwd");
            assert!(!got.body.contains("\"synonyms\""), "{uri} leaked site.json");
            assert!(!got.body.contains("index_settings"), "{uri} leaked the index");
            assert_security_headers(&got, uri);
        }
    }
}

#[tokio::test]
async fn etags_give_304_for_files_and_answers() {
    let app = app();
    for uri in [
        format!("{PAGE}/"),
        format!("{PAGE}.md"),
        "/static/docask.css".into(),
        format!("{PAGE}.md?ask={QUESTION}"),
        "/llms.txt?v=1".into(),
    ] {
        let first = get(&app, &uri, &[]).await;
        let etag = first.header("etag").to_string();
        assert!(!etag.is_empty(), "{uri} has an ETag");
        let again = get(&app, &uri, &[("if-none-match", &etag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), etag);
        assert_security_headers(&again, "304");
        let other = get(&app, &uri, &[("if-none-match", "\"something-else\"")]).await;
        assert_eq!(other.status, StatusCode::OK, "{uri}");
    }
    let html = get(&app, &format!("{PAGE}/"), &[]).await;
    let md = get(&app, &format!("{PAGE}/"), &[("accept", "text/markdown")]).await;
    assert_ne!(html.header("etag"), md.header("etag"), "each representation has its own validator");
    let since = html.header("last-modified").to_string();
    let unchanged = get(&app, &format!("{PAGE}/"), &[("if-modified-since", &since)]).await;
    assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED, "If-Modified-Since");
    let older = get(&app, &format!("{PAGE}/"), &[("if-modified-since", "Thu, 01 Jan 2015 00:00:00 GMT")]).await;
    assert_eq!(older.status, StatusCode::OK);
    let both = get(&app, &format!("{PAGE}/"), &[("if-modified-since", &since), ("if-none-match", "\"x\"")]).await;
    assert_eq!(both.status, StatusCode::OK, "the entity tag decides when both are sent");
}

#[tokio::test]
async fn answers_are_cached_per_question_and_format() {
    let state = state_for("content", false);
    let app = router(state.clone());
    let answers = || state.live().get().cache.answers.len();
    let before = answers();
    let uri = format!("{PAGE}.md?ask=how%20do%20I%20delete%20a%20token%20{}", std::process::id());
    let first = get(&app, &uri, &[]).await;
    let second = get(&app, &uri, &[]).await;
    assert_eq!(first.body, second.body);
    let json = get(&app, &format!("{uri}&format=json"), &[]).await;
    assert_eq!(json.status, StatusCode::OK);
    assert_eq!(answers() - before, 2, "one entry per question and format");
}

#[tokio::test]
async fn compresses_answers_for_clients_that_accept_it() {
    let app = app();
    let got = get(&app, &format!("{PAGE}.md?ask={QUESTION}"), &[("accept-encoding", "gzip")]).await;
    assert_eq!(got.header("content-encoding"), "gzip");
    let plain = get(&app, &format!("{PAGE}.md?ask={QUESTION}"), &[]).await;
    assert_eq!(plain.header("content-encoding"), "");
}

#[tokio::test]
async fn only_get_and_head() {
    let app = app();
    let response =
        app.clone().oneshot(Request::builder().method("POST").uri(PAGE).body(Body::from("x")).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let uri = format!("{PAGE}/");
    let head = app.oneshot(Request::builder().method("HEAD").uri(uri).body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
}

#[tokio::test]
async fn watch_mode_serves_live_reload() {
    let app = router(state_for("tests/fixtures/serve", true));
    let page = get(&app, "/guide/install/", &[("accept", BROWSER)]).await;
    assert!(page.body.contains("<script src=\"/_docask/live-reload.js\" defer></script>\n</body>"));
    assert_eq!(page.header("cache-control"), "no-cache");
    let script = get(&app, "/_docask/live-reload.js", &[]).await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.header("content-type").starts_with("text/javascript"));
    assert!(script.body.contains("EventSource"));
    let status = get(&app, "/_docask/status", &[]).await;
    let value: serde_json::Value = serde_json::from_str(&status.body).unwrap();
    assert!(value["build"].is_string() && value["error"].is_null(), "{value}");

    let still = router(state_for("tests/fixtures/serve", false));
    assert_eq!(get(&still, "/_docask/live-reload.js", &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&still, "/_docask/status", &[]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn theme_has_no_inline_script_or_style() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["templates", "static"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(!text.contains(" style=\""), "{} has a style attribute", path.display());
            assert!(!text.contains("<style"), "{} has a style element", path.display());
            for (i, _) in text.match_indices("<script") {
                let tag_end = text[i..].find('>').unwrap() + i;
                assert!(text[i..tag_end].contains("src="), "{} has an inline script", path.display());
                assert!(text[tag_end + 1..].starts_with("</script>"), "{} has an inline script body", path.display());
            }
        }
    }
}
