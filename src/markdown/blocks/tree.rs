//! Nesting: turns the tags and text of a body into a tree of raw blocks (name,
//! attributes, children) and Markdown chunks, expanding includes. Flaws are built the
//! way GitBook shows them, each with a warning: an unclosed block ends with its
//! enclosing block or the page, an item opened while one of its kind is open ends it,
//! a stray or mismatched end tag closes the nearest open block of its kind or is
//! ignored. Depth and include expansion are bounded, whatever the content.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use super::names::{self, Shape};
use super::tags::{self, Item, Tag};
use crate::diag::Diagnostic;
use crate::load::Source;
use crate::markdown::{Attrs, Chunk};
use crate::paths;

/// Deepest nesting of blocks (includes counted); deeper tags are ignored.
pub const MAX_DEPTH: usize = 100;
/// Most text that includes may add to one page, in bytes.
pub const MAX_EXPANSION: usize = 10 << 20;

/// A node before typing.
#[derive(Debug)]
pub(super) enum Raw {
    /// Markdown.
    Text(Chunk),
    /// A block.
    Block(RawBlock),
}

/// A block before typing.
#[derive(Debug)]
pub(super) struct RawBlock {
    pub name: String,
    pub attrs: Attrs,
    pub children: Vec<Raw>,
    pub file: Arc<str>,
    pub line: usize,
    /// Columns its tag was indented by (see `Tag::indent`).
    pub indent: usize,
}

/// Builds the tree of one page, includes and all.
pub(super) struct Builder<'a> {
    markdown: &'a BTreeMap<String, Source>,
    diags: Vec<Diagnostic>,
    include_stack: Vec<String>,
    expanded: usize,
    /// Hash of the path and text of every file included, in order.
    included: DefaultHasher,
}

/// The state of one body being nested.
struct Level<'t> {
    file: Arc<str>,
    stack: Vec<RawBlock>,
    top: Vec<Raw>,
    /// Blocks left out for nesting too deep, by name: their end tags are ignored.
    dropped: HashMap<&'t str, usize>,
    /// Depth of the block this body is included into.
    base: usize,
    /// Indentation of the block that closed last at this level, while the text after
    /// it still continues the same list item.
    after: usize,
}

impl Level<'_> {
    /// Ends the text gathered so far as a chunk of the innermost open block.
    fn flush(&mut self, text: &mut String, line: usize) {
        let file = self.file.clone();
        let indent = self.stack.last().map_or(self.after, |open| open.indent);
        if indent > 0 {
            *text = tags::dedent(text, indent);
        }
        self.after = 0;
        flush(self.container(), text, line, &file);
    }

    fn container(&mut self) -> &mut Vec<Raw> {
        match self.stack.last_mut() {
            Some(open) => &mut open.children,
            None => &mut self.top,
        }
    }

    /// Closes the innermost open block into its parent.
    fn close_top(&mut self) {
        if let Some(block) = self.stack.pop() {
            self.after = block.indent;
            self.container().push(Raw::Block(block));
        }
    }
}

impl<'a> Builder<'a> {
    /// A builder that resolves includes against `markdown`.
    pub fn new(markdown: &'a BTreeMap<String, Source>) -> Self {
        Self { markdown, diags: Vec::new(), include_stack: Vec::new(), expanded: 0, included: DefaultHasher::new() }
    }

    /// The tree of `body` of `file` (whose first line is `line`), with the warnings and
    /// a hash of the included files' paths and text.
    pub fn build(mut self, file: &str, body: &str, line: usize) -> (Vec<Raw>, Vec<Diagnostic>, u64) {
        self.include_stack.push(file.to_string());
        let nodes = self.tree(file, body, line, 0);
        (nodes, self.diags, self.included.finish())
    }

    fn tree(&mut self, file: &str, body: &str, first_line: usize, base: usize) -> Vec<Raw> {
        let mut level = Level {
            file: Arc::from(file),
            stack: Vec::new(),
            top: Vec::new(),
            dropped: HashMap::new(),
            base,
            after: 0,
        };
        let mut text = String::new();
        let mut text_line = first_line;
        for item in tags::scan(body, first_line) {
            match item {
                Item::Text { text: piece, line } => {
                    if text.is_empty() {
                        text_line = line;
                    }
                    text.push_str(piece);
                }
                Item::Tag(tag) => {
                    if let Some(flaw) = tag.flaw {
                        self.diags.push(flaw_warning(&level.file, &tag, flaw));
                    }
                    level.flush(&mut text, text_line);
                    if tag.end {
                        self.end_tag(&mut level, &tag);
                    } else {
                        self.open_tag(&mut level, tag);
                    }
                }
            }
        }
        level.flush(&mut text, text_line);
        while let Some(open) = level.stack.last() {
            let message = format!(
                "unclosed `{{% {} %}}` opened at line {} ends with the {}: add `{{% end{} %}}`",
                open.name,
                open.line,
                if base == 0 { "page" } else { "included file" },
                open.name
            );
            self.diags.push(Diagnostic::warning(file, open.line, message));
            level.close_top();
        }
        level.top
    }

    fn end_tag<'t>(&mut self, level: &mut Level<'t>, tag: &Tag<'t>) {
        if let Some(n) = level.dropped.get_mut(tag.name).filter(|n| **n > 0) {
            *n -= 1;
            return;
        }
        let Some(at) = level.stack.iter().rposition(|o| o.name == tag.name) else {
            let message = format!("`{{% end{} %}}` has no open `{{% {} %}}`: ignored", tag.name, tag.name);
            self.diags.push(Diagnostic::warning(&*level.file, tag.line, message));
            return;
        };
        while level.stack.len() > at + 1 {
            if let Some(open) = level.stack.last() {
                let message = format!(
                    "unclosed `{{% {} %}}` opened at line {} ends at `{{% end{} %}}` on line {}: add `{{% end{} %}}`",
                    open.name, open.line, tag.name, tag.line, open.name
                );
                self.diags.push(Diagnostic::warning(&*level.file, open.line, message));
            }
            level.close_top();
        }
        level.close_top();
    }

    fn open_tag<'t>(&mut self, level: &mut Level<'t>, tag: Tag<'t>) {
        let shape = names::shape(tag.name);
        if shape == Some(Shape::Include) {
            let depth = level.base + level.stack.len();
            let nodes = self.include(&Attrs::parse(tag.attrs), &level.file, tag.line, depth);
            level.container().extend(nodes);
            return;
        }
        let has_body = match shape {
            Some(Shape::Container | Shape::Item(_)) => true,
            _ => tag.closed,
        };
        if level.base + level.stack.len() >= MAX_DEPTH {
            let message = format!("blocks nest deeper than {MAX_DEPTH} levels: `{{% {} %}}` is ignored", tag.name);
            self.diags.push(Diagnostic::warning(&*level.file, tag.line, message));
            if has_body {
                *level.dropped.entry(tag.name).or_default() += 1;
            }
            return;
        }
        if shape.is_none() && !names::is_integration(tag.name) {
            let message = format!("unknown block `{{% {} %}}`: its content is shown as is", tag.name);
            self.diags.push(Diagnostic::warning(&*level.file, tag.line, message));
        }
        if matches!(shape, Some(Shape::Item(_))) {
            if let Some(open) = level.stack.last().filter(|o| o.name == tag.name) {
                let message = format!(
                    "unclosed `{{% {} %}}` opened at line {} ends where the next one opens, on line {}: add `{{% end{} %}}`",
                    open.name, open.line, tag.line, open.name
                );
                self.diags.push(Diagnostic::warning(&*level.file, open.line, message));
                level.close_top();
            }
        }
        let block = RawBlock {
            name: tag.name.to_string(),
            attrs: Attrs::parse(tag.attrs),
            children: Vec::new(),
            file: level.file.clone(),
            line: tag.line,
            indent: tag.indent,
        };
        if has_body {
            level.stack.push(block);
        } else {
            level.container().push(Raw::Block(block));
        }
    }

    fn include(&mut self, attrs: &Attrs, file: &Arc<str>, line: usize, depth: usize) -> Vec<Raw> {
        let warn = |message: String| Diagnostic::warning(&**file, line, message);
        let Some(target) = include_target(attrs) else {
            self.diags
                .push(warn("`{% include %}` needs a path: `{% include \"../.gitbook/includes/name.md\" %}`".into()));
            return Vec::new();
        };
        let markdown = self.markdown;
        let Some(path) = resolve_include(file, target, |p| markdown.contains_key(p)) else {
            self.diags.push(warn(format!("included file `{target}` does not exist")));
            return Vec::new();
        };
        if let Some(pos) = self.include_stack.iter().position(|p| *p == path) {
            let mut cycle = self.include_stack[pos..].to_vec();
            cycle.push(path);
            self.diags.push(warn(format!("include cycle: {}; the last include is left out", cycle.join(" → "))));
            return Vec::new();
        }
        let source = &markdown[&path];
        if self.expanded + source.body.len() > MAX_EXPANSION {
            let message = format!("includes expand this page past {} MB: `{target}` is left out", MAX_EXPANSION >> 20);
            self.diags.push(warn(message));
            return Vec::new();
        }
        self.expanded += source.body.len();
        (&path, &source.body).hash(&mut self.included);
        self.include_stack.push(path.clone());
        let nodes = self.tree(&path, &source.body, source.body_line, depth);
        self.include_stack.pop();
        nodes
    }
}

/// The file an `{% include %}` tag names (its first value, or `src`/`file`).
pub(super) fn include_target(attrs: &Attrs) -> Option<&str> {
    attrs.positional().or(attrs.get("src")).or(attrs.get("file"))
}

/// The content path `target` names from `file`, among the files `exists` knows:
/// relative to `file`'s folder, else to the content root (GitBook's exports write
/// `.gitbook/includes/…` from the root; legacy books, `/snippets/…`).
pub(super) fn resolve_include(file: &str, target: &str, exists: impl Fn(&str) -> bool) -> Option<String> {
    paths::resolve(file, target).filter(|p| exists(p)).or_else(|| paths::resolve("", target).filter(|p| exists(p)))
}

/// The warning for a tag written as GitBook would not write it.
fn flaw_warning(file: &str, tag: &Tag<'_>, flaw: tags::Flaw) -> Diagnostic {
    let name = format!("{}{}", if tag.end { "end" } else { "" }, tag.name);
    let message = match flaw {
        tags::Flaw::Escaped => format!("escaped tag `\\{{% {name} %\\}}` is read as `{{% {name} %}}`"),
        tags::Flaw::NoPercent => {
            format!("`{{% {name} … }}` lacks the `%` of its `%}}`: read as `{{% {name} %}}` (add the `%`)")
        }
    };
    Diagnostic::warning(file, tag.line, message)
}

fn flush(container: &mut Vec<Raw>, text: &mut String, line: usize, file: &Arc<str>) {
    if !text.trim().is_empty() {
        container.push(Raw::Text(Chunk::unparsed(file.clone(), line, std::mem::take(text))));
    }
    text.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape_of(nodes: &[Raw]) -> Vec<String> {
        nodes
            .iter()
            .map(|n| match n {
                Raw::Text(c) => format!("md:{}", c.source.trim()),
                Raw::Block(b) => format!("{}[{}]", b.name, shape_of(&b.children).join(",")),
            })
            .collect()
    }

    fn tree(body: &str) -> (Vec<String>, Vec<Diagnostic>) {
        let (nodes, diags, _) = Builder::new(&BTreeMap::new()).build("p.md", body, 1);
        (shape_of(&nodes), diags)
    }

    #[test]
    fn nests_blocks_and_keeps_text() {
        let (nodes, diags) = tree("a\n{% tabs %}\n{% tab title=\"X\" %}\nx\n{% endtab %}\n{% endtabs %}\nb\n");
        assert_eq!(nodes, ["md:a", "tabs[tab[md:x]]", "md:b"]);
        assert!(diags.is_empty());
    }

    #[test]
    fn unclosed_block_ends_with_the_page_and_warns() {
        let (nodes, diags) = tree("# T\n\n{% hint style=\"info\" %}\nnever closed\n");
        assert_eq!(nodes, ["md:# T", "hint[md:never closed]"]);
        assert_eq!((diags[0].line, diags[0].severity), (3, crate::diag::Severity::Warning));
        assert!(diags[0].message.starts_with("unclosed `{% hint %}` opened at line 3 ends with the page"));
    }

    #[test]
    fn an_item_ends_the_open_item_of_its_kind() {
        let (nodes, diags) =
            tree("{% tabs %}\n{% tab title=\"A\" %}\na\n{% tab title=\"B\" %}\nb\n{% endtab %}\n{% endtabs %}\n");
        assert_eq!(nodes, ["tabs[tab[md:a],tab[md:b]]"]);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("ends where the next one opens, on line 4"), "{}", diags[0].message);
    }

    #[test]
    fn mismatched_end_closes_the_nearest_of_its_kind() {
        let (nodes, diags) = tree("{% tabs %}\n{% tab %}\n{% hint %}\nx\n{% endtabs %}\nafter\n{% endhint %}\n");
        assert_eq!(nodes, ["tabs[tab[hint[md:x]]]", "md:after"]);
        let lines: Vec<usize> = diags.iter().map(|d| d.line).collect();
        assert_eq!(lines, [3, 2, 7], "{diags:?}");
        assert!(diags[2].message.contains("has no open `{% hint %}`: ignored"));
    }

    #[test]
    fn unknown_blocks_keep_their_content() {
        let (nodes, diags) = tree("{% magic %}\ninside\n{% endmagic %}\n{% lone %}\n");
        assert_eq!(nodes, ["magic[md:inside]", "lone[]"]);
        assert_eq!(diags.len(), 2);
    }

    #[test]
    fn blocks_indented_under_a_list_item_read_without_the_indentation() {
        let body = "1. Install.\n\n    {% hint style=\"info\" %}\n    Read [the guide](g.md) first.\n\n        code\n    {% endhint %}\n\n    Still the item.\n2. Run it.\n";
        let (nodes, diags) = tree(body);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            nodes,
            ["md:1. Install.", "hint[md:Read [the guide](g.md) first.\n\n    code]", "md:Still the item.\n2. Run it."]
        );
    }

    #[test]
    fn a_percentless_tag_may_be_escaped_and_followed_by_text_on_its_line() {
        let (nodes, diags) = tree("\\{% hint style=\"info\"} Mind the {braces}.\n{% endhint %}\n\nAfter.\n");
        assert_eq!(nodes, ["hint[md:Mind the {braces}.]", "md:After."]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        // A `}` inside quotes is a value's; text before the tag keeps it from being one.
        let (nodes, _) = tree("{% embed url=\"a}b\"} c\n");
        assert!(nodes[0].starts_with("embed"), "{nodes:?}");
        let (nodes, diags) = tree("see {% hint} here\n");
        assert_eq!((nodes.len(), diags.len()), (1, 0), "{nodes:?}");
        assert!(nodes[0].contains("{% hint}"), "{nodes:?}");
    }

    #[test]
    fn escaped_and_percentless_tags_are_read_as_tags_with_a_warning() {
        let (nodes, diags) =
            tree("\\{% hint style=\"info\" %\\} Note. \\{% endhint %\\}\n\n{% hint style=\"info\"}\nSecond.\n{% endhint %}\n");
        assert_eq!(nodes, ["hint[md:Note.]", "hint[md:Second.]"]);
        let messages: Vec<String> = diags.iter().map(|d| format!("{}: {}", d.line, d.message)).collect();
        assert_eq!(
            messages,
            [
                "1: escaped tag `\\{% hint %\\}` is read as `{% hint %}`",
                "1: escaped tag `\\{% endhint %\\}` is read as `{% endhint %}`",
                "3: `{% hint … }` lacks the `%` of its `%}`: read as `{% hint %}` (add the `%`)"
            ]
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let depth = 4_000;
        let body = format!("{}x\n{}", "{% hint %}\n".repeat(depth), "{% endhint %}\n".repeat(depth));
        let (nodes, diags, _) = Builder::new(&BTreeMap::new()).build("p.md", &body, 1);
        let mut levels = 0;
        let mut at = &nodes;
        while let Some(Raw::Block(b)) = at.first() {
            levels += 1;
            at = &b.children;
        }
        assert_eq!(levels, MAX_DEPTH);
        assert_eq!(diags.len(), depth - MAX_DEPTH, "one warning per ignored tag, none for their ends");
    }

    fn sources(files: &[(&str, &str)]) -> BTreeMap<String, Source> {
        let mut errors = Vec::new();
        files.iter().map(|(p, t)| (p.to_string(), crate::load::parse_source(p.to_string(), t, &mut errors))).collect()
    }

    #[test]
    fn includes_resolve_and_cycles_are_left_out() {
        let md = sources(&[
            (".gitbook/includes/a.md", "inc a\n{% include \"b.md\" %}\n"),
            (".gitbook/includes/b.md", "inc b\n"),
            (".gitbook/includes/c.md", "c\n{% include \"c.md\" %}\n"),
        ]);
        let (ok, diags, _) = Builder::new(&md).build("p.md", "{% include \".gitbook/includes/a.md\" %}\n", 1);
        assert_eq!(shape_of(&ok), ["md:inc a", "md:inc b"]);
        assert!(diags.is_empty());
        let (cyclic, diags, _) = Builder::new(&md).build("p.md", "{% include \".gitbook/includes/c.md\" %}\n", 1);
        assert_eq!(shape_of(&cyclic), ["md:c"]);
        assert!(diags[0].message.starts_with("include cycle"), "{}", diags[0].message);
        let (_, diags, _) = Builder::new(&md).build("p.md", "x\n{% include \"missing.md\" %}\n", 1);
        assert_eq!((diags[0].file.as_str(), diags[0].line), ("p.md", 2));
    }

    #[test]
    fn include_expansion_is_bounded() {
        // Each file includes the next one twice: 2^22 copies without a bound.
        let mut files: Vec<(String, String)> = (0..22)
            .map(|i| {
                (
                    format!(".gitbook/includes/{i}.md"),
                    format!("{}\n", "x".repeat(2_000)) + &format!("{{% include \"{}.md\" %}}\n", i + 1).repeat(2),
                )
            })
            .collect();
        files.push((".gitbook/includes/22.md".into(), "end\n".into()));
        let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        let md = sources(&refs);
        let (nodes, diags, _) = Builder::new(&md).build("p.md", "{% include \".gitbook/includes/0.md\" %}\n", 1);
        let text: usize = shape_of(&nodes).iter().map(String::len).sum();
        assert!(text <= MAX_EXPANSION + 10_000, "{text}");
        assert!(diags.iter().any(|d| d.message.contains("past 10 MB")), "{:?}", diags.first());
    }
}
