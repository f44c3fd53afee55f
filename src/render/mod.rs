//! Rendering: HTML pages through tera templates compiled into the binary (a file of
//! the same name under `_theme/templates/` in the content folder wins), and the
//! theme's static files.
//!
//! Takes the `Site` and a page's body HTML; gives the finished HTML documents.

pub mod context;
pub mod nav_asset;
pub mod search_asset;
pub mod sidebar;

use std::collections::BTreeMap;

use anyhow::{Context as _, Result};
use serde::Serialize;
use tera::Tera;

use crate::site::Site;
pub use context::{page_href, page_view, PageView};

/// The templates compiled into the binary.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("redirect.html", include_str!("../../templates/redirect.html")),
    ("ask.html", include_str!("../../templates/ask.html")),
];

/// The static files compiled into the binary, written under `static/`.
const STATIC: &[(&str, &[u8])] = &[
    ("docask.css", include_bytes!("../../static/docask.css")),
    ("docask.js", include_bytes!("../../static/docask.js")),
    ("theme-init.js", include_bytes!("../../static/theme-init.js")),
    ("ask.js", include_bytes!("../../static/ask.js")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    ("icons/info.svg", include_bytes!("../../static/icons/info.svg")),
    ("icons/success.svg", include_bytes!("../../static/icons/success.svg")),
    ("icons/warning.svg", include_bytes!("../../static/icons/warning.svg")),
    ("icons/danger.svg", include_bytes!("../../static/icons/danger.svg")),
    ("icons/page.svg", include_bytes!("../../static/icons/page.svg")),
    ("icons/file.svg", include_bytes!("../../static/icons/file.svg")),
    ("icons/embed.svg", include_bytes!("../../static/icons/embed.svg")),
];

/// The compiled templates and static files.
#[derive(Debug)]
pub struct Theme {
    tera: Tera,
    statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// Builds the theme; `overrides` maps `templates/x.html` or `static/x` to file
    /// contents that replace the built-in ones.
    pub fn new(overrides: &BTreeMap<String, Vec<u8>>) -> Result<Self> {
        let mut templates: BTreeMap<String, String> =
            TEMPLATES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        let mut statics: BTreeMap<String, Vec<u8>> = STATIC.iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect();
        for (path, bytes) in overrides {
            if let Some(name) = path.strip_prefix("templates/") {
                templates.insert(name.to_string(), String::from_utf8_lossy(bytes).into_owned());
            } else if let Some(name) = path.strip_prefix("static/") {
                statics.insert(name.to_string(), bytes.clone());
            }
        }
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .context("a theme template is invalid")?;
        tera.autoescape_on(vec![".html"]);
        // Tera's own escaper also turns `/` into `&#x2F;`, which is safe but leaves
        // every link unreadable to tools that scan the HTML (`href="../a.md"`).
        tera.set_escape_fn(crate::markdown::markup::escape);
        Ok(Theme { tera, statics })
    }

    /// Renders `template` with a serializable context.
    pub fn render(&self, template: &str, view: &impl Serialize) -> Result<String> {
        let ctx = tera::Context::from_serialize(view).context("template context")?;
        self.tera.render(template, &ctx).with_context(|| format!("failed to render template `{template}`"))
    }

    /// The static files, by name under `static/`.
    pub fn statics(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.statics
    }
}

/// What `404.html` and `redirect.html` see.
#[derive(Debug, Serialize)]
pub struct SimpleView<'a> {
    /// Site title.
    pub site_title: &'a str,
    /// Prefix to the site root.
    pub root: String,
    /// Page title.
    pub title: &'a str,
    /// Target link (redirects).
    pub href: Option<String>,
    /// Pages to offer (404).
    pub pages: Vec<(String, &'a str)>,
    /// `<html lang>`.
    pub lang: &'a str,
}

/// The 404 page; links are site-absolute because it is served at any path, under
/// the path of `base_url` when it has one (`https://user.github.io/repo` → `/repo/`).
pub fn not_found(theme: &Theme, site: &Site) -> Result<String> {
    let root = base_path(site.config.url_prefix());
    let pages = site
        .reading_order()
        .into_iter()
        .take(12)
        .map(|i| (root_href(&root, &site.pages[i].url), site.pages[i].title.as_str()))
        .collect();
    theme.render(
        "404.html",
        &SimpleView {
            site_title: &site.title,
            root,
            title: "Page not found",
            href: None,
            pages,
            lang: site.config.lang(),
        },
    )
}

/// The path part of a base URL, between slashes: `https://h/a/b` → `/a/b/`, `` → `/`.
fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    let path = path.trim_matches('/');
    if path.is_empty() {
        "/".into()
    } else {
        format!("/{path}/")
    }
}

/// Site-absolute link to the page at clean URL `url`, as a folder (`/a/b/`) so that
/// static hosts that do not add the slash themselves serve `index.html`.
fn root_href(root: &str, url: &str) -> String {
    if url.is_empty() {
        root.into()
    } else {
        format!("{root}{}/", crate::paths::encode_href(url))
    }
}

/// A redirect page placed at clean URL `from`, pointing to the page at `to`.
pub fn redirect(theme: &Theme, site: &Site, from: &str, to: &str) -> Result<String> {
    let href = page_href(from, to);
    theme.render(
        "redirect.html",
        &SimpleView {
            site_title: &site.title,
            root: crate::paths::root_prefix(from),
            title: "Redirecting",
            href: Some(href),
            pages: vec![],
            lang: site.config.lang(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_404_page_lives_under_the_base_path() {
        assert_eq!(base_path(""), "/");
        assert_eq!(base_path("https://docs.example.com"), "/");
        assert_eq!(base_path("https://user.github.io/repo"), "/repo/");
        assert_eq!(base_path("https://h.example/a/b/"), "/a/b/");
        assert_eq!(root_href("/repo/", "guides/setup"), "/repo/guides/setup/");
        assert_eq!(root_href("/repo/", ""), "/repo/");
    }

    #[test]
    fn escaping_keeps_slashes_and_escapes_markup() {
        let theme = Theme::new(&BTreeMap::new()).unwrap();
        let view = SimpleView {
            site_title: "<Docs>",
            root: "../".into(),
            title: "Moved",
            href: Some("../a/b/".into()),
            pages: vec![],
            lang: "en",
        };
        let html = theme.render("redirect.html", &view).unwrap();
        assert!(html.contains("<a href=\"../a/b/\">"), "{html}");
        assert!(html.contains("&lt;Docs&gt;"), "{html}");
    }

    #[test]
    fn not_found_links_are_folders() {
        assert_eq!(root_href("/", ""), "/");
        assert_eq!(root_href("/", "a/b c"), "/a/b%20c/");
    }
}
