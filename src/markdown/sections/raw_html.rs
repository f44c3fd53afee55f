//! Raw HTML in the twin: figures, details, card tables, buttons, `<mark>`, `<pre>` and
//! GitBook's heading anchors turned into Markdown. One `RawHtml` reads all the raw
//! HTML of a chunk, in order, because inline HTML comes a tag at a time
//! (`<a href="…">`, the writer's Markdown text, then `</a>`).

use super::chunk::Link;
use crate::markdown::html_scan::{self, Piece};

/// The state of the raw HTML of one chunk.
#[derive(Default)]
pub(super) struct RawHtml {
    /// Open `<a>` elements: their Markdown URL, `None` for links left as text.
    links: Vec<Option<String>>,
    /// Inside `<pre>`.
    pre: bool,
    /// Where the open `<figcaption>`'s text starts in the output.
    caption: Option<usize>,
    /// The piece being converted sits in running text.
    inline: bool,
}

impl RawHtml {
    /// The Markdown of one piece of raw HTML; `inline` when it sits in running text
    /// (no line breaks added around it).
    pub(super) fn convert(&mut self, html: &str, inline: bool, link: &dyn Fn(&str) -> Link) -> String {
        let mut out = String::new();
        self.inline = inline;
        for piece in html_scan::pieces(html) {
            self.piece(&piece, &mut out, link);
        }
        if inline {
            out
        } else {
            collapse_blank_lines(out.trim())
        }
    }

    fn piece(&mut self, piece: &Piece, out: &mut String, link: &dyn Fn(&str) -> Link) {
        let (name, closing) = match piece {
            Piece::Text(t) if self.pre => return out.push_str(t),
            Piece::Text(t) => return out.push_str(&t.replace('\u{a0}', " ")),
            Piece::Open { name, .. } => (name.as_str(), false),
            Piece::Close { name } => (name.as_str(), true),
        };
        if self.pre && name != "pre" {
            return;
        }
        // A Markdown link destination ends at a space: GitBook's `image (55).png`
        // is written `image%20(55).png` so that the twin's image stays an image.
        let url = |v: &str| match link(v) {
            Link::Keep => Some(v.replace(' ', "%20")),
            Link::To(url) => Some(url.replace(' ', "%20")),
            Link::Unlink => None,
        };
        match (name, closing) {
            ("img", false) => {
                let src = piece.attr("src").and_then(url).unwrap_or_default();
                out.push_str(&format!("![{}]({src})", piece.attr("alt").unwrap_or_default()));
            }
            ("a", false) => {
                // GitBook's heading anchors (`<a href="#x" id="x"></a>`) and other
                // links within the page are kept as their text.
                let href = piece.attr("href").filter(|h| !h.starts_with('#')).and_then(url);
                if href.is_some() {
                    out.push('[');
                }
                self.links.push(href);
            }
            ("a", true) => {
                if let Some(Some(href)) = self.links.pop() {
                    out.push_str(&format!("]({href})"));
                }
            }
            ("pre", false) => {
                self.pre = true;
                out.push_str("\n\n```\n");
            }
            ("pre", true) => {
                self.pre = false;
                let end = out.trim_end_matches('\n').len();
                out.truncate(end);
                out.push_str("\n```\n\n");
            }
            // In running text a line break stays `<br>` (any of `<br/>`, `</br>`,
            // `<BR>`): a newline would end a table row or a heading, or split a
            // paragraph when the writer's own newline follows.
            ("br", _) if self.inline => out.push_str("<br>"),
            ("br", _) => out.push('\n'),
            ("summary", false) | ("strong" | "b", _) => out.push_str("**"),
            ("summary", true) => out.push_str("**\n\n"),
            ("figcaption", false) => {
                out.push_str("\n\n");
                self.caption = Some(out.len());
            }
            ("figcaption", true) => {
                let start = self.caption.take().unwrap_or(out.len()).min(out.len());
                let caption = out[start..].trim().to_string();
                out.truncate(start);
                if !caption.is_empty() {
                    out.push_str(&format!("*{caption}*"));
                }
            }
            ("em" | "i", _) => out.push('*'),
            ("code", _) => out.push('`'),
            ("td" | "th", true) => out.push(' '),
            ("p" | "div" | "tr" | "li" | "details" | "figure" | "table" | "h1" | "h2" | "h3" | "h4", true) => {
                out.push('\n')
            }
            _ => {}
        }
    }
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
