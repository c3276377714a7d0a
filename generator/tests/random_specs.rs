//! Stable smoke test of the structured fuzzer (`generator/fuzz`, target
//! `generate_structured`): a few hundred documents built by
//! `spec_builder` from seeded random bytes, each through the whole generator.
//! None may panic, fail without an error, or produce a Rust file that does not
//! parse, holds a character rustc denies, or has a doc code block rustdoc
//! would compile. The fuzzer explores the same space for hours on nightly.

mod common;
mod spec_builder;

/// splitmix64: the same bytes for a seed on every machine.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out.truncate(len);
    out
}

#[test]
fn random_documents_generate_sound_code() {
    let dir = common::scratch("random-specs");
    let mut generated = 0;
    for seed in 0..200u64 {
        let doc = spec_builder::document(&bytes(seed, 4096));
        // A stack overflow aborts without a message: RANDOM_SPECS_TRACE=1 says
        // which seed, and leaves its document in the scratch folder.
        if std::env::var_os("RANDOM_SPECS_TRACE").is_some() {
            eprintln!("seed {seed}");
            let text = serde_json::to_string_pretty(&doc).unwrap();
            std::fs::write(dir.with_file_name(format!("random-spec-{seed}.json")), text).unwrap();
        }
        let outcome = std::panic::catch_unwind(|| {
            spec_builder::generate_and_check(&dir, &doc, seed % 3 == 0)
        });
        if outcome.is_err() {
            panic!(
                "seed {seed}: the document below broke the generator (see the panic above)\n{}",
                serde_json::to_string_pretty(&doc).unwrap()
            );
        }
        generated += 1;
    }
    assert_eq!(generated, 200);
}
