//! What must hold whatever is asked and from where: the asking page and its
//! neighbours rank higher, `--goal` harms nothing, an unanswerable question says so,
//! hostile questions never fail and bad ones are refused clearly, and answers are
//! byte-identical across asks, after a rebuild into the same folder, and once the
//! site's pages are gone (asking reads only `.docask/`).

use std::collections::BTreeMap;
use std::fs;
use std::process::{Command, Stdio};

use super::{ask_json, ask_markdown, site, sources, BILLING, SECURITY, TRACKING, WEBHOOKS};
use crate::common::BookTest;

/// A question both webhook pages answer: one says where the secret comes from, the
/// other how to use and roll it.
const SECRET: &str = "What is the webhook secret?";

/// Top two sources as owned strings.
fn top_two(book: &BookTest, args: &[&str]) -> Vec<String> {
    sources(&ask_json(book, args)).iter().take(2).map(|s| s.to_string()).collect()
}

#[test]
fn the_asking_page_ranks_first_among_equals() {
    let book = site();
    assert_eq!(top_two(&book, &["--page", WEBHOOKS, SECRET]), [WEBHOOKS, SECURITY]);
    assert_eq!(top_two(&book, &["--page", SECURITY, SECRET]), [SECURITY, WEBHOOKS]);
    assert_eq!(top_two(&book, &["--page", "notifications/webhooks/", SECRET]), [WEBHOOKS, SECURITY], "clean URL");
}

/// Excerpt URL → score.
fn scores(book: &BookTest, args: &[&str]) -> BTreeMap<String, f64> {
    let r = ask_json(book, args);
    let excerpts = r["excerpts"].as_array().expect("excerpts").iter();
    excerpts.map(|e| (e["url"].as_str().expect("url").to_string(), e["score"].as_f64().expect("score"))).collect()
}

#[test]
fn the_asking_pages_neighbours_are_lifted() {
    let book = site();
    let alone = scores(&book, &[SECRET]);
    // Both webhook pages are children of Notifications; Billing is no neighbour.
    let from_parent = scores(&book, &["--page", "/notifications.md", SECRET]);
    let from_elsewhere = scores(&book, &["--page", BILLING, SECRET]);
    let webhook_sections: Vec<_> = alone.iter().filter(|(url, _)| url.starts_with("/notifications/")).collect();
    assert!(!webhook_sections.is_empty(), "{alone:?}");
    for (url, score) in webhook_sections {
        assert!(from_parent.get(url).is_some_and(|s| s > score), "{url}: {score} then {from_parent:?}");
        assert_eq!(from_elsewhere.get(url), Some(score), "{url}");
    }
}

#[test]
fn a_goal_keeps_the_answer_and_rides_along_in_follow_ups() {
    let book = site();
    let question = "How do I create an API key?";
    let goal = "connect my shop's checkout to Parcel";
    let plain = ask_json(&book, &[question]);
    let with_goal = ask_json(&book, &["--goal", goal, question]);
    assert_eq!(with_goal["goal"], goal);
    assert_eq!(with_goal["answer"], plain["answer"]);
    assert_eq!(sources(&with_goal).first(), sources(&plain).first());
    let encoded = "&goal=connect%20my%20shop%27s%20checkout%20to%20Parcel";
    let follow_ups = with_goal["follow_ups"].as_array().expect("follow_ups");
    assert!(!follow_ups.is_empty());
    for f in follow_ups {
        let url = f["url"].as_str().expect("url");
        assert!(url.contains(".md?ask=") && url.ends_with(encoded), "{url}");
    }
    assert!(ask_markdown(&book, &["--goal", goal, question]).contains(encoded));
}

#[test]
fn an_unanswerable_question_says_so_and_lists_the_nearest_pages() {
    let book = site();
    let question = "Can I pay with bitcoin?";
    let r = ask_json(&book, &[question]);
    assert!(r["answer"].is_null(), "{r:#}");
    let found = sources(&r);
    assert!(!found.is_empty());
    assert!(found.iter().enumerate().all(|(i, s)| !found[..i].contains(s)), "unique: {found:?}");
    let md = ask_markdown(&book, &[question]);
    assert!(md.starts_with("# Can I pay with bitcoin?\n\nNo answer found in this documentation.\n"), "{md}");
    assert!(md.contains("\n# Sources:\n\n- ["), "{md}");
}

#[test]
fn a_question_naming_what_the_docs_never_mention_is_not_answered_from_the_nearest_section() {
    let book = site();
    let question = "How do I get tracking updates for a Parcel shipment into Zapier?";
    let r = ask_json(&book, &[question]);
    assert!(r["answer"].is_null(), "{r:#}");
    assert_eq!(r["unmentioned"], serde_json::json!(["Zapier"]), "{r:#}");
    assert!(sources(&r).contains(&TRACKING), "the nearest pages are still listed: {r:#}");
    let md = ask_markdown(&book, &[question]);
    assert!(
        md.contains("No answer found in this documentation.\n\nThe documentation never mentions Zapier.\n"),
        "{md}"
    );
    // The same question about what the docs do cover is answered.
    let r = ask_json(&book, &["How do I get tracking updates for a Parcel shipment?"]);
    assert!(r["answer"].is_object() && r.get("unmentioned").is_none(), "{r:#}");
}

#[test]
fn hostile_questions_never_fail() {
    let book = site();
    let long = "where is my parcel? ".repeat(50);
    let wide = "ж".repeat(1000);
    let questions = [
        "?!?.,;:",
        "\"unclosed quote",
        "'single' \"double\" `back`",
        "AND(",
        "*",
        "title:webhook OR body:[a TO z]~2^3 +must -not",
        "📦🚚 where is it?",
        "Как создать ключ API?",
        "如何创建API密钥？",
        "'; DROP TABLE shipments; --",
        "<script>alert('x')</script><img src=x onerror=alert(1)>",
        "\\",
        "line one\nline two\ttab",
        long.as_str(),
        wide.as_str(),
    ];
    for q in questions {
        assert!(q.chars().count() <= 1000);
        let r = ask_json(&book, &[q]);
        assert_eq!(r["question"], q);
        let md = ask_markdown(&book, &[q]);
        assert!(md.starts_with("# ") && md.contains("\n# Sources:\n"), "{q:?}: {md}");
    }
}

#[test]
fn empty_and_overlong_questions_are_refused_clearly() {
    let book = site();
    let over = "a".repeat(1001);
    for (q, message) in [
        ("", "the question is empty"),
        ("  \t ", "the question is empty"),
        (over.as_str(), "longer than 1000 characters"),
    ] {
        let run = book.ask(&["--json", q]);
        assert_ne!(run.code, 0, "{q:?}");
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert!(run.stderr.starts_with("error: ") && run.stderr.contains(message), "{}", run.stderr);
    }
}

#[test]
fn the_same_question_gives_the_same_bytes() {
    let book = site();
    let question = "How do I add money to my account?";
    for args in [vec!["--json", question], vec![question], vec!["--json", "--page", WEBHOOKS, SECRET]] {
        let first = book.ask(&args);
        assert_eq!(first.code, 0, "{}", first.stderr);
        assert_eq!(first.stdout, book.ask(&args).stdout, "{args:?}");
    }
}

/// Section documents in the index of a built site.
fn index_docs(book: &BookTest) -> u64 {
    let index = tantivy::Index::open_in_dir(book.out.join(docask::index::INDEX_DIR)).expect("an index");
    index.reader().expect("a reader").searcher().num_docs()
}

#[test]
fn a_rebuild_replaces_the_index_instead_of_adding_to_it() {
    let book = site();
    let invoice = "When do I get my invoice?";
    assert_eq!(sources(&ask_json(&book, &[invoice])).first(), Some(&BILLING));
    let docs_before = index_docs(&book);
    fs::remove_file(book.content.join("account/billing.md")).expect("remove the billing page");
    let summary = fs::read_to_string(book.content.join("SUMMARY.md")).expect("SUMMARY.md");
    let without = summary.replace("* [Billing](account/billing.md)\n", "");
    assert_ne!(without, summary);
    fs::write(book.content.join("SUMMARY.md"), without).expect("write SUMMARY.md");
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let fresh = BookTest::from_dir(&book.content);
    assert_eq!(fresh.build(&[]).code, 0);
    assert_eq!(index_docs(&book), index_docs(&fresh));
    assert!(index_docs(&book) < docs_before);
    for q in [invoice, "How do I add money to my account?", "What does error code insufficient_funds mean?", SECRET] {
        let rebuilt = book.ask(&["--json", q]).stdout;
        assert!(!rebuilt.contains(BILLING), "{q}: {rebuilt}");
        assert_eq!(rebuilt, fresh.ask(&["--json", q]).stdout, "{q}");
    }
}

#[test]
fn asking_reads_only_the_index_folder() {
    let book = site();
    let args = ["--json", "--page", WEBHOOKS, SECRET];
    let before = book.ask(&args).stdout;
    for entry in fs::read_dir(&book.out).expect("output folder").map(|e| e.expect("entry")) {
        if entry.file_name() != ".docask" {
            let path = entry.path();
            let gone = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
            gone.expect("remove an output file");
        }
    }
    let after = book.ask(&args);
    assert_eq!(after.code, 0, "{}", after.stderr);
    assert_eq!(after.stdout, before);
}

#[test]
fn a_reader_that_goes_away_is_no_crash() {
    let book = site();
    let mut child = Command::new(env!("CARGO_BIN_EXE_docask"))
        .args(["ask", "--out", book.out.to_str().expect("UTF-8 path"), "How do I create an API key?"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("docask runs");
    // Like `docask ask … | head -0`: the pipe closes before the answer is written.
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("docask ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
