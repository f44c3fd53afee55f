//! Builds the bundled `content/` (the API tokens docs) with the real binary: zero
//! warnings, the create-token page's HTML (Markdown alternate link, sidebar,
//! breadcrumbs, previous/next), its twin and its `llms.txt` line; two builds are
//! byte-identical; every relative link in the HTML resolves to an output file, so
//! the site works from `file://` and any static host.

mod common;

use std::path::Path;

use common::{BookTest, Link};

const CREATE: &str = "modules-and-features/settings/api-tokens/create-api-token";

fn bundled() -> BookTest {
    BookTest::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
}

fn built() -> BookTest {
    let book = bundled();
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    book
}

/// The part of `html` from `start` to the next `end`.
fn section<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no `{start}`"));
    let to = html[from..].find(end).expect("section end") + from;
    &html[from..to]
}

#[test]
fn builds_with_zero_warnings_and_no_gitbook_tags() {
    let book = bundled();
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning:"), "{}", run.stderr);
    let sources = common::files(&book.content)
        .into_iter()
        .filter(|f| f.ends_with(".md") && f != "SUMMARY.md" && !f.starts_with(".gitbook/"))
        .count();
    assert!(sources >= 12, "{sources}");
    assert_eq!(common::page_count(&book.out), sources, "one twin per content page");
    common::assert_no_liquid(&book.out);
}

#[test]
fn create_token_page_links_its_twin_and_marks_its_place() {
    let book = built();
    let html = book.html(CREATE);
    assert!(html.contains(r#"<link rel="alternate" type="text/markdown" href="../create-api-token.md""#), "{html}");
    let sidebar = section(&html, "<nav id=\"sidebar\"", "</nav>");
    let current: Vec<&str> = sidebar.matches("aria-current=\"page\"").collect();
    assert_eq!(current.len(), 1, "{sidebar}");
    assert!(sidebar.contains(r#"<a href="./" aria-current="page">Create API token</a>"#), "{sidebar}");
}

#[test]
fn create_token_page_has_breadcrumbs_and_pager() {
    let html = built().html(CREATE);
    let crumbs = section(&html, "<nav class=\"breadcrumbs\"", "</nav>");
    let expected = [
        "<li><span>Modules and features</span></li>",
        r#"<li><a href="../../../../modules-and-features/settings/">Settings</a></li>"#,
        r#"<li><a href="../../../../modules-and-features/settings/api-tokens/">API tokens</a></li>"#,
        r#"<li><span aria-current="page">Create API token</span></li>"#,
    ];
    assert!(crumbs.contains(&expected.concat()), "{crumbs}");
    let pager = section(&html, "<nav class=\"pager\"", "</nav>");
    let siblings = "../../../../modules-and-features/settings/api-tokens";
    let prev = format!(
        r#"<a class="pager-prev" href="{siblings}/token-states/" rel="prev"><span class="pager-label">Previous</span><span class="pager-title">Token states</span></a>"#
    );
    let next = format!(
        r#"<a class="pager-next" href="{siblings}/view-api-tokens/" rel="next"><span class="pager-label">Next</span><span class="pager-title">View API tokens</span></a>"#
    );
    assert!(pager.contains(&prev), "{pager}");
    assert!(pager.contains(&next), "{pager}");
}

#[test]
fn create_token_twin_is_plain_markdown_with_agent_footer() {
    let twin = built().twin(CREATE);
    let mut lines = twin.lines();
    // The bundled docs name the server that answers for them (`[agent] ask_url`).
    assert!(lines.next().is_some_and(|l| l.starts_with("> ") && l.contains(" http://127.0.0.1:3000/mcp ")), "{twin}");
    assert_eq!(lines.next(), Some(""));
    assert_eq!(lines.next(), Some("# Create API tokens"));
    assert!(twin.contains(
        "\nAdd a new API token so that scripts and integrations can call the platform on behalf of your account.\n"
    ));
    // The stepper's steps and the hint became plain Markdown.
    assert!(twin.contains("\n### General\n"), "{twin}");
    assert!(twin.contains("\n> [!NOTE]\n> Developers can also create tokens"), "{twin}");
    assert!(twin.contains("[Copy API token](/modules-and-features/settings/api-tokens/copy-api-token.md)"));
    assert!(!twin.contains("{%"), "{twin}");
    let footer = &twin[twin.find("# Agent Instructions").expect("footer")..];
    assert!(footer.contains(&format!("GET http://127.0.0.1:3000/{CREATE}.md?ask=")), "{footer}");
    assert!(footer.contains("goal="), "{footer}");
}

#[test]
fn llms_txt_lists_groups_and_pages() {
    let llms = built().read("llms.txt");
    assert!(llms.starts_with("# "), "{llms}");
    assert!(llms.lines().any(|l| l.starts_with("> ")), "{llms}");
    assert!(llms.contains("MCP clients can connect to http://127.0.0.1:3000/mcp"), "{llms}");
    let groups: Vec<&str> = llms.lines().filter(|l| l.starts_with("## ")).collect();
    assert!(groups.contains(&"## Modules and features"), "{groups:?}");
    assert!(groups.contains(&"## Developer resources"), "{groups:?}");
    let modules = llms.find("## Modules and features").expect("group");
    let developers = llms.find("## Developer resources").expect("group");
    let line = format!("- [Create API tokens](/{CREATE}.md): Add a new API token so that scripts and integrations can call the platform on behalf of your account.");
    let at = llms.find(&line).unwrap_or_else(|| panic!("no `{line}` in\n{llms}"));
    assert!(modules < at && at < developers, "listed under its group");
}

#[test]
fn two_builds_are_byte_identical() {
    let first = built();
    let second = built();
    // Tantivy names its segment files with random ids.
    let skip = [".docask/index/"];
    let a = common::tree_bytes(&first.out, &skip);
    let b = common::tree_bytes(&second.out, &skip);
    assert!(a.len() > 20, "{:?}", a.keys());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "same files");
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "`{path}` differs between builds");
    }
}

#[test]
fn relative_links_resolve_to_output_files() {
    let book = built();
    assert!(book.exists(".gitbook/assets/token-states.svg"), "assets are copied");
    let broken = common::broken_links(&book.out);
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}

#[test]
fn harness_resolves_links_like_a_static_host() {
    use common::link_target;
    let file = |s: &str| Link::File(s.to_string());
    assert_eq!(link_target("a/b/index.html", "../c/"), file("a/c/index.html"));
    assert_eq!(link_target("a/index.html", "../"), file("index.html"));
    assert_eq!(link_target("index.html", "./"), file("index.html"));
    assert_eq!(link_target("a/index.html", "../x%20y.png#f"), file("x y.png"));
    assert_eq!(link_target("index.html", "https://e.com"), Link::Elsewhere);
    assert_eq!(link_target("index.html", "#top"), Link::Elsewhere);
    assert_eq!(link_target("a/index.html", "../../up"), Link::Outside);
    assert_eq!(common::decode_entities("..&#x2F;a&amp;b&#47;"), "../a&b/");
    let found = common::links_in(r#"<a href="x/">x</a><img src="y.png">"#);
    assert_eq!(found, ["x/", "y.png"]);
    let marked = r#"a <span class="broken-link" title="gone"><a href="gone">g</a></span> <a href="ok/">"#;
    assert_eq!(common::links_in(&common::without_marked_links(marked)), ["ok/"]);
}

#[test]
fn how_to_create_a_token_answers_with_every_wizard_step() {
    let book = built();
    let run =
        book.ask(&["--json", "--page", "/modules-and-features/settings/api-tokens.md", "how do I create an API token"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let answer = r["answer"]["markdown"].as_str().expect("an answer");
    // The numbered list ends with "Complete the wizard steps:"; the stepper's steps are
    // the headings under it, and each comes with the answer, in order.
    let at: Vec<usize> = ["Complete the wizard steps:", "**General**", "**Modules**", "**Overview**", "**Summary**"]
        .iter()
        .map(|s| answer.find(s).unwrap_or_else(|| panic!("no {s} in {answer}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{answer}");
    assert!(answer.contains("/create-api-token.md#create-a-new-api-token)"), "{answer}");
    assert!(!answer.contains("After you create a token"), "a sibling section is not a step: {answer}");
}
