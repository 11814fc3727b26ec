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
#[inline(always)]
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
#[inline(always)]
pub fn sigmoid(z: f64) -> f64 {
    let t = exp_nonpositive(-z.abs());
    let s = 1.0 / (1.0 + t);
    if z >= 0.0 { s } else { t * s }
}

/// `ln(1 + t)` for `t` in `[0, 1]`, within a few ulp, with plain IEEE operations (no
/// branches or calls, so loops over it vectorise): `2·atanh(s)` with `s = t / (2 + t)`,
/// or, above `√2 − 1`, `ln 2 + 2·atanh((t − 1) / (t + 3))`, so that `|s| ≤ 0.172` and an
/// odd series to `s¹⁹` converges below 2⁻⁵⁵.
#[inline(always)]
pub fn ln_1p_unit(t: f64) -> f64 {
    const LN2: f64 = std::f64::consts::LN_2;
    let high = t > std::f64::consts::SQRT_2 - 1.0;
    let s = if high {
        (t - 1.0) / (t + 3.0)
    } else {
        t / (2.0 + t)
    };
    let s2 = s * s;
    let mut p = 1.0 / 19.0;
    p = p * s2 + 1.0 / 17.0;
    p = p * s2 + 1.0 / 15.0;
    p = p * s2 + 1.0 / 13.0;
    p = p * s2 + 1.0 / 11.0;
    p = p * s2 + 1.0 / 9.0;
    p = p * s2 + 1.0 / 7.0;
    p = p * s2 + 1.0 / 5.0;
    p = p * s2 + 1.0 / 3.0;
    let atanh = s + s * s2 * p;
    if high { LN2 + 2.0 * atanh } else { 2.0 * atanh }
}

/// `ln(1 + e^z)` (the logistic loss's softplus), without overflow, through
/// [`exp_nonpositive`] and [`ln_1p_unit`].
#[inline]
pub fn softplus(z: f64) -> f64 {
    z.max(0.0) + ln_1p_unit(exp_nonpositive(-z.abs()))
}

/// Replaces every value of `values` by its [`sigmoid`] (with AVX2 where the CPU has it:
/// the same operations, four at a time, so the same bits).
pub fn sigmoid_in_place(values: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if super::simd::has_avx2() {
        // SAFETY: the CPU supports AVX2, checked at run time just above; the function
        // only computes on its slice.
        #[allow(unsafe_code)]
        unsafe {
            sigmoid_in_place_avx2(values);
        }
        return;
    }
    sigmoid_in_place_portable(values);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn sigmoid_in_place_avx2(values: &mut [f64]) {
    sigmoid_in_place_portable(values);
}

#[inline(always)]
fn sigmoid_in_place_portable(values: &mut [f64]) {
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
        fn ln_1p_is_within_four_ulp(t in 0.0f64..=1.0) {
            prop_assert!(ulps(ln_1p_unit(t), t.ln_1p()) <= 4, "{t}: {} vs {}", ln_1p_unit(t), t.ln_1p());
        }

        #[test]
        fn softplus_matches_libm(z in -700.0f64..700.0) {
            let reference = if z > 0.0 { z + (-z).exp().ln_1p() } else { z.exp().ln_1p() };
            prop_assert!((softplus(z) - reference).abs() <= 4e-16 * reference.max(1e-300) + 1e-300, "{z}");
        }

        #[test]
        fn sigmoid_matches_the_textbook_formula(z in -700.0f64..700.0) {
            let reference = 1.0 / (1.0 + (-z).exp());
            prop_assert!((sigmoid(z) - reference).abs() <= 1e-15 * reference.max(1e-300) + 1e-300);
        }
    }
}
