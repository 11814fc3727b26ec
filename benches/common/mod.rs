//! Helpers shared by the benchmarks: deterministic data and best-of-n timing.
//! Each benchmark uses a subset, hence the module-wide `dead_code` allowance.
#![allow(dead_code)]

pub mod dedup_quality;

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Deterministic pseudo-random numbers (splitmix64), so every run measures the same data.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A number in `[0, 1)`.
    pub fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The shortest of `runs` timings of `f`, with the last result.
pub fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let v = black_box(f());
        best = best.min(t.elapsed());
        last = Some(v);
    }
    (best, last.expect("at least one run"))
}

/// The shortest of `runs` timings of `f`.
pub fn best_time<T>(runs: usize, f: impl FnMut() -> T) -> Duration {
    best_of(runs, f).0
}
