//! The Markdown twin: a page as plain Markdown for agents. Chunks keep the writer's
//! own Markdown (source slices), with links made absolute `.md` URLs, raw HTML turned
//! into Markdown and GitBook blocks into their plain-Markdown equivalents.
//!
//! Takes a `Doc`, the site's `Links` and the URL prefix (`""` or the base URL); gives
//! the body in parts, one per section, so the index can store each section's
//! Markdown.

use pulldown_cmark::{Event, Tag};

use super::{
    blocks, heading_at, matching_end, openapi, splits_inside, Block, Chunk, Doc, Heading, Kind, Links, Node, Target,
};
use crate::paths;

/// One section of the twin: the Markdown under one heading.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The heading that opens it; `None` for the text before the first heading.
    pub heading: Option<Heading>,
    /// Its Markdown, heading line included.
    pub markdown: String,
}

/// Renders the body of `doc` as Markdown parts.
pub fn render(doc: &Doc, links: &dyn Links, base: &str) -> Vec<Part> {
    let mut twin = Twin { links, base, split: true, parts: vec![Part { heading: None, markdown: String::new() }] };
    twin.nodes(&doc.nodes);
    for part in &mut twin.parts {
        part.markdown = format!("{}\n", single_blank_lines(part.markdown.trim_start_matches('\n').trim_end()));
    }
    twin.parts
}

/// Joins parts into one body.
pub fn join(parts: &[Part]) -> String {
    let mut out = String::new();
    for p in parts {
        if p.markdown.trim().is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&p.markdown);
    }
    out
}

struct Twin<'a> {
    links: &'a dyn Links,
    base: &'a str,
    split: bool,
    parts: Vec<Part>,
}

impl Twin<'_> {
    fn push(&mut self, text: &str) {
        self.parts.last_mut().expect("one part").markdown.push_str(text);
    }

    /// Ends the current text with exactly one blank line.
    fn separate(&mut self) {
        let md = &mut self.parts.last_mut().expect("one part").markdown;
        let trimmed = md.trim_end_matches(['\n', ' ']).len();
        md.truncate(trimmed);
        if !md.is_empty() {
            md.push_str("\n\n");
        }
    }

    /// Renders `nodes` on their own, without splitting, and returns the Markdown.
    fn inner(&self, nodes: &[Node]) -> String {
        let mut twin = Twin {
            links: self.links,
            base: self.base,
            split: false,
            parts: vec![Part { heading: None, markdown: String::new() }],
        };
        twin.nodes(nodes);
        single_blank_lines(twin.parts.remove(0).markdown.trim())
    }

    fn nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            match node {
                Node::Markdown(chunk) => self.chunk(chunk),
                Node::Block(block) => {
                    let split = self.split;
                    self.split = split && splits_inside(block.kind);
                    self.block(block);
                    self.split = split;
                }
            }
            self.separate();
        }
    }

    /// The absolute URL for an internal link, `None` to keep it as written.
    fn absolute(&self, file: &str, href: &str) -> Option<String> {
        match self.links.resolve(file, href) {
            Target::Page { url, anchor } => {
                let mut out = format!("{}{}", self.base, paths::encode_href(&paths::twin_url(&url)));
                if let Some(a) = anchor {
                    out.push('#');
                    out.push_str(&a);
                }
                Some(out)
            }
            Target::Asset(path) => Some(format!("{}/{}", self.base, paths::encode_href(&path))),
            Target::Anchor(_) | Target::External(_) | Target::Broken(_) => None,
        }
    }

    fn chunk(&mut self, c: &Chunk) {
        let src = c.source.as_str();
        let ev = &c.event_list();
        let mut pos = c.start;
        let mut i = 0;
        while i < ev.len() {
            let (event, range) = &ev[i];
            match event {
                Event::Start(Tag::Heading { .. }) if self.split => {
                    self.push(&src[pos..range.start]);
                    pos = range.start;
                    self.parts.push(Part { heading: heading_at(ev, i), markdown: String::new() });
                }
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    let end = matching_end(ev, i);
                    if let Some(url) = self.absolute(&c.file, dest_url) {
                        let text = if end > i + 1 { &src[ev[i + 1].1.start..ev[end - 1].1.end] } else { "" };
                        let bang = if matches!(event, Event::Start(Tag::Image { .. })) { "!" } else { "" };
                        self.push(&src[pos..range.start]);
                        self.push(&format!("{bang}[{text}]({url})"));
                        pos = range.end;
                        i = end + 1;
                        continue;
                    }
                }
                Event::Start(Tag::HtmlBlock) => {
                    let end = matching_end(ev, i);
                    let html: String = ev[i..end]
                        .iter()
                        .filter_map(|(e, _)| match e {
                            Event::Html(h) => Some(h.as_ref()),
                            _ => None,
                        })
                        .collect();
                    self.push(&src[pos..range.start]);
                    self.push(&html_to_markdown(&html, &|href| self.absolute(&c.file, href)));
                    self.push("\n");
                    pos = range.end.max(ev[end].1.end);
                    i = end + 1;
                    continue;
                }
                Event::InlineHtml(html) => {
                    self.push(&src[pos..range.start]);
                    self.push(&html_to_markdown(html, &|href| self.absolute(&c.file, href)));
                    pos = range.end;
                }
                Event::Text(t) if src[range.clone()].starts_with('&') && t.trim().is_empty() => {
                    self.push(&src[pos..range.start]);
                    self.push(" ");
                    pos = range.end;
                }
                _ => {}
            }
            i += 1;
        }
        self.push(&src[pos.min(src.len())..]);
    }

    fn block(&mut self, block: &Block) {
        let a = &block.attrs;
        match block.kind {
            Kind::Hint => {
                let label = match a.get("style").unwrap_or("info") {
                    "success" => "TIP",
                    "warning" => "WARNING",
                    "danger" => "CAUTION",
                    _ => "NOTE",
                };
                let body = self.inner(&block.children);
                let mut out = format!("> [!{label}]\n");
                for line in body.lines() {
                    out.push_str(if line.is_empty() { ">" } else { "> " });
                    out.push_str(line);
                    out.push('\n');
                }
                self.push(&out);
            }
            Kind::Tab => {
                self.push(&format!("**{}**\n\n", a.get("title").unwrap_or("Tab")));
                self.nodes(&block.children);
            }
            Kind::Stepper => {
                for (n, step) in block.children.iter().enumerate() {
                    if !starts_with_heading(step) {
                        self.push(&format!("**Step {}**\n\n", n + 1));
                    }
                    self.nodes(std::slice::from_ref(step));
                }
            }
            Kind::ContentRef | Kind::PageRef => {
                let href = a.get("url").or(a.get("page")).unwrap_or("");
                let title = match self.links.resolve(&block.file, href) {
                    Target::Page { url, .. } => self.links.page_title(&url).map(str::to_string),
                    _ => None,
                }
                .or_else(|| super::html::link_text(block))
                .unwrap_or_else(|| href.to_string());
                let url = self.absolute(&block.file, href).unwrap_or_else(|| href.to_string());
                self.push(&format!("[{title}]({url})\n"));
            }
            Kind::Embed => {
                let url = a.get("url").unwrap_or("");
                let caption = a.get("caption").filter(|c| !c.is_empty()).unwrap_or(url);
                self.push(&format!("[{caption}]({url})\n\n"));
                self.nodes(&block.children);
            }
            Kind::File => {
                let src = a.get("src").unwrap_or("");
                let name =
                    a.get("caption").filter(|c| !c.is_empty()).unwrap_or_else(|| src.rsplit('/').next().unwrap_or(src));
                let url = self.absolute(&block.file, src).unwrap_or_else(|| src.to_string());
                self.push(&format!("[{name}]({url})\n\n"));
                self.nodes(&block.children);
            }
            Kind::Code => {
                if let Some(title) = a.get("title") {
                    self.push(&format!("**{title}**\n\n"));
                }
                self.nodes(&block.children);
            }
            Kind::OpenApi => {
                let op = openapi::operation(block, self.links);
                self.push(&openapi::markdown(&op));
                if block.name == "api-method" {
                    self.nodes(&block.children);
                }
            }
            Kind::Update => {
                self.push(&format!("**{}**\n\n", a.get("date").unwrap_or("")));
                self.nodes(&block.children);
            }
            Kind::SwaggerDescription | Kind::SwaggerParameter | Kind::SwaggerResponse => {}
            Kind::Tabs | Kind::Step | Kind::Columns | Kind::Column | Kind::Updates | Kind::Group => {
                self.nodes(&block.children)
            }
        }
    }
}

/// Collapses runs of blank lines outside fenced code into one. Blocks and raw HTML
/// end with a blank line and the writer's own blank lines follow them, so runs occur.
fn single_blank_lines(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut fence = None;
    let mut previous_blank = false;
    for line in markdown.split_inclusive('\n') {
        if let Some(f) = fence {
            if blocks::closes_fence(line, f) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        let blank = line.trim().is_empty();
        if blank && previous_blank {
            continue;
        }
        previous_blank = blank;
        fence = blocks::opens_fence(line);
        out.push_str(line);
    }
    out
}

fn starts_with_heading(node: &Node) -> bool {
    match node {
        Node::Markdown(c) => matches!(c.events().next(), Some((Event::Start(Tag::Heading { .. }), _))),
        Node::Block(b) => b.children.first().is_some_and(starts_with_heading),
    }
}

/// Turns raw HTML (figures, details, card tables, `<mark>`) into Markdown.
pub fn html_to_markdown(html: &str, absolute: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut links: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&decode(&rest[..open]));
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let attr = |key: &str| attribute(tag, key);
        let url = |v: String| absolute(&v).unwrap_or(v);
        match (name.as_str(), closing) {
            ("img", _) => {
                let src = attr("src").map(url).unwrap_or_default();
                out.push_str(&format!("![{}]({src})", attr("alt").unwrap_or_default()));
            }
            ("a", false) => {
                links.push(attr("href").map(url).unwrap_or_default());
                out.push('[');
            }
            ("a", true) => out.push_str(&format!("]({})", links.pop().unwrap_or_default())),
            ("br", _) => out.push('\n'),
            ("summary", false) | ("strong", _) | ("b", _) => out.push_str("**"),
            ("summary", true) => out.push_str("**\n\n"),
            ("figcaption", false) => out.push_str("\n\n*"),
            ("figcaption", true) => {
                let end = out.trim_end().len();
                out.truncate(end);
                out.push('*');
            }
            ("em", _) | ("i", _) => out.push('*'),
            ("code", _) => out.push('`'),
            ("td" | "th", true) => out.push(' '),
            ("p" | "div" | "tr" | "li" | "details" | "figure" | "table" | "h1" | "h2" | "h3" | "h4", true) => {
                out.push('\n')
            }
            _ => {}
        }
    }
    out.push_str(&decode(rest));
    collapse_blank_lines(out.trim())
}

fn attribute(tag: &str, key: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    for quote in ['"', '\''] {
        let needle = format!(" {key}={quote}");
        if let Some(start) = lower.find(&needle) {
            let from = start + needle.len();
            let end = tag[from..].find(quote)?;
            return Some(decode(&tag[from..from + end]));
        }
    }
    None
}

fn decode(text: &str) -> String {
    text.replace("&#x20;", " ")
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn collapse_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{doc, FakeLinks};
    use super::*;

    fn twin(body: &str) -> String {
        join(&render(&doc(body), &FakeLinks::new(), ""))
    }

    #[test]
    fn keeps_markdown_and_makes_links_absolute() {
        let out = twin("# Title\n\nSee [the *x* page](x.md#a) and [web](https://e.com).\n\n![pic](img.png)\n");
        assert_eq!(out, "See [the *x* page](/x.md#a) and [web](https://e.com).\n\n![pic](/img.png)\n");
    }

    #[test]
    fn splits_into_parts_at_headings() {
        let parts = render(&doc("intro\n\n## One\n\ntext\n\n## Two\n\nmore\n"), &FakeLinks::new(), "");
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[1].heading.as_ref().unwrap().id, "one");
        assert_eq!(parts[1].markdown, "## One\n\ntext\n");
    }

    #[test]
    fn blocks_become_plain_markdown() {
        let out = twin("{% hint style=\"warning\" %}\nKeep it **secret**.\n\nReally.\n{% endhint %}\n\n{% tabs %}\n{% tab title=\"curl\" %}\n```\ncurl x\n```\n{% endtab %}\n{% endtabs %}\n\n{% content-ref url=\"x.md\" %}\n[x](x.md)\n{% endcontent-ref %}\n\n{% embed url=\"https://v.io/1\" %}\n");
        assert!(out.contains("> [!WARNING]\n> Keep it **secret**.\n>\n> Really.\n"), "{out}");
        assert!(out.contains("**curl**\n\n```\ncurl x\n```\n"), "{out}");
        assert!(out.contains("[Page X](/x.md)\n"), "{out}");
        assert!(out.contains("[https://v.io/1](https://v.io/1)"), "{out}");
        assert!(!out.contains("{%"), "{out}");
    }

    #[test]
    fn blank_line_runs_collapse_outside_code_only() {
        let out = twin("{% tabs %}\n{% tab title=\"A\" %}\none\n{% endtab %}\n{% endtabs %}\n\nafter\n\n<details>\n\n<summary>Q</summary>\n\nA\n\n</details>\n\n```\ncode\n\n\nmore\n```\n");
        assert!(out.contains("one\n\nafter\n"), "{out}");
        assert!(out.contains("**Q**\n\nA\n"), "{out}");
        assert!(!out.replace("code\n\n\nmore", "").contains("\n\n\n"), "{out}");
        assert!(out.contains("```\ncode\n\n\nmore\n```"), "{out}");
    }

    #[test]
    fn figures_and_entities_become_markdown() {
        let out = twin("Step one.&#x20;\n\n<figure><img src=\"img.png\" alt=\"Wizard\"><figcaption><p>The wizard</p></figcaption></figure>\n");
        assert!(out.contains("Step one. \n"), "{out}");
        assert!(out.contains("![Wizard](/img.png)\n\n*The wizard*"), "{out}");
    }
}
