//! Snapshot tests: one per vendor in `specs/`, one per construct fixture
//! (`snapshots__vendor_specs@<vendor>.snap`,
//! `snapshots__construct_fixtures@<fixture>.snap`). Each test checks every
//! snapshot and then reports all mismatches, not only the first. Review
//! changes with `cargo insta review`.

mod common;

use std::path::Path;

use generator::{Config, Layout, generate};

#[test]
fn vendor_specs() {
    let mut vendors = 0;
    let root = common::workspace_root()
        .join("specs")
        .canonicalize()
        .unwrap();
    insta::glob!("../../specs", "*", |path| {
        // The walk also yields `specs/` itself, which is not a vendor.
        if !path.is_dir() || path.canonicalize().unwrap() == root {
            return;
        }
        vendors += 1;
        let name = file_name(path);
        // One vendor at a time, so each snapshot shows one vendor.
        let scratch = common::scratch(&format!("vendor-{name}"));
        common::stage(&scratch, &name, path);
        let output = generate(&Config {
            specs_dir: scratch,
            layout: Layout::Workspace,
        })
        .unwrap_or_else(|d| panic!("specs/{name} does not generate:\n{d}"));
        insta::assert_snapshot!(common::render(&output));
    });
    assert!(vendors > 0, "specs/ has no vendor folder");
}

#[test]
fn construct_fixtures() {
    let mut fixtures = 0;
    insta::glob!("fixtures/*", |path| {
        fixtures += 1;
        let name = file_name(path);
        let name = name.split('.').next().unwrap_or_default();
        let scratch = common::scratch(&format!("fixture-{name}"));
        let vendor = name.replace('-', "_");
        common::stage(&scratch, &vendor, path);
        let result = generate(&Config {
            specs_dir: scratch,
            layout: Layout::Workspace,
        });
        let text = match (name.starts_with("error-"), result) {
            (true, Err(diags)) => diags.to_string(),
            (true, Ok(_)) => panic!("fixture {name} should fail to generate"),
            (false, Ok(output)) => common::render(&output),
            (false, Err(diags)) => panic!("fixture {name} does not generate:\n{diags}"),
        };
        insta::assert_snapshot!(text);
    });
    assert_eq!(
        fixtures,
        common::fixtures().len(),
        "every fixture is checked"
    );
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string()
}
