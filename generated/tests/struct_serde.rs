//! Generated structs decode through `runtime::read_object` and encode through
//! `runtime::write_object` instead of serde's derives. Here a generated struct
//! (Petstore's `Pet`) and the struct serde's derives make of the same fields
//! decode the same documents: equal values where both succeed, and where both
//! fail the same message and the same `serde_path_to_error` path; and they
//! encode to the same text. The one deliberate difference, a key given twice,
//! is tested on its own.

#![cfg(feature = "petstore")]
// Test helpers: a panic is the test failure message.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use vendor_clients::petstore::{Category, Pet, PetStatus};

/// What serde's derive makes of `Pet`'s fields, attributes as the generator
/// wrote them before structs read through `runtime::read_object`.
mod derived {
    use super::*;

    #[derive(Debug, Deserialize, Serialize)]
    pub struct Pet {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "vendor_clients::runtime::lenient::option"
        )]
        pub id: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub category: Option<Category>,
        #[serde(deserialize_with = "vendor_clients::runtime::lenient::scalar")]
        pub name: String,
        #[serde(rename = "photoUrls")]
        #[serde(deserialize_with = "vendor_clients::runtime::lenient::list")]
        pub photo_urls: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tags: Option<Vec<Category>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub status: Option<PetStatus>,
        #[serde(flatten)]
        pub additional_properties: BTreeMap<String, Value>,
    }
}

/// The outcome of decoding `json` as `T`: the value, or the path and message.
fn decode<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T, (String, String)> {
    let deserializer = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(deserializer)
        .map_err(|e| (e.path().to_string(), e.inner().to_string()))
}

const DOCUMENTS: &[&str] = &[
    r#"{"name": "Rex", "photoUrls": []}"#,
    r#"{"id": 7, "category": {"id": 1, "name": "dogs"}, "name": "Rex", "photoUrls": ["a", "b"],
        "tags": [{"id": 2, "name": "good"}], "status": "sold"}"#,
    r#"{"name": "Rex", "photoUrls": [], "status": "lost at sea", "colour": "brown", "legs": 4}"#,
    r#"{"name": "Rex", "photoUrls": [], "id": null, "category": null, "tags": null}"#,
    r#"{"photoUrls": []}"#,
    r#"{"name": "Rex"}"#,
    r#"{"name": null, "photoUrls": []}"#,
    r#"{"name": 5, "photoUrls": []}"#,
    r#"{"name": "Rex", "photoUrls": [1]}"#,
    r#"{"name": 12, "photoUrls": "one", "id": "42"}"#,
    r#"{"name": "Rex", "photoUrls": [{}]}"#,
    r#"{"name": "Rex", "photoUrls": [], "id": "forty"}"#,
    r#"{"name": "Rex", "photoUrls": [], "category": {"id": "one"}}"#,
    r#"{"name": "Rex", "photoUrls": [], "tags": [{"id": 1}, {"id": true}]}"#,
    r#"{"name": "Rex", "photoUrls": [], "id": 1.5}"#,
    r#"{"name": "Rex", "photoUrls": [], "status": 3}"#,
    r#"{"name": "Rex", "photoUrls": ["a"], "#,
    r#"{"name": "Rex" "photoUrls": []}"#,
    r#"["Rex", []]"#,
    r#""Rex""#,
    "null",
    "{}",
];

#[test]
fn generated_structs_decode_as_serde_derive_does() {
    for json in DOCUMENTS {
        let ours = decode::<Pet>(json);
        let derived = decode::<derived::Pet>(json);
        match (ours, derived) {
            (Ok(ours), Ok(derived)) => {
                assert_eq!(ours.id, derived.id, "{json}");
                assert_eq!(ours.category, derived.category, "{json}");
                assert_eq!(ours.name, derived.name, "{json}");
                assert_eq!(ours.photo_urls, derived.photo_urls, "{json}");
                assert_eq!(ours.tags, derived.tags, "{json}");
                assert_eq!(ours.status, derived.status, "{json}");
                assert_eq!(
                    ours.additional_properties, derived.additional_properties,
                    "{json}"
                );
                assert_eq!(
                    serde_json::to_string(&ours).unwrap(),
                    serde_json::to_string(&derived).unwrap(),
                    "{json}"
                );
            }
            (Err(ours), Err(derived)) => assert_eq!(ours, derived, "{json}"),
            (ours, derived) => panic!(
                "{json}: generated {:?}, derived {:?}",
                ours.map(|_| ()),
                derived.map(|_| ())
            ),
        }
    }
}

#[test]
fn a_key_given_twice_keeps_its_last_value() {
    let pet: Pet =
        serde_json::from_str(r#"{"name": "Rex", "name": "Max", "photoUrls": [], "x": 1, "x": 2}"#)
            .unwrap();
    assert_eq!(pet.name, "Max");
    assert_eq!(pet.additional_properties["x"], 2);
}

#[test]
fn structs_decode_from_any_self_describing_format() {
    // A `serde_json::Value` is a deserializer of its own: decoding through it
    // takes the same path as decoding text.
    let value = serde_json::json!({"name": "Rex", "photoUrls": ["p"], "status": "sold", "x": [1]});
    let pet: Pet = serde_json::from_value(value).unwrap();
    assert_eq!(pet.status, Some(PetStatus::Sold));
    assert_eq!(pet.additional_properties["x"], serde_json::json!([1]));
    let err = serde_json::from_value::<Pet>(serde_json::json!({"name": "Rex"})).unwrap_err();
    assert_eq!(err.to_string(), "missing field `photoUrls`");
}

#[test]
fn unset_fields_are_left_out_and_kept_properties_follow_the_fields() {
    let mut pet = Pet::new("Rex", vec!["p".to_string()]).status(PetStatus::Sold);
    pet.additional_properties
        .insert("colour".to_string(), Value::from("brown"));
    assert_eq!(
        serde_json::to_string(&pet).unwrap(),
        r#"{"name":"Rex","photoUrls":["p"],"status":"sold","colour":"brown"}"#
    );
}
