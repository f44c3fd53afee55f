//! Live patches (`serve --watch`): an edit to the text of pages, patched into the
//! built site, gives the same files as a full build of the edited content, and the
//! patched index answers from the new text. Edits that other pages show (a title, a
//! description, an anchor) rewrite in place the pages that show them, with the same
//! result; a new page or asset gets a full rebuild.

mod common;

use std::fs;
use std::path::Path;
use std::time::Instant;

use common::{tree_bytes, BookTest};
use docask::ask::{Engine, Request};
use docask::build::{self, patch, BuildOptions, Snapshot};

const CREATE: &str = "modules-and-features/settings/api-tokens/create-api-token.md";
const STATES: &str = "modules-and-features/settings/api-tokens/token-states.md";

fn bundled() -> BookTest {
    BookTest::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
}

fn options(content: &Path, out: &Path) -> BuildOptions {
    BuildOptions { content: content.into(), out: out.into(), base_url: None, strict: false, quiet: true, served: false }
}

fn edit(book: &BookTest, rel: &str, f: impl FnOnce(String) -> String) {
    let path = book.content.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, f(text)).unwrap();
}

/// The pages `edited` finds between the built site and its content now.
fn edited(book: &BookTest, built: &Snapshot) -> Option<Vec<String>> {
    let prepared = build::prepare(&book.content, Some(&book.out), None).unwrap();
    let paths: Vec<String> = prepared.site.pages.iter().map(|p| p.path.clone()).collect();
    built.edited(&Snapshot::of(&prepared)).map(|list| list.into_iter().map(|i| paths[i].clone()).collect())
}

#[test]
fn a_patched_site_equals_a_full_build_of_the_edited_content() {
    let book = bundled();
    let report = build::build(&options(&book.content, &book.out)).unwrap();
    edit(&book, CREATE, |t| format!("{t}\nTokens made for the zephyrine pipeline expire with it.\n"));
    edit(&book, STATES, |t| t.replace("exactly one of three states", "precisely one of three states"));

    let prepared = build::prepare(&book.content, Some(&book.out), None).unwrap();
    let next = Snapshot::of(&prepared);
    let list = report.snapshot.edited(&next).expect("only text changed");
    let paths: Vec<&str> = list.iter().map(|&i| prepared.site.pages[i].path.as_str()).collect();
    assert_eq!(paths, [CREATE, STATES]);
    let patched = patch::patch(&report.snapshot, next, prepared, &list, &book.out, Instant::now()).unwrap();
    assert_eq!(patched.pages, 2);

    let full = assert_same_as_a_full_build(&book, "two text edits");
    assert_eq!(patched.snapshot, full, "the next patch compares and splices against the right places");
    let llms_full = fs::read_to_string(book.out.join("llms-full.txt")).unwrap();
    assert!(llms_full.contains("zephyrine") && llms_full.contains("precisely one of three"));

    let engine = Engine::open(&book.out).unwrap();
    let answer = engine
        .ask(&Request { question: "what happens to tokens of the zephyrine pipeline", goal: None, page: None })
        .unwrap()
        .markdown();
    assert!(answer.contains("zephyrine"), "the patched index answers from the new text:\n{answer}");
    let states = engine.ask(&Request { question: "how many states can a token be in", goal: None, page: None });
    let states = states.unwrap().markdown();
    assert!(states.contains("is in precisely one of three"), "{states}");
    assert!(!states.contains("exactly one of three"), "the old text is gone from the index:\n{states}");
}

#[test]
fn a_second_patch_splices_at_the_places_the_first_left() {
    let book = bundled();
    let report = build::build(&options(&book.content, &book.out)).unwrap();
    let mut last = report.snapshot;
    for word in ["first", "second-longer-edit"] {
        edit(&book, STATES, |t| format!("{t}\nA {word} note.\n"));
        let prepared = build::prepare(&book.content, Some(&book.out), None).unwrap();
        let next = Snapshot::of(&prepared);
        let list = last.edited(&next).unwrap();
        last = patch::patch(&last, next, prepared, &list, &book.out, Instant::now()).unwrap().snapshot;
    }
    let fresh = tempfile::tempdir().unwrap();
    build::build(&options(&book.content, &fresh.path().join("public"))).unwrap();
    for file in ["llms-full.txt", "static/search-index.js"] {
        let (got, want) = (book.out.join(file), fresh.path().join("public").join(file));
        assert!(fs::read(got).unwrap() == fs::read(want).unwrap(), "`{file}` differs from a full build");
    }
}

#[test]
fn edits_that_other_pages_show_are_not_patched() {
    let book = bundled();
    let badge = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"/>";
    fs::write(book.content.join(".gitbook/assets/badge.svg"), badge).unwrap();
    let built = build::build(&options(&book.content, &book.out)).unwrap().snapshot;
    assert_eq!(edited(&book, &built), Some(vec![]), "no edit, nothing to patch");

    let original = fs::read_to_string(book.content.join(STATES)).unwrap();
    type Change = fn(&str) -> String;
    let cases: [(&str, Change); 5] = [
        ("title", |t| t.replace("# Token states", "# Token lifecycle")),
        ("description", |t| t.replace("Learn what the Active", "See what the Active")),
        ("anchor", |t| format!("{t}\n## Expiry\n\nTokens do not expire.\n")),
        ("asset", |t| format!("{t}\n![Badge](../../../.gitbook/assets/badge.svg)\n")),
        ("hidden", |t| t.replacen("---\n", "---\nhidden: true\n", 1)),
    ];
    for (what, change) in cases {
        fs::write(book.content.join(STATES), change(&original)).unwrap();
        assert_eq!(edited(&book, &built), None, "a {what} change needs a full rebuild");
    }
    fs::write(book.content.join(STATES), &original).unwrap();
    fs::write(book.content.join("new-page.md"), "# New\n\nText.\n").unwrap();
    assert_eq!(edited(&book, &built), Some(vec![]), "a file SUMMARY does not list is not published");
    let summary = fs::read_to_string(book.content.join("SUMMARY.md")).unwrap();
    fs::write(book.content.join("SUMMARY.md"), format!("{summary}* [New](new-page.md)\n")).unwrap();
    assert_eq!(edited(&book, &built), None, "a new page needs a full rebuild");
    let prepared = build::prepare(&book.content, Some(&book.out), None).unwrap();
    assert!(!built.same_pages(&Snapshot::of(&prepared)), "nor can it be rewritten in place");
}

#[test]
fn edits_that_other_pages_show_rewrite_every_page_and_index_only_the_changed_one() {
    let book = bundled();
    let report = build::build(&options(&book.content, &book.out)).unwrap();
    let sections = |segments: &serde_json::Value| -> Vec<(String, u64)> {
        let list = segments["segments"].as_array().unwrap().iter();
        list.map(|s| (s["segment_id"].as_str().unwrap().to_string(), s["max_doc"].as_u64().unwrap())).collect()
    };
    let meta = || serde_json::from_str(&fs::read_to_string(book.out.join(".docask/index/meta.json")).unwrap()).unwrap();
    let built = sections(&meta());
    edit(&book, STATES, |t| t.replace("# Token states", "# Token lifecycle"));
    edit(&book, STATES, |t| t.replace("Learn what the Active", "See what the Active"));

    let prepared = build::prepare(&book.content, Some(&book.out), None).unwrap();
    let next = Snapshot::of(&prepared);
    assert_eq!(report.snapshot.edited(&next), None, "other pages show a title");
    assert!(report.snapshot.same_pages(&next));
    let rewritten = patch::patch_all(&report.snapshot, next, prepared, &book.out, Instant::now()).unwrap();

    let full = assert_same_as_a_full_build(&book, "a title and a description edit");
    assert_eq!(rewritten.snapshot, full, "the next update compares against the right keys");
    // Only the pages that show the title in their index documents (the edited page,
    // those with a card linking to it) were indexed again, in a segment of their own.
    let added: u64 = sections(&meta()).iter().filter(|s| !built.contains(s)).map(|s| s.1).sum();
    let all: u64 = built.iter().map(|s| s.1).sum();
    assert!(added > 0 && added < all, "{added} of {all} sections indexed again");

    let engine = Engine::open(&book.out).unwrap();
    let answer = engine.ask(&Request { question: "token lifecycle", goal: None, page: None }).unwrap().markdown();
    assert!(answer.contains("[Token lifecycle]("), "the index holds the new title:\n{answer}");
}

#[test]
fn only_page_files_can_be_patched() {
    let book = bundled();
    let built = build::build(&options(&book.content, &book.out)).unwrap().snapshot;
    let content = book.content.canonicalize().unwrap();
    assert!(built.is_page(&content.join(STATES)));
    assert!(!built.is_page(&content.join("SUMMARY.md")));
    assert!(!built.is_page(&content.join(".gitbook/assets/token-states.svg")));
    assert!(!built.is_page(&content.join("not-a-page.md")));
    assert!(!built.is_page(Path::new("/elsewhere").join(STATES).as_path()));
}

#[test]
fn patches_merge_their_own_segments_and_leave_the_build_s_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (content, out) = (dir.path().join("content"), dir.path().join("public"));
    fs::create_dir(&content).unwrap();
    for n in 0..40 {
        let text = format!("# Page {n}\n\nIntro of page {n}.\n\n## Details\n\nDetails of page {n}.\n");
        fs::write(content.join(format!("page-{n:02}.md")), text).unwrap();
    }
    // Segment ids, largest first.
    let segments = || -> Vec<String> {
        let meta = fs::read_to_string(out.join(".docask/index/meta.json")).unwrap();
        let meta: serde_json::Value = serde_json::from_str(&meta).unwrap();
        let mut list: Vec<(u64, String)> = meta["segments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["max_doc"].as_u64().unwrap(), s["segment_id"].as_str().unwrap().to_string()))
            .collect();
        list.sort_by(|a, b| b.cmp(a));
        list.into_iter().map(|(_, id)| id).collect()
    };
    let mut last = build::build(&options(&content, &out)).unwrap().snapshot;
    let built = segments();
    // One patch per page: each leaves a small segment of its own.
    for n in 0..10 {
        let path = content.join(format!("page-{n:02}.md"));
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, format!("{text}\nEdited.\n")).unwrap();
        let prepared = build::prepare(&content, Some(&out), None).unwrap();
        let next = Snapshot::of(&prepared);
        let list = last.edited(&next).unwrap();
        assert_eq!(list.len(), 1);
        last = patch::patch(&last, next, prepared, &list, &out, Instant::now()).unwrap().snapshot;
    }
    let now = segments();
    assert!(now.contains(&built[0]), "the build's largest segment is not rewritten: {built:?} → {now:?}");
    assert!(now.len() < built.len() + 10, "the patches' segments were merged: {now:?}");
}

/// How a live update took an edit in.
#[derive(Debug, PartialEq)]
enum How {
    /// The edited pages patched.
    Patched,
    /// Every page rewritten in place.
    Rewritten,
    /// A full build.
    Rebuilt,
}

/// One live update as `serve --watch` makes it, reusing the parses `parses` kept: a
/// patch when only pages' text changed, every page rewritten in place when the pages
/// are the same, a full build into the output folder otherwise. Gives how, and the
/// snapshot and parses for the next.
fn update(opts: &BuildOptions, last: &Snapshot, parses: build::Parses) -> (How, Snapshot, build::Parses) {
    let prepared = build::prepare_for(opts, parses).unwrap();
    let next = Snapshot::of(&prepared);
    let (how, report) = match last.edited(&next) {
        Some(list) => (How::Patched, patch::patch(last, next, prepared, &list, &opts.out, Instant::now())),
        None if last.same_pages(&next) => {
            (How::Rewritten, patch::patch_all(last, next, prepared, &opts.out, Instant::now()))
        }
        None => (How::Rebuilt, build::write(opts, prepared, &opts.out, &opts.out, Instant::now())),
    };
    let report = report.unwrap();
    (how, report.snapshot, report.parses)
}

/// Asserts that the files of `book`'s output are those of a full build of its content;
/// gives that build's snapshot.
fn assert_same_as_a_full_build(book: &BookTest, when: &str) -> Snapshot {
    let fresh = tempfile::tempdir().unwrap();
    let full = build::build(&options(&book.content, &fresh.path().join("public"))).unwrap();
    let (got, want) = (tree_bytes(&book.out, &[".docask"]), tree_bytes(&fresh.path().join("public"), &[".docask"]));
    assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "{when}");
    for (rel, bytes) in &want {
        assert!(got[rel] == *bytes, "{when}: `{rel}` differs from a full build");
    }
    full.snapshot
}

#[test]
fn updates_that_reuse_kept_parses_equal_a_full_build() {
    let book = bundled();
    let opts = options(&book.content, &book.out);
    let report = build::build_keeping(&opts, build::parses::DEFAULT_BUDGET).unwrap();
    let pages = report.pages;
    let (mut last, mut parses) = (report.snapshot, report.parses);
    assert_eq!(parses.len(), pages, "the first build keeps every page's parse");

    for word in ["first", "second-longer-edit"] {
        edit(&book, STATES, |t| format!("{t}\nA {word} note about the quokka.\n"));
        let how;
        (how, last, parses) = update(&opts, &last, parses);
        assert_eq!(how, How::Patched, "a text edit is patched");
        assert_eq!(parses.parsed(), 1, "only the edited page is parsed again");
        assert_same_as_a_full_build(&book, &format!("the {word} text edit"));
    }

    edit(&book, STATES, |t| t.replace("# Token states", "# Token lifecycle"));
    let how;
    (how, last, parses) = update(&opts, &last, parses);
    assert_eq!(how, How::Rewritten, "a title edit rewrites in place the pages showing it");
    assert_eq!(parses.parsed(), 1);
    assert_same_as_a_full_build(&book, "the title edit");

    edit(&book, CREATE, |t| format!("{t}\nTokens made for the zephyrine pipeline expire with it.\n"));
    let how;
    (how, last, parses) = update(&opts, &last, parses);
    assert_eq!(how, How::Patched, "a text edit after the rewrite is patched");
    assert_eq!(parses.parsed(), 1);
    assert_same_as_a_full_build(&book, "a text edit after the rewrite");

    fs::write(book.content.join("new-page.md"), "# New\n\nA new page about the quokka.\n").unwrap();
    let summary = fs::read_to_string(book.content.join("SUMMARY.md")).unwrap();
    fs::write(book.content.join("SUMMARY.md"), format!("{summary}* [New](new-page.md)\n")).unwrap();
    let how;
    (how, last, parses) = update(&opts, &last, parses);
    assert_eq!(how, How::Rebuilt, "a page added rebuilds the site");
    assert_eq!(parses.len(), pages + 1);
    assert_same_as_a_full_build(&book, "a page added");

    fs::write(book.content.join("SUMMARY.md"), &summary).unwrap();
    fs::remove_file(book.content.join("new-page.md")).unwrap();
    (_, _, parses) = update(&opts, &last, parses);
    assert_eq!(parses.len(), pages);
    assert_same_as_a_full_build(&book, "a page removed");
}

/// `text` with its first heading renamed.
fn retitle(text: String, to: &str) -> String {
    let mut done = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(_) if !std::mem::replace(&mut done, true) => format!("# {to}"),
            _ => line.to_string(),
        })
        .collect();
    lines.join("\n") + "\n"
}

/// Rewrites the edit in `book` in place and checks it against a full build; gives
/// how many pages were rendered again and the next snapshot.
fn rewrite_and_compare(book: &BookTest, last: &Snapshot, when: &str) -> (usize, Snapshot) {
    let prepared = build::prepare(&book.content, Some(&book.out), None).unwrap();
    let next = Snapshot::of(&prepared);
    assert!(last.edited(&next).is_none() && last.same_pages(&next), "{when}: other pages show it");
    let rewritten = patch::patch_all(last, next, prepared, &book.out, Instant::now()).unwrap();
    let full = assert_same_as_a_full_build(book, when);
    assert_eq!(rewritten.snapshot, full, "{when}: the next update compares against the right keys");
    (rewritten.pages, full)
}

#[test]
fn a_title_edit_renders_only_the_pages_that_show_it_and_equals_a_full_build() {
    // With a SUMMARY the sidebars, breadcrumbs and pagers show its labels; without
    // one, the pages' own titles (and a folder without a readme is a label).
    for summary in [true, false] {
        let book = BookTest::from_fixture("nav-shapes");
        if !summary {
            fs::remove_file(book.content.join("SUMMARY.md")).unwrap();
        }
        let (rendered, all) = every_page_retitled(&book, &format!("summary: {summary}"));
        // A leaf deep in the navigation: its own page, the sidebars of its branch,
        // its neighbours in reading order; not the other branches.
        assert!(rendered["garden/tools/hoes.md"] < all / 2, "{rendered:?} of {all}");
        // The home page titles the site.
        assert_eq!(rendered["README.md"], all, "{rendered:?}");
        if summary {
            // The navigation shows SUMMARY's labels: a title is shown by the pages
            // linking to the page (cards, link texts) alone.
            assert_eq!(rendered["garden/tools/hoes.md"], 1, "{rendered:?}");
            assert_eq!(rendered["garden/beds/sunken.md"], 2, "{rendered:?}");
            assert!(rendered["garden/README.md"] < all / 2, "{rendered:?} of {all}");
        } else {
            // Every sidebar lists a top-level entry.
            assert_eq!(rendered["garden/README.md"], all, "{rendered:?}");
        }
    }
}

/// Retitles every page of `book` in turn, each edit checked against a full build;
/// gives how many pages each edit rendered again, and how many the site has.
fn every_page_retitled(book: &BookTest, case: &str) -> (std::collections::BTreeMap<String, usize>, usize) {
    let opts = options(&book.content, &book.out);
    let report = build::build(&opts).unwrap();
    let (all, mut last) = (report.pages, report.snapshot);
    let paths: Vec<String> = {
        let prepared = build::prepare(&book.content, Some(&book.out), None).unwrap();
        prepared.site.pages.iter().map(|p| p.path.clone()).collect()
    };
    let mut rendered = std::collections::BTreeMap::new();
    // Every page in turn (the site's title, top-level entries, entries under a label,
    // a page with a card or a link text pointing at it, leaves), the home page last.
    let mut order = paths.clone();
    order.rotate_left(1);
    for (n, path) in order.iter().enumerate() {
        edit(book, path, |t| retitle(t, &format!("Renamed page {n}")));
        let (pages, next) = rewrite_and_compare(book, &last, &format!("{case}: the title of `{path}`"));
        rendered.insert(path.clone(), pages);
        last = next;
    }
    edit(book, "garden/beds/raised.md", |t| t.replace("Wooden frames", "Timber frames"));
    let (pages, _) = rewrite_and_compare(book, &last, &format!("{case}: a description shown in cards"));
    assert!(pages < all, "{case}: {pages} of {all}");
    edit(book, "garden/tools/spades.md", |t| t.replacen("---\n", "---\nhidden: true\n", 1));
    let (pages, _) = rewrite_and_compare(book, &last, &format!("{case}: a page hidden in front matter"));
    assert_eq!(pages, all, "{case}");
    (rendered, all)
}
