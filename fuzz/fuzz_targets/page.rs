//! One page through the whole pipeline: front matter, blocks and includes, HTML (with
//! the sanitiser), the twin and the index text of every section.
#![no_main]

use std::collections::BTreeMap;

use docask::markdown::{html, markup::Sanitizer, sections, Links, Target};
use libfuzzer_sys::fuzz_target;

/// Links as a small site would resolve them: `.md` files are pages, the rest broken.
struct Site;

impl Links for Site {
    fn resolve(&self, _from: &str, href: &str) -> Target {
        match href.split_once('#') {
            Some(("", anchor)) => Target::Anchor(anchor.to_string()),
            _ if href.contains("://") => Target::External(href.to_string()),
            _ if href.ends_with(".md") => Target::Page { url: href.trim_end_matches(".md").to_string(), anchor: None },
            _ => Target::Broken("not found".into()),
        }
    }
    fn page_title(&self, _url: &str) -> Option<&str> {
        None
    }
    fn spec(&self, _from: &str, _src: &str) -> Option<&serde_json::Value> {
        None
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut warnings = Vec::new();
    // The page may include itself: the include stack and the size bound must hold.
    let include = docask::load::parse_source(".gitbook/includes/x.md".into(), &text, &mut warnings);
    let source = docask::load::parse_source("a/p.md".into(), &text, &mut warnings);
    let markdown = BTreeMap::from([(".gitbook/includes/x.md".to_string(), include)]);
    let (doc, _) = docask::markdown::parse(&source, &markdown);
    let _ = html::render(&doc, &Site, "a/p", Some(&Sanitizer::default()));
    let parts = sections::sections(&doc, &Site, "https://docs.example.com");
    let _ = sections::join(&parts);
});
