//! Sections: a page split at its headings, each as the Markdown of the twin and as
//! the plain text of the index, from one walk of the tree. Chunks keep the writer's
//! own Markdown (source slices) with links made absolute `.md` URLs and raw HTML
//! turned into Markdown; GitBook blocks become their plain-Markdown equivalents and
//! their text.
//!
//! Takes a `Doc`, the site's `Links` and the URL prefix (`""` or the base URL); gives
//! one `Section` per heading that starts a section, plus the text before the first.

mod chunk;
mod raw_html;

use super::blocks::{Api, Block, BlockKind, HintStyle};
use super::{openapi, Doc, Heading, Links, Node, Target};

/// One section of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The heading that opens it; `None` for the text before the first heading.
    pub heading: Option<Heading>,
    /// Its Markdown for the twin, heading line included.
    pub markdown: String,
    /// Its plain text for the index, heading left out; blocks separated by newlines.
    pub text: String,
}

impl Section {
    fn new(heading: Option<Heading>) -> Self {
        Section { heading, markdown: String::new(), text: String::new() }
    }
}

/// Splits `doc` into sections; `base` prefixes the absolute URLs of the twin.
pub fn sections(doc: &Doc, links: &dyn Links, base: &str) -> Vec<Section> {
    let mut walker = Walker { links, base, split: true, sections: vec![Section::new(None)] };
    walker.nodes(&doc.nodes);
    for s in &mut walker.sections {
        s.markdown = format!("{}\n", chunk::single_blank_lines(s.markdown.trim_start_matches('\n').trim_end()));
    }
    walker.sections
}

/// Joins the sections' Markdown into the twin's body.
pub fn join(sections: &[Section]) -> String {
    let mut out = String::new();
    for s in sections {
        if s.markdown.trim().is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&s.markdown);
    }
    out
}

struct Walker<'a> {
    links: &'a dyn Links,
    base: &'a str,
    /// Headings start new sections (not inside a block that frames its content).
    split: bool,
    sections: Vec<Section>,
}

impl Walker<'_> {
    fn push_md(&mut self, text: &str) {
        self.sections.last_mut().expect("one section").markdown.push_str(text);
    }

    fn push_text(&mut self, text: &str) {
        self.sections.last_mut().expect("one section").text.push_str(text);
    }

    /// Ends a node: exactly one blank line after its Markdown, a newline after its text.
    fn end_node(&mut self) {
        let section = self.sections.last_mut().expect("one section");
        let md = &mut section.markdown;
        let trimmed = md.trim_end_matches(['\n', ' ']).len();
        md.truncate(trimmed);
        if !md.is_empty() {
            md.push_str("\n\n");
        }
        section.text.push('\n');
    }

    /// Walks `nodes` on their own, without splitting: their Markdown and text.
    fn inner(&self, nodes: &[Node]) -> (String, String) {
        let mut walker =
            Walker { links: self.links, base: self.base, split: false, sections: vec![Section::new(None)] };
        walker.nodes(nodes);
        let section = walker.sections.remove(0);
        (chunk::single_blank_lines(section.markdown.trim()), section.text)
    }

    fn nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            match node {
                Node::Markdown(c) => self.chunk(c),
                Node::Block(block) => {
                    let split = self.split;
                    self.split = split && block.kind.splits_inside();
                    self.block(block);
                    self.split = split;
                }
            }
            self.end_node();
        }
    }

    /// An item of a block (a tab, a step): an optional label, its content.
    fn item(&mut self, label: Option<&str>, text: &str, body: &[Node]) {
        if let Some(label) = label {
            self.push_md(&format!("**{label}**\n\n"));
        }
        self.push_text(text);
        self.nodes(body);
        self.end_node();
    }

    fn block(&mut self, block: &Block) {
        match &block.kind {
            BlockKind::Hint { style, body } => {
                let label = match style {
                    HintStyle::Info => "NOTE",
                    HintStyle::Success => "TIP",
                    HintStyle::Warning => "WARNING",
                    HintStyle::Danger => "CAUTION",
                };
                let (md, text) = self.inner(body);
                let mut out = format!("> [!{label}]\n");
                for line in md.lines() {
                    out.push_str(if line.is_empty() { ">" } else { "> " });
                    out.push_str(line);
                    out.push('\n');
                }
                self.push_md(&out);
                self.push_text(&text);
            }
            BlockKind::Tabs(tabs) => {
                for tab in tabs {
                    self.item(Some(&tab.title), &format!("{}\n", tab.title), &tab.body);
                }
            }
            BlockKind::Stepper(steps) => {
                for (n, step) in steps.iter().enumerate() {
                    let label = (!starts_with_heading(step)).then(|| format!("Step {}", n + 1));
                    self.item(label.as_deref(), "", step);
                }
            }
            BlockKind::Columns(columns) => columns.iter().for_each(|c| self.item(None, "", c)),
            BlockKind::Updates(updates) => {
                for u in updates {
                    self.item(Some(&u.date), &format!("{}\n", u.date), &u.body);
                }
            }
            BlockKind::Ref { href, body } => {
                let target = self.links.resolve(&block.file, href);
                let page_title = match &target {
                    Target::Page { url, .. } => self.links.page_title(url).map(str::to_string),
                    _ => None,
                };
                let title = page_title.clone().or_else(|| super::html::link_text(body)).unwrap_or_else(|| href.clone());
                let url = match self.absolute(&target) {
                    Some(url) => url,
                    None if super::markup::safe_url(href, false) => href.clone(),
                    None => String::new(),
                };
                self.push_md(&format!("[{title}]({url})\n"));
                self.push_text(&page_title.unwrap_or_default());
            }
            BlockKind::Embed { url, caption, body } => {
                let shown = caption.as_deref().unwrap_or(url);
                self.push_md(&format!("[{shown}]({})\n\n", chunk::safe_or_empty(url)));
                self.push_text(caption.as_deref().unwrap_or(""));
                self.nodes(body);
            }
            BlockKind::File { src, caption, body } => {
                let name = caption.as_deref().unwrap_or_else(|| crate::paths::file_name(src));
                let target = self.links.resolve(&block.file, src);
                let url = self.absolute(&target).unwrap_or_else(|| chunk::safe_or_empty(src).to_string());
                self.push_md(&format!("[{name}]({url})\n\n"));
                self.push_text(caption.as_deref().unwrap_or(""));
                self.nodes(body);
            }
            BlockKind::Code { title, body, .. } => {
                if let Some(title) = title {
                    self.push_md(&format!("**{title}**\n\n"));
                }
                self.nodes(body);
            }
            BlockKind::Api(api) => self.api(block, api),
            BlockKind::Integration { url, .. } => {
                let url = chunk::safe_or_empty(url);
                self.push_md(&format!("[{url}]({url})\n"));
            }
            BlockKind::Unknown { body } => self.nodes(body),
        }
    }

    fn api(&mut self, block: &Block, api: &Api) {
        let op = openapi::operation(api, self.links, &block.file);
        self.push_md(&openapi::markdown(&op));
        self.push_text(&openapi::text(&op));
        self.end_node();
        for example in &api.examples {
            let label = format!("Response `{}`", example.status);
            self.item(Some(&label), &format!("{}\n", example.status), &example.body);
        }
        self.nodes(&api.body);
    }

    /// The absolute twin URL of a page or asset; `None` for other targets.
    fn absolute(&self, target: &Target) -> Option<String> {
        match target {
            Target::Page { url, anchor } => {
                let mut out = format!("{}{}", self.base, crate::paths::encode_href(&crate::paths::twin_url(url)));
                if let Some(a) = anchor {
                    out.push('#');
                    out.push_str(a);
                }
                Some(out)
            }
            Target::Asset(path) => Some(format!("{}/{}", self.base, crate::paths::encode_href(path))),
            Target::Anchor(_) | Target::External(_) | Target::Broken(_) => None,
        }
    }
}

fn starts_with_heading(nodes: &[Node]) -> bool {
    match nodes.first() {
        Some(Node::Markdown(c)) => {
            matches!(c.events().next(), Some((pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading { .. }), _)))
        }
        Some(Node::Block(b)) => b.kind.bodies().first().is_some_and(|body| starts_with_heading(body)),
        None => false,
    }
}

#[cfg(test)]
mod tests;
