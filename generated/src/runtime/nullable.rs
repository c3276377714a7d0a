//! [`Nullable`]: a field that can be absent, `null`, or a value.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An optional field whose schema allows `null`: three states, each its own JSON.
///
/// | state | JSON sent | on an update (PATCH) |
/// |---|---|---|
/// | `Absent` | the field is left out | leave unchanged |
/// | `Null` | `"field": null` | clear |
/// | `Value(v)` | `"field": v` | set |
///
/// Generated structs set it through setters: `.sales_price(12.5)` for a value,
/// `.clear_sales_price()` for `null`; fields start `Absent`. Decoding keeps the same
/// three states, so a decoded value serializes back to what was received.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Nullable<T> {
    /// Not sent / not received.
    #[default]
    Absent,
    /// Sent / received as `null`.
    Null,
    /// Sent / received as a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, when there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, when there is one; `Absent` and `Null` both become `None`.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value dereferenced (`&str` for a `String`), when there is one.
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: std::ops::Deref,
    {
        self.value().map(|v| &**v)
    }

    /// A `Nullable` of a reference to the value.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(v),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: fmt::Debug> fmt::Debug for Nullable<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Nullable::Absent => f.write_str("Absent"),
            Nullable::Null => f.write_str("Null"),
            Nullable::Value(v) => f.debug_tuple("Value").field(v).finish(),
        }
    }
}

/// `Absent` and `Null` both serialize as `null`; generated structs skip `Absent`
/// fields with `skip_serializing_if = "Nullable::is_absent"`.
impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => v.serialize(serializer),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

/// `null` decodes as `Null`, anything else as `Value`; a missing field is `Absent`
/// through `#[serde(default)]`.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(|v| match v {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        })
    }
}
