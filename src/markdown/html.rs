//! HTML rendering of a parsed page: Markdown chunks through pulldown-cmark's HTML
//! writer (links rewritten relative to the page, headings with anchors, code
//! highlighted at build time) and GitBook blocks as theme components.
//!
//! Takes a `Doc`, the site's `Links` and the page's clean URL; gives the body HTML.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::{highlight, openapi, Block, Chunk, Doc, Kind, Links, Node, Target};
use crate::paths;

/// Renders the body of `doc`, to be placed in the page at clean URL `page_url`.
pub fn render(doc: &Doc, links: &dyn Links, page_url: &str) -> String {
    let mut r = Renderer { links, prefix: paths::root_prefix(page_url), tabs: 0, out: String::new() };
    r.nodes(&doc.nodes);
    r.out
}

struct Renderer<'a> {
    links: &'a dyn Links,
    prefix: String,
    tabs: usize,
    out: String,
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_into(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped for HTML text and attribute values.
pub fn escape_into(out: &mut String, text: &str) {
    let mut run = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[run..i]);
        out.push_str(entity);
        run = i + 1;
    }
    out.push_str(&text[run..]);
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
            Target::Broken(_) => original.to_string(),
        }
    }

    fn chunk(&mut self, chunk: &Chunk) {
        let mut events: Vec<Event<'_>> = Vec::with_capacity(chunk.event_count());
        let mut broken_stack: Vec<bool> = Vec::new();
        let mut code: Option<(String, String)> = None;
        for (event, _) in chunk.events() {
            let event = &event;
            if let Some((lang, text)) = &mut code {
                match event {
                    Event::Text(t) => text.push_str(t),
                    Event::End(TagEnd::CodeBlock) => {
                        events.push(Event::Html(highlight::render(lang, text).into()));
                        code = None;
                    }
                    _ => {}
                }
                continue;
            }
            match event {
                Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                    let target = self.links.resolve(&chunk.file, dest_url);
                    let broken = matches!(target, Target::Broken(_));
                    if let Target::Broken(why) = &target {
                        events.push(Event::InlineHtml(
                            format!("<span class=\"broken-link\" title=\"{}\">", escape(why)).into(),
                        ));
                    }
                    broken_stack.push(broken);
                    let dest = CowStr::from(self.href(&target, dest_url));
                    events.push(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: dest,
                        title: title.clone(),
                        id: id.clone(),
                    }));
                }
                Event::End(TagEnd::Link) => {
                    events.push(event.clone());
                    if broken_stack.pop() == Some(true) {
                        events.push(Event::InlineHtml("</span>".into()));
                    }
                }
                Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                    let target = self.links.resolve(&chunk.file, dest_url);
                    let dest = CowStr::from(self.href(&target, dest_url));
                    events.push(Event::Start(Tag::Image {
                        link_type: *link_type,
                        dest_url: dest,
                        title: title.clone(),
                        id: id.clone(),
                    }));
                }
                Event::Start(Tag::Heading { level, id, .. }) => {
                    let id = id.as_deref().unwrap_or_default();
                    events.push(Event::Html(format!("<{level} id=\"{}\">", escape(id)).into()));
                }
                Event::End(TagEnd::Heading(level)) => {
                    let id = open_heading_id(&events);
                    events.push(Event::Html(
                        format!("<a class=\"heading-anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a></{level}>\n").into(),
                    ));
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    code = Some((lang, String::new()));
                }
                Event::Html(html) => events.push(Event::Html(self.rewrite_html(&chunk.file, html).into())),
                Event::InlineHtml(html) => events.push(Event::InlineHtml(self.rewrite_html(&chunk.file, html).into())),
                other => events.push(other.clone()),
            }
        }
        pulldown_cmark::html::push_html(&mut self.out, events.into_iter());
    }

    /// Rewrites `src`/`href` attributes of raw HTML written in `file`.
    fn rewrite_html(&self, file: &str, html: &str) -> String {
        rewrite_attrs(html, |value| {
            let target = self.links.resolve(file, value);
            self.href(&target, value)
        })
    }

    fn block(&mut self, block: &Block) {
        let a = &block.attrs;
        match block.kind {
            Kind::Hint => {
                let style = match a.get("style").unwrap_or("info") {
                    s @ ("info" | "success" | "warning" | "danger") => s,
                    _ => "info",
                };
                let label = match style {
                    "success" => "Success",
                    "warning" => "Warning",
                    "danger" => "Danger",
                    _ => "Info",
                };
                self.wrap(
                    &format!("<div class=\"hint hint-{style}\" role=\"note\" aria-label=\"{label}\">"),
                    "</div>\n",
                    block,
                );
            }
            Kind::Tabs => self.tabs(block),
            Kind::Tab | Kind::Step | Kind::Column | Kind::SwaggerDescription | Kind::Group => {
                self.nodes(&block.children)
            }
            Kind::Stepper => {
                self.out.push_str("<ol class=\"stepper\">\n");
                for child in &block.children {
                    self.out.push_str("<li class=\"step\"><div class=\"step-body\">\n");
                    self.nodes(std::slice::from_ref(child));
                    self.out.push_str("</div></li>\n");
                }
                self.out.push_str("</ol>\n");
            }
            Kind::ContentRef | Kind::PageRef => {
                let href = a.get("url").or(a.get("page")).unwrap_or("");
                self.card(block, href);
            }
            Kind::Embed => {
                let url = a.get("url").unwrap_or("");
                let caption = a.get("caption").filter(|c| !c.is_empty()).unwrap_or(url);
                self.out.push_str(&format!(
                    "<div class=\"embed\"><a href=\"{}\" rel=\"noopener\">{}</a>",
                    escape(url),
                    escape(caption)
                ));
                self.nodes(&block.children);
                self.out.push_str("</div>\n");
            }
            Kind::File => {
                let src = a.get("src").unwrap_or("");
                let target = self.links.resolve(&block.file, src);
                let name =
                    a.get("caption").filter(|c| !c.is_empty()).unwrap_or_else(|| src.rsplit('/').next().unwrap_or(src));
                self.out.push_str(&format!(
                    "<div class=\"file-download\"><a href=\"{}\" download>{}</a>",
                    escape(&self.href(&target, src)),
                    escape(name)
                ));
                self.nodes(&block.children);
                self.out.push_str("</div>\n");
            }
            Kind::Code => {
                let mut class = String::from("code-block");
                if a.flag("lineNumbers") {
                    class.push_str(" line-numbers");
                }
                if a.get("overflow") == Some("wrap") {
                    class.push_str(" wrap");
                }
                let title = a
                    .get("title")
                    .map(|t| format!("<div class=\"code-title\">{}</div>", escape(t)))
                    .unwrap_or_default();
                self.wrap(&format!("<div class=\"{class}\">{title}"), "</div>\n", block);
            }
            Kind::OpenApi => {
                let op = openapi::operation(block, self.links);
                self.out.push_str(&openapi::html(&op));
                if block.name == "api-method" {
                    self.nodes(&block.children);
                }
            }
            Kind::SwaggerParameter | Kind::SwaggerResponse => {}
            Kind::Columns => self.wrap("<div class=\"columns\">", "</div>\n", block),
            Kind::Updates => self.wrap("<div class=\"updates\">", "</div>\n", block),
            Kind::Update => {
                let date = a.get("date").unwrap_or("");
                self.wrap(
                    &format!("<section class=\"update\"><p class=\"update-date\">{}</p>", escape(date)),
                    "</section>\n",
                    block,
                );
            }
        }
    }

    fn wrap(&mut self, open: &str, close: &str, block: &Block) {
        self.out.push_str(open);
        self.out.push('\n');
        if block.kind == Kind::Columns {
            for child in &block.children {
                self.out.push_str("<div class=\"column\">\n");
                self.nodes(std::slice::from_ref(child));
                self.out.push_str("</div>\n");
            }
        } else {
            self.nodes(&block.children);
        }
        self.out.push_str(close);
    }

    fn tabs(&mut self, block: &Block) {
        self.tabs += 1;
        let n = self.tabs;
        let tabs: Vec<&Block> = block
            .children
            .iter()
            .filter_map(|c| match c {
                Node::Block(b) if b.kind == Kind::Tab => Some(b),
                _ => None,
            })
            .collect();
        self.out.push_str("<div class=\"tabs\">\n<div class=\"tab-list\" role=\"tablist\">");
        for (i, tab) in tabs.iter().enumerate() {
            let title = tab.attrs.get("title").unwrap_or("Tab");
            let selected = i == 0;
            self.out.push_str(&format!(
                "<button type=\"button\" role=\"tab\" id=\"tab-{n}-{i}\" aria-controls=\"panel-{n}-{i}\" aria-selected=\"{selected}\" tabindex=\"{}\">{}</button>",
                if selected { 0 } else { -1 },
                escape(title)
            ));
        }
        self.out.push_str("</div>\n");
        for (i, tab) in tabs.iter().enumerate() {
            let hidden = if i == 0 { "" } else { " hidden" };
            self.out.push_str(&format!("<div class=\"tab-panel\" role=\"tabpanel\" id=\"panel-{n}-{i}\" aria-labelledby=\"tab-{n}-{i}\" tabindex=\"0\"{hidden}>\n"));
            self.nodes(&tab.children);
            self.out.push_str("</div>\n");
        }
        self.out.push_str("</div>\n");
    }

    fn card(&mut self, block: &Block, href: &str) {
        let target = self.links.resolve(&block.file, href);
        let title = match &target {
            Target::Page { url, .. } => self.links.page_title(url).map(str::to_string),
            _ => None,
        };
        let title = title.or_else(|| link_text(block)).unwrap_or_else(|| href.to_string());
        let broken = if matches!(target, Target::Broken(_)) { " broken-link" } else { "" };
        self.out.push_str(&format!(
            "<a class=\"content-ref{broken}\" href=\"{}\"><span class=\"content-ref-title\">{}</span></a>\n",
            escape(&self.href(&target, href)),
            escape(&title)
        ));
    }
}

/// The id of the heading whose opening tag was pushed last.
fn open_heading_id(events: &[Event<'_>]) -> String {
    events
        .iter()
        .rev()
        .find_map(|e| match e {
            Event::Html(h) if h.starts_with("<h") && h.contains(" id=\"") => {
                h.split("id=\"").nth(1).and_then(|s| s.split('"').next()).map(str::to_string)
            }
            _ => None,
        })
        .unwrap_or_default()
}

/// The text of the first link inside a block's Markdown (content-ref bodies).
pub fn link_text(block: &Block) -> Option<String> {
    let mut found = None;
    super::for_each_chunk(&block.children, &mut |chunk| {
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

/// Applies `f` to the value of every `src=` and `href=` attribute in `html`.
pub fn rewrite_attrs(html: &str, mut f: impl FnMut(&str) -> String) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(pos) = find_attr(rest) {
        let (before, after) = rest.split_at(pos);
        let eq = after.find('=').expect("attribute has =");
        out.push_str(before);
        out.push_str(&after[..=eq]);
        let value_part = &after[eq + 1..];
        let quote = value_part.chars().next().filter(|c| *c == '"' || *c == '\'');
        match quote.and_then(|q| value_part[1..].find(q).map(|end| (q, end))) {
            Some((q, end)) => {
                let value = &value_part[1..1 + end];
                out.push(q);
                out.push_str(&escape(&f(&decode_entities(value))));
                out.push(q);
                rest = &value_part[end + 2..];
            }
            None => rest = value_part,
        }
    }
    out.push_str(rest);
    out
}

fn find_attr(html: &str) -> Option<usize> {
    let lower = html.to_ascii_lowercase();
    [" src=", " href=", "\nsrc=", "\nhref="].iter().filter_map(|p| lower.find(p).map(|i| i + 1)).min()
}

fn decode_entities(value: &str) -> String {
    value.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'")
}

#[cfg(test)]
mod tests {
    use super::super::testing::{doc, FakeLinks};
    use super::*;

    fn html(body: &str, url: &str) -> String {
        render(&doc(body), &FakeLinks::new(), url)
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
        let out = html("## Set up\n", "");
        assert!(out.contains("<h2 id=\"set-up\">Set up<a class=\"heading-anchor\" href=\"#set-up\""), "{out}");
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
}
