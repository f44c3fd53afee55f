//! GitBook math: `$$…$$` holds a TeX formula, shown as a block when it is a paragraph
//! of its own and inline within text. A single `$` is plain text in GitBook (prices,
//! shell variables), so only the doubled delimiter is read as math.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// The events of a page's Markdown `text`, with GitBook's math: a formula stays as it
/// was written (no emphasis, no escapes taken out of its TeX).
pub fn parse(text: &str) -> Vec<(Event<'_>, Range<usize>)> {
    let options = super::options() | Options::ENABLE_MATH;
    let mut events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(text, options).into_offset_iter().collect();
    for i in 0..events.len() {
        let alone = alone_in_paragraph(&events, i);
        let (event, range) = &mut events[i];
        match event {
            // `$x$`: not math in GitBook; its text comes back as written.
            Event::InlineMath(_) => *event = Event::Text(CowStr::from(text.get(range.clone()).unwrap_or(""))),
            Event::DisplayMath(tex) if !alone => {
                *event = Event::InlineMath(std::mem::replace(tex, CowStr::Borrowed("")))
            }
            _ => {}
        }
    }
    events
}

/// Whether event `i` is the only content of its paragraph (blank text and line breaks
/// aside: GitBook writes `&#x20;` after a formula).
fn alone_in_paragraph(events: &[(Event<'_>, Range<usize>)], i: usize) -> bool {
    let blank = |e: &Event<'_>| match e {
        Event::Text(t) => t.trim().is_empty(),
        Event::SoftBreak | Event::HardBreak => true,
        _ => false,
    };
    let before = events[..i].iter().rev().find(|(e, _)| !blank(e));
    let after = events.get(i + 1..).unwrap_or(&[]).iter().find(|(e, _)| !blank(e));
    matches!(before, Some((Event::Start(Tag::Paragraph), _)))
        && matches!(after, Some((Event::End(TagEnd::Paragraph), _)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str) -> String {
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, parse(text).into_iter().map(|(e, _)| e));
        out
    }

    #[test]
    fn a_formula_paragraph_is_display_math_with_its_tex_untouched() {
        let out = html("$$\nk_1 * x_2 * \\{y\\}\n$$\n");
        assert!(out.contains(r#"<span class="math math-display">"#), "{out}");
        assert!(out.contains(r"k_1 * x_2 * \{y\}"), "{out}");
        assert!(!out.contains("<em>"), "{out}");
        let out = html("$$a_b * c_d$$&#x20;\n");
        assert!(out.contains("math-display"), "{out}");
    }

    #[test]
    fn a_formula_within_text_is_inline_math() {
        let out = html("The sum $$a_1 * b_1$$ grows.\n");
        assert_eq!(out, "<p>The sum <span class=\"math math-inline\">a_1 * b_1</span> grows.</p>\n");
    }

    #[test]
    fn single_dollars_stay_text() {
        assert_eq!(html("Set $HOME$ and pay $5.\n"), "<p>Set $HOME$ and pay $5.</p>\n");
        assert_eq!(html("Costs $5 or $10.\n"), "<p>Costs $5 or $10.</p>\n");
    }
}
