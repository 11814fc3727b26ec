//! The default duplicate rules on a generated set with planted true duplicates and
//! near-miss different people (the generator is `benches/common/dedup_quality.rs`; the
//! bench measures 100k records for RESULTS.md). Floors, so that a change to the rules
//! that starts losing people or missing duplicates fails here.

#[path = "../benches/common/mod.rs"]
mod common;

use common::dedup_quality::{Plant, generate, measure};

#[test]
fn default_rules_lose_no_one_and_catch_most_duplicates() {
    let set = generate(20_000, 7);
    assert!(set.iter().any(|g| g.plant == Plant::Namesake));
    let q = measure(&set);
    println!("{q:?}");
    assert!(q.duplicates > 1_500 && q.different > 17_000, "{q:?}");
    // an import leaves out only what is surely a duplicate
    assert!(
        q.sure_precision() >= 0.995,
        "sure precision {:.4}: {q:?}",
        q.sure_precision()
    );
    // and finds nearly every duplicate, for sure or for review
    assert!(q.recall() >= 0.95, "recall {:.4}: {q:?}", q.recall());
    // namesakes with their own e-mail and phone are at most possible duplicates: not one
    // different person is left out
    assert_eq!(q.sure_false, 0, "{q:?}");
}
