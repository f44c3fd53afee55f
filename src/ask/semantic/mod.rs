//! Semantic signal: static token embeddings distilled from all-MiniLM-L6-v2 (Apache-2.0)
//! the model2vec way, compiled into the binary. Takes text, gives one L2-normalised
//! vector; questions and sections are compared by cosine.
//!
//! `scripts/gen_embeddings.py` writes `data/minilm-static.bin` (all integers
//! little-endian):
//!
//! | bytes | content |
//! | --- | --- |
//! | 4 | magic `DSEM` |
//! | u32 | format version (1) |
//! | u32 | dims D |
//! | u32 | token count N |
//! | u32 | byte length L of the vocabulary |
//! | L | the N WordPiece tokens, UTF-8, each followed by `\n` (`##` marks a continuation); token i is row i |
//! | N × f32 | row scales |
//! | N × D × i8 | rows; a token's vector is its row times its scale (the SIF weight is folded in) |
//!
//! A text's vector is the mean of its word pieces' vectors, L2-normalised, exactly as the
//! script's reference encoder computes it (`tests/fixtures/semantic/vectors.json` holds
//! its vectors for a few sentences). A text with no known piece gives the zero vector,
//! whose cosine with anything is 0.

mod vectors;
pub mod wordpiece;

pub use vectors::{dot_i8, dots_i8};

use anyhow::{bail, ensure, Context, Result};

use wordpiece::Vocabulary;

/// The distilled embeddings shipped with docask.
const BUNDLED: &[u8] = include_bytes!("../../../data/minilm-static.bin");
const MAGIC: &[u8; 4] = b"DSEM";
const VERSION: u32 = 1;

/// Bytes of the bundled embeddings file: part of what a section's vector depends on.
pub fn bundled_len() -> usize {
    BUNDLED.len()
}

/// Static token embeddings and their tokenizer, parsed once; the ask engine owns one.
#[derive(Debug)]
pub struct Embeddings {
    dims: usize,
    vocabulary: Vocabulary,
    /// Token of each row, borrowed from the embedded file.
    tokens: Vec<&'static str>,
    scales: Vec<f32>,
    /// N × D signed bytes, borrowed from the embedded file.
    rows: &'static [u8],
}

impl Embeddings {
    /// The embeddings compiled into docask.
    pub fn bundled() -> Result<Self> {
        Self::parse(BUNDLED).context("the bundled embeddings (data/minilm-static.bin) are damaged")
    }

    /// Parses a file in the format above.
    pub fn parse(bytes: &'static [u8]) -> Result<Self> {
        let mut at = Reader { bytes, at: 0 };
        ensure!(at.take(4)? == MAGIC, "not a docask embeddings file (no `DSEM` magic)");
        let version = at.u32()?;
        ensure!(version == VERSION, "embeddings format version {version}, this docask reads {VERSION}");
        let dims = at.u32()? as usize;
        let count = at.u32()? as usize;
        let vocab_len = at.u32()? as usize;
        ensure!(dims > 0 && count > 0, "embeddings with {dims} dims and {count} tokens");
        let text = std::str::from_utf8(at.take(vocab_len)?).context("the vocabulary is not UTF-8")?;
        let tokens: Vec<&'static str> = text.split_terminator('\n').collect();
        ensure!(tokens.len() == count, "the vocabulary lists {} tokens, the header says {count}", tokens.len());
        let mut vocabulary = Vocabulary::default();
        for (row, token) in tokens.iter().enumerate() {
            vocabulary.insert(token, row as u32);
        }
        let scales =
            at.take(count * 4)?.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
        let rows = at.take(count * dims)?;
        if at.at != bytes.len() {
            bail!("{} bytes after the last row", bytes.len() - at.at);
        }
        Ok(Embeddings { dims, vocabulary, tokens, scales, rows })
    }

    /// Length of every vector.
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// Number of tokens in the vocabulary.
    pub fn token_count(&self) -> usize {
        self.scales.len()
    }

    /// The token of vocabulary row `row` (`##` marks a continuation).
    pub fn token(&self, row: u32) -> Option<&'static str> {
        self.tokens.get(row as usize).copied()
    }

    /// The vocabulary rows of `text`'s word pieces (what [`Self::encode`] averages).
    pub fn token_rows(&self, text: &str) -> Vec<u32> {
        self.vocabulary.rows(text)
    }

    /// `text`'s vector: the mean of its pieces' vectors, L2-normalised (zero when no piece).
    pub fn encode(&self, text: &str) -> Vec<f32> {
        self.mean(&self.token_rows(text))
    }

    /// The L2-normalised mean of some rows' vectors (zero when none).
    fn mean(&self, rows: &[u32]) -> Vec<f32> {
        let mut sum = vec![0f32; self.dims];
        let scaled = rows.iter().map(|&row| {
            let row = row as usize;
            (&self.rows[row * self.dims..(row + 1) * self.dims], self.scales[row])
        });
        vectors::add_scaled(&mut sum, scaled);
        let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            sum.iter_mut().for_each(|x| *x /= norm);
        }
        sum
    }
}

/// Word pieces of a section that its vector averages: the first ones, which is all
/// of nearly every section (measured with fusion on the seven development sets: 512
/// ranks as the whole section does, and better than 128 or 256; bench/README.md).
pub const SECTION_PIECES: usize = 512;
/// Characters of a section read for its first `SECTION_PIECES` pieces (a piece is
/// rarely under two characters, so this is always enough).
const SECTION_CHARS: usize = 16 * SECTION_PIECES;

impl Embeddings {
    /// A section's vector: [`Self::encode`] of its first `SECTION_PIECES` word pieces.
    pub fn encode_section(&self, text: &str) -> Vec<f32> {
        let end = text.char_indices().nth(SECTION_CHARS).map_or(text.len(), |(i, _)| i);
        self.mean(&self.vocabulary.first_rows(&text[..end], SECTION_PIECES))
    }
}

/// A unit vector as signed bytes (each component times 127, rounded).
pub fn quantize(v: &[f32]) -> Vec<i8> {
    v.iter().map(|x| round(x * 127.0).clamp(-127.0, 127.0) as i8).collect()
}

/// `f32::round` (halves away from zero) without its library call, for what
/// [`quantize`] keeps: a value's integer part by conversion (exact below 2³¹; larger
/// values, infinities and NaN give what the clamp after it makes of `round`'s), plus one
/// when the part cut off is a half or more (`v - t` is exact).
fn round(v: f32) -> f32 {
    let t = v as i32 as f32;
    if (v - t).abs() >= 0.5 {
        t + v.signum()
    } else {
        t
    }
}

/// Cosine of two vectors of one length; 0 when either is zero.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let (mut dot, mut na, mut nb) = (0f32, 0f32, 0f32);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na.sqrt() * nb.sqrt())
    }
}

/// A cursor over the file's bytes that fails instead of reading past the end.
struct Reader {
    bytes: &'static [u8],
    at: usize,
}

impl Reader {
    fn take(&mut self, n: usize) -> Result<&'static [u8]> {
        let end = self.at.checked_add(n).filter(|&end| end <= self.bytes.len());
        let Some(end) = end else { bail!("the file ends at byte {}, before {n} more bytes", self.bytes.len()) };
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Quantizing rounds as `f32::round` does, halves, extremes, infinities and
        /// NaN included.
        #[test]
        fn quantizing_rounds_as_f32_round(
            v in proptest::collection::vec(proptest::prop_oneof![-1.1f32..1.1, proptest::num::f32::ANY], 0..64),
            halves in proptest::collection::vec(-260i32..260, 0..16),
        ) {
            let mut v = v;
            v.extend(halves.iter().map(|&h| (h as f32 + 0.5) / 127.0));
            v.extend([f32::INFINITY, f32::NEG_INFINITY, f32::NAN, -0.0, 0.5 / 127.0, -0.5 / 127.0]);
            let expected: Vec<i8> = v.iter().map(|x| (x * 127.0).round().clamp(-127.0, 127.0) as i8).collect();
            proptest::prop_assert_eq!(quantize(&v), expected);
        }
    }

    #[test]
    fn bundled_file_parses() {
        let e = Embeddings::bundled().expect("bundled embeddings");
        assert!(e.dims() >= 64);
        assert!(e.token_count() > 20_000);
    }

    #[test]
    fn encodes_to_unit_vectors_and_zero_for_nothing() {
        let e = Embeddings::bundled().expect("bundled embeddings");
        let v = e.encode("How do I create an API token?");
        assert!((v.iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-4);
        let empty = e.encode("");
        assert!(empty.iter().all(|&x| x == 0.0));
        assert_eq!(cosine(&v, &empty), 0.0);
        assert!((cosine(&v, &v) - 1.0).abs() < 1e-4);
        let w = e.encode("Delete a token for good");
        // The engine ranks by the dot product of the vectors scaled to `i8`: the cosine
        // within the rounding of 127 steps.
        let scaled = dot_i8(&quantize(&v), &quantize(&w)) as f32 / (127.0 * 127.0);
        assert!((scaled - cosine(&v, &w)).abs() < 0.02, "{scaled} vs {}", cosine(&v, &w));
    }

    #[test]
    fn related_texts_are_closer_than_unrelated_ones() {
        let e = Embeddings::bundled().expect("bundled embeddings");
        let q = e.encode("dashboard too bright at night");
        let near = e.encode("Using dark mode: switch the theme to a darker colour scheme");
        let far = e.encode("Upload symbol files from your build server with the command line tool");
        assert!(cosine(&q, &near) > cosine(&q, &far));
    }

    #[test]
    fn damaged_files_are_errors_not_panics() {
        let whole = BUNDLED;
        for cut in [0, 3, 4, 10, 20, 100, whole.len() / 2, whole.len() - 1] {
            assert!(Embeddings::parse(&whole[..cut]).is_err(), "cut at {cut}");
        }
        assert!(Embeddings::parse(b"DSEM\x02\0\0\0").is_err());
        assert!(Embeddings::parse(b"XXXX\x01\0\0\0\x01\0\0\0\x01\0\0\0\x02\0\0\0a\n").is_err());
    }
}
