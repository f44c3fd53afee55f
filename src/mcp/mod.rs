//! MCP: the documentation as Model Context Protocol tools (`search`, `get_page`,
//! `ask`, `list_pages`), read-only and offline, answered from the same index and
//! Markdown twins as the HTTP API.
//!
//! Takes a `Live` handle on the build being served; gives `DocsTools`, an rmcp
//! server handler that `stdio` runs for a local client and `http` mounts at `/mcp`.
//! The tool bodies are plain functions in `tools` and `pages`.

pub mod http;
pub mod pages;
pub mod stdio;
pub mod tools;

use std::sync::Arc;

use rmcp::handler::server::common::{schema_for_empty_input, schema_for_input};
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::model::{Implementation, JsonObject, ServerCapabilities, ServerConfig};
use rmcp::{tool, tool_handler, tool_router, ServerHandler};

use crate::live::{Current, Live};

const SEARCH: &str = "Search this documentation. Gives the best-matching sections, best first, each with its page title, section heading, `.md` URL with the section's anchor and an excerpt around the matching words. Use it to find where something is documented; read a whole page with `get_page`, or get a direct answer with `ask`.";
const GET_PAGE: &str = "Get one page of this documentation as Markdown: title, description and body, with links as `.md` URLs you can pass back to this tool. Pass the `.md` URL that `search`, `ask` or `list_pages` gave. When no page has that URL, the error names the nearest pages.";
const ASK: &str = "Ask this documentation a question and get a direct answer quoted from it, ending with a link to its section, plus excerpts with section links, suggested follow-up questions and the source pages, in Markdown. Answers come only from the docs, without a language model: when they do not cover the question, the answer says so and lists the nearest pages. Pass `page` (the page you are reading) to favour its sections, and `goal` (the task behind the question) to pick the most useful ones.";
const LIST_PAGES: &str = "List the pages of this documentation in reading order: title, `.md` URL and description of each (what `llms.txt` holds). Pass `prefix` to list only the pages under a path, e.g. one section of the docs.";

/// The documentation tools over the build being served.
#[derive(Clone)]
pub struct DocsTools {
    live: Live,
    reload: Option<Arc<crate::live::Reload>>,
    /// Tool calls at once: they are CPU-bound (the engine, the nearest pages).
    slots: Arc<tokio::sync::Semaphore>,
    tool_router: ToolRouter<Self>,
}

impl DocsTools {
    /// Tools over `live`, which its owner swaps on rebuilds (`docask serve`).
    pub fn new(live: Live) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        let slots = Arc::new(tokio::sync::Semaphore::new(cores));
        DocsTools { live, reload: None, slots, tool_router: Self::tool_router() }
    }

    /// Tools that reopen the build themselves when it is rebuilt (`docask mcp`).
    pub fn reloading(live: Live, reload: crate::live::Reload) -> Self {
        DocsTools { reload: Some(Arc::new(reload)), ..Self::new(live) }
    }

    /// The build to answer this call from.
    #[cfg(test)]
    fn current(&self) -> Arc<Current> {
        current(&self.live, self.reload.as_deref())
    }

    /// Runs a tool body on a blocking thread, a few at a time: a call never holds up
    /// the async workers that serve everything else.
    async fn run(
        &self,
        body: fn(&Arc<Current>, JsonObject) -> tools::ToolResult,
        args: JsonObject,
    ) -> tools::ToolResult {
        let _slot = self.slots.acquire().await.map_err(|_| "The server is shutting down.".to_string())?;
        let (live, reload) = (self.live.clone(), self.reload.clone());
        tokio::task::spawn_blocking(move || body(&current(&live, reload.as_deref()), args))
            .await
            .unwrap_or_else(|e| Err(format!("The tool failed: {e}")))
    }
}

fn current(live: &Live, reload: Option<&crate::live::Reload>) -> Arc<Current> {
    if let Some(reload) = reload {
        reload.refresh(live);
    }
    live.get()
}

/// The input schema of a tool's arguments type.
fn schema<T: schemars::JsonSchema + 'static>() -> Arc<JsonObject> {
    // A derived schema is always an object; the fallback only guards the type system.
    schema_for_input::<T>().unwrap_or_else(|_| schema_for_empty_input())
}

// Every tool only reads, gives the same result for the same call (until a rebuild)
// and never leaves this documentation: read-only, idempotent, closed-world.
#[tool_router]
impl DocsTools {
    #[tool(
        name = "search",
        description = SEARCH,
        input_schema = schema::<tools::SearchArgs>(),
        annotations(title = "Search the documentation", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = false)
    )]
    async fn search(&self, args: JsonObject) -> Result<String, String> {
        self.run(tools::search, args).await
    }

    #[tool(
        name = "get_page",
        description = GET_PAGE,
        input_schema = schema::<tools::GetPageArgs>(),
        annotations(title = "Read a documentation page", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = false)
    )]
    async fn get_page(&self, args: JsonObject) -> Result<String, String> {
        self.run(tools::get_page, args).await
    }

    #[tool(
        name = "ask",
        description = ASK,
        input_schema = schema::<tools::AskArgs>(),
        annotations(title = "Ask the documentation", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = false)
    )]
    async fn ask(&self, args: JsonObject) -> Result<String, String> {
        self.run(tools::ask, args).await
    }

    #[tool(
        name = "list_pages",
        description = LIST_PAGES,
        input_schema = schema::<tools::ListPagesArgs>(),
        annotations(title = "List the documentation pages", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = false)
    )]
    async fn list_pages(&self, args: JsonObject) -> Result<String, String> {
        self.run(tools::list_pages, args).await
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for DocsTools {
    fn get_info(&self) -> ServerConfig {
        let current = self.live.get();
        let meta = current.engine.meta();
        let about = meta.description.as_deref().map(|d| format!(" {}", d.trim())).unwrap_or_default();
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("docask", env!("CARGO_PKG_VERSION")))
            .with_instructions(format!(
                "Tools for the documentation \"{}\".{about} Find sections with `search`, read a page with `get_page`, get a direct answer with sources with `ask`, and browse with `list_pages`. Everything comes from this documentation only, offline; page URLs are Markdown (`.md`).",
                meta.title
            ))
    }
}

/// A build of the bundled `content/` in a temporary folder, for the tests.
#[cfg(test)]
pub(crate) fn bundled_site() -> (tempfile::TempDir, Live) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    let opts = crate::build::BuildOptions {
        content: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        out: out.clone(),
        base_url: None,
        strict: false,
        quiet: true,
        served: false,
    };
    crate::build::build(&opts).expect("the bundled docs build");
    let live = Live::new(Current::open(&out).expect("the build opens"));
    (dir, live)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tool_is_read_only_idempotent_and_closed_world() {
        let (_dir, live) = bundled_site();
        let tools = DocsTools::new(live).tool_router.list_all();
        let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
        assert_eq!(names.len(), 4);
        for name in ["search", "get_page", "ask", "list_pages"] {
            assert!(names.contains(&name), "{name} in {names:?}");
        }
        for tool in &tools {
            let a = tool.annotations.as_ref().expect("annotations");
            assert_eq!(
                (a.read_only_hint, a.destructive_hint, a.idempotent_hint, a.open_world_hint),
                (Some(true), Some(false), Some(true), Some(false)),
                "{}",
                tool.name
            );
            assert!(tool.description.as_deref().is_some_and(|d| d.len() > 80), "{}", tool.name);
            let props = tool.input_schema.get("properties").and_then(|p| p.as_object()).expect("properties");
            assert!(!props.is_empty(), "{} has an argument schema", tool.name);
        }
    }

    #[test]
    fn the_instructions_name_the_site_and_the_tools() {
        let (_dir, live) = bundled_site();
        let info = DocsTools::new(live).get_info();
        assert_eq!(info.server_info.name, "docask");
        let text = info.instructions.unwrap_or_default();
        assert!(text.contains("`search`") && text.contains("`list_pages`"), "{text}");
        assert!(info.capabilities.tools.is_some());
    }

    #[test]
    fn a_rebuild_is_picked_up_by_a_reloading_server() {
        let (dir, live) = bundled_site();
        let out = dir.path().join("public");
        let tools = DocsTools::reloading(live.clone(), crate::live::Reload::new(&out));
        let before = Arc::as_ptr(&tools.current());
        assert_eq!(before, Arc::as_ptr(&tools.current()), "no rebuild, no reopen");
        std::thread::sleep(std::time::Duration::from_millis(20));
        let opts = crate::build::BuildOptions {
            content: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
            out: out.clone(),
            base_url: Some("https://docs.example.com".into()),
            strict: false,
            quiet: true,
            served: false,
        };
        crate::build::build(&opts).expect("rebuild");
        assert_eq!(tools.current().engine.meta().base_url, "https://docs.example.com");
    }
}
