//! `SUMMARY.md`: parsed, turned into the navigation tree, and walked.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let summary = docask::load::summary::parse(&text, "docs/SUMMARY.md");
    let entries = summary.entries();
    let nav = docask::site::Nav::from_summary(&summary, &|p| (p.len() % 3 == 0).then_some(p.len() % 7));
    let _ = nav.places(7);
    let _ = nav.reading_order();
    assert!(entries.len() < 1 << 24);
});
