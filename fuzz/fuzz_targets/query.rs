//! Query strings and the headers the server reads: `Params::parse` (strict
//! percent-decoding of `ask`, `goal`, `format`), `Accept` and `Accept-Encoding`
//! never panic; what a client sent, echoed into Markdown through `escape_inline`
//! (headings, link texts) or `code_span`, never becomes a heading, link, image or
//! HTML there.

#![no_main]

use docask::markdown::markup::{code_span, escape_inline};
use docask::serve::headers::Encoding;
use docask::serve::negotiate::{self, Accept};
use docask::serve::params::Params;
use libfuzzer_sys::fuzz_target;
use pulldown_cmark::{Event, Parser, Tag};

/// The events of `markdown` that are not plain text inside the one paragraph or
/// heading expected.
fn constructs(markdown: &str) -> Vec<String> {
    Parser::new(markdown)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) | Event::Html(_) | Event::InlineHtml(_) => {
                Some(format!("{event:?}"))
            }
            Event::Start(Tag::Heading { .. } | Tag::List(_) | Tag::BlockQuote(_) | Tag::CodeBlock(_)) => {
                Some(format!("{event:?}"))
            }
            _ => None,
        })
        .collect()
}

fn check_echo(text: &str) {
    let heading = format!("# {}\n", escape_inline(text));
    let found = constructs(&heading);
    assert_eq!(found.len(), 1, "{heading:?}: {found:?}");
    let link = format!("- [{}](/x.md)\n", escape_inline(text));
    let links = Parser::new(&link).filter(|e| matches!(e, Event::Start(Tag::Link { .. }))).count();
    assert_eq!(links, 1, "{link:?}");
    assert!(!Parser::new(&link).any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_))), "{link:?}");
    let sentence = format!("There is no page at {}.\n", code_span(text));
    assert!(constructs(&sentence).is_empty(), "{sentence:?}");
    let codes = Parser::new(&sentence).filter(|e| matches!(e, Event::Code(_))).count();
    assert_eq!(codes, 1, "{sentence:?}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(params) = Params::parse(Some(text)) {
        for value in [params.ask.as_deref(), params.goal.as_deref()].into_iter().flatten() {
            check_echo(value);
        }
    }
    if let Err(e) = Params::parse(Some(text)) {
        let message = e.to_string();
        assert!(!message.contains('\n'), "{message:?}");
        assert!(constructs(&format!("{message}\n")).is_empty(), "{message:?}");
    }
    let accept = Accept::parse(Some(text));
    for offered in [negotiate::PAGE, negotiate::ANSWER, negotiate::TWIN_ANSWER] {
        assert!(offered.contains(&accept.choose(offered)));
    }
    let _ = Encoding::accepted(Some(text));
    check_echo(text);
});
