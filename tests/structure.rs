//! How a content folder becomes a site, from fixture sites: `.gitbook.yaml` (root
//! folder, renamed summary, redirect pages), an mdBook-grammar `SUMMARY.md` (prefix
//! and suffix chapters, `# Part` headings, drafts, `---`), a folder without a summary
//! (sorted navigation, `README.md` as folder index), and front matter (description,
//! unknown keys accepted, `hidden: true`), and a listed page inside a dot-folder.

mod common;

use common::{BookTest, Link};

/// The URL a redirect page sends to, from its `<meta http-equiv="refresh">`.
fn refresh_target(html: &str) -> String {
    let start = html.find("http-equiv=\"refresh\" content=\"0; url=").expect("meta refresh")
        + "http-equiv=\"refresh\" content=\"0; url=".len();
    let end = html[start..].find('"').expect("end of content") + start;
    common::decode_entities(&html[start..end])
}

fn assert_in_order(text: &str, parts: &[&str]) {
    let mut from = 0;
    for part in parts {
        let at = text[from..].find(part).unwrap_or_else(|| panic!("{part:?} missing or out of order in\n{text}"));
        from += at + part.len();
    }
}

#[test]
fn gitbook_yaml_root_and_summary_name_are_honoured() {
    let book = BookTest::built("gitbook-yaml");
    assert!(book.exists("index.html") && book.exists("guide/new-place/index.html"));
    assert!(!book.exists("notes/index.html"), "a file outside `root` was built");
    assert!(!book.exists("toc/index.html") && !book.exists("toc.md"), "the summary is not a page");
    let llms = book.read("llms.txt");
    assert!(llms.contains("## Guides\n\n- [New place](/guide/new-place.md)"), "{llms}");
    assert!(!llms.contains("Not documentation"), "{llms}");
}

#[test]
fn gitbook_yaml_redirects_become_refresh_pages() {
    let book = BookTest::built("gitbook-yaml");
    for (from, target, lands_on) in
        [("old/place", "../../guide/new-place/", "guide/new-place/index.html"), ("legacy", "../", "index.html")]
    {
        let page = common::html_file(from);
        let html = book.read(&page);
        assert_eq!(refresh_target(&html), target, "{from}");
        assert_eq!(common::link_target(&page, target), Link::File(lands_on.into()));
        assert!(html.contains(&format!("<link rel=\"canonical\" href=\"{target}\">")), "{html}");
    }
    assert!(!book.read("sitemap.xml").contains("old/place"), "redirects are not pages");
}

/// A summary file named with a zero-width space (`SUMMARY.md\u{200b}`, as GitBook
/// writes it when `.gitbook.yaml` names it so) is the summary: its pages only are
/// published, in its order, and it is neither a page nor a copied file.
#[test]
fn a_summary_named_with_a_zero_width_space_is_the_summary() {
    let book = BookTest::built("zero-width-summary");
    assert!(book.exists("brewing/index.html"));
    assert!(!book.exists("draft/index.html"), "a file the summary does not list was published");
    assert!(!common::files(&book.out).iter().any(|f| f.starts_with("SUMMARY")), "the summary was copied");
    let llms = book.read("llms.txt");
    assert!(llms.contains("- [Brewing](/brewing.md)"), "{llms}");
}

/// A `structure.readme` above the root (`../README.md` with `root: ./docs`, the
/// repository's front page) is the home page, with one warning naming the line;
/// the root's pages are built as usual.
#[test]
fn a_readme_above_the_root_is_the_home_page_with_a_warning() {
    let book = BookTest::from_fixture("flawed/readme-above-root");
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0]
        .starts_with("warning: .gitbook.yaml:5: `structure.readme: ../README.md` is outside the root folder"));
    assert!(book.body("").contains("The club meets on Thursdays"), "{}", book.body(""));
    assert!(book.twin("").contains("# Tea club"), "{}", book.twin(""));
    assert!(book.body("brewing").contains("Steep black tea"));
}

#[test]
fn mdbook_summary_parts_prefix_and_suffix_chapters() {
    let book = BookTest::built("mdbook-summary");
    let llms = book.read("llms.txt");
    assert_in_order(
        &llms,
        &[
            "- [Introduction](/intro.md)",
            "## Part one",
            "- [Chapter A](/part/a.md)",
            "- [Section A.1](/part/a1.md)",
            "## Part two",
            "- [Chapter B](/part/b.md)",
            "- [Appendix](/appendix.md)",
        ],
    );
    assert!(!llms.contains("## Summary"), "the summary's own title is not a group: {llms}");
    let sitemap = book.read("sitemap.md");
    assert!(
        sitemap.contains("- [Chapter A](/part/a.md)\n  - [Section A.1](/part/a1.md)\n- Draft chapter\n"),
        "{sitemap}"
    );
}

#[test]
fn mdbook_summary_drafts_are_labels_and_reading_order_follows_it() {
    let book = BookTest::built("mdbook-summary");
    let html = book.html("part/a1");
    assert!(html.contains("<span class=\"nav-label\">Draft chapter</span>"), "{html}");
    assert!(html.contains("<a class=\"pager-prev\" href=\"../../part/a/\" rel=\"prev\">"));
    assert!(html.contains("<a class=\"pager-next\" href=\"../../part/b/\" rel=\"next\">"));
    assert!(!book.read("sitemap.xml").contains("Draft"), "a draft has no page");
    // No README: the site root leads to the first chapter.
    assert_eq!(refresh_target(&book.read("index.html")), "intro/");
}

/// Without `structure.readme`, a root `readme.md` (any case) is the home page, as
/// `a/readme.md` is the page of folder `a`: not a page at `/readme` behind a redirect.
#[test]
fn a_lower_case_root_readme_is_the_home_page() {
    let book = BookTest::built("lowercase-readme");
    assert!(book.body("").contains("How the joinery bench is kept in order."));
    assert!(book.twin("").contains("How the joinery bench is kept in order."));
    assert!(!book.exists("readme/index.html") && !book.exists("readme.md"), "the readme has a URL of its own");
    let llms = book.read("llms.txt");
    assert!(llms.contains("[Workshop notes](/index.md)"), "{llms}");
    assert!(book.body("tools/chisels").contains("href=\"../../\""), "a link to the readme leads home");
}

#[test]
fn no_summary_navigation_follows_the_sorted_folder_tree() {
    let book = BookTest::built("no-summary");
    assert_eq!(
        book.read("sitemap.md"),
        "# Home sitemap\n\n- [Home](/index.md)\n- [Alpha](/a.md)\n- [Zeta](/z.md)\n- a-folder\n  - [Loose](/a-folder/loose.md)\n- [Folder B](/b.md)\n  - [Inside B](/b/x.md)\n"
    );
    let html = book.html("b/x");
    assert!(
        html.contains("<li><a href=\"../../b/\">Folder B</a></li><li><span aria-current=\"page\">Inside B</span></li>"),
        "README is the folder's page"
    );
    assert!(html.contains("<a class=\"pager-prev\" href=\"../../b/\" rel=\"prev\">"));
}

#[test]
fn no_summary_hidden_page_is_built_but_not_listed() {
    let book = BookTest::built("no-summary");
    assert!(book.exists("draft/index.html") && book.exists("draft.md"));
    assert!(!book.html("").contains("Draft"), "hidden page in the sidebar");
    assert!(!book.read("llms.txt").contains("Draft"));
    assert!(!book.read("sitemap.xml").contains("draft"));
}

#[test]
fn front_matter_description_is_used_and_unknown_keys_accepted() {
    let book = BookTest::built("front-matter");
    let description = "A page with a description and keys docask does not know.";
    let html = book.html("described");
    assert!(html.contains(&format!("<meta name=\"description\" content=\"{description}\">")), "{html}");
    assert!(html.contains(&format!("<p class=\"page-description\">{description}</p>")));
    assert!(book.twin_body("described").starts_with(&format!("# Described\n\n{description}\n\nBody text.")));
    assert!(book.read("llms.txt").contains(&format!("- [Described](/described.md): {description}")));
    assert!(!html.contains("docs-team"), "unknown keys are kept out of the page");
}

#[test]
fn front_matter_hidden_page_is_left_out_of_listings() {
    let book = BookTest::built("front-matter");
    assert!(book.exists("secret/index.html") && book.exists("secret.md"));
    let llms = book.read("llms.txt");
    let sitemap = book.read("sitemap.xml");
    assert!(!llms.contains("Secret") && !sitemap.contains("/secret"), "{llms}\n{sitemap}");
    // A page missing from SUMMARY.md but not hidden is listed when `publish_unlisted` is set.
    assert!(llms.contains("## Optional\n\n- [Unlisted](/unlisted.md)"), "{llms}");
    assert!(sitemap.contains("<loc>/unlisted</loc>"), "{sitemap}");
}

#[test]
fn every_fixture_site_works_from_any_static_host() {
    let mut cases: Vec<String> = std::fs::read_dir(common::fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // `legacy-raw` shows a `{% %}` tag as text on purpose, which `built` forbids.
        .filter(|name| !["invalid", "flawed", "warnings", "semantic", "legacy-raw"].contains(&name.as_str()))
        .collect();
    cases.sort();
    assert!(cases.len() >= 17, "{cases:?}");
    for case in cases {
        let book = BookTest::built(&case);
        assert!(book.exists("index.html"), "{case}: no page at the site root");
        let broken = common::broken_links(&book.out);
        assert!(broken.is_empty(), "{case}: {broken:#?}");
    }
}

/// A page with no heading of its own and no front-matter title is titled by the link
/// text of its first SUMMARY entry, as GitBook titles it, not by its file name; a
/// heading or a front-matter title still wins, and a heading wins over a front-matter
/// title (GitBook does not read that key).
#[test]
fn an_untitled_page_takes_its_summary_label() {
    let book = BookTest::built("untitled");
    assert!(book.read("pruning/index.html").contains("<title>Pruning roses"), "{}", book.read("pruning/index.html"));
    let llms = book.read("llms.txt");
    assert!(llms.contains("[Pruning roses](/pruning.md)"), "{llms}");
    assert!(!llms.contains("[Pruning](") && !llms.contains("[Pruning again]("), "{llms}");
    assert!(llms.contains("[Mulching beds](/mulch.md)"), "front matter wins: {llms}");
    assert!(llms.contains("[Garden notes](/index.md)"), "the heading wins: {llms}");
    assert!(llms.contains("[Raised beds](/beds.md)") && !llms.contains("working title"), "{llms}");
    assert!(book.read("beds/index.html").contains("<title>Raised beds |"), "{}", book.read("beds/index.html"));
}

#[test]
fn a_listed_page_in_a_dot_folder_is_published() {
    // GitBook files pages it cannot place under `.uncategorized/` and lists them.
    let book = BookTest::built("dot-folder");
    assert!(book.exists(".uncategorized/loose-notes/index.html"), "listed dot-folder page not built");
    assert!(book.exists(".uncategorized/loose-notes.md"), "its twin not written");
    assert!(book.body(".uncategorized/loose-notes").contains("Store spare mantles"));
    assert!(book.body("guide/trimming").contains(r#"href="../../.uncategorized/loose-notes/""#));
    // A dot-folder the summary does not name is still not content.
    assert!(!book.exists(".github/template/index.html"));
}

/// Without a summary at the root, the tables of contents of spaces kept in
/// subfolders (`guide/SUMMARY.md`) are not pages: GitBook never publishes a summary.
/// The other files of those folders are.
#[test]
fn summaries_of_spaces_in_subfolders_are_not_pages() {
    let book = BookTest::built("space-summaries");
    for summary in ["guide/SUMMARY", "recipes/SUMMARY"] {
        assert!(!book.exists(&format!("{summary}/index.html")), "{summary} was built as a page");
        assert!(!book.exists(&format!("{summary}.md")), "{summary} has a twin");
    }
    assert!(book.exists("guide/setup/index.html") && book.exists("recipes/bread.md"));
    let llms = book.read("llms.txt");
    assert!(!llms.contains("Table of contents") && !llms.contains("SUMMARY"), "{llms}");
    assert!(llms.contains("[Setting up the oven](/guide/setup.md)"), "{llms}");
}

/// A space's pages follow its own summary in the navigation (order, nesting, groups),
/// not the folder's sorted order; its pages that summary does not list come after.
#[test]
fn a_space_in_a_subfolder_keeps_the_order_of_its_summary() {
    let book = BookTest::built("space-summaries");
    let llms = book.read("llms.txt");
    let order = [
        "(/guide.md)",
        "(/guide/setup.md)",
        "(/guide/baking.md)",
        "(/guide/baking/loaves.md)",
        "(/guide/baking/buns.md)",
        "(/guide/cleaning.md)",
        "(/guide/appendix.md)",
        "(/recipes/bread.md)",
    ];
    assert_in_order(&llms, &order);
    let sitemap = book.read("sitemap.md");
    assert!(sitemap.contains("  - Afterwards\n    - [Cleaning up](/guide/cleaning.md)\n"), "{sitemap}");
    assert!(sitemap.contains("    - [Loaves](/guide/baking/loaves.md)\n    - [Buns]"), "{sitemap}");
    assert!(book.html("guide/setup").contains("class=\"pager-next\" href=\"../../guide/baking/\""));
}

/// A root `index.md` beside the root `README.md` would claim the home page's twin
/// `/index.md`: the home page keeps it, and the other page is published under a
/// numbered slug with a warning, as two files with one URL are.
#[test]
fn a_root_index_md_leaves_the_home_twin_to_the_home_page() {
    let book = BookTest::from_fixture("flawed/index-beside-readme");
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].contains("index.md") && warnings[0].contains("`/index-2`"), "{}", warnings[0]);
    let home = book.read("index.md");
    assert!(home.contains("The home page of the garden handbook.") && !home.contains("apple to zucchini"), "{home}");
    assert!(book.read("index-2.md").contains("from apple to zucchini"));
    assert!(book.html("index-2").contains("from apple to zucchini"));
    assert!(book.html("").contains("The home page of the garden handbook."));
    let llms = book.read("llms.txt");
    assert_eq!(llms.matches("(/index.md)").count(), 1, "{llms}");
    assert!(llms.contains("[Plant index](/index-2.md)"), "{llms}");
}

/// Destinations with spaces (`![](/assets/Oven Door.png)`, `[list](shopping list.md)`),
/// as the legacy GitBook editor wrote them and legacy GitBook rendered them, are an
/// image and a link, not text; the same Markdown in a code span stays as written.
#[test]
fn legacy_destinations_with_spaces_are_images_and_links() {
    let book = BookTest::built("legacy-spaced-links");
    let body = book.body("");
    assert_eq!(body.matches("](").count(), 1, "Markdown left as text outside the code span:\n{body}");
    assert!(body.contains("[kept](as code.md)"), "the code span was changed:\n{body}");
    let targets: Vec<common::Link> = common::links_in(&book.html(""))
        .iter()
        .filter(|l| l.contains("Oven") || l.contains("shopping"))
        .map(|l| common::link_target("index.html", l))
        .collect();
    assert!(targets.contains(&Link::File("assets/Oven Door.png".into())), "{targets:?}\n{body}");
    assert!(targets.contains(&Link::File("shopping list/index.html".into())), "{targets:?}\n{body}");
    for target in &targets {
        let Link::File(file) = target else { panic!("{target:?}") };
        assert!(book.exists(file), "{file} was not written");
    }
    let twin = book.twin_body("");
    assert!(twin.contains("![](") && twin.contains("[the shopping list]("), "{twin}");
}

/// Paths written on Windows (`..\.gitbook\assets\a.png`, `garden\sowing.md`), which
/// a browser reads with `/`: images, links, raw HTML, SUMMARY entries, file and
/// content-ref blocks all land on their files, which are copied; nothing is a broken
/// link, and a code span keeps its backslashes.
#[test]
fn windows_separators_in_paths_land_on_their_files() {
    let book = BookTest::from_fixture("windows-paths");
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.warnings().is_empty(), "{}", run.stderr);
    let mut landed = Vec::new();
    for (url, page) in [
        ("", "index.html"),
        ("garden/sowing", "garden/sowing/index.html"),
        ("garden/watering", "garden/watering/index.html"),
    ] {
        let body = book.body(url);
        for link in common::links_in(&body) {
            assert!(!link.contains('\\') && !link.contains("%5C"), "{link} on {page}:\n{body}");
            if let Link::File(file) = common::link_target(page, &link) {
                assert!(book.exists(&file), "{link} on {page} leads to {file}, which was not written");
                landed.push(file);
            }
        }
    }
    for file in [
        "images/trowel.png",
        "images/watering can.png",
        ".gitbook/assets/seed-tray.png",
        ".gitbook/assets/calendar.txt",
        "garden/sowing/index.html",
        "garden/watering/index.html",
    ] {
        assert!(landed.iter().any(|l| l == file), "nothing links {file}: {landed:?}");
    }
    let home = book.body("");
    assert!(home.contains(r"<code>![kept](images\trowel.png)</code>"), "{home}");
    assert!(book.body("garden/sowing").contains(">calendar.txt</a>"), "the file is named by its file name");
    let llms = book.read("llms.txt");
    assert_in_order(&llms, &["[Sowing](/garden/sowing.md)", "[Watering](/garden/watering.md)"]);
    let twin = book.twin_body("garden/sowing");
    assert!(twin.contains("![Seed tray](/.gitbook/assets/seed-tray.png)"), "{twin}");
}

/// A legacy book's `book.json` `root` (the `gitbook` CLI's) is honoured without a
/// `.gitbook.yaml`: the book in that folder is the site, not the repository's front
/// page and tool notes around it.
#[test]
fn a_legacy_book_json_root_is_the_content_root() {
    let book = BookTest::from_fixture("legacy-root");
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.warnings().is_empty(), "{}", run.stderr);
    assert!(book.body("").contains("A short book about garden ponds."), "{}", book.body(""));
    assert!(book.exists("filters/index.html") && book.exists("fish.md"));
    assert!(!book.exists("tools/notes/index.html") && !book.exists("book/filters/index.html"));
    let llms = book.read("llms.txt");
    assert_in_order(&llms, &["[Filters](/filters.md)", "[Fish](/fish.md)"]);
    assert!(!llms.contains("front page") && !llms.contains("Build script"), "{llms}");
}
