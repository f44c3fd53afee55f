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

/// Distinct words kept before the cache is cleared (bounds memory on huge sites).
const CACHE_LIMIT: usize = 100_000;

/// The analyzer registered as `en_stem` when the index is written.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(CachedStemmer)
        .build()
}

/// English stemming with a per-tokenizer cache.
#[derive(Clone, Copy, Debug, Default)]
pub struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { inner: tokenizer, cache: FxHashMap::default() }
    }
}

/// The tokenizer with its cache of word → stem.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    cache: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.cache.len() > CACHE_LIMIT {
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
}
