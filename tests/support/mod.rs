//! What the tests that replay the parity scenario share (tests/parity.rs,
//! tests/fuzz_surface.rs): the scenario file, read with `crm_core::surface::scenario`.

use crm_core::surface::scenario::Scenario;

/// tests/parity/scenario.json.
pub const SCENARIO: &str = include_str!("../parity/scenario.json");

/// The scenario, read.
pub fn scenario() -> Scenario {
    Scenario::parse(SCENARIO).expect("tests/parity/scenario.json reads as a scenario")
}
