//! GitBook blocks, one fixture site each (`tests/fixtures/<block>/`): every block is
//! built by the real binary, checked in the page's HTML (its `.markdown-body`) and in
//! its Markdown twin, where it must have become plain Markdown. Every build must be
//! clean and leave no `{%` in any output (`BookTest::built`). The larger outputs
//! (hint, tabs, stepper, openapi) are also `insta` snapshots.

mod common;

use common::BookTest;

#[test]
fn hint_renders_all_four_styles() {
    let book = BookTest::built("hint");
    let body = book.body("guide/hints");
    for (style, label) in [("info", "Info"), ("success", "Success"), ("warning", "Warning"), ("danger", "Danger")] {
        let open = format!("<div class=\"hint hint-{style}\" role=\"note\" aria-label=\"{label}\">");
        assert!(body.contains(&open), "{style}: {body}");
    }
    assert!(body.contains("hint that links <a href=\"../../\">home</a>"), "{body}");
    insta::assert_snapshot!("hint_html", body);
}

#[test]
fn hint_becomes_a_github_alert_in_the_twin() {
    let twin = BookTest::built("hint").twin_body("guide/hints");
    for alert in [
        "> [!NOTE]\n> An **info** hint that links [home](/index.md).\n",
        "> [!TIP]\n> A success hint.\n",
        "> [!WARNING]\n> A warning hint.\n>\n> With a second paragraph.\n",
        "> [!CAUTION]\n> A danger hint.",
    ] {
        assert!(twin.contains(alert), "missing {alert:?} in\n{twin}");
    }
    insta::assert_snapshot!("hint_twin", twin);
}

#[test]
fn tabs_render_as_a_tab_list_with_panels() {
    let body = BookTest::built("tabs").body("");
    assert!(body.contains(r#"<div class="tab-list" role="tablist"><button type="button" role="tab" id="tab-1-0" aria-controls="panel-1-0" aria-selected="true" tabindex="0">Linux</button><button type="button" role="tab" id="tab-1-1" aria-controls="panel-1-1" aria-selected="false" tabindex="-1">Windows</button></div>"#), "{body}");
    assert!(body.contains(r#"id="panel-1-1" aria-labelledby="tab-1-1" tabindex="0" hidden>"#));
    assert!(body.contains("<p>Download the <strong>MSI</strong> and run it.</p>"));
    insta::assert_snapshot!("tabs_html", body);
}

#[test]
fn tabs_become_bold_titles_with_content_in_the_twin() {
    let twin = BookTest::built("tabs").twin_body("");
    assert!(twin.contains("**Linux**\n\nRun the installer:\n\n```sh\ncurl -sSf https://example.com/install.sh | sh\n```\n\n**Windows**\n\nDownload the **MSI** and run it.\n\nDone."), "{twin}");
    insta::assert_snapshot!("tabs_twin", twin);
}

#[test]
fn stepper_renders_an_ordered_list_of_steps() {
    let book = BookTest::built("stepper");
    let body = book.body("");
    assert!(body.starts_with("<ol class=\"stepper\">"), "{body}");
    assert_eq!(body.matches("<li class=\"step\">").count(), 2, "{body}");
    assert!(body.contains("<h3 id=\"create-an-account\">Create an account"));
    insta::assert_snapshot!("stepper_html", body);
    let twin = book.twin_body("");
    assert!(
        twin.contains("### Create an account\n\nSign up on the website.\n\n**Step 2**\n\nConfirm your e-mail address."),
        "{twin}"
    );
    insta::assert_snapshot!("stepper_twin", twin);
}

#[test]
fn content_ref_and_page_ref_are_cards_titled_by_their_page() {
    let book = BookTest::built("content-ref");
    let body = book.body("");
    let card = |href: &str, title: &str| {
        format!("<a class=\"content-ref\" href=\"{href}\"><span class=\"content-ref-title\">{title}</span></a>")
    };
    assert!(body.contains(&card("guide/target/", "Target page")), "{body}");
    assert!(body.contains(&card("guide/", "The guide")), "{body}");
    let nested = book.body("guide/target");
    assert!(nested.contains(&card("../../", "Home")), "{nested}");
}

#[test]
fn content_refs_become_links_to_twins() {
    let book = BookTest::built("content-ref");
    assert_eq!(book.twin_body(""), "# Home\n\n[Target page](/guide/target.md)\n\n[The guide](/guide.md)");
    assert_eq!(book.twin_body("guide/target"), "# Target page\n\n[Home](/index.md)");
}

#[test]
fn embed_links_out_and_keeps_its_caption_body() {
    let book = BookTest::built("embed");
    let body = book.body("");
    let video = "https://www.youtube.com/watch?v=abc123";
    assert!(
        body.contains(&format!("<div class=\"embed\"><a href=\"{video}\" rel=\"noopener\">{video}</a></div>")),
        "{body}"
    );
    assert!(body.contains("<p>A short <strong>demo</strong>.</p>"), "{body}");
    let twin = book.twin_body("");
    assert!(twin.contains(&format!("[{video}]({video})")), "{twin}");
    assert!(twin.contains("[https://example.com/demo](https://example.com/demo)\n\nA short **demo**."), "{twin}");
}

/// A GitBook block inside an HTML comment is hidden with the comment, as GitBook
/// hides it; the page goes on after the comment (it used to end there).
#[test]
fn a_block_in_an_html_comment_is_hidden_and_the_page_goes_on() {
    let book = BookTest::built("embed");
    let body = book.body("retired");
    assert!(body.contains("turn the captions on"), "the page ends at the comment: {body}");
    assert!(body.contains("id=\"watching-the-new-tour\""), "{body}");
    assert!(!body.contains("old000"), "the commented-out embed shows: {body}");
}

#[test]
fn file_block_links_to_a_copied_asset() {
    let book = BookTest::built("file");
    let body = book.body("docs/downloads");
    assert!(body.contains(r#"<div class="file-download"><a href="../../.gitbook/assets/report%202024.pdf" download>report 2024.pdf</a><p>The yearly report.</p>"#), "{body}");
    let copied = std::fs::read(book.out.join(".gitbook/assets/report 2024.pdf")).expect("asset copied");
    let original = std::fs::read(book.content.join(".gitbook/assets/report 2024.pdf")).unwrap();
    assert_eq!(copied, original);
    let twin = book.twin_body("docs/downloads");
    assert!(twin.contains("[report 2024.pdf](/.gitbook/assets/report%202024.pdf)\n\nThe yearly report."), "{twin}");
}

/// A Markdown file among GitBook's uploaded files (`.gitbook/assets/`) is a file to
/// download, copied as it is, not a page left unpublished.
#[test]
fn an_uploaded_markdown_file_is_a_download_not_a_page() {
    let book = BookTest::built("file");
    let body = book.body("docs/downloads");
    assert!(
        body.contains(r#"<a href="../../.gitbook/assets/tasting-sheet.md" download>tasting-sheet.md</a>"#),
        "{body}"
    );
    let copied = std::fs::read_to_string(book.out.join(".gitbook/assets/tasting-sheet.md")).expect("file copied");
    assert!(copied.starts_with("# Tasting notes"), "{copied}");
    assert!(!book.exists(".gitbook/assets/tasting-sheet/index.html"), "the file was made a page");
}

#[test]
fn code_block_has_title_line_numbers_and_wrap() {
    let book = BookTest::built("code");
    let body = book.body("");
    assert!(
        body.starts_with(r#"<div class="code-block line-numbers wrap"><div class="code-title">main.rs</div>"#),
        "{body}"
    );
    assert_eq!(body.matches("<span class=\"line\">").count(), 3, "{body}");
    assert!(body.contains("<span class=\"tok-k\">fn</span> main()"), "{body}");
    let twin = book.twin_body("");
    assert!(
        twin.contains("**main.rs**\n\n```rust\nfn main() {\n    println!(\"a line long enough to wrap\");\n}\n```"),
        "{twin}"
    );
}

#[test]
fn nested_includes_are_inlined_in_place() {
    let book = BookTest::built("include");
    let body = book.body("guide/page");
    let order = [
        "Before the include.",
        "Outer text links <a href=\"../../\">home</a>",
        "<div class=\"hint hint-info\"",
        "Inner text from a nested include.",
        "After the include.",
    ];
    let positions: Vec<usize> =
        order.iter().map(|s| body.find(s).unwrap_or_else(|| panic!("no {s:?} in {body}"))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{body}");
    assert!(!body.contains("title: Outer"), "front matter of the include leaked: {body}");
    assert_eq!(book.twin_body("guide/page"), "# Page\n\nBefore the include.\n\nOuter text links [home](/index.md).\n\n> [!NOTE]\n> Inner text from a nested include.\n\nAfter the include.");
    assert!(!book.exists(".gitbook/includes/outer/index.html"), "an include is not a page");
    assert!(!book.read("llms.txt").contains("includes"));
}

/// Legacy GitBook books include any Markdown file of the book, not only
/// `.gitbook/includes/`: a snippet that SUMMARY does not list (root-absolute or
/// relative, itself including another one), or another page. A snippet stays out of
/// the site, and `check` does not call it unlisted: it is in use.
#[test]
fn any_markdown_file_of_the_book_can_be_included() {
    let book = BookTest::built("book-includes");
    let body = book.body("setup/sowing");
    let order = [
        "Sow two seeds per cell.",
        "Use a peat-free compost sieved to five millimetres.",
        "Keep the trays at eighteen degrees",
        "Label every tray.",
        "Water from below so the compost stays loose.",
    ];
    let positions: Vec<usize> =
        order.iter().map(|s| body.find(s).unwrap_or_else(|| panic!("no {s:?} in {body}"))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{body}");
    assert!(book.twin_body("setup/sowing").contains("Keep the trays at eighteen degrees"));
    assert!(book.body("setup/watering").contains("Water from below"), "the included page is still a page");
    assert!(!book.exists("snippets/soil/index.html") && !book.exists("snippets/soil.md"), "a snippet is not a page");
    let check = book.check();
    assert_eq!(check.code, 0, "{}", check.stderr);
}

/// Liquid's `{% raw %}` (legacy books): its text is shown as written, a tag in it
/// included, and it is no unknown block.
#[test]
fn a_raw_block_shows_its_text_as_written() {
    let book = BookTest::from_fixture("legacy-raw");
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.warnings().is_empty(), "{}", run.stderr);
    let body = book.body("");
    assert!(body.contains("{% hint style=") && body.contains("%} where a note starts."), "{body}");
    assert!(body.contains("<code>{{ reader.name }}</code>"), "{body}");
    assert!(!body.contains("class=\"hint"), "the tag inside raw became a block: {body}");
    assert!(body.contains("The rest of the card is plain text."), "{body}");
    assert!(book.twin_body("").contains("and {% hint style=\"info\" %} where a note starts."));
}

#[test]
fn openapi_card_reads_the_local_spec() {
    let book = BookTest::built("openapi");
    let body = book.body("api/pets");
    assert!(
        body.contains(r#"<span class="method method-get">GET</span> <code class="openapi-path">/pets/{petId}</code>"#),
        "{body}"
    );
    assert!(body.contains(r#"<p class="openapi-summary">Find a pet by ID</p>"#), "{body}");
    assert!(
        body.contains("<tr><td><code>petId</code></td><td>path</td><td>yes</td><td>ID of the pet to return</td></tr>"),
        "{body}"
    );
    assert!(body.contains("<li><code>404</code> No such pet</li>"), "{body}");
    insta::assert_snapshot!("openapi_html", body);
    let twin = book.twin_body("api/pets");
    assert!(
        twin.contains("**`GET /pets/{petId}`** — Find a pet by ID\n\nServer: `https://api.example.com/v1`"),
        "{twin}"
    );
    insta::assert_snapshot!("openapi_twin", twin);
    assert!(book.exists(".gitbook/assets/petstore.yaml"), "the linked spec is copied");
}

/// Links to an operation as GitBook anchors it on the published page (method and
/// path: `pets.md#get-pets-petid`) land on its card and are not reported.
#[test]
fn an_operation_card_carries_the_anchor_gitbook_gives_it() {
    let book = BookTest::built("openapi");
    let pets = book.body("api/pets");
    for id in ["get-pets-petid", "get-pets"] {
        assert!(pets.contains(&format!("<div class=\"openapi-card\" id=\"{id}\">")), "{id}: {pets}");
    }
    assert!(book.body("api/legacy").contains("<div class=\"openapi-card\" id=\"post-v1-orders\">"));
    let start = book.body("api/start");
    assert!(start.contains("href=\"../../api/pets/#get-pets-petid\""), "{start}");
}

/// OpenAPI descriptions are CommonMark, and GitBook shows them so: code, emphasis,
/// lists and line breaks, never their Markdown as text.
#[test]
fn openapi_descriptions_render_as_markdown() {
    let book = BookTest::built("openapi");
    let pets = book.body("api/pets");
    for part in [
        "<p>Lists the pets of the shop, <code>limit</code> at a time.<br>Sorted by <strong>name</strong>:</p>",
        "<li>cats first</li>",
        "<td>At most this many (<code>1</code> to <code>100</code>).</td>",
        "<li><code>200</code> A page of <em>pets</em></li>",
    ] {
        assert!(pets.contains(part), "missing {part} in {pets}");
    }
    assert!(!pets.contains("&lt;br") && !pets.contains("`limit`"), "{pets}");
}

#[test]
fn legacy_swagger_block_collects_its_children() {
    let book = BookTest::built("openapi");
    let body = book.body("api/legacy");
    for part in [
        r#"<span class="method method-post">POST</span> <code class="openapi-path">/v1/orders</code>"#,
        r#"<p class="openapi-summary">Create an order</p>"#,
        "<p>Places a new order.</p>",
        "<tr><td><code>item</code></td><td>body</td><td>yes</td><td>Item to order</td></tr>",
        "<li><code>201: Created</code> Order placed</li>",
    ] {
        assert!(body.contains(part), "missing {part} in {body}");
    }
    let twin = book.twin_body("api/legacy");
    assert!(twin.contains("**`POST /v1/orders`** — Create an order\n\nServer: `https://shop.example.com`\n\nPlaces a new order.\n\n| Parameter | In | Required | Description |\n| --- | --- | --- | --- |\n| `item` | body | yes | Item to order |\n\n- `201: Created` Order placed"), "{twin}");
}

#[test]
fn columns_render_side_by_side_and_stack_in_the_twin() {
    let book = BookTest::built("columns");
    assert_eq!(
        book.body(""),
        "<div class=\"columns\">\n<div class=\"column\">\n<p>Left side.</p>\n</div>\n<div class=\"column\">\n<p>Right side.</p>\n</div>\n</div>"
    );
    assert_eq!(book.twin_body(""), "# Columns\n\nLeft side.\n\nRight side.");
}

#[test]
fn updates_are_dated_sections() {
    let book = BookTest::built("updates");
    let body = book.body("");
    assert!(body.starts_with("<div class=\"updates\">\n<section class=\"update\"><p class=\"update-date\">2024-05-01</p>\n<h2 id=\"dark-mode\">Dark mode"), "{body}");
    assert_eq!(body.matches("<section class=\"update\">").count(), 2);
    let html = book.html("");
    assert!(
        html.contains("<a href=\"#faster-builds\">Faster builds</a>"),
        "updates' headings are in the page's table of contents"
    );
    assert_eq!(book.twin_body(""), "# Changelog\n\n**2024-05-01**\n\n## Dark mode\n\nThe theme follows your system.\n\n**2024-04-01**\n\n## Faster builds\n\nBuilds take half the time.");
}

#[test]
fn legacy_api_method_is_an_operation_card_with_its_parts() {
    let book = BookTest::built("legacy");
    let body = book.body("");
    for part in [
        "<span class=\"method method-post\">POST</span> <code class=\"openapi-path\">/v1/parcels</code>",
        "<p class=\"openapi-summary\">Book a parcel pickup</p>",
        "<p>Schedules a courier to collect a parcel from the sender's address.</p>",
        "<tr><td><code>Authorization</code></td><td>header</td><td>yes</td><td>Bearer key of the account that pays for the pickup.</td></tr>",
        "<tr><td><code>fragile</code></td><td>body</td><td>no</td><td>Marks the parcel for careful handling.</td></tr>",
        "<li><code>201</code> The pickup is booked.</li>",
        "Response <code>201</code>",
    ] {
        assert!(body.contains(part), "missing {part:?} in\n{body}");
    }
    let twin = book.twin_body("");
    assert!(
        twin.contains("| `weightGrams` | body | yes | Weight of the parcel in grams, packaging included. |"),
        "{twin}"
    );
    assert!(twin.contains("**Response `201`**\n\n```json\n{\"pickupId\": \"pk_41\""), "{twin}");
    let answer = book.ask(&["--json", "how heavy may a parcel be in grams"]);
    assert!(answer.stdout.contains("weightGrams"), "the parameters are indexed:\n{}", answer.stdout);
}

#[test]
fn legacy_code_tabs_are_tabs_and_integrations_are_cards() {
    let book = BookTest::built("legacy");
    let body = book.body("client");
    assert!(body.contains("role=\"tab\" id=\"tab-1-0\" aria-controls=\"panel-1-0\" aria-selected=\"true\" tabindex=\"0\">Python</button>"), "{body}");
    assert!(body.contains(">Node</button>") && body.contains("</span> install parcels-client"), "{body}");
    assert!(body.contains("href=\"https://github.com/example/parcels-client/blob/main/client.py\""), "{body}");
    let twin = book.twin_body("client");
    assert!(twin.contains("**Python**\n\n```python\npip install parcels-client\n```\n\n**Node**"), "{twin}");
    assert!(twin.contains("(https://github.com/example/parcels-client/blob/main/client.py)"), "{twin}");
}

#[test]
fn prompt_is_a_titled_box_and_conditional_content_shows_every_branch() {
    let book = BookTest::built("prompt-if");
    let body = book.body("");
    assert!(body.contains(r#"<div class="code-block wrap"><div class="code-title">Plan a voyage</div>"#), "{body}");
    assert!(body.contains("List the ports between Lisbon and Porto"), "{body}");
    assert!(body.contains("Captains see the harbour master") && body.contains("Passengers see the ferry"), "{body}");
    let twin = book.twin_body("");
    assert!(twin.contains("**Plan a voyage**\n\n```markdown\nList the ports"), "{twin}");
    assert!(twin.contains("Captains see") && twin.contains("Passengers see"), "{twin}");
}
