//! Content errors and warnings, from fixture sites: each site under
//! `tests/fixtures/invalid/` must fail `build` and `check` with exit code 1 and the
//! exact message naming file and line; broken links, anchors and images are warnings
//! for `build` but fail `build --strict` and `check`; a failed build leaves the
//! previous output folder byte for byte as it was.

mod common;

use common::{BookTest, Run};

/// Runs `build` and `check` on invalid fixture `case`; both must exit 1 and print
/// every line of `expected` on stderr.
fn assert_fails_with(case: &str, expected: &[&str]) {
    let book = BookTest::from_fixture(&format!("invalid/{case}"));
    for (command, run) in [("build", book.build(&[])), ("check", book.check())] {
        assert_eq!(run.code, 1, "{command} {case}:\n{}", run.stderr);
        for line in expected {
            assert!(run.stderr.contains(line), "{command} {case}: expected `{line}` in\n{}", run.stderr);
        }
    }
    assert!(!book.out.exists(), "a failed build wrote its output");
}

#[test]
fn unclosed_hint() {
    assert_fails_with(
        "unclosed-hint",
        &["error: page.md:5: unclosed `{% hint %}` opened at line 5: add `{% endhint %}`"],
    );
}

#[test]
fn unknown_block() {
    assert_fails_with("unknown-block", &["error: page.md:3: unknown block `{% magic %}` (known: hint,"]);
}

#[test]
fn mismatched_end_tag() {
    assert_fails_with(
        "mismatched-end",
        &["error: page.md:6: `{% endtabs %}` does not match `{% tab %}` opened at line 4"],
    );
}

#[test]
fn include_of_a_missing_file() {
    assert_fails_with(
        "missing-include",
        &["error: page.md:5: included file `.gitbook/includes/nowhere.md` does not exist"],
    );
}

#[test]
fn include_cycle() {
    assert_fails_with(
        "include-cycle",
        &["error: .gitbook/includes/b.md:2: include cycle: .gitbook/includes/a.md → .gitbook/includes/b.md → .gitbook/includes/a.md"],
    );
}

#[test]
fn summary_entry_without_a_file() {
    assert_fails_with(
        "missing-summary-entry",
        &["error: SUMMARY.md:4: entry `Gone` points to `gone.md`, which does not exist"],
    );
}

#[test]
fn two_files_with_one_url() {
    assert_fails_with("duplicate-url", &["the content has 1 problem(s):", "maps to the same URL `/a` as `"]);
    let run = BookTest::from_fixture("invalid/duplicate-url").check();
    assert!(run.stderr.contains("a.md") && run.stderr.contains("a/README.md"), "names both files:\n{}", run.stderr);
}

#[test]
fn invalid_front_matter() {
    assert_fails_with(
        "bad-front-matter",
        &["error: page.md:3: invalid front matter: mapping values are not allowed in this context"],
    );
}

/// The three problems of the `warnings` fixture, as `file:line: message`.
const PROBLEMS: [&str; 3] = [
    "README.md:3: broken link: `missing.md` does not exist",
    "README.md:5: broken anchor: `#nowhere` is not a heading of `other.md`",
    "README.md:7: broken image: `.gitbook/assets/missing.png` does not exist",
];

fn assert_reports(run: &Run, kind: &str) {
    for problem in PROBLEMS {
        let line = format!("{kind}: {problem}");
        assert!(run.stderr.contains(&line), "expected `{line}` in\n{}", run.stderr);
    }
}

#[test]
fn broken_references_are_warnings_for_build() {
    let book = BookTest::from_fixture("warnings");
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_reports(&run, "warning");
    assert_eq!(run.warnings().len(), 3, "{}", run.stderr);
    assert!(book.exists("index.html"), "the site is written");
    let body = book.body("");
    assert!(body.contains("<span class=\"broken-link\""), "broken link marked: {body}");
}

#[test]
fn broken_references_fail_strict_build_and_check() {
    let book = BookTest::from_fixture("warnings");
    let strict = book.build(&["--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert_reports(&strict, "error");
    assert!(!book.out.exists(), "a strict failure wrote its output");
    let check = book.check();
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert_reports(&check, "error");
}

#[test]
fn check_passes_on_valid_content() {
    let run = BookTest::from_fixture("hint").check();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("error") && !run.stderr.contains("warning"), "{}", run.stderr);
}

/// Builds fixture `hint`, breaks its content with `break_it`, builds again into the
/// same output and checks that nothing changed there and no staging folder is left.
/// Returns the failed run.
fn assert_failed_rebuild_keeps_output(break_it: impl Fn(&BookTest)) -> Run {
    let book = BookTest::from_fixture("hint");
    assert_eq!(book.build(&[]).code, 0);
    let before = common::tree_bytes(&book.out, &[]);
    assert!(before.contains_key("guide/hints/index.html"));
    break_it(&book);
    let run = book.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(common::tree_bytes(&book.out, &[]), before, "output changed");
    let parent = book.out.parent().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
    run
}

#[test]
fn failed_build_leaves_the_previous_output_untouched() {
    // A content error: the build stops before writing anything.
    let run = assert_failed_rebuild_keeps_output(|book| {
        std::fs::remove_dir_all(&book.content).unwrap();
        let broken = common::fixtures().join("invalid/unclosed-hint");
        common::copy_tree(&broken, &book.content);
    });
    assert!(run.stderr.contains("unclosed `{% hint %}`"), "{}", run.stderr);
}

#[test]
fn build_failing_while_writing_leaves_the_previous_output_untouched() {
    // A theme template that fails to render: pages are half written when it fails.
    let run = assert_failed_rebuild_keeps_output(|book| {
        let templates = book.content.join("_theme/templates");
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(templates.join("redirect.html"), "{{ no_such_value }}").unwrap();
        std::fs::write(book.content.join(".gitbook.yaml"), "redirects:\n  old: ./README.md\n").unwrap();
    });
    let message = "failed to render template `redirect.html`";
    assert!(run.stderr.contains(message), "{}", run.stderr);
}
