//! The logistic function, computed the same way on every platform and fast in bulk.
//!
//! `f64::exp` calls the platform's libm, whose last bit differs between glibc, Apple's
//! libm and Android's bionic — and "one model file gives identical scores everywhere" is a
//! promise of this crate. So `exp` is computed here with plain IEEE-754 operations
//! (range reduction by ln 2, a degree-13 Taylor polynomial, scaling by 2^k through the
//! exponent bits): the same inputs give the same bits on every platform, within 2 ulp of
//! the true value, and the loop over a block of logits has no branches or calls, so the
//! compiler vectorises it.

/// `e^x` for `x ≤ 0` (larger inputs are treated as 0); within 2 ulp of the exact value,
/// 0 below −708.
#[inline]
pub fn exp_nonpositive(x: f64) -> f64 {
    const LOG2E: f64 = std::f64::consts::LOG2_E;
    // ln 2 split in two so that k·LN2_HI is exact for |k| < 2^11.
    const LN2_HI: f64 = 0.693_147_180_369_123_8;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    // Adding then subtracting 1.5·2^52 rounds to the nearest integer, branch-free.
    const ROUND: f64 = 6_755_399_441_055_744.0;
    let x = x.clamp(-708.0, 0.0);
    let shifted = x * LOG2E + ROUND;
    let kf = shifted - ROUND;
    let r = (x - kf * LN2_HI) - kf * LN2_LO; // |r| ≤ ln2 / 2
    // Taylor series of e^r to degree 13: the truncation error is below 2^-60 for |r| ≤ 0.35.
    let mut p = 1.0 / 6_227_020_800.0;
    p = p * r + 1.0 / 479_001_600.0;
    p = p * r + 1.0 / 39_916_800.0;
    p = p * r + 1.0 / 3_628_800.0;
    p = p * r + 1.0 / 362_880.0;
    p = p * r + 1.0 / 40_320.0;
    p = p * r + 1.0 / 5_040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    // 2^k for k in [-1022, 0]: k + 1023 is the biased exponent. `shifted` and ROUND share
    // their exponent, so the difference of their bit patterns is k itself — integer
    // operations every vector unit has (SSE2 cannot convert packed doubles to i64).
    let k = shifted.to_bits().wrapping_sub(ROUND.to_bits());
    let scale = f64::from_bits(k.wrapping_add(1023) << 52);
    p * scale
}

/// `1 / (1 + e^{-z})`, computed through [`exp_nonpositive`] of `−|z|`, so it never
/// overflows and gives the same bits on every platform.
#[inline]
pub fn sigmoid(z: f64) -> f64 {
    let t = exp_nonpositive(-z.abs());
    let s = 1.0 / (1.0 + t);
    if z >= 0.0 { s } else { t * s }
}

/// Replaces every value of `values` by its [`sigmoid`].
pub fn sigmoid_in_place(values: &mut [f64]) {
    for v in values {
        *v = sigmoid(*v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    #[test]
    fn edges() {
        assert_eq!(exp_nonpositive(0.0), 1.0);
        assert_eq!(exp_nonpositive(-1000.0), exp_nonpositive(-708.0));
        assert!(exp_nonpositive(-708.0) > 0.0);
        assert_eq!(sigmoid(0.0), 0.5);
        assert_eq!(sigmoid(800.0), 1.0);
        assert!(sigmoid(-800.0) >= 0.0 && sigmoid(-800.0) < 1e-300);
    }

    proptest! {
        #[test]
        fn exp_is_within_two_ulp(x in -708.0f64..0.0) {
            prop_assert!(ulps(exp_nonpositive(x), x.exp()) <= 2, "{x}: {} vs {}", exp_nonpositive(x), x.exp());
        }

        #[test]
        fn sigmoid_matches_the_textbook_formula(z in -700.0f64..700.0) {
            let reference = 1.0 / (1.0 + (-z).exp());
            prop_assert!((sigmoid(z) - reference).abs() <= 1e-15 * reference.max(1e-300) + 1e-300);
        }
    }
}
