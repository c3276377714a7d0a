//! The API-change report: one snapshot per change class
//! (`tests/changes/<class>/{old,new}.yaml`, `changes__change_classes@<class>.snap`),
//! and the surface file read back exactly for every vendor and fixture.

// Helpers of tests: a panic is the test failure message.
#![allow(clippy::unwrap_used)]

mod common;

use generator::compare::report::{self, VendorChanges};
use generator::compare::{Surface, compare};

fn surface(path: &std::path::Path) -> Surface {
    let (surfaces, _) = generator::surfaces(path)
        .unwrap_or_else(|d| panic!("{} does not generate:\n{d}", path.display()));
    assert_eq!(surfaces.len(), 1, "{} is one vendor", path.display());
    surfaces.into_values().next().unwrap()
}

#[test]
fn change_classes() {
    let mut classes = 0;
    insta::glob!("changes/*", |dir| {
        classes += 1;
        let changes = compare(
            &surface(&dir.join("old.yaml")),
            &surface(&dir.join("new.yaml")),
        );
        assert!(!changes.is_empty(), "{} shows no change", dir.display());
        let class = dir.file_name().unwrap().to_str().unwrap().to_string();
        // The class the fixture is named after is among the changes.
        let labels: Vec<&str> = changes.iter().map(|c| c.kind.label()).collect();
        let stem = class
            .trim_end_matches("-required")
            .trim_end_matches("-optional")
            .replace("field-nullability-changed", "field-requiredness-changed");
        assert!(
            labels.iter().any(|l| l.starts_with(stem.as_str())),
            "{class}: {labels:?}"
        );
        insta::assert_snapshot!(report::text(&[VendorChanges {
            vendor: class,
            changes,
        }]));
    });
    assert!(classes > 30, "every change class has a fixture");
}

#[test]
fn surface_files_read_back() {
    let specs = common::workspace_root().join("specs");
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(&specs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    paths.extend(
        common::fixtures()
            .into_iter()
            .filter(|(name, _)| !name.starts_with("error-"))
            .map(|(_, p)| p),
    );
    for path in paths {
        let s = surface(&path);
        let text = s.render();
        let back = Surface::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(back, s, "{} reads back", path.display());
        assert!(compare(&s, &back).is_empty());
    }
}

#[test]
fn report_forms_agree() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/change-pairs/every-class");
    let changes = compare(
        &surface(&dir.join("old.yaml")),
        &surface(&dir.join("new.yaml")),
    );
    let vendors = [VendorChanges {
        vendor: "every-class".into(),
        changes,
    }];
    let json = report::json(&vendors);
    let listed = json["vendors"][0]["changes"].as_array().unwrap();
    assert_eq!(listed.len(), vendors[0].changes.len());
    let markdown = report::markdown(&vendors);
    for c in &vendors[0].changes {
        assert!(
            markdown.contains(&format!("`{}`", c.item)),
            "{} in markdown",
            c.item
        );
    }
}
