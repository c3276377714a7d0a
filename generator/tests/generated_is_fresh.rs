//! `generated/` must be what the generator makes of `specs/` today.

mod common;

use generator::{Config, Layout, generate};

#[test]
fn generated_crate_matches_specs() {
    let root = common::workspace_root();
    let output = generate(&Config {
        specs_dir: root.join("specs"),
        layout: Layout::Workspace,
    })
    .unwrap_or_else(|d| panic!("{d}"));
    let vendors = std::fs::read_dir(root.join("specs"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert!(vendors > 0, "specs/ has no vendor folder to compare");
    assert_eq!(
        output.modules.len(),
        vendors,
        "one generated module per vendor folder in specs/: {:?}",
        output.modules
    );
    let mut stale = Vec::new();
    for (path, want) in &output.files {
        let have = std::fs::read_to_string(root.join("generated").join(path)).unwrap_or_default();
        if &have != want {
            stale.push(path.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "generated/ is stale in {stale:?}: run `cargo xtask codegen`"
    );
}

#[test]
fn output_is_deterministic() {
    let root = common::workspace_root();
    let config = Config {
        specs_dir: root.join("specs"),
        layout: Layout::Workspace,
    };
    let first = generate(&config).unwrap().files;
    let second = generate(&config).unwrap().files;
    assert_eq!(first, second);
    assert!(
        !first.is_empty(),
        "specs/ generated no files, so their headers and endings went unchecked"
    );
    for (path, text) in &first {
        // Rust files start with a comment; JSON Lines data with a JSON string;
        // the Markdown surface file with an HTML comment.
        assert!(
            text.starts_with("// @generated")
                || text.starts_with("\"@generated")
                || text.starts_with("<!-- @generated"),
            "{path} has no @generated header"
        );
        assert!(
            text.ends_with('\n') && !text.ends_with("\n\n"),
            "{path} must end with one newline"
        );
        assert!(!text.contains('\r'), "{path} has a CR");
    }
}

/// Standalone crates copy the runtime from `RUNTIME_FILES`: it must list every file
/// of `generated/src/runtime/`.
#[test]
fn runtime_files_list_the_whole_runtime_folder() {
    let dir = common::workspace_root().join("generated/src/runtime");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = generator::RUNTIME_FILES
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    listed.sort();
    assert_eq!(listed, on_disk);
}
