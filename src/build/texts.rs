//! The two files made from every page's text: `llms-full.txt` (twin bodies in
//! reading order) and the offline search index. Each is composed of one part per
//! page, and where each part lies is kept (`Spans`), so that a live patch can
//! replace the parts of the edited pages and leave the other bytes as they are.
//!
//! Takes the site and each page's `Text`; gives both files and their spans.

use std::collections::BTreeMap;
use std::ops::Range;

use super::page::Text;
use crate::agent::llms;
use crate::render::search_asset;
use crate::site::Site;

/// Output paths of the two files.
pub const LLMS_FULL: &str = "llms-full.txt";
/// See `LLMS_FULL`.
pub const SEARCH_INDEX: &str = "static/search-index.js";

/// Both files' text.
pub struct TextFiles {
    /// `llms-full.txt`.
    pub llms_full: String,
    /// `static/search-index.js`.
    pub search_index: String,
    /// Where each page's parts are.
    pub spans: Spans,
}

/// Where each page's part lies in the two files, by page index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spans {
    /// In `llms-full.txt`; none for a page outside the reading order.
    llms: Vec<Option<Range<usize>>>,
    /// In the search index's section list.
    search: Vec<Option<Range<usize>>>,
    /// Length of each file's head (`llms-full.txt`, the search index), which names
    /// the site and every page's title.
    heads: (usize, usize),
    /// The reading order the parts of `llms-full.txt` follow.
    order: Vec<usize>,
    /// Sections per page (their total sets the excerpt length).
    sections: Vec<usize>,
}

/// Composes both files from every page's text, `order` being the reading order.
pub fn compose(site: &Site, order: &[usize], texts: Vec<Text>) -> TextFiles {
    let n = texts.len();
    let mut llms_parts: BTreeMap<usize, String> = BTreeMap::new();
    for &i in order {
        llms_parts.entry(i).or_insert_with(|| llms::llms_full_page(site, i, &texts[i].body));
    }
    let in_order: Vec<(usize, String)> =
        order.iter().filter_map(|&i| llms_parts.remove(&i).map(|part| (i, part))).collect();
    let llms_head = llms::llms_full_head(site);
    let search_head = search_asset::head(site);
    let heads = (llms_head.len(), search_head.len());
    let (llms_full, llms) = join(llms_head, in_order, "", "", n);
    let sections: Vec<usize> = texts.iter().map(|t| t.entries.len()).collect();
    let limit = search_asset::limit(sections.iter().sum());
    let parts =
        texts.into_iter().enumerate().map(|(i, t)| (i, search_asset::page_sections(i, t.entries, limit))).collect();
    let (search_index, search) = join(search_head, parts, ",", search_asset::TAIL, n);
    TextFiles { llms_full, search_index, spans: Spans { llms, search, sections, heads, order: order.to_vec() } }
}

/// `head`, the non-empty `parts` separated by `sep`, and `tail`, with each part's
/// range by page index (of `n` pages).
fn join(
    head: String,
    parts: Vec<(usize, String)>,
    sep: &str,
    tail: &str,
    n: usize,
) -> (String, Vec<Option<Range<usize>>>) {
    let mut out = head;
    out.reserve(parts.iter().map(|(_, part)| part.len() + sep.len()).sum::<usize>() + tail.len());
    let mut spans = vec![None; n];
    let mut first = true;
    for (i, part) in parts {
        if part.is_empty() {
            continue;
        }
        if !std::mem::take(&mut first) {
            out.push_str(sep);
        }
        spans[i] = Some(out.len()..out.len() + part.len());
        out.push_str(&part);
    }
    out.push_str(tail);
    (out, spans)
}

/// The two files with their heads made anew (a title may have changed) and the
/// parts of the `edited` pages replaced in the `old` ones, which were composed with
/// `spans`. `None` when that cannot give what `compose` would: the reading order
/// (`order`) changed, the total of sections did (so every excerpt's length may), or
/// a page's part appears or disappears.
pub fn splice(
    site: &Site,
    order: &[usize],
    (old_llms, old_search): (&str, &str),
    spans: &Spans,
    edited: Vec<(usize, Text)>,
) -> Option<TextFiles> {
    if spans.order != order {
        return None;
    }
    let mut sections = spans.sections.clone();
    for (i, text) in &edited {
        *sections.get_mut(*i)? = text.entries.len();
    }
    let limit = search_asset::limit(sections.iter().sum());
    if limit != search_asset::limit(spans.sections.iter().sum()) {
        return None;
    }
    let mut llms_parts = BTreeMap::new();
    let mut search_parts = BTreeMap::new();
    for (i, text) in edited {
        if spans.llms.get(i)?.is_some() {
            llms_parts.insert(i, llms::llms_full_page(site, i, &text.body));
        }
        search_parts.insert(i, search_asset::page_sections(i, text.entries, limit));
    }
    let llms_head = llms::llms_full_head(site);
    let search_head = search_asset::head(site);
    let heads = (llms_head.len(), search_head.len());
    let (llms_full, llms) = replace_parts(old_llms, (spans.heads.0, llms_head), &spans.llms, llms_parts)?;
    let (search_index, search) = replace_parts(old_search, (spans.heads.1, search_head), &spans.search, search_parts)?;
    Some(TextFiles { llms_full, search_index, spans: Spans { llms, search, sections, heads, order: order.to_vec() } })
}

/// `old` with its head (its first `head.0` bytes) replaced by `head.1` and the parts
/// at `spans` of the pages in `new` replaced; `None` when a part is empty or a page
/// has no part.
fn replace_parts(
    old: &str,
    head: (usize, String),
    spans: &[Option<Range<usize>>],
    new: BTreeMap<usize, String>,
) -> Option<(String, Vec<Option<Range<usize>>>)> {
    let mut by_start: Vec<(usize, Range<usize>)> =
        spans.iter().enumerate().filter_map(|(i, r)| r.clone().map(|r| (i, r))).collect();
    by_start.sort_by_key(|(_, r)| r.start);
    let (mut at, mut out) = head;
    out.reserve(old.len().saturating_sub(at));
    let mut spans_out = vec![None; spans.len()];
    for (i, range) in by_start {
        out.push_str(old.get(at..range.start)?);
        let part = match new.get(&i) {
            Some(part) if part.is_empty() => return None,
            Some(part) => part.as_str(),
            None => old.get(range.clone())?,
        };
        spans_out[i] = Some(out.len()..out.len() + part.len());
        out.push_str(part);
        at = range.end;
    }
    if new.keys().any(|&i| spans.get(i).is_none_or(Option::is_none)) {
        return None;
    }
    out.push_str(old.get(at..)?);
    Some((out, spans_out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_replaced_in_file_order_whatever_the_page_order() {
        // Page 1's part comes first in the file, page 0's second; page 2 has none.
        let old = "head[one],[zero]tail";
        let spans = vec![Some(10..16), Some(4..9), None];
        let new = BTreeMap::from([(0, "[ZERO!]".to_string())]);
        let (text, spans_out) = replace_parts(old, (4, "head".into()), &spans, new.clone()).unwrap();
        assert_eq!(text, "head[one],[ZERO!]tail");
        assert_eq!(spans_out, vec![Some(10..17), Some(4..9), None]);
        // A longer head moves every part.
        let (text, spans_out) = replace_parts(old, (4, "header".into()), &spans, new).unwrap();
        assert_eq!(text, "header[one],[ZERO!]tail");
        assert_eq!(spans_out, vec![Some(12..19), Some(6..11), None]);
    }

    #[test]
    fn a_part_that_appears_or_disappears_is_refused() {
        let spans = vec![Some(4..9), None];
        let head = || (4, "head".to_string());
        assert!(replace_parts("head[one]tail", head(), &spans, BTreeMap::from([(0, String::new())])).is_none());
        assert!(replace_parts("head[one]tail", head(), &spans, BTreeMap::from([(1, "[new]".into())])).is_none());
    }

    #[test]
    fn join_separates_non_empty_parts() {
        let parts = vec![(0, "a".to_string()), (1, String::new()), (2, "c".to_string())];
        let (text, spans) = join("[".into(), parts, ",", "]", 3);
        assert_eq!(text, "[a,c]");
        assert_eq!(spans, vec![Some(1..2), None, Some(3..4)]);
    }
}
