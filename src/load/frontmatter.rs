//! YAML front matter: splits `---` blocks off a page and reads the keys docask uses.
//!
//! Takes a page's text, gives the `FrontMatter` and where the body starts; unknown
//! keys are kept in `extra`, never rejected.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The front matter of a page.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct FrontMatter {
    /// One-sentence summary shown under the title and in `llms.txt`.
    pub description: Option<String>,
    /// Title of a page without a heading of its own (GitBook ignores the key, and
    /// titles a page by its first heading; some repositories set it).
    pub title: Option<String>,
    /// Hidden pages are built but left out of the navigation.
    pub hidden: bool,
    /// GitBook page icon name (kept for templates).
    pub icon: Option<String>,
    /// GitBook layout settings (kept for templates).
    pub layout: Option<serde_yaml_ng::Value>,
    /// Every other key, kept as written.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_yaml_ng::Value>,
}

/// A page split into front matter and body.
#[derive(Debug)]
pub struct Split<'a> {
    /// The YAML text between the fences, if any.
    pub yaml: Option<&'a str>,
    /// Line (1-based) where the YAML text starts.
    pub yaml_line: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// Line (1-based) of the first line of `body`.
    pub body_line: usize,
}

/// Splits a leading `---` … `---` block off `text`.
pub fn split(text: &str) -> Split<'_> {
    let none = Split { yaml: None, yaml_line: 0, body: text, body_line: 1 };
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return none;
    };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Split { yaml: Some(yaml), yaml_line: 2, body, body_line: i + 3 };
        }
        offset += line.len();
    }
    none
}

/// Parses the YAML of a front matter block; the error carries the 1-based line
/// within the YAML text when the parser knows it.
pub fn parse(yaml: &str) -> Result<FrontMatter, (usize, String)> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    serde_yaml_ng::from_str::<Option<FrontMatter>>(yaml).map(Option::unwrap_or_default).map_err(|e| {
        let line = e.location().map(|l| l.line()).unwrap_or(1);
        (line, e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let s = split("---\ndescription: x\n---\n# T\n");
        assert_eq!(s.yaml, Some("description: x\n"));
        assert_eq!(s.body, "# T\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn no_front_matter() {
        let s = split("# T\n---\n");
        assert!(s.yaml.is_none());
        assert_eq!(s.body_line, 1);
    }

    #[test]
    fn keeps_unknown_keys() {
        let fm = parse("description: d\nowner: me\nhidden: true\n").unwrap();
        assert_eq!(fm.description.as_deref(), Some("d"));
        assert!(fm.hidden);
        assert!(fm.extra.contains_key("owner"));
    }

    #[test]
    fn invalid_yaml_reports_line() {
        let (line, _) = parse("description: ok\ntitle: [unclosed\n").unwrap_err();
        assert!(line >= 2, "line {line}");
    }
}
