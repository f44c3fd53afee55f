//! The semantic encoder against the reference: `scripts/gen_embeddings.py` wrote
//! `tests/fixtures/semantic/vectors.json` (sentences, their word pieces as the Hugging Face
//! tokenizer cuts them, and their vectors as its Python encoder computes them from the same
//! embedded file); the Rust tokenizer and encoder must give the same pieces and vectors.

use docask::ask::semantic::{cosine, Embeddings};
use serde_json::Value;

/// Per component: the fixture holds 7 decimals; the sums differ in float rounding only.
const TOLERANCE: f32 = 2e-5;

fn fixture() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/semantic/vectors.json"))
        .expect("fixture");
    serde_json::from_str(&text).expect("fixture JSON")
}

#[test]
fn pieces_and_vectors_match_the_python_reference() {
    let embeddings = Embeddings::bundled().expect("bundled embeddings");
    let cases = fixture()["cases"].as_array().expect("cases").clone();
    assert!(cases.len() >= 10);
    for case in cases {
        let text = case["text"].as_str().expect("text");
        let want: Vec<&str> = case["tokens"]
            .as_array()
            .expect("tokens")
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "[UNK]")
            .collect();
        let got: Vec<&str> =
            embeddings.token_rows(text).into_iter().map(|r| embeddings.token(r).expect("row")).collect();
        assert_eq!(got, want, "pieces of {text:?}");
        let want: Vec<f32> =
            case["vector"].as_array().expect("vector").iter().map(|x| x.as_f64().expect("f") as f32).collect();
        let got = embeddings.encode(text);
        assert_eq!(got.len(), want.len(), "dims of {text:?}");
        let worst = got.iter().zip(&want).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
        assert!(worst < TOLERANCE, "vector of {text:?} differs by {worst}");
    }
}

#[test]
fn fixture_was_made_from_the_bundled_file() {
    // The fixture names the file it was computed from; a regenerated file needs a new fixture.
    let sha = fixture()["model_sha256"].as_str().expect("sha").to_string();
    assert_eq!(sha.len(), 64);
    let embeddings = Embeddings::bundled().expect("bundled embeddings");
    let first = &fixture()["cases"][0];
    let v = embeddings.encode(first["text"].as_str().expect("text"));
    let want: Vec<f32> = first["vector"].as_array().expect("v").iter().map(|x| x.as_f64().expect("f") as f32).collect();
    assert!(cosine(&v, &want) > 0.9999, "the bundled file is not the one the fixture names ({sha})");
}

#[test]
fn huge_and_strange_input_never_panics() {
    let embeddings = Embeddings::bundled().expect("bundled embeddings");
    let mut huge = String::new();
    for i in 0..20_000 {
        huge.push_str(
            [
                "token ",
                "🎉",
                "日本語",
                "e\u{301}",
                "\u{0}",
                "\u{fffd}",
                "x".repeat(i % 150).as_str(),
                "_-.",
                "\u{10FFFF}",
            ][i % 9],
        );
    }
    assert!(huge.len() > 100_000);
    let v = embeddings.encode(&huge);
    assert_eq!(v.len(), embeddings.dims());
    assert!(v.iter().all(|x| x.is_finite()));
    for text in ["", "\u{301}", "🎉", "\u{200b}\u{200b}", "ǅ", "ﬀ", "[CLS]", "##", "#", "a\u{0}b"] {
        let v = embeddings.encode(text);
        assert!(v.iter().all(|x| x.is_finite()), "{text:?}");
    }
}
