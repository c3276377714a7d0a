//! Every construct fixture that generates must also compile: all of them go into
//! one standalone crate, built with warnings denied and tested with `cargo test`
//! (the runtime's own tests and every fixture example's round trip). The
//! README's examples of the fixtures' clients (`tests/examples/`) are that
//! crate's examples, which `cargo test` compiles, and `tests/fixture_tests/`
//! its integration tests (the streaming forms against a loopback server).

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
    let crate_dir = common::write_crate(&scratch, &output);
    add_examples_and_tests(&crate_dir);
    let result = common::cargo_test(&crate_dir, &["--all-features"]);
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

/// Puts `tests/examples/*.rs` in the crate's `examples/` and
/// `tests/fixture_tests/*.rs` in its `tests/`, with what they use (an async
/// runtime, a loopback socket) as dev-dependencies.
fn add_examples_and_tests(crate_dir: &std::path::Path) {
    for (from, to) in [("examples", "examples"), ("fixture_tests", "tests")] {
        let source = common::workspace_root().join("generator/tests").join(from);
        let target = crate_dir.join(to);
        std::fs::create_dir_all(&target).expect("examples or tests folder");
        let mut copied = 0;
        for entry in std::fs::read_dir(&source).expect("generator/tests/examples or fixture_tests")
        {
            let path = entry.expect("a file").path();
            if path.extension().is_some_and(|e| e == "rs") {
                let name = path.file_name().expect("a file name");
                std::fs::copy(&path, target.join(name)).expect("file copied");
                copied += 1;
            }
        }
        assert!(copied > 0, "{} holds no file", source.display());
    }
    let manifest = crate_dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).expect("the crate's manifest");
    text.push_str(
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"io-util\", \"fs\", \"net\"] }\n",
    );
    std::fs::write(manifest, text).expect("the crate's manifest");
}

/// Each tag feature of `tag-features` alone compiles without warnings and runs
/// only the example tests of the types its operations reach.
#[test]
fn each_tag_feature_compiles_alone() {
    let scratch = common::scratch("tag-features-compile");
    let fixture = common::workspace_root().join("generator/tests/fixtures/tag-features");
    let output = generate(&Config {
        specs_dir: fixture,
        layout: Layout::Standalone {
            crate_name: "tag-features".into(),
        },
    })
    .unwrap_or_else(|d| panic!("{d}"));
    let crate_dir = common::write_crate(&scratch, &output);
    let tags = &output.tag_features["tag_features"];
    assert_eq!(
        tags,
        &[
            "tag_features-pet-owners",
            "tag_features-pets",
            "tag_features-untagged"
        ]
    );
    // Example tests compiled with a feature (the runtime's own tests aside).
    let examples_with = |feature: &str| -> usize {
        let result = Command::new(env!("CARGO"))
            .args([
                "test",
                "--quiet",
                "--no-default-features",
                "--features",
                feature,
            ])
            .arg("--manifest-path")
            .arg(crate_dir.join("Cargo.toml"))
            .args(["--", "--list"])
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
            "with only `{feature}` the crate does not compile cleanly:\n{}",
            String::from_utf8_lossy(&result.stderr)
        );
        String::from_utf8_lossy(&result.stdout)
            .lines()
            .filter(|l| l.starts_with("tag_features::examples::"))
            .count()
    };
    // `Pet`'s example goes with both tags that reach `Pet`; `Unused`'s only
    // with the vendor's feature; `health` reaches no type with an example.
    assert_eq!(examples_with("tag_features-pets"), 1);
    assert_eq!(examples_with("tag_features-pet-owners"), 1);
    assert_eq!(examples_with("tag_features-untagged"), 0);
    assert_eq!(examples_with("tag_features"), 2);
}
