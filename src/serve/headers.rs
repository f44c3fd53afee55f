//! Headers every response carries, and the request headers the server reads itself:
//! the security headers a static site should send, the discovery headers that point
//! agents at `llms.txt` (`Link: </llms.txt>; rel="llms-txt"` and `X-Llms-Txt`, under
//! the base URL's path), and which compressed form a client accepts.
//!
//! Takes a response's headers or a request's `Accept-Encoding`; gives them completed
//! or read.

use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use tower_http::compression::predicate::{DefaultPredicate, Predicate};

/// The Content-Security-Policy. The theme loads only same-origin scripts and styles
/// and has no inline script; `'unsafe-inline'` styles are allowed because content
/// carries `style` attributes (GitBook tables' `text-align`, raw HTML), and images
/// may come from `https:` because content may embed remote images.
pub const CSP: &str = "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; \
script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

/// `X-Llms-Txt`: where the site's `llms.txt` is.
pub const X_LLMS_TXT: HeaderName = HeaderName::from_static("x-llms-txt");

/// Adds the security headers, keeping any already set.
pub fn security(headers: &mut HeaderMap) {
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::CONTENT_SECURITY_POLICY, CSP),
    ] {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
}

/// The discovery headers of one site.
#[derive(Debug, Clone)]
pub struct Discovery {
    link: HeaderValue,
    llms: HeaderValue,
}

impl Discovery {
    /// The headers for a site whose public URL is `base_url` (empty when unknown):
    /// `llms.txt` is under its path (`https://u.github.io/repo` → `/repo/llms.txt`).
    pub fn of(base_url: &str) -> Discovery {
        let url = format!("{}/llms.txt", base_path(base_url));
        let link = HeaderValue::from_str(&format!("<{url}>; rel=\"llms-txt\""));
        let llms = HeaderValue::from_str(&url);
        match (link, llms) {
            (Ok(link), Ok(llms)) => Discovery { link, llms },
            _ => Discovery {
                link: HeaderValue::from_static("</llms.txt>; rel=\"llms-txt\""),
                llms: HeaderValue::from_static("/llms.txt"),
            },
        }
    }

    /// Adds the headers, keeping any already set.
    pub fn apply(&self, headers: &mut HeaderMap) {
        if !headers.contains_key(&X_LLMS_TXT) {
            headers.append(header::LINK, self.link.clone());
            headers.insert(X_LLMS_TXT, self.llms.clone());
        }
    }
}

/// The path of a base URL, without trailing slash (`https://h/a/b/` → `/a/b`,
/// `https://h` → ``).
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("").trim_end_matches('/');
    path.chars().filter(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | '"')).collect()
}

/// The compressed forms a client accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `br` and `gzip`.
    Brotli,
    /// `br` but not `gzip`.
    BrotliOnly,
    /// `gzip` only.
    Gzip,
    /// Neither.
    Identity,
}

impl Encoding {
    /// Reads `Accept-Encoding` (a coding with `q=0` is refused; `*` accepts both).
    pub fn accepted(header: Option<&str>) -> Encoding {
        let Some(header) = header else { return Encoding::Identity };
        let mut accepted = 0u8;
        for part in header.split(',') {
            let mut params = part.split(';');
            let coding = params.next().unwrap_or("").trim();
            let refused = params.any(|p| {
                let p = p.trim();
                p.strip_prefix("q=").or_else(|| p.strip_prefix("Q=")).and_then(|q| q.trim().parse::<f32>().ok())
                    == Some(0.0)
            });
            if refused {
                continue;
            }
            accepted |= match coding.to_ascii_lowercase().as_str() {
                "br" => 1,
                "gzip" | "x-gzip" => 2,
                "*" => 3,
                _ => 0,
            };
        }
        match accepted {
            0 => Encoding::Identity,
            2 => Encoding::Gzip,
            _ if accepted & 2 != 0 => Encoding::Brotli,
            _ => Encoding::BrotliOnly,
        }
    }

    /// Whether brotli is accepted.
    pub fn brotli(self) -> bool {
        matches!(self, Encoding::Brotli | Encoding::BrotliOnly)
    }

    /// Whether gzip is accepted.
    pub fn gzip(self) -> bool {
        matches!(self, Encoding::Brotli | Encoding::Gzip)
    }
}

/// Marks a response whose encoding was chosen already (a kept file): the
/// compression layer leaves it alone.
#[derive(Debug, Clone, Copy)]
pub struct Precompressed;

/// The compression layer's rule: its defaults, and never a `Precompressed` response.
#[derive(Debug, Clone, Copy, Default)]
pub struct NotPrecompressed;

impl Predicate for NotPrecompressed {
    fn should_compress<B>(&self, response: &axum::http::Response<B>) -> bool
    where
        B: axum::body::HttpBody,
    {
        response.extensions().get::<Precompressed>().is_none() && DefaultPredicate::new().should_compress(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_follows_the_base_path() {
        let mut headers = HeaderMap::new();
        Discovery::of("").apply(&mut headers);
        assert_eq!(headers[header::LINK], "</llms.txt>; rel=\"llms-txt\"");
        assert_eq!(headers[X_LLMS_TXT], "/llms.txt");
        let mut headers = HeaderMap::new();
        Discovery::of("https://user.github.io/repo").apply(&mut headers);
        assert_eq!(headers[header::LINK], "</repo/llms.txt>; rel=\"llms-txt\"");
        assert_eq!(headers[X_LLMS_TXT], "/repo/llms.txt");
        assert_eq!(base_path("https://docs.example.com"), "");
        assert_eq!(base_path("https://h/a/b/"), "/a/b");
        assert_eq!(base_path("https://h/a<b>\"c"), "/abc");
    }

    #[test]
    fn reads_accept_encoding() {
        assert_eq!(Encoding::accepted(None), Encoding::Identity);
        assert_eq!(Encoding::accepted(Some("gzip, deflate, br")), Encoding::Brotli);
        assert_eq!(Encoding::accepted(Some("gzip")), Encoding::Gzip);
        assert_eq!(Encoding::accepted(Some("br;q=0, gzip")), Encoding::Gzip);
        assert_eq!(Encoding::accepted(Some("br")), Encoding::BrotliOnly);
        assert_eq!(Encoding::accepted(Some("*")), Encoding::Brotli);
        assert_eq!(Encoding::accepted(Some("identity, deflate")), Encoding::Identity);
        assert!(!Encoding::BrotliOnly.gzip());
    }
}
