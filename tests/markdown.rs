//! Markdown beyond GitBook blocks, built from fixture sites: raw HTML as GitBook
//! writes it (`<figure>` with `<img>` and `<figcaption>`, `<details>`/`<summary>`,
//! `<mark>`, card tables), the `&#x20;` entity, and GitHub Flavored Markdown (tables,
//! task lists, footnotes, strikethrough, `{#custom}` heading ids) and `$$` math. Checks the page's
//! HTML and its Markdown twin.

mod common;

use common::BookTest;

fn assert_contains_all(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "missing {part:?} in\n{text}");
    }
}

#[test]
fn raw_html_is_kept_with_links_relative_to_the_page() {
    let book = BookTest::built("raw-html");
    let body = book.body("guide/ui");
    assert_contains_all(
        &body,
        &[
            "<p>Select <strong>Add</strong>. </p>",
            r#"<figure><img src="../../.gitbook/assets/wizard.png" alt="The wizard"><figcaption><p>The Add wizard</p></figcaption></figure>"#,
            "<details>\n<summary id=\"what-does-it-cost\">What does it cost?</summary>\n<p>Nothing at all.</p>\n</details>",
            r#"<p>Keep it <mark style="color:red">secret</mark>.</p>"#,
            r#"<table data-view="cards">"#,
            r#"<td><a href="../../other/">other.md</a></td>"#,
        ],
    );
    assert!(!body.contains("&amp;#x20;"), "entity escaped: {body}");
    assert!(book.exists(".gitbook/assets/wizard.png"), "image copied");
}

#[test]
fn raw_html_becomes_markdown_in_the_twin() {
    let twin = BookTest::built("raw-html").twin_body("guide/ui");
    assert_eq!(
        twin,
        "# The UI\n\nSelect **Add**. \n\n![The wizard](/.gitbook/assets/wizard.png)\n\n*The Add wizard*\n\n**What does it cost?**\n\nNothing at all.\n\nKeep it secret.\n\n**Other page** [other.md](/other.md)"
    );
}

#[test]
fn gfm_renders_tables_tasks_footnotes_and_strikethrough() {
    let book = BookTest::built("gfm");
    let body = book.body("");
    assert_contains_all(
        &body,
        &[
            "<table><thead><tr><th>Name</th><th>Value</th></tr></thead><tbody>\n<tr><td>a</td><td>1</td></tr>",
            "<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\ndone</li>",
            "<li><input disabled=\"\" type=\"checkbox\"/>\nto do</li>",
            "<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup>",
            "<div class=\"footnote-definition\" id=\"1\">",
            "<del>Old</del> new.",
        ],
    );
}

#[test]
fn footnotes_defined_after_a_block_and_their_gitbook_anchors_resolve() {
    // `built` fails on any warning: `#user-content-fn-1` must be an anchor of the page.
    let book = BookTest::built("footnotes");
    let body = book.body("");
    assert!(!body.contains("[^"), "a reference shown as text: {body}");
    assert_contains_all(
        &body,
        &[
            "<a href=\"#user-content-fn-1\">character</a><sup class=\"footnote-reference\"><a href=\"#1\">",
            "<sup class=\"footnote-reference\"><a href=\"#range\">",
            "<span id=\"user-content-fn-1\"></span>\n<div class=\"footnote-definition\" id=\"1\">",
        ],
    );
    // Numbered over the whole page, though it is written a chunk at a time: the note
    // first referred to after the hint is the third, and each definition carries the
    // number its reference shows.
    assert_contains_all(
        &body,
        &[
            "<a href=\"#1\">1</a>",
            "<a href=\"#range\">2</a>",
            "<a href=\"#age\">3</a>",
            "id=\"1\"><sup class=\"footnote-definition-label\">1</sup>",
            "id=\"range\"><sup class=\"footnote-definition-label\">2</sup>",
            "id=\"age\"><sup class=\"footnote-definition-label\">3</sup>",
        ],
    );
}

#[test]
fn links_to_an_expandable_land_on_its_summary() {
    // `built` fails on any warning: `#bring-a-lantern` must be an anchor of the page.
    let book = BookTest::built("expandable");
    let body = book.body("");
    assert!(body.contains("<summary id=\"bring-a-lantern\">Bring a lantern</summary>"), "{body}");
    assert!(book.body("packing").contains("#bring-a-lantern\""), "{}", book.body("packing"));
}

#[test]
fn custom_heading_ids_become_anchors_and_toc_entries() {
    let book = BookTest::built("gfm");
    let body = book.body("");
    assert!(body.contains("<h2 id=\"custom\">Custom heading<a class=\"heading-anchor\" href=\"#custom\""), "{body}");
    assert!(!body.contains("{#custom}"), "{body}");
    assert!(body.contains("Jump <a href=\"#custom\">to it</a>."), "{body}");
    let html = book.html("");
    assert!(html.contains("<li class=\"toc-level-2\"><a href=\"#custom\">Custom heading</a></li>"));
}

#[test]
fn gfm_stays_as_written_in_the_twin() {
    let twin = BookTest::built("gfm").twin_body("");
    assert_contains_all(
        &twin,
        &[
            "| Name | Value |\n| --- | --- |\n| a | 1 |",
            "- [x] done\n- [ ] to do",
            "A claim.[^1] ~~Old~~ new.",
            "[^1]: The source.",
            "Jump [to it](#custom).",
        ],
    );
}

#[test]
fn gitbook_math_keeps_its_tex_and_single_dollars_stay_text() {
    let book = BookTest::built("math");
    let body = book.body("");
    assert_contains_all(
        &body,
        &[
            "<p><span class=\"math math-display\">\ny_t = r_1 * a_t * \\{b_t\\}\n</span></p>",
            "Within text, <span class=\"math math-inline\">k_n * m_n</span> is the ratio",
            "<span class=\"math math-inline\">s^2</span>",
            "<p><span class=\"math math-display\">w_0 * v_0</span> </p>",
            "set $PATH$ and pay $5, or $10.",
        ],
    );
    assert!(!body.contains("<em>"), "TeX read as emphasis: {body}");
    assert!(!body.contains("$$"), "delimiters left in the page: {body}");
    // The twin keeps the formulas as GitBook writes them.
    let twin = book.twin_body("");
    assert!(twin.contains("$$\ny_t = r_1 * a_t * \\{b_t\\}\n$$"), "{twin}");
    assert!(twin.contains("$$k_n * m_n$$"), "{twin}");
}

/// Line breaks in every form GitBook pages carry (`<br>`, `<br/>`, `</br>`, `<BR>`,
/// between single dollars) are line breaks on the page, never text; in the twin they stay `<br>` in running
/// text, so a table row, a heading and a paragraph keep their shape.
#[test]
fn line_breaks_in_any_form_keep_tables_headings_and_paragraphs_whole() {
    let book = BookTest::built("raw-html");
    let body = book.body("breaks");
    assert_contains_all(
        &body,
        &[
            "<td>Rake<br>Hoe</td><td>Beds<br>Borders<br>Paths</td>",
            "Spring<br>and summer",
            "<p>Water in the morning<br>\nand again at dusk.</p>",
            "<p>Mulch keeps<br>the soil moist.</p>",
            "<p>Prune in winter<br>before the buds swell.</p>",
            // Between single dollars, which GitBook does not read as math.
            "<p>Labels read ${name}.<br>${size} on each <strong>seed</strong> packet.</p>",
        ],
    );
    assert!(!body.to_ascii_lowercase().contains("&lt;"), "a tag shown as text: {body}");
    let twin = book.twin_body("breaks");
    assert_contains_all(
        &twin,
        &[
            "| Rake<br>Hoe | Beds<br>Borders<br>Paths |\n",
            "## Spring<br>and summer\n",
            "Water in the morning<br>\nand again at dusk.",
            "> Mulch keeps<br>the soil moist.",
            "Prune in winter\nbefore the buds swell.",
            "Labels read ${name}.<br>${size} on each **seed** packet.",
        ],
    );
}
