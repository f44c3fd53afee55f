//! Configuration: the optional `docask.toml` beside the content, with serde defaults.
//!
//! Takes the text of the file (or nothing) and gives a validated `Config`; command-line
//! flags such as `--base-url` are applied on top by the caller.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde::Deserialize;

/// The name of the optional configuration file in the content folder.
pub const FILE_NAME: &str = "docask.toml";

/// Site-wide settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Site title; defaults to the title of the root page.
    pub title: Option<String>,
    /// One-line summary for `llms.txt`; defaults to the root page's description.
    pub description: Option<String>,
    /// Public URL of the site (`https://docs.example.com`); makes agent links absolute.
    pub base_url: Option<String>,
    /// Publish Markdown files that SUMMARY does not list (GitBook does not).
    pub publish_unlisted: bool,
    /// `[build]` settings.
    pub build: BuildConfig,
    /// Settings of the ask engine.
    pub ask: AskConfig,
    /// `[agent]` settings.
    pub agent: AgentConfig,
    /// The language of the pages (`<html lang>`); default `en`.
    pub lang: Option<String>,
    /// Set by `docask serve`: the server building the site answers `?ask=` and `/mcp`.
    #[serde(skip)]
    pub served: bool,
}

/// `[agent]` settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AgentConfig {
    /// Where a docask server answers for this site (`https://docs.example.com`) when
    /// the built folder goes to a static host: twins and `llms.txt` then tell agents to
    /// ask there.
    pub ask_url: Option<String>,
}

/// `[build]` settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BuildConfig {
    /// What raw HTML in the content may do.
    pub raw_html: RawHtml,
    /// What `build` does with flaws in the content (unclosed or unknown blocks,
    /// missing includes, bad front matter); unset, a GitBook repository warns (GitBook
    /// publishes them) and a plain folder of Markdown fails.
    pub flaws: Option<Flaws>,
}

/// What `build` does with a flaw in the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flaws {
    /// Warn, and build the page as GitBook shows it.
    Warn,
    /// Fail the build.
    Error,
}

/// How raw HTML written in pages is treated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Cleaned as GitBook cleans it: no scripts, event handlers or script links.
    #[default]
    Sanitized,
    /// Kept as written (for content whose authors are trusted).
    Trusted,
}

/// `[ask]` settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AskConfig {
    /// Words a reader may use for a word of the docs: `key = ["token", "credential"]`.
    pub synonyms: BTreeMap<String, Vec<String>>,
}

impl Config {
    /// Parses `docask.toml` text; `None` gives the defaults.
    pub fn parse(text: Option<&str>) -> Result<Self> {
        let mut config: Config = match text {
            Some(text) => toml::from_str(text).with_context(|| format!("invalid `{FILE_NAME}`"))?,
            None => Config::default(),
        };
        if let Some(url) = &config.base_url {
            config.base_url = normalize_base_url(url);
        }
        if let Some(url) = &config.agent.ask_url {
            config.agent.ask_url = normalize_base_url(url);
        }
        Ok(config)
    }

    /// Sets the base URL from the command line, which wins over the file.
    pub fn with_base_url(mut self, url: Option<&str>) -> Self {
        if let Some(url) = url {
            self.base_url = normalize_base_url(url);
        }
        self
    }

    /// Prefix for absolute agent-facing URLs: `https://host` or empty.
    pub fn url_prefix(&self) -> &str {
        self.base_url.as_deref().unwrap_or("")
    }

    /// The prefix of the URLs where `?ask=` and `/mcp` answer, when anything will:
    /// the site itself under `docask serve`, else `[agent] ask_url`. `None` for a
    /// static build (agents are pointed at the twins and `llms-full.txt` instead).
    pub fn ask_endpoint(&self) -> Option<&str> {
        if self.served {
            Some(self.url_prefix())
        } else {
            self.agent.ask_url.as_deref()
        }
    }

    /// The `lang` of the pages.
    pub fn lang(&self) -> &str {
        self.lang.as_deref().map(str::trim).filter(|l| !l.is_empty()).unwrap_or("en")
    }
}

fn normalize_base_url(url: &str) -> Option<String> {
    let url = url.trim().trim_end_matches('/');
    (!url.is_empty()).then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ask_endpoint_is_the_server_or_ask_url() {
        let c = Config::parse(Some("[agent]\nask_url = \"https://ask.example.com/\"\n")).unwrap();
        assert_eq!(c.ask_endpoint(), Some("https://ask.example.com"));
        let mut c = Config::parse(Some("base_url = \"https://d.example.com\"\nlang = \"de\"\n")).unwrap();
        assert_eq!((c.ask_endpoint(), c.lang()), (None, "de"));
        c.served = true;
        assert_eq!(c.ask_endpoint(), Some("https://d.example.com"));
        assert_eq!(Config::default().lang(), "en");
    }

    #[test]
    fn reads_synonyms_and_trims_base_url() {
        let c = Config::parse(Some("base_url = \"https://docs.example.com/\"\n[ask.synonyms]\nkey = [\"token\"]\n"))
            .unwrap();
        assert_eq!(c.url_prefix(), "https://docs.example.com");
        assert_eq!(c.ask.synonyms["key"], vec!["token".to_string()]);
    }

    #[test]
    fn unknown_key_is_an_error() {
        let err = Config::parse(Some("titel = 1")).unwrap_err();
        assert!(format!("{err:#}").contains("titel"));
    }

    #[test]
    fn reads_build_and_publishing_settings() {
        let c = Config::parse(Some("publish_unlisted = true\n[build]\nraw_html = \"trusted\"\n")).unwrap();
        assert!(c.publish_unlisted);
        assert_eq!(c.build.raw_html, RawHtml::Trusted);
        assert_eq!(Config::parse(None).unwrap().build.raw_html, RawHtml::Sanitized);
        assert!(Config::parse(Some("[build]\nraw_html = \"yes\"\n")).is_err());
        let flaws = Config::parse(Some("[build]\nflaws = \"warn\"\n")).unwrap();
        assert_eq!(flaws.build.flaws, Some(Flaws::Warn));
    }

    #[test]
    fn missing_file_gives_defaults() {
        assert!(Config::parse(None).unwrap().base_url.is_none());
    }
}
