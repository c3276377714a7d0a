//! Unions tagged by a discriminator property (`oneOf` with `discriminator`).

use serde::{Serialize, Serializer};
use serde_json::Value;

/// Serializes a union variant's value with its tag: the value's own JSON with
/// `tag: tag_value` added when the value does not carry it already.
pub fn serialize_tagged<T: Serialize, S: Serializer>(
    value: &T,
    tag: &str,
    tag_value: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
    if let Value::Object(map) = &mut json {
        map.entry(tag.to_string())
            .or_insert_with(|| Value::String(tag_value.to_string()));
    }
    json.serialize(serializer)
}

/// The tag of a received value: its `tag` property when that is a string.
pub fn tag_of<'v>(value: &'v Value, tag: &str) -> Option<&'v str> {
    value.get(tag).and_then(Value::as_str)
}
