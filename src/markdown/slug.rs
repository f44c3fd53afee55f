//! Heading anchors: GitBook-style slugs, made unique within a page.

use std::collections::HashSet;

/// Lowercases, keeps letters, digits, `-` and `_`, turns spaces into `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            slug.extend(c.to_lowercase());
        } else if c.is_whitespace() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        "section".into()
    } else {
        slug
    }
}

/// Hands out ids, suffixing `-1`, `-2` … on repeats.
#[derive(Debug, Default)]
pub struct Unique {
    taken: HashSet<String>,
}

impl Unique {
    /// Returns `id`, or the first free `id-N`.
    pub fn claim(&mut self, id: String) -> String {
        let mut candidate = id.clone();
        let mut n = 1;
        while !self.taken.insert(candidate.clone()) {
            candidate = format!("{id}-{n}");
            n += 1;
        }
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_like_gitbook() {
        assert_eq!(slugify("Create a new API token"), "create-a-new-api-token");
        assert_eq!(slugify("What's new? (2024)"), "whats-new-2024");
        assert_eq!(slugify("  "), "section");
        assert_eq!(slugify("Über Straße"), "über-straße");
    }

    #[test]
    fn repeats_get_suffixes() {
        let mut u = Unique::default();
        assert_eq!(u.claim("a".into()), "a");
        assert_eq!(u.claim("a".into()), "a-1");
        assert_eq!(u.claim("a".into()), "a-2");
    }
}
