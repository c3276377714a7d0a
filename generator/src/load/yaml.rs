//! YAML text → `serde_json::Value`, read straight from serde_yaml's parser.
//!
//! Going through `serde_yaml::Value` would lose whole files: it refuses an
//! integer past 64 bits (`minimum: -9223372036854776000`, seen in public
//! specs). Here such an integer becomes the nearest `f64`, as JSON readers
//! take it; `.inf` and `.nan`, which JSON cannot hold, keep their text. Keys
//! that are numbers or booleans (`200:`) become their text, a tag (`!foo`) is
//! dropped for its value, a key written twice is an error, as before, and
//! `<<` merge keys are applied.
//! serde_yaml bounds nesting depth and alias expansion.

use std::fmt;

use serde::de::{self, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses YAML (or JSON) text.
pub fn parse(text: &str) -> Result<Value, serde_yaml::Error> {
    let node: Node = serde_yaml::from_str(text)?;
    let mut value = node.0;
    apply_merge_keys(&mut value);
    Ok(value)
}

/// YAML merge keys: `<<: *anchor` (or a list of anchors) copies the entries of
/// the merged mappings that the mapping does not write itself; with a list,
/// an earlier mapping wins. Aliases are already expanded, so this is a pass
/// over the tree.
fn apply_merge_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(merged) = map.remove("<<") {
                let sources = match merged {
                    Value::Array(list) => list,
                    one => vec![one],
                };
                for source in sources {
                    if let Value::Object(entries) = source {
                        for (key, entry) in entries {
                            map.entry(key).or_insert(entry);
                        }
                    }
                }
            }
            map.values_mut().for_each(apply_merge_keys);
        }
        Value::Array(items) => items.iter_mut().for_each(apply_merge_keys),
        _ => {}
    }
}

/// One YAML node as JSON.
struct Node(Value);

impl<'de> de::Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor).map(Node)
    }
}

/// An integer as JSON: exact when it fits 64 bits, else the nearest `f64`.
fn wide_integer(as_f64: f64) -> Value {
    Number::from_f64(as_f64).map_or(Value::Null, Value::Number)
}

/// A float as JSON; `.inf` and `.nan` as the text YAML writes them.
fn float(v: f64) -> Value {
    match Number::from_f64(v) {
        Some(n) => Value::Number(n),
        None if v.is_nan() => Value::String(".nan".into()),
        None if v > 0.0 => Value::String(".inf".into()),
        None => Value::String("-.inf".into()),
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(match i64::try_from(v) {
            Ok(small) => Value::from(small),
            Err(_) => wide_integer(v as f64),
        })
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(match u64::try_from(v) {
            Ok(small) => Value::from(small),
            Err(_) => wide_integer(v as f64),
        })
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Node(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(Key(key)) = map.next_key()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "duplicate entry with key {key:?}"
                )));
            }
            let Node(value) = map.next_value()?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }

    /// A tagged value (`!include x`): the tag is dropped, the value kept.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (_tag, variant): (String, _) = data.variant()?;
        variant.newtype_variant::<Node>().map(|n| n.0)
    }
}

/// A mapping key as text: YAML keys may be numbers, booleans or null.
struct Key(String);

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeyVisitor).map(Key)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key that is a scalar; use plain string keys")
    }

    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i128<E>(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u128<E>(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(match float(v) {
            Value::String(text) => text,
            other => other.to_string(),
        })
    }

    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_string())
    }

    fn visit_none<E>(self) -> Result<String, E> {
        Ok("null".to_string())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<String, A::Error> {
        let (_tag, variant): (String, _) = data.variant()?;
        variant.newtype_variant::<Key>().map(|k| k.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_past_64_bits_load_as_the_nearest_number() {
        let v = parse("minimum: -9223372036854776000\nmaximum: 340282366920938463463374607431768211455\nsmall: -5\n").unwrap();
        assert_eq!(v["minimum"].as_f64(), Some(-9223372036854775808.0));
        assert_eq!(v["maximum"].as_f64(), Some(3.402823669209385e38));
        assert_eq!(v["small"], Value::from(-5));
    }

    #[test]
    fn keys_and_odd_scalars() {
        let v = parse("200: a\ntrue: b\n~: c\n1.5: d\nx: .inf\ny: .nan\nz: !tag 3\n").unwrap();
        assert_eq!(
            v,
            serde_json::json!({"200": "a", "true": "b", "null": "c", "1.5": "d", "x": ".inf", "y": ".nan", "z": 3})
        );
        assert!(parse("a: 1\na: 2\n").is_err(), "a key written twice");
        assert!(parse("? [a]\n: 1\n").is_err(), "a key that is a list");
    }
}
