//! The hand-written runtime on its own: path segments, `Nullable`, rule checks.

// Test helpers: a panic is the test failure message.
#![allow(clippy::unwrap_used)]

use serde::{Deserialize, Serialize};
use serde_json::json;
use vendor_clients::runtime::{
    Nullable, Rule, Validate, Violation, Violations, check_bound, check_items, check_length,
    path_segment,
};

#[test]
fn path_segments_are_percent_encoded_whole() {
    let cases: &[(&str, &str)] = &[
        ("abc-123_~.x", "abc-123_~.x"),
        ("a b", "a%20b"),
        ("a/b", "a%2Fb"),
        ("a?b#c", "a%3Fb%23c"),
        ("100%", "100%25"),
        ("ü", "%C3%BC"),
        ("...", "..."),
    ];
    for (value, want) in cases {
        assert_eq!(path_segment("id", value).unwrap(), *want, "{value}");
    }
    assert_eq!(path_segment("id", &-42_i64).unwrap(), "-42");
    assert_eq!(path_segment("id", &true).unwrap(), "true");
}

#[test]
fn dates_and_uuids_travel_as_their_standard_text() {
    use vendor_clients::runtime::{Date, Method, Request, chrono, uuid};
    let id = uuid::Uuid::parse_str("1B4E28BA-2FA1-11D2-883F-0016D3CCA427").unwrap();
    assert_eq!(
        path_segment("id", &id).unwrap(),
        "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    );
    let since: chrono::DateTime<chrono::Utc> = "2024-05-31T12:00:00.250+02:00".parse().unwrap();
    let day = Date::from_ymd(2024, 6, 3).unwrap();
    let mut request = Request::new("get", Method::GET, "/x");
    request.path("/x");
    request.query("since", &Some(since));
    request.query("day", &day);
    assert_eq!(
        request.query,
        vec![
            ("since".to_string(), "2024-05-31T10:00:00.250Z".to_string()),
            ("day".to_string(), "2024-06-03".to_string()),
        ]
    );
}

#[test]
fn path_segments_that_change_the_path_are_refused() {
    for value in ["", ".", ".."] {
        let err = path_segment("id", &value).unwrap_err();
        assert!(err.to_string().contains("id"), "{err}");
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Patch {
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    price: Nullable<f64>,
}

#[test]
fn nullable_has_three_wire_forms() {
    let cases = [
        (Nullable::Absent, json!({})),
        (Nullable::Null, json!({"price": null})),
        (Nullable::Value(0.0), json!({"price": 0.0})),
    ];
    for (price, wire) in cases {
        let value = Patch { price };
        assert_eq!(serde_json::to_value(&value).unwrap(), wire);
        assert_eq!(serde_json::from_value::<Patch>(wire).unwrap(), value);
    }
}

#[test]
fn nullable_accessors() {
    let v: Nullable<String> = Nullable::from("x".to_string());
    assert_eq!(v.as_deref(), Some("x"));
    assert_eq!(v.value().map(String::len), Some(1));
    assert!(Nullable::<u8>::default().is_absent());
    assert!(Nullable::<u8>::Null.is_null());
    assert_eq!(Nullable::<u8>::Null.into_value(), None);
    assert_eq!(format!("{:?}", Nullable::Value(3)), "Value(3)");
}

#[test]
fn length_counts_characters() {
    let mut out = Vec::new();
    check_length("", "code", "ab", Some(3), Some(8), &mut out);
    check_length("", "code", "abc", Some(3), Some(8), &mut out);
    check_length("", "code", "ääääääää", Some(3), Some(8), &mut out);
    check_length("order", "code", "abcdefghi", Some(3), Some(8), &mut out);
    let got: Vec<(String, Rule)> = out.into_iter().map(|v| (v.path, v.rule)).collect();
    assert_eq!(
        got,
        vec![
            ("code".to_string(), Rule::MinLength(3)),
            ("order.code".to_string(), Rule::MaxLength(8)),
        ]
    );
}

#[test]
fn bounds_inclusive_and_exclusive() {
    let broken = |value: f64, rule: Rule| {
        let mut out = Vec::new();
        check_bound("", "x", value, rule, &mut out);
        !out.is_empty()
    };
    assert!(!broken(0.0, Rule::Minimum(0.0)));
    assert!(broken(-0.5, Rule::Minimum(0.0)));
    assert!(broken(0.0, Rule::ExclusiveMinimum(0.0)));
    assert!(!broken(0.1, Rule::ExclusiveMinimum(0.0)));
    assert!(!broken(1.0, Rule::Maximum(1.0)));
    assert!(broken(1.0, Rule::ExclusiveMaximum(1.0)));
    assert!(broken(f64::NAN, Rule::Maximum(1.0)));
    let mut out = Vec::new();
    check_bound("", "n", 7_i32, Rule::Maximum(5.0), &mut out);
    assert_eq!(out[0].value, "7");
}

#[test]
fn item_counts() {
    let mut out = Vec::new();
    check_items("", "lines", 0, Some(1), Some(2), &mut out);
    check_items("", "lines", 2, Some(1), Some(2), &mut out);
    check_items("", "lines", 3, Some(1), Some(2), &mut out);
    let rules: Vec<Rule> = out.into_iter().map(|v| v.rule).collect();
    assert_eq!(rules, vec![Rule::MinItems(1), Rule::MaxItems(2)]);
}

struct Sku(&'static str);

impl Validate for Sku {
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        check_length(path, "sku", self.0, None, Some(3), out);
    }
}

#[test]
fn nested_paths_name_the_item() {
    let lines = vec![Sku("ok"), Sku("too long"), Sku("abcd")];
    let Err(Violations(found)) = lines.validate() else {
        panic!("two items break the rule");
    };
    let paths: Vec<&str> = found.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["[1].sku", "[2].sku"]);
    let text = Violations(found).to_string();
    assert!(
        text.contains("`[1].sku` = \"too long\" (8 characters) breaks maxLength 3"),
        "{text}"
    );
    assert!(Some(Sku("ok")).validate().is_ok());
    assert!(Nullable::<Sku>::Null.validate().is_ok());
}

#[test]
fn form_bodies_are_name_value_pairs() {
    use vendor_clients::runtime::{EncodeError, Method, Request};
    let mut request = Request::new("post_form", Method::POST, "/forms");
    request.path("/forms");
    request
        .form_body(
            "application/x-www-form-urlencoded",
            &json!({"a": "x y&z", "tags": ["red", "blue"], "count": 3, "gone": null, "nested": {"k": 1}}),
        );
    let (content_type, bytes) = request.body.unwrap();
    assert_eq!(content_type, "application/x-www-form-urlencoded");
    // Field order follows the JSON map's (sorted, or insertion order when
    // serde_json's `preserve_order` is on): compared as a multiset of pairs.
    let text = String::from_utf8(bytes).unwrap();
    let mut pairs: Vec<&str> = text.split('&').collect();
    pairs.sort_unstable();
    assert_eq!(
        pairs,
        [
            "a=x+y%26z",
            "count=3",
            "nested=%7B%22k%22%3A1%7D",
            "tags=blue",
            "tags=red"
        ]
    );
    let mut request = Request::new("post_form", Method::POST, "/forms");
    request.path("/forms");
    request.form_body("application/x-www-form-urlencoded", &json!([1, 2]));
    assert!(matches!(request.encode_error(), Some(EncodeError::Form)));
    assert!(request.body.is_none());
}

#[test]
fn query_styles_follow_openapi() {
    use vendor_clients::runtime::{Method, QueryStyle, Request};
    let pairs = |value: serde_json::Value, style: QueryStyle| {
        let mut request = Request::new("list", Method::GET, "/things");
        request.path("/things");
        request.query_with("f", &value, style);
        request.query
    };
    let list = || json!(["a", "b"]);
    let object = || json!({"color": "red", "size": 3});
    let owned = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(
        pairs(list(), QueryStyle::Form),
        owned(&[("f", "a"), ("f", "b")])
    );
    assert_eq!(
        pairs(list(), QueryStyle::FormUnexploded),
        owned(&[("f", "a,b")])
    );
    assert_eq!(
        pairs(list(), QueryStyle::SpaceDelimited),
        owned(&[("f", "a b")])
    );
    assert_eq!(
        pairs(list(), QueryStyle::PipeDelimited),
        owned(&[("f", "a|b")])
    );
    assert_eq!(
        pairs(object(), QueryStyle::Form),
        owned(&[("color", "red"), ("size", "3")])
    );
    assert_eq!(
        pairs(object(), QueryStyle::FormUnexploded),
        owned(&[("f", "color,red,size,3")])
    );
    assert_eq!(
        pairs(json!({"a": {"b": 1}, "c": "d"}), QueryStyle::DeepObject),
        owned(&[("f[a][b]", "1"), ("f[c]", "d")])
    );
    assert_eq!(
        pairs(object(), QueryStyle::Json),
        owned(&[("f", r#"{"color":"red","size":3}"#)])
    );
    assert!(pairs(json!(null), QueryStyle::Form).is_empty());
}

#[test]
fn multipart_bodies_have_a_part_per_field_and_files_as_bytes() {
    use vendor_clients::runtime::{Binary, Method, Multipart, Request};
    let mut form = Multipart::new();
    form.file("file", Some(&Binary::from(vec![0xff, 0x00, 0x41])));
    form.file("missing", None);
    form.text("note", &"a \"quoted\" note");
    form.text("tags", &json!(["x", "y"]));
    form.text("meta", &json!({"size": 3}));
    form.text("unset", &Option::<String>::None);
    let mut request = Request::new("upload", Method::POST, "/up");
    request.path("/up");
    request.multipart_body(form);
    let (content_type, bytes) = request.body.unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap()
        .to_string();
    let mut want = Vec::new();
    let mut part = |head: &str, body: &[u8]| {
        want.extend_from_slice(format!("--{boundary}\r\n{head}\r\n\r\n").as_bytes());
        want.extend_from_slice(body);
        want.extend_from_slice(b"\r\n");
    };
    part(
        "Content-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: application/octet-stream",
        &[0xff, 0x00, 0x41],
    );
    part(
        "Content-Disposition: form-data; name=\"note\"",
        b"a \"quoted\" note",
    );
    part("Content-Disposition: form-data; name=\"tags\"", b"x");
    part("Content-Disposition: form-data; name=\"tags\"", b"y");
    part(
        "Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json",
        br#"{"size":3}"#,
    );
    want.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    assert_eq!(bytes, want);
    assert!(!boundary.is_empty() && !bytes.is_empty());
}

#[test]
fn other_multipart_types_name_their_media_type_and_boundary() {
    use vendor_clients::runtime::{Binary, Method, Multipart, Request};
    let mut form = Multipart::of("multipart/related");
    form.text("metadata", &json!({"name": "a.txt"}));
    form.file("file", Some(&Binary::from("hello")));
    let mut request = Request::new("upload", Method::POST, "/up");
    request.path("/up");
    request.multipart_body(form);
    let (content_type, bytes) = request.body.unwrap();
    let boundary = content_type
        .strip_prefix("multipart/related; boundary=")
        .unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n{{\"name\":\"a.txt\"}}\r\n"
    )));
    assert!(text.ends_with(&format!("\r\n\r\nhello\r\n--{boundary}--\r\n")));
}

/// A generated string enum's impls (one-line calls into
/// `runtime::string_enum`) behave as the derives they replace: `Debug` prints
/// the variant, equality, hashing and order follow the variant in the order
/// the values are listed, unknown values last and by their text.
#[cfg(feature = "petstore")]
#[test]
fn string_enums_behave_as_derived() {
    use std::collections::BTreeSet;
    use std::hash::{Hash, Hasher};
    use vendor_clients::petstore::types::PetStatus;

    let read = |text: &str| serde_json::from_value::<PetStatus>(json!(text)).unwrap();
    assert_eq!(read("pending"), PetStatus::Pending);
    assert_eq!(format!("{:?}", PetStatus::Available), "Available");
    let lost = read("lost");
    assert_eq!(format!("{lost:?}"), r#"Unknown(UnknownValue("lost"))"#);
    assert_eq!(
        (lost.as_str(), lost.to_string()),
        ("lost", "lost".to_string())
    );
    assert_eq!(serde_json::to_value(&lost).unwrap(), json!("lost"));
    assert_eq!(
        serde_json::to_value(PetStatus::Sold).unwrap(),
        json!("sold")
    );
    assert_ne!(lost, read("found"));
    assert_eq!(lost, read("lost"));

    let listed = ["sold", "zz", "pending", "aa", "available", "sold"].map(read);
    let sorted: Vec<String> = listed
        .iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(sorted, ["available", "pending", "sold", "aa", "zz"]);
    let hash = |value: &PetStatus| {
        let mut state = std::hash::DefaultHasher::new();
        value.hash(&mut state);
        state.finish()
    };
    assert_eq!(hash(&listed[0]), hash(&listed[5]));
    assert_eq!(hash(&lost), hash(&read("lost")));
    assert!(PetStatus::Available < PetStatus::Sold && PetStatus::Sold < read("aa"));

    let mut out = Vec::new();
    lost.validate_into("status", &mut out);
    assert_eq!(out.len(), 1);
    PetStatus::Pending.validate_into("status", &mut out);
    assert_eq!(out.len(), 1);
}
