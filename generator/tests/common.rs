//! Shared helpers for the generator's integration tests.

#![allow(dead_code)]
// Helpers of tests: a panic is the test failure message.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A fresh scratch folder under the workspace's target folder.
pub fn scratch(name: &str) -> PathBuf {
    let dir = workspace_root()
        .join("target")
        .join("test-scratch")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every construct fixture: (name, path), a file or a folder of files.
pub fn fixtures() -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_stem().unwrap().to_str().unwrap().to_string(), p))
        .collect();
    out.sort();
    out
}

/// Copies a fixture into `specs/<vendor>/` so it reads like a vendor folder.
pub fn stage(specs: &Path, vendor: &str, fixture: &Path) {
    let target = specs.join(vendor);
    std::fs::create_dir_all(&target).unwrap();
    if fixture.is_dir() {
        copy_tree(fixture, &target);
    } else {
        std::fs::copy(fixture, target.join(fixture.file_name().unwrap())).unwrap();
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &dest);
        } else {
            std::fs::copy(&p, dest).unwrap();
        }
    }
}

/// Generated files and warnings as one reviewable text.
pub fn render(output: &generator::Output) -> String {
    let mut text = String::new();
    if !output.warnings.is_empty() {
        text.push_str("=== diagnostics ===\n");
        text.push_str(&output.warnings.to_string());
        text.push_str("\n\n");
    }
    for (path, body) in &output.files {
        text.push_str(&format!("=== {path} ===\n{body}\n"));
    }
    text
}

/// Writes the generated crate under `scratch/crate`.
pub fn write_crate(scratch: &std::path::Path, output: &generator::Output) -> std::path::PathBuf {
    let crate_dir = scratch.join("crate");
    for (path, text) in &output.files {
        let file = crate_dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    crate_dir
}

/// `cargo test` of a generated crate with warnings denied, in the target folder
/// generated crates share.
pub fn cargo_test(crate_dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .args(args)
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target").join("generated-crates"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap()
}
