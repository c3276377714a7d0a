//! What every generated string enum does, written once. A generated enum lists
//! its values and names ([`StringEnum`]) and says which of them it holds
//! (`index`); its trait impls are one-line calls into the functions here.
//! Written per enum, this code (derives, a `match` per impl) was a large share
//! of what a big vendor's crate cost rustc to check.
//!
//! The impls behave as derives would: `Debug` prints the variant's name
//! (`Available`, `Unknown(UnknownValue("x"))`); equality, hashing and order
//! follow the variant, in the order the API description lists the values, with
//! unknown values last, ordered by their text.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use super::{UnknownValue, Violation};

/// A generated string enum: documented values, plus `Unknown` for any other
/// value a server sends. Decoding never puts a documented value in `Unknown`.
pub trait StringEnum: Clone + 'static {
    /// Every documented value, in the order the API description lists them.
    const VALUES: &'static [&'static str];
    /// The Rust names of the documented variants, in the same order.
    const NAMES: &'static [&'static str];
    /// The documented variants, in the same order.
    const KNOWN: &'static [Self];

    /// Which documented value this is (its place in `VALUES`), or the
    /// unknown value kept as received.
    fn index(&self) -> Result<usize, &UnknownValue>;
}

/// The place in `VALUES` (unknown values after every documented one) and the
/// unknown text: what equality, hashing and order compare.
fn key<E: StringEnum>(value: &E) -> (usize, &str) {
    match value.index() {
        Ok(at) => (at, ""),
        Err(unknown) => (E::VALUES.len(), unknown.as_str()),
    }
}

/// The value as sent on the wire.
pub fn as_str<E: StringEnum>(value: &E) -> &str {
    match value.index() {
        Ok(at) => E::VALUES.get(at).copied().unwrap_or_default(),
        Err(unknown) => unknown.as_str(),
    }
}

/// `PartialEq::eq`.
pub fn eq<E: StringEnum>(a: &E, b: &E) -> bool {
    key(a) == key(b)
}

/// `Ord::cmp`.
pub fn cmp<E: StringEnum>(a: &E, b: &E) -> Ordering {
    key(a).cmp(&key(b))
}

/// `Hash::hash`.
pub fn hash<E: StringEnum, H: Hasher>(value: &E, state: &mut H) {
    key(value).hash(state);
}

/// `Debug::fmt`: the variant's name, as a derive prints it.
pub fn debug<E: StringEnum>(value: &E, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match value.index() {
        Ok(at) => f.write_str(E::NAMES.get(at).copied().unwrap_or_default()),
        Err(unknown) => f.debug_tuple("Unknown").field(unknown).finish(),
    }
}

/// `Display::fmt`: the wire value.
pub fn display<E: StringEnum>(value: &E, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(as_str(value))
}

/// `Validate::validate_into`: a request may carry only documented values.
pub fn validate<E: StringEnum>(value: &E, path: &str, out: &mut Vec<Violation>) {
    if let Err(unknown) = value.index() {
        super::report_unknown(path, unknown.as_str(), E::VALUES, out);
    }
}

/// `Serialize::serialize`: the wire value, as a string.
pub fn serialize<E: StringEnum, S: serde::Serializer>(
    value: &E,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(as_str(value))
}

/// `Deserialize::deserialize`: a documented value's variant, else `unknown`
/// (the enum's `Unknown` variant) holding the text.
pub fn deserialize<'de, E: StringEnum, D: serde::Deserializer<'de>>(
    deserializer: D,
    unknown: fn(UnknownValue) -> E,
) -> Result<E, D::Error> {
    let text = <String as serde::Deserialize>::deserialize(deserializer)?;
    let known = E::VALUES
        .iter()
        .position(|value| *value == text)
        .and_then(|at| E::KNOWN.get(at));
    Ok(match known {
        Some(variant) => variant.clone(),
        None => unknown(UnknownValue::new(text)),
    })
}
