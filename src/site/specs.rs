//! The OpenAPI specs that pages' API blocks reference, parsed once for the site.
//!
//! Takes the pages and the spec files' texts; gives each spec's value by path, and a
//! warning (at the block that references it) for a spec that cannot be read.

use std::collections::BTreeMap;

use super::Page;
use crate::diag::{Diagnostic, Severity};
use crate::markdown::{blocks, BlockKind};
use crate::paths;

/// Parses the spec files that OpenAPI blocks reference.
pub(super) fn parse(
    pages: &[Page],
    texts: &BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, serde_json::Value> {
    let mut wanted = BTreeMap::new();
    for page in pages {
        blocks::walk(&page.doc.nodes, &mut |b| {
            if let BlockKind::Api(api) = &b.kind {
                if let Some(path) = api.src.as_deref().and_then(|s| paths::resolve(&b.file, s)) {
                    wanted.entry(path).or_insert((b.file.to_string(), b.line));
                }
            }
        });
    }
    let mut specs = BTreeMap::new();
    for (path, (file, line)) in wanted {
        let Some(text) = texts.get(&path) else {
            continue;
        };
        match serde_yaml_ng::from_str::<serde_json::Value>(text) {
            Ok(v) => {
                specs.insert(path, v);
            }
            Err(e) => diags.push(Diagnostic {
                file,
                line,
                severity: Severity::Warning,
                message: format!("OpenAPI spec `{path}` could not be read: {e}"),
            }),
        }
    }
    specs
}
