//! `_headers`: the response headers `docask serve` sends, written at the site's root
//! for static hosts that read such a file (Netlify, Cloudflare Pages): on every path
//! the discovery headers (`Link: </llms.txt>; rel="llms-txt"`, `X-Llms-Txt`) and the
//! security headers, and on each fingerprinted theme file a year's immutable caching.
//! The headers come from the server's own code, so the two cannot drift apart. Paths
//! lie under the base URL's path, like the server's `Link`.
//!
//! Takes the base URL and the theme's asset links; gives the file's text. A page or
//! an asset of the content at that path wins, with a warning: the file is optional.

use std::collections::{BTreeMap, BTreeSet};

use axum::http::HeaderMap;

use crate::diag::Diagnostic;
use crate::serve::{files, headers};
use crate::site::Site;

/// The file's name, at the root of the output folder.
pub const FILE: &str = "_headers";

/// The text of `_headers` for a site published at `base_url` (may be empty), whose
/// pages link the theme files at `assets` (plain name → site path).
pub fn text(base_url: &str, assets: &BTreeMap<String, String>) -> String {
    let base = headers::base_path(base_url);
    let mut every = HeaderMap::new();
    headers::Discovery::of(base_url).apply(&mut every);
    headers::security(&mut every);
    let mut out = String::from(
        "# Response headers for static hosts that read this file (Netlify, Cloudflare Pages):\n\
         # the ones `docask serve` sends. Written by docask build; edits are lost on the next build.\n",
    );
    out.push_str(&format!("{base}/*\n"));
    for (name, value) in &every {
        if let Ok(value) = value.to_str() {
            out.push_str(&format!("  {}: {value}\n", title_case(name.as_str())));
        }
    }
    let immutable: BTreeSet<&String> =
        assets.values().filter(|path| files::cache_control(path, false) == files::IMMUTABLE).collect();
    for path in immutable {
        out.push_str(&format!("{base}/{path}\n  Cache-Control: {}\n", files::IMMUTABLE));
    }
    out
}

/// The content file that takes the place of `_headers` (a page at `/_headers` or
/// below, an asset there), with the warning that says so; `None` when the path is free.
pub fn taken(site: &Site, assets: &BTreeSet<String>) -> Option<Diagnostic> {
    let claims = |path: &str| path == FILE || path.strip_prefix(FILE).is_some_and(|rest| rest.starts_with('/'));
    let page = site.pages.iter().find(|p| claims(&p.url)).map(|p| p.path.as_str());
    let file = page.or_else(|| assets.iter().find(|a| claims(a)).map(String::as_str))?;
    Some(Diagnostic::warning(
        file,
        0,
        format!(
            "published at `/{FILE}`, where static hosts read a file of response headers, so docask does not write that file (rename `{file}` to get it)"
        ),
    ))
}

/// `x-llms-txt` → `X-Llms-Txt`: how header names are usually written.
fn title_case(name: &str) -> String {
    let words = name.split('-').map(|word| {
        let mut chars = word.chars();
        chars.next().map_or_else(String::new, |first| first.to_ascii_uppercase().to_string() + chars.as_str())
    });
    words.collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assets() -> BTreeMap<String, String> {
        [("docask.css", "static/docask.0123456789abcdef.css"), ("LICENSE", "static/LICENSE")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into()
    }

    #[test]
    fn every_path_gets_discovery_and_fingerprinted_files_a_year() {
        let text = text("", &assets());
        let rules: Vec<&str> = text.lines().filter(|l| l.starts_with('/')).collect();
        assert_eq!(rules, ["/*", "/static/docask.0123456789abcdef.css"], "{text}");
        assert!(text.contains("\n  Link: </llms.txt>; rel=\"llms-txt\"\n  X-Llms-Txt: /llms.txt\n"), "{text}");
        assert!(text.contains("\n  X-Content-Type-Options: nosniff\n"), "{text}");
        assert!(text.contains(&format!("\n  Content-Security-Policy: {}\n", headers::CSP)), "{text}");
        assert!(text
            .ends_with("/static/docask.0123456789abcdef.css\n  Cache-Control: public, max-age=31536000, immutable\n"));
        assert_eq!(text.matches("Cache-Control").count(), 1, "plain names keep the host's default");
    }

    #[test]
    fn paths_lie_under_the_base_path() {
        let text = text("https://user.github.io/repo/", &assets());
        let rules: Vec<&str> = text.lines().filter(|l| l.starts_with('/')).collect();
        assert_eq!(rules, ["/repo/*", "/repo/static/docask.0123456789abcdef.css"], "{text}");
        assert!(text.contains("  Link: </repo/llms.txt>; rel=\"llms-txt\"\n"), "{text}");
    }

    #[test]
    fn header_names_read_as_usual() {
        assert_eq!(title_case("x-content-type-options"), "X-Content-Type-Options");
        assert_eq!(title_case("link"), "Link");
        assert_eq!(title_case(""), "");
    }
}
