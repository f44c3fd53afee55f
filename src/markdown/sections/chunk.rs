//! One Markdown chunk as twin Markdown and as index text: the writer's Markdown kept
//! as written (links made absolute, raw HTML turned into Markdown, script-running
//! links unlinked), and the text of its events. Headings that start sections split
//! both at the same places.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::raw_html::RawHtml;
use super::{Section, Walker};
use crate::markdown::blocks::tags::{closes_fence, opens_fence};
use crate::markdown::{heading_at, matching_end, Chunk, Target};
use crate::markdown::{html_scan, markup::safe_url};

/// What becomes of a link in the twin.
pub(super) enum Link {
    /// As written (anchors, other sites, broken links).
    Keep,
    /// To this absolute URL.
    To(String),
    /// Its text only: the URL would run a script.
    Unlink,
}

impl Walker<'_> {
    pub(super) fn chunk(&mut self, c: &Chunk) {
        let events = c.event_list();
        let first = self.sections.len() - 1;
        self.chunk_markdown(c, &events);
        self.chunk_text(&events, first);
    }

    fn link(&self, file: &str, href: &str, image: bool) -> Link {
        match self.links.resolve(file, href) {
            Target::Broken(_) | Target::External(_) if !safe_url(href, image) => Link::Unlink,
            target => self.absolute(&target).map_or(Link::Keep, Link::To),
        }
    }

    fn chunk_markdown(&mut self, c: &Chunk, ev: &[(Event<'_>, std::ops::Range<usize>)]) {
        let src = c.source.as_str();
        // Offsets come from the parser over `src`: they fall on character boundaries.
        let slice = |r: std::ops::Range<usize>| src.get(r).unwrap_or("");
        let mut pos = c.start;
        let mut raw = RawHtml::default();
        let mut i = 0;
        while i < ev.len() {
            let (event, range) = &ev[i];
            match event {
                Event::Start(Tag::Heading { .. }) if self.split => {
                    self.push_md(slice(pos..range.start));
                    pos = range.start;
                    self.sections.push(Section::new(heading_at(ev, i)));
                }
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    let end = matching_end(ev, i);
                    let image = matches!(event, Event::Start(Tag::Image { .. }));
                    let text = if end > i + 1 { slice(ev[i + 1].1.start..ev[end - 1].1.end) } else { "" };
                    let replacement = match self.link(&c.file, dest_url, image) {
                        Link::Keep => None,
                        Link::To(url) => Some(format!("{}[{text}]({url})", if image { "!" } else { "" })),
                        Link::Unlink => Some(text.to_string()),
                    };
                    if let Some(replacement) = replacement {
                        self.push_md(slice(pos..range.start));
                        self.push_md(&replacement);
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
                    self.push_md(slice(pos..range.start));
                    let md = raw.convert(&html, false, &|href| self.link(&c.file, href, false));
                    self.push_md(&md);
                    self.push_md("\n");
                    pos = range.end.max(ev[end].1.end);
                    i = end + 1;
                    continue;
                }
                Event::InlineHtml(html) => {
                    self.push_md(slice(pos..range.start));
                    let md = raw.convert(html, true, &|href| self.link(&c.file, href, false));
                    self.push_md(&md);
                    pos = range.end;
                }
                Event::Text(t) if slice(range.clone()).starts_with('&') && t.trim().is_empty() => {
                    self.push_md(slice(pos..range.start));
                    self.push_md(" ");
                    pos = range.end;
                }
                _ => {}
            }
            i += 1;
        }
        self.push_md(src.get(pos.min(src.len())..).unwrap_or(""));
    }

    /// The text of a chunk's events, into the sections from `first` on (the twin pass
    /// opened one per heading that splits, in the same order).
    fn chunk_text(&mut self, events: &[(Event<'_>, std::ops::Range<usize>)], first: usize) {
        let mut at = first;
        let mut in_heading = false;
        for (event, _) in events {
            if self.split && matches!(event, Event::Start(Tag::Heading { .. })) {
                at = (at + 1).min(self.sections.len() - 1);
                in_heading = true;
                continue;
            }
            let text = &mut self.sections[at].text;
            match event {
                // A heading that did not open a section stays in the text, on a line.
                Event::End(TagEnd::Heading(_)) if !std::mem::take(&mut in_heading) => text.push('\n'),
                _ if in_heading => {}
                Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => text.push_str(t),
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                Event::Html(h) | Event::InlineHtml(h) => text.push_str(&html_scan::text_of(h)),
                Event::End(TagEnd::TableCell) => text.push(' '),
                // A nested list starts inside an item's text: keep the words apart.
                Event::Start(Tag::List(_) | Tag::Item) => text.push('\n'),
                Event::End(
                    TagEnd::Paragraph
                    | TagEnd::Item
                    | TagEnd::CodeBlock
                    | TagEnd::TableRow
                    | TagEnd::TableHead
                    | TagEnd::BlockQuote(_),
                ) => text.push('\n'),
                _ => {}
            }
        }
    }
}

/// The URL if following it runs no script, else nothing.
pub(super) fn safe_or_empty(url: &str) -> &str {
    if safe_url(url, false) {
        url
    } else {
        ""
    }
}

/// Collapses runs of blank lines outside fenced code into one. Blocks and raw HTML
/// end with a blank line and the writer's own blank lines follow them, so runs occur.
pub(super) fn single_blank_lines(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut fence = None;
    let mut previous_blank = false;
    for line in markdown.split_inclusive('\n') {
        if let Some(f) = fence {
            if closes_fence(line, f) {
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
        fence = opens_fence(line);
        out.push_str(line);
    }
    out
}
