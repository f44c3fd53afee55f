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

/// The other anchors GitBook has given a heading of this text, besides `id`: the
/// one of today's editor (punctuation runs as one `-`, dots kept, `&` spelt `and`,
/// `id-` before a leading digit: `1. First step` → `id-1.-first-step`), the one of
/// legacy GitBook (words split at case and letter/digit changes: `Word2Vec` →
/// `word-2-vec`), and GitHub's, which the gitbook CLI gave too (punctuation dropped,
/// every space a `-`: `Build & deploy` → `build--deploy`). Links written against any
/// land on the heading.
pub fn aliases(text: &str, id: &str) -> Vec<String> {
    let mut out = Vec::new();
    for alias in [modern(text), legacy(text), github(text)] {
        if !alias.is_empty() && alias != id && !out.contains(&alias) {
            out.push(alias);
        }
    }
    out
}

fn modern(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().filter(|c| !matches!(c, '\'' | '’')) {
        if c.is_alphanumeric() || c == '.' || c == '_' {
            slug.extend(c.to_lowercase());
        } else if c == '&' {
            // Spelt out, as a word of its own (`Math & TeX` → `math-and-tex`).
            if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
            slug.push_str("and-");
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    match slug.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("id-{slug}"),
        _ => slug.to_string(),
    }
}

fn github(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

fn legacy(text: &str) -> String {
    #[derive(PartialEq, Clone, Copy)]
    enum Kind {
        Lower,
        Upper,
        Digit,
    }
    let kind = |c: char| {
        if c.is_numeric() {
            Some(Kind::Digit)
        } else if c.is_uppercase() {
            Some(Kind::Upper)
        } else if c.is_alphabetic() {
            Some(Kind::Lower)
        } else {
            None
        }
    };
    let chars: Vec<char> = text.chars().filter(|c| !matches!(c, '\'' | '’')).collect();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let Some(k) = kind(c) else {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        };
        let prev = i.checked_sub(1).and_then(|j| kind(chars[j]));
        let next = chars.get(i + 1).and_then(|&n| kind(n));
        let starts = match prev {
            None => false,
            Some(p) => {
                (p == Kind::Digit) != (k == Kind::Digit)
                    || (p == Kind::Lower && k == Kind::Upper)
                    || (p == Kind::Upper && k == Kind::Upper && next == Some(Kind::Lower))
            }
        };
        if starts && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words.join("-")
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
    fn gitbook_aliases_of_both_eras() {
        assert_eq!(aliases("A - B", "a--b"), ["a-b", "a---b"]);
        assert_eq!(aliases("1. Create an app", "1-create-an-app"), ["id-1.-create-an-app"]);
        assert_eq!(aliases("19.5.1. Settings", "1951-settings"), ["id-19.5.1.-settings", "19-5-1-settings"]);
        assert_eq!(aliases("User(s)", "users"), ["user-s"]);
        assert_eq!(aliases("Word2Vec", "word2vec"), ["word-2-vec"]);
        assert_eq!(aliases("getHTTPResponse now", "gethttpresponse-now"), ["get-http-response-now"]);
        assert!(aliases("Create a token", "create-a-token").is_empty());
        assert_eq!(aliases("🐘 Ünïcode — ok", "ünïcode-ok"), ["-ünïcode--ok"]);
        assert_eq!(aliases("Build & deploy", "build-deploy"), ["build-and-deploy", "build--deploy"]);
        assert_eq!(aliases("Math & TeX", "math-tex"), ["math-and-tex", "math-te-x", "math--tex"]);
        assert_eq!(aliases("R&D", "rd"), ["r-and-d", "r-d"]);
    }

    #[test]
    fn repeats_get_suffixes() {
        let mut u = Unique::default();
        assert_eq!(u.claim("a".into()), "a");
        assert_eq!(u.claim("a".into()), "a-1");
        assert_eq!(u.claim("a".into()), "a-2");
    }
}
