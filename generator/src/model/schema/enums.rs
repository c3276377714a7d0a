//! Enums: string enums (`enum`/`const` of strings) and value enums (integers,
//! or scalars of several JSON types), with variants named after their values.

use crate::model::{Enum, ScalarValue, ValueEnum, ValueVariant, Variant};
use serde_json::Value;

use crate::naming::{self, Name, Namer};

/// Variants for the values of a string enum, named after the values.
pub(super) fn lower_enum(values: &[String]) -> Enum {
    let mut namer = Namer::with_reserved(&["Unknown"]);
    let variants = values
        .iter()
        .map(|wire| {
            let (rust, _) = namer.claim(&naming::variant_name(wire));
            Variant {
                name: Name::new(wire.clone(), rust),
            }
        })
        .collect();
    Enum { variants }
}

/// Variants for the values of a [`value_enum`](super::shape::value_enum): named after the value (`V2`,
/// `Minus1`, `True`, `Active`), with collision suffixes.
pub(super) fn lower_value_enum(values: Vec<Value>) -> ValueEnum {
    let integer = values.iter().all(|v| v.as_i64().is_some());
    let mut namer = Namer::with_reserved(&["Unknown"]);
    let variants = values
        .into_iter()
        // `Shape::value_enum` keeps only scalars.
        .filter_map(|value| Some((ScalarValue::of(&value)?, value)))
        .map(|(scalar, value)| {
            let text = match &value {
                Value::String(s) => s.clone(),
                Value::Number(n) if n.as_f64().is_some_and(|f| f < 0.0) => {
                    format!("minus {}", n.to_string().trim_start_matches('-'))
                }
                Value::Number(n) => n.to_string().replace('.', "p"),
                other => other.to_string(),
            };
            let (rust, _) = namer.claim(&naming::variant_name(&text));
            ValueVariant {
                name: Name::new(value.to_string(), rust),
                value: scalar,
            }
        })
        .collect();
    ValueEnum { variants, integer }
}
