//! GitBook blocks: the typed tree of a page. `names` knows every block name, `tags`
//! finds the `{% … %}` tags, `tree` nests them (leniently, as GitBook shows flawed
//! pages, and within fixed bounds),
//! `typed` turns each block into what it is: a `Hint`, `Tabs`, an `Api` card…, legacy
//! blocks mapped onto their modern equivalents. The renderers match on `BlockKind`;
//! no block is ever looked up by its name again.
//!
//! Takes a page body and the Markdown files of the project (for includes); gives the
//! `Node` tree and the warnings found on the way, each with file and line.

pub mod names;
pub mod tags;
mod tree;
mod typed;

use std::collections::BTreeMap;
use std::sync::Arc;

use super::openapi::Operation;
use super::Node;
use crate::diag::Diagnostic;
use crate::load::Source;
pub use tree::{MAX_DEPTH, MAX_EXPANSION};

/// A GitBook block where it was written.
#[derive(Debug, Clone)]
pub struct Block {
    /// What it is, with its content.
    pub kind: BlockKind,
    /// Content path of the file it is written in (links in it resolve against it).
    pub file: Arc<str>,
    /// Line of its opening tag.
    pub line: usize,
}

/// What a block is.
#[derive(Debug, Clone)]
pub enum BlockKind {
    /// `hint`: a callout.
    Hint {
        /// Its style.
        style: HintStyle,
        /// Its content.
        body: Vec<Node>,
    },
    /// `tabs` of `tab`s; also the legacy `code-tabs` of `code-tabs-item`s.
    Tabs(Vec<Tab>),
    /// `stepper` of `step`s: each step's content.
    Stepper(Vec<Vec<Node>>),
    /// `content-ref url` / `page-ref page`: a card linking to a page.
    Ref {
        /// The link as written.
        href: String,
        /// The content (a link, whose text is a fallback title).
        body: Vec<Node>,
    },
    /// `embed url`: a link card, with an optional caption body.
    Embed {
        /// What is embedded.
        url: String,
        /// Its caption attribute, when not empty.
        caption: Option<String>,
        /// Content written inside a closed embed.
        body: Vec<Node>,
    },
    /// `file src`: a download.
    File {
        /// The file as written.
        src: String,
        /// Its caption attribute, when not empty.
        caption: Option<String>,
        /// Content written inside.
        body: Vec<Node>,
    },
    /// `code title lineNumbers overflow` around a fence.
    Code {
        /// The title shown above the code.
        title: Option<String>,
        /// Line numbers are shown.
        line_numbers: bool,
        /// Long lines wrap.
        wrap: bool,
        /// The fence.
        body: Vec<Node>,
    },
    /// `openapi`, `openapi-operation`, `swagger`, legacy `api-method`: an operation card.
    Api(Box<Api>),
    /// `columns` of `column`s: each column's content.
    Columns(Vec<Vec<Node>>),
    /// `updates` of `update`s.
    Updates(Vec<Update>),
    /// `{% @vendor/name url="…" %}`: a card linking to what it shows.
    Integration {
        /// The integration (`@github-files/github-code-block`).
        name: String,
        /// Its URL.
        url: String,
    },
    /// A block docask does not know, a stray item, or one dropped for nesting too
    /// deep: its content is shown as is.
    Unknown {
        /// The content.
        body: Vec<Node>,
    },
}

/// The style of a hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HintStyle {
    /// `info` (also the default and any unknown style).
    Info,
    /// `success`.
    Success,
    /// `warning`.
    Warning,
    /// `danger`.
    Danger,
}

/// One tab.
#[derive(Debug, Clone)]
pub struct Tab {
    /// Its title.
    pub title: String,
    /// Its content.
    pub body: Vec<Node>,
}

/// One entry of an `updates` block.
#[derive(Debug, Clone)]
pub struct Update {
    /// Its date as written.
    pub date: String,
    /// Its content.
    pub body: Vec<Node>,
}

/// An API operation card.
#[derive(Debug, Clone, Default)]
pub struct Api {
    /// The spec file or URL (`src`) of an `openapi` block.
    pub src: Option<String>,
    /// The operation as written in the block (a local spec fills in more).
    pub op: Operation,
    /// Response examples.
    pub examples: Vec<Example>,
    /// Other content written inside the block.
    pub body: Vec<Node>,
}

/// A response example of an operation.
#[derive(Debug, Clone)]
pub struct Example {
    /// The status it is for (`200`).
    pub status: String,
    /// The example (usually a code fence).
    pub body: Vec<Node>,
}

impl BlockKind {
    /// Whether headings inside start new sections. Blocks that frame their content (a
    /// hint, a card) keep it together.
    pub fn splits_inside(&self) -> bool {
        matches!(
            self,
            BlockKind::Tabs(_)
                | BlockKind::Stepper(_)
                | BlockKind::Code { .. }
                | BlockKind::Columns(_)
                | BlockKind::Updates(_)
                | BlockKind::Unknown { .. }
        )
    }

    /// Every run of nodes inside, in document order.
    pub fn bodies(&self) -> Vec<&[Node]> {
        match self {
            BlockKind::Hint { body, .. }
            | BlockKind::Ref { body, .. }
            | BlockKind::Embed { body, .. }
            | BlockKind::File { body, .. }
            | BlockKind::Code { body, .. }
            | BlockKind::Unknown { body } => vec![body.as_slice()],
            BlockKind::Tabs(tabs) => tabs.iter().map(|t| t.body.as_slice()).collect(),
            BlockKind::Stepper(items) | BlockKind::Columns(items) => items.iter().map(Vec::as_slice).collect(),
            BlockKind::Updates(updates) => updates.iter().map(|u| u.body.as_slice()).collect(),
            BlockKind::Api(api) => {
                api.examples.iter().map(|e| e.body.as_slice()).chain(std::iter::once(api.body.as_slice())).collect()
            }
            BlockKind::Integration { .. } => Vec::new(),
        }
    }

    /// Every run of nodes inside, in document order, to change.
    pub fn bodies_mut(&mut self) -> Vec<&mut Vec<Node>> {
        match self {
            BlockKind::Hint { body, .. }
            | BlockKind::Ref { body, .. }
            | BlockKind::Embed { body, .. }
            | BlockKind::File { body, .. }
            | BlockKind::Code { body, .. }
            | BlockKind::Unknown { body } => vec![body],
            BlockKind::Tabs(tabs) => tabs.iter_mut().map(|t| &mut t.body).collect(),
            BlockKind::Stepper(items) | BlockKind::Columns(items) => items.iter_mut().collect(),
            BlockKind::Updates(updates) => updates.iter_mut().map(|u| &mut u.body).collect(),
            BlockKind::Api(api) => {
                let Api { examples, body, .. } = &mut **api;
                examples.iter_mut().map(|e| &mut e.body).chain(std::iter::once(body)).collect()
            }
            BlockKind::Integration { .. } => Vec::new(),
        }
    }

    /// The link it makes to a page or file, as written, for link checks.
    pub fn reference(&self) -> Option<&str> {
        match self {
            BlockKind::Ref { href, .. } => Some(href),
            BlockKind::File { src, .. } => Some(src),
            BlockKind::Api(api) => api.src.as_deref().filter(|s| !s.contains("://")),
            _ => None,
        }
    }
}

impl HintStyle {
    /// The style named by a `style` attribute.
    pub fn parse(name: Option<&str>) -> Self {
        match name.map(str::trim) {
            Some("success") => HintStyle::Success,
            Some("warning") => HintStyle::Warning,
            Some("danger") => HintStyle::Danger,
            _ => HintStyle::Info,
        }
    }
}

/// The block tree of one page body (whose first line is `line` of `file`), includes
/// expanded from `markdown`; with every warning about its blocks, and a hash of the
/// included files' paths and text (an edit to one of them changes the page).
pub fn build(
    file: &str,
    body: &str,
    line: usize,
    markdown: &BTreeMap<String, Source>,
) -> (Vec<Node>, Vec<Diagnostic>, u64) {
    let (raw, mut diags, included) = tree::Builder::new(markdown).build(file, body, line);
    let nodes = typed::nodes(raw, &mut diags);
    (nodes, diags, included)
}

/// The content paths that the `{% include %}` tags of `body` (of content file `file`,
/// first line `line`) name, among the files `exists` knows, resolved as the page
/// build resolves them.
pub fn included_paths(file: &str, body: &str, line: usize, exists: impl Fn(&str) -> bool) -> Vec<String> {
    if !body.contains("include") {
        return Vec::new();
    }
    let mut found = Vec::new();
    for item in tags::scan(body, line) {
        let tags::Item::Tag(tag) = item else { continue };
        if tag.end || names::shape(tag.name) != Some(names::Shape::Include) {
            continue;
        }
        let attrs = super::Attrs::parse(tag.attrs);
        if let Some(path) = tree::include_target(&attrs).and_then(|t| tree::resolve_include(file, t, &exists)) {
            found.push(path);
        }
    }
    found
}

/// Calls `f` on every block of the tree, outermost first.
pub fn walk<'a>(nodes: &'a [Node], f: &mut dyn FnMut(&'a Block)) {
    for node in nodes {
        if let Node::Block(b) = node {
            f(b);
            for body in b.kind.bodies() {
                walk(body, f);
            }
        }
    }
}
