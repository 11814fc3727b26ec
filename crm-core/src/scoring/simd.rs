//! Which vector instructions the CPU has, asked once. Kernels compiled for AVX2 run the
//! same additions and multiplications in the same order as the portable ones (never fused
//! multiply-adds, which round differently), so a score has the same bits either way.

/// Whether the kernels may use AVX2. Setting `CRM_NO_AVX2` in the environment turns it
/// off (to compare both paths).
#[cfg(target_arch = "x86_64")]
pub(crate) fn has_avx2() -> bool {
    use std::sync::OnceLock;
    static HAS: OnceLock<bool> = OnceLock::new();
    *HAS.get_or_init(|| {
        std::arch::is_x86_feature_detected!("avx2") && std::env::var_os("CRM_NO_AVX2").is_none()
    })
}
