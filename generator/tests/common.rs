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
