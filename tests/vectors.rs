//! Section vectors kept between builds, with the real binary: a build writes every
//! section's vector beside the index, and the next build into the same output folder
//! takes the vector of each unchanged section from there instead of encoding it
//! again; a changed section is encoded anew.

mod common;

use std::fs;

use common::BookTest;

/// The vectors of `.docask/vectors.bin` (its format: `DVEC`, u64 tag, u32 dims,
/// u32 count, count × u64 keys, count × dims bytes).
fn kept(book: &BookTest) -> (usize, Vec<Vec<u8>>) {
    let bytes = fs::read(book.out.join(".docask/vectors.bin")).expect("a build keeps its vectors");
    assert_eq!(&bytes[..4], b"DVEC");
    let dims = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
    let count = u32::from_le_bytes(bytes[16..20].try_into().unwrap()) as usize;
    let vectors = bytes[20 + 8 * count..].chunks(dims).map(<[u8]>::to_vec).collect();
    (dims, vectors)
}

#[test]
fn unchanged_sections_keep_their_vectors_and_changed_ones_are_encoded() {
    let book = BookTest::from_fixture("serve");
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (dims, vectors) = kept(&book);
    assert!(dims >= 64 && vectors.len() >= 3, "{dims} dims, {} vectors", vectors.len());
    assert!(vectors.iter().all(|v| v.iter().any(|&b| b != 0)), "every section has a vector");

    // Mark every kept vector: a build that takes them from the file carries the mark.
    let path = book.out.join(".docask/vectors.bin");
    let mut bytes = fs::read(&path).unwrap();
    let start = bytes.len() - dims * vectors.len();
    bytes[start..].fill(5);
    fs::write(&path, &bytes).unwrap();
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (_, rebuilt) = kept(&book);
    assert_eq!(rebuilt.len(), vectors.len());
    assert!(rebuilt.iter().all(|v| v.iter().all(|&b| b == 5)), "no unchanged section was encoded again");

    // One page changes: its sections are encoded, the others still come from the file.
    let page = book.content.join("README.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, format!("{text}\n\nA sentence added about rotating credentials every ninety days.\n")).unwrap();
    let run = book.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (_, after) = kept(&book);
    let marked = after.iter().filter(|v| v.iter().all(|&b| b == 5)).count();
    assert!(marked >= 1 && marked < after.len(), "{marked} of {} sections kept", after.len());
}
