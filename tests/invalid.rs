//! Flawed and invalid content, from fixture sites. A flaw GitBook publishes anyway
//! (`tests/fixtures/flawed/`) is a warning for `build`, which builds the page the way
//! GitBook shows it, and an error for `check` and `build --strict`, which write
//! nothing. What makes a site impossible (`tests/fixtures/invalid/`) fails every
//! command with exit code 1 and a message naming the file. A failed build leaves the
//! previous output folder byte for byte as it was.

mod common;

use common::{BookTest, Run};

/// Builds flawed fixture `case`: `build` succeeds and prints each of `expected` as a
/// warning; `check` and `build --strict` fail with them as errors and write nothing.
/// Gives the built fixture.
fn assert_builds_with_warnings(case: &str, expected: &[&str]) -> BookTest {
    let strict = BookTest::from_fixture(&format!("flawed/{case}"));
    for (command, run) in [("check", strict.check()), ("build --strict", strict.build(&["--strict"]))] {
        assert_eq!(run.code, 1, "{command} {case}:\n{}", run.stderr);
        for line in expected {
            let line = format!("error: {line}");
            assert!(run.stderr.contains(&line), "{command} {case}: expected `{line}` in\n{}", run.stderr);
        }
    }
    assert!(!strict.out.exists(), "a strict failure wrote its output");
    let book = BookTest::from_fixture(&format!("flawed/{case}"));
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "build {case}:\n{}", run.stderr);
    for line in expected {
        let line = format!("warning: {line}");
        assert!(run.stderr.contains(&line), "build {case}: expected `{line}` in\n{}", run.stderr);
    }
    common::assert_no_liquid(&book.out);
    book
}

#[test]
fn unclosed_hint_ends_with_the_page() {
    let book = assert_builds_with_warnings(
        "unclosed-hint",
        &["page.md:5: unclosed `{% hint %}` opened at line 5 ends with the page: add `{% endhint %}`"],
    );
    let body = book.body("page");
    assert!(body.contains("<div class=\"hint hint-info\"") && body.contains("This hint is never closed."), "{body}");
    assert!(book.twin("page").contains("> [!NOTE]\n> This hint is never closed."));
}

#[test]
fn unknown_block_shows_its_content() {
    let book = assert_builds_with_warnings(
        "unknown-block",
        &["page.md:3: unknown block `{% magic %}`: its content is shown as is"],
    );
    assert!(book.body("page").contains("<p>Text inside an unknown block.</p>"));
}

#[test]
fn mismatched_end_tag_closes_the_nearest_block_of_its_kind() {
    let book = assert_builds_with_warnings(
        "mismatched-end",
        &[
            "page.md:4: unclosed `{% tab %}` opened at line 4 ends at `{% endtabs %}` on line 6",
            "page.md:7: `{% endtab %}` has no open `{% tab %}`: ignored",
        ],
    );
    let body = book.body("page");
    let tabs = body.find("<div class=\"tabs\">").expect("the tabs render");
    let one = body.find("One.").expect("the tab's text");
    let after = body.find("After the tabs.").expect("the text after");
    assert!(tabs < one && one < after, "{body}");
}

#[test]
fn include_of_a_missing_file_is_left_out() {
    let book = assert_builds_with_warnings(
        "missing-include",
        &["page.md:5: included file `.gitbook/includes/nowhere.md` does not exist"],
    );
    assert!(book.body("page").contains("Intro."));
}

#[test]
fn include_cycle_is_cut() {
    let book = assert_builds_with_warnings(
        "include-cycle",
        &[".gitbook/includes/b.md:2: include cycle: .gitbook/includes/a.md → .gitbook/includes/b.md → .gitbook/includes/a.md; the last include is left out"],
    );
    let body = book.body("page");
    assert!(body.contains("Text of a.") && body.contains("Text of b."), "{body}");
    assert_eq!(body.matches("Text of a.").count(), 1, "{body}");
}

#[test]
fn redirect_warnings_name_the_line_of_their_entry() {
    let book = assert_builds_with_warnings(
        "redirect-to-nothing",
        &[
            ".gitbook.yaml:5: redirect `old/moorings` points to `./moorings.md`, which is not a page",
            ".gitbook.yaml:6: redirect `tides` is also a page; the page wins",
        ],
    );
    assert!(book.exists("old/tides/index.html"), "the good redirect was left out");
}

#[test]
fn summary_entry_without_a_file_stays_a_label() {
    let book = assert_builds_with_warnings(
        "missing-summary-entry",
        &["SUMMARY.md:4: entry `Gone` points to `gone.md`, which does not exist: it is shown as a label"],
    );
    let nav = book.read("static/nav.js");
    assert!(nav.contains("Gone"), "the label stays in the navigation: {nav}");
}

#[test]
fn a_summary_that_lists_no_pages_is_named_and_the_folder_is_published() {
    let book = assert_builds_with_warnings(
        "summary-as-code",
        &["SUMMARY.md:3: `SUMMARY.md` lists no pages: its list is indented four spaces or more, so Markdown reads \
           it as a code block; every Markdown file is published instead, in folder order, as without a summary"],
    );
    assert!(book.html("tides").contains("High water comes twice a day."), "the pages are published");
    assert!(book.read("llms.txt").contains("Tide tables"), "and listed for agents");
}

#[test]
fn invalid_front_matter_is_left_out() {
    let book = assert_builds_with_warnings(
        "bad-front-matter",
        &["page.md:3: invalid front matter, left out: mapping values are not allowed in this context"],
    );
    assert!(book.html("page").contains("<title>Page"), "the page keeps its heading's title");
}

#[test]
fn unlisted_pages_are_not_published_and_check_names_them() {
    let book = BookTest::from_fixture("flawed/unlisted");
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(book.exists("listed/index.html") && !book.exists("draft/index.html") && !book.exists("draft.md"));
    assert!(!book.read("llms.txt").contains("draft"), "not listed for agents either");
    assert!(
        run.stderr
            .contains("warning: README.md:3: broken link: `draft.md` is not listed in SUMMARY, so it is not published"),
        "{}",
        run.stderr
    );
    let check = book.check();
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(check.stderr.contains("error: draft.md: not listed in `SUMMARY.md`, so not published"), "{}", check.stderr);
    std::fs::write(book.content.join("docask.toml"), "publish_unlisted = true\n").unwrap();
    assert_eq!(book.build(&[]).code, 0);
    assert!(book.exists("draft/index.html") && book.exists("draft.md"));
}

/// Runs `build` and `check` on invalid fixture `case`; both must exit 1 and print
/// every line of `expected` on stderr, and nothing is written.
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
fn two_files_with_one_url_are_both_published() {
    let book = assert_builds_with_warnings(
        "duplicate-url",
        &["a.md: maps to the same URL `/a` as `a/README.md`: published at `/a-2` (rename one of them to choose)"],
    );
    assert!(book.html("a").contains("<h1>A as a folder</h1>") && book.html("a-2").contains("<h1>A as a file</h1>"));
}

#[test]
fn a_root_outside_the_content_folder_or_missing() {
    assert_fails_with("root-outside", &["`.gitbook.yaml`: `root: ../` leaves the content folder"]);
    assert_fails_with("root-missing", &["`.gitbook.yaml`: `root: ./docs/` does not exist in the content folder"]);
}

#[test]
fn a_folder_without_pages_is_an_error_not_an_empty_site() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join(".gitbook/assets")).unwrap();
    std::fs::write(content.join(".gitbook/assets/logo.png"), b"not a page").unwrap();
    let out = dir.path().join("public");
    let (content_arg, out_arg) = (content.to_str().unwrap(), out.to_str().unwrap());
    for args in [vec!["build", "--content", content_arg, "--out", out_arg], vec!["check", "--content", content_arg]] {
        let run = common::docask(&args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("has no page to publish: add a README.md"), "{}", run.stderr);
    }
    assert!(!out.exists(), "an empty site was written");
}

/// The four problems of the `warnings` fixture, as `file:line: message` (an image in
/// a GitBook figure is an image too).
const PROBLEMS: [&str; 4] = [
    "README.md:3: broken link: `missing.md` does not exist",
    "README.md:5: broken anchor: `#nowhere` is not a heading of `other.md`",
    "README.md:7: broken image: `.gitbook/assets/missing.png` does not exist",
    "README.md:9: broken image: `.gitbook/assets/absent.png` does not exist",
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
    assert_eq!(run.warnings().len(), PROBLEMS.len(), "{}", run.stderr);
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
        let broken = common::fixtures().join("invalid/root-missing");
        common::copy_tree(&broken, &book.content);
    });
    assert!(run.stderr.contains("does not exist in the content folder"), "{}", run.stderr);
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

#[test]
fn a_plain_folder_fails_on_flaws_unless_told_to_warn() {
    // No SUMMARY.md and no .gitbook.yaml: no GitBook publishing to mirror.
    let book = BookTest::from_fixture("flawed/unclosed-hint");
    std::fs::remove_file(book.content.join("SUMMARY.md")).unwrap();
    let run = book.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error: page.md:5: unclosed `{% hint %}` opened at line 5"), "{}", run.stderr);
    assert!(!book.out.exists(), "a failed build wrote its output");
    std::fs::write(book.content.join("docask.toml"), "[build]\nflaws = \"warn\"\n").unwrap();
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning: page.md:5: unclosed `{% hint %}`"), "{}", run.stderr);
}

/// A legacy GitBook book (the `gitbook` CLI era) has no root SUMMARY: its `book.json`,
/// or the `LANGS.md` of a book per language, says GitBook built it, so its flaws are
/// warnings as in any GitBook repository. Without either, it is a plain folder again.
#[test]
fn a_legacy_gitbook_book_builds_its_flaws_with_warnings() {
    let book = BookTest::from_fixture("flawed/legacy-languages");
    let unclosed = "en/descaling.md:3: unclosed `{% hint %}` opened at line 3";
    for remove in ["", "LANGS.md", "book.json"] {
        if !remove.is_empty() {
            std::fs::remove_file(book.content.join(remove)).unwrap();
        }
        let run = book.build(&[]);
        if remove == "book.json" {
            assert_eq!(run.code, 1, "a plain folder built its flaws:\n{}", run.stderr);
            assert!(run.stderr.contains(&format!("error: {unclosed}")), "{}", run.stderr);
            continue;
        }
        assert_eq!(run.code, 0, "without `{remove}`:\n{}", run.stderr);
        assert!(run.stderr.contains(&format!("warning: {unclosed}")), "{}", run.stderr);
        assert!(book.body("en/descaling").contains("Rinse it twice afterwards."));
        assert!(book.body("fr/detartrage").contains("vinaigre blanc"));
    }
}

/// Link forms real repositories write and a browser follows: `<a name>` targets (API
/// reference generators), percent-encoded fragments (table-of-contents generators,
/// non-ASCII headings), links to a folder whose page is a lower-case `readme.md`.
/// None is reported; a percent-encoded fragment that names no heading still is.
#[test]
fn link_forms_that_land_in_a_browser_are_not_reported() {
    let book = BookTest::built("link-forms");
    let reference = book.body("reference");
    for name in ["Widget", "Widget.create", "Widget+remove"] {
        assert!(reference.contains(&format!("name=\"{name}\"")), "`<a name=\"{name}\">` kept: {reference}");
    }
    for url in ["", "notes", "team", "team/roles"] {
        assert!(!book.body(url).contains("broken-link"), "/{url}: {}", book.body(url));
    }
    let roles = book.body("team/roles");
    assert!(roles.contains("<a href=\"../../notes/\">notes</a>"), "a `..` above the root stays there: {roles}");
    let notes = book.content.join("notes.md");
    let text = std::fs::read_to_string(&notes).unwrap();
    std::fs::write(&notes, format!("{text}\n[Next](#%C3%A9tape-suivante)\n")).unwrap();
    let run = book.build(&[]);
    let expected = "warning: notes.md:15: broken anchor: `#%C3%A9tape-suivante` is not a heading of this page";
    assert_eq!(run.warnings(), [expected], "{}", run.stderr);
}
