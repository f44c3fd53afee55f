//! `sitemap.xml`, `sitemap.md` and `robots.txt`.

use std::fmt::Write;

use crate::markdown::markup::escape;
use crate::paths;
use crate::site::{NavItem, Site};

/// `sitemap.xml`: every page not marked hidden, in path order.
pub fn xml(site: &Site) -> String {
    let base = site.config.url_prefix();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in site.pages.iter().filter(|p| !p.front.hidden) {
        let _ =
            writeln!(out, "  <url><loc>{}</loc></url>", escape(&format!("{base}/{}", paths::encode_href(&page.url))));
    }
    out.push_str("</urlset>\n");
    out
}

/// `sitemap.md`: the navigation tree as nested Markdown links to the twins.
pub fn markdown(site: &Site) -> String {
    let mut out = format!("# {} sitemap\n\n", site.title);
    for group in &site.nav.groups {
        if let Some(t) = &group.title {
            let _ = writeln!(out, "## {t}\n");
        }
        items(site, &group.items, 0, &mut out);
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn items(site: &Site, list: &[NavItem], depth: usize, out: &mut String) {
    for item in list {
        let indent = "  ".repeat(depth);
        match item.page {
            Some(i) => {
                let url =
                    format!("{}{}", site.config.url_prefix(), paths::encode_href(&paths::twin_url(&site.pages[i].url)));
                let _ = writeln!(out, "{indent}- [{}]({url})", item.title);
            }
            None => {
                let _ = writeln!(out, "{indent}- {}", item.title);
            }
        }
        items(site, &item.children, depth + 1, out);
    }
}

/// `robots.txt`: everything allowed; the sitemap named when the base URL is known.
pub fn robots(site: &Site) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &site.config.base_url {
        let _ = writeln!(out, "Sitemap: {base}/sitemap.xml");
    }
    out
}
