//! Strict decoding of what a request names: the query string (`ask`, `goal`,
//! `format`) and the path's segments. Unlike lenient decoders, a `%` not followed by
//! two hex digits or bytes that are not UTF-8 are errors, so the server can answer
//! them with 400 instead of guessing.
//!
//! Takes the raw query or path; gives `Params` or the decoded segments.

use super::negotiate::Format;
use crate::markdown::markup::code_span;

/// Characters of an unknown `format=` value repeated in the error.
const ECHOED: usize = 40;

/// Why a query or path could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A `%` not followed by two hex digits.
    Percent,
    /// The bytes are not UTF-8.
    Utf8,
    /// `format=` names no known format.
    Format(String),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Percent => {
                f.write_str("The URL has malformed percent-encoding (a `%` must be followed by two hex digits).")
            }
            DecodeError::Utf8 => f.write_str("The URL does not decode to UTF-8 text."),
            DecodeError::Format(v) => {
                write!(f, "Unknown format {}: use `format=json`, `format=md` or `format=html`.", code_span(v))
            }
        }
    }
}

/// The query parameters the server reads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params {
    /// `ask`: the question (present even when empty, so that it can be refused).
    pub ask: Option<String>,
    /// `goal`: what the asker is trying to do.
    pub goal: Option<String>,
    /// `format`: an explicit format, overriding `Accept`.
    pub format: Option<Format>,
}

impl Params {
    /// Decodes a query string (`application/x-www-form-urlencoded`: `+` is a space).
    /// Every pair must decode, not only the ones read.
    pub fn parse(query: Option<&str>) -> Result<Params, DecodeError> {
        let mut params = Params::default();
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = decode(&key.replace('+', " "))?;
            let value = decode(&value.replace('+', " "))?;
            match key.as_str() {
                "ask" if params.ask.is_none() => params.ask = Some(value),
                "goal" if params.goal.is_none() => params.goal = Some(value).filter(|g| !g.trim().is_empty()),
                "format" if params.format.is_none() => {
                    params.format = Some(Format::from_param(&value).ok_or_else(|| DecodeError::Format(cut(&value)))?)
                }
                _ => {}
            }
        }
        Ok(params)
    }
}

fn cut(value: &str) -> String {
    value.chars().take(ECHOED).collect()
}

/// Percent-decodes `text` strictly into a UTF-8 string.
pub fn decode(text: &str) -> Result<String, DecodeError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(DecodeError::Percent)?;
            let hex = std::str::from_utf8(hex).map_err(|_| DecodeError::Percent)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(DecodeError::Percent);
            }
            out.push(u8::from_str_radix(hex, 16).map_err(|_| DecodeError::Percent)?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| DecodeError::Utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ask_goal_and_format() {
        let p = Params::parse(Some("ask=how+do%20I%3F&goal=ship&format=json&x=1")).unwrap();
        assert_eq!(p.ask.as_deref(), Some("how do I?"));
        assert_eq!(p.goal.as_deref(), Some("ship"));
        assert_eq!(p.format, Some(Format::Json));
        assert_eq!(Params::parse(Some("ask=")).unwrap().ask.as_deref(), Some(""));
        assert_eq!(Params::parse(None).unwrap(), Params::default());
        assert_eq!(Params::parse(Some("ask=a&goal=")).unwrap().goal, None);
    }

    #[test]
    fn refuses_bad_encoding() {
        assert_eq!(Params::parse(Some("ask=%ff%fe")), Err(DecodeError::Utf8));
        assert_eq!(Params::parse(Some("ask=%zz")), Err(DecodeError::Percent));
        assert_eq!(Params::parse(Some("ask=50%")), Err(DecodeError::Percent));
        assert_eq!(Params::parse(Some("ask=%e2%82")), Err(DecodeError::Utf8));
        assert!(matches!(Params::parse(Some("format=xml")), Err(DecodeError::Format(_))));
        let hostile =
            Params::parse(Some("format=x%0A%0A%23%20Injected%0A%5Bclick%5D(javascript:alert(1))%60")).unwrap_err();
        let text = hostile.to_string();
        assert!(!text.contains('\n') && text.contains("`x # Injected [click](javascript:"), "{text}");
    }

    #[test]
    fn decodes_multibyte() {
        assert_eq!(decode("caf%C3%A9").unwrap(), "café");
        assert_eq!(decode("%e2%82%ac").unwrap(), "€");
    }
}
