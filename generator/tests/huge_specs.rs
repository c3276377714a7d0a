//! Documents too big or too deep for a fixture file, built in memory: a
//! `oneOf` of 18 variants that each `allOf` their parent, an enum of 50,000
//! values, 10,000 operations, 3,000 names that differ only in case or
//! punctuation, schemas 1,000 deep (nested in place, and as a chain of
//! `$ref`s). Each must finish (no timing is asserted: the generator's work is
//! meant to stay near-linear, and a blow-up shows as a test that never ends),
//! give sound output (`spec_builder::assert_sound`: every file parses, no
//! character rustc denies, no doc code block rustdoc would compile) or fail
//! with an error, and say what it did in its diagnostics.

// Helpers of tests: a panic is the test failure message.
#![allow(clippy::unwrap_used)]

mod common;
mod spec_builder;

use std::time::Instant;

use serde_json::{Map, Value, json};

/// Generates `doc` as a standalone crate; the output's text and warnings, or
/// the errors.
fn generate(name: &str, doc: &Value) -> Result<(generator::Output, String), String> {
    generate_text(name, &serde_json::to_string(doc).unwrap())
}

/// [`generate`] from the document's JSON text.
fn generate_text(name: &str, text: &str) -> Result<(generator::Output, String), String> {
    let dir = common::scratch(&format!("huge-{name}"));
    let vendor = dir.join(name);
    std::fs::create_dir_all(&vendor).unwrap();
    std::fs::write(vendor.join("openapi.json"), text).unwrap();
    let start = Instant::now();
    let result = generator::generate(&generator::Config {
        specs_dir: dir,
        layout: generator::Layout::Standalone {
            crate_name: name.into(),
        },
    });
    eprintln!("{name}: generated in {:.1?}", start.elapsed());
    match result {
        Ok(output) => {
            spec_builder::assert_sound(&output);
            let warnings = output.warnings.to_string();
            Ok((output, warnings))
        }
        Err(diags) => {
            assert!(diags.has_errors(), "failed without an error: {diags}");
            Err(diags.to_string())
        }
    }
}

fn document(paths: Value, schemas: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "huge", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

/// The vendor's generated file `file` (`types.rs`, `client.rs`), all chunks.
fn vendor_text(output: &generator::Output, vendor: &str, file: &str) -> String {
    let stem = file.trim_end_matches(".rs");
    output
        .files
        .iter()
        .filter(|(path, _)| {
            let prefix = format!("src/{vendor}/");
            path.strip_prefix(&prefix)
                .is_some_and(|rest| rest == file || rest.starts_with(&format!("{stem}/")))
        })
        .map(|(_, text)| text.as_str())
        .collect()
}

#[test]
fn one_of_eighteen_variants_that_each_all_of_the_parent() {
    let mut schemas = Map::new();
    let mut variants = Vec::new();
    for i in 0..18 {
        let name = format!("Variant{i}");
        schemas.insert(
            name.clone(),
            json!({"allOf": [
                {"$ref": "#/components/schemas/Parent"},
                {"type": "object", "properties": {format!("v{i}"): {"type": "integer"}}},
            ]}),
        );
        variants.push(json!({"$ref": format!("#/components/schemas/{name}")}));
    }
    schemas.insert(
        "Parent".into(),
        json!({
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"type": "string"}},
            "oneOf": variants,
            "discriminator": {"propertyName": "kind"},
        }),
    );
    let paths = json!({"/parents": {"get": {"operationId": "list", "responses": {"200": {
        "description": "ok",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Parent"}}},
    }}}}});
    let (output, _) = generate(
        "one_of_all_of_parent",
        &document(paths, Value::Object(schemas)),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let types = vendor_text(&output, "one_of_all_of_parent", "types.rs");
    for i in 0..18 {
        assert!(
            types.contains(&format!("pub struct Variant{i} ")),
            "Variant{i} is a type of its own"
        );
    }
}

#[test]
fn enum_of_fifty_thousand_values() {
    let values: Vec<Value> = (0..50_000)
        .map(|i| Value::String(format!("value-{i}")))
        .collect();
    let schemas = json!({
        "Big": {"type": "string", "enum": values},
        "BigNumbers": {"type": "integer", "enum": (0..50_000).collect::<Vec<i64>>()},
    });
    let (output, _) =
        generate("big_enum", &document(json!({}), schemas)).unwrap_or_else(|e| panic!("{e}"));
    let types = vendor_text(&output, "big_enum", "types.rs");
    assert!(types.contains("Value49999,"), "the last string variant");
    assert!(types.contains("V49999,"), "the last integer variant");
}

#[test]
fn ten_thousand_operations() {
    let mut paths = Map::new();
    for i in 0..10_000 {
        paths.insert(format!("/items{}/{{id}}", i / 4), json!({}));
    }
    for i in 0..10_000 {
        let method = ["get", "put", "post", "delete"][i % 4];
        paths[&format!("/items{}/{{id}}", i / 4)][method] = json!({
            "operationId": format!("operation{i}"),
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
            ],
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
                "404": {"description": "missing", "content": {"application/json": {"schema": {"type": "object", "properties": {"message": {"type": "string"}}}}}},
            },
        });
    }
    let schemas = json!({"Item": {"type": "object", "properties": {"id": {"type": "string"}}}});
    let (output, _) = generate("many_operations", &document(Value::Object(paths), schemas))
        .unwrap_or_else(|e| panic!("{e}"));
    let client = vendor_text(&output, "many_operations", "client.rs");
    assert_eq!(client.matches("pub fn operation").count(), 10_000);
}

/// 3,000 distinct names that all read `foo bar baz` once case and
/// punctuation are set aside.
fn alike_names() -> Vec<String> {
    let words = ["foo", "bar", "baz"];
    let cases: [fn(&str) -> String; 3] = [
        |w| w.to_string(),
        |w| w.to_uppercase(),
        |w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        },
    ];
    let seps = [
        "-", "_", ".", " ", "/", "--", "__", "+", ":", "~", "", " - ", "*",
    ];
    let mut out = Vec::new();
    'all: for lead in ["", "_", "-", " ", "$", "@", "."] {
        for c0 in cases {
            for c1 in cases {
                for c2 in cases {
                    for s0 in seps {
                        for s1 in seps {
                            let name = format!(
                                "{lead}{}{s0}{}{s1}{}",
                                c0(words[0]),
                                c1(words[1]),
                                c2(words[2])
                            );
                            if !out.contains(&name) {
                                out.push(name);
                            }
                            if out.len() == 3_000 {
                                break 'all;
                            }
                        }
                    }
                }
            }
        }
    }
    assert_eq!(out.len(), 3_000);
    out
}

#[test]
fn three_thousand_names_that_differ_only_in_case_or_punctuation() {
    let names = alike_names();
    let mut schemas = Map::new();
    let mut properties = Map::new();
    let mut params = Vec::new();
    for (i, name) in names.iter().enumerate() {
        schemas.insert(
            name.clone(),
            json!({"type": "object", "properties": {format!("p{i}"): {"type": "string"}}}),
        );
        properties.insert(name.clone(), json!({"type": "string"}));
        params.push(json!({"name": name, "in": "query", "schema": {"type": "string"}}));
    }
    schemas.insert(
        "Holder".into(),
        json!({"type": "object", "properties": properties}),
    );
    schemas.insert("Values".into(), json!({"type": "string", "enum": names}));
    let mut paths = Map::new();
    for (i, name) in names.iter().enumerate().take(300) {
        paths.insert(
            format!("/things/{i}"),
            json!({"get": {"operationId": name, "responses": {"204": {"description": "done"}}}}),
        );
    }
    paths.insert(
        "/search".into(),
        json!({"get": {"operationId": "search", "parameters": params, "responses": {"204": {"description": "done"}}}}),
    );
    let (output, warnings) = generate(
        "alike_names",
        &document(Value::Object(paths), Value::Object(schemas)),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // Each name but the first to take a Rust name is reported as a collision.
    let distinct = |rust: fn(&str) -> String, names: &[String]| {
        names
            .iter()
            .map(|n| rust(n))
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    let types = distinct(generator::naming::type_name, &names);
    let fields = distinct(generator::naming::snake_name, &names);
    let methods = distinct(generator::naming::snake_name, &names[..300]);
    assert!(types < 100 && fields < 100, "the names are alike");
    for (what, count) in [
        ("schema `", names.len() - types),
        ("property `", names.len() - fields),
        ("parameter `", names.len() - fields),
        ("method name `", 300 - methods),
    ] {
        let reported = warnings
            .lines()
            .filter(|l| l.starts_with(&format!("warning: {what}")))
            .filter(|l| l.contains("same Rust name") || l.contains("is taken"))
            .count();
        assert_eq!(reported, count, "{what}… collisions reported");
    }
    let text = vendor_text(&output, "alike_names", "types.rs");
    // A struct per schema, the holder and the operation's parameters.
    assert_eq!(text.matches("pub struct ").count(), names.len() + 2);
}

#[test]
fn schemas_a_thousand_deep() {
    // Nested in place: past what the JSON reader follows, a diagnostic.
    // Written as text: a `Value` this deep takes the test's stack to print.
    let level = r#"{"type": "object", "properties": {"next": "#;
    let text = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "deep", "version": "1"}}, "paths": {{}}, "components": {{"schemas": {{"Deep": {}{{"type": "string"}}{}}}}}}}"#,
        level.repeat(1_000),
        "}}".repeat(1_000)
    );
    match generate_text("deep_in_place", &text) {
        Err(errors) => assert!(errors.contains("recursion limit"), "{errors}"),
        Ok((_, warnings)) => panic!("1,000 levels in place generated: {warnings}"),
    }

    // A chain of 1,000 `$ref`s, each schema one level: all of it generates.
    let mut schemas = Map::new();
    for i in 0..1_000 {
        let next = if i + 1 < 1_000 {
            json!({"$ref": format!("#/components/schemas/Level{}", i + 1)})
        } else {
            json!({"type": "string"})
        };
        schemas.insert(
            format!("Level{i}"),
            json!({"type": "object", "properties": {"next": next, "items": {"type": "array", "items": {"allOf": [next]}}}}),
        );
    }
    let paths = json!({"/deep": {"get": {"operationId": "deep", "responses": {"200": {
        "description": "ok",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Level0"}}},
    }}}}});
    let (output, _) = generate("deep_refs", &document(paths, Value::Object(schemas)))
        .unwrap_or_else(|e| panic!("{e}"));
    let types = vendor_text(&output, "deep_refs", "types.rs");
    assert!(types.contains("pub struct Level999 "));
}

/// A finding of the structured fuzzer (a timeout: about 45 s of CPU in a
/// release build): `Ok` holds, a few objects deep in place, an `allOf` of
/// several `$ref`s to `Ok` itself; merging those parts lowers `Ok`'s inline
/// schemas again for each part, at every level, which grows exponentially.
/// The document is the builder's reading of these 208 bytes
/// (`spec_builder::document`). Parts written twice are merged once, so it
/// ends at once.
#[test]
fn all_of_of_self_references_in_place() {
    let bytes: &[u8] = &[
        0x5d, 0x13, 0x13, 0x93, 0x13, 0x13, 0x13, 0x13, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x8d, 0x8d,
        0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0xff, 0xf6, 0xff, 0x08, 0x01, 0x02, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0x20, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x8d, 0x8d,
        0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d,
        0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x8d, 0x8d,
        0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x13, 0x9e, 0xb9, 0xb9, 0xb9, 0xb9, 0x2b,
        0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x83, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d,
        0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x8d, 0x63, 0x72, 0x61,
        0x74, 0x65, 0x13, 0x9e, 0xb9, 0xb9, 0xb9, 0xb9, 0xb9, 0xe2, 0x74, 0x74, 0x74, 0x74, 0x74,
        0xb9, 0xb9, 0xb9, 0xb9, 0xb9, 0xb9, 0xb9, 0xb9, 0xb9, 0xb9, 0xb9, 0xb9, 0xb9, 0xb9, 0xb9,
        0xb9, 0x74, 0x74, 0x74, 0x74, 0x3b, 0xb9, 0xb9, 0xb9, 0xb9, 0xb9, 0xb9, 0xb9,
    ];
    let doc = spec_builder::document(bytes);
    let (output, _) = generate("all_of_self_references", &doc).unwrap();
    // The parts written five times are `Ok` itself, held where they stand.
    let types = vendor_text(&output, "all_of_self_references", "types.rs");
    assert!(types.contains("pub struct Ok "), "{types}");
}
