//! Enums: string enums (`enum`/`const` of strings) and value enums (integers,
//! or scalars of several JSON types), with variants named after their values,
//! or after the `title` of the `oneOf` alternative that lists each value.

use crate::model::{Enum, ScalarValue, ValueEnum, ValueVariant, Variant};
use serde_json::Value;

use super::shape::Listed;
use crate::naming::{self, Name, Namer};

/// Variants for the values of a string enum, named after their titles, else
/// after the values.
pub(super) fn lower_enum(values: &[Listed<'_, String>]) -> Enum {
    let mut namer = Namer::with_reserved(&["Unknown"]);
    let variants = values
        .iter()
        .map(|listed| {
            let wire = &listed.value;
            let (rust, _) = namer.claim(&naming::variant_name(listed.title.unwrap_or(wire)));
            Variant {
                name: Name::new(wire.clone(), rust),
                docs: listed.description.map(str::to_string),
            }
        })
        .collect();
    Enum { variants }
}

/// Variants for the values of a [`value_enum`](super::shape::value_enum): named
/// after their titles, else after the value (`V2`, `Minus1`, `True`, `Active`),
/// with collision suffixes.
pub(super) fn lower_value_enum(values: Vec<Listed<'_, Value>>) -> ValueEnum {
    let integer = values.iter().all(|v| v.value.as_i64().is_some());
    let mut namer = Namer::with_reserved(&["Unknown"]);
    let variants = values
        .into_iter()
        // `Shape::value_enum` keeps only scalars.
        .filter_map(|listed| Some((ScalarValue::of(&listed.value)?, listed)))
        .map(|(scalar, listed)| {
            let text = match (listed.title, &listed.value) {
                (Some(title), _) => title.to_string(),
                (None, Value::String(s)) => s.clone(),
                (None, Value::Number(n)) if n.as_f64().is_some_and(|f| f < 0.0) => {
                    format!("minus {}", n.to_string().trim_start_matches('-'))
                }
                (None, Value::Number(n)) => n.to_string().replace('.', "p"),
                (None, other) => other.to_string(),
            };
            let (rust, _) = namer.claim(&naming::variant_name(&text));
            ValueVariant {
                name: Name::new(listed.value.to_string(), rust),
                value: scalar,
                docs: listed.description.map(str::to_string),
            }
        })
        .collect();
    ValueEnum { variants, integer }
}
