//! The index's English analyzer: tantivy's `en_stem` chain (simple tokenizer, long
//! tokens dropped, lower-cased, Snowball English stemmer) with a cache in front of the
//! stemmer. Words repeat (Zipf), so a build stems each distinct word once per
//! indexing thread instead of once per occurrence; the tokens are identical. The
//! cache hashes with Fx: its keys are short words, and it never sees untrusted input
//! at a size where flooding would matter (a build's own pages, a question's words).

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Distinct words a build's analyzer keeps before its cache is cleared (bounds memory
/// on huge sites; about 100 bytes a word).
const CACHE_LIMIT: usize = 100_000;

/// The analyzer registered as `en_stem` when the index is written.
pub fn analyzer() -> TextAnalyzer {
    analyzer_with_cache(CACHE_LIMIT)
}

/// The same analyzer, its cache cleared past `limit` distinct words: a server keeps
/// its analyzers for its lifetime, so it bounds them tighter than a build.
pub fn analyzer_with_cache(limit: usize) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(CachedStemmer { limit })
        .build()
}

/// English stemming with a per-tokenizer cache of up to `limit` words (a text's own
/// words may pass it; the cache is cleared before the next text).
#[derive(Clone, Copy, Debug)]
pub struct CachedStemmer {
    limit: usize,
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { inner: tokenizer, cache: FxHashMap::default(), limit: self.limit }
    }
}

/// The tokenizer with its cache of word → stem.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    cache: FxHashMap<String, String>,
    limit: usize,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.cache.len() > self.limit {
            self.cache.clear();
        }
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English),
            cache: &mut self.cache,
        }
    }
}

/// Token stream that stems through the cache.
pub struct CachedStemmerStream<'a, T> {
    tail: T,
    stemmer: rust_stemmers::Stemmer,
    cache: &'a mut FxHashMap<String, String>,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        match self.cache.get(&token.text) {
            Some(stem) => {
                token.text.clear();
                token.text.push_str(stem);
            }
            None => {
                let stem = self.stemmer.stem(&token.text).into_owned();
                self.cache.insert(std::mem::replace(&mut token.text, stem.clone()), stem);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn gives_the_same_tokens_as_tantivys_en_stem() {
        let text = "Creating tokens: the Tokens were created, deleted and re-created; creating again. Ünïcode wörds";
        let mut standard = tantivy::tokenizer::TokenizerManager::default().get("en_stem").expect("built in");
        let mut cached = analyzer();
        assert_eq!(tokens(&mut cached, text), tokens(&mut standard, text));
        assert_eq!(tokens(&mut cached, text), tokens(&mut standard, text), "second pass hits the cache");
    }

    #[test]
    fn the_cache_stays_bounded_and_the_tokens_stay_the_same() {
        let mut filter = CachedStemmer { limit: 3 }.transform(SimpleTokenizer::default());
        let mut stems = |text: &str| {
            let mut stream = filter.token_stream(text);
            let mut out = Vec::new();
            while stream.advance() {
                out.push(stream.token().text.clone());
            }
            out
        };
        assert_eq!(stems("running tokens created"), ["run", "token", "creat"]);
        assert_eq!(stems("deleted keys rotated"), ["delet", "key", "rotat"]);
        assert_eq!(stems("running again"), ["run", "again"], "stems after the cache was cleared");
        assert!(filter.cache.len() <= 3 + 2, "cleared past its limit: {} words", filter.cache.len());
    }
}
