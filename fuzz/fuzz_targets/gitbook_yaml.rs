//! `.gitbook.yaml`: read as GitBook reads it (zero-width characters dropped).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = docask::load::gitbook_yaml::GitbookYaml::parse(&docask::load::read::without_zero_width(&text));
});
