//! The whole generator on structured documents built from the input bytes
//! (`tests/spec_builder`: hostile names and text, `$ref` cycles, nested
//! compositions, huge numbers, odd paths): no panic, hang or runaway memory,
//! and output that parses, holds no character rustc denies and no doc code
//! block rustdoc would compile. `tests/random_specs.rs` runs the same
//! builder on stable over seeded documents.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/spec_builder/mod.rs"]
mod spec_builder;

/// A scratch folder of this process.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("generator-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let doc = spec_builder::document(data);
    let yaml = data.first().is_some_and(|b| b % 3 == 0);
    spec_builder::generate_and_check(scratch(), &doc, yaml);
});
