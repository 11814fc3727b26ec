//! `uniffi-bindgen`: generates Kotlin, Swift and Python from a built uniffi library.
fn main() {
    uniffi::uniffi_bindgen_main()
}
