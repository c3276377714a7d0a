//! Lenient decoding of string fields: a JSON number or boolean where the API
//! description says string is kept as its JSON text (`11` → `"11"`), because
//! vendors send ids and codes both ways. Sending always follows the description.

use std::fmt;

use serde::Deserializer;
use serde::de::{self, Visitor};

use super::Nullable;

struct TextVisitor;

impl Visitor<'_> for TextVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string (or a number or boolean, kept as text)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// A required, non-nullable string field.
pub fn lenient_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    deserializer
        .deserialize_any(TextVisitor)?
        .ok_or_else(|| de::Error::invalid_type(de::Unexpected::Unit, &TextVisitor))
}

/// An `Option<String>` field: `null` is `None`.
pub fn lenient_option_string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_any(TextVisitor)
}

/// A `Nullable<String>` field: `null` is `Null` (absent is the field's default).
pub fn lenient_nullable_string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Nullable<String>, D::Error> {
    Ok(match deserializer.deserialize_any(TextVisitor)? {
        Some(text) => Nullable::Value(text),
        None => Nullable::Null,
    })
}
