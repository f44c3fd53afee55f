//! Request paths: any text `SitePath::parse` accepts names only something inside the
//! output folder, outside its private folders; its folder URL is a path of this site
//! that parses back to the same segments; and `files::resolve` opens only regular
//! files really inside the folder, through no symbolic link, whatever the path.

#![no_main]

use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use docask::serve::files::{resolve, Resolved, SitePath};
use libfuzzer_sys::fuzz_target;

/// An output folder with pages, twins, a private data folder, served dot-folders and
/// symbolic links that lead out of it and within it.
fn site() -> &'static (tempfile::TempDir, PathBuf) {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("out");
        let outside = dir.path().join("outside");
        for (rel, text) in [
            ("index.html", "home"),
            ("index.md", "# home"),
            ("a/b/index.html", "page"),
            ("a/b.md", "# page"),
            ("a b/c%d/index.html", "odd names"),
            (".docask/site.json", "private"),
            (".gitbook/assets/x.png", "png"),
            (".well-known/llms.txt", "llms"),
            ("static/docask.0123abcd.css", "css"),
        ] {
            let path = out.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("index.html"), "outside").unwrap();
        std::os::unix::fs::symlink(&outside, out.join("escape")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", out.join("passwd")).unwrap();
        std::os::unix::fs::symlink(out.join("a"), out.join("alias")).unwrap();
        std::os::unix::fs::symlink("..", out.join("a/up")).unwrap();
        let out = out.canonicalize().unwrap();
        (dir, out)
    })
}

fn check_segments(path: &SitePath) {
    for s in path.segments() {
        assert!(!s.is_empty() && s != "." && s != "..", "{s:?}");
        assert!(!s.contains(['/', '\\', '\0']) && !s.chars().any(char::is_control), "{s:?}");
        assert!(!s.starts_with('.') || s == ".gitbook" || s == ".well-known", "{s:?}");
    }
}

fn check_resolved(out: &Path, path: &SitePath) {
    for markdown in [false, true] {
        let Ok(Resolved::File(found)) = resolve(out, path, markdown) else { continue };
        assert!(found.meta.is_file());
        let real = std::fs::read_link(format!("/proc/self/fd/{}", found.file.as_raw_fd())).expect("the file's path");
        assert!(real.starts_with(out), "{path:?} opened {real:?}");
        assert!(!real.starts_with(out.join(".docask")), "{path:?} opened {real:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    let Ok(path) = SitePath::parse(raw) else { return };
    check_segments(&path);
    let url = path.folder_url();
    assert!(url.starts_with('/') && !url.starts_with("//"), "{url}");
    let again = SitePath::parse(&url).expect("a folder URL parses");
    assert_eq!(again.segments(), path.segments(), "{url}");
    assert!(!path.relative().split('/').any(|s| s == ".."));
    check_resolved(&site().1, &path);
});
