//! `SUMMARY.md`: the table of contents, in GitBook's grammar (`## Group`, nested
//! `* [Title](path.md)`) and mdBook's (`# Part`, prefix chapters, drafts, `---`).
//!
//! Takes the file's text and gives a `Summary` of groups and entries; paths are
//! resolved against the summary's folder but not checked here.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Tag, TagEnd};

use crate::diag::{line_at, Diagnostic};
use crate::paths;

/// Deepest nesting of entries kept; deeper entries are listed at this level.
pub const MAX_DEPTH: usize = 100;

/// The whole table of contents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Groups in order; the first may be untitled.
    pub groups: Vec<Group>,
    /// Line (in the summary's body) of the first entry nested deeper than `MAX_DEPTH`.
    pub too_deep: Option<usize>,
    /// Line (in the summary's body) of the first indented code block that holds a
    /// link: a list indented four spaces, which Markdown reads as code, not entries.
    pub links_in_code: Option<usize>,
}

/// A titled run of entries (`## Getting started`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Group {
    /// The group heading; `None` for entries before the first heading.
    pub title: Option<String>,
    /// Top-level entries of the group.
    pub entries: Vec<Entry>,
}

/// One line of the table of contents.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The link text.
    pub title: String,
    /// Content path of the page, `None` for a draft, a plain label or a link that is
    /// not a content file.
    pub path: Option<String>,
    /// The link as written, when it is not a content path: another site
    /// (`https://…`) or a path that leaves the root folder.
    pub other: Option<String>,
    /// Line in the summary file.
    pub line: usize,
    /// Nested entries.
    pub children: Vec<Entry>,
}

/// Parses summary text found at content path `file`.
pub fn parse(text: &str, file: &str) -> Summary {
    // Entries written with spaces or Windows separators, as the chunks of pages are.
    let rewritten = crate::markdown::destinations::rewrite(text);
    let text = rewritten.as_deref().unwrap_or(text);
    let mut groups = vec![Group::default()];
    // Entries under construction, one per open list item.
    let mut open: Vec<Entry> = Vec::new();
    let mut seen_heading = false;
    let mut heading: Option<(HeadingLevel, String)> = None;
    let mut link: Option<(String, String, usize)> = None; // dest, text, line
    let mut lines = LineCounter::default();
    let mut too_deep = None;
    let mut links_in_code = None;
    let mut indented_code: Option<usize> = None; // its line, while inside one
    for (event, range) in crate::markdown::parser(text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                indented_code = Some(lines.at(text, range.start));
            }
            Event::End(TagEnd::CodeBlock) => indented_code = None,
            Event::Text(t) if indented_code.is_some() && links_in_code.is_none() && t.contains("](") => {
                links_in_code = indented_code;
            }
            Event::Text(_) if indented_code.is_some() => {}
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, title)) = heading.take() else {
                    continue;
                };
                // The first H1 is the summary's own title ("Table of contents").
                if !seen_heading && level == HeadingLevel::H1 {
                    seen_heading = true;
                    continue;
                }
                seen_heading = true;
                groups.push(Group { title: Some(title.trim().to_string()), entries: vec![] });
            }
            Event::Start(Tag::Item) => {
                open.push(Entry {
                    title: String::new(),
                    path: None,
                    other: None,
                    line: lines.at(text, range.start),
                    children: vec![],
                });
            }
            Event::End(TagEnd::Item) => {
                let Some(entry) = open.pop() else { continue };
                let entry = Entry { title: entry.title.trim().to_string(), ..entry };
                // Entries deeper than the limit join the entry at the limit, so that
                // the tree every later stage walks stays shallow.
                if open.len() >= MAX_DEPTH {
                    too_deep = too_deep.min(Some(entry.line)).or(Some(entry.line));
                }
                let parent = open.len().min(MAX_DEPTH - 1).wrapping_sub(1);
                match open.get_mut(parent) {
                    Some(parent) => parent.children.push(entry),
                    None => groups.last_mut().expect("one group").entries.push(entry),
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((dest_url.to_string(), String::new(), lines.at(text, range.start)));
            }
            Event::End(TagEnd::Link) => {
                let Some((dest, title, line)) = link.take() else {
                    continue;
                };
                match open.last_mut() {
                    Some(entry) if entry.path.is_none() && entry.other.is_none() => {
                        entry.title = title;
                        (entry.path, entry.other) = link_path(file, &dest);
                    }
                    Some(_) => {}
                    // mdBook prefix/suffix chapters: plain links outside lists.
                    None => {
                        let (path, other) = link_path(file, &dest);
                        groups.last_mut().expect("one group").entries.push(Entry {
                            title,
                            path,
                            other,
                            line,
                            children: vec![],
                        })
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, title)) = &mut heading {
                    title.push_str(&t);
                } else if let Some((_, title, _)) = &mut link {
                    title.push_str(&t);
                } else if !open.is_empty() {
                    // A label without a link (`* Guides`) names the entry.
                    let entry = open.last_mut().expect("open item");
                    if entry.path.is_none() {
                        entry.title.push_str(&t);
                    }
                }
            }
            _ => {}
        }
    }
    groups.retain(|g| g.title.is_some() || !g.entries.is_empty());
    Summary { groups, too_deep, links_in_code }
}

/// Line numbers for increasing offsets, counted incrementally (a summary of 10,000
/// entries must not be rescanned from the top for each one).
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: usize,
}

impl LineCounter {
    fn at(&mut self, text: &str, offset: usize) -> usize {
        if offset < self.offset {
            return line_at(text, offset, 1);
        }
        self.line += text.as_bytes()[self.offset..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count();
        self.offset = offset.min(text.len());
        self.line + 1
    }
}

/// Where an entry's link leads: a content path, or the link as written when it is
/// another site or leaves the root folder. Windows separators (`.\\a.md`) are read
/// as `/` (by `paths::resolve`).
fn link_path(file: &str, dest: &str) -> (Option<String>, Option<String>) {
    let dest = dest.split('#').next().unwrap_or("").trim();
    if dest.is_empty() {
        return (None, None);
    }
    if dest.contains("://") || dest.starts_with("mailto:") {
        return (None, Some(dest.to_string()));
    }
    let decoded = percent_encoding::percent_decode_str(dest).decode_utf8_lossy();
    match paths::resolve(file, &decoded) {
        Some(path) => (Some(path), None),
        None => (None, Some(dest.to_string())),
    }
}

impl Summary {
    /// The warnings for what the summary in `path` (read from `src`) does that GitBook
    /// would publish anyway: entries nested too deep, and a summary that lists no page
    /// at all, which docask then builds as if there were none (every Markdown file a
    /// page, in folder order) rather than publish the readme alone; that warning names
    /// the list Markdown reads as code, if that is why.
    pub fn flaws(&self, path: &str, src: &crate::load::Source) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if let Some(line) = self.too_deep {
            let message = format!("entries nest deeper than {MAX_DEPTH} levels: deeper ones are listed at that level");
            out.push(Diagnostic::warning(path, line + src.body_line - 1, message));
        }
        if self.is_empty() {
            let first_text = src.body.lines().position(|l| !l.trim().is_empty()).map_or(1, |i| i + 1);
            let (line, why) = match self.links_in_code {
                Some(line) => {
                    (line, ": its list is indented four spaces or more, so Markdown reads it as a code block")
                }
                None => (first_text, ""),
            };
            let message = format!(
                "`{path}` lists no pages{why}; every Markdown file is published instead, in folder order, as without a summary"
            );
            out.push(Diagnostic::warning(path, line + src.body_line - 1, message));
        }
        out
    }

    /// Whether it lists nothing at all: no entry, not even a label (only headings,
    /// comments, or a list Markdown reads as code).
    pub fn is_empty(&self) -> bool {
        self.groups.iter().all(|g| g.entries.is_empty())
    }

    /// Every entry, depth first, in reading order.
    pub fn entries(&self) -> Vec<&Entry> {
        fn walk<'a>(list: &'a [Entry], out: &mut Vec<&'a Entry>) {
            for e in list {
                out.push(e);
                walk(&e.children, out);
            }
        }
        let mut out = Vec::new();
        for g in &self.groups {
            walk(&g.entries, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GITBOOK: &str = "# Table of contents\n\n* [Intro](README.md)\n\n## Guides\n\n* [Setup](guides/setup.md)\n  * [Linux](guides/linux.md)\n* [Label only]()\n";

    #[test]
    fn parses_groups_and_nesting() {
        let s = parse(GITBOOK, "SUMMARY.md");
        assert_eq!(s.groups.len(), 2);
        assert_eq!(s.groups[0].title, None);
        assert_eq!(s.groups[0].entries[0].path.as_deref(), Some("README.md"));
        let guides = &s.groups[1];
        assert_eq!(guides.title.as_deref(), Some("Guides"));
        assert_eq!(guides.entries[0].title, "Setup");
        assert_eq!(guides.entries[0].line, 7);
        assert_eq!(guides.entries[0].children[0].path.as_deref(), Some("guides/linux.md"));
        assert_eq!(guides.entries[1].path, None);
    }

    #[test]
    fn a_label_with_children_keeps_its_title() {
        let s = parse("* Guides\n  * [Setup](setup.md)\n", "SUMMARY.md");
        let guides = &s.groups[0].entries[0];
        assert_eq!((guides.title.as_str(), guides.path.as_deref()), ("Guides", None));
        assert_eq!(guides.children[0].title, "Setup");
    }

    #[test]
    fn parses_mdbook_prefix_chapters_and_parts() {
        let s = parse(
            "# Summary\n\n[Intro](intro.md)\n\n# Part one\n\n- [A](a.md)\n\n---\n\n[End](end.md)\n",
            "SUMMARY.md",
        );
        assert_eq!(s.groups[0].entries[0].title, "Intro");
        assert_eq!(s.groups[1].title.as_deref(), Some("Part one"));
        let paths: Vec<_> = s.entries().iter().filter_map(|e| e.path.clone()).collect();
        assert_eq!(paths, ["intro.md", "a.md", "end.md"]);
    }

    #[test]
    fn deep_nesting_is_flattened_at_the_limit() {
        let text: String = (0..3_000).map(|d| format!("{}* [E{d}](e{d}.md)\n", "  ".repeat(d))).collect();
        let s = parse(&text, "SUMMARY.md");
        assert_eq!(s.entries().len(), 3_000);
        let mut depth = 0;
        let mut level = &s.groups[0].entries;
        while let Some(e) = level.first() {
            depth += 1;
            level = &e.children;
        }
        assert!(depth <= MAX_DEPTH, "{depth}");
        assert!(s.too_deep.is_some());
    }

    #[test]
    fn a_list_indented_as_code_gives_no_entries_and_its_line() {
        let s = parse("# Summary\n\n    * [A](a.md)\n    * [B](b.md)\n", "SUMMARY.md");
        assert!(s.is_empty());
        assert_eq!(s.links_in_code, Some(3));
        let s = parse("* [A](a.md)\n\n        [x](y)\n", "SUMMARY.md");
        assert!(!s.is_empty());
    }

    #[test]
    fn resolves_against_summary_folder_and_decodes() {
        let s = parse("* [A](a%20b.md#x)\n* [B](.\\b.md)\n", "docs/SUMMARY.md");
        assert_eq!(s.groups[0].entries[0].path.as_deref(), Some("docs/a b.md"));
        assert_eq!(s.groups[0].entries[1].path.as_deref(), Some("docs/b.md"));
    }

    #[test]
    fn other_sites_and_paths_above_the_root_are_kept_as_written() {
        let s = parse("* [Repo](https://github.com/x/y)\n* [Log](../../CHANGELOG.md)\n", "docs/SUMMARY.md");
        let e = &s.groups[0].entries;
        assert_eq!((e[0].path.as_deref(), e[0].other.as_deref()), (None, Some("https://github.com/x/y")));
        assert_eq!((e[1].path.as_deref(), e[1].other.as_deref()), (None, Some("../../CHANGELOG.md")));
    }
}
