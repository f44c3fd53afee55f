//! MCP over Streamable HTTP at `/mcp`, for `docask serve`: `POST` carries the
//! JSON-RPC messages; a plain `GET` (a browser) gets a short explanation instead.
//!
//! The server is stateless and answers each request with plain JSON: the tools
//! never call back or notify, so no session or event stream is kept, and any number
//! of clients can call at once. Like the pages and `.md` twins the same server
//! sends, the endpoint accepts any `Host`: it only reads public documentation.
//!
//! Takes the `Live` handle; gives a service to mount with
//! `Router::route_service("/mcp", mcp::http::service(live))`.

use std::sync::Arc;

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, MethodRouter};
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};

use super::DocsTools;
use crate::live::Live;

/// Largest MCP request body accepted, in bytes (a tool call is a few kB at most).
const MAX_BODY: usize = 64 * 1024;

/// What a browser sees at `GET /mcp`.
pub const EXPLANATION: &str = "This is the Model Context Protocol (MCP) endpoint of this documentation.

MCP clients connect here over Streamable HTTP: they send JSON-RPC messages with POST to this URL. The tools are `search`, `get_page`, `ask` and `list_pages`, read-only and answered from this documentation only.

People read the documentation at `/`; agents without MCP can start at `/llms.txt`, read any page as Markdown at its `.md` URL, and ask questions with `?ask=` on it.
";

/// The `/mcp` endpoint over the build in `live`.
pub fn service(live: Live) -> MethodRouter {
    let tools = DocsTools::new(live);
    let config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_sse_keep_alive(None)
        .with_max_request_body_bytes(MAX_BODY)
        .disable_allowed_hosts();
    let mcp = StreamableHttpService::new(move || Ok(tools.clone()), Arc::new(NeverSessionManager::default()), config);
    get(explain).post_service(mcp)
}

/// `GET /mcp`: the endpoint only speaks MCP over `POST`; say so.
async fn explain() -> impl IntoResponse {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(header::ALLOW, "POST"), (header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        EXPLANATION,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    async fn post(live: &Live, body: &str) -> (StatusCode, serde_json::Value) {
        let request = Request::post("/mcp")
            .header(header::HOST, "docs.example.com")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-11-25")
            .body(Body::from(body.to_string()))
            .expect("request");
        let response = service(live.clone()).oneshot(request).await.expect("infallible");
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
        (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
    }

    #[tokio::test]
    async fn a_browser_get_is_refused_with_an_explanation() {
        let (_dir, live) = super::super::bundled_site();
        let request = Request::get("/mcp").header(header::ACCEPT, "text/html").body(Body::empty()).expect("request");
        let response = service(live).oneshot(request).await.expect("infallible");
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(response.headers()[header::ALLOW], "POST");
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
        assert!(String::from_utf8_lossy(&bytes).contains("Model Context Protocol"));
    }

    #[tokio::test]
    async fn answers_initialize_and_tool_calls_statelessly_with_json() {
        let (_dir, live) = super::super::bundled_site();
        let init = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}"#;
        let (status, reply) = post(&live, init).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        assert_eq!(reply["result"]["serverInfo"]["name"], "docask", "{reply}");
        let call = r#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"ask","arguments":{"question":"how do I create a token"}}}"#;
        let (status, reply) = post(&live, call).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        let text = reply["result"]["content"][0]["text"].as_str().unwrap_or_default();
        assert!(text.contains("create-api-token.md#"), "{reply}");
        let bad = r#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_page","arguments":{"url_or_path":""}}}"#;
        let (_, reply) = post(&live, bad).await;
        assert_eq!(reply["result"]["isError"], true, "{reply}");
    }
}
