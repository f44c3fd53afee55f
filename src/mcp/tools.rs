//! The tool bodies as plain functions over one build, with their arguments: parsing
//! and checking what an agent sent (a bad argument is a message for the agent, never
//! a crash) and turning the ask engine's results into Markdown.
//!
//! Takes a `Current` build and the call's JSON arguments; gives the tool's Markdown
//! text, or the message of a tool error.

use std::fmt::Write;
use std::sync::Arc;

use rmcp::model::JsonObject;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::pages;
use crate::ask::query::MAX_QUESTION_CHARS;
use crate::ask::Request;
use crate::live::Current;
use crate::markdown::markup::escape_inline;

/// Sections `search` gives when the caller does not say.
pub const DEFAULT_LIMIT: usize = 5;
/// Most sections `search` gives.
pub const MAX_LIMIT: usize = 20;

/// Arguments of `search`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchArgs {
    /// Words or a question to look for, in plain language (at most 1,000 characters).
    pub query: String,
    /// How many sections to return, 1 to 20; 5 when left out.
    #[schemars(range(min = 1, max = 20))]
    pub limit: Option<u64>,
}

/// Arguments of `get_page`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetPageArgs {
    /// The page's `.md` URL as the other tools give it (`/a/b.md`), its path (`a/b`) or full URL.
    pub url_or_path: String,
}

/// Arguments of `ask`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AskArgs {
    /// One self-contained question in plain language (at most 1,000 characters).
    pub question: String,
    /// What you are trying to achieve; it helps pick the most useful sections.
    pub goal: Option<String>,
    /// The page you are reading (`/a/b.md`); its sections and neighbours rank higher.
    pub page: Option<String>,
}

/// Arguments of `list_pages`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListPagesArgs {
    /// Only the pages whose URL starts with this path (`/settings`); all pages when left out.
    pub prefix: Option<String>,
}

/// A tool's result: Markdown, or the message of a tool error.
pub type ToolResult = Result<String, String>;

/// Parses a call's arguments, explaining what was wrong.
pub fn parse<T: DeserializeOwned>(tool: &str, args: JsonObject) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::Object(args))
        .map_err(|e| format!("Bad arguments for `{tool}`: {e}. See the tool's input schema."))
}

/// `search`: the best sections for a query, each with its page, section, `.md` URL
/// with anchor and an excerpt.
pub fn search(current: &Arc<Current>, args: JsonObject) -> ToolResult {
    let args: SearchArgs = parse("search", args)?;
    check_text("query", &args.query)?;
    let limit = match args.limit {
        None => DEFAULT_LIMIT,
        Some(n) if (1..=MAX_LIMIT as u64).contains(&n) => n as usize,
        Some(n) => return Err(format!("`limit` is {n}; it must be between 1 and {MAX_LIMIT}.")),
    };
    let hits = current.engine.search(&args.query, limit).map_err(|e| format!("The search failed: {e:#}"))?;
    let mut out = format!("# Search: {}\n\n", escape_inline(&args.query));
    if hits.is_empty() {
        out.push_str("No section matches. Try other words, `ask` a question, or browse with `list_pages`.\n");
        return Ok(out);
    }
    for (n, hit) in hits.iter().enumerate() {
        let _ = writeln!(out, "{}. [{} › {}]({})\n\n   > {}\n", n + 1, hit.title, hit.section, hit.url, hit.text);
    }
    out.push_str("Read a whole page with `get_page` and its URL.\n");
    Ok(out)
}

/// `get_page`: the page's Markdown twin, without the footer for HTTP agents.
pub fn get_page(current: &Arc<Current>, args: JsonObject) -> ToolResult {
    let args: GetPageArgs = parse("get_page", args)?;
    pages::get_page(&current.out, current.engine.meta(), current.nearest(), &args.url_or_path)
}

/// `ask`: the same answer as `GET <page>.md?ask=`, in Markdown.
pub fn ask(current: &Arc<Current>, args: JsonObject) -> ToolResult {
    let args: AskArgs = parse("ask", args)?;
    check_text("question", &args.question)?;
    if let Some(goal) = &args.goal {
        check_length("goal", goal)?;
    }
    let meta = current.engine.meta();
    let page = match args.page.as_deref().filter(|p| !p.trim().is_empty()) {
        None => None,
        Some(p) => {
            pages::check_path(p)?;
            let Some(i) = pages::find(meta, p) else {
                return Err(pages::not_found(
                    meta,
                    current.nearest(),
                    p,
                    "Pass one of these as `page`, or leave `page` out.",
                ));
            };
            Some(meta.pages[i].url.clone())
        }
    };
    let goal = args.goal.as_deref().filter(|g| !g.trim().is_empty());
    let request = Request { question: &args.question, goal, page: page.as_deref() };
    let response = current.engine.ask(&request).map_err(|e| format!("The question could not be answered: {e:#}"))?;
    Ok(response.markdown())
}

/// `list_pages`: titles, `.md` URLs and descriptions, as `llms.txt` lists them.
pub fn list_pages(current: &Arc<Current>, args: JsonObject) -> ToolResult {
    let args: ListPagesArgs = parse("list_pages", args)?;
    pages::list_pages(current.engine.meta(), current.nearest(), args.prefix.as_deref())
}

/// Rejects an empty or over-long question or query.
fn check_text(name: &str, text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err(format!("`{name}` is empty: pass a few words or a question in plain language."));
    }
    check_length(name, text)
}

fn check_length(name: &str, text: &str) -> Result<(), String> {
    let n = text.chars().count();
    if n > MAX_QUESTION_CHARS {
        return Err(format!("`{name}` has {n} characters; at most {MAX_QUESTION_CHARS} are accepted."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(value: serde_json::Value) -> JsonObject {
        match value {
            serde_json::Value::Object(map) => map,
            _ => JsonObject::new(),
        }
    }

    const CREATE: &str = "/modules-and-features/settings/api-tokens/create-api-token.md";

    #[test]
    fn search_gives_sections_with_anchors_and_excerpts() {
        let (_dir, live) = super::super::bundled_site();
        let text = search(&live.get(), args(json!({"query": "delete a token", "limit": 3}))).unwrap();
        let items: Vec<&str> = text.lines().filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit())).collect();
        assert_eq!(items.len(), 3, "{text}");
        assert!(items[0].contains("delete-api-token.md#"), "{text}");
        assert!(text.contains("   > "), "{text}");
        let many = search(&live.get(), args(json!({"query": "token"}))).unwrap();
        assert_eq!(many.lines().filter(|l| l.starts_with(|c: char| c.is_ascii_digit())).count(), DEFAULT_LIMIT);
    }

    #[test]
    fn search_rejects_bad_arguments() {
        let (_dir, live) = super::super::bundled_site();
        let current = live.get();
        for bad in [
            json!({}),
            json!({"query": "   "}),
            json!({"query": "x".repeat(MAX_QUESTION_CHARS + 1)}),
            json!({"query": "token", "limit": 0}),
            json!({"query": "token", "limit": 21}),
            json!({"query": "token", "limit": -1}),
            json!({"query": 3}),
            json!({"query": "token", "colour": "blue"}),
        ] {
            assert!(search(&current, args(bad.clone())).is_err(), "{bad}");
        }
        assert!(search(&current, args(json!({"query": "token", "limit": 20}))).is_ok());
        let odd = search(&current, args(json!({"query": "\"(( AND OR *:~^ ]]"}))).unwrap();
        assert!(odd.starts_with("# Search:"), "{odd}");
    }

    #[test]
    fn get_page_gives_the_twin_without_the_footer() {
        let (_dir, live) = super::super::bundled_site();
        let text = get_page(&live.get(), args(json!({"url_or_path": CREATE}))).unwrap();
        assert!(text.starts_with("> "), "{text}");
        assert!(text.contains("\n# Create API token"), "{text}");
        assert!(!text.contains("Agent Instructions"), "{text}");
        let same = get_page(
            &live.get(),
            args(json!({"url_or_path": "modules-and-features/settings/api-tokens/create-api-token#overview"})),
        );
        assert_eq!(same.as_deref(), Ok(text.as_str()));
        let home = get_page(&live.get(), args(json!({"url_or_path": "/"}))).unwrap();
        assert!(home.contains("/index.md"), "{home}");
    }

    #[test]
    fn get_page_names_the_nearest_pages_when_missing() {
        let (_dir, live) = super::super::bundled_site();
        let err = get_page(&live.get(), args(json!({"url_or_path": "/create-api-tokens.md"}))).unwrap_err();
        let first = err.lines().find(|l| l.starts_with("- ")).unwrap_or_default();
        assert!(first.contains(CREATE), "{err}");
        assert!(get_page(&live.get(), args(json!({"url_or_path": "../../etc/passwd"}))).is_err());
        assert!(get_page(&live.get(), args(json!({"path": CREATE}))).unwrap_err().contains("Bad arguments"));
    }

    #[test]
    fn ask_gives_the_http_answer_in_markdown() {
        let (_dir, live) = super::super::bundled_site();
        let current = live.get();
        let text = ask(&current, args(json!({"question": "how do I create a token"}))).unwrap();
        let request = Request { question: "how do I create a token", goal: None, page: None };
        assert_eq!(text, current.engine.ask(&request).unwrap().markdown());
        assert!(text.contains("create-api-token.md#"), "{text}");
        assert!(text.contains("## Excerpts") && text.contains("# Sources:"), "{text}");
        let from_page =
            ask(&current, args(json!({"question": "how do I delete it", "page": CREATE, "goal": "clean up"})));
        assert!(from_page.is_ok_and(|t| t.contains("# Sources:")));
        let err = ask(&current, args(json!({"question": "how?", "page": "/no-such-page.md"}))).unwrap_err();
        assert!(err.contains("No page at"), "{err}");
        assert!(ask(&current, args(json!({"question": ""}))).is_err());
        assert!(ask(&current, args(json!({"question": "a", "goal": "g".repeat(1001)}))).is_err());
    }

    #[test]
    fn list_pages_lists_titles_urls_and_descriptions() {
        let (_dir, live) = super::super::bundled_site();
        let all = list_pages(&live.get(), args(json!({}))).unwrap();
        assert!(all.contains(&format!("]({CREATE}): ")), "{all}");
        let under = list_pages(&live.get(), args(json!({"prefix": "/developer-resources"}))).unwrap();
        assert!(under.lines().filter(|l| l.starts_with("- [")).all(|l| l.contains("](/developer-resources/")));
        assert!(list_pages(&live.get(), args(json!({"prefix": 7}))).is_err());
    }
}
