//! Markdown: the one place that configures the dialect and parses a page, once.
//!
//! Takes a `Source` and gives a `Doc`: the tree of typed GitBook blocks and Markdown
//! chunks (each chunk's pulldown-cmark events kept with their source ranges), the
//! page's headings with unique ids, and its title, with the warnings found. HTML
//! (`html`) and the sections of the twin and the index (`sections`) are all derived
//! from this one parse.

pub mod attrs;
pub mod blocks;
pub mod destinations;
pub mod events;
mod footnotes;
pub mod highlight;
pub mod html;
pub mod html_scan;
pub mod markup;
mod math;
pub mod openapi;
pub mod references;
#[cfg(test)]
mod robust;
pub mod sanitize;
pub mod sections;
pub mod slug;

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diag::Diagnostic;
use crate::load::Source;
pub use attrs::Attrs;
pub use blocks::{Block, BlockKind};

/// The Markdown dialect: GFM tables, task lists, footnotes, strikethrough, heading ids.
/// Every parse of Markdown in docask goes through `parser` (a page's chunks through
/// `math::parse`, which adds GitBook's `$$` math).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub use footnotes::FOOTNOTE_ANCHOR;

/// A parser of `text` in docask's dialect.
pub fn parser(text: &str) -> Parser<'_> {
    Parser::new_ext(text, options())
}

/// A node of a page: Markdown or a GitBook block.
#[derive(Debug, Clone)]
pub enum Node {
    /// A run of Markdown.
    Markdown(Chunk),
    /// A GitBook block with its content.
    Block(Block),
}

/// A run of Markdown, parsed once.
#[derive(Debug, Clone)]
pub struct Chunk {
    /// Content path of the file it comes from (links resolve against it).
    pub file: Arc<str>,
    /// Line of `source`'s first line in that file.
    pub line: usize,
    /// The Markdown text.
    pub source: String,
    /// Offset in `source` where rendering starts (after a page title that was lifted).
    pub start: usize,
    /// pulldown-cmark events with their byte ranges in `source`.
    events: events::Events,
}

impl Chunk {
    /// A chunk whose events are filled in by `parse`.
    pub fn unparsed(file: Arc<str>, line: usize, source: String) -> Self {
        Self { file, line, source, start: 0, events: events::Events::default() }
    }

    /// Its events, with their byte ranges in `source`.
    pub fn events(&self) -> impl Iterator<Item = (Event<'_>, Range<usize>)> + Clone + '_ {
        self.events.iter(&self.source)
    }

    /// Its events collected, for renderers that look ahead.
    pub fn event_list(&self) -> Vec<(Event<'_>, Range<usize>)> {
        let mut list = Vec::with_capacity(self.events.len());
        list.extend(self.events());
        list
    }

    /// Number of events.
    pub fn event_count(&self) -> usize {
        self.events.len()
    }
}

/// A heading of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Plain text.
    pub text: String,
    /// Unique anchor id within the page.
    pub id: String,
    /// Other anchors GitBook gives the heading (see `slug::aliases`).
    pub aliases: Vec<String>,
}

/// A parsed page.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// Content path.
    pub path: String,
    /// The block tree.
    pub nodes: Vec<Node>,
    /// Headings in order (the lifted title excluded).
    pub headings: Vec<Heading>,
    /// Text of the leading H1, lifted out of the body.
    pub title: Option<String>,
    /// The anchors of that H1 (its id and the other anchors GitBook gives it): a link
    /// to one lands at the top of the page.
    pub title_anchors: Vec<String>,
    /// Hash of the page's Markdown and of the files it includes, to see which pages
    /// an edit changed.
    pub hash: u64,
    /// Its references, found on first use (see [`Doc::references`]).
    references: std::sync::OnceLock<Vec<references::Reference>>,
}

impl Doc {
    /// What the page points at, each with its file and line: found once per parse,
    /// so a live update checks the links of the pages it did not parse again without
    /// reading their Markdown again.
    pub fn references(&self) -> &[references::Reference] {
        self.references.get_or_init(|| references::of(&self.nodes))
    }
}

/// Parses a page, with the warnings about its blocks. `markdown` holds every
/// Markdown file, for includes.
pub fn parse(source: &Source, markdown: &BTreeMap<String, Source>) -> (Doc, Vec<Diagnostic>) {
    let (mut nodes, diags, included) = blocks::build(&source.path, &source.body, source.body_line, markdown);
    let mut ids = slug::Unique::default();
    let mut headings = Vec::new();
    let mut lifted: Option<Heading> = None;
    let mut first = true;
    let mut notes = Vec::new();
    for_each_chunk_mut(&mut nodes, &mut |chunk| notes.extend(footnotes::labels(&chunk.source)));
    for_each_chunk_mut(&mut nodes, &mut |chunk| {
        let heading = parse_chunk(chunk, &notes, &mut ids, &mut headings, std::mem::take(&mut first));
        lifted = lifted.take().or(heading);
    });
    let hash = {
        let mut h = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(&(&source.body, included), &mut h);
        std::hash::Hasher::finish(&h)
    };
    let (title, title_anchors) = match lifted {
        Some(h) => (Some(h.text), std::iter::once(h.id).chain(h.aliases).collect()),
        None => (None, Vec::new()),
    };
    let doc = Doc { path: source.path.clone(), nodes, headings, title, title_anchors, hash, ..Doc::default() };
    (doc, diags)
}

/// Parses a chunk, giving its headings unique ids; with `lift`, a leading H1 is taken
/// out of the chunk and returned (its text is the page title).
fn parse_chunk(
    chunk: &mut Chunk,
    notes: &[String],
    ids: &mut slug::Unique,
    headings: &mut Vec<Heading>,
    lift: bool,
) -> Option<Heading> {
    if let Some(fixed) = destinations::rewrite(&chunk.source) {
        chunk.source = fixed;
    }
    let with_notes = footnotes::with_stand_ins(&chunk.source, notes);
    let mut events = match &with_notes {
        Some((text, count)) => {
            let end = chunk.source.len();
            let events = math::parse(text);
            // The stand-in definitions are left out; if they did not read as
            // definitions (an unclosed fence swallowed them), none is used.
            let stand_ins = events
                .iter()
                .filter(|(e, r)| r.start >= end && matches!(e, Event::Start(Tag::FootnoteDefinition(_))))
                .count();
            if stand_ins == *count {
                events.into_iter().filter(|(_, r)| r.start < end).collect()
            } else {
                math::parse(&chunk.source)
            }
        }
        None => math::parse(&chunk.source),
    };
    let first = headings.len();
    for i in 0..events.len() {
        if let (Event::Start(Tag::Heading { level, id, .. }), _) = &events[i] {
            let level = *level;
            let explicit = id.as_ref().map(|s| s.to_string()).or_else(|| gitbook_anchor(&events[i + 1..]));
            let text = inline_text(&events[i + 1..]);
            let aliases = if explicit.is_none() { slug::aliases(&text, &slug::slugify(&text)) } else { Vec::new() };
            let id = ids.claim(explicit.unwrap_or_else(|| slug::slugify(&text)));
            if let (Event::Start(Tag::Heading { id: slot, .. }), _) = &mut events[i] {
                *slot = Some(CowStr::from(id.clone()));
            }
            headings.push(Heading { level: level as u8, text, id, aliases });
        }
    }
    let mut title = None;
    if let Some((Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }), range)) = events.first().filter(|_| lift) {
        let end = range.end;
        if let Some(count) = events.iter().position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_)))) {
            events.drain(..=count);
            chunk.start = end;
            title = Some(headings.remove(first));
        }
    }
    chunk.events = events::Events::pack(&chunk.source, events);
    title
}

/// The id GitBook wrote into a heading (`## Setup <a href="#setup" id="setup"></a>`),
/// among the inline events up to the end of the heading: the heading's anchor as
/// GitBook publishes it.
fn gitbook_anchor(events: &[(Event<'_>, Range<usize>)]) -> Option<String> {
    events.iter().take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Heading(_)))).find_map(|(e, _)| match e {
        Event::InlineHtml(html) if html.trim_start().starts_with("<a") => html_scan::pieces(html)
            .first()
            .and_then(|p| p.attr("id"))
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_string),
        _ => None,
    })
}

/// Concatenated text of the inline events up to the end of the current element.
pub fn inline_text(events: &[(Event<'_>, Range<usize>)]) -> String {
    let mut text = String::new();
    let mut depth = 0usize;
    for (event, _) in events {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => break,
            Event::End(_) => depth -= 1,
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// Calls `f` on every chunk of the tree, in document order.
pub fn for_each_chunk_mut(nodes: &mut [Node], f: &mut dyn FnMut(&mut Chunk)) {
    for node in nodes {
        match node {
            Node::Markdown(chunk) => f(chunk),
            Node::Block(block) => block.kind.bodies_mut().into_iter().for_each(|body| for_each_chunk_mut(body, f)),
        }
    }
}

/// Calls `f` on every chunk of the tree, in document order.
pub fn for_each_chunk<'a>(nodes: &'a [Node], f: &mut dyn FnMut(&'a Chunk)) {
    for node in nodes {
        match node {
            Node::Markdown(chunk) => f(chunk),
            Node::Block(block) => block.kind.bodies().into_iter().for_each(|body| for_each_chunk(body, f)),
        }
    }
}

/// Calls `f` on every block of the tree, outer blocks before the blocks inside them.
pub fn for_each_block<'a>(nodes: &'a [Node], f: &mut dyn FnMut(&'a Block)) {
    for node in nodes {
        if let Node::Block(block) = node {
            f(block);
            block.kind.bodies().into_iter().for_each(|body| for_each_block(body, f));
        }
    }
}

/// `text` on one line: every run of whitespace (newlines included) becomes one space,
/// and none is left at either end.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `text` with its first character in upper case ("create a token" → "Create a token").
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

/// Where a link written in the content points, as the site resolves it.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A page of the site, by clean URL, with an optional anchor.
    Page {
        /// Clean URL of the page.
        url: String,
        /// Fragment, without `#`.
        anchor: Option<String>,
    },
    /// A file copied to the output, by content path.
    Asset(String),
    /// An anchor on the current page.
    Anchor(String),
    /// Another site, `mailto:` and the like: left as written.
    External(String),
    /// Nothing matches; the text says why.
    Broken(String),
}

/// Resolves links for the renderers (implemented by the site).
pub trait Links {
    /// Resolves `href` as written in content file `from_file`.
    fn resolve(&self, from_file: &str, href: &str) -> Target;
    /// Title of the page at clean URL `url`.
    fn page_title(&self, url: &str) -> Option<&str>;
    /// The parsed OpenAPI spec at `src`, as referenced from content file `from_file`.
    fn spec(&self, from_file: &str, src: &str) -> Option<&serde_json::Value>;
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers shared by the renderers' tests.
    use super::*;

    /// Parses a body as page `p.md` without includes.
    pub fn doc(body: &str) -> Doc {
        let mut errors = Vec::new();
        let source = crate::load::parse_source("p.md".into(), body, &mut errors);
        parse(&source, &BTreeMap::new()).0
    }

    /// Links where `x.md` is page `x`, `img.png` an asset, the rest broken, and
    /// `spec.yaml` a one-operation OpenAPI spec.
    pub struct FakeLinks {
        spec: serde_json::Value,
    }

    impl FakeLinks {
        /// The fake site.
        pub fn new() -> Self {
            let spec = serde_json::json!({"paths": {"/items": {"get": {
                "summary": "List items", "responses": {"200": {"description": "The items"}}}}}});
            Self { spec }
        }
    }

    impl Links for FakeLinks {
        fn resolve(&self, _from: &str, href: &str) -> Target {
            let (path, anchor) = match href.split_once('#') {
                Some((p, a)) => (p, Some(a.to_string())),
                None => (href, None),
            };
            match path {
                "" => Target::Anchor(anchor.unwrap_or_default()),
                p if p.contains("://") => Target::External(href.to_string()),
                p if p.ends_with(".md") => Target::Page { url: p.trim_end_matches(".md").to_string(), anchor },
                p if p.ends_with(".png") || p.ends_with(".yaml") => Target::Asset(p.to_string()),
                _ => Target::Broken("no such page".into()),
            }
        }
        fn page_title(&self, url: &str) -> Option<&str> {
            (url == "x").then_some("Page X")
        }
        fn spec(&self, _from: &str, src: &str) -> Option<&serde_json::Value> {
            (src == "spec.yaml").then_some(&self.spec)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::doc;

    proptest::proptest! {
        /// One line is the words joined by single spaces, whatever the whitespace.
        #[test]
        fn one_line_joins_the_words_with_single_spaces(text in "[a-z\u{e9} \t\n\r\u{b}\u{a0}\u{2028}]{0,30}") {
            proptest::prop_assert_eq!(super::one_line(&text), text.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }

    #[test]
    fn an_edit_to_an_included_file_changes_the_page_hash() {
        let mut warnings = Vec::new();
        let page = crate::load::parse_source("a.md".into(), "{% include \"b.md\" %}\n", &mut warnings);
        let with = |text: &str| {
            let included = crate::load::parse_source("b.md".into(), text, &mut warnings.clone());
            super::parse(&page, &std::collections::BTreeMap::from([("b.md".to_string(), included)])).0.hash
        };
        assert_eq!(with("one\n"), with("one\n"));
        assert_ne!(with("one\n"), with("two\n"));
    }

    #[test]
    fn lifts_title_and_assigns_unique_ids() {
        let d = doc("# Title\n\nintro\n\n## Setup\n\n## Setup\n\n## Custom {#own}\n");
        assert_eq!(d.title.as_deref(), Some("Title"));
        let ids: Vec<_> = d.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["setup", "setup-1", "own"]);
    }

    #[test]
    fn headings_inside_blocks_are_found() {
        let d = doc("{% stepper %}\n{% step %}\n### First step\ntext\n{% endstep %}\n{% endstepper %}\n");
        assert_eq!(d.headings[0].text, "First step");
        assert!(d.title.is_none());
    }
}

/// The heading an event opens, with its id and text.
pub fn heading_at(events: &[(Event<'_>, Range<usize>)], i: usize) -> Option<Heading> {
    match &events[i].0 {
        Event::Start(Tag::Heading { level, id, .. }) => Some(Heading {
            level: *level as u8,
            text: inline_text(&events[i + 1..]),
            id: id.as_deref().unwrap_or_default().to_string(),
            aliases: Vec::new(),
        }),
        _ => None,
    }
}

/// Index of the event that closes the element opened at `i`.
pub fn matching_end(events: &[(Event<'_>, Range<usize>)], i: usize) -> usize {
    let mut depth = 0usize;
    for (j, (event, _)) in events.iter().enumerate().skip(i) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}
