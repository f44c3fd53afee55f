//! Arithmetic on embedding vectors, the hot loops of the semantic signal: the sum of
//! scaled `i8` rows that makes a text's vector (a build does it for every section) and
//! the `i8` dot products that compare a question with every section (each ask). Both
//! use AVX2 when the processor has it, checked at run time, with results identical to
//! the portable loops.

/// Adds each `(row, scale)`'s `row` (signed bytes, as `u8`) times `scale` to `sum`,
/// one row after the other, so every component's sum is rounded the same way whatever
/// the instructions. With AVX2 eight components at a time: the same loop compiled for
/// it (the portable build does four; in a 10,000-page build's profile the sum fell from
/// 10.4% to 7.3% of the time, reading the rows then bounds it).
pub fn add_scaled<'a>(sum: &mut [f32], rows: impl Iterator<Item = (&'a [u8], f32)>) {
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx2") {
        // SAFETY: AVX2 is present (checked just above).
        unsafe { add_scaled_avx2(sum, rows) };
        return;
    }
    add_scaled_portable(sum, rows);
}

#[inline(always)]
fn add_scaled_portable<'a>(sum: &mut [f32], rows: impl Iterator<Item = (&'a [u8], f32)>) {
    for (bytes, scale) in rows {
        for (acc, &b) in sum.iter_mut().zip(bytes) {
            *acc += f32::from(b as i8) * scale;
        }
    }
}

/// [`add_scaled_portable`] compiled with AVX2 (multiplications and additions apart, as
/// there: no fused multiply-add, whose single rounding would change the sums).
///
/// # Safety
/// The processor must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn add_scaled_avx2<'a>(sum: &mut [f32], rows: impl Iterator<Item = (&'a [u8], f32)>) {
    add_scaled_portable(sum, rows);
}

/// Dot product of two `i8` vectors, as integers (vectorised: sixteen lanes).
pub fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    let mut sums = [0i32; 16];
    let (ca, cb) = (a.chunks_exact(16), b.chunks_exact(16));
    let tail: i32 = ca.remainder().iter().zip(cb.remainder()).map(|(&x, &y)| i32::from(x) * i32::from(y)).sum();
    for (x, y) in ca.zip(cb) {
        for ((sum, &x), &y) in sums.iter_mut().zip(x).zip(y) {
            *sum += i32::from(x) * i32::from(y);
        }
    }
    sums.iter().sum::<i32>() + tail
}

/// The dot product of `query` with each `query.len()`-long vector laid end to end in
/// `rows`: the scan over every section of a site. On a processor with AVX2 (nearly
/// every x86-64 server since 2015, checked at run time) thirty-two products at a time
/// (sixteen when the query holds -128). Sixteen at a time was about three times as fast
/// as what the compiler makes of `dot_i8` (benches/semantic.rs); thirty-two took about a
/// quarter less time again within an ask (reading the vectors then bounds the scan).
/// When the length is a multiple of 32 (the bundled vectors have 256 components), four
/// rows at a time share each load of the query and one sum across lanes: about half the
/// instructions of one row at a time (callgrind, 300 asks on a 1,236-section site).
pub fn dots_i8(rows: &[i8], query: &[i8]) -> Vec<i32> {
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx2")
        && !query.is_empty()
        && query.len().is_multiple_of(32)
        && !query.contains(&i8::MIN)
    {
        let mut out = Vec::with_capacity(rows.len() / query.len());
        // SAFETY: AVX2 is present (checked just above), the query has no -128 and a
        // length that is a multiple of 32.
        unsafe { avx2::dots_wide_by_four(rows, query, &mut out) };
        return out;
    }
    let rows = rows.chunks_exact(query.len().max(1));
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx2") {
        // A quantized query never holds -128 (`quantize` clamps at ±127).
        if !query.contains(&i8::MIN) {
            // SAFETY: AVX2 is present (checked just above), the query has no -128.
            return rows.map(|row| unsafe { avx2::dot_i8_wide(row, query) }).collect();
        }
        // SAFETY: AVX2 is present (checked just above).
        return rows.map(|row| unsafe { avx2::dot_i8(row, query) }).collect();
    }
    rows.map(|row| dot_i8(row, query)).collect()
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::{
        __m128i, __m256i, _mm256_abs_epi8, _mm256_add_epi32, _mm256_castsi256_si128, _mm256_cvtepi8_epi16,
        _mm256_extracti128_si256, _mm256_hadd_epi32, _mm256_loadu_si256, _mm256_madd_epi16, _mm256_maddubs_epi16,
        _mm256_set1_epi16, _mm256_setzero_si256, _mm256_sign_epi8, _mm256_storeu_si256, _mm_add_epi32, _mm_loadu_si128,
        _mm_storeu_si128,
    };

    /// `super::dot_i8` with AVX2: sixteen bytes of each vector widened to 16 bits,
    /// multiplied and summed in pairs into eight 32-bit lanes.
    ///
    /// # Safety
    /// The processor must have AVX2.
    #[target_feature(enable = "avx2")]
    pub unsafe fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
        let (ca, cb) = (a.chunks_exact(16), b.chunks_exact(16));
        let tail: i32 = ca.remainder().iter().zip(cb.remainder()).map(|(&x, &y)| i32::from(x) * i32::from(y)).sum();
        let mut acc = _mm256_setzero_si256();
        for (x, y) in ca.zip(cb) {
            // SAFETY: each chunk holds exactly the 16 bytes an unaligned load reads.
            let (x, y) = unsafe {
                (_mm_loadu_si128(x.as_ptr().cast::<__m128i>()), _mm_loadu_si128(y.as_ptr().cast::<__m128i>()))
            };
            acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_cvtepi8_epi16(x), _mm256_cvtepi8_epi16(y)));
        }
        let mut lanes = [0i32; 8];
        // SAFETY: `lanes` is 32 bytes, what an unaligned store writes.
        unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast::<__m256i>(), acc) };
        lanes.iter().sum::<i32>() + tail
    }

    /// `super::dot_i8` with AVX2, 32 bytes at a time: the row's magnitudes (unsigned)
    /// times the query's bytes carrying the row's signs, summed in pairs into 16 bits
    /// (at most 2 · 128 · 127, no saturation), then into eight 32-bit lanes.
    ///
    /// # Safety
    /// The processor must have AVX2; `query` must not hold -128 (its sign could not be
    /// flipped).
    #[target_feature(enable = "avx2")]
    pub unsafe fn dot_i8_wide(row: &[i8], query: &[i8]) -> i32 {
        let (cr, cq) = (row.chunks_exact(32), query.chunks_exact(32));
        let tail: i32 = cr.remainder().iter().zip(cq.remainder()).map(|(&x, &y)| i32::from(x) * i32::from(y)).sum();
        let ones = _mm256_set1_epi16(1);
        let mut acc = _mm256_setzero_si256();
        for (r, q) in cr.zip(cq) {
            // SAFETY: each chunk holds exactly the 32 bytes an unaligned load reads.
            let (r, q) = unsafe {
                (_mm256_loadu_si256(r.as_ptr().cast::<__m256i>()), _mm256_loadu_si256(q.as_ptr().cast::<__m256i>()))
            };
            let pairs = _mm256_maddubs_epi16(_mm256_abs_epi8(r), _mm256_sign_epi8(q, r));
            acc = _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, ones));
        }
        let mut lanes = [0i32; 8];
        // SAFETY: `lanes` is 32 bytes, what an unaligned store writes.
        unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast::<__m256i>(), acc) };
        lanes.iter().sum::<i32>() + tail
    }

    /// [`dot_i8_wide`] of `query` with every `query.len()`-long row of `rows`, pushed
    /// to `out` in order: four rows at a time, each 32 bytes of the query loaded once
    /// for the four, and the four sums taken across lanes together; the last rows (fewer
    /// than four) one at a time.
    ///
    /// # Safety
    /// The processor must have AVX2; `query` must not hold -128, and its length must be
    /// a positive multiple of 32.
    #[target_feature(enable = "avx2")]
    pub unsafe fn dots_wide_by_four(rows: &[i8], query: &[i8], out: &mut Vec<i32>) {
        let d = query.len();
        let ones = _mm256_set1_epi16(1);
        let load = |bytes: &[i8; 32]| {
            // SAFETY: an unaligned load reads the 32 bytes of the array.
            unsafe { _mm256_loadu_si256(bytes.as_ptr().cast::<__m256i>()) }
        };
        let (query_chunks, _) = query.as_chunks::<32>();
        let blocks = rows.chunks_exact(4 * d);
        let rest = blocks.remainder();
        for block in blocks {
            let (chunks, _) = block.as_chunks::<32>();
            let (r0, r1, r2, r3) =
                (&chunks[..d / 32], &chunks[d / 32..d / 16], &chunks[d / 16..3 * d / 32], &chunks[3 * d / 32..]);
            let mut acc = [_mm256_setzero_si256(); 4];
            for ((((q, r0), r1), r2), r3) in query_chunks.iter().zip(r0).zip(r1).zip(r2).zip(r3) {
                let q = load(q);
                for (acc, r) in acc.iter_mut().zip([r0, r1, r2, r3]) {
                    let r = load(r);
                    let pairs = _mm256_maddubs_epi16(_mm256_abs_epi8(r), _mm256_sign_epi8(q, r));
                    *acc = _mm256_add_epi32(*acc, _mm256_madd_epi16(pairs, ones));
                }
            }
            // Each 128-bit half of `sums` holds the four rows' sums over its half of
            // the lanes; the halves added give the four products.
            let sums = _mm256_hadd_epi32(_mm256_hadd_epi32(acc[0], acc[1]), _mm256_hadd_epi32(acc[2], acc[3]));
            let four = _mm_add_epi32(_mm256_castsi256_si128(sums), _mm256_extracti128_si256::<1>(sums));
            let mut dots = [0i32; 4];
            // SAFETY: `dots` is 16 bytes, what an unaligned store writes.
            unsafe { _mm_storeu_si128(dots.as_mut_ptr().cast::<__m128i>(), four) };
            out.extend_from_slice(&dots);
        }
        // SAFETY: AVX2 is present and the query has no -128 (this function's contract).
        out.extend(rest.chunks_exact(d).map(|row| unsafe { dot_i8_wide(row, query) }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The sums are those of the portable loop, bit for bit, with or without AVX2.
        #[test]
        fn scaled_sums_are_the_portable_ones(
            dims in 1usize..70,
            rows in proptest::collection::vec((proptest::collection::vec(proptest::num::u8::ANY, 70), -3.0f32..3.0), 0..40),
        ) {
            let rows: Vec<(&[u8], f32)> = rows.iter().map(|(b, s)| (&b[..dims], *s)).collect();
            let (mut fast, mut portable) = (vec![0f32; dims], vec![0f32; dims]);
            add_scaled(&mut fast, rows.iter().copied());
            add_scaled_portable(&mut portable, rows.iter().copied());
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            proptest::prop_assert_eq!(bits(&fast), bits(&portable));
        }
    }

    proptest::proptest! {
        /// The scan gives every row's product exactly as `dot_i8` does, whatever the
        /// length (a tail shorter than sixteen bytes included) and the values (the
        /// extremes included), with or without AVX2.
        #[test]
        fn the_scan_gives_dot_i8_of_every_row(
            query in proptest::collection::vec(proptest::num::i8::ANY, 1..70),
            bytes in proptest::collection::vec(proptest::num::i8::ANY, 0..400),
        ) {
            let rows: Vec<i8> = bytes.iter().copied().chain([i8::MIN, i8::MAX].repeat(query.len())).collect();
            let expected: Vec<i32> = rows.chunks_exact(query.len()).map(|r| dot_i8(r, &query)).collect();
            let naive: Vec<i32> = rows
                .chunks_exact(query.len())
                .map(|r| r.iter().zip(&query).map(|(&a, &b)| i32::from(a) * i32::from(b)).sum())
                .collect();
            proptest::prop_assert_eq!(&expected, &naive);
            proptest::prop_assert_eq!(dots_i8(&rows, &query), expected);
        }
    }

    proptest::proptest! {
        /// The same with quantized queries (no -128), the scan's usual case, over
        /// lengths past several 32-byte blocks.
        #[test]
        fn the_scan_of_quantized_queries_gives_dot_i8(
            query in proptest::collection::vec(-127i8..=127, 1..300),
            bytes in proptest::collection::vec(proptest::num::i8::ANY, 0..1200),
        ) {
            let rows: Vec<i8> = bytes.iter().copied().chain([i8::MIN, i8::MAX].repeat(query.len())).collect();
            let expected: Vec<i32> = rows.chunks_exact(query.len()).map(|r| dot_i8(r, &query)).collect();
            proptest::prop_assert_eq!(dots_i8(&rows, &query), expected);
        }
    }

    proptest::proptest! {
        /// The same with lengths that are multiples of 32 (the bundled vectors' 256
        /// included), whose rows go four at a time, and any number of rows (a last
        /// group of fewer than four included).
        #[test]
        fn the_scan_by_four_rows_gives_dot_i8(
            blocks in 1usize..9,
            query in proptest::collection::vec(-127i8..=127, 256),
            rows in 0usize..11,
            bytes in proptest::collection::vec(proptest::num::i8::ANY, 2560),
        ) {
            let d = 32 * blocks;
            let query = &query[..d];
            let mut rows: Vec<i8> = bytes[..rows * d].to_vec();
            rows.extend([i8::MIN, i8::MAX].repeat(d));
            let expected: Vec<i32> = rows.chunks_exact(d).map(|r| dot_i8(r, query)).collect();
            proptest::prop_assert_eq!(dots_i8(&rows, query), expected);
        }
    }
}
