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
        let loc = escape(&format!("{base}/{}", paths::encode_href(&page.url)));
        match page.modified.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()) {
            Some(age) => {
                let _ = writeln!(out, "  <url><loc>{loc}</loc><lastmod>{}</lastmod></url>", date(age.as_secs()));
            }
            None => {
                let _ = writeln!(out, "  <url><loc>{loc}</loc></url>");
            }
        }
    }
    out.push_str("</urlset>\n");
    out
}

/// The UTC date (`2026-11-29`) of `secs` seconds after the Unix epoch.
fn date(secs: u64) -> String {
    // Days to a civil date (the proleptic Gregorian calendar, from era arithmetic).
    let days = (secs / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_calendar_days() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date(1_796_083_199), "2026-11-30");
        assert_eq!(date(1_796_083_200), "2026-12-01");
    }
}
