//! GitBook block names: every name docask knows, modern and legacy, and how each
//! behaves in the text (a container with an end tag, a block that may stand alone,
//! an item of a container, an include); integration blocks (`@vendor/name`).
//!
//! Takes a tag's name; gives its `Shape`.

/// How a block name behaves in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Has an end tag; unclosed, it ends with its enclosing block or the page.
    Container,
    /// Stands alone unless an end tag follows before the next tag of its name.
    MaybeClosed,
    /// One item of the named container: an item opened while one is open ends it.
    Item(&'static str),
    /// `{% include "…" %}`.
    Include,
}

/// Every block name docask knows, modern and legacy, with its shape. Integration
/// blocks (`{% @github-files/… %}`) and unknown names stand alone unless closed.
const BLOCKS: &[(&str, Shape)] = &[
    ("hint", Shape::Container),
    ("tabs", Shape::Container),
    ("tab", Shape::Item("tabs")),
    ("stepper", Shape::Container),
    ("step", Shape::Item("stepper")),
    ("content-ref", Shape::Container),
    ("page-ref", Shape::MaybeClosed),
    ("embed", Shape::MaybeClosed),
    ("file", Shape::MaybeClosed),
    ("code", Shape::Container),
    // A reusable AI prompt: its text, under a description, to copy.
    ("prompt", Shape::Container),
    // Conditional content (`{% if visitor.claims… %}`): a static site has no visitor,
    // so every branch is shown.
    ("if", Shape::Container),
    ("include", Shape::Include),
    // Liquid's `raw` (legacy books): its text is shown as written, tags and all.
    ("raw", Shape::Container),
    ("columns", Shape::Container),
    ("column", Shape::Item("columns")),
    ("updates", Shape::Container),
    ("update", Shape::Item("updates")),
    ("openapi", Shape::MaybeClosed),
    ("openapi-operation", Shape::MaybeClosed),
    ("openapi-schemas", Shape::MaybeClosed),
    ("openapi-webhook", Shape::MaybeClosed),
    ("swagger", Shape::MaybeClosed),
    ("swagger-description", Shape::Container),
    ("swagger-parameter", Shape::MaybeClosed),
    ("swagger-response", Shape::MaybeClosed),
    ("code-tabs", Shape::Container),
    ("code-tabs-item", Shape::Item("code-tabs")),
    ("api-method", Shape::Container),
    ("api-method-summary", Shape::Container),
    ("api-method-description", Shape::Container),
    ("api-method-spec", Shape::Container),
    ("api-method-request", Shape::Container),
    ("api-method-response", Shape::Container),
    ("api-method-path-parameters", Shape::Container),
    ("api-method-query-parameters", Shape::Container),
    ("api-method-headers", Shape::Container),
    ("api-method-body-parameters", Shape::Container),
    ("api-method-form-data-parameters", Shape::Container),
    ("api-method-parameter", Shape::MaybeClosed),
    ("api-method-response-example", Shape::Container),
    ("api-method-response-example-description", Shape::Container),
];

/// The shape of a known block name; `None` for integration and unknown blocks.
pub fn shape(name: &str) -> Option<Shape> {
    BLOCKS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// The names of the blocks docask knows, for messages and documentation.
pub fn known() -> impl Iterator<Item = &'static str> {
    BLOCKS.iter().map(|(n, _)| *n)
}

/// An integration block: `{% @github-files/github-code-block url="…" %}`.
pub fn is_integration(name: &str) -> bool {
    name.starts_with('@')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_name_has_one_shape() {
        let names: Vec<_> = known().collect();
        for n in &names {
            assert_eq!(names.iter().filter(|m| *m == n).count(), 1, "{n}");
            if let Some(Shape::Item(parent)) = shape(n) {
                assert_eq!(shape(parent), Some(Shape::Container), "{n}");
            }
        }
    }
}
