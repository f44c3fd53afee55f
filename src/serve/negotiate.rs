//! Content negotiation: which of the formats a URL offers (HTML, the Markdown twin,
//! JSON) the client prefers, from its `Accept` header's q-values and a `format=`
//! parameter.
//!
//! Takes the header value and the offered formats, best default first; gives the
//! chosen `Format`.

/// A representation the server can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `text/html`.
    Html,
    /// `text/markdown`.
    Markdown,
    /// `application/json`.
    Json,
}

impl Format {
    /// The `Content-Type` of this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Json => "application/json",
        }
    }

    /// The format a `format=` parameter names (`json`, `md`/`markdown`, `html`).
    pub fn from_param(value: &str) -> Option<Format> {
        match value.trim().to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Markdown),
            "html" => Some(Format::Html),
            _ => None,
        }
    }

    /// The media types that name this format in an `Accept` header.
    fn media_types(self) -> &'static [&'static str] {
        match self {
            Format::Html => &["text/html", "application/xhtml+xml"],
            Format::Markdown => &["text/markdown", "text/x-markdown"],
            Format::Json => &["application/json"],
        }
    }
}

/// Formats a page URL offers (HTML first: a page is HTML unless Markdown is preferred).
pub const PAGE: &[Format] = &[Format::Html, Format::Markdown];
/// Formats an ask or an error on a page URL offers.
pub const ANSWER: &[Format] = &[Format::Html, Format::Markdown, Format::Json];
/// Formats an ask or an error on a `.md` URL offers.
pub const TWIN_ANSWER: &[Format] = &[Format::Markdown, Format::Json];

/// A parsed `Accept` header: media ranges with their q-values.
#[derive(Debug, Clone, Default)]
pub struct Accept {
    ranges: Vec<(String, f32)>,
}

impl Accept {
    /// Parses a header value; `None` (no header) accepts everything equally.
    pub fn parse(header: Option<&str>) -> Accept {
        let Some(header) = header else { return Accept::default() };
        let ranges = header
            .split(',')
            .filter_map(|part| {
                let mut params = part.split(';');
                let range = params.next()?.trim().to_ascii_lowercase();
                if !range.contains('/') {
                    return None;
                }
                let q = params
                    .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
                    .find_map(|v| v.trim().parse::<f32>().ok())
                    .map_or(1.0, |q| if q.is_finite() { q.clamp(0.0, 1.0) } else { 0.0 });
                Some((range, q))
            })
            .collect();
        Accept { ranges }
    }

    /// The q-value of `format`: that of the most specific matching range.
    pub fn quality(&self, format: Format) -> f32 {
        if self.ranges.is_empty() {
            return 1.0;
        }
        let mut best: Option<(u8, f32)> = None;
        for (range, q) in &self.ranges {
            let specificity = format
                .media_types()
                .iter()
                .filter_map(|t| match range.as_str() {
                    r if r == *t => Some(2),
                    "*/*" => Some(0),
                    r => r.strip_suffix("/*").filter(|major| t.split('/').next() == Some(*major)).map(|_| 1),
                })
                .max();
            if let Some(s) = specificity {
                if best.is_none_or(|(bs, bq)| s > bs || (s == bs && *q > bq)) {
                    best = Some((s, *q));
                }
            }
        }
        best.map_or(0.0, |(_, q)| q)
    }

    /// The offered format with the highest q-value; ties go to the earlier one, and
    /// the first is the fallback when none is acceptable.
    pub fn choose(&self, offered: &[Format]) -> Format {
        let mut chosen = offered[0];
        let mut best = self.quality(chosen);
        for &f in &offered[1..] {
            let q = self.quality(f);
            if q > best {
                chosen = f;
                best = q;
            }
        }
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_header_keeps_the_default() {
        assert_eq!(Accept::parse(None).choose(PAGE), Format::Html);
        assert_eq!(Accept::parse(Some("*/*")).choose(ANSWER), Format::Html);
        assert_eq!(Accept::parse(Some("*/*")).choose(TWIN_ANSWER), Format::Markdown);
    }

    #[test]
    fn markdown_wins_only_when_preferred() {
        assert_eq!(Accept::parse(Some("text/markdown")).choose(PAGE), Format::Markdown);
        assert_eq!(Accept::parse(Some("text/markdown, text/html;q=0.9")).choose(PAGE), Format::Markdown);
        assert_eq!(Accept::parse(Some("text/html, text/markdown;q=0.9")).choose(PAGE), Format::Html);
        assert_eq!(Accept::parse(Some("text/markdown;q=0.5, text/html")).choose(PAGE), Format::Html);
        assert_eq!(Accept::parse(Some("text/*")).choose(PAGE), Format::Html);
    }

    #[test]
    fn browsers_get_html() {
        let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(Accept::parse(Some(firefox)).choose(ANSWER), Format::Html);
    }

    #[test]
    fn json_when_asked() {
        assert_eq!(Accept::parse(Some("application/json")).choose(ANSWER), Format::Json);
        assert_eq!(Accept::parse(Some("application/json")).choose(TWIN_ANSWER), Format::Json);
        assert_eq!(Accept::parse(Some("application/json")).choose(PAGE), Format::Html);
        assert_eq!(Accept::parse(Some("application/json, text/markdown;q=0.5")).choose(PAGE), Format::Markdown);
    }

    #[test]
    fn specific_ranges_beat_wildcards() {
        let a = Accept::parse(Some("*/*;q=0.9, text/html;q=0"));
        assert_eq!(a.quality(Format::Html), 0.0);
        assert_eq!(a.choose(PAGE), Format::Markdown);
        let junk = Accept::parse(Some("garbage, text/markdown;q=abc, ;;"));
        assert_eq!(junk.quality(Format::Markdown), 1.0);
    }

    #[test]
    fn format_parameter_names() {
        assert_eq!(Format::from_param("JSON"), Some(Format::Json));
        assert_eq!(Format::from_param("md"), Some(Format::Markdown));
        assert_eq!(Format::from_param("xml"), None);
    }
}
