//! Agent outputs: the Markdown twin of every page and the site-wide files agents read
//! (`llms.txt`, `llms-full.txt`, `sitemap.md`, `sitemap.xml`, `robots.txt`).
//!
//! Takes the `Site` and each page's twin body; gives the text of each file.

pub mod llms;
pub mod sitemap;

use crate::paths;
use crate::site::{Page, Site};

/// The full twin of a page: index line, title, description, body, and — where an
/// endpoint answers (see `Config::ask_endpoint`) — the agent footer.
pub fn twin(site: &Site, page: &Page, body: &str) -> String {
    let base = site.config.url_prefix();
    let path = paths::encode_href(&paths::twin_url(&page.url));
    let url = format!("{base}{path}");
    let endpoint = site.config.ask_endpoint();
    let mut out = match endpoint {
        Some(ask) => format!(
            "> For agents: this page as Markdown is {url}; every page of {} has a `.md` twin like it, and {base}/llms.txt lists them all. MCP clients can connect to {ask}/mcp for the same docs as tools: search, get_page, ask, list_pages.\n\n# {}\n\n",
            site.title, page.title
        ),
        None => format!(
            "> For agents: this page as Markdown is {url}; every page of {} has a `.md` twin like it, {base}/llms.txt lists them all, and {base}/llms-full.txt holds every page in one file.\n\n# {}\n\n",
            site.title, page.title
        ),
    };
    if let Some(d) = &page.description {
        out.push_str(d.trim());
        out.push_str("\n\n");
    }
    if !body.trim().is_empty() {
        out.push_str(body.trim_end());
        out.push_str("\n\n");
    }
    if let Some(ask) = endpoint {
        out.push_str(&footer(&format!("{ask}{path}")));
    }
    out
}

/// The "Agent Instructions" footer, pointing at this page's ask URL.
pub fn footer(url: &str) -> String {
    format!(
        "---

# Agent Instructions: Querying This Documentation

When this page does not hold what you need, ask the documentation itself. Send an HTTP GET request to this page's Markdown URL with your question in the `ask` parameter and, optionally, what you are trying to achieve in `goal`:

```
GET {url}?ask=<question>&goal=<goal>
```

- `ask`: one self-contained question in plain language, URL-encoded, at most 1,000 characters.
- `goal` (optional): the task behind the question; it helps pick the most useful sections.

The reply is Markdown: a direct answer quoted from the docs that ends with a link to its section, excerpts with section links, suggested follow-up questions and the source pages. Add `&format=json` or send `Accept: application/json` to get the same answer as JSON. Answers come only from this documentation, without a language model; when the docs do not cover a question, the reply says so and lists the nearest pages.
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footer_names_the_ask_and_goal_parameters() {
        let f = footer("/a/b.md");
        assert!(f.contains("GET /a/b.md?ask=<question>&goal=<goal>"));
        assert!(f.starts_with("---\n\n# Agent Instructions: Querying This Documentation\n"));
    }
}
