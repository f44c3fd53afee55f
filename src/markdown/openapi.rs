//! API operations: what `{% openapi src path method %}`, `{% openapi-operation %}`,
//! the legacy `{% swagger %}` and `{% api-method %}` blocks describe, completed from a
//! local spec file.
//!
//! Takes an `Api` block (and, for a local spec file, the parsed spec from `Links`);
//! gives an `Operation` rendered as an HTML card, as Markdown, or as plain text.

use std::fmt::Write;

use serde_json::Value;

use super::blocks::Api;
use super::markup::escape;
use super::Links;

/// One API operation, as shown on a card.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Operation {
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template (`/v1/items/{id}`).
    pub path: String,
    /// Server or base URL, if known.
    pub server: Option<String>,
    /// One-line summary.
    pub summary: Option<String>,
    /// Longer description (Markdown as written in the spec).
    pub description: Option<String>,
    /// Parameters: name, location, required, description.
    pub params: Vec<Param>,
    /// Responses: status and description.
    pub responses: Vec<(String, String)>,
}

/// A parameter of an operation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Param {
    /// Parameter name.
    pub name: String,
    /// `path`, `query`, `header`, `body`…
    pub location: String,
    /// Whether it must be given.
    pub required: bool,
    /// What it is.
    pub description: String,
}

/// The operation of an API block: as written, filled in from its spec when `src`
/// names a local spec file.
pub fn operation(api: &Api, links: &dyn Links, from_file: &str) -> Operation {
    let mut op = api.op.clone();
    if let Some(spec) = api.src.as_deref().and_then(|src| links.spec(from_file, src)) {
        from_spec(spec, &mut op);
    }
    op
}

fn from_spec(spec: &Value, op: &mut Operation) {
    if op.server.is_none() {
        op.server = spec.pointer("/servers/0/url").and_then(Value::as_str).map(str::to_string);
    }
    let Some(item) = spec.get("paths").and_then(|p| p.get(&op.path)) else {
        return;
    };
    let Some(o) = item.get(op.method.to_ascii_lowercase()) else {
        return;
    };
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    op.summary = op.summary.take().or_else(|| text(o, "summary"));
    op.description = text(o, "description");
    let params = item.get("parameters").into_iter().chain(o.get("parameters")).filter_map(Value::as_array).flatten();
    for p in params {
        op.params.push(Param {
            name: text(p, "name").unwrap_or_default(),
            location: text(p, "in").unwrap_or_default(),
            required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
            description: text(p, "description").unwrap_or_default(),
        });
    }
    if let Some(props) =
        o.pointer("/requestBody/content/application~1json/schema/properties").and_then(Value::as_object)
    {
        for (name, schema) in props {
            op.params.push(Param {
                name: name.clone(),
                location: "body".into(),
                required: false,
                description: text(schema, "description").unwrap_or_default(),
            });
        }
    }
    if let Some(responses) = o.get("responses").and_then(Value::as_object) {
        for (status, r) in responses {
            op.responses.push((status.clone(), text(r, "description").unwrap_or_default()));
        }
    }
}

/// The anchor GitBook gives an operation's block: its method and path, lower case,
/// each run of other characters one `-` (`POST /items/{id}/tags` → `post-items-id-tags`),
/// so that links written against the published page land on the card. `None` when
/// the block names no method or no path.
pub fn anchor(op: &Operation) -> Option<String> {
    if op.method.trim().is_empty() || op.path.trim().is_empty() {
        return None;
    }
    let mut slug = String::with_capacity(op.method.len() + op.path.len() + 1);
    for c in format!("{} {}", op.method, op.path).chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    Some(slug.trim_end_matches('-').to_string())
}

/// The operation as an HTML card with a method badge.
pub fn html(op: &Operation) -> String {
    let method = escape(&op.method);
    let id = anchor(op).map(|a| format!(" id=\"{}\"", escape(&a))).unwrap_or_default();
    let mut out = format!(
        "<div class=\"openapi-card\"{id}><div class=\"openapi-head\"><span class=\"method method-{}\">{method}</span> <code class=\"openapi-path\">{}</code></div>\n",
        method.to_ascii_lowercase(),
        escape(&op.path)
    );
    if let Some(s) = &op.summary {
        let _ = writeln!(out, "<p class=\"openapi-summary\">{}</p>", escape(s));
    }
    if let Some(server) = &op.server {
        let _ = writeln!(out, "<p class=\"openapi-server\">Server: <code>{}</code></p>", escape(server));
    }
    if let Some(d) = &op.description {
        let _ = writeln!(out, "{}", markdown_html(d, false));
    }
    if !op.params.is_empty() {
        out.push_str("<table class=\"openapi-params\"><thead><tr><th>Parameter</th><th>In</th><th>Required</th><th>Description</th></tr></thead><tbody>\n");
        for p in &op.params {
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&p.name),
                escape(&p.location),
                if p.required { "yes" } else { "no" },
                markdown_html(&p.description, true)
            );
        }
        out.push_str("</tbody></table>\n");
    }
    if !op.responses.is_empty() {
        out.push_str("<ul class=\"openapi-responses\">\n");
        for (status, d) in &op.responses {
            let _ = writeln!(out, "<li><code>{}</code> {}</li>", escape(status), markdown_html(d, true));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</div>\n");
    out
}

/// Whether the card holds raw HTML that the spec wrote in a description (`<br/>`),
/// which the page's sanitizer must then see.
pub fn has_raw_html(op: &Operation) -> bool {
    let texts = op.description.iter().chain(op.params.iter().map(|p| &p.description));
    texts.chain(op.responses.iter().map(|(_, d)| d)).any(|t| t.contains('<'))
}

/// A description as HTML: OpenAPI descriptions are CommonMark, as GitBook shows them
/// (`code`, **bold**, lists, line breaks), not text. With `inline` (a table cell, a
/// list item), a lone paragraph loses its `<p>`.
fn markdown_html(text: &str, inline: bool) -> String {
    let mut html = String::with_capacity(text.len() + 16);
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(text, super::options()));
    let html = html.trim_end();
    let lone = html.strip_prefix("<p>").and_then(|p| p.strip_suffix("</p>")).filter(|p| !p.contains("<p>"));
    match lone {
        Some(inner) if inline => inner.to_string(),
        _ => html.to_string(),
    }
}

/// The operation as Markdown for the twin.
pub fn markdown(op: &Operation) -> String {
    let mut out = format!("**`{} {}`**", op.method, op.path);
    if let Some(s) = &op.summary {
        let _ = write!(out, " — {s}");
    }
    out.push_str("\n\n");
    if let Some(server) = &op.server {
        let _ = writeln!(out, "Server: `{server}`\n");
    }
    if let Some(d) = &op.description {
        let _ = writeln!(out, "{d}\n");
    }
    if !op.params.is_empty() {
        out.push_str("| Parameter | In | Required | Description |\n| --- | --- | --- | --- |\n");
        for p in &op.params {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                p.name,
                p.location,
                if p.required { "yes" } else { "no" },
                p.description.replace('\n', " ")
            );
        }
        out.push('\n');
    }
    for (status, d) in &op.responses {
        let _ = writeln!(out, "- `{status}` {d}");
    }
    out
}

/// The operation as plain text for the index.
pub fn text(op: &Operation) -> String {
    let mut out = format!("{} {}", op.method, op.path);
    for part in [&op.summary, &op.description].into_iter().flatten() {
        out.push('\n');
        out.push_str(part);
    }
    for p in &op.params {
        let _ = write!(out, "\n{} {}", p.name, p.description);
    }
    for (status, d) in &op.responses {
        let _ = write!(out, "\n{status} {d}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{doc, FakeLinks};
    use super::super::{BlockKind, Node};
    use super::*;

    fn first_api(body: &str) -> Api {
        match doc(body).nodes.into_iter().next() {
            Some(Node::Block(b)) => match b.kind {
                BlockKind::Api(api) => *api,
                other => panic!("expected an API block, got {other:?}"),
            },
            other => panic!("expected a block, got {other:?}"),
        }
    }

    #[test]
    fn swagger_block_collects_children() {
        let api = first_api("{% swagger method=\"post\" path=\"/items\" summary=\"Add\" %}\n{% swagger-description %}\nAdds one.\n{% endswagger-description %}\n{% swagger-parameter in=\"body\" name=\"name\" required=\"true\" %}\nItem name\n{% endswagger-parameter %}\n{% swagger-response status=\"201: Created\" description=\"\" %}\n```json\n{}\n```\n{% endswagger-response %}\n{% endswagger %}\n");
        let op = operation(&api, &FakeLinks::new(), "p.md");
        assert_eq!(op.method, "POST");
        assert_eq!(op.description.as_deref(), Some("Adds one."));
        assert_eq!(op.params[0].description, "Item name");
        assert!(op.params[0].required);
        assert_eq!(op.responses[0].0, "201: Created");
        assert_eq!(api.examples.len(), 1, "the response body is an example");
        let card = html(&op);
        assert!(card.contains("<span class=\"method method-post\">POST</span>"), "{card}");
        assert!(card.starts_with("<div class=\"openapi-card\" id=\"post-items\">"), "{card}");
    }

    #[test]
    fn descriptions_are_markdown() {
        let op = Operation {
            method: "GET".into(),
            path: "/items".into(),
            description: Some("Lists `items`.<br/>Sorted by **name**:\n\n- first\n- then".into()),
            params: vec![Param { name: "limit".into(), description: "At most `100`.".into(), ..Param::default() }],
            responses: vec![("200".into(), "A *page*".into())],
            ..Operation::default()
        };
        let card = html(&op);
        assert!(
            card.contains(
                "<p>Lists <code>items</code>.<br/>Sorted by <strong>name</strong>:</p>\n<ul>\n<li>first</li>"
            ),
            "{card}"
        );
        assert!(card.contains("<td>At most <code>100</code>.</td>"), "{card}");
        assert!(card.contains("<li><code>200</code> A <em>page</em></li>"), "{card}");
        assert!(!card.contains("&lt;br"), "{card}");
        assert!(has_raw_html(&op));
        assert!(!has_raw_html(&Operation { description: Some("a `b`".into()), ..Operation::default() }));
    }

    #[test]
    fn an_operation_is_anchored_by_its_method_and_path() {
        let op =
            |method: &str, path: &str| Operation { method: method.into(), path: path.into(), ..Operation::default() };
        assert_eq!(anchor(&op("GET", "/identities")).as_deref(), Some("get-identities"));
        assert_eq!(anchor(&op("PATCH", "/identities/{id}")).as_deref(), Some("patch-identities-id"));
        assert_eq!(anchor(&op("POST", "/identities/:id/rules")).as_deref(), Some("post-identities-id-rules"));
        assert_eq!(anchor(&op("DELETE", "/v1/a_b.json")).as_deref(), Some("delete-v1-a-b-json"));
        assert_eq!(anchor(&op("GET", "")), None);
        assert_eq!(anchor(&op("", "/x")), None);
    }

    #[test]
    fn legacy_api_method_is_a_card_with_its_parts() {
        let body = "{% api-method method=\"get\" host=\"https://api.example.com\" path=\"/v1/items\" %}\n{% api-method-summary %}\nList items\n{% endapi-method-summary %}\n{% api-method-description %}\nReturns every item.\n{% endapi-method-description %}\n{% api-method-spec %}\n{% api-method-request %}\n{% api-method-query-parameters %}\n{% api-method-parameter name=\"limit\" type=\"number\" required=false %}\nAt most this many.\n{% endapi-method-parameter %}\n{% endapi-method-query-parameters %}\n{% endapi-method-request %}\n{% endapi-method-spec %}\n{% endapi-method %}\n";
        let d = doc(body);
        let html = super::super::html::render(&d, &FakeLinks::new(), "", None);
        assert!(html.contains("<span class=\"method method-get\">GET</span>"), "{html}");
        assert!(html.contains("https://api.example.com"), "{html}");
        assert!(html.contains("<p class=\"openapi-summary\">List items</p>"), "{html}");
        assert!(html.contains("<p>Returns every item.</p>"), "{html}");
        assert!(
            html.contains("<td><code>limit</code></td><td>query</td><td>no</td><td>At most this many.</td>"),
            "{html}"
        );
        assert!(!html.contains("{%"));
    }

    #[test]
    fn local_spec_fills_in_the_operation() {
        let api = first_api(
            "{% openapi src=\"spec.yaml\" path=\"/items\" method=\"get\" %}\n[spec](spec.yaml)\n{% endopenapi %}\n",
        );
        let op = operation(&api, &FakeLinks::new(), "p.md");
        assert_eq!(op.summary.as_deref(), Some("List items"));
        assert_eq!(op.responses, vec![("200".to_string(), "The items".to_string())]);
        assert!(markdown(&op).starts_with("**`GET /items`** — List items"));
    }
}
