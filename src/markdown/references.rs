//! References: what a page points at, as written: the destination of every link and
//! image, every URL in its raw HTML, every block's reference (an embed, a file, a
//! content reference), each with the file and line it is written on.
//!
//! Takes a parsed page; gives its references in the order they are written. Found
//! once per parse ([`super::Doc::references`]): a live update checks the links of
//! every page, and only the edited pages are parsed again.

use pulldown_cmark::{Event, Tag};

use super::{blocks, for_each_chunk, html_scan, Node};
use crate::diag::LineStarts;

/// One reference of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The content file it is written in (the page, or a file the page includes).
    pub file: std::sync::Arc<str>,
    /// Its line in that file.
    pub line: usize,
    /// The destination as written.
    pub href: String,
    /// What it is: `link`, `image` or `reference` (a block's).
    pub what: &'static str,
}

/// The references in `nodes`, in the order they are written.
pub fn of(nodes: &[Node]) -> Vec<Reference> {
    let mut out = Vec::new();
    for_each_chunk(nodes, &mut |chunk| {
        let lines = std::cell::OnceCell::new();
        for (event, range) in chunk.events() {
            let line = || lines.get_or_init(|| LineStarts::new(&chunk.source, chunk.line)).line_of(range.start);
            let mut push = |href: &str, what| {
                out.push(Reference { file: chunk.file.clone(), line: line(), href: href.to_string(), what })
            };
            match &event {
                Event::Start(Tag::Link { dest_url, .. }) => push(dest_url, "link"),
                Event::Start(Tag::Image { dest_url, .. }) => push(dest_url, "image"),
                Event::Html(html) | Event::InlineHtml(html) => {
                    for (href, what) in html_scan::urls(html) {
                        push(&href, what);
                    }
                }
                _ => {}
            }
        }
    });
    blocks::walk(nodes, &mut |b| {
        if let Some(href) = b.kind.reference() {
            out.push(Reference { file: b.file.clone(), line: b.line, href: href.to_string(), what: "reference" });
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use crate::markdown::testing::doc;

    #[test]
    fn every_reference_is_found_with_its_line() {
        let body = "# T\n\nSee [setup](setup.md#run) and ![shot](img/a.png).\n\n\
                    {% hint style=\"info\" %}\nInside a hint: <a href=\"faq.md\">FAQ</a>.\n{% endhint %}\n\n\
                    {% content-ref url=\"guide/\" %}\n[guide](guide/)\n{% endcontent-ref %}\n";
        let d = doc(body);
        let found: Vec<(usize, &str, &str)> =
            d.references().iter().map(|r| (r.line, r.href.as_str(), r.what)).collect();
        assert_eq!(
            found,
            [
                (3, "setup.md#run", "link"),
                (3, "img/a.png", "image"),
                (6, "faq.md", "link"),
                (10, "guide/", "link"),
                (9, "guide/", "reference"),
            ]
        );
        assert!(d.references().iter().all(|r| &*r.file == "p.md"));
        let kept = d.clone();
        assert_eq!(kept.references(), d.references(), "a kept parse keeps its references");
    }
}
