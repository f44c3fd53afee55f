//! The server's own HTML page, in the site's theme (`ask.html`, extending
//! `base.html`): the answer to a question asked from a browser, and the 400 page
//! with the usage text. Links of the answer point at the HTML pages, not the twins.
//!
//! Takes an ask `Response` (or an error) and the theme; gives the HTML document.

use anyhow::Result;
use pulldown_cmark::{Event, Options, Parser, Tag};
use serde::Serialize;

use crate::ask::format::NO_ANSWER;
use crate::ask::Response as Answer;
use crate::index::SiteMeta;
use crate::render::context::SiteView;
use crate::render::Theme;

/// A link with its text.
#[derive(Debug, Serialize)]
struct Link {
    title: String,
    href: String,
}

/// An excerpt as the page shows it.
#[derive(Debug, Serialize)]
struct ExcerptView<'a> {
    title: &'a str,
    section: &'a str,
    href: String,
    text: &'a str,
}

/// Everything `ask.html` sees.
#[derive(Debug, Serialize)]
struct AskView<'a> {
    site: SiteView<'a>,
    /// Site-absolute: the page is served at any path.
    root: &'static str,
    title: &'a str,
    question: &'a str,
    goal: Option<&'a str>,
    answer_html: Option<String>,
    no_answer: &'static str,
    /// Why there is no answer ("The documentation never mentions Flutter.").
    why_no_answer: Option<String>,
    excerpts: Vec<ExcerptView<'a>>,
    follow_ups: Vec<Link>,
    sources: Vec<Link>,
    /// The asking page's twin, where the ask box sends its questions.
    twin_href: String,
    markdown_href: String,
    json_href: String,
    error: Option<&'a str>,
    usage: &'a str,
}

/// The asking page's twin, and where the same answer is in Markdown
/// (`twin?ask=…&goal=…`) and in JSON.
pub struct Alternates {
    /// The `.md` URL of the page asked from.
    pub twin: String,
    /// The `.md?ask=` URL.
    pub markdown: String,
    /// The same with `format=json`.
    pub json: String,
}

/// Renders the answer page.
pub fn answer_page(theme: &Theme, meta: &SiteMeta, answer: &Answer, alternates: Alternates) -> Result<String> {
    let base = meta.base_url.as_str();
    let link = |title: &str, url: &str| Link { title: title.to_string(), href: html_href(url, base) };
    let view = AskView {
        site: site_view(meta),
        root: "/",
        title: &answer.question,
        question: &answer.question,
        goal: answer.goal.as_deref(),
        answer_html: answer.answer.as_ref().map(|a| markdown_to_html(&a.markdown, base)),
        no_answer: NO_ANSWER,
        why_no_answer: answer.why_no_answer(),
        excerpts: answer
            .excerpts
            .iter()
            .map(|e| ExcerptView { title: &e.title, section: &e.section, href: html_href(&e.url, base), text: &e.text })
            .collect(),
        follow_ups: answer.follow_ups.iter().map(|f| link(&f.question, &f.url)).collect(),
        sources: answer.sources.iter().map(|s| link(&s.title, &s.url)).collect(),
        twin_href: alternates.twin,
        markdown_href: alternates.markdown,
        json_href: alternates.json,
        error: None,
        usage: "",
    };
    theme.render_linking("ask.html", &view, &theme.assets_of(&meta.assets))
}

/// Renders the 400 page: what was wrong and how to ask.
pub fn error_page(theme: &Theme, meta: &SiteMeta, error: &str, usage: &str) -> Result<String> {
    let view = AskView {
        site: site_view(meta),
        root: "/",
        title: "Bad request",
        question: "",
        goal: None,
        answer_html: None,
        no_answer: NO_ANSWER,
        why_no_answer: None,
        excerpts: Vec::new(),
        follow_ups: Vec::new(),
        sources: Vec::new(),
        twin_href: "/index.md".into(),
        markdown_href: String::new(),
        json_href: String::new(),
        error: Some(error),
        usage,
    };
    theme.render_linking("ask.html", &view, &theme.assets_of(&meta.assets))
}

fn site_view(meta: &SiteMeta) -> SiteView<'_> {
    SiteView { title: &meta.title, description: meta.description.as_deref(), lang: &meta.lang }
}

/// Markdown quoted from the docs, as HTML: raw HTML in it is shown as text, and
/// links to twins go to the pages.
fn markdown_to_html(markdown: &str, base: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: html_href(&dest_url, base).into(), title, id })
        }
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// The HTML page of a site URL that names a twin: `/a/b.md#x` → `/a/b/#x`,
/// `/index.md?ask=q` → `/?ask=q`; other URLs unchanged.
pub fn html_href(url: &str, base: &str) -> String {
    let Some(local) = url.strip_prefix(base).filter(|l| l.starts_with('/')) else { return url.to_string() };
    let split = local.find(['?', '#']).unwrap_or(local.len());
    let (path, rest) = local.split_at(split);
    let Some(stem) = path.strip_suffix(".md") else { return url.to_string() };
    let page = if stem == "/index" { "/".to_string() } else { format!("{stem}/") };
    format!("{base}{page}{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twin_links_become_page_links() {
        assert_eq!(html_href("/a/b.md#steps", ""), "/a/b/#steps");
        assert_eq!(html_href("/index.md?ask=x%20y", ""), "/?ask=x%20y");
        assert_eq!(html_href("https://d.io/a.md", "https://d.io"), "https://d.io/a/");
        assert_eq!(html_href("https://elsewhere.io/a.md", ""), "https://elsewhere.io/a.md");
        assert_eq!(html_href("/static/x.png", ""), "/static/x.png");
    }

    #[test]
    fn answer_markdown_escapes_raw_html() {
        let html = markdown_to_html("Use <script>alert(1)</script> **now**\n\n— [P › S](/p.md#s)", "");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("<strong>now</strong>"), "{html}");
        assert!(html.contains("href=\"/p/#s\""), "{html}");
    }
}
