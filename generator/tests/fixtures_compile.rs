//! Every construct fixture that generates must also compile: all of them go into
//! one standalone crate, built with warnings denied and tested with `cargo test`
//! (the runtime's own tests and every fixture example's round trip).

mod common;

use std::process::Command;

use generator::{Config, Layout, generate};

#[test]
fn construct_fixtures_compile_without_warnings() {
    let scratch = common::scratch("fixtures-compile");
    let specs = scratch.join("specs");
    let mut staged = 0;
    for (name, path) in common::fixtures() {
        if !name.starts_with("error-") {
            common::stage(&specs, &name.replace('-', "_"), &path);
            staged += 1;
        }
    }
    assert!(
        staged > 0,
        "no construct fixture (other than error-*) in generator/tests/fixtures to compile"
    );
    let output = generate(&Config {
        specs_dir: specs,
        layout: Layout::Standalone {
            crate_name: "fixtures".into(),
        },
    })
    .unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        output.modules.len(),
        staged,
        "one module per staged fixture: {:?}",
        output.modules
    );
    let crate_dir = scratch.join("crate");
    for (path, text) in &output.files {
        let file = crate_dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let result = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--all-features", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .env(
            "CARGO_TARGET_DIR",
            common::workspace_root()
                .join("target")
                .join("generated-crates"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "the fixtures crate does not compile cleanly or its tests fail:\n{}\n{}",
        String::from_utf8_lossy(&result.stderr),
        String::from_utf8_lossy(&result.stdout)
    );
    // `cargo test` succeeds with no test at all: the runtime's own tests and the
    // fixtures' example round trips must have run.
    let stdout = String::from_utf8_lossy(&result.stdout);
    let passed: usize = stdout
        .lines()
        .filter_map(|line| line.trim().strip_prefix("test result: ok. "))
        .filter_map(|rest| rest.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert!(
        passed > 0,
        "the fixtures crate ran no tests (the runtime's and the fixtures' examples were expected):\n{stdout}"
    );
}
