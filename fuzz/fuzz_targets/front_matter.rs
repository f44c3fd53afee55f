//! Front matter: split off a page and parsed.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let split = docask::load::frontmatter::split(&text);
    if let Some(yaml) = split.yaml {
        let _ = docask::load::frontmatter::parse(yaml);
    }
    let mut warnings = Vec::new();
    let _ = docask::load::parse_source("p.md".into(), &text, &mut warnings);
});
