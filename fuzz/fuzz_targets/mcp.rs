//! The MCP endpoint: any body `POST`ed to `/mcp` (with the headers a client sends)
//! gets an answer, never a panic or a server error: a JSON-RPC result or error for
//! JSON-RPC messages, -32700 for what is not JSON, -32600 for JSON that is not a
//! message; tool calls with any arguments give a result or a tool error.

#![no_main]

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use docask::build::{self, BuildOptions};
use docask::live::{Current, Live};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

struct Fixture {
    _dir: tempfile::TempDir,
    app: Router,
    runtime: tokio::runtime::Runtime,
}

/// The bundled docs, built once, behind `/mcp`.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("public");
        let opts = BuildOptions {
            content: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content"),
            out: out.clone(),
            base_url: None,
            strict: false,
            quiet: true,
            served: false,
        };
        build::build(&opts).expect("the bundled docs build");
        let live = Live::new(Current::open(&out).expect("the build opens"));
        let app = Router::new().route_service("/mcp", docask::mcp::http::service(live));
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        Fixture { _dir: dir, app, runtime }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let request = Request::post("/mcp")
        .header(header::HOST, "localhost")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-11-25")
        .body(Body::from(data.to_vec()))
        .expect("a request");
    let (status, body) = f.runtime.block_on(async {
        let response = f.app.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 16 << 20).await.expect("a body");
        (status, body)
    });
    assert!(!status.is_server_error(), "{status}: {}", String::from_utf8_lossy(&body));
    if status == StatusCode::BAD_REQUEST {
        let reply: serde_json::Value = serde_json::from_slice(&body).expect("a JSON-RPC error");
        let code = reply["error"]["code"].as_i64().expect("an error code");
        assert!(code == -32700 || code == -32600, "{reply}");
    }
    if status == StatusCode::OK && !body.is_empty() {
        let reply: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(reply["jsonrpc"], "2.0", "{reply}");
    }
});
