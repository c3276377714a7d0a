//! The README's code blocks are the examples, which `cargo test` compiles: each
//! block starting `// generated/examples/<name>.rs` must be that file, less its
//! `//!` header; one starting `// generator/tests/examples/<name>.rs` likewise
//! (the construct fixtures' clients, compiled by the generator's
//! `fixtures_compile` test).

// Test helpers: a panic is the test failure message.
#![allow(clippy::unwrap_used)]

#[test]
fn readme_code_blocks_are_the_examples() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let mut checked = 0;
    for block in readme.split("```rust").skip(1) {
        let block = &block[block.find('\n').unwrap() + 1..block.find("```").unwrap()];
        let Some((folder, rest)) = ["generated/examples/", "generator/tests/examples/"]
            .into_iter()
            .find_map(|folder| Some((folder, block.strip_prefix("// ")?.strip_prefix(folder)?)))
        else {
            continue;
        };
        let (file, code) = rest.split_once('\n').unwrap();
        let example = std::fs::read_to_string(format!("{root}/{folder}{file}")).unwrap();
        let body: String = example
            .lines()
            .skip_while(|l| l.starts_with("//!") || l.is_empty())
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(
            code, body,
            "README block for {file} differs from the example"
        );
        checked += 1;
    }
    assert_eq!(
        checked, 7,
        "the README shows the seven examples (telegent_quickstart, katana_patch, resilience, \
         live_credentials, download_stream, upload_stream, server_sent_events)"
    );
}
