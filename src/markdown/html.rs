//! HTML rendering of a parsed page: Markdown chunks through pulldown-cmark's HTML
//! writer (links rewritten relative to the page, headings with anchors, code
//! highlighted at build time, raw HTML sanitised unless trusted) and GitBook blocks
//! as theme components.
//!
//! Takes a `Doc`, the site's `Links`, the page's clean URL and the sanitiser (none
//! when raw HTML is trusted); gives the body HTML.

use std::fmt::Write;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::blocks::{Api, Block, BlockKind, HintStyle, Tab};
use super::html_scan::rewrite_urls;
use super::markup::{escape, safe_url};
use super::sanitize::Sanitizer;
use super::{highlight, openapi, Chunk, Doc, Links, Node, Target};
use crate::paths;

/// Renders the body of `doc`, to be placed in the page at clean URL `page_url`.
pub fn render(doc: &Doc, links: &dyn Links, page_url: &str, sanitizer: Option<&Sanitizer>) -> String {
    let aliases =
        doc.headings.iter().filter(|h| !h.aliases.is_empty()).map(|h| (h.id.as_str(), &h.aliases[..])).collect();
    let mut r = Renderer {
        links,
        prefix: paths::root_prefix(page_url),
        tabs: 0,
        raw_html: false,
        aliases,
        notes: Default::default(),
        out: String::new(),
    };
    r.nodes(&doc.nodes);
    // Cleaned as a whole: raw HTML often opens in one chunk and closes in another
    // (`<details>` around a hint). Pages without raw HTML are safe as written.
    match sanitizer.filter(|_| r.raw_html) {
        Some(sanitizer) => sanitizer.clean(&r.out),
        None => r.out,
    }
}

struct Renderer<'a> {
    links: &'a dyn Links,
    prefix: String,
    tabs: usize,
    /// Some chunk holds raw HTML.
    raw_html: bool,
    /// Heading ids with the other anchors GitBook gives them.
    aliases: std::collections::HashMap<&'a str, &'a [String]>,
    /// The page's footnote numbers (the page is written a chunk at a time, and each
    /// chunk's writer would count from 1 again).
    notes: super::footnotes::Numbers,
    out: String,
}

impl Renderer<'_> {
    fn nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            match node {
                Node::Markdown(chunk) => self.chunk(chunk),
                Node::Block(block) => self.block(block),
            }
        }
    }

    /// The href of a resolved target, relative to this page.
    fn href(&self, target: &Target, original: &str) -> String {
        match target {
            Target::Page { url, anchor } => {
                let mut href = if url.is_empty() {
                    if self.prefix.is_empty() {
                        "./".to_string()
                    } else {
                        self.prefix.clone()
                    }
                } else {
                    format!("{}{}/", self.prefix, paths::encode_href(url))
                };
                if let Some(a) = anchor {
                    href.push('#');
                    href.push_str(a);
                }
                href
            }
            Target::Asset(path) => format!("{}{}", self.prefix, paths::encode_href(path)),
            Target::Anchor(a) => format!("#{a}"),
            Target::External(url) => url.clone(),
            Target::Broken(_) if safe_url(original, false) => original.to_string(),
            Target::Broken(_) => String::new(),
        }
    }

    fn chunk(&mut self, chunk: &Chunk) {
        let mut events: Vec<Event<'_>> = Vec::with_capacity(chunk.event_count());
        let mut broken_stack: Vec<bool> = Vec::new();
        let mut code: Option<(String, String)> = None;
        let mut html_block: Option<String> = None;
        let mut heading_ids: Vec<String> = Vec::new();
        let mut raw_html = false;
        for (event, _) in chunk.events() {
            if let Some((lang, text)) = &mut code {
                match event {
                    Event::Text(t) => text.push_str(&t),
                    Event::End(TagEnd::CodeBlock) => {
                        events.push(Event::Html(highlight::render(lang, text).into()));
                        code = None;
                    }
                    _ => {}
                }
                continue;
            }
            if let Some(block) = &mut html_block {
                // An HTML block comes a line at a time; a tag may span lines.
                match event {
                    Event::Html(h) | Event::Text(h) => block.push_str(&h),
                    _ => {
                        let html = self.rewrite_html(&chunk.file, block);
                        events.push(Event::Html(html.into()));
                        html_block = None;
                    }
                }
                continue;
            }
            match event {
                Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                    let target = self.links.resolve(&chunk.file, &dest_url);
                    let broken = matches!(target, Target::Broken(_));
                    if let Target::Broken(why) = &target {
                        events.push(Event::InlineHtml(
                            format!("<span class=\"broken-link\" title=\"{}\">", escape(why)).into(),
                        ));
                    }
                    broken_stack.push(broken);
                    let dest_url = CowStr::from(self.href(&target, &dest_url));
                    events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                }
                Event::End(TagEnd::Link) => {
                    events.push(event);
                    if broken_stack.pop() == Some(true) {
                        events.push(Event::InlineHtml("</span>".into()));
                    }
                }
                Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                    let target = self.links.resolve(&chunk.file, &dest_url);
                    let dest = match &target {
                        Target::External(url) if !safe_url(url, true) => String::new(),
                        _ => self.href(&target, &dest_url),
                    };
                    events.push(Event::Start(Tag::Image { link_type, dest_url: dest.into(), title, id }));
                }
                Event::Start(Tag::Heading { level, id, .. }) => {
                    let raw = id.as_deref().unwrap_or_default();
                    let mut open = format!("<{level} id=\"{}\">", escape(raw));
                    for alias in self.aliases.get(raw).copied().unwrap_or_default() {
                        let _ = write!(open, "<span id=\"{}\"></span>", escape(alias));
                    }
                    events.push(Event::Html(open.into()));
                    heading_ids.push(escape(raw));
                }
                Event::End(TagEnd::Heading(level)) => {
                    let id = heading_ids.pop().unwrap_or_default();
                    events.push(Event::Html(
                        format!("<a class=\"heading-anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a></{level}>\n").into(),
                    ));
                }
                Event::FootnoteReference(label) => events.push(Event::InlineHtml(self.notes.reference(&label).into())),
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    events.push(Event::Html(self.notes.definition(&label).into()));
                }
                Event::End(TagEnd::FootnoteDefinition) => events.push(Event::Html("</div>\n".into())),
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    code = Some((lang, String::new()));
                }
                Event::Start(Tag::HtmlBlock) => {
                    raw_html = true;
                    html_block = Some(String::new());
                }
                Event::Html(html) => {
                    raw_html = true;
                    events.push(Event::Html(self.rewrite_html(&chunk.file, &html).into()));
                }
                Event::InlineHtml(html) => {
                    raw_html = true;
                    events.push(Event::InlineHtml(self.rewrite_html(&chunk.file, &html).into()));
                }
                other => events.push(other),
            }
        }
        if let Some(block) = html_block {
            events.push(Event::Html(self.rewrite_html(&chunk.file, &block).into()));
        }
        self.raw_html |= raw_html;
        pulldown_cmark::html::push_html(&mut self.out, events.into_iter());
    }

    /// Rewrites `src`/`href` attributes of raw HTML written in `file`, and gives each
    /// expandable's `<summary>` the anchor GitBook gives it.
    fn rewrite_html(&self, file: &str, html: &str) -> String {
        let html = rewrite_urls(html, |value| {
            let target = self.links.resolve(file, value);
            self.href(&target, value)
        });
        crate::markdown::html_scan::with_summary_ids(&html)
    }

    fn block(&mut self, block: &Block) {
        match &block.kind {
            BlockKind::Hint { style, body } => {
                let (style, label) = match style {
                    HintStyle::Info => ("info", "Info"),
                    HintStyle::Success => ("success", "Success"),
                    HintStyle::Warning => ("warning", "Warning"),
                    HintStyle::Danger => ("danger", "Danger"),
                };
                let open = format!("<div class=\"hint hint-{style}\" role=\"note\" aria-label=\"{label}\">");
                self.wrap(&open, "</div>\n", body);
            }
            BlockKind::Tabs(tabs) => self.tabs(tabs),
            BlockKind::Stepper(steps) => {
                self.out.push_str("<ol class=\"stepper\">\n");
                for step in steps {
                    self.out.push_str("<li class=\"step\"><div class=\"step-body\">\n");
                    self.nodes(step);
                    self.out.push_str("</div></li>\n");
                }
                self.out.push_str("</ol>\n");
            }
            BlockKind::Ref { href, body } => self.card(block, href, body),
            BlockKind::Embed { url, caption, body } => {
                let href = if safe_url(url, false) { url.as_str() } else { "" };
                let caption = caption.as_deref().unwrap_or(url);
                let open = format!(
                    "<div class=\"embed\"><a href=\"{}\" rel=\"noopener\">{}</a>",
                    escape(href),
                    escape(caption)
                );
                self.out.push_str(&open);
                self.nodes(body);
                self.out.push_str("</div>\n");
            }
            BlockKind::File { src, caption, body } => {
                let target = self.links.resolve(&block.file, src);
                let name = caption.as_deref().unwrap_or_else(|| crate::paths::file_name(src));
                let open = format!(
                    "<div class=\"file-download\"><a href=\"{}\" download>{}</a>",
                    escape(&self.href(&target, src)),
                    escape(name)
                );
                self.out.push_str(&open);
                self.nodes(body);
                self.out.push_str("</div>\n");
            }
            BlockKind::Code { title, line_numbers, wrap, body } => {
                let mut open = String::from("<div class=\"code-block");
                if *line_numbers {
                    open.push_str(" line-numbers");
                }
                if *wrap {
                    open.push_str(" wrap");
                }
                open.push_str("\">");
                if let Some(t) = title {
                    let _ = write!(open, "<div class=\"code-title\">{}</div>", escape(t));
                }
                self.wrap(&open, "</div>\n", body);
            }
            BlockKind::Api(api) => self.api(block, api),
            BlockKind::Columns(columns) => {
                self.out.push_str("<div class=\"columns\">\n");
                for column in columns {
                    self.out.push_str("<div class=\"column\">\n");
                    self.nodes(column);
                    self.out.push_str("</div>\n");
                }
                self.out.push_str("</div>\n");
            }
            BlockKind::Updates(updates) => {
                self.out.push_str("<div class=\"updates\">\n");
                for update in updates {
                    let open =
                        format!("<section class=\"update\"><p class=\"update-date\">{}</p>", escape(&update.date));
                    self.wrap(&open, "</section>\n", &update.body);
                }
                self.out.push_str("</div>\n");
            }
            BlockKind::Integration { name, url } => {
                let href = if safe_url(url, false) { url.as_str() } else { "" };
                let _ = writeln!(
                    self.out,
                    "<a class=\"content-ref integration\" href=\"{}\" rel=\"noopener\"><span class=\"content-ref-title\">{}</span><span class=\"integration-name\">{}</span></a>",
                    escape(href),
                    escape(url),
                    escape(name.trim_start_matches('@'))
                );
            }
            BlockKind::Unknown { body } => self.nodes(body),
        }
    }

    fn wrap(&mut self, open: &str, close: &str, body: &[Node]) {
        self.out.push_str(open);
        self.out.push('\n');
        self.nodes(body);
        self.out.push_str(close);
    }

    fn api(&mut self, block: &Block, api: &Api) {
        let op = openapi::operation(api, self.links, &block.file);
        self.raw_html |= openapi::has_raw_html(&op);
        self.out.push_str(&openapi::html(&op));
        for example in &api.examples {
            let open = format!(
                "<div class=\"openapi-example\"><p class=\"openapi-example-status\">Response <code>{}</code></p>",
                escape(&example.status)
            );
            self.wrap(&open, "</div>\n", &example.body);
        }
        self.nodes(&api.body);
    }

    fn tabs(&mut self, tabs: &[Tab]) {
        self.tabs += 1;
        let n = self.tabs;
        self.out.push_str("<div class=\"tabs\">\n<div class=\"tab-list\" role=\"tablist\">");
        for (i, tab) in tabs.iter().enumerate() {
            let selected = i == 0;
            let _ = write!(
                self.out,
                "<button type=\"button\" role=\"tab\" id=\"tab-{n}-{i}\" aria-controls=\"panel-{n}-{i}\" aria-selected=\"{selected}\" tabindex=\"{}\">{}</button>",
                if selected { 0 } else { -1 },
                escape(&tab.title)
            );
        }
        self.out.push_str("</div>\n");
        for (i, tab) in tabs.iter().enumerate() {
            let hidden = if i == 0 { "" } else { " hidden" };
            let _ = writeln!(self.out, "<div class=\"tab-panel\" role=\"tabpanel\" id=\"panel-{n}-{i}\" aria-labelledby=\"tab-{n}-{i}\" tabindex=\"0\"{hidden}>");
            self.nodes(&tab.body);
            self.out.push_str("</div>\n");
        }
        self.out.push_str("</div>\n");
    }

    fn card(&mut self, block: &Block, href: &str, body: &[Node]) {
        let target = self.links.resolve(&block.file, href);
        let title = match &target {
            Target::Page { url, .. } => self.links.page_title(url).map(str::to_string),
            _ => None,
        };
        let title = title.or_else(|| link_text(body)).unwrap_or_else(|| href.to_string());
        let broken = if matches!(target, Target::Broken(_)) { " broken-link" } else { "" };
        let _ = writeln!(
            self.out,
            "<a class=\"content-ref{broken}\" href=\"{}\"><span class=\"content-ref-title\">{}</span></a>",
            escape(&self.href(&target, href)),
            escape(&title)
        );
    }
}

/// The text of the first link inside a block's Markdown (content-ref bodies).
pub fn link_text(body: &[Node]) -> Option<String> {
    let mut found = None;
    super::for_each_chunk(body, &mut |chunk| {
        if found.is_some() {
            return;
        }
        let events = chunk.event_list();
        if let Some(i) = events.iter().position(|(e, _)| matches!(e, Event::Start(Tag::Link { .. }))) {
            let text = super::inline_text(&events[i + 1..]);
            if !text.is_empty() {
                found = Some(text);
            }
        }
    });
    found
}

#[cfg(test)]
mod tests {
    use super::super::testing::{doc, FakeLinks};
    use super::*;

    fn html(body: &str, url: &str) -> String {
        render(&doc(body), &FakeLinks::new(), url, Some(&Sanitizer::default()))
    }

    #[test]
    fn links_become_relative_page_urls() {
        let out = html("see [X](x.md#part) and [web](https://e.com) and ![i](img.png)", "a/b");
        assert!(out.contains("href=\"../../x/#part\""), "{out}");
        assert!(out.contains("href=\"https://e.com\""), "{out}");
        assert!(out.contains("src=\"../../img.png\""), "{out}");
    }

    #[test]
    fn broken_links_are_marked() {
        let out = html("[gone](nowhere)", "");
        assert!(out.contains("<span class=\"broken-link\""), "{out}");
    }

    #[test]
    fn headings_get_ids_and_anchors() {
        let out = html("## Set up\n\n## Own {#a\"b}\n", "");
        assert!(out.contains("<h2 id=\"set-up\">Set up<a class=\"heading-anchor\" href=\"#set-up\""), "{out}");
        assert!(!out.contains("a\"b"), "{out}");
        let out = html("## 1. First step\n\n## Plain words\n", "");
        assert!(
            out.contains("<h2 id=\"1-first-step\"><span id=\"id-1.-first-step\"></span>1. First step"),
            "links written in GitBook land on the heading: {out}"
        );
        assert!(out.contains("<h2 id=\"plain-words\">Plain words"), "{out}");
    }

    #[test]
    fn hint_tabs_and_stepper_render() {
        let out = html("{% hint style=\"warning\" %}\nCareful\n{% endhint %}\n\n{% tabs %}\n{% tab title=\"A\" %}\none\n{% endtab %}\n{% tab title=\"B\" %}\ntwo\n{% endtab %}\n{% endtabs %}\n\n{% stepper %}\n{% step %}\nfirst\n{% endstep %}\n{% endstepper %}\n", "");
        assert!(out.contains("<div class=\"hint hint-warning\" role=\"note\""), "{out}");
        assert!(
            out.contains("role=\"tab\" id=\"tab-1-1\" aria-controls=\"panel-1-1\" aria-selected=\"false\""),
            "{out}"
        );
        assert!(out.contains("id=\"panel-1-1\" aria-labelledby=\"tab-1-1\" tabindex=\"0\" hidden>"), "{out}");
        assert!(out.contains("<ol class=\"stepper\">\n<li class=\"step\">"), "{out}");
        assert!(!out.contains("{%"), "{out}");
    }

    #[test]
    fn content_ref_is_a_card_with_the_page_title() {
        let out = html("{% content-ref url=\"x.md\" %}\n[x](x.md)\n{% endcontent-ref %}\n", "");
        assert!(
            out.contains("<a class=\"content-ref\" href=\"x/\"><span class=\"content-ref-title\">Page X</span></a>"),
            "{out}"
        );
    }

    #[test]
    fn raw_html_figures_get_rewritten_sources() {
        let out = html("<figure><img src=\"img.png\" alt=\"\"><figcaption><p>Cap</p></figcaption></figure>\n", "a");
        assert!(out.contains("<img src=\"../img.png\""), "{out}");
        let multi_line = html("<div>\n<img\n  src=\"img.png\">\n</div>\n", "a");
        assert!(multi_line.contains("src=\"../img.png\""), "{multi_line}");
    }

    #[test]
    fn the_markup_of_blocks_survives_the_sanitiser() {
        let body = "<details>\n<summary>More</summary>\n\n{% tabs %}\n{% tab title=\"A\" %}\none\n{% endtab %}\n{% tab title=\"B\" %}\ntwo\n{% endtab %}\n{% endtabs %}\n\n{% file src=\"img.png\" %}\n\n{% stepper %}\n{% step %}\ns\n{% endstep %}\n{% endstepper %}\n\n</details>\n";
        let trusted = render(&doc(body), &FakeLinks::new(), "", None);
        let cleaned = html(body, "");
        // The sanitiser writes boolean attributes as `hidden=""`, which means the same.
        let same = |h: &str| {
            h.replace("<details>\n<summary id=\"more\">More</summary>\n", "")
                .replace("</details>\n", "")
                .replace("=\"\"", "")
        };
        assert_eq!(same(&cleaned), same(&trusted), "only raw HTML is touched");
        assert!(
            cleaned.starts_with("<details>\n<summary id=\"more\">More</summary>")
                && cleaned.trim_end().ends_with("</details>"),
            "{cleaned}"
        );
    }

    #[test]
    fn raw_html_is_sanitised_unless_trusted() {
        let body = "<img src=\"img.png\" onerror=\"steal()\">\n\n<script>steal()</script>\n\n[x](javascript:steal()) <a href=\"javascript:steal()\">y</a> ![i](javascript:steal())\n\n- [x] done\n";
        let out = html(body, "");
        assert!(!out.contains("steal()"), "{out}");
        assert!(out.contains("<img src=\"img.png\">") && out.contains("checkbox"), "{out}");
        let trusted = render(&doc(body), &FakeLinks::new(), "", None);
        assert!(trusted.contains("<script>steal()</script>"), "{trusted}");
        assert!(!trusted.contains("href=\"javascript"), "Markdown links never run scripts: {trusted}");
    }

    #[test]
    fn code_block_with_title_and_highlighting() {
        let out =
            html("{% code title=\"main.rs\" lineNumbers=\"true\" %}\n```rust\nfn main() {}\n```\n{% endcode %}\n", "");
        assert!(
            out.contains("<div class=\"code-block line-numbers\"><div class=\"code-title\">main.rs</div>"),
            "{out}"
        );
        assert!(out.contains("<span class=\"tok-k\">fn</span>"), "{out}");
    }

    #[test]
    fn integration_blocks_are_cards() {
        let out = html("{% @github-files/github-code-block url=\"https://github.com/o/r/blob/main/a.rs\" %}\n", "");
        assert!(out.contains("href=\"https://github.com/o/r/blob/main/a.rs\""), "{out}");
        assert!(out.contains("github-files/github-code-block"), "{out}");
    }
}
