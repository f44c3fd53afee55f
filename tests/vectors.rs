//! Section vectors kept between builds, with the real binary: a build writes every
//! section's vector beside the index, and the next build into the same output folder
//! takes the vector of each unchanged section from there instead of encoding it
//! again; a changed section is encoded anew.

mod common;

use std::fs;

use common::{kept_vectors, mark_kept_vectors, BookTest};

#[test]
fn unchanged_sections_keep_their_vectors_and_changed_ones_are_encoded() {
    let book = BookTest::from_fixture("serve");
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (dims, vectors) = kept_vectors(&book.out);
    assert!(dims >= 64 && vectors.len() >= 3, "{dims} dims, {} vectors", vectors.len());
    assert!(vectors.iter().all(|v| v.iter().any(|&b| b != 0)), "every section has a vector");

    mark_kept_vectors(&book.out, 5);
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (_, rebuilt) = kept_vectors(&book.out);
    assert_eq!(rebuilt.len(), vectors.len());
    assert!(rebuilt.iter().all(|v| v.iter().all(|&b| b == 5)), "no unchanged section was encoded again");

    // One page changes: its sections are encoded, the others still come from the file.
    let page = book.content.join("README.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, format!("{text}\n\nA sentence added about rotating credentials every ninety days.\n")).unwrap();
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (_, after) = kept_vectors(&book.out);
    let marked = after.iter().filter(|v| v.iter().all(|&b| b == 5)).count();
    assert!(marked >= 1 && marked < after.len(), "{marked} of {} sections kept", after.len());
}
