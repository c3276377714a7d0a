//! Lenient decoding of scalar fields: what a vendor writes another way than its
//! API description says is read when the meaning is unambiguous. A string field
//! takes a JSON number or boolean as its text (`11` → `"11"`); a number or
//! integer field takes a number written as text (`"45.00"`, `"12"`); a boolean
//! field takes `"true"`/`"false"`; a list field takes a lone scalar as a list
//! of one. Sending always follows the description.
//!
//! Generated structs read fields of those types (`T`, `Option<T>`,
//! `Nullable<T>`, `Vec<T>` and `Option<Vec<T>>`) through these functions, by
//! `Object::lenient` and its kin; the field's type picks `T`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::Nullable;
use super::formats::{boolean_text, integer_text, number_text};

/// A JSON scalar as it arrived.
#[derive(Debug, Clone, Copy)]
pub enum Scalar<'a> {
    /// A string.
    Text(&'a str),
    /// An integer.
    Integer(i64),
    /// A non-negative integer beyond `i64`.
    Unsigned(u64),
    /// A number with a fraction or exponent.
    Number(f64),
    /// `true` or `false`.
    Boolean(bool),
}

/// A scalar type that reads what vendors send in its place.
pub trait Lenient: Sized {
    /// What the type is, for errors: "an integer".
    const EXPECTING: &'static str;

    /// The value `scalar` stands for, if it stands for one unambiguously.
    fn from_scalar(scalar: Scalar<'_>) -> Option<Self>;
}

impl Lenient for String {
    // A number or boolean is taken too, so only what is neither can fail:
    // naming them would only lengthen the error.
    const EXPECTING: &'static str = "a string";

    fn from_scalar(scalar: Scalar<'_>) -> Option<Self> {
        Some(match scalar {
            Scalar::Text(text) => text.to_string(),
            Scalar::Integer(n) => n.to_string(),
            Scalar::Unsigned(n) => n.to_string(),
            Scalar::Number(n) => n.to_string(),
            Scalar::Boolean(b) => b.to_string(),
        })
    }
}

impl Lenient for i64 {
    const EXPECTING: &'static str = "an integer (or one written as text)";

    fn from_scalar(scalar: Scalar<'_>) -> Option<Self> {
        match scalar {
            Scalar::Integer(n) => Some(n),
            Scalar::Unsigned(n) => i64::try_from(n).ok(),
            Scalar::Number(n) => (n.fract() == 0.0 && n >= i64::MIN as f64 && n < i64::MAX as f64)
                .then_some(n as i64),
            Scalar::Text(text) => integer_text(text),
            Scalar::Boolean(_) => None,
        }
    }
}

impl Lenient for i32 {
    const EXPECTING: &'static str = "a 32-bit integer (or one written as text)";

    fn from_scalar(scalar: Scalar<'_>) -> Option<Self> {
        i32::try_from(i64::from_scalar(scalar)?).ok()
    }
}

impl Lenient for f64 {
    const EXPECTING: &'static str = "a number (or one written as text)";

    fn from_scalar(scalar: Scalar<'_>) -> Option<Self> {
        match scalar {
            Scalar::Integer(n) => Some(n as f64),
            Scalar::Unsigned(n) => Some(n as f64),
            Scalar::Number(n) => Some(n),
            Scalar::Text(text) => number_text(text),
            Scalar::Boolean(_) => None,
        }
    }
}

impl Lenient for bool {
    const EXPECTING: &'static str = "a boolean (or `true`/`false` written as text)";

    fn from_scalar(scalar: Scalar<'_>) -> Option<Self> {
        match scalar {
            Scalar::Boolean(b) => Some(b),
            Scalar::Text(text) => boolean_text(text),
            _ => None,
        }
    }
}

/// Reads one scalar, or `null` as `None`.
struct ScalarVisitor<T>(PhantomData<T>);

impl<T: Lenient> ScalarVisitor<T> {
    fn take<E: de::Error>(
        scalar: Scalar<'_>,
        unexpected: de::Unexpected<'_>,
    ) -> Result<Option<T>, E> {
        T::from_scalar(scalar)
            .map(Some)
            .ok_or_else(|| E::invalid_value(unexpected, &T::EXPECTING))
    }
}

impl<'de, T: Lenient> Visitor<'de> for ScalarVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Self::take(Scalar::Text(v), de::Unexpected::Str(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Self::take(Scalar::Integer(v), de::Unexpected::Signed(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        match i64::try_from(v) {
            Ok(n) => Self::take(Scalar::Integer(n), de::Unexpected::Signed(n)),
            Err(_) => Self::take(Scalar::Unsigned(v), de::Unexpected::Unsigned(v)),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Self::take(Scalar::Number(v), de::Unexpected::Float(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Self::take(Scalar::Boolean(v), de::Unexpected::Bool(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

fn scalar_or_null<'de, D: Deserializer<'de>, T: Lenient>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    deserializer.deserialize_any(ScalarVisitor(PhantomData))
}

/// What a `null` is in an error: "null", as `serde_json` says, whichever
/// deserializer raised it (a struct reads its fields through an erased one).
const NULL: de::Unexpected<'static> = de::Unexpected::Other("null");

/// A required, non-nullable field.
pub fn scalar<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<T, D::Error> {
    scalar_or_null(deserializer)?.ok_or_else(|| de::Error::invalid_type(NULL, &T::EXPECTING))
}

/// An `Option<T>` field: `null` is `None`.
pub fn option<'de, D: Deserializer<'de>, T: Lenient>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    scalar_or_null(deserializer)
}

/// A `Nullable<T>` field: `null` is `Null` (absent is the field's default).
pub fn nullable<'de, D: Deserializer<'de>, T: Lenient>(
    deserializer: D,
) -> Result<Nullable<T>, D::Error> {
    Ok(match scalar_or_null(deserializer)? {
        Some(value) => Nullable::Value(value),
        None => Nullable::Null,
    })
}

/// One item of a list, read leniently.
struct Item<T>(T);

impl<'de, T: Lenient> serde::Deserialize<'de> for Item<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        scalar(deserializer).map(Item)
    }
}

/// Reads a list of lenient items, or `null` as `None`.
struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for ListVisitor<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of {}", T::EXPECTING)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(Item(item)) = seq.next_element::<Item<T>>()? {
            items.push(item);
        }
        Ok(Some(items))
    }

    // A lone scalar is a list of one, as a form or an XML-to-JSON gateway
    // writes it.
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        ScalarVisitor::<T>(PhantomData).visit_str(v).map(one)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        ScalarVisitor::<T>(PhantomData).visit_i64(v).map(one)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        ScalarVisitor::<T>(PhantomData).visit_u64(v).map(one)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        ScalarVisitor::<T>(PhantomData).visit_f64(v).map(one)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        ScalarVisitor::<T>(PhantomData).visit_bool(v).map(one)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// A list of the one item a scalar gave.
fn one<T>(item: Option<T>) -> Option<Vec<T>> {
    item.map(|item| vec![item])
}

/// A required `Vec<T>` field.
pub fn list<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<Vec<T>, D::Error> {
    deserializer
        .deserialize_any(ListVisitor(PhantomData))?
        .ok_or_else(|| de::Error::invalid_type(NULL, &ListVisitor::<T>(PhantomData)))
}

/// An `Option<Vec<T>>` field: `null` is `None`.
pub fn option_list<'de, D: Deserializer<'de>, T: Lenient>(
    deserializer: D,
) -> Result<Option<Vec<T>>, D::Error> {
    deserializer.deserialize_any(ListVisitor(PhantomData))
}

/// A `Nullable<Vec<T>>` field: `null` is `Null`.
pub fn nullable_list<'de, D: Deserializer<'de>, T: Lenient>(
    deserializer: D,
) -> Result<Nullable<Vec<T>>, D::Error> {
    Ok(
        match deserializer.deserialize_any(ListVisitor(PhantomData))? {
            Some(items) => Nullable::Value(items),
            None => Nullable::Null,
        },
    )
}

/// Decodes a whole JSON document as a lenient `T` (an example of a field's
/// own schema, tested as the field reads it).
pub fn from_value<T: Lenient>(value: serde_json::Value) -> Result<T, serde_json::Error> {
    scalar(value)
}

/// Decodes a whole JSON document as a lenient list of `T` (an example of a
/// list field's own schema).
pub fn list_from_value<T: Lenient>(value: serde_json::Value) -> Result<Vec<T>, serde_json::Error> {
    list(value)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Reading {
        #[serde(deserialize_with = "scalar")]
        count: i64,
        #[serde(default, deserialize_with = "option")]
        price: Option<f64>,
        #[serde(default, deserialize_with = "nullable")]
        active: Nullable<bool>,
        #[serde(default, deserialize_with = "option_list")]
        sizes: Option<Vec<i32>>,
        #[serde(deserialize_with = "scalar")]
        code: String,
    }

    #[test]
    fn scalars_written_as_text_are_read() {
        let read: Reading = serde_json::from_value(json!({
            "count": "12", "price": "45.00", "active": "true", "sizes": ["1", 2, 3.0], "code": 7
        }))
        .unwrap();
        assert_eq!(
            read,
            Reading {
                count: 12,
                price: Some(45.0),
                active: Nullable::Value(true),
                sizes: Some(vec![1, 2, 3]),
                code: "7".into(),
            }
        );
        let plain: Reading = serde_json::from_value(json!({
            "count": 12, "price": null, "active": null, "code": "x"
        }))
        .unwrap();
        assert_eq!(plain.price, None);
        assert_eq!(plain.active, Nullable::Null);
        assert_eq!(plain.sizes, None);
        let lone: Reading =
            serde_json::from_value(json!({"count": 1, "code": "x", "sizes": "4"})).unwrap();
        assert_eq!(lone.sizes, Some(vec![4]));
    }

    #[test]
    fn ambiguous_values_are_refused() {
        for (field, value) in [
            ("count", json!("12.5")),
            ("count", json!("twelve")),
            ("count", json!(true)),
            ("count", json!(null)),
            ("price", json!("NaN")),
            ("active", json!("yes")),
            ("active", json!(1)),
            ("sizes", json!(["3000000000"])),
            ("sizes", json!("four")),
            ("sizes", json!({"a": 1})),
        ] {
            let mut body = json!({"count": 1, "code": "x"});
            body[field] = value.clone();
            let error = serde_json::from_value::<Reading>(body).unwrap_err();
            assert!(
                error.to_string().contains("invalid"),
                "{field} = {value}: {error}"
            );
        }
    }
}
