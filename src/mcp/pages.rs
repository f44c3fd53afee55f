//! The page tools as plain functions over one build: `get_page` (a page's Markdown
//! twin without its agent footer), `list_pages` (what `llms.txt` lists, optionally
//! under a URL prefix) and the nearest pages to a path that names none.
//!
//! Takes the build's output folder and its `SiteMeta`; gives Markdown text, or a
//! message for the agent when the argument names no page.

use std::fmt::Write;
use std::path::Path;

use percent_encoding::percent_decode_str;

use crate::ask::normalize_page_path;
use crate::index::{PageMeta, SiteMeta};
use crate::live::Nearest;
use crate::markdown::markup::code_span;
use crate::markdown::one_line;
use crate::paths;

/// Pages named in a "not found" message.
const NEAREST: usize = 5;
/// Longest listing `list_pages` gives; past it, the caller narrows with a prefix.
pub const MAX_LISTED: usize = 500;
/// Longest page argument accepted, in characters.
pub const MAX_PATH_CHARS: usize = 1000;
/// Where the agent footer of a twin starts (see `agent::footer`).
const FOOTER: &str = "\n---\n\n# Agent Instructions";

/// The clean page URL an agent's argument names: accepts `/a/b.md`, `a/b`, `/a/b/`,
/// `/a/b.md#anchor`, full URLs (`https://host/a/b.md`) and percent-encoded paths.
/// The pages nearest to what was asked for (see `live::Nearest`).
pub fn nearest(meta: &SiteMeta, near: &Nearest, arg: &str, n: usize) -> Vec<usize> {
    near.find(&clean_path(meta, arg), n)
}

pub fn clean_path(meta: &SiteMeta, arg: &str) -> String {
    let arg = arg.trim();
    let arg = match arg.strip_prefix(meta.base_url.as_str()) {
        Some(rest) if !meta.base_url.is_empty() => rest,
        _ => arg,
    };
    let arg = match arg.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => arg,
    };
    let decoded = percent_decode_str(arg).decode_utf8_lossy();
    normalize_page_path(&decoded)
}

/// Index of the page `arg` names, if any.
pub fn find(meta: &SiteMeta, arg: &str) -> Option<usize> {
    let url = clean_path(meta, arg);
    meta.pages.iter().position(|p| p.url == url)
}

/// The `.md` URL of a page, absolute when the site has a base URL.
pub fn twin_link(meta: &SiteMeta, page: &PageMeta) -> String {
    format!("{}{}", meta.base_url, paths::encode_href(&paths::twin_url(&page.url)))
}

/// The Markdown twin of the page `arg` names, without the agent footer (the tools
/// replace it); `Err` holds a message naming the nearest pages.
pub fn get_page(out: &Path, meta: &SiteMeta, near: &Nearest, arg: &str) -> Result<String, String> {
    check_path(arg)?;
    let Some(i) = find(meta, arg) else {
        return Err(not_found(meta, near, arg, "Pass one of these URLs, or call `list_pages` to browse."));
    };
    let page = &meta.pages[i];
    let file = out.join(paths::twin_file(&page.url));
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("The twin of `{}` could not be read ({e}); rebuild the site.", twin_link(meta, page)))?;
    Ok(strip_footer(&text))
}

/// "No page at `arg`", with the nearest pages and `advice`.
pub fn not_found(meta: &SiteMeta, near: &Nearest, arg: &str, advice: &str) -> String {
    format!("No page at {}. {}", code_span(arg), nearest_text(meta, near, arg, advice))
}

/// Rejects page arguments that are empty or too long.
pub fn check_path(arg: &str) -> Result<(), String> {
    if arg.trim().is_empty() {
        return Err("The page is empty: pass a page's `.md` URL such as `/index.md`, or call `list_pages`.".into());
    }
    if arg.chars().count() > MAX_PATH_CHARS {
        return Err(format!("The page is longer than {MAX_PATH_CHARS} characters."));
    }
    Ok(())
}

/// A twin without its "Agent Instructions" footer.
pub fn strip_footer(twin: &str) -> String {
    let body = twin.rfind(FOOTER).map_or(twin, |at| &twin[..at]);
    format!("{}\n", body.trim_end())
}

/// The listing of the visible pages whose clean URL starts with `prefix`, in reading
/// order, as `- [Title](url.md): description` lines under the site's title.
pub fn list_pages(meta: &SiteMeta, near: &Nearest, prefix: Option<&str>) -> Result<String, String> {
    let prefix = match prefix.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) if p.chars().count() > MAX_PATH_CHARS => {
            return Err(format!("The prefix is longer than {MAX_PATH_CHARS} characters."))
        }
        Some(p) => clean_path(meta, p),
        None => String::new(),
    };
    let mut pages: Vec<&PageMeta> = meta.pages.iter().filter(|p| !p.hidden && p.url.starts_with(&prefix)).collect();
    pages.sort_by_key(|p| p.order.unwrap_or(usize::MAX));
    let mut out = format!("# {}\n\n", meta.title);
    if let Some(d) = &meta.description {
        let _ = writeln!(out, "> {}\n", one_line(d));
    }
    let shown = code_span(&format!("/{prefix}"));
    let scope = if prefix.is_empty() { String::new() } else { format!(" under {shown}") };
    if pages.is_empty() {
        let _ = writeln!(out, "No page URL starts with {shown}. {}", nearest_text(meta, near, &prefix, ""));
        return Ok(out);
    }
    let _ = writeln!(
        out,
        "{} page(s){scope}, in reading order. Read one with `get_page`, or ask a question with `ask`.\n",
        pages.len()
    );
    for page in pages.iter().take(MAX_LISTED) {
        let _ = write!(out, "- [{}]({})", page.title, twin_link(meta, page));
        if let Some(d) = page.description.as_deref().filter(|d| !d.trim().is_empty()) {
            let _ = write!(out, ": {}", one_line(d));
        }
        out.push('\n');
    }
    if pages.len() > MAX_LISTED {
        let _ = writeln!(out, "\n… and {} more; pass a longer `prefix` to see them.", pages.len() - MAX_LISTED);
    }
    Ok(out)
}

/// "The nearest pages are: …" as Markdown list lines, followed by `advice`.
fn nearest_text(meta: &SiteMeta, near: &Nearest, arg: &str, advice: &str) -> String {
    let found = nearest(meta, near, arg, NEAREST);
    if found.is_empty() {
        return "The site has no pages.".into();
    }
    let mut out = String::from("The nearest pages are:\n\n");
    for i in found {
        let page = &meta.pages[i];
        let _ = writeln!(out, "- [{}]({})", page.title, twin_link(meta, page));
    }
    if !advice.is_empty() {
        let _ = write!(out, "\n{advice}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str, title: &str, order: usize) -> PageMeta {
        PageMeta {
            url: url.into(),
            title: title.into(),
            description: Some(format!("About {title}.")),
            parent: None,
            order: Some(order),
            breadcrumbs: vec![title.into()],
            hidden: false,
        }
    }

    fn near() -> Nearest {
        Nearest::new(&site())
    }

    fn site() -> SiteMeta {
        let mut hidden = page("secret", "Secret", 9);
        hidden.hidden = true;
        SiteMeta {
            title: "Docs".into(),
            description: Some("The docs.".into()),
            pages: vec![
                page("", "Home", 0),
                page("tokens/create-api-token", "Create API token", 2),
                page("tokens", "API tokens", 1),
                page("tokens/delete-api-token", "Delete API token", 3),
                hidden,
            ],
            ..SiteMeta::default()
        }
    }

    #[test]
    fn cleans_every_spelling_of_a_page() {
        let mut meta = site();
        for arg in ["/tokens.md", "tokens", "/tokens/", "/tokens.md#anchor", "http://localhost:3000/tokens.md"] {
            assert_eq!(clean_path(&meta, arg), "tokens", "{arg}");
        }
        meta.base_url = "https://docs.example.com/v2".into();
        assert_eq!(clean_path(&meta, "https://docs.example.com/v2/tokens.md"), "tokens");
        assert_eq!(clean_path(&meta, "/a%20b.md"), "a b");
        assert_eq!(find(&meta, "/index.md"), Some(0));
        assert_eq!(find(&meta, "/"), Some(0));
    }

    #[test]
    fn reads_the_twin_without_its_footer() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("tokens")).unwrap();
        let twin = format!("> header\n\n# Create API token\n\nBody.\n\n{}", crate::agent::footer("/x.md"));
        std::fs::write(dir.path().join("tokens/create-api-token.md"), twin).unwrap();
        let text = get_page(dir.path(), &site(), &near(), "/tokens/create-api-token.md").unwrap();
        assert_eq!(text, "> header\n\n# Create API token\n\nBody.\n");
    }

    #[test]
    fn a_missing_page_names_the_nearest() {
        let dir = tempfile::tempdir().unwrap();
        let err = get_page(dir.path(), &site(), &near(), "/tokens/create-token.md").unwrap_err();
        assert!(err.starts_with("No page at `/tokens/create-token.md`."), "{err}");
        let first = err.lines().find(|l| l.starts_with("- ")).unwrap();
        assert_eq!(first, "- [Create API token](/tokens/create-api-token.md)");
        assert!(!err.contains("Secret"));
        assert!(get_page(dir.path(), &site(), &near(), "  ").unwrap_err().contains("empty"));
        assert!(get_page(dir.path(), &site(), &near(), &"x".repeat(1001)).unwrap_err().contains("longer"));
        let hostile = get_page(dir.path(), &site(), &near(), "x`\n# Injected [a](javascript:alert(1))").unwrap_err();
        assert!(hostile.starts_with("No page at ``x` # Injected [a](javascript:alert(1))``."), "{hostile}");
    }

    #[test]
    fn nearest_matches_titles_too() {
        assert_eq!(nearest(&site(), &near(), "delete a token", 1), vec![3]);
        assert!(crate::index::meta::similarity("abc", "abc") > 0.99);
        assert_eq!(crate::index::meta::similarity("", "abc"), 0.0);
    }

    #[test]
    fn lists_visible_pages_in_reading_order() {
        let all = list_pages(&site(), &near(), None).unwrap();
        let lines: Vec<&str> = all.lines().filter(|l| l.starts_with("- ")).collect();
        assert_eq!(lines[0], "- [Home](/index.md): About Home.");
        assert_eq!(lines[1], "- [API tokens](/tokens.md): About API tokens.");
        assert_eq!(lines.len(), 4);
        assert!(all.starts_with("# Docs\n\n> The docs.\n"));
        let under = list_pages(&site(), &near(), Some("/tokens/")).unwrap();
        assert_eq!(under.lines().filter(|l| l.starts_with("- ")).count(), 3);
        assert!(under.contains("under `/tokens`"));
        let none = list_pages(&site(), &near(), Some("nothing-here")).unwrap();
        assert!(none.contains("No page URL starts with `/nothing-here`"));
        assert!(list_pages(&site(), &near(), Some(&"x".repeat(1001))).is_err());
    }
}
