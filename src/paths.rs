//! Content paths and site URLs: normalising relative paths and mapping a content file
//! to its clean URL, HTML file and Markdown twin (DESIGN.md, "Output").
//!
//! Content paths are relative to the content root and use `/`; a page URL is the
//! clean path without leading or trailing slash (`""` is the home page).

/// Resolves `.` and `..` in a `/`-separated relative path; `None` when it climbs
/// above the root. A Windows separator (`images\\a.png`) is read as `/`, as a browser
/// reads it in a web page's URL.
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(SEPARATORS) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The last part of a path written in content (`a/b.pdf`, `a\\b.pdf` → `b.pdf`).
pub fn file_name(path: &str) -> &str {
    path.rsplit(SEPARATORS).next().unwrap_or(path)
}

/// The folder of a content file (`a/b.md` → `a`, `b.md` → ``).
pub fn parent(file: &str) -> &str {
    file.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// What separates the folders of a path written in content: `/`, and the `\\` of
/// Windows, which browsers read as `/` in a web page's URLs.
const SEPARATORS: [char; 2] = ['/', '\\'];

/// Resolves `target` relative to the folder of `from_file`; a leading `/` (or `\\`)
/// means the content root.
pub fn resolve(from_file: &str, target: &str) -> Option<String> {
    match target.strip_prefix(SEPARATORS) {
        Some(abs) => normalize(abs),
        None => normalize(&format!("{}/{}", parent(from_file), target)),
    }
}

/// Resolves `target` as a browser resolves a relative URL: a `..` at the root stays
/// at the root (`../b.md` from `a.md` is `b.md`), and `\\` is `/`. For links that
/// climb above the root, where the file they name is there.
pub fn resolve_at_root(from_file: &str, target: &str) -> String {
    let joined = match target.strip_prefix(SEPARATORS) {
        Some(abs) => abs.to_string(),
        None => format!("{}/{}", parent(from_file), target),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split(SEPARATORS) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The file that is a folder's page: `a/b/README.md` is `/a/b`.
pub const FOLDER_README: &str = "README.md";

/// Whether a file name is a folder's page (`README.md`, any case).
pub fn is_folder_readme(name: &str) -> bool {
    name.eq_ignore_ascii_case(FOLDER_README)
}

/// The clean URL of a page: the root `readme` (`README.md`, or `.gitbook.yaml`'s
/// `structure.readme`) → ``, `a/b/README.md` → `a/b`, `a/c.md` → `a/c`.
pub fn page_url(file: &str, readme: &str) -> String {
    if file == readme {
        return String::new();
    }
    let stem = file.strip_suffix(".md").unwrap_or(file);
    match file.rsplit_once('/') {
        Some((dir, name)) if is_folder_readme(name) => dir.to_string(),
        _ => stem.to_string(),
    }
}

/// Output path of a page's HTML: `index.html`, `a/b/index.html`.
pub fn html_file(url: &str) -> String {
    if url.is_empty() {
        "index.html".into()
    } else {
        format!("{url}/index.html")
    }
}

/// Output path of a page's Markdown twin: `index.md`, `a/b.md`.
pub fn twin_file(url: &str) -> String {
    if url.is_empty() {
        "index.md".into()
    } else {
        format!("{url}.md")
    }
}

/// Site-absolute URL of a page's twin: `/index.md`, `/a/b.md`.
pub fn twin_url(url: &str) -> String {
    format!("/{}", twin_file(url))
}

/// The `../` prefix that leads from a page's HTML file back to the site root.
pub fn root_prefix(url: &str) -> String {
    if url.is_empty() {
        String::new()
    } else {
        "../".repeat(url.split('/').count())
    }
}

/// What `encode_href` percent-encodes: controls, characters a URL would read as
/// syntax (`#`, `?`, quotes, brackets, spaces), `%` itself and `\\`.
const HREF: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'#')
    .add(b'?')
    .add(b'{')
    .add(b'}')
    .add(b'%')
    .add(b'\\');

/// Percent-encodes the characters of a path that are not safe in an `href`, `%`
/// itself included: a file named `100%.md` or `a%20b.md` is linked as named.
pub fn encode_href(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, HREF).to_string()
}

/// Percent-encodes one path segment for a URL: what `encode_href` encodes, and `/`
/// too (a segment is decoded text, so its slashes are data).
pub fn encode_segment(segment: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &HREF.add(b'/');
    percent_encoding::utf8_percent_encode(segment, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_dots() {
        assert_eq!(normalize("a/./b/../c").as_deref(), Some("a/c"));
        assert_eq!(normalize("../x"), None);
    }

    #[test]
    fn resolves_relative_and_rooted() {
        assert_eq!(resolve("a/b/c.md", "../d.md").as_deref(), Some("a/d.md"));
        assert_eq!(resolve("a/b/c.md", "/x/y.md").as_deref(), Some("x/y.md"));
        assert_eq!(resolve("c.md", "../../etc/passwd"), None);
        assert_eq!(resolve_at_root("a/c.md", "../../b/d.md"), "b/d.md");
        assert_eq!(resolve_at_root("c.md", "/../x/./y.md"), "x/y.md");
    }

    #[test]
    fn windows_separators_are_read_as_slashes() {
        assert_eq!(resolve("a/b/c.md", "..\\images\\d.png").as_deref(), Some("a/images/d.png"));
        assert_eq!(resolve("a/c.md", ".\\.gitbook\\assets/e.png").as_deref(), Some("a/.gitbook/assets/e.png"));
        assert_eq!(resolve("a/c.md", "\\x\\y.md").as_deref(), Some("x/y.md"));
        assert_eq!(resolve("c.md", "..\\..\\etc\\passwd"), None);
        assert_eq!(resolve_at_root("a/c.md", "..\\..\\b\\d.md"), "b/d.md");
        assert_eq!((file_name("..\\assets\\a.pdf"), file_name("b/c.pdf"), file_name("d")), ("a.pdf", "c.pdf", "d"));
    }

    #[test]
    fn maps_files_to_urls() {
        assert_eq!(page_url("README.md", "README.md"), "");
        assert_eq!(page_url("INTRO.md", "INTRO.md"), "");
        assert_eq!(page_url("README.md", "INTRO.md"), "README");
        assert_eq!(page_url("a/readme.md", "INTRO.md"), "a");
        assert_eq!(page_url("a/INTRO.md", "INTRO.md"), "a/INTRO");
        assert_eq!(page_url("a/b/README.md", "README.md"), "a/b");
        assert_eq!(page_url("a/b/c.md", "README.md"), "a/b/c");
        assert_eq!(html_file("a/b"), "a/b/index.html");
        assert_eq!(twin_file(""), "index.md");
        assert_eq!(twin_url("a/b"), "/a/b.md");
        assert_eq!(root_prefix("a/b"), "../../");
        assert_eq!(root_prefix(""), "");
    }

    #[test]
    fn encodes_what_a_url_would_misread() {
        assert_eq!(encode_href("a b/c.png"), "a%20b/c.png");
        assert_eq!(encode_href("100%/c#/a%20b?"), "100%25/c%23/a%2520b%3F");
        assert_eq!(encode_segment("a b/%c"), "a%20b%2F%25c");
    }
}
