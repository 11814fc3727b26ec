//! Helpers shared by the benchmarks: deterministic data and best-of-n timing.
//! Each benchmark uses a subset, hence the module-wide `dead_code` allowance.
#![allow(dead_code)]

pub mod customer_base;
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

/// The CPU model this runs on (Linux), for the results.
pub fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// A pronounceable pseudo-random word of `len` letters for `seed`: distinct seeds give
/// unrelated words, as distinct people's and companies' names are.
pub fn word(seed: u64, len: usize) -> String {
    const C: &[u8] = b"bcdfghklmnprstvz";
    const V: &[u8] = b"aeiou";
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    let mut w = String::with_capacity(len);
    for k in 0..len {
        x ^= x >> 29;
        x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        let set = if k % 2 == 0 { C } else { V };
        let c = set[(x >> 33) as usize % set.len()] as char;
        w.push(if k == 0 { c.to_ascii_uppercase() } else { c });
    }
    w
}

/// A text file of a header and `rows` lines made by `line(i)`, produced as it is read, so
/// that no file of that size is written.
pub struct Lines<F> {
    line: F,
    rows: u64,
    next: u64,
    buf: Vec<u8>,
    pos: usize,
}

impl<F: FnMut(u64) -> String> Lines<F> {
    /// The file: `header` (with its line break), then `line(0)` … `line(rows - 1)`.
    pub fn new(header: &str, rows: u64, line: F) -> Self {
        Lines {
            line,
            rows,
            next: 0,
            buf: header.as_bytes().to_vec(),
            pos: 0,
        }
    }
}

impl<F: FnMut(u64) -> String> std::io::Read for Lines<F> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.buf.len() {
            if self.next == self.rows {
                return Ok(0);
            }
            let line = (self.line)(self.next);
            self.next += 1;
            self.buf.clear();
            self.pos = 0;
            self.buf.extend_from_slice(line.as_bytes());
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
