//! Tests of the section walker: the twin's Markdown and the index text, together.

use super::super::testing::{doc, FakeLinks};
use super::*;

fn twin(body: &str) -> String {
    join(&sections(&doc(body), &FakeLinks::new(), ""))
}

#[test]
fn keeps_markdown_and_makes_links_absolute() {
    let out = twin("# Title\n\nSee [the *x* page](x.md#a) and [web](https://e.com).\n\n![pic](img.png)\n");
    assert_eq!(out, "See [the *x* page](/x.md#a) and [web](https://e.com).\n\n![pic](/img.png)\n");
}

#[test]
fn splits_into_sections_at_headings() {
    let s = sections(&doc("intro\n\n## One\n\ntext\n\n## Two\n\nmore\n"), &FakeLinks::new(), "");
    assert_eq!(s.len(), 3);
    assert_eq!(s[1].heading.as_ref().unwrap().id, "one");
    assert_eq!(s[1].markdown, "## One\n\ntext\n");
    assert_eq!(s[1].text.trim(), "text");
}

#[test]
fn blocks_become_plain_markdown() {
    let out = twin("{% hint style=\"warning\" %}\nKeep it **secret**.\n\nReally.\n{% endhint %}\n\n{% tabs %}\n{% tab title=\"curl\" %}\n```\ncurl x\n```\n{% endtab %}\n{% endtabs %}\n\n{% content-ref url=\"x.md\" %}\n[x](x.md)\n{% endcontent-ref %}\n\n{% embed url=\"https://v.io/1\" %}\n");
    assert!(out.contains("> [!WARNING]\n> Keep it **secret**.\n>\n> Really.\n"), "{out}");
    assert!(out.contains("**curl**\n\n```\ncurl x\n```\n"), "{out}");
    assert!(out.contains("[Page X](/x.md)\n"), "{out}");
    assert!(out.contains("[https://v.io/1](https://v.io/1)"), "{out}");
    assert!(!out.contains("{%"), "{out}");
}

#[test]
fn blank_line_runs_collapse_outside_code_only() {
    let out = twin("{% tabs %}\n{% tab title=\"A\" %}\none\n{% endtab %}\n{% endtabs %}\n\nafter\n\n<details>\n\n<summary>Q</summary>\n\nA\n\n</details>\n\n```\ncode\n\n\nmore\n```\n");
    assert!(out.contains("one\n\nafter\n"), "{out}");
    assert!(out.contains("**Q**\n\nA\n"), "{out}");
    assert!(!out.replace("code\n\n\nmore", "").contains("\n\n\n"), "{out}");
    assert!(out.contains("```\ncode\n\n\nmore\n```"), "{out}");
}

#[test]
fn figures_and_entities_become_markdown() {
    let out = twin("Step one.&#x20;\n\n<figure><img src=\"img.png\" alt=\"Wizard\"><figcaption><p>The wizard</p></figcaption></figure>\n");
    assert!(out.contains("Step one. \n"), "{out}");
    assert!(out.contains("![Wizard](/img.png)\n\n*The wizard*"), "{out}");
}

#[test]
fn spaces_in_figure_sources_keep_the_image_an_image() {
    let out = twin("<figure><img src=\"assets/image (55).png\" alt=\"Mismatch\"><figcaption></figcaption></figure>\n");
    assert!(out.contains("![Mismatch](/assets/image%20(55).png)"), "{out}");
    let image = pulldown_cmark::Parser::new(&out)
        .any(|e| matches!(e, pulldown_cmark::Event::Start(pulldown_cmark::Tag::Image { .. })));
    assert!(image, "{out}");
}

#[test]
fn script_links_are_unlinked() {
    let out = twin("[click](javascript:alert(1)) and <a href=\"vbscript:x\">there</a> and <script>alert(2)</script>\n");
    assert!(!out.contains("javascript") && !out.contains("vbscript") && !out.contains("<script"), "{out}");
    assert!(out.contains("click") && out.contains("there"), "{out}");
}

#[test]
fn text_keeps_block_text_and_drops_tags() {
    let d = doc("# T\n\nIntro text.\n\n## Setup\n\n{% hint style=\"info\" %}\nA **hint**.\n{% endhint %}\n\n```sh\nrun it\n```\n\n<figure><img src=\"a.png\"><figcaption><p>Cap &amp; more</p></figcaption></figure>\n");
    let s = sections(&d, &FakeLinks::new(), "");
    assert_eq!(s.len(), 2);
    assert!(s[0].text.contains("Intro text."));
    assert_eq!(s[1].heading.as_ref().unwrap().text, "Setup");
    assert!(s[1].text.contains("A hint."), "{:?}", s[1].text);
    assert!(s[1].text.contains("run it"));
    assert!(s[1].text.contains("Cap & more"), "{:?}", s[1].text);
    assert!(!s[1].text.contains("figcaption"));
}

#[test]
fn headings_in_framing_blocks_do_not_split() {
    let d = doc("a\n\n## B\n\n{% tabs %}\n{% tab title=\"x\" %}\n### C\n{% endtab %}\n{% endtabs %}\n\n{% hint %}\n## Not split\n{% endhint %}\n");
    let s = sections(&d, &FakeLinks::new(), "");
    let headings: Vec<_> = s.iter().map(|s| s.heading.as_ref().map(|h| h.text.clone())).collect();
    assert_eq!(headings, [None, Some("B".to_string()), Some("C".to_string())]);
    assert!(s[2].text.contains("Not split"), "{:?}", s[2].text);
    assert!(s[2].markdown.contains("> ## Not split"), "{}", s[2].markdown);
}

#[test]
fn legacy_blocks_read_like_their_modern_equivalents() {
    let legacy = twin("{% code-tabs %}\n{% code-tabs-item title=\"a.sh\" %}\n```sh\nrun\n```\n{% endcode-tabs-item %}\n{% endcode-tabs %}\n");
    let modern = twin("{% tabs %}\n{% tab title=\"a.sh\" %}\n```sh\nrun\n```\n{% endtab %}\n{% endtabs %}\n");
    assert_eq!(legacy, modern);
    let api = twin("{% api-method method=\"post\" host=\"https://api.example.com\" path=\"/v1/parcels\" %}\n{% api-method-summary %}\nSend a parcel\n{% endapi-method-summary %}\n{% api-method-description %}\nBooks a courier.\n{% endapi-method-description %}\n{% api-method-spec %}\n{% api-method-request %}\n{% api-method-headers %}\n{% api-method-parameter name=\"Authorization\" type=\"string\" required=true %}\nYour key.\n{% endapi-method-parameter %}\n{% endapi-method-headers %}\n{% api-method-body-parameters %}\n{% api-method-parameter name=\"weight\" type=\"number\" %}\nIn grams.\n{% endapi-method-parameter %}\n{% endapi-method-body-parameters %}\n{% endapi-method-request %}\n{% api-method-response %}\n{% api-method-response-example httpCode=201 %}\n{% api-method-response-example-description %}\nBooked.\n{% endapi-method-response-example-description %}\n```json\n{\"id\": 7}\n```\n{% endapi-method-response-example %}\n{% endapi-method-response %}\n{% endapi-method-spec %}\n{% endapi-method %}\n");
    assert!(
        api.starts_with(
            "**`POST /v1/parcels`** — Send a parcel\n\nServer: `https://api.example.com`\n\nBooks a courier.\n"
        ),
        "{api}"
    );
    assert!(api.contains("| `Authorization` | header | yes | Your key. |"), "{api}");
    assert!(api.contains("| `weight` | body | no | In grams. |"), "{api}");
    assert!(api.contains("- `201` Booked.\n"), "{api}");
    assert!(api.contains("**Response `201`**\n\n```json\n{\"id\": 7}\n```"), "{api}");
    assert!(!api.contains("{%"), "{api}");
}

#[test]
fn gitbook_raw_html_reads_as_markdown() {
    let out = twin("## Setup <a href=\"#setup-1\" id=\"setup-1\"></a>\n\nClick <a href=\"https://e.org\" class=\"button primary\">Go</a> now.\n\n<figure><img src=\"img.png\" alt=\"P\"><figcaption></figcaption></figure>\n\n<pre><code><strong>run\n</strong>stop</code></pre>\n");
    assert!(out.contains("## Setup \n") || out.contains("## Setup\n"), "{out}");
    assert!(out.contains("Click [Go](https://e.org) now."), "{out}");
    assert!(out.contains("![P](/img.png)\n") && !out.contains("**\n"), "{out}");
    assert!(out.contains("```\nrun\nstop\n```"), "{out}");
}
