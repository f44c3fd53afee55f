//! Build-time syntax highlighting: a small single-pass lexer (comments, strings,
//! numbers, keywords) per language family, fast enough to highlight every code block
//! of a 10,000-page site within the build budget.
//!
//! Takes a fence's language and its code; gives `<pre><code>` HTML with one
//! `<span class="line">` per line (for line numbers) and `tok-*` spans.

use super::markup::{escape, escape_into};

/// A language family; `keywords` are sorted (see the test) for binary search.
struct Lang {
    line_comments: &'static [&'static str],
    block_comment: Option<(&'static str, &'static str)>,
    quotes: &'static str,
    keywords: &'static [&'static str],
    /// Words may hold `-` (shell commands such as `apt-get`).
    dashes: bool,
}

const C_LIKE_KW: &[&str] = &[
    "Err",
    "None",
    "Ok",
    "Self",
    "Some",
    "as",
    "async",
    "await",
    "bool",
    "boolean",
    "break",
    "byte",
    "case",
    "catch",
    "char",
    "class",
    "const",
    "continue",
    "crate",
    "default",
    "defer",
    "do",
    "double",
    "else",
    "enum",
    "err",
    "error",
    "export",
    "extends",
    "false",
    "final",
    "finally",
    "float",
    "fn",
    "for",
    "from",
    "func",
    "function",
    "go",
    "if",
    "impl",
    "implements",
    "import",
    "in",
    "int",
    "interface",
    "let",
    "long",
    "loop",
    "match",
    "mod",
    "module",
    "mut",
    "namespace",
    "new",
    "nil",
    "null",
    "override",
    "package",
    "private",
    "protected",
    "pub",
    "public",
    "return",
    "select",
    "self",
    "static",
    "string",
    "struct",
    "super",
    "switch",
    "this",
    "throw",
    "throws",
    "trait",
    "true",
    "try",
    "type",
    "typeof",
    "undefined",
    "use",
    "using",
    "val",
    "var",
    "void",
    "where",
    "while",
    "yield",
];
const PY_KW: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "print", "raise", "return", "self", "try", "while", "with", "yield",
];
const SH_KW: &[&str] = &[
    "apt-get", "cargo", "case", "cd", "curl", "do", "docker", "done", "echo", "elif", "else", "esac", "exit", "export",
    "fi", "for", "function", "git", "go", "helm", "if", "in", "kubectl", "local", "make", "npm", "pip", "return",
    "set", "source", "sudo", "then", "unset", "while",
];
const SQL_KW: &[&str] = &[
    "AND", "AS", "BY", "CREATE", "DELETE", "FROM", "INSERT", "INTO", "JOIN", "NOT", "NULL", "ON", "OR", "ORDER",
    "SELECT", "SET", "TABLE", "UPDATE", "VALUES", "WHERE", "alter", "and", "as", "by", "create", "delete", "drop",
    "from", "group", "having", "index", "inner", "insert", "into", "join", "key", "left", "limit", "not", "null", "on",
    "or", "order", "outer", "primary", "right", "select", "set", "table", "update", "values", "where",
];
const DATA_KW: &[&str] = &["False", "None", "True", "false", "no", "null", "true", "yes"];
const HTTP_KW: &[&str] = &["DELETE", "GET", "HEAD", "HTTP", "OPTIONS", "PATCH", "POST", "PUT"];

fn lang(name: &str) -> Option<Lang> {
    let name = name.to_ascii_lowercase();
    Some(match name.as_str() {
        "rust" | "rs" | "js" | "javascript" | "jsx" | "ts" | "typescript" | "tsx" | "go" | "golang" | "java"
        | "kotlin" | "kt" | "c" | "cpp" | "c++" | "h" | "csharp" | "cs" | "c#" | "swift" | "php" | "scala" | "dart"
        | "groovy" | "proto" | "protobuf" | "graphql" => Lang {
            line_comments: &["//"],
            block_comment: Some(("/*", "*/")),
            quotes: "\"'`",
            keywords: C_LIKE_KW,
            dashes: false,
        },
        "python" | "py" | "ruby" | "rb" => {
            Lang { line_comments: &["#"], block_comment: None, quotes: "\"'", keywords: PY_KW, dashes: false }
        }
        "bash" | "sh" | "shell" | "zsh" | "console" | "shellscript" | "powershell" | "ps1" | "dockerfile"
        | "docker" | "makefile" => {
            Lang { line_comments: &["#"], block_comment: None, quotes: "\"'", keywords: SH_KW, dashes: true }
        }
        "yaml" | "yml" | "toml" | "ini" | "properties" | "conf" | "env" => {
            Lang { line_comments: &["#"], block_comment: None, quotes: "\"'", keywords: DATA_KW, dashes: false }
        }
        "json" | "json5" | "jsonc" => {
            Lang { line_comments: &["//"], block_comment: None, quotes: "\"", keywords: DATA_KW, dashes: false }
        }
        "sql" | "postgresql" | "mysql" => Lang {
            line_comments: &["--"],
            block_comment: Some(("/*", "*/")),
            quotes: "'\"",
            keywords: SQL_KW,
            dashes: false,
        },
        "http" | "rest" => {
            Lang { line_comments: &[], block_comment: None, quotes: "\"", keywords: HTTP_KW, dashes: false }
        }
        "html" | "xml" | "svg" | "vue" => Lang {
            line_comments: &[],
            block_comment: Some(("<!--", "-->")),
            quotes: "\"'",
            keywords: &[],
            dashes: false,
        },
        _ => return None,
    })
}

/// Renders a code block as highlighted HTML.
pub fn render(lang_name: &str, code: &str) -> String {
    let lang_class = escape(lang_name);
    let body = match lang(lang_name) {
        Some(lang) => tokenize(&lang, code),
        None => escape(code),
    };
    let mut out = String::with_capacity(body.len() + 64 + code.lines().count() * 24);
    out.push_str("<pre class=\"code\"><code");
    if !lang_name.is_empty() {
        out.push_str(&format!(" class=\"language-{lang_class}\" data-lang=\"{lang_class}\""));
    }
    out.push('>');
    for line in body.strip_suffix('\n').unwrap_or(&body).split('\n') {
        out.push_str("<span class=\"line\">");
        out.push_str(line);
        out.push_str("</span>\n");
    }
    out.push_str("</code></pre>\n");
    out
}

/// Tokenizes into escaped HTML; spans never cross a newline so lines stay whole.
fn tokenize(lang: &Lang, code: &str) -> String {
    let mut out = String::with_capacity(code.len() * 2);
    let mut i = 0;
    let bytes = code.as_bytes();
    while i < code.len() {
        let rest = &code[i..];
        if lang.line_comments.iter().any(|p| rest.starts_with(*p)) {
            let end = rest.find('\n').unwrap_or(rest.len());
            span(&mut out, "tok-c", &rest[..end]);
            i += end;
        } else if let Some((open, close)) = lang.block_comment.filter(|(o, _)| rest.starts_with(o)) {
            let end = rest[open.len()..].find(close).map_or(rest.len(), |e| open.len() + e + close.len());
            span(&mut out, "tok-c", &rest[..end]);
            i += end;
        } else if let Some(q) = rest.chars().next().filter(|c| lang.quotes.contains(*c)) {
            let end = string_end(rest, q);
            span(&mut out, "tok-s", &rest[..end]);
            i += end;
        } else if bytes[i].is_ascii_digit() && (i == 0 || !is_word_byte(bytes[i - 1])) {
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_')).unwrap_or(rest.len());
            span(&mut out, "tok-n", &rest[..end]);
            i += end;
        } else if rest.chars().next().is_some_and(starts_word) {
            // `find` gives a character boundary, and the first character is part of
            // the word, so the word is never empty and never ends inside a character.
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' && lang.dashes))
                .unwrap_or(rest.len());
            let word = &rest[..end];
            if lang.keywords.binary_search(&word).is_ok() {
                span(&mut out, "tok-k", word);
            } else {
                escape_into(&mut out, word);
            }
            i += end;
        } else {
            let Some(c) = rest.chars().next() else { break };
            escape_into(&mut out, c.encode_utf8(&mut [0; 4]));
            i += c.len_utf8();
        }
    }
    out
}

/// Whether a byte may belong to a word (non-ASCII bytes belong to letters of other
/// scripts, or to emoji, which the number rule only needs to tell from a boundary).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// Whether a word starts with `c`: a letter of any script, or `_`.
fn starts_word(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn string_end(text: &str, quote: char) -> usize {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote {
            return i + 1;
        } else if c == '\n' && quote != '`' {
            return i;
        }
    }
    text.len()
}

/// Pushes `text` wrapped in a span, closing and reopening it at newlines.
fn span(out: &mut String, class: &str, text: &str) {
    for (n, part) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        if !part.is_empty() {
            out.push_str("<span class=\"");
            out.push_str(class);
            out.push_str("\">");
            escape_into(out, part);
            out.push_str("</span>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_keywords_strings_comments_numbers() {
        let out = render("rust", "fn main() { let x = \"a<b\"; // hi\n 42 }");
        assert!(out.contains("<span class=\"tok-k\">fn</span>"));
        assert!(out.contains("<span class=\"tok-s\">&quot;a&lt;b&quot;</span>"));
        assert!(out.contains("<span class=\"tok-c\">// hi</span>"));
        assert!(out.contains("<span class=\"tok-n\">42</span>"));
        assert_eq!(out.matches("<span class=\"line\">").count(), 2);
    }

    #[test]
    fn multi_line_comment_keeps_lines_whole() {
        let out = render("js", "/* a\nb */ x");
        assert_eq!(out.matches("<span class=\"line\">").count(), 2);
        assert!(out.contains("<span class=\"tok-c\">/* a</span></span>"));
    }

    #[test]
    fn keyword_lists_are_sorted_for_binary_search() {
        for list in [C_LIKE_KW, PY_KW, SH_KW, SQL_KW, DATA_KW, HTTP_KW] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }

    #[test]
    fn any_text_in_any_language_keeps_every_character() {
        let code = "🐘 “quoted” a\u{a0}b 日本語 é9 _x 1🐛 '🐘 // ✓\n/* 🐘 */ -- ß #";
        for lang in ["rust", "python", "bash", "yaml", "json", "sql", "http", "html", "none"] {
            let out = render(lang, code);
            for piece in ["🐘", "“quoted”", "\u{a0}", "日本語", "é9", "🐛", "✓", "ß"] {
                assert!(out.contains(piece), "{lang}: {piece} in {out}");
            }
        }
    }

    #[test]
    fn unknown_language_is_escaped_only() {
        let out = render("brainfuck", "<>");
        assert!(out.contains("&lt;&gt;"));
        assert!(!out.contains("tok-"));
    }
}
