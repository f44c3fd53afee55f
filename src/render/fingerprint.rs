//! Fingerprints: each theme file also gets a name that carries a hash of its content
//! (`docask.css` → `docask.3f2a9c1d4e5f6a7b.css`), so the pages can link a name that
//! never changes meaning and the file can be cached for good. A stylesheet's own
//! `url(…)` references to other theme files are rewritten to their fingerprinted
//! names before it is hashed, so a changed icon changes the stylesheet's name too.
//!
//! Takes the theme's static files (name under `static/` → bytes); gives the files to
//! write (the plain names, unchanged, and the fingerprinted ones) and the map from
//! each plain name to the site path that pages link (`static/docask.<hash>.css`).

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

/// Hex digits of the content hash in a name (64 bits).
const HASH_DIGITS: usize = 16;

/// The theme's files with their fingerprinted copies.
#[derive(Debug, Clone, Default)]
pub struct Fingerprinted {
    /// Every file to write under `static/`, by name: each plain name, and beside it
    /// the fingerprinted name.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Plain name → the site path pages link, percent-encoded where a name needs it
    /// (`static/<fingerprinted name>`, or `static/<plain name>` for a name without an
    /// extension).
    pub links: BTreeMap<String, String>,
}

/// Fingerprints `statics` (name under `static/` → bytes): other files first, then the
/// stylesheets, whose references to those files are rewritten.
pub fn fingerprint(statics: &BTreeMap<String, Vec<u8>>) -> Fingerprinted {
    let mut out = Fingerprinted { files: statics.clone(), links: BTreeMap::new() };
    let is_css = |name: &str| name.to_ascii_lowercase().ends_with(".css");
    let mut hashed: BTreeMap<String, String> = BTreeMap::new();
    for (name, bytes) in statics.iter().filter(|(n, _)| !is_css(n)) {
        add(&mut out, &mut hashed, name, bytes.clone());
    }
    let leaves = hashed.clone();
    for (name, bytes) in statics.iter().filter(|(n, _)| is_css(n)) {
        let bytes = match std::str::from_utf8(bytes) {
            Ok(css) => rewrite_css(css, crate::paths::parent(name), &leaves).into_bytes(),
            Err(_) => bytes.clone(),
        };
        add(&mut out, &mut hashed, name, bytes);
    }
    out
}

/// Records `name` under its fingerprinted name (when it has one) with `bytes`.
fn add(out: &mut Fingerprinted, hashed: &mut BTreeMap<String, String>, name: &str, bytes: Vec<u8>) {
    match fingerprinted_name(name, &bytes) {
        Some(new) => {
            out.links.insert(name.to_string(), link(&new));
            hashed.insert(name.to_string(), new.clone());
            out.files.insert(new, bytes);
        }
        None => {
            out.links.insert(name.to_string(), link(name));
        }
    }
}

/// The site path of the file `name` under `static/`, as pages link it.
pub fn link(name: &str) -> String {
    format!("static/{}", crate::paths::encode_href(name))
}

/// `icons/info.svg` → `icons/info.<hash>.svg`; `None` for a file name without an
/// extension or a stem (`LICENSE`, `.htaccess`).
fn fingerprinted_name(name: &str, bytes: &[u8]) -> Option<String> {
    let (folder, file) = name.rsplit_once('/').map_or(("", name), |(d, f)| (d, f));
    let (stem, ext) = file.rsplit_once('.')?;
    if stem.is_empty() || ext.is_empty() {
        return None;
    }
    let digest = Sha256::digest(bytes);
    let hash: String = digest.iter().take(HASH_DIGITS / 2).map(|b| format!("{b:02x}")).collect();
    let file = format!("{stem}.{hash}.{ext}");
    Some(if folder.is_empty() { file } else { format!("{folder}/{file}") })
}

/// Rewrites each `url(…)` of a stylesheet in `folder` (under `static/`) that names a
/// file of `hashed` (plain name → fingerprinted name) to the fingerprinted name;
/// anything else (remote, absolute, with a query, unknown) is left as it is.
fn rewrite_css(css: &str, folder: &str, hashed: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("url(") {
        let (before, after) = rest.split_at(at + "url(".len());
        out.push_str(before);
        let inner = after.trim_start();
        out.push_str(&after[..after.len() - inner.len()]);
        let quote = inner.chars().next().filter(|c| matches!(c, '"' | '\''));
        let body = quote.map_or(inner, |q| &inner[q.len_utf8()..]);
        let end = match quote {
            Some(q) => body.find(q),
            None => body.find(|c: char| c == ')' || c.is_whitespace()),
        };
        let Some(end) = end else {
            rest = inner;
            continue;
        };
        let reference = &body[..end];
        if let Some(q) = quote {
            out.push(q);
        }
        out.push_str(&rewritten(reference, folder, hashed).unwrap_or_else(|| reference.to_string()));
        rest = &body[end..];
    }
    out.push_str(rest);
    out
}

/// The fingerprinted form of `reference` (relative to `folder`), when it names a
/// file of `hashed`: only the file name changes, so the path stays relative.
fn rewritten(reference: &str, folder: &str, hashed: &BTreeMap<String, String>) -> Option<String> {
    if reference.contains([':', '?', '#', '\\']) || reference.starts_with('/') {
        return None;
    }
    let target = crate::paths::normalize(&format!("{folder}/{reference}"))?;
    let new = hashed.get(&target)?;
    let new_file = new.rsplit('/').next().unwrap_or(new);
    Some(match reference.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{new_file}"),
        None => new_file.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statics(files: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        files.iter().map(|(n, b)| (n.to_string(), b.as_bytes().to_vec())).collect()
    }

    #[test]
    fn names_carry_the_content_hash_and_plain_names_stay() {
        let got = fingerprint(&statics(&[("app.js", "let a;"), ("LICENSE", "MIT"), (".htaccess", "x")]));
        let js = &got.links["app.js"];
        let hash = js.strip_prefix("static/app.").and_then(|r| r.strip_suffix(".js")).unwrap();
        assert_eq!(hash.len(), HASH_DIGITS);
        assert!(hash.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()), "{hash}");
        assert_eq!(got.files[&js["static/".len()..]], b"let a;");
        assert_eq!(got.files["app.js"], b"let a;", "the plain name is kept");
        assert_eq!(got.links["LICENSE"], "static/LICENSE");
        assert_eq!(got.links[".htaccess"], "static/.htaccess");
        assert_eq!(got.files.len(), 4);
        let again = fingerprint(&statics(&[("app.js", "let a;")]));
        assert_eq!(again.links["app.js"], *js, "the same content gives the same name");
        let changed = fingerprint(&statics(&[("app.js", "let b;")]));
        assert_ne!(changed.links["app.js"], *js, "other content, another name");
        assert!(crate::serve::files::fingerprinted(js.rsplit('/').next().unwrap()), "the server's rule reads it");
        let spaced = fingerprint(&statics(&[("my theme.css", "a{}")]));
        assert!(spaced.links["my theme.css"].starts_with("static/my%20theme."), "{:?}", spaced.links);
    }

    #[test]
    fn stylesheets_link_the_fingerprinted_icons() {
        let files = [
            ("icons/info.svg", "<svg/>"),
            ("sub/a.css", "b { background: url(../icons/info.svg) }"),
            (
                "docask.css",
                "a { background: url(\"icons/info.svg\") } i { background: url( 'icons/info.svg' ) } \
                 p { background: url(icons/missing.svg) url(https://x.example/icons/info.svg) url(icons/info.svg?v=1) }",
            ),
        ];
        let got = fingerprint(&statics(&files));
        let icon = got.links["icons/info.svg"].strip_prefix("static/icons/").unwrap().to_string();
        let css_path = &got.links["docask.css"]["static/".len()..];
        let css = String::from_utf8(got.files[css_path].clone()).unwrap();
        assert_eq!(
            css,
            format!(
                "a {{ background: url(\"icons/{icon}\") }} i {{ background: url( 'icons/{icon}' ) }} \
                 p {{ background: url(icons/missing.svg) url(https://x.example/icons/info.svg) url(icons/info.svg?v=1) }}"
            )
        );
        assert_eq!(got.files["docask.css"], files[2].1.as_bytes(), "the plain stylesheet links the plain icons");
        let sub = String::from_utf8(got.files[&got.links["sub/a.css"]["static/".len()..]].clone()).unwrap();
        assert_eq!(sub, format!("b {{ background: url(../icons/{icon}) }}"));
        let other_icon = fingerprint(&statics(&[("icons/info.svg", "<svg></svg>"), files[2]]));
        assert_ne!(other_icon.links["docask.css"], got.links["docask.css"], "a new icon renames the stylesheet");
    }

    #[test]
    fn odd_stylesheets_do_not_break() {
        for css in ["url(", "url(\"icons/x.svg", "a{background:url()}", "url('é/ü.svg')", "\u{fffd}url(\u{1F600})"] {
            let got = fingerprint(&statics(&[("x.css", css), ("icons/x.svg", "s")]));
            let path = &got.links["x.css"]["static/".len()..];
            assert_eq!(got.files[path], css.as_bytes(), "{css}");
        }
    }
}
