//! A chunk's pulldown-cmark events, kept compactly from the parse until the page is
//! rendered. Every page's events stay in memory while the site is checked, and in the
//! parser's own form (96 bytes an event, a heap string for each text) they took two
//! thirds of a 10,000-page build's memory. Here an event is 24 bytes: text is a range
//! of the chunk's source (or of one buffer for the few strings the parser made), and
//! only start tags that carry data (headings, links, images, code blocks, tables,
//! numbered lists, footnotes) are kept whole, on the side.
//!
//! Takes a chunk's source and its events; gives them back as borrowed events with
//! their byte ranges in the source.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

/// The events of one chunk.
#[derive(Debug, Clone, Default)]
pub struct Events {
    items: Vec<Item>,
    tags: Vec<Tag<'static>>,
    made: String,
}

#[derive(Debug, Clone, Copy)]
struct Item {
    event: Packed,
    start: u32,
    end: u32,
}

#[derive(Debug, Clone, Copy)]
enum Packed {
    /// A start tag kept whole, by position in `tags`.
    Start(u32),
    /// A start tag that its end tag describes completely (paragraph, item, emphasis…).
    Plain(TagEnd),
    End(TagEnd),
    Text(Str),
    Code(Str),
    InlineMath(Str),
    DisplayMath(Str),
    Html(Str),
    InlineHtml(Str),
    FootnoteReference(Str),
    SoftBreak,
    HardBreak,
    Rule,
    TaskListMarker(bool),
}

/// A string: a range of the chunk's source, or of `made`.
#[derive(Debug, Clone, Copy)]
enum Str {
    Source(u32, u32),
    Made(u32, u32),
}

/// Chunk sources are limited to this many bytes, so offsets fit in 32 bits.
pub const MAX_SOURCE: usize = u32::MAX as usize;

fn offset(n: usize) -> u32 {
    // `load` refuses files over `MAX_SOURCE`; a chunk is never longer than its file.
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Events {
    /// Packs the events the parser gave for `source`.
    pub fn pack<'a>(source: &'a str, events: impl IntoIterator<Item = (Event<'a>, Range<usize>)>) -> Self {
        let mut out = Events::default();
        for (event, range) in events {
            let event = out.packed(source, event);
            out.items.push(Item { event, start: offset(range.start), end: offset(range.end) });
        }
        out.items.shrink_to_fit();
        out.tags.shrink_to_fit();
        out.made.shrink_to_fit();
        out
    }

    fn packed<'a>(&mut self, source: &'a str, event: Event<'a>) -> Packed {
        match event {
            Event::Start(tag) => match plain(&tag) {
                Some(end) => Packed::Plain(end),
                None => {
                    self.tags.push(tag.into_static());
                    Packed::Start(offset(self.tags.len() - 1))
                }
            },
            Event::End(end) => Packed::End(end),
            Event::Text(s) => Packed::Text(self.string(source, &s)),
            Event::Code(s) => Packed::Code(self.string(source, &s)),
            Event::InlineMath(s) => Packed::InlineMath(self.string(source, &s)),
            Event::DisplayMath(s) => Packed::DisplayMath(self.string(source, &s)),
            Event::Html(s) => Packed::Html(self.string(source, &s)),
            Event::InlineHtml(s) => Packed::InlineHtml(self.string(source, &s)),
            Event::FootnoteReference(s) => Packed::FootnoteReference(self.string(source, &s)),
            Event::SoftBreak => Packed::SoftBreak,
            Event::HardBreak => Packed::HardBreak,
            Event::Rule => Packed::Rule,
            Event::TaskListMarker(checked) => Packed::TaskListMarker(checked),
        }
    }

    /// Where `s` lies: in `source` when the parser borrowed it from there, else copied
    /// into `made`.
    fn string(&mut self, source: &str, s: &str) -> Str {
        let base = source.as_ptr() as usize;
        let at = (s.as_ptr() as usize).wrapping_sub(base);
        if at <= source.len() && s.len() <= source.len() - at {
            return Str::Source(offset(at), offset(at + s.len()));
        }
        let start = self.made.len();
        self.made.push_str(s);
        Str::Made(offset(start), offset(self.made.len()))
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The events with their byte ranges in `source`, which must be the source they
    /// were packed from.
    pub fn iter<'a>(&'a self, source: &'a str) -> impl Iterator<Item = (Event<'a>, Range<usize>)> + Clone + 'a {
        self.items.iter().map(move |item| (self.event(source, item.event), item.start as usize..item.end as usize))
    }

    fn event<'a>(&'a self, source: &'a str, packed: Packed) -> Event<'a> {
        let s = |s: Str| -> CowStr<'a> {
            CowStr::Borrowed(match s {
                Str::Source(a, b) => &source[a as usize..b as usize],
                Str::Made(a, b) => &self.made[a as usize..b as usize],
            })
        };
        match packed {
            Packed::Start(i) => Event::Start(borrowed(&self.tags[i as usize])),
            Packed::Plain(end) => Event::Start(start_of(end)),
            Packed::End(end) => Event::End(end),
            Packed::Text(t) => Event::Text(s(t)),
            Packed::Code(t) => Event::Code(s(t)),
            Packed::InlineMath(t) => Event::InlineMath(s(t)),
            Packed::DisplayMath(t) => Event::DisplayMath(s(t)),
            Packed::Html(t) => Event::Html(s(t)),
            Packed::InlineHtml(t) => Event::InlineHtml(s(t)),
            Packed::FootnoteReference(t) => Event::FootnoteReference(s(t)),
            Packed::SoftBreak => Event::SoftBreak,
            Packed::HardBreak => Event::HardBreak,
            Packed::Rule => Event::Rule,
            Packed::TaskListMarker(checked) => Event::TaskListMarker(checked),
        }
    }
}

/// The end tag of a start tag that carries nothing more than its end tag.
fn plain(tag: &Tag<'_>) -> Option<TagEnd> {
    match tag {
        Tag::Paragraph
        | Tag::BlockQuote(_)
        | Tag::HtmlBlock
        | Tag::List(None)
        | Tag::Item
        | Tag::DefinitionList
        | Tag::DefinitionListTitle
        | Tag::DefinitionListDefinition
        | Tag::TableHead
        | Tag::TableRow
        | Tag::TableCell
        | Tag::Emphasis
        | Tag::Strong
        | Tag::Strikethrough
        | Tag::Superscript
        | Tag::Subscript
        | Tag::MetadataBlock(_) => Some(tag.to_end()),
        Tag::Heading { .. }
        | Tag::CodeBlock(_)
        | Tag::List(Some(_))
        | Tag::FootnoteDefinition(_)
        | Tag::Table(_)
        | Tag::Link { .. }
        | Tag::Image { .. } => None,
    }
}

/// The start tag that `plain` packed as `end`.
fn start_of(end: TagEnd) -> Tag<'static> {
    match end {
        TagEnd::BlockQuote(kind) => Tag::BlockQuote(kind),
        TagEnd::HtmlBlock => Tag::HtmlBlock,
        TagEnd::List(_) => Tag::List(None),
        TagEnd::Item => Tag::Item,
        TagEnd::DefinitionList => Tag::DefinitionList,
        TagEnd::DefinitionListTitle => Tag::DefinitionListTitle,
        TagEnd::DefinitionListDefinition => Tag::DefinitionListDefinition,
        TagEnd::TableHead => Tag::TableHead,
        TagEnd::TableRow => Tag::TableRow,
        TagEnd::TableCell => Tag::TableCell,
        TagEnd::Emphasis => Tag::Emphasis,
        TagEnd::Strong => Tag::Strong,
        TagEnd::Strikethrough => Tag::Strikethrough,
        TagEnd::Superscript => Tag::Superscript,
        TagEnd::Subscript => Tag::Subscript,
        TagEnd::MetadataBlock(kind) => Tag::MetadataBlock(kind),
        // `plain` packs no other end tag.
        _ => Tag::Paragraph,
    }
}

/// A kept start tag, borrowing its strings instead of copying them.
fn borrowed<'a>(tag: &'a Tag<'static>) -> Tag<'a> {
    let b = |s: &'a CowStr<'static>| -> CowStr<'a> { CowStr::Borrowed(s.as_ref()) };
    match tag {
        Tag::Heading { level, id, classes, attrs } => Tag::Heading {
            level: *level,
            id: id.as_ref().map(b),
            classes: classes.iter().map(b).collect(),
            attrs: attrs.iter().map(|(k, v)| (b(k), v.as_ref().map(b))).collect(),
        },
        Tag::CodeBlock(CodeBlockKind::Fenced(lang)) => Tag::CodeBlock(CodeBlockKind::Fenced(b(lang))),
        Tag::FootnoteDefinition(label) => Tag::FootnoteDefinition(b(label)),
        Tag::Link { link_type, dest_url, title, id } => {
            Tag::Link { link_type: *link_type, dest_url: b(dest_url), title: b(title), id: b(id) }
        }
        Tag::Image { link_type, dest_url, title, id } => {
            Tag::Image { link_type: *link_type, dest_url: b(dest_url), title: b(title), id: b(id) }
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    const SAMPLE: &str = "# Title {#top}\n\nSome *text* with `code`, a [link](a.md \"t\") and &amp; \
        an entity.\n\n1. one\n2. two\n\n- [x] done\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n\n\
        ```rust\nfn main() {}\n```\n\n    indented\n\n> [!NOTE]\n> quote\n\n<div>html</div>\n\n\
        ![img](i.png)[^1]\n\n[^1]: note\n\n---\nline  \nbreak\n";

    #[test]
    fn unpacked_events_equal_the_parsers() {
        let options = crate::markdown::options() | pulldown_cmark::Options::ENABLE_GFM;
        let parsed: Vec<_> = Parser::new_ext(SAMPLE, options).into_offset_iter().collect();
        let packed = Events::pack(SAMPLE, parsed.clone());
        let unpacked: Vec<_> = packed.iter(SAMPLE).collect();
        assert_eq!(unpacked, parsed);
        assert_eq!(packed.len(), parsed.len());
        // The entity's decoded text is the one string the parser made.
        assert_eq!(packed.made, "&");
    }

    #[test]
    fn an_event_takes_24_bytes() {
        assert_eq!(std::mem::size_of::<Item>(), 24);
    }
}
