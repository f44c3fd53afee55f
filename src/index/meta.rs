//! `site.json`: the pages as the ask engine and the server see them (title, URL,
//! description, navigation neighbours), plus the settings they need, written beside
//! the index so answering never re-reads the site.

use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::site::Site;

/// File name, beside the index folder.
pub const FILE: &str = "site.json";

/// One page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PageMeta {
    /// Clean URL.
    pub url: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Navigation parent (page index).
    pub parent: Option<usize>,
    /// Position in reading order.
    pub order: Option<usize>,
    /// Group › ancestors › page titles.
    pub breadcrumbs: Vec<String>,
    /// Left out of navigation and listings.
    pub hidden: bool,
}

/// The site as the ask engine sees it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SiteMeta {
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: Option<String>,
    /// Base URL for absolute links, empty for site-absolute paths.
    pub base_url: String,
    /// The language of the pages (`<html lang>`).
    #[serde(default = "default_lang")]
    pub lang: String,
    /// Writer-defined synonyms: word → alternatives.
    pub synonyms: std::collections::BTreeMap<String, Vec<String>>,
    /// Pages, by index.
    pub pages: Vec<PageMeta>,
}

fn default_lang() -> String {
    "en".into()
}

impl SiteMeta {
    /// Describes `site`.
    pub fn of(site: &Site) -> Self {
        let pages = site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| PageMeta {
                url: p.url.clone(),
                title: p.title.clone(),
                description: p.description.clone(),
                parent: p.place.ancestors.last().copied(),
                order: p.place.order,
                breadcrumbs: breadcrumbs(site, i),
                hidden: p.front.hidden,
            })
            .collect();
        SiteMeta {
            title: site.title.clone(),
            description: site.description.clone(),
            base_url: site.config.url_prefix().to_string(),
            lang: site.config.lang().to_string(),
            synonyms: site.config.ask.synonyms.clone(),
            pages,
        }
    }

    /// Writes `site.json` next to the index folder `index_dir`.
    pub fn write(&self, index_dir: &Path) -> Result<()> {
        let path = index_dir.parent().unwrap_or(index_dir).join(FILE);
        let json = serde_json::to_vec(self).context("failed to encode site.json")?;
        crate::write::replace(&path, &json)
    }

    /// Reads `site.json` from the data folder.
    pub fn read(data_dir: &Path) -> Result<Self> {
        let path = data_dir.join(FILE);
        let bytes = std::fs::read(&path)
            .with_context(|| format!("failed to read `{}`; build the site first", path.display()))?;
        serde_json::from_slice(&bytes).with_context(|| format!("`{}` is not valid; rebuild the site", path.display()))
    }

    /// The `n` visible pages whose URL, last URL segment or title is most like
    /// `wanted` (a clean path or a few words), by letter-pair similarity; ties in reading
    /// order. For "did you mean" lists on 404s and unknown pages.
    pub fn nearest(&self, wanted: &str, n: usize) -> Vec<usize> {
        let wanted = wanted.to_lowercase();
        let mut scored: Vec<(f32, usize)> = self
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.hidden)
            .map(|(i, p)| {
                let last = p.url.rsplit('/').next().unwrap_or("");
                let score = [p.url.as_str(), last, p.title.as_str()]
                    .iter()
                    .map(|c| similarity(&wanted, &c.to_lowercase()))
                    .fold(0.0, f32::max);
                (score, i)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(self.pages[a.1].order.cmp(&self.pages[b.1].order)));
        scored.into_iter().take(n).map(|(_, i)| i).collect()
    }

    /// Indexes of the pages next to page `i` in the navigation: parent, children,
    /// siblings.
    pub fn neighbours(&self, i: usize) -> Vec<usize> {
        let parent = self.pages.get(i).and_then(|p| p.parent);
        self.pages
            .iter()
            .enumerate()
            .filter(|(j, p)| {
                *j != i && (Some(*j) == parent || p.parent == Some(i) || (parent.is_some() && p.parent == parent))
            })
            .map(|(j, _)| j)
            .collect()
    }
}

/// Group › ancestors › page, as titles.
pub fn breadcrumbs(site: &Site, i: usize) -> Vec<String> {
    let page = &site.pages[i];
    let mut crumbs: Vec<String> = page.place.group.iter().cloned().collect();
    crumbs.extend(
        page.place
            .ancestors
            .iter()
            .map(|&a| site.pages[a].place.title.clone().unwrap_or_else(|| site.pages[a].title.clone())),
    );
    crumbs.push(page.title.clone());
    crumbs
}

/// Dice coefficient of the character bigrams of two strings' letters and digits
/// (separators count as one space), 0 to 1.
pub fn similarity(a: &str, b: &str) -> f32 {
    let (x, y) = (bigrams(a), bigrams(b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let mut rest = y.clone();
    let mut common = 0;
    for g in &x {
        if let Some(at) = rest.iter().position(|h| h == g) {
            rest.swap_remove(at);
            common += 1;
        }
    }
    2.0 * common as f32 / (x.len() + y.len()) as f32
}

fn bigrams(text: &str) -> Vec<(char, char)> {
    let mut chars: Vec<char> = Vec::new();
    for c in text.chars() {
        let c = if c.is_alphanumeric() { c } else { ' ' };
        if !(c == ' ' && chars.last().is_none_or(|l| *l == ' ')) {
            chars.push(c);
        }
    }
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}
