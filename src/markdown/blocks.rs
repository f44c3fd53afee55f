//! GitBook blocks: finds `{% name attrs %}` … `{% endname %}` tags outside code, checks
//! their nesting, resolves `{% include %}` and builds the tree of blocks and Markdown
//! chunks that every renderer walks.
//!
//! Takes a page body and the Markdown files of the project (for includes); gives the
//! `Node` tree, or every error found with its file and line.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::attrs::Attrs;
use super::{Block, Chunk, Kind, Node};
use crate::diag::Diagnostic;
use crate::load::Source;
use crate::paths;

/// What a tag name means.
enum Shape {
    /// Always has an end tag.
    Container(Kind),
    /// May be closed (`{% embed %}` … `{% endembed %}`) or stand alone.
    MaybeClosed(Kind),
    /// `{% include "…" %}`.
    Include,
}

fn shape(name: &str) -> Option<Shape> {
    use Kind::*;
    Some(match name {
        "hint" => Shape::Container(Hint),
        "tabs" => Shape::Container(Tabs),
        "tab" => Shape::Container(Tab),
        "stepper" => Shape::Container(Stepper),
        "step" => Shape::Container(Step),
        "content-ref" => Shape::Container(ContentRef),
        "code" => Shape::Container(Code),
        "columns" => Shape::Container(Columns),
        "column" => Shape::Container(Column),
        "updates" => Shape::Container(Updates),
        "update" => Shape::Container(Update),
        "openapi" | "openapi-operation" | "openapi-schemas" | "openapi-webhook" | "swagger" => {
            Shape::MaybeClosed(OpenApi)
        }
        "swagger-description" => Shape::Container(SwaggerDescription),
        "swagger-parameter" => Shape::MaybeClosed(SwaggerParameter),
        "swagger-response" => Shape::MaybeClosed(SwaggerResponse),
        "embed" => Shape::MaybeClosed(Embed),
        "file" => Shape::MaybeClosed(File),
        "page-ref" => Shape::MaybeClosed(PageRef),
        "include" => Shape::Include,
        // GitBook's legacy API blocks: `api-method` is an operation card, its
        // `api-method-summary`, `-description`, `-spec`, `-request`, `-parameter`,
        // `-response` … children hold Markdown.
        "api-method" => Shape::Container(OpenApi),
        n if n.starts_with("api-method-") => Shape::Container(Group),
        _ => return None,
    })
}

/// The tag names docask knows, for error messages.
pub const KNOWN: &str = "hint, tabs/tab, stepper/step, content-ref, page-ref, embed, file, code, \
include, openapi, openapi-operation, swagger, columns/column, updates/update, api-method";

/// One `{% … %}` found in the text.
struct Tag<'a> {
    end: bool,
    name: &'a str,
    attrs: &'a str,
}

fn parse_tag(inner: &str) -> Option<Tag<'_>> {
    let inner = inner.trim();
    let name_end = inner.find(|c: char| c.is_whitespace()).unwrap_or(inner.len());
    let (word, attrs) = inner.split_at(name_end);
    let (end, name) = match word.strip_prefix("end") {
        Some(rest) if shape(rest).is_some() => (true, rest),
        _ => (false, word),
    };
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return None;
    }
    Some(Tag { end, name, attrs })
}

/// Builds the node tree of one file's body.
pub struct TreeBuilder<'a> {
    markdown: &'a BTreeMap<String, Source>,
    errors: Vec<Diagnostic>,
    include_stack: Vec<String>,
}

struct Open {
    kind: Kind,
    name: String,
    attrs: Attrs,
    line: usize,
    children: Vec<Node>,
}

impl<'a> TreeBuilder<'a> {
    /// A builder that resolves includes against `markdown`.
    pub fn new(markdown: &'a BTreeMap<String, Source>) -> Self {
        Self { markdown, errors: Vec::new(), include_stack: Vec::new() }
    }

    /// Parses `body` of `file` (whose first line is `line`).
    pub fn build(mut self, file: &str, body: &str, line: usize) -> Result<Vec<Node>, Vec<Diagnostic>> {
        self.include_stack.push(file.to_string());
        let nodes = self.tree(file, body, line);
        if self.errors.is_empty() {
            Ok(nodes)
        } else {
            Err(self.errors)
        }
    }

    fn tree(&mut self, file: &str, body: &str, first_line: usize) -> Vec<Node> {
        let file_arc: Arc<str> = Arc::from(file);
        let mut stack: Vec<Open> = Vec::new();
        let mut top: Vec<Node> = Vec::new();
        let mut text = String::new();
        let mut text_line = first_line;
        let mut fence: Option<(char, usize)> = None;
        let mut offset = 0;
        for (i, raw) in body.split_inclusive('\n').enumerate() {
            let line_no = first_line + i;
            let line_start = offset;
            offset += raw.len();
            if let Some(f) = fence {
                if closes_fence(raw, f) {
                    fence = None;
                }
                push_text(&mut text, &mut text_line, raw, line_no);
                continue;
            }
            if let Some(f) = opens_fence(raw) {
                fence = Some(f);
                push_text(&mut text, &mut text_line, raw, line_no);
                continue;
            }
            let mut rest = raw;
            let mut consumed = 0;
            while let Some((start, end)) = find_tag(rest) {
                let Some(tag) = parse_tag(&rest[start + 2..end - 2]) else {
                    break;
                };
                push_text(&mut text, &mut text_line, &rest[..start], line_no);
                let container = stack.last_mut().map(|o| &mut o.children).unwrap_or(&mut top);
                flush(container, &mut text, text_line, &file_arc);
                let after = line_start + consumed + end;
                self.on_tag(tag, &mut stack, &mut top, (&file_arc, line_no), &body[after..]);
                consumed += end;
                rest = &rest[end..];
            }
            if consumed > 0 && rest.trim().is_empty() {
                continue;
            }
            push_text(&mut text, &mut text_line, rest, line_no);
        }
        let container = stack.last_mut().map(|o| &mut o.children).unwrap_or(&mut top);
        flush(container, &mut text, text_line, &file_arc);
        for open in stack.drain(..).rev() {
            self.errors.push(Diagnostic::error(
                file,
                open.line,
                format!(
                    "unclosed `{{% {} %}}` opened at line {}: add `{{% end{} %}}`",
                    open.name, open.line, open.name
                ),
            ));
        }
        top
    }

    fn on_tag(
        &mut self,
        tag: Tag<'_>,
        stack: &mut Vec<Open>,
        top: &mut Vec<Node>,
        (file, line): (&Arc<str>, usize),
        after: &str,
    ) {
        if tag.end {
            match stack.pop() {
                Some(open) if open.name == tag.name => {
                    let block = Block {
                        kind: open.kind,
                        name: open.name,
                        attrs: open.attrs,
                        children: open.children,
                        file: file.clone(),
                        line: open.line,
                    };
                    stack.last_mut().map(|o| &mut o.children).unwrap_or(top).push(Node::Block(block));
                }
                Some(open) => {
                    self.errors.push(Diagnostic::error(
                        &**file,
                        line,
                        format!(
                            "`{{% end{} %}}` does not match `{{% {} %}}` opened at line {}",
                            tag.name, open.name, open.line
                        ),
                    ));
                    stack.push(open);
                }
                None => self.errors.push(Diagnostic::error(
                    &**file,
                    line,
                    format!("`{{% end{} %}}` has no opening `{{% {} %}}`", tag.name, tag.name),
                )),
            }
            return;
        }
        let attrs = Attrs::parse(tag.attrs);
        let container = stack.last_mut().map(|o| &mut o.children).unwrap_or(top);
        match shape(tag.name) {
            None => self.errors.push(Diagnostic::error(
                &**file,
                line,
                format!("unknown block `{{% {} %}}` (known: {KNOWN})", tag.name),
            )),
            Some(Shape::Include) => {
                let nodes = self.include(&attrs, file, line);
                container.extend(nodes);
            }
            Some(Shape::MaybeClosed(kind)) if !has_end(after, tag.name) => {
                container.push(Node::Block(Block {
                    kind,
                    name: tag.name.to_string(),
                    attrs,
                    children: vec![],
                    file: file.clone(),
                    line,
                }));
            }
            Some(Shape::Container(kind) | Shape::MaybeClosed(kind)) => {
                stack.push(Open { kind, name: tag.name.to_string(), attrs, line, children: vec![] });
            }
        }
    }

    fn include(&mut self, attrs: &Attrs, file: &Arc<str>, line: usize) -> Vec<Node> {
        let Some(target) = attrs.positional().or(attrs.get("src")).or(attrs.get("file")) else {
            self.errors.push(Diagnostic::error(
                &**file,
                line,
                "`{% include %}` needs a path: `{% include \"../.gitbook/includes/name.md\" %}`",
            ));
            return vec![];
        };
        let resolved = paths::resolve(file, target)
            .filter(|p| self.markdown.contains_key(p))
            .or_else(|| paths::resolve("", target).filter(|p| self.markdown.contains_key(p)));
        let Some(path) = resolved else {
            self.errors.push(Diagnostic::error(&**file, line, format!("included file `{target}` does not exist")));
            return vec![];
        };
        if let Some(pos) = self.include_stack.iter().position(|p| *p == path) {
            let mut cycle = self.include_stack[pos..].to_vec();
            cycle.push(path);
            self.errors.push(Diagnostic::error(&**file, line, format!("include cycle: {}", cycle.join(" → "))));
            return vec![];
        }
        let source = &self.markdown[&path];
        self.include_stack.push(path.clone());
        let nodes = self.tree(&path, &source.body.clone(), source.body_line);
        self.include_stack.pop();
        nodes
    }
}

fn push_text(text: &mut String, text_line: &mut usize, piece: &str, line_no: usize) {
    if text.is_empty() {
        *text_line = line_no;
    }
    text.push_str(piece);
}

fn flush(container: &mut Vec<Node>, text: &mut String, line: usize, file: &Arc<str>) {
    if !text.trim().is_empty() {
        container.push(Node::Markdown(Chunk::unparsed(file.clone(), line, std::mem::take(text))));
    }
    text.clear();
}

/// Whether `{% endname %}` comes before the next `{% name ` in `after`.
fn has_end(after: &str, name: &str) -> bool {
    let mut rest = after;
    while let Some((start, end)) = find_tag(rest) {
        if let Some(tag) = parse_tag(&rest[start + 2..end - 2]) {
            if tag.name == name {
                return tag.end;
            }
        }
        rest = &rest[end..];
    }
    false
}

/// Byte range of the next `{% … %}` in `line` outside inline code spans.
fn find_tag(line: &str) -> Option<(usize, usize)> {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            let ticks = &line[i..i + run];
            match line[i + run..].find(ticks) {
                Some(close) => i += run + close + run,
                None => i += run,
            }
            continue;
        }
        if bytes[i] == b'{' && bytes[i + 1] == b'%' {
            let close = line[i + 2..].find("%}")?;
            return Some((i, i + 2 + close + 2));
        }
        i += 1;
    }
    None
}

/// The fence character and length when `line` opens a fenced code block.
pub(crate) fn opens_fence(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start();
    let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.chars().take_while(|x| *x == c).count();
    (n >= 3 && !(c == '`' && t[n..].contains('`'))).then_some((c, n))
}

/// Whether `line` closes the fence opened with `(char, length)`.
pub(crate) fn closes_fence(line: &str, (c, n): (char, usize)) -> bool {
    let t = line.trim();
    t.len() >= n && t.chars().all(|x| x == c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(body: &str) -> Result<Vec<Node>, Vec<Diagnostic>> {
        TreeBuilder::new(&BTreeMap::new()).build("p.md", body, 1)
    }

    fn kinds(nodes: &[Node]) -> Vec<String> {
        nodes
            .iter()
            .map(|n| match n {
                Node::Markdown(c) => format!("md:{}", c.source.trim()),
                Node::Block(b) => format!("{}[{}]", b.name, kinds(&b.children).join(",")),
            })
            .collect()
    }

    #[test]
    fn nests_blocks_and_keeps_text() {
        let nodes = tree("a\n{% tabs %}\n{% tab title=\"X\" %}\nx\n{% endtab %}\n{% endtabs %}\nb\n").unwrap();
        assert_eq!(kinds(&nodes), ["md:a", "tabs[tab[md:x]]", "md:b"]);
    }

    #[test]
    fn ignores_tags_in_code() {
        let nodes = tree("```\n{% hint %}\n```\nuse `{% raw %}` here\n").unwrap();
        assert_eq!(nodes.len(), 1);
    }

    #[test]
    fn embed_may_stand_alone_or_be_closed() {
        let nodes = tree("{% embed url=\"u\" %}\ntext\n{% embed url=\"v\" %}\ncap\n{% endembed %}\n").unwrap();
        assert_eq!(kinds(&nodes), ["embed[]", "md:text", "embed[md:cap]"]);
    }

    #[test]
    fn unclosed_block_names_line() {
        let errs = tree("# T\n\n{% hint style=\"info\" %}\nnever closed\n").unwrap_err();
        assert_eq!(errs[0].line, 3);
        assert!(errs[0].message.contains("unclosed `{% hint %}`"), "{}", errs[0].message);
    }

    #[test]
    fn unknown_and_mismatched_tags_are_errors() {
        let errs = tree("{% magic %}\n{% hint %}\n{% endtabs %}\n{% endhint %}\n").unwrap_err();
        let messages: Vec<_> = errs.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert!(messages[0].1.contains("unknown block `{% magic %}`"));
        assert_eq!(messages[1].0, 3);
        assert!(messages[1].1.contains("does not match"));
    }

    #[test]
    fn includes_resolve_and_cycles_are_caught() {
        let mut md = BTreeMap::new();
        let mut errors = Vec::new();
        for (path, text) in [
            (".gitbook/includes/a.md", "inc a\n{% include \"b.md\" %}\n"),
            (".gitbook/includes/b.md", "inc b\n"),
            (".gitbook/includes/c.md", "{% include \"c.md\" %}\n"),
        ] {
            md.insert(path.to_string(), crate::load::parse_source(path.into(), text, &mut errors));
        }
        let ok = TreeBuilder::new(&md).build("p.md", "{% include \".gitbook/includes/a.md\" %}\n", 1).unwrap();
        assert_eq!(kinds(&ok), ["md:inc a", "md:inc b"]);
        let errs = TreeBuilder::new(&md).build("p.md", "{% include \".gitbook/includes/c.md\" %}\n", 1).unwrap_err();
        assert!(errs[0].message.contains("include cycle"), "{}", errs[0].message);
        let errs = TreeBuilder::new(&md).build("p.md", "x\n{% include \"missing.md\" %}\n", 1).unwrap_err();
        assert_eq!((errs[0].file.as_str(), errs[0].line), ("p.md", 2));
    }
}
