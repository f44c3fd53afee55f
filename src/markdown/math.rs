//! GitBook math: `$$…$$` holds a TeX formula, shown as a block when it is a paragraph
//! of its own and inline within text. A single `$` is plain text in GitBook (prices,
//! shell variables), so only the doubled delimiter is read as math.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// The events of a page's Markdown `text`, with GitBook's math: a formula stays as it
/// was written (no emphasis, no escapes taken out of its TeX).
pub fn parse(text: &str) -> Vec<(Event<'_>, Range<usize>)> {
    let options = super::options() | Options::ENABLE_MATH;
    let parsed: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(text, options).into_offset_iter().collect();
    let mut events = Vec::with_capacity(parsed.len());
    for i in 0..parsed.len() {
        let alone = alone_in_paragraph(&parsed, i);
        let (event, range) = &parsed[i];
        match event {
            // `$x$`: not math in GitBook; its text is read as the Markdown it is.
            Event::InlineMath(_) => events.extend(dollars_as_text(text, range.clone())),
            Event::DisplayMath(tex) if !alone => events.push((Event::InlineMath(tex.clone()), range.clone())),
            _ => events.push(parsed[i].clone()),
        }
    }
    events
}

/// The events of a `$…$` span (at `range` of `text`) that GitBook does not read as
/// math: its dollars as text and what lies between them as the inline Markdown it is
/// (emphasis, links, code, a `<br>`), so none of it is shown as written. Between the
/// dollars of `${id}.<br>${name}` is a line break, not the text `<br>`.
fn dollars_as_text(text: &str, range: Range<usize>) -> Vec<(Event<'_>, Range<usize>)> {
    let whole = || vec![(Event::Text(CowStr::Borrowed(text.get(range.clone()).unwrap_or(""))), range.clone())];
    let (start, end) = (range.start + 1, range.end.saturating_sub(1));
    let Some(inner) = text.get(start..end).filter(|_| text.get(range.clone()).is_some_and(|s| s.len() >= 2)) else {
        return whole();
    };
    let mut inside: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(inner, super::options())
        .into_offset_iter()
        .map(|(event, r)| (event, r.start + start..r.end + start))
        .collect();
    // Inline content parses as one paragraph; anything else (a heading, a list) is
    // not what the span was in its line, so it stays text as written.
    let one_paragraph = matches!(inside.first(), Some((Event::Start(Tag::Paragraph), _)))
        && matches!(inside.last(), Some((Event::End(TagEnd::Paragraph), _)))
        && inside.iter().filter(|(e, _)| matches!(e, Event::Start(Tag::Paragraph))).count() == 1;
    if !one_paragraph {
        return whole();
    }
    inside.pop();
    inside.remove(0);
    let dollar = |at: usize| (Event::Text(CowStr::Borrowed("$")), at..at + 1);
    let mut out = Vec::with_capacity(inside.len() + 2);
    out.push(dollar(range.start));
    out.extend(inside);
    out.push(dollar(end));
    out
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

    #[test]
    fn markdown_between_single_dollars_is_read_as_markdown() {
        assert_eq!(
            html("Use ${id}.<br>${name} or $a **b** `c` &amp; [d](e.md)$.\n"),
            "<p>Use ${id}.<br>${name} or $a <strong>b</strong> <code>c</code> &amp; <a href=\"e.md\">d</a>$.</p>\n"
        );
    }
}
