//! Benchmark of the semantic signal's costs: encoding one question with the bundled static
//! embeddings (rotating through ten questions), encoding one section at build time, and
//! the cosine of a question's vector against N section vectors, in `f32` and as the
//! engine compares them (`i8` dot products) (N = 1,000 and 10,000, the vectors made
//! from varied sentences so that none is the zero vector).

use std::hint::black_box;

use criterion::Criterion;
use docask::ask::semantic::{cosine, dot_i8, dots_i8, quantize, Embeddings};

/// Questions of several shapes: short, long, paraphrased, with identifiers.
const QUESTIONS: [&str; 10] = [
    "How do I create an API token?",
    "dashboard too bright at night",
    "Our studio just rebranded. How do I change what our organization is called inside the crash reporting app?",
    "How do I configure EventCountSnapshotTriggerDefinition in Spring Boot?",
    "memory needed per 3.6TB slice",
    "check if node is alive",
    "Which public nodes can I point my new node at so it can join the network the first time?",
    "What happens to my scripts when I delete a token?",
    "axon.axonserver.context property for a context called billing",
    "I uploaded the missing debug files after the fact. How do I redo the analysis on old reports?",
];

/// A section of typical length (about 120 words).
const SECTION: &str = "To create an API token, open Settings and choose API tokens. Select Create token, \
give the token a name that says what it is for, and pick the modules it may reach: only \
those modules answer requests made with it. Choose an expiry date, or leave the field empty \
for a token that never expires. Select Create: the token's value is shown once, so copy it \
to a safe place such as your password manager or your CI's secret store. You can disable \
the token at any time without deleting it, rename it, or delete it for good; scripts that \
use a deleted token get 401 Unauthorized from then on. Tokens belong to the user who \
created them and stop working when that user is removed from the organisation.";

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let embeddings = Embeddings::bundled().expect("bundled embeddings");
    let mut i = 0;
    c.bench_function("semantic/encode question", |b| {
        b.iter(|| {
            i = (i + 1) % QUESTIONS.len();
            black_box(embeddings.encode(black_box(QUESTIONS[i])))
        })
    });
    c.bench_function("semantic/encode section (120 words)", |b| {
        b.iter(|| black_box(embeddings.encode(black_box(SECTION))))
    });
    let words: Vec<&str> = SECTION.split_whitespace().collect();
    for n in [1_000usize, 10_000] {
        let sections: Vec<Vec<f32>> = (0..n)
            .map(|k| {
                let from = k % (words.len() - 13);
                embeddings.encode(&words[from..from + 8 + k % 5].join(" "))
            })
            .collect();
        let question = embeddings.encode(QUESTIONS[2]);
        c.bench_function(&format!("semantic/cosine over {n} sections"), |b| {
            b.iter(|| {
                let best = sections.iter().map(|s| cosine(black_box(&question), s)).fold(f32::MIN, f32::max);
                black_box(best)
            })
        });
        // The vectors scaled to `i8`, compared by integer dot product: one call per
        // section compiled for the baseline x86-64, then the engine's scan (laid end to
        // end, compiled for the processor's best vector instructions).
        let scaled: Vec<Vec<i8>> = sections.iter().map(|s| quantize(s)).collect();
        let scaled_question = quantize(&question);
        c.bench_function(&format!("semantic/dot_i8 over {n} sections"), |b| {
            b.iter(|| {
                let best = scaled.iter().map(|s| dot_i8(black_box(&scaled_question), s)).max();
                black_box(best)
            })
        });
        let rows: Vec<i8> = scaled.concat();
        c.bench_function(&format!("semantic/dots_i8 scan over {n} sections"), |b| {
            b.iter(|| black_box(dots_i8(black_box(&rows), &scaled_question).into_iter().max()))
        });
    }
    c.final_summary();
}
