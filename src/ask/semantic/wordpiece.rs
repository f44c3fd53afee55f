//! BERT uncased tokenization, as the Hugging Face `tokenizers` library does it for
//! all-MiniLM-L6-v2 (`BertNormalizer`, `BertPreTokenizer`, `WordPiece`): takes text,
//! gives the vocabulary rows of its word pieces, `[UNK]` words left out.
//!
//! Steps, in the library's order: drop NUL, U+FFFD and control/format/private-use/
//! unassigned characters and turn whitespace into spaces; put spaces around CJK
//! ideographs; decompose (NFD) and drop nonspacing marks (accents); lower-case each
//! character; split at whitespace and around every punctuation character; then per word,
//! greedy longest-match WordPiece, continuations looked up without their `##`. A word of
//! more than 100 characters, or one that no sequence of pieces covers, is `[UNK]`.
//!
//! Known difference: the library's tables are of an older Unicode version, so a character
//! assigned since then (a recent emoji) is dropped there and kept here; either way such a
//! character is in no piece, so the word holding it contributes nothing in both, except
//! when the character is glued to a word, which then is `[UNK]` here. And the library
//! reads its special tokens written out in the text (`[CLS]`) as those tokens; here they
//! are text like any other.

use rustc_hash::FxHashMap;
use unicode_general_category::{get_general_category, GeneralCategory as Gc};
use unicode_normalization::UnicodeNormalization;

/// The library's `max_input_chars_per_word`.
const MAX_WORD_CHARS: usize = 100;

/// A WordPiece vocabulary: pieces that start a word and `##` continuations (kept without
/// the prefix, so a lookup needs no allocation).
#[derive(Debug, Default)]
pub struct Vocabulary {
    starts: FxHashMap<&'static str, u32>,
    continuations: FxHashMap<&'static str, u32>,
    /// Bytes of the longest piece (continuations without `##`): no longer prefix of a
    /// word can be one, so none is looked up.
    longest: usize,
}

impl Vocabulary {
    /// Adds `token` (a `##` prefix marks a continuation) as row `row`.
    pub fn insert(&mut self, token: &'static str, row: u32) {
        let key = match token.strip_prefix("##") {
            Some(rest) if !rest.is_empty() => {
                self.continuations.insert(rest, row);
                rest
            }
            _ => {
                self.starts.insert(token, row);
                token
            }
        };
        self.longest = self.longest.max(key.len());
    }

    /// Number of pieces.
    pub fn len(&self) -> usize {
        self.starts.len() + self.continuations.len()
    }

    /// Whether there is no piece.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows of `text`'s word pieces, in order; words made of no known pieces are left out.
    pub fn rows(&self, text: &str) -> Vec<u32> {
        self.first_rows(text, usize::MAX)
    }

    /// The first `limit` of [`Self::rows`], found without reading past them.
    pub fn first_rows(&self, text: &str, limit: usize) -> Vec<u32> {
        let normalized = normalize(text);
        let mut rows = Vec::new();
        for word in pre_tokenize(&normalized) {
            if rows.len() >= limit {
                break;
            }
            self.word_pieces(word, &mut rows);
        }
        rows.truncate(limit);
        rows
    }

    /// Greedy longest-match WordPiece of one word, appended to `rows`; nothing when the
    /// word is `[UNK]`.
    fn word_pieces(&self, word: &str, rows: &mut Vec<u32>) {
        if word.chars().count() > MAX_WORD_CHARS {
            return;
        }
        let kept = rows.len();
        let mut start = 0;
        while start < word.len() {
            let table = if start == 0 { &self.starts } else { &self.continuations };
            let rest = &word[start..];
            let rest = &rest[..rest.floor_char_boundary(self.longest)];
            // Ends at char boundaries, longest first.
            let found = rest
                .char_indices()
                .map(|(i, c)| i + c.len_utf8())
                .rev()
                .find_map(|end| table.get(&rest[..end]).map(|&row| (end, row)));
            match found {
                Some((end, row)) => {
                    rows.push(row);
                    start += end;
                }
                None => {
                    rows.truncate(kept);
                    return;
                }
            }
        }
    }
}

/// `BertNormalizer` with `clean_text`, `handle_chinese_chars`, accents stripped and lower case.
fn normalize(text: &str) -> String {
    if text.is_ascii() {
        normalize_ascii(text)
    } else {
        normalize_unicode(text)
    }
}

/// [`normalize`] through the Unicode tables.
fn normalize_unicode(text: &str) -> String {
    let mut cleaned = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\0' || c == '\u{fffd}' || is_control(c) {
            continue;
        }
        if is_whitespace(c) {
            cleaned.push(' ');
        } else if is_cjk(c) {
            cleaned.push(' ');
            cleaned.push(c);
            cleaned.push(' ');
        } else {
            cleaned.push(c);
        }
    }
    let mut out = String::with_capacity(cleaned.len());
    for c in cleaned.nfd().filter(|&c| get_general_category(c) != Gc::NonspacingMark) {
        // Per character, as the library does (no final-sigma rule).
        out.extend(c.to_lowercase());
    }
    out
}

/// [`normalize`] of ASCII text, without the Unicode tables: tab, newline and carriage
/// return become spaces, the other control characters go, letters are lower-cased (an
/// ASCII character has no accent to strip and decomposes to itself).
fn normalize_ascii(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if c.is_ascii_control() => None,
            c => Some(c.to_ascii_lowercase()),
        })
        .collect()
}

/// `BertPreTokenizer`: words split at whitespace, each punctuation character a word alone.
fn pre_tokenize(text: &str) -> impl Iterator<Item = &str> {
    text.split(char::is_whitespace).flat_map(split_punctuation).filter(|w| !w.is_empty())
}

/// `word` cut before and after each punctuation character (char boundaries only; some
/// pieces may be empty).
fn split_punctuation(word: &str) -> impl Iterator<Item = &str> {
    word.split_inclusive(is_punctuation).flat_map(|piece| {
        // A piece ends with its punctuation character, unless it is the word's last.
        let cut = piece.char_indices().next_back().filter(|&(_, c)| is_punctuation(c)).map_or(piece.len(), |(i, _)| i);
        let (before, punctuation) = piece.split_at(cut);
        [before, punctuation]
    })
}

fn is_control(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r')
        && matches!(get_general_category(c), Gc::Control | Gc::Format | Gc::PrivateUse | Gc::Unassigned | Gc::Surrogate)
}

fn is_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || c.is_whitespace()
}

fn is_punctuation(c: char) -> bool {
    // An ASCII character is punctuation exactly when it is neither a letter, a digit,
    // a space nor a control character: no table needed.
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    has_punctuation_category(c)
}

/// Whether the Unicode tables class `c` as punctuation.
fn has_punctuation_category(c: char) -> bool {
    matches!(
        get_general_category(c),
        Gc::ConnectorPunctuation
            | Gc::DashPunctuation
            | Gc::ClosePunctuation
            | Gc::FinalPunctuation
            | Gc::InitialPunctuation
            | Gc::OtherPunctuation
            | Gc::OpenPunctuation
    )
}

/// The CJK ideograph blocks BERT surrounds with spaces.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F | 0x2B920..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab(tokens: &[&'static str]) -> Vocabulary {
        let mut v = Vocabulary::default();
        for (i, t) in tokens.iter().enumerate() {
            v.insert(t, i as u32);
        }
        v
    }

    #[test]
    fn normalizes_as_bert_uncased() {
        assert_eq!(normalize("Café ÅNGSTRÖM\tx\u{0}y\u{200b}z"), "cafe angstrom xyz");
        assert_eq!(normalize("日本"), " 日  本 ");
        assert_eq!(normalize("ΣΑΣ"), "σασ");
    }

    proptest::proptest! {
        /// The ASCII shortcuts give what the Unicode tables give, for every ASCII
        /// character.
        #[test]
        fn ascii_text_normalizes_as_through_the_tables(text in "[\\x00-\\x7f]{0,80}") {
            proptest::prop_assert_eq!(normalize_ascii(&text), normalize_unicode(&text));
        }
    }

    #[test]
    fn ascii_punctuation_needs_no_table() {
        for c in (0u8..128).map(char::from) {
            // The shortcut skips the table: no ASCII character outside the ASCII
            // punctuation has a punctuation category.
            assert!(!has_punctuation_category(c) || c.is_ascii_punctuation(), "{c:?}");
            assert_eq!(is_punctuation(c), c.is_ascii_punctuation(), "{c:?}");
        }
    }

    #[test]
    fn splits_punctuation_into_words() {
        let words: Vec<&str> = pre_tokenize("snake_case, v1.2 (beta)! «é»").collect();
        assert_eq!(words, ["snake", "_", "case", ",", "v1", ".", "2", "(", "beta", ")", "!", "«", "é", "»"]);
    }

    proptest::proptest! {
        /// Words are split as a character-by-character reading splits them, whatever
        /// the characters (ASCII and Unicode punctuation, emoji, accents).
        #[test]
        fn splits_as_read_character_by_character(text in "[a-z .,!_«»¿—🎉é\u{301}\t]{0,40}") {
            let mut expected = Vec::new();
            let mut word = String::new();
            for c in text.chars() {
                if c.is_whitespace() || is_punctuation(c) {
                    expected.push(std::mem::take(&mut word));
                    if !c.is_whitespace() {
                        expected.push(c.to_string());
                    }
                } else {
                    word.push(c);
                }
            }
            expected.push(word);
            expected.retain(|w| !w.is_empty());
            proptest::prop_assert_eq!(pre_tokenize(&text).collect::<Vec<_>>(), expected);
        }
    }

    #[test]
    fn greedy_longest_match_with_continuations() {
        let v = vocab(&["un", "unaff", "##ord", "##able", "##a", "token", "##s"]);
        assert_eq!(v.rows("Unaffordable tokens"), [1, 2, 3, 5, 6]);
        // "unx": "un" then no continuation covers "x": the whole word is [UNK].
        assert_eq!(v.rows("unx token"), [5]);
    }

    #[test]
    fn the_first_rows_are_a_prefix_of_all_rows() {
        let v = vocab(&["un", "unaff", "##ord", "##able", "##a", "token", "##s", "."]);
        let text = "Unaffordable tokens. unx token. Tokens";
        let all = v.rows(text);
        for limit in 0..=all.len() + 2 {
            assert_eq!(v.first_rows(text, limit), all[..limit.min(all.len())], "limit {limit}");
        }
    }

    #[test]
    fn long_words_are_unknown() {
        let v = vocab(&["a", "##a", "b"]);
        assert!(v.rows(&"a".repeat(101)).is_empty());
        assert_eq!(v.rows(&"a".repeat(100)).len(), 100);
        assert_eq!(v.rows(&format!("{} b", "a".repeat(150))), [2]);
    }

    #[test]
    fn odd_input_never_panics() {
        let v = vocab(&["a", "##é", "🎉"]);
        for text in ["", " \t\n", "🎉🎉", "a🎉", "\u{301}\u{301}", "ﬁ", "\u{10FFFF}", "é\u{0}é", "İstanbul"]
        {
            let _ = v.rows(text);
        }
        assert_eq!(v.rows("🎉 🎉"), [2, 2]);
    }
}
