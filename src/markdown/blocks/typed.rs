//! Typing: turns each raw block (a name, attributes, children) into the `BlockKind` it
//! is, once, so that no renderer looks a block up by name. Legacy blocks become their
//! modern equivalents: `code-tabs` are `Tabs`, `api-method` and its `api-method-*`
//! parts an `Api` card like `swagger`'s.
//!
//! Takes the raw tree; gives the typed `Node` tree (and warnings for stray items and
//! integration blocks without a URL).

use super::tree::{Raw, RawBlock};
use super::{Api, Block, BlockKind, Example, HintStyle, Tab, Update};
use crate::diag::Diagnostic;
use crate::markdown::openapi::{Operation, Param};
use crate::markdown::{Attrs, Node};

/// Types a raw tree.
pub(super) fn nodes(raw: Vec<Raw>, diags: &mut Vec<Diagnostic>) -> Vec<Node> {
    raw.into_iter()
        .map(|node| match node {
            Raw::Text(chunk) => Node::Markdown(chunk),
            Raw::Block(block) => Node::Block(typed(block, diags)),
        })
        .collect()
}

fn typed(b: RawBlock, diags: &mut Vec<Diagnostic>) -> Block {
    let (file, line) = (b.file.clone(), b.line);
    let text = |key: &str| b.attrs.get(key).unwrap_or("").to_string();
    let caption = |a: &Attrs| a.get("caption").map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
    let kind = match b.name.as_str() {
        "hint" => BlockKind::Hint { style: HintStyle::parse(b.attrs.get("style")), body: nodes(b.children, diags) },
        "tabs" | "code-tabs" => {
            let items = items(b.children, &["tab", "code-tabs-item"], diags);
            BlockKind::Tabs(
                items
                    .into_iter()
                    .map(|(a, body)| Tab { title: a.get("title").unwrap_or("Tab").to_string(), body })
                    .collect(),
            )
        }
        "stepper" => {
            BlockKind::Stepper(items(b.children, &["step"], diags).into_iter().map(|(_, body)| body).collect())
        }
        "columns" => {
            BlockKind::Columns(items(b.children, &["column"], diags).into_iter().map(|(_, body)| body).collect())
        }
        "updates" => BlockKind::Updates(
            items(b.children, &["update"], diags)
                .into_iter()
                .map(|(a, body)| Update { date: a.get("date").unwrap_or("").to_string(), body })
                .collect(),
        ),
        "content-ref" => BlockKind::Ref { href: text("url"), body: nodes(b.children, diags) },
        "page-ref" => BlockKind::Ref { href: text("page"), body: nodes(b.children, diags) },
        "embed" => BlockKind::Embed { url: text("url"), caption: caption(&b.attrs), body: nodes(b.children, diags) },
        "file" => BlockKind::File { src: text("src"), caption: caption(&b.attrs), body: nodes(b.children, diags) },
        "code" => BlockKind::Code {
            title: b.attrs.get("title").map(str::to_string),
            line_numbers: b.attrs.flag("lineNumbers"),
            wrap: b.attrs.get("overflow") == Some("wrap"),
            body: nodes(b.children, diags),
        },
        // A prompt is a titled box of text to copy: what a titled code block shows.
        "prompt" => BlockKind::Code {
            title: b.attrs.get("description").map(str::trim).filter(|d| !d.is_empty()).map(str::to_string),
            line_numbers: false,
            wrap: true,
            body: nodes(b.children, diags),
        },
        "openapi" | "openapi-operation" | "openapi-schemas" | "openapi-webhook" => BlockKind::Api(Box::new(Api {
            src: b.attrs.get("src").map(str::to_string),
            op: operation(&b.attrs),
            ..Api::default()
        })),
        "swagger" => BlockKind::Api(Box::new(swagger(b, diags))),
        "api-method" => {
            let mut api = Api { op: operation(&b.attrs), ..Api::default() };
            legacy_parts(b.children, "", &mut api, diags);
            BlockKind::Api(Box::new(api))
        }
        name if super::names::is_integration(name) => match b.attrs.get("url").filter(|u| !u.trim().is_empty()) {
            Some(url) => BlockKind::Integration { name: name.to_string(), url: url.trim().to_string() },
            None => {
                let message = format!("integration block `{{% {name} %}}` has no `url`: left out");
                diags.push(Diagnostic::warning(&*file, line, message));
                BlockKind::Unknown { body: Vec::new() }
            }
        },
        name => {
            if let Some(super::names::Shape::Item(parent)) = super::names::shape(name) {
                let message = format!("`{{% {name} %}}` outside `{{% {parent} %}}`: its content is shown as is");
                diags.push(Diagnostic::warning(&*file, line, message));
            } else if name.starts_with("api-method-") || name.starts_with("swagger-") {
                let message = format!("`{{% {name} %}}` outside its API block: its content is shown as is");
                diags.push(Diagnostic::warning(&*file, line, message));
            }
            BlockKind::Unknown { body: nodes(b.children, diags) }
        }
    };
    Block { kind, file, line }
}

/// The items of a container (`tab`s of `tabs`), each with its attributes and content.
/// Content between items joins the item before it (or a first, untitled one).
fn items(children: Vec<Raw>, names: &[&str], diags: &mut Vec<Diagnostic>) -> Vec<(Attrs, Vec<Node>)> {
    let mut out: Vec<(Attrs, Vec<Node>)> = Vec::new();
    for child in children {
        match child {
            Raw::Block(b) if names.contains(&b.name.as_str()) => out.push((b.attrs, nodes(b.children, diags))),
            other => {
                if out.is_empty() {
                    out.push((Attrs::default(), Vec::new()));
                }
                let last = out.last_mut().expect("one item");
                last.1.extend(nodes(vec![other], diags));
            }
        }
    }
    out
}

/// What the attributes of an API block say about its operation.
fn operation(a: &Attrs) -> Operation {
    Operation {
        method: a.get("method").unwrap_or("get").to_ascii_uppercase(),
        path: a.get("path").unwrap_or("/").to_string(),
        server: a.get("baseUrl").or(a.get("host")).map(str::to_string),
        summary: a.get("summary").filter(|s| !s.is_empty()).map(str::to_string),
        ..Operation::default()
    }
}

/// `swagger` with its `swagger-description`, `-parameter` and `-response` children.
fn swagger(b: RawBlock, diags: &mut Vec<Diagnostic>) -> Api {
    let mut api = Api { op: operation(&b.attrs), ..Api::default() };
    for child in b.children {
        let Raw::Block(part) = child else {
            api.body.extend(nodes(vec![child], diags));
            continue;
        };
        let a = &part.attrs;
        match part.name.as_str() {
            "swagger-description" => api.op.description = Some(plain(&part.children)),
            "swagger-parameter" => api.op.params.push(Param {
                name: a.get("name").unwrap_or("").to_string(),
                location: a.get("in").unwrap_or("").to_string(),
                required: a.flag("required"),
                description: a.get("description").map(str::to_string).unwrap_or_else(|| plain(&part.children)),
            }),
            "swagger-response" => {
                let status = a.get("status").unwrap_or("").to_string();
                api.op.responses.push((status.clone(), a.get("description").unwrap_or("").to_string()));
                let body = nodes(part.children, diags);
                if !body.is_empty() {
                    api.examples.push(Example { status, body });
                }
            }
            _ => api.body.push(Node::Block(typed(part, diags))),
        }
    }
    api
}

/// The parts of a legacy `api-method`; `location` is where parameters found now go
/// (`path`, `query`…), from the parameter group they are in.
fn legacy_parts(children: Vec<Raw>, location: &str, api: &mut Api, diags: &mut Vec<Diagnostic>) {
    for child in children {
        let Raw::Block(part) = child else {
            api.body.extend(nodes(vec![child], diags));
            continue;
        };
        let group = match part.name.as_str() {
            "api-method-path-parameters" => Some("path"),
            "api-method-query-parameters" => Some("query"),
            "api-method-headers" => Some("header"),
            "api-method-body-parameters" => Some("body"),
            "api-method-form-data-parameters" => Some("formData"),
            "api-method-spec" | "api-method-request" | "api-method-response" => Some(location),
            _ => None,
        };
        if let Some(group) = group {
            legacy_parts(part.children, group, api, diags);
            continue;
        }
        let a = &part.attrs;
        match part.name.as_str() {
            "api-method-summary" => api.op.summary = Some(plain(&part.children)).filter(|s| !s.is_empty()),
            "api-method-description" => api.op.description = Some(plain(&part.children)).filter(|s| !s.is_empty()),
            "api-method-parameter" => api.op.params.push(Param {
                name: a.get("name").unwrap_or("").to_string(),
                location: location.to_string(),
                required: a.flag("required"),
                description: plain(&part.children),
            }),
            "api-method-response-example" => {
                let status = a.get("httpCode").unwrap_or("").to_string();
                let (described, example): (Vec<Raw>, Vec<Raw>) = part
                    .children
                    .into_iter()
                    .partition(|c| matches!(c, Raw::Block(d) if d.name == "api-method-response-example-description"));
                let description = described.iter().map(|d| plain(std::slice::from_ref(d))).collect::<Vec<_>>();
                api.op.responses.push((status.clone(), description.join(" ")));
                let body = nodes(example, diags);
                if !body.is_empty() {
                    api.examples.push(Example { status, body });
                }
            }
            _ => api.body.push(Node::Block(typed(part, diags))),
        }
    }
}

/// The Markdown written inside, trimmed and joined: the text of a description.
fn plain(nodes: &[Raw]) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let mut stack: Vec<&[Raw]> = vec![nodes];
    while let Some(list) = stack.pop() {
        // Depth-first in document order: later siblings wait on the stack.
        if let Some((first, rest)) = list.split_first() {
            stack.push(rest);
            match first {
                Raw::Text(c) => parts.push(c.source.trim()),
                Raw::Block(b) => stack.push(&b.children),
            }
        }
    }
    parts.join("\n\n")
}
