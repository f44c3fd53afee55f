//! MCP over Streamable HTTP at `/mcp`, for `docask serve`: `POST` carries the
//! JSON-RPC messages; a plain `GET` (a browser) gets a short explanation instead.
//!
//! The server is stateless and answers each request with plain JSON: the tools
//! never call back or notify, so no session or event stream is kept, and any number
//! of clients can call at once. Like the pages and `.md` twins the same server
//! sends, the endpoint accepts any `Host`: it only reads public documentation.
//!
//! A body that is not JSON gets the JSON-RPC parse error (-32700), and JSON that is
//! not one JSON-RPC message gets "invalid request" (-32600), both with HTTP 400,
//! before the MCP service sees them.
//!
//! Takes the `Live` handle; gives a service to mount with
//! `Router::route_service("/mcp", mcp::http::service(live))`.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use rmcp::model::ClientJsonRpcMessage;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use tower::ServiceExt;

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
    get(explain).merge(post(move |request: Request| checked(mcp.clone(), request)))
}

type Mcp = StreamableHttpService<DocsTools, NeverSessionManager>;

/// Reads the body (at most `MAX_BODY` bytes) and answers what is not one JSON-RPC
/// message with its JSON-RPC error; hands the rest to the MCP service.
async fn checked(mcp: Mcp, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        let message = format!("The request body is over {MAX_BODY} bytes.");
        return (StatusCode::PAYLOAD_TOO_LARGE, message).into_response();
    };
    if json_sent(&parts.headers) {
        if let Some(refused) = refusal(&bytes) {
            return refused;
        }
    }
    match mcp.oneshot(Request::from_parts(parts, Body::from(bytes))).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    }
}

fn json_sent(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.trim().to_ascii_lowercase().starts_with("application/json"))
}

/// The JSON-RPC error for a body that is not JSON (-32700) or not a JSON-RPC message
/// (-32600), if it is either.
pub fn refusal(body: &[u8]) -> Option<Response> {
    let (code, message) = match serde_json::from_slice::<serde_json::Value>(body) {
        Err(e) => (-32700, format!("Parse error: the body is not JSON ({e}).")),
        Ok(_) if serde_json::from_slice::<ClientJsonRpcMessage>(body).is_err() => {
            (-32600, "Invalid Request: the body is not one JSON-RPC 2.0 request, notification or response.".to_string())
        }
        Ok(_) => return None,
    };
    let error = serde_json::json!({ "jsonrpc": "2.0", "id": null, "error": { "code": code, "message": message } });
    Some((StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, "application/json")], error.to_string()).into_response())
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

    #[tokio::test]
    async fn malformed_bodies_get_json_rpc_errors() {
        let (_dir, live) = super::super::bundled_site();
        for (body, code) in [("{bad json", -32700), ("", -32700), ("[]", -32600), (r#"{"jsonrpc":"2.0"}"#, -32600)] {
            let (status, reply) = post(&live, body).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            assert_eq!(reply["error"]["code"], code, "{body}: {reply}");
            assert_eq!(reply["jsonrpc"], "2.0");
            assert!(reply["id"].is_null());
        }
    }
}
