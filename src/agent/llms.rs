//! `llms.txt` (llmstxt.org shape: H1, `>` summary, one H2 per navigation group,
//! `- [Title](url.md): description`) and `llms-full.txt` (every twin body in reading
//! order).

use std::fmt::Write;

use crate::markdown::one_line;
use crate::paths;
use crate::site::{NavItem, Site};

/// The text of `llms.txt`.
pub fn llms_txt(site: &Site) -> String {
    let base = site.config.url_prefix();
    let mut out = format!("# {}\n\n", site.title);
    let summary = site.description.as_deref().unwrap_or("Documentation");
    let _ = writeln!(out, "> {}\n", one_line(summary));
    match site.config.ask_endpoint() {
        Some(ask) if ask == base => {
            let _ = writeln!(
                out,
                "Every page below is Markdown. Append `?ask=<question>&goal=<goal>` to any page's `.md` URL to get a direct answer with excerpts and sources. MCP clients can connect to {ask}/mcp (Streamable HTTP) for the tools `search`, `get_page`, `ask` and `list_pages`. All pages in one file: {base}/llms-full.txt\n"
            );
        }
        Some(ask) => {
            let _ = writeln!(
                out,
                "Every page below is Markdown. To ask a question, append `?ask=<question>&goal=<goal>` to a page's path at {ask} (for example {ask}/index.md?ask=…) to get a direct answer with excerpts and sources. MCP clients can connect to {ask}/mcp (Streamable HTTP) for the tools `search`, `get_page`, `ask` and `list_pages`. All pages in one file: {base}/llms-full.txt\n"
            );
        }
        None => {
            let _ = writeln!(out, "Every page below is Markdown. All pages in one file: {base}/llms-full.txt\n");
        }
    }
    let mut listed = vec![false; site.pages.len()];
    for group in &site.nav.groups {
        let _ = writeln!(out, "## {}\n", group.title.as_deref().unwrap_or("Overview"));
        list(site, &group.items, &mut listed, &mut out);
        out.push('\n');
    }
    let rest: Vec<usize> = (0..site.pages.len()).filter(|&i| !listed[i] && !site.pages[i].front.hidden).collect();
    if !rest.is_empty() {
        out.push_str("## Optional\n\n");
        for i in rest {
            line(site, i, &mut out);
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn list(site: &Site, items: &[NavItem], listed: &mut [bool], out: &mut String) {
    for item in items {
        if let Some(i) = item.page {
            if !listed[i] {
                listed[i] = true;
                line(site, i, out);
            }
        }
        list(site, &item.children, listed, out);
    }
}

fn line(site: &Site, i: usize, out: &mut String) {
    let page = &site.pages[i];
    let url = format!("{}{}", site.config.url_prefix(), paths::encode_href(&paths::twin_url(&page.url)));
    let _ = write!(out, "- [{}]({url})", page.title);
    if let Some(d) = &page.description {
        let _ = write!(out, ": {}", one_line(d));
    }
    out.push('\n');
}

/// The start of `llms-full.txt`: the site title and summary. Each page's part
/// (`llms_full_page`) follows, in reading order.
pub fn llms_full_head(site: &Site) -> String {
    let mut out = format!("# {}\n\n", site.title);
    if let Some(d) = &site.description {
        let _ = writeln!(out, "> {}\n", one_line(d));
    }
    out
}

/// The part of `llms-full.txt` for page `i`, whose twin body is `body`.
pub fn llms_full_page(site: &Site, i: usize, body: &str) -> String {
    let page = &site.pages[i];
    let url = format!("{}{}", site.config.url_prefix(), paths::encode_href(&paths::twin_url(&page.url)));
    let mut out = String::with_capacity(body.len() + page.title.len() + url.len() + 64);
    let _ = write!(out, "---\n\n# {}\n\nSource: {url}\n\n", page.title);
    if let Some(d) = &page.description {
        let _ = writeln!(out, "{}\n", d.trim());
    }
    out.push_str(body.trim_end());
    out.push_str("\n\n");
    out
}
