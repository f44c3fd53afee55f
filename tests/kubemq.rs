//! Builds a real GitBook repository, the kubemq docs, whose folder is given in
//! `DOCASK_KUBEMQ_DIR` (CI sets it; without it the test prints a note and passes, so
//! a fresh clone's `cargo test` needs no corpus). Checks: exit 0, at least 220 pages,
//! no GitBook tag left in any page or twin, a redirect page for every redirect of
//! its `.gitbook.yaml` (or a warning naming the redirect whose target is missing),
//! and every relative link of the HTML resolves to an output file.

mod common;

use std::fs;
use std::path::PathBuf;

use common::{BookTest, Run};

/// The corpus folder, or `None` (with a note) when the variable is unset.
fn corpus() -> Option<PathBuf> {
    match std::env::var_os("DOCASK_KUBEMQ_DIR") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => {
            eprintln!("note: DOCASK_KUBEMQ_DIR is not set; skipping the kubemq corpus build");
            None
        }
    }
}

/// The redirect sources listed in `.gitbook.yaml` (`old/path: ./new.md` lines).
fn redirect_sources(yaml: &str) -> Vec<String> {
    let mut sources = Vec::new();
    let mut inside = false;
    for line in yaml.lines() {
        if !line.starts_with(' ') && !line.trim().is_empty() {
            inside = line.trim_end() == "redirects:";
            continue;
        }
        if let Some((from, _)) = line.trim().split_once(':').filter(|_| inside) {
            sources.push(from.trim().trim_matches(['"', '\'']).to_string());
        }
    }
    sources
}

fn check_redirects(book: &BookTest, run: &Run) {
    let yaml = fs::read_to_string(book.content.join(".gitbook.yaml")).expect(".gitbook.yaml");
    let sources = redirect_sources(&yaml);
    assert!(sources.len() >= 20, "{sources:?}");
    for from in sources {
        let from = from.trim_end_matches(".md");
        let page = book.out.join(common::html_file(from));
        let warned = run.warnings().iter().any(|w| w.contains(".gitbook.yaml") && w.contains(&format!("`{from}`")));
        if warned {
            continue;
        }
        let html = fs::read_to_string(&page).unwrap_or_else(|_| panic!("redirect `{from}`: no page and no warning"));
        assert!(html.contains("http-equiv=\"refresh\""), "{from}: {html}");
    }
}

#[test]
fn kubemq_corpus_builds_into_a_working_site() {
    let Some(dir) = corpus() else { return };
    let book = BookTest::in_place(&dir);
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pages = common::page_count(&book.out);
    assert!(pages >= 220, "only {pages} pages");
    common::assert_no_liquid(&book.out);
    check_redirects(&book, &run);
    let broken = common::broken_links(&book.out);
    assert!(broken.is_empty(), "{} broken: {broken:#?}", broken.len());
}

#[test]
fn redirect_sources_are_read_from_the_redirects_map() {
    let yaml = "root: ./\n\nredirects:\n  a/b: ./c.md\n  'd': ./e.md\nstructure:\n  readme: R.md\n";
    assert_eq!(redirect_sources(yaml), ["a/b", "d"]);
}

#[test]
fn separate_builds_answer_alike() {
    // Indexing threads share the work differently on every build, so a word can sit
    // in different segments; nothing the ask engine reads may depend on that.
    let Some(dir) = corpus() else { return };
    let questions = [
        "how do subscribers share the messages of a group",
        "keep queue messages after a restart with a persistent volume",
        "which signing algorithms does authentication accept",
        "send events from the command line",
    ];
    let answers = || -> Vec<String> {
        let book = BookTest::in_place(&dir);
        assert_eq!(book.build(&["--quiet"]).code, 0);
        questions.iter().map(|q| book.ask(&["--json", q]).stdout).collect()
    };
    let first = answers();
    for _ in 0..3 {
        assert_eq!(answers(), first);
    }
}
