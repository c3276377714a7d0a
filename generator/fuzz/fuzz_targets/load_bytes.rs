//! The loader on arbitrary bytes: JSON and YAML parsing, as a vendor file
//! would be read. It may refuse any input with a diagnostic; it may not
//! panic, hang or use unbounded memory (YAML alias bombs, deep nesting).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = generator::load::parse_text("fuzz.yaml", &text);
    let _ = generator::load::parse_text("fuzz.json", &text);
});
