//! `.gitbook.yaml`: the root folder, the names of the readme and summary files, and
//! redirects of a GitBook Git-Sync repository.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The parsed `.gitbook.yaml` (all keys optional).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default)]
pub struct GitbookYaml {
    /// Folder holding the docs, relative to the repository.
    pub root: String,
    /// Names of the special files.
    pub structure: Structure,
    /// Old path → content file (`introduction/quick-start: ./getting-started/quick-start.md`).
    pub redirects: BTreeMap<String, String>,
}

/// `structure:` of `.gitbook.yaml`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default)]
pub struct Structure {
    /// The folder index file name (default `README.md`).
    pub readme: String,
    /// The table of contents file (default `SUMMARY.md`).
    pub summary: String,
}

impl Default for Structure {
    fn default() -> Self {
        Self { readme: "README.md".into(), summary: "SUMMARY.md".into() }
    }
}

impl Default for GitbookYaml {
    fn default() -> Self {
        Self { root: "./".into(), structure: Structure::default(), redirects: BTreeMap::new() }
    }
}

impl GitbookYaml {
    /// Parses the file; the error carries the 1-based line when known.
    pub fn parse(text: &str) -> Result<Self, (usize, String)> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let mut parsed: Self =
            serde_yaml_ng::from_str(text).map_err(|e| (e.location().map(|l| l.line()).unwrap_or(1), e.to_string()))?;
        // Paths are relative to the root whichever way they are written (`./README.md`).
        for name in [&mut parsed.structure.readme, &mut parsed.structure.summary] {
            *name = name.trim().trim_start_matches("./").to_string();
        }
        Ok(parsed)
    }
}

/// The 1-based line of `yaml` whose key is the redirect source `from` (written with
/// or without a leading `/`, a `.md` suffix or quotes), for messages about it.
pub fn redirect_line(yaml: &str, from: &str) -> Option<usize> {
    yaml.lines()
        .position(|line| {
            let Some((key, _)) = line.trim().split_once(':') else { return false };
            let key = key.trim().trim_matches(['"', '\'']).trim_start_matches('/');
            key == from || key.strip_suffix(".md") == Some(from)
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_root_structure_and_redirects() {
        let y = GitbookYaml::parse("root: ./docs/\nstructure:\n  summary: toc.md\nredirects:\n  old/page: ./new.md\n")
            .unwrap();
        assert_eq!(y.root, "./docs/");
        assert_eq!(y.structure.summary, "toc.md");
        assert_eq!(y.structure.readme, "README.md");
        assert_eq!(y.redirects["old/page"], "./new.md");
    }

    #[test]
    fn finds_the_line_of_a_redirect() {
        let text = "redirects:\n  old/a: ./a.md\n  '/old/b.md' : ./b.md\n  \"old/a/c\": ./c.md\n";
        assert_eq!(redirect_line(text, "old/a"), Some(2));
        assert_eq!(redirect_line(text, "old/b"), Some(3));
        assert_eq!(redirect_line(text, "old/a/c"), Some(4));
        assert_eq!(redirect_line(text, "old"), None);
    }
}
