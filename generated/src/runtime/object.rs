//! How a generated struct decodes from a JSON object and encodes as one. One
//! generic reader here walks the object; each struct's own code
//! (`ReadObject::read`) lists a [`Slot`] per documented field (where its value
//! goes and how it is read) and [`Object::read_fields`] reads every value
//! into its slot through a type-erased deserializer (`erased_serde`).
//! Encoding, the struct lists its fields as type-erased values
//! (`write_object`). The struct's code
//! is therefore compiled once, not once per (de)serializer, and type-checks as
//! ordinary code: a crate of thousands of structs compiles in a fraction of the
//! time serde's derives take, and reads and writes the same JSON.
//!
//! What it reads as serde's derive would: a missing required field is
//! "missing field `name`"; a value of the wrong type fails with serde's own
//! message, and `serde_path_to_error` still finds its path (the erased
//! deserializer wraps the caller's). What it reads more leniently: a key given
//! twice keeps its last value, as `serde_json::Value` does.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::Nullable;
use super::lenient;

/// Why a struct did not decode. Converted to the caller's deserializer error
/// with its message (and, through `serde_path_to_error`, its path) kept.
pub type ObjectError = erased_serde::Error;

/// The deserializer of one value of the object.
pub type ValueDeserializer<'a, 'de> = &'a mut dyn erased_serde::Deserializer<'de>;

/// A reader of one value: the generic part of `Object::value` and its kin.
type ReadValue<'a, 'de> = dyn FnMut(ValueDeserializer<'_, 'de>) -> Result<(), ObjectError> + 'a;

/// A key of the object being read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    /// One of the struct's documented fields, by its place in `FIELDS`.
    Field(usize),
    /// A key the struct does not document.
    Other(String),
}

/// A struct that decodes from a JSON object through [`read_object`].
pub trait ReadObject: Sized {
    /// What the JSON must be, for errors: "struct Pet".
    const EXPECTING: &'static str;
    /// The wire names of the documented fields.
    const FIELDS: &'static [&'static str];

    /// Reads the struct from its object's keys and values.
    fn read(object: &mut Object<'_, '_>) -> Result<Self, ObjectError>;
}

/// Decodes a [`ReadObject`] struct: the body of a generated struct's
/// `Deserialize` impl.
pub fn read_object<'de, D: Deserializer<'de>, T: ReadObject>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor::<T>(PhantomData))
}

/// The error of a struct whose required field's local is still empty after
/// [`Object::read_fields`]: that reports a missing required field itself
/// (serde's "missing field" error), so this is only the `else` of the
/// generated `let Some(..) = .. else` that takes the values out.
pub fn missing_required() -> ObjectError {
    de::Error::custom("a required field is missing")
}

/// The object being read: its keys one by one, then each key's value as the
/// field's type reads it.
pub struct Object<'a, 'de> {
    map: &'a mut dyn RawObject<'de>,
    fields: &'static [&'static str],
}

impl<'de> Object<'_, 'de> {
    /// Reads every key of the object: a documented field's value into its
    /// slot (`slots` in the order of `FIELDS`), any other key's into
    /// `others`. A key given twice keeps its last value. Then the first
    /// required field (in `FIELDS` order) no key gave is serde's "missing
    /// field" error.
    pub fn read_fields(
        &mut self,
        slots: &mut [&mut dyn Slot<'de>],
        others: &mut dyn Others<'de>,
    ) -> Result<(), ObjectError> {
        while let Some(key) = self.map.next_key(self.fields)? {
            match key {
                Key::Field(at) => match slots.get_mut(at) {
                    Some(slot) => self.map.next_value(&mut |value| slot.read(value))?,
                    None => self.map.next_value(&mut |value| skip(value))?,
                },
                Key::Other(name) => {
                    let mut name = Some(name);
                    self.map.next_value(&mut |value| {
                        others.read(name.take().unwrap_or_default(), value)
                    })?;
                }
            }
        }
        match slots.iter().position(|slot| slot.is_missing()) {
            Some(at) => Err(de::Error::missing_field(
                self.fields.get(at).copied().unwrap_or_default(),
            )),
            None => Ok(()),
        }
    }
}

fn skip(value: ValueDeserializer<'_, '_>) -> Result<(), ObjectError> {
    erased_serde::deserialize::<de::IgnoredAny>(value).map(|_| ())
}

/// Where one documented field's value goes while its struct is read, and
/// how it is read: [`Plain`], [`Given`], [`Loose`] or [`LooseGiven`].
pub trait Slot<'de> {
    /// Reads the value into the slot.
    fn read(&mut self, value: ValueDeserializer<'_, 'de>) -> Result<(), ObjectError>;

    /// Whether the slot is a required field's and no value came.
    fn is_missing(&self) -> bool {
        false
    }
}

/// A value read as its type reads it, into a local of that type (an optional
/// field's `Option<T>`, a `Nullable<T>`).
pub struct Plain<'a, T>(pub &'a mut T);

/// A required field's value, read as its type reads it, into `Some`.
pub struct Given<'a, T>(pub &'a mut Option<T>);

/// A value read leniently ([`LenientField`]), into a local of its type.
pub struct Loose<'a, T>(pub &'a mut T);

/// A required field's value, read leniently, into `Some`.
pub struct LooseGiven<'a, T>(pub &'a mut Option<T>);

impl<'de, T: de::Deserialize<'de>> Slot<'de> for Plain<'_, T> {
    fn read(&mut self, value: ValueDeserializer<'_, 'de>) -> Result<(), ObjectError> {
        *self.0 = erased_serde::deserialize(value)?;
        Ok(())
    }
}

impl<'de, T: de::Deserialize<'de>> Slot<'de> for Given<'_, T> {
    fn read(&mut self, value: ValueDeserializer<'_, 'de>) -> Result<(), ObjectError> {
        *self.0 = Some(erased_serde::deserialize(value)?);
        Ok(())
    }

    fn is_missing(&self) -> bool {
        self.0.is_none()
    }
}

impl<'de, T: LenientField> Slot<'de> for Loose<'_, T> {
    fn read(&mut self, value: ValueDeserializer<'_, 'de>) -> Result<(), ObjectError> {
        *self.0 = T::read_lenient(value)?;
        Ok(())
    }
}

impl<'de, T: LenientField> Slot<'de> for LooseGiven<'_, T> {
    fn read(&mut self, value: ValueDeserializer<'_, 'de>) -> Result<(), ObjectError> {
        *self.0 = Some(T::read_lenient(value)?);
        Ok(())
    }

    fn is_missing(&self) -> bool {
        self.0.is_none()
    }
}

/// A field type read leniently: a scalar [`lenient::Lenient`] type, a list of
/// one, each as an `Option` or a `Nullable` ([`lenient::scalar`] and its kin).
pub trait LenientField: Sized {
    /// Reads the value leniently.
    fn read_lenient(value: ValueDeserializer<'_, '_>) -> Result<Self, ObjectError>;
}

macro_rules! lenient_fields {
    ($($t:ty),*) => {$(
        impl LenientField for $t {
            fn read_lenient(value: ValueDeserializer<'_, '_>) -> Result<Self, ObjectError> {
                lenient::scalar(value)
            }
        }
        impl LenientField for Option<$t> {
            fn read_lenient(value: ValueDeserializer<'_, '_>) -> Result<Self, ObjectError> {
                lenient::option(value)
            }
        }
        impl LenientField for Nullable<$t> {
            fn read_lenient(value: ValueDeserializer<'_, '_>) -> Result<Self, ObjectError> {
                lenient::nullable(value)
            }
        }
        impl LenientField for Vec<$t> {
            fn read_lenient(value: ValueDeserializer<'_, '_>) -> Result<Self, ObjectError> {
                lenient::list(value)
            }
        }
        impl LenientField for Option<Vec<$t>> {
            fn read_lenient(value: ValueDeserializer<'_, '_>) -> Result<Self, ObjectError> {
                lenient::option_list(value)
            }
        }
        impl LenientField for Nullable<Vec<$t>> {
            fn read_lenient(value: ValueDeserializer<'_, '_>) -> Result<Self, ObjectError> {
                lenient::nullable_list(value)
            }
        }
    )*};
}

lenient_fields!(String, i64, i32, f64, bool);

/// Where the keys a struct does not document go: its map of kept properties.
pub trait Others<'de> {
    /// Reads the value of the key `name`.
    fn read(&mut self, name: String, value: ValueDeserializer<'_, 'de>) -> Result<(), ObjectError>;
}

impl<'de, V: de::Deserialize<'de>> Others<'de> for BTreeMap<String, V> {
    fn read(&mut self, name: String, value: ValueDeserializer<'_, 'de>) -> Result<(), ObjectError> {
        self.insert(name, erased_serde::deserialize(value)?);
        Ok(())
    }
}

/// The caller's `MapAccess`, behind a trait object so that struct code is not
/// generic.
trait RawObject<'de> {
    fn next_key(&mut self, fields: &'static [&'static str]) -> Result<Option<Key>, ObjectError>;
    fn next_value(&mut self, read: &mut ReadValue<'_, 'de>) -> Result<(), ObjectError>;
}

struct Raw<A>(A);

impl<'de, A: MapAccess<'de>> RawObject<'de> for Raw<A> {
    fn next_key(&mut self, fields: &'static [&'static str]) -> Result<Option<Key>, ObjectError> {
        self.0
            .next_key_seed(KeySeed(fields))
            .map_err(de::Error::custom)
    }

    fn next_value(&mut self, read: &mut ReadValue<'_, 'de>) -> Result<(), ObjectError> {
        self.0
            .next_value_seed(ValueSeed(read))
            .map_err(de::Error::custom)
    }
}

/// A key as a documented field (no allocation) or another key.
struct KeySeed(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match self.0.iter().position(|field| *field == key) {
            Some(at) => Key::Field(at),
            None => Key::Other(key.to_string()),
        })
    }
}

/// One value, handed to the struct's reader as an erased deserializer.
struct ValueSeed<'a, 'b, 'de>(&'a mut ReadValue<'b, 'de>);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let mut erased = <dyn erased_serde::Deserializer>::erase(deserializer);
        (self.0)(&mut erased).map_err(de::Error::custom)
    }
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: ReadObject> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let mut raw = Raw(map);
        let mut object = Object {
            map: &mut raw,
            fields: T::FIELDS,
        };
        T::read(&mut object).map_err(de::Error::custom)
    }
}

/// One field as a struct writes it: its wire name, and its value or `None`
/// when it is left out.
pub type WriteField<'a> = (&'static str, Option<&'a dyn erased_serde::Serialize>);

/// A field always written (required, or sent as `null` when unset).
pub fn always<T: Serialize>(value: &T) -> Option<&dyn erased_serde::Serialize> {
    Some(value)
}

/// An optional field: written unless it is unset (`None`, `Nullable::Absent`).
pub fn unless_unset<T: Unset + Serialize>(value: &T) -> Option<&dyn erased_serde::Serialize> {
    if value.is_unset() { None } else { Some(value) }
}

/// A field value that can be unset, and then is not sent.
pub trait Unset {
    /// Whether the value is unset.
    fn is_unset(&self) -> bool;
}

impl<T> Unset for Option<T> {
    fn is_unset(&self) -> bool {
        self.is_none()
    }
}

impl<T> Unset for Nullable<T> {
    fn is_unset(&self) -> bool {
        self.is_absent()
    }
}

/// Encodes a struct as a JSON object: its fields in order, those left out
/// skipped, then the properties it keeps beyond them: the body of a generated
/// struct's `Serialize` impl.
pub fn write_object<S: Serializer, V: Serialize>(
    serializer: S,
    fields: &[WriteField<'_>],
    additional: &BTreeMap<String, V>,
) -> Result<S::Ok, S::Error> {
    let written = fields.iter().filter(|(_, value)| value.is_some()).count();
    let mut map = serializer.serialize_map(Some(written + additional.len()))?;
    for (name, value) in fields {
        if let Some(value) = value {
            map.serialize_entry(name, value)?;
        }
    }
    for (name, value) in additional {
        map.serialize_entry(name, value)?;
    }
    map.end()
}
