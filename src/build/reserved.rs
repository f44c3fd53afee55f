//! Paths the build writes itself (the agent files, `404.html`, the theme's
//! `static/`, `.well-known/`, the data folder, the assets): a `.gitbook.yaml`
//! redirect whose page would land on one of them (its `index.html` inside a file,
//! or a file replaced by a folder) is dropped with a warning at its line of
//! `.gitbook.yaml`, and the generated file wins.
//!
//! Takes the site and the `.gitbook.yaml` text; gives the redirects kept and the
//! warnings.

use crate::diag::Diagnostic;
use crate::site::Redirect;

/// Top-level files every build writes.
const FILES: [&str; 8] = [
    "llms.txt",
    "llms-full.txt",
    "sitemap.xml",
    "sitemap.md",
    "robots.txt",
    "404.html",
    ".nojekyll",
    super::headers_file::FILE,
];
/// Top-level folders the build fills (a redirect page inside one could replace a
/// file of it).
const FOLDERS: [&str; 3] = ["static", super::WELL_KNOWN, crate::write::DATA_DIR];

/// Whether a redirect from `from` (a clean path) would collide with a generated file:
/// `from` or a folder on its way is one (its `index.html` would need a folder there),
/// or it lies in a generated folder.
fn collides(from: &str, assets: &std::collections::BTreeSet<String>) -> bool {
    let first = from.split('/').next().unwrap_or("");
    if FILES.contains(&first) || FOLDERS.contains(&first) {
        return true;
    }
    let mut on_the_way = from.char_indices().filter(|&(_, c)| c == '/').map(|(i, _)| &from[..i]);
    assets.contains(from) || on_the_way.any(|folder| assets.contains(folder))
}

/// Drops the redirects that collide with generated files; gives a warning for each,
/// at the line of `yaml` (the text of `.gitbook.yaml`) that declares it.
pub fn drop_collisions(
    redirects: &mut Vec<Redirect>,
    assets: &std::collections::BTreeSet<String>,
    yaml: Option<&str>,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    redirects.retain(|r| {
        if !collides(&r.from, assets) {
            return true;
        }
        let line = yaml.and_then(|text| crate::load::gitbook_yaml::redirect_line(text, &r.from)).unwrap_or(0);
        warnings.push(Diagnostic::warning(
            ".gitbook.yaml",
            line,
            format!(
                "redirect `{}` would be written over `{}`, which the build generates; the generated file wins (rename or remove the redirect)",
                r.from,
                r.from.split('/').next().unwrap_or(&r.from)
            ),
        ));
        false
    });
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redirect(from: &str) -> Redirect {
        Redirect { from: from.into(), to: "page".into() }
    }

    #[test]
    fn generated_files_win_with_a_warning_at_the_line() {
        let yaml = "root: ./\nredirects:\n  old/page: ./page.md\n  llms.txt: ./page.md\n  \"/404.html\": page.md\n  static/docask.css: page.md\n  img/a.png: page.md\n  _headers: page.md\n";
        let assets = ["img/a.png".to_string()].into_iter().collect();
        let mut list: Vec<Redirect> =
            ["old/page", "llms.txt", "404.html", "static/docask.css", "img/a.png", "img", "img/a.png/x", "_headers"]
                .map(redirect)
                .into();
        let warnings = drop_collisions(&mut list, &assets, Some(yaml));
        assert_eq!(list, vec![redirect("old/page"), redirect("img")], "a folder of assets may hold a redirect page");
        let lines: Vec<usize> = warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, vec![4, 5, 6, 7, 0, 8]);
        assert!(
            warnings[0].to_string().starts_with("warning: .gitbook.yaml:4: redirect `llms.txt`"),
            "{}",
            warnings[0]
        );
    }
}
