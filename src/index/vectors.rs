//! Section vectors kept between builds, by content: a build writes every section's
//! vector beside the index (`.docask/vectors.bin`, keyed by a hash of the text the
//! encoder read), and the next build into the same output folder takes the vector
//! of every section whose text did not change from there instead of encoding it
//! again (encoding is about a sixth of a build's time). The file is only a cache: a
//! missing, damaged or foreign one (another encoder, another docask) is ignored.
//!
//! Format (integers little-endian): magic `DVEC`; u64 tag of the encoder; u32 dims D;
//! u32 count N; N × u64 keys, ascending; N × D bytes, the vectors in the same order.
//!
//! Takes the vectors a build made; gives them back to the next build by key.

use std::hash::{Hash, Hasher};
use std::path::Path;

use anyhow::Result;

/// The file, in the data folder beside the index.
pub const FILE: &str = "vectors.bin";
const MAGIC: &[u8; 4] = b"DVEC";
/// Bytes before the keys.
const HEADER: usize = 4 + 8 + 4 + 4;

/// Section vectors with the keys of their texts, as a build makes them.
pub type Made = Vec<(u64, Vec<u8>)>;

/// The key of a section's text.
pub fn key(text: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// What a vector depends on besides the text: docask's version (its encoder and its
/// embeddings are compiled in) and the embeddings' size.
fn tag(embeddings_len: usize) -> u64 {
    key(&format!("{} {embeddings_len}", env!("CARGO_PKG_VERSION")))
}

/// Vectors of an earlier build, by key.
#[derive(Debug, Default)]
pub struct Known {
    keys: Vec<u64>,
    /// The file as read; the vectors start at `vectors_at`.
    bytes: Vec<u8>,
    vectors_at: usize,
    dims: usize,
}

impl Known {
    /// The vectors in `path` if it is a file of this encoder with `dims`-long vectors;
    /// none otherwise.
    pub fn read(path: &Path, dims: usize, embeddings_len: usize) -> Known {
        std::fs::read(path).ok().and_then(|bytes| parse(bytes, dims, tag(embeddings_len))).unwrap_or_default()
    }

    /// The vector kept for `key`.
    pub fn get(&self, key: u64) -> Option<&[u8]> {
        let i = self.keys.binary_search(&key).ok()?;
        let at = self.vectors_at + i * self.dims;
        self.bytes.get(at..at + self.dims)
    }

    /// Number of vectors kept.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

fn parse(bytes: Vec<u8>, dims: usize, tag: u64) -> Option<Known> {
    let u32_at = |at: usize| bytes.get(at..at + 4).and_then(|b| b.try_into().ok()).map(u32::from_le_bytes);
    let u64_at = |at: usize| bytes.get(at..at + 8).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes);
    if bytes.get(..4)? != MAGIC || u64_at(4)? != tag || u32_at(12)? as usize != dims {
        return None;
    }
    let count = u32_at(16)? as usize;
    let vectors_at = HEADER.checked_add(count.checked_mul(8)?)?;
    if bytes.len() != vectors_at.checked_add(count.checked_mul(dims)?)? {
        return None;
    }
    let keys: Vec<u64> = (0..count).map(|i| u64_at(HEADER + 8 * i)).collect::<Option<_>>()?;
    keys.windows(2).all(|w| w[0] < w[1]).then_some(Known { keys, bytes, vectors_at, dims })
}

/// Writes `made` (key, vector) pairs, each `dims` long, to `path` (one per key).
pub fn write(path: &Path, dims: usize, embeddings_len: usize, mut made: Made) -> Result<()> {
    made.retain(|(_, v)| v.len() == dims);
    made.sort_unstable_by_key(|(k, _)| *k);
    made.dedup_by_key(|(k, _)| *k);
    let mut bytes = Vec::with_capacity(HEADER + made.len() * (8 + dims));
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&tag(embeddings_len).to_le_bytes());
    bytes.extend_from_slice(&(dims as u32).to_le_bytes());
    bytes.extend_from_slice(&(made.len() as u32).to_le_bytes());
    for (k, _) in &made {
        bytes.extend_from_slice(&k.to_le_bytes());
    }
    for (_, v) in &made {
        bytes.extend_from_slice(v);
    }
    crate::write::replace(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_come_back_by_the_key_of_their_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        let made = vec![(key("b"), vec![2, 2, 2]), (key("a"), vec![1, 1, 1]), (key("a"), vec![1, 1, 1]), (7, vec![9])];
        write(&path, 3, 100, made).unwrap();
        let known = Known::read(&path, 3, 100);
        assert_eq!(known.len(), 2, "one per key, wrong lengths left out");
        assert_eq!(known.get(key("a")), Some(&[1u8, 1, 1][..]));
        assert_eq!(known.get(key("b")), Some(&[2u8, 2, 2][..]));
        assert_eq!(known.get(key("c")), None);
    }

    #[test]
    fn another_encoder_or_a_damaged_file_gives_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        write(&path, 3, 100, vec![(key("a"), vec![1, 1, 1]), (key("b"), vec![2, 2, 2])]).unwrap();
        assert!(Known::read(&path, 4, 100).is_empty(), "other dims");
        assert!(Known::read(&path, 3, 101).is_empty(), "other embeddings");
        assert!(Known::read(&dir.path().join("missing"), 3, 100).is_empty());
        let bytes = std::fs::read(&path).unwrap();
        for cut in 0..bytes.len() {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            assert!(Known::read(&path, 3, 100).is_empty(), "cut at {cut}");
        }
        let mut swapped = bytes.clone();
        swapped[HEADER..HEADER + 16].rotate_left(8);
        std::fs::write(&path, &swapped).unwrap();
        assert!(Known::read(&path, 3, 100).is_empty(), "keys out of order");
    }
}
