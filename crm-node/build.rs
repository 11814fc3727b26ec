//! Links the addon the way Node loads it (napi-rs).
fn main() {
    napi_build::setup();
}
