//! Plain text of a page, split into sections at its headings, for the search index:
//! GitBook blocks as text, code kept, HTML tags dropped.
//!
//! Takes a `Doc` and the site's `Links`; gives one `Section` per part of the twin
//! (the same split, so the two line up).

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{heading_at, openapi, splits_inside, Block, Chunk, Doc, Heading, Kind, Links, Node, Target};

/// The text of one section.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The heading that opens it; `None` for the text before the first heading.
    pub heading: Option<Heading>,
    /// Plain text, blocks separated by newlines.
    pub text: String,
}

/// Splits `doc` into sections of plain text.
pub fn sections(doc: &Doc, links: &dyn Links) -> Vec<Section> {
    let mut w = Walker { links, split: true, sections: vec![Section { heading: None, text: String::new() }] };
    w.nodes(&doc.nodes);
    w.sections
}

struct Walker<'a> {
    links: &'a dyn Links,
    split: bool,
    sections: Vec<Section>,
}

impl Walker<'_> {
    fn push(&mut self, text: &str) {
        self.sections.last_mut().expect("one section").text.push_str(text);
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
            self.push("\n");
        }
    }

    fn chunk(&mut self, c: &Chunk) {
        let mut in_heading = false;
        let events = c.event_list();
        for (i, (event, _)) in events.iter().enumerate() {
            match event {
                Event::Start(Tag::Heading { .. }) if self.split => {
                    self.sections.push(Section { heading: heading_at(&events, i), text: String::new() });
                    in_heading = true;
                }
                Event::End(TagEnd::Heading(_)) => {
                    let opened_section = std::mem::take(&mut in_heading);
                    if !opened_section {
                        self.push("\n");
                    }
                }
                _ if in_heading => {}
                Event::Text(t) | Event::Code(t) => self.push(t),
                Event::SoftBreak | Event::HardBreak => self.push(" "),
                Event::Html(h) | Event::InlineHtml(h) => {
                    let text = strip_tags(h);
                    self.push(&text);
                }
                Event::End(TagEnd::TableCell) => self.push(" "),
                // A nested list starts inside an item's text: keep the words apart.
                Event::Start(Tag::List(_) | Tag::Item) => self.push("\n"),
                Event::End(
                    TagEnd::Paragraph
                    | TagEnd::Item
                    | TagEnd::CodeBlock
                    | TagEnd::TableRow
                    | TagEnd::TableHead
                    | TagEnd::BlockQuote(_),
                ) => self.push("\n"),
                _ => {}
            }
        }
    }

    fn block(&mut self, block: &Block) {
        let a = &block.attrs;
        match block.kind {
            Kind::Tab => {
                self.push(a.get("title").unwrap_or(""));
                self.push("\n");
            }
            Kind::Embed => self.push(a.get("caption").filter(|c| !c.is_empty()).unwrap_or("")),
            Kind::File => self.push(a.get("caption").unwrap_or("")),
            Kind::ContentRef | Kind::PageRef => {
                let href = a.get("url").or(a.get("page")).unwrap_or("");
                if let Target::Page { url, .. } = self.links.resolve(&block.file, href) {
                    let title = self.links.page_title(&url).unwrap_or("").to_string();
                    self.push(&title);
                }
                return;
            }
            Kind::OpenApi => {
                let op = openapi::operation(block, self.links);
                self.push(&openapi::text(&op));
                if block.name != "api-method" {
                    return;
                }
            }
            Kind::Update => self.push(a.get("date").unwrap_or("")),
            _ => {}
        }
        self.nodes(&block.children);
    }
}

/// `text` on one line: every run of whitespace (newlines included) becomes one space,
/// and none is left at either end.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text from a user (a question, a path) made safe to echo inside a line of Markdown
/// (a heading, a link's text, a sentence): on one line, with every character that
/// could open a construct (a link, an image, an autolink or HTML, code, emphasis, a
/// heading's closing `#`s) escaped with a backslash, so it reads as the very text that
/// was sent. Characters that cannot open anything where they stand stay as they are
/// (`out_for_delivery`, `C#`), so ordinary questions read unchanged.
pub fn escape_inline(text: &str) -> String {
    let line = one_line(text);
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let opens = match c {
            '\\' | '`' | '[' | ']' | '<' | '>' | '*' | '~' => true,
            '_' => !(word(before) && word(after)),
            '#' => before.is_none_or(char::is_whitespace),
            _ => false,
        };
        if opens {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text from a user shown as inline code: on one line, between enough backticks that
/// none inside can close it (nothing in a code span is Markdown or HTML).
pub fn code_span(text: &str) -> String {
    let line = one_line(text);
    if line.is_empty() {
        return "` `".into();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in line.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if line.starts_with('`') || line.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{line}{pad}{fence}")
}

/// Text between the tags of an HTML fragment.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#x20;", " ").replace("&nbsp;", " ").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::super::testing::{doc, FakeLinks};
    use super::*;

    #[test]
    fn one_line_collapses_whitespace() {
        assert_eq!(one_line("  a\n\tb   c \n"), "a b c");
    }

    #[test]
    fn user_text_is_echoed_as_text() {
        let hostile = "token\n\n# Injected\n[click](javascript:alert(1)) <img src=x> **b** `c`";
        let escaped = escape_inline(hostile);
        assert_eq!(
            escaped,
            "token \\# Injected \\[click\\](javascript:alert(1)) \\<img src=x\\> \\*\\*b\\*\\* \\`c\\`"
        );
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&format!("# {escaped}")));
        assert!(html.starts_with("<h1>") && html.matches("<h1>").count() == 1, "{html}");
        assert!(!html.contains("<a") && !html.contains("<img") && !html.contains("<strong>"), "{html}");
        assert_eq!(escape_inline("how do I create a token?"), "how do I create a token?");
        assert_eq!(escape_inline("what does out_for_delivery mean in C#?"), "what does out_for_delivery mean in C#?");
        assert_eq!(escape_inline("_a_ #tag x #"), "\\_a\\_ \\#tag x \\#");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
        assert_eq!(code_span("/a/b"), "`/a/b`");
        assert_eq!(code_span(""), "` `");
    }

    #[test]
    fn splits_sections_and_keeps_block_text() {
        let d = doc("# T\n\nIntro text.\n\n## Setup\n\n{% hint style=\"info\" %}\nA **hint**.\n{% endhint %}\n\n```sh\nrun it\n```\n\n<figure><img src=\"a.png\"><figcaption><p>Cap</p></figcaption></figure>\n");
        let s = sections(&d, &FakeLinks::new());
        assert_eq!(s.len(), 2);
        assert!(s[0].text.contains("Intro text."));
        assert_eq!(s[1].heading.as_ref().unwrap().text, "Setup");
        assert!(s[1].text.contains("A hint."), "{:?}", s[1].text);
        assert!(s[1].text.contains("run it"));
        assert!(s[1].text.contains("Cap"));
        assert!(!s[1].text.contains("figcaption"));
    }

    #[test]
    fn sections_line_up_with_twin_parts() {
        let d = doc("a\n\n## B\n\n{% tabs %}\n{% tab title=\"x\" %}\n### C\n{% endtab %}\n{% endtabs %}\n\n{% hint %}\n## Not split\n{% endhint %}\n");
        let text: Vec<_> = sections(&d, &FakeLinks::new()).into_iter().map(|s| s.heading).collect();
        let twin: Vec<_> =
            super::super::twin::render(&d, &FakeLinks::new(), "").into_iter().map(|p| p.heading).collect();
        assert_eq!(text, twin);
        assert_eq!(text.len(), 3);
    }
}
