//! Snapshot tests: one per vendor in `specs/`, one per construct fixture.
//! Review changes with `cargo insta review`.

mod common;

use generator::{Config, Layout, generate};

#[test]
fn vendor_specs() {
    let specs = common::workspace_root().join("specs");
    let mut vendors: Vec<_> = std::fs::read_dir(&specs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    vendors.sort();
    assert!(!vendors.is_empty(), "specs/ has no vendor folder");
    for vendor in vendors {
        let name = vendor.file_name().unwrap().to_str().unwrap().to_string();
        // One vendor at a time, so each snapshot shows one vendor.
        let scratch = common::scratch(&format!("vendor-{name}"));
        common::stage(&scratch, &name, &vendor);
        let output = generate(&Config {
            specs_dir: scratch,
            layout: Layout::Workspace,
        })
        .unwrap_or_else(|d| panic!("specs/{name} does not generate:\n{d}"));
        insta::assert_snapshot!(format!("vendor-{name}"), common::render(&output));
    }
}

#[test]
fn construct_fixtures() {
    for (name, path) in common::fixtures() {
        let scratch = common::scratch(&format!("fixture-{name}"));
        let vendor = name.replace('-', "_");
        common::stage(&scratch, &vendor, &path);
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
        insta::assert_snapshot!(name.clone(), text);
    }
}
