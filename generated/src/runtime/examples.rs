//! The round trip every example of an API description must survive: decoded into
//! its generated type, encoded back, and compared with the example as JSON.
//!
//! The comparison allows only what the generated types do on purpose:
//! - key order is free (JSON objects are unordered);
//! - numbers are equal when their values are (`1` and `1.0`; an exact decimal
//!   and its JSON number);
//! - a number or boolean in the example may come back as its text, where the
//!   schema says string (lenient string fields);
//! - a number or boolean written as text may come back as the number or
//!   boolean, where the schema says so (lenient fields read both, and
//!   `format: decimal` does);
//! - a lone scalar may come back as a list of one, where the schema says list
//!   (lenient list fields read a scalar so);
//! - a date-time may come back as another text of the same instant
//!   (`2024-05-31T12:00:00+02:00` as `2024-05-31T10:00:00Z`, a date-time
//!   written without an offset as the same time in UTC), and a UUID in
//!   another letter case (UUIDs encode in lower case), and a date-time given
//!   for a date may come back as its date;
//! - a `null` in the example may come back absent, for an optional field whose
//!   schema does not allow `null` (such a field is never sent as `null`), and a
//!   key absent from the example may come back `null`, for a required field that
//!   allows it.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::formats::{boolean_text, number_text};

/// [`round_trip`] for an example of a scalar field's own schema, decoded as the
/// field reads it (leniently).
#[allow(dead_code)]
pub(crate) fn round_trip_field<T: super::lenient::Lenient + Serialize>(at: &str, json: &str) {
    let example: Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{at}: the example is not JSON: {e}"));
    let decoded: T = super::lenient::from_value(example.clone()).unwrap_or_else(|e| {
        panic!("{at}: the example does not decode into its type: {e}\nexample: {example}")
    });
    compare(at, &example, &decoded);
}

/// [`round_trip`] for an example of a list field's own schema, decoded as the
/// field reads it (each item leniently).
#[allow(dead_code)]
pub(crate) fn round_trip_field_list<T: super::lenient::Lenient + Serialize>(at: &str, json: &str) {
    let example: Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{at}: the example is not JSON: {e}"));
    let decoded: Vec<T> = super::lenient::list_from_value(example.clone()).unwrap_or_else(|e| {
        panic!("{at}: the example does not decode into its type: {e}\nexample: {example}")
    });
    compare(at, &example, &decoded);
}

/// Decodes `json` (the example written at `at`) as `T`, encodes it back and
/// panics, naming the place and the first difference, unless the two agree.
// Unused in a crate whose API descriptions have no examples.
#[allow(dead_code)]
pub(crate) fn round_trip<T: DeserializeOwned + Serialize>(at: &str, json: &str) {
    let example: Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{at}: the example is not JSON: {e}"));
    let decoded: T = serde_json::from_value(example.clone()).unwrap_or_else(|e| {
        panic!("{at}: the example does not decode into its type: {e}\nexample: {example}")
    });
    compare(at, &example, &decoded);
}

/// Encodes `decoded` and panics unless it agrees with `example`.
fn compare<T: Serialize>(at: &str, example: &Value, decoded: &T) {
    let encoded = serde_json::to_value(decoded)
        .unwrap_or_else(|e| panic!("{at}: the decoded example does not encode: {e}"));
    if let Err(difference) = agree(example, &encoded, "") {
        panic!(
            "{at}: encoded back differently: {difference}\nexample: {example}\nencoded: {encoded}"
        );
    }
}

/// `Ok` when `encoded` is `example` up to the normalisations above; otherwise
/// where and how they differ.
pub(crate) fn agree(example: &Value, encoded: &Value, at: &str) -> Result<(), String> {
    match (example, encoded) {
        (Value::Number(a), Value::Number(b)) if same_number(a, b) => Ok(()),
        (Value::Number(n), Value::String(s)) if s == &n.to_string() => Ok(()),
        (Value::Bool(b), Value::String(s)) if s == &b.to_string() => Ok(()),
        (Value::String(s), Value::Number(n))
            if number_text(s).is_some_and(|x| Some(x) == n.as_f64()) =>
        {
            Ok(())
        }
        (Value::String(s), Value::Bool(b)) if boolean_text(s) == Some(*b) => Ok(()),
        (Value::String(a), Value::String(b))
            if same_instant(a, b) || same_uuid(a, b) || same_date(a, b) =>
        {
            Ok(())
        }
        // A lone scalar read as a list of one (lenient list fields).
        (scalar, Value::Array(b))
            if b.len() == 1 && !matches!(scalar, Value::Array(_) | Value::Object(_)) =>
        {
            agree(scalar, &b[0], &format!("{at}/0"))
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                agree(x, y, &format!("{at}/{i}"))?;
            }
            Ok(())
        }
        (Value::Object(a), Value::Object(b)) => {
            for (key, x) in a {
                let here = format!("{at}/{key}");
                match b.get(key) {
                    Some(y) => agree(x, y, &here)?,
                    None if x.is_null() => {}
                    None => return Err(format!("{here}: left out")),
                }
            }
            for (key, y) in b {
                if !a.contains_key(key) && !y.is_null() {
                    return Err(format!("{at}/{key}: added as {y}"));
                }
            }
            Ok(())
        }
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!(
            "{}: {a} became {b}",
            if at.is_empty() { "/" } else { at }
        )),
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    use super::DateTime;
    matches!((a.parse::<DateTime>(), b.parse::<DateTime>()), (Ok(x), Ok(y)) if x.utc() == y.utc())
}

fn same_date(example: &str, encoded: &str) -> bool {
    encoded.len() == 10
        && matches!((example.parse::<super::Date>(), encoded.parse::<super::Date>()), (Ok(x), Ok(y)) if x == y)
}

fn same_uuid(a: &str, b: &str) -> bool {
    matches!((uuid::Uuid::parse_str(a), uuid::Uuid::parse_str(b)), (Ok(x), Ok(y)) if x == y)
}

fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
        (Some(x), Some(y), _, _) => x == y,
        (_, _, Some(x), Some(y)) => x == y,
        _ => a.as_f64() == b.as_f64(),
    }
}

#[cfg(test)]
mod tests {
    use super::agree;
    use serde_json::json;

    #[test]
    fn only_the_documented_normalisations_pass() {
        assert!(
            agree(
                &json!({"a": 1, "b": [1.5]}),
                &json!({"b": [1.5], "a": 1.0}),
                ""
            )
            .is_ok()
        );
        assert!(
            agree(
                &json!({"id": 11, "on": true}),
                &json!({"id": "11", "on": "true"}),
                ""
            )
            .is_ok()
        );
        assert!(agree(&json!({"a": null}), &json!({}), "").is_ok());
        assert!(agree(&json!("45.00"), &json!(45.0), "").is_ok());
        assert!(agree(&json!("45.01"), &json!(45.0), "").is_err());
        assert!(agree(&json!(["true", "FALSE"]), &json!([true, false]), "").is_ok());
        assert!(agree(&json!("yes"), &json!(true), "").is_err());
        assert!(agree(&json!("4"), &json!([4]), "").is_ok());
        assert!(agree(&json!("4"), &json!([4, 4]), "").is_err());
        assert!(agree(&json!({"a": 1}), &json!([{"a": 1}]), "").is_err());
        assert!(
            agree(
                &json!("2020-03-31 04:32:56.9537857"),
                &json!("2020-03-31T04:32:56.953785700Z"),
                ""
            )
            .is_ok()
        );
        assert!(
            agree(
                &json!([
                    "2024-05-31T12:00:00+02:00",
                    "1B4E28BA-2FA1-11D2-883F-0016D3CCA427"
                ]),
                &json!([
                    "2024-05-31T10:00:00Z",
                    "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
                ]),
                ""
            )
            .is_ok()
        );
        assert!(
            agree(
                &json!("2024-05-31T12:00:00Z"),
                &json!("2024-05-31T12:00:01Z"),
                ""
            )
            .is_err()
        );
        assert!(agree(&json!({}), &json!({"a": null}), "").is_ok());
        assert_eq!(
            agree(&json!({"a": 1}), &json!({}), ""),
            Err("/a: left out".into())
        );
        assert_eq!(
            agree(&json!({}), &json!({"a": 1}), ""),
            Err("/a: added as 1".into())
        );
        assert_eq!(
            agree(&json!([1, 2]), &json!([1, 3]), ""),
            Err("/1: 2 became 3".into())
        );
        assert!(
            agree(&json!("eleven"), &json!(11), "").is_err(),
            "only a number's own text becomes the number"
        );
        assert!(agree(&json!(1.5), &json!(1), "").is_err());
        assert!(agree(&json!([1]), &json!([1, 1]), "").is_err());
    }
}
