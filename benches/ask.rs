//! Benchmark of one `Engine::ask`, in process, rotating through ten varied questions:
//! (a) on the bundled docs (`content/`, built into a temporary folder first), and
//! (b) when `DOCASK_BENCH_CORPUS` names a folder of Markdown (for example the `md/`
//! folder that `gen_corpus.py --pages 10000 --targets md` writes), on that corpus;
//! skipped when unset. Under `cargo bench` it also times 2,000 single asks and prints
//! their median and p99, since criterion reports means and medians but no tail.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::Criterion;
use docask::ask::{Engine, Request};
use docask::build::{build, BuildOptions};

/// Questions about the bundled API tokens docs: how-tos, facts, paraphrases.
const BUNDLED: [&str; 10] = [
    "How do I create an API token?",
    "What states can a token be in?",
    "How do I remove a token permanently?",
    "Can I switch a token off for a while without losing it?",
    "Where do I copy the token value?",
    "Which modules can a token reach?",
    "How do I authenticate a REST call with my token?",
    "What happens to my scripts when I delete a token?",
    "How can I rename a token?",
    "Is it safe to commit my token to GitHub?",
];

/// Questions in the generated corpus's technical vocabulary.
const CORPUS: [&str; 10] = [
    "How do I configure the cache timeout?",
    "What does the retry limit do?",
    "How do I deploy a cluster?",
    "Which headers does the server send?",
    "How do I filter search results by date?",
    "plugin hooks and events",
    "Why does the build fail with a parse error?",
    "How do I set environment variables for the worker pool?",
    "session token permission",
    "What is the default batch size of the queue?",
];

/// Timed asks for the median and p99.
const TIMED_ASKS: usize = 2000;

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench_site(&mut c, "bundled", &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), &BUNDLED);
    match std::env::var_os("DOCASK_BENCH_CORPUS") {
        Some(dir) => bench_site(&mut c, "corpus", Path::new(&dir), &CORPUS),
        None => eprintln!("DOCASK_BENCH_CORPUS is not set: skipping the generated corpus"),
    }
    c.final_summary();
}

/// Builds `content`, opens its index once, and benchmarks asks on it.
fn bench_site(c: &mut Criterion, name: &str, content: &Path, questions: &[&str]) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("public");
    let options = BuildOptions {
        content: content.to_path_buf(),
        out: out.clone(),
        base_url: None,
        strict: false,
        quiet: true,
        served: false,
    };
    let report = build(&options).unwrap_or_else(|e| panic!("cannot build `{}`: {e:#}", content.display()));
    eprintln!("{name}: built {} pages in {} ms", report.pages, report.elapsed.as_millis());
    let start = Instant::now();
    let engine = Engine::open(&out).expect("the built index opens");
    eprintln!("{name}: opened the index in {:?}", start.elapsed());
    let ask = |i: usize| {
        let request = Request { question: questions[i % questions.len()], goal: None, page: None };
        engine.ask(&request).expect("an answer")
    };
    let mut next = 0;
    c.benchmark_group("ask").bench_function(name, |b| {
        b.iter(|| {
            next += 1;
            black_box(ask(next))
        })
    });
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and runs each
    // benchmark once as a smoke test.
    if std::env::args().any(|a| a == "--bench") {
        let mut times: Vec<Duration> = (0..TIMED_ASKS)
            .map(|i| {
                let start = Instant::now();
                black_box(ask(i));
                start.elapsed()
            })
            .collect();
        times.sort();
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        println!("ask/{name}: {TIMED_ASKS} asks, median {:?}, p99 {:?}, max {:?}", at(0.5), at(0.99), at(1.0));
    }
}
