//! Property test of the whole page pipeline: generated GitBook-flavoured Markdown
//! (random nesting, unclosed and stray tags, unknown blocks, fences, raw HTML, emoji,
//! NBSP, CJK, a BOM, CRLF line ends) is parsed, rendered to HTML and split into
//! sections, and must give a page every time: no panic, deterministic output, unique
//! heading ids, no known block tag left outside code.

use std::collections::{BTreeMap, HashSet};

use proptest::prelude::*;

use super::sanitize::Sanitizer;
use super::testing::FakeLinks;
use super::{html, parse, sections};

/// Pieces that GitBook pages are made of, flaws included.
fn piece() -> impl Strategy<Value = String> {
    let tag = prop::sample::select(vec![
        "hint",
        "tabs",
        "tab",
        "stepper",
        "step",
        "code",
        "columns",
        "column",
        "updates",
        "update",
        "content-ref",
        "embed",
        "file",
        "swagger",
        "swagger-parameter",
        "api-method",
        "api-method-parameter",
        "code-tabs",
        "code-tabs-item",
        "magic",
        "@vendor/block",
    ]);
    let text = prop::sample::select(vec![
        "plain words",
        "🐘🐛 emoji",
        "a\u{a0}b",
        "日本語のテキスト",
        "“quoted”",
        "é\u{301}",
        "`code {% hint %}`",
        "[link](x.md#a)",
        "![img](img.png)",
        "**bold** _em_",
        "<mark>m</mark>",
        "<details><summary>Q",
        "</details>",
        "<img src=\"img.png\" onerror=\"x()\">",
        "&#x20;&amp;",
        "| a | b |\n| - | - |\n| 1 | 2 |",
        "- [ ] task",
        "1. step\n   - nested",
        "> quote",
        "[^1]\n\n[^1]: note",
        "{{ variable }}",
        "%}",
        "{%",
        "",
    ]);
    prop_oneof![
        3 => text.prop_map(str::to_string),
        2 => (tag.clone(), prop::sample::select(vec!["", " style=\"warning\"", " title=\"T\"", " url=\"https://e.com\"", " src=\"spec.yaml\""]))
            .prop_map(|(t, a)| format!("{{% {t}{a} %}}")),
        2 => tag.prop_map(|t| format!("{{% end{t} %}}")),
        1 => prop::sample::select(vec!["# Title", "## Same", "## Same", "### Deeper {#own}", "#"]).prop_map(str::to_string),
        1 => prop::sample::select(vec!["```", "```rust", "~~~", "````"]).prop_map(str::to_string),
        1 => "[ -~]{0,12}",
    ]
}

fn page() -> impl Strategy<Value = String> {
    (any::<bool>(), any::<bool>(), prop::collection::vec(piece(), 0..40)).prop_map(|(bom, crlf, pieces)| {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = if bom { "\u{feff}".to_string() } else { String::new() };
        for p in pieces {
            text.push_str(&p);
            text.push_str(end);
        }
        text
    })
}

/// Renders a page through every stage; gives the HTML and the twin.
fn render(text: &str) -> (String, String, super::Doc) {
    let mut warnings = Vec::new();
    let source = crate::load::parse_source("p.md".into(), text, &mut warnings);
    let (doc, _) = parse(&source, &BTreeMap::new());
    let links = FakeLinks::new();
    let html = html::render(&doc, &links, "a/b", Some(&Sanitizer::default()));
    let parts = sections::sections(&doc, &links, "");
    (html, sections::join(&parts), doc)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_page_renders_and_renders_the_same(text in page()) {
        let (html, twin, doc) = render(&text);
        let (again, twin_again, _) = render(&text);
        prop_assert_eq!(&html, &again);
        prop_assert_eq!(&twin, &twin_again);
        let ids: HashSet<&str> = doc.headings.iter().map(|h| h.id.as_str()).collect();
        prop_assert_eq!(ids.len(), doc.headings.len());
        let handlers = super::html_scan::pieces(&html).into_iter().any(|p| match p {
            super::html_scan::Piece::Open { attrs, .. } => attrs.keys().any(|k| k.starts_with("on")),
            _ => false,
        });
        prop_assert!(!handlers && !html.contains("<script"), "a script survived: {}", html);
        for known in ["{% hint", "{% tabs", "{% endhint", "{% api-method"] {
            // Tags survive only inside code, where the writer quoted them.
            let outside = html.split("<code").map(|s| s.split("</code>").last().unwrap_or("")).any(|s| s.contains(known));
            prop_assert!(!outside, "{} left in {}", known, html);
        }
    }
}

#[test]
fn deep_and_wide_input_stays_bounded() {
    let deep = format!("{}x\n{}", "{% hint %}\n".repeat(5_000), "{% endhint %}\n".repeat(5_000));
    let quotes = format!("{}deep\n", "> ".repeat(5_000));
    let lists = (0..2_000).map(|d| format!("{}- item\n", "  ".repeat(d))).collect::<String>();
    let emphasis = format!("{}x{}", "*_".repeat(20_000), "_*".repeat(20_000));
    for text in [deep, quotes, lists, emphasis] {
        let (html, _, _) = render(&text);
        assert!(!html.is_empty());
    }
}
