//! The command line as a writer meets it: `init`, the global `-q`/`-v`, one-line
//! errors for asking before building and for a port in use (found before the build),
//! and shell completions.

mod common;

use common::{docask, BookTest};

fn arg(path: &std::path::Path) -> String {
    path.to_str().expect("temporary paths are UTF-8").to_string()
}

#[test]
fn init_writes_a_starter_that_checks_clean_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("docs");
    let run = docask(&["init", &arg(&content)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in ["README.md", "SUMMARY.md", "guides/first-guide.md", "docask.toml"] {
        assert!(content.join(file).is_file(), "{file}");
    }
    let check = docask(&["check", "--content", &arg(&content)]);
    assert_eq!(check.code, 0, "the starter has no problem: {}", check.stderr);
    let book = BookTest::in_place(&content);
    assert_eq!(book.build(&[]).code, 0);
    let page = book.html("guides/first-guide");
    assert!(page.contains("class=\"hint hint-info\"") && page.contains("class=\"tabs\""), "{page}");

    let again = docask(&["init", &arg(&content)]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("is not empty"), "{}", again.stderr);
}

#[test]
fn ask_and_mcp_before_a_build_say_so_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = arg(&dir.path().join("public"));
    for args in [vec!["ask", "--out", &out, "how do I start"], vec!["mcp", "--out", &out]] {
        let run = docask(&args);
        assert_eq!(run.code, 1, "{args:?}");
        assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
        assert!(run.stderr.contains("no site built in") && run.stderr.contains("run `docask build` first"));
    }
}

#[test]
fn a_port_in_use_fails_before_building() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let book = BookTest::from_fixture("serve");
    let (content, out) = (arg(&book.content), arg(&book.out));
    let run = docask(&["serve", "--content", &content, "--out", &out, "--addr", &addr]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(&format!("cannot listen on {addr}")), "{}", run.stderr);
    assert!(!book.out.exists(), "nothing was built for a server that cannot start");
}

#[test]
fn quiet_and_verbose_apply_to_every_command() {
    let book = BookTest::from_fixture("flawed/unlisted");
    let normal = book.build(&[]);
    assert!(normal.stderr.contains("warning:") && normal.stderr.contains("built "), "{}", normal.stderr);
    assert!(!normal.stderr.contains("draft.md: not listed"), "{}", normal.stderr);
    let quiet = book.build(&["-q"]);
    assert_eq!((quiet.code, quiet.stderr.as_str()), (0, ""), "quiet prints nothing but errors");
    let verbose = book.build(&["--verbose"]);
    assert!(verbose.stderr.contains("note: draft.md: not listed"), "{}", verbose.stderr);
    let check = docask(&["-q", "check", "--content", &arg(&book.content)]);
    assert_eq!(check.code, 1);
    assert!(check.stderr.contains("error: draft.md") && !check.stderr.contains("checked "), "{}", check.stderr);
}

#[test]
fn completions_are_generated_for_common_shells() {
    for shell in ["bash", "zsh", "fish"] {
        let run = docask(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains("docask") && run.stdout.contains("serve"), "{shell}");
    }
    assert_eq!(docask(&["completions", "no-such-shell"]).code, 2);
}
