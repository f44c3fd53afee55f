//! The output folder under faults, with the real binary: a folder that merely has a
//! `.docask` folder is not taken for a site; what killed builds left beside the
//! output is removed by the next build (only when its owner is gone); the swap never
//! leaves the output missing; a `.gitbook.yaml` redirect over a generated file is a
//! warning at its line, and the generated file wins.

mod common;

use std::fs;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use common::{docask, BookTest};

#[test]
fn a_folder_with_a_data_folder_but_no_marker_is_not_replaced() {
    let book = BookTest::from_fixture("serve");
    fs::create_dir_all(book.out.join(".docask")).unwrap();
    fs::write(book.out.join("important.txt"), "keep").unwrap();
    let run = book.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("is not a docask site"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(book.out.join("important.txt")).unwrap(), "keep");

    // A site docask built is replaced, build after build.
    let fresh = BookTest::from_fixture("serve");
    for _ in 0..2 {
        let run = fresh.build(&[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert!(docask::write::is_site(&fresh.out));
}

/// The id of a process that has exited.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().expect("`true` runs");
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn a_build_removes_what_killed_builds_left_and_nothing_else() {
    let book = BookTest::from_fixture("serve");
    let parent = book.out.parent().unwrap().to_path_buf();
    let dead = dead_pid();
    let left =
        [format!(".public.tmp-{dead}-k1ll3d"), format!(".public.tmp-{dead}.old"), format!(".public.live-{dead}-4")];
    for name in &left {
        fs::create_dir_all(parent.join(name).join("a/b")).unwrap();
        fs::write(parent.join(name).join("a/b/index.html"), "stale").unwrap();
    }
    // A folder whose owner is alive (this test) stays: it may be a concurrent build.
    let alive = parent.join(format!(".public.tmp-{}-busy", std::process::id()));
    fs::create_dir_all(&alive).unwrap();
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for name in &left {
        assert!(!parent.join(name).exists(), "{name} is left");
    }
    assert!(alive.exists(), "a live owner's folder was removed");
    let names: Vec<String> =
        fs::read_dir(&parent).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    let staging: Vec<_> = names.iter().filter(|n| n.starts_with(".public.") && !alive.ends_with(n)).collect();
    assert!(staging.is_empty(), "{staging:?}");
}

#[test]
fn the_output_is_never_missing_while_builds_replace_it() {
    let book = BookTest::from_fixture("serve");
    assert_eq!(book.build(&[]).code, 0);
    let (done, gaps) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
    let reader = {
        let (done, gaps, probe) = (done.clone(), gaps.clone(), book.out.join("index.html"));
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if fs::symlink_metadata(&probe).is_err() {
                    gaps.fetch_add(1, Ordering::Relaxed);
                }
            }
        })
    };
    for _ in 0..15 {
        let run = book.build(&["--quiet"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    done.store(true, Ordering::Relaxed);
    reader.join().unwrap();
    assert_eq!(gaps.load(Ordering::Relaxed), 0, "the output folder was missing during a swap");
}

#[test]
fn a_redirect_over_a_generated_file_is_a_warning_and_the_file_wins() {
    let book = BookTest::from_fixture("gitbook-yaml");
    let yaml_path = book.content.join(".gitbook.yaml");
    let yaml = fs::read_to_string(&yaml_path).unwrap();
    let yaml =
        yaml.replace("redirects:\n", "redirects:\n  llms.txt: ./guide/new-place.md\n  \"/404.html\": ./README.md\n");
    fs::write(&yaml_path, &yaml).unwrap();
    let line = |key: &str| yaml.lines().position(|l| l.contains(key)).unwrap() + 1;
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for key in ["llms.txt", "404.html"] {
        let expected = format!(".gitbook.yaml:{}: redirect `{key}`", line(key));
        assert!(run.warnings().iter().any(|w| w.contains(&expected)), "{expected} in:\n{}", run.stderr);
    }
    assert!(book.read("llms.txt").starts_with("# "), "llms.txt is the generated one");
    assert!(book.read("404.html").contains("<html"), "404.html is the generated one");
    assert!(!book.exists("llms.txt/index.html"));
    let strict = docask(&[
        "build",
        "--strict",
        "--content",
        book.content.to_str().unwrap(),
        "--out",
        book.out.to_str().unwrap(),
    ]);
    assert_eq!(strict.code, 1, "a warning fails --strict:\n{}", strict.stderr);
}
