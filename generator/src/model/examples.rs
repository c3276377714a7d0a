//! Examples over the finished model: their test names, and which are tested.
//!
//! Lowering records every example with the type it must decode into; only once
//! types are final (aliases followed, identical types merged) can it tell
//! whether an example fits that type. One that does not is the spec's mistake:
//! it is reported and left out of the model, so emit makes no test of it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Api, Example, FieldShape, LenientRead, TypeDef, TypeId, TypeKind, TypeRef};
use crate::naming::{self, Namer};

/// The clients' own readers of loosely written values (date-times without an
/// offset, numbers and booleans as text), so that an example is judged by the
/// rules the generated code decodes with.
#[path = "../../../generated/src/runtime/formats.rs"]
#[allow(dead_code)] // the generator needs only some of the readers
mod formats;

/// Names each example's test after the type it decodes into, in place order.
/// Every example is named, before misfits are left out, so a test's name does
/// not depend on whether the examples before it fit.
pub fn name_examples(examples: &mut [Example], types: &[TypeDef]) {
    let mut names = Namer::with_reserved(&[]);
    for example in examples {
        let candidate = naming::example_test_name(&example_stem(&example.ty, types));
        example.name = names.claim(&candidate).0;
    }
}

/// The words of a test name for an example of `ty`: `pet_list` for `Vec<Pet>`.
fn example_stem(ty: &TypeRef, types: &[TypeDef]) -> String {
    match ty {
        TypeRef::Named(id) => naming::bare(&types[id.0].name.rust).to_string(),
        TypeRef::Array(item) => naming::list_stem(&example_stem(item, types)),
        TypeRef::Map(value) => naming::map_stem(&example_stem(value, types)),
        TypeRef::Boxed(inner) => example_stem(inner, types),
        scalar => naming::snake_name(scalar.scalar_word().unwrap_or("value")),
    }
}

/// Keeps the examples that fit their types and reports the others: an example
/// that contradicts its own schema is the spec's mistake, said once here rather
/// than as a failing test of the generated crate.
pub fn keep_fitting(api: &mut Api) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let examples = std::mem::take(&mut api.examples);
    for mut example in examples {
        let read = if example.of_field {
            api.lenient_read(&example.ty)
        } else {
            None
        };
        let judge = |value: &Value| {
            if value.is_null() && example.nullable {
                None
            } else {
                misfit(&mut Judge::new(api), &example.ty, value, "", read)
            }
        };
        let mut misfit = judge(&example.value);
        // An example written as JSON text (`example: '{"id": 1}'`) where an
        // object or array is declared is that JSON: tested as such.
        if let Some(parsed) = misfit.as_ref().and_then(|_| json_text(&example.value)) {
            misfit = judge(&parsed);
            example.value = parsed;
        }
        match misfit {
            None => api.examples.push(example),
            Some(why) => diags.push(
                Diagnostic::warning(
                    example.origin.clone(),
                    format!("the example does not match its schema ({why}); it is not tested"),
                )
                .with_help("correct the example, or the schema if the example shows what the API really sends"),
            ),
        }
    }
    diags
}

/// A judgement of one example: a union's alternatives may lead to the same
/// type for the same part of the example many times, and a union that holds
/// itself (through `$ref`s) would judge the same part forever.
struct Judge<'a> {
    api: &'a Api,
    /// Verdicts already reached, by type, part of the example (its address:
    /// each part has one path from the root) and reading.
    done: BTreeMap<Key, Option<String>>,
    /// Verdicts under way; one asked for again fits as far as can be told.
    open: BTreeSet<Key>,
}

/// What a verdict is about: a type, a part of the example, how it is read.
type Key = (TypeId, *const Value, Option<LenientRead>);

impl<'a> Judge<'a> {
    fn new(api: &'a Api) -> Self {
        Judge {
            api,
            done: BTreeMap::new(),
            open: BTreeSet::new(),
        }
    }
}

/// Why `value` cannot be a `ty`, at `at` (a JSON pointer into the example);
/// `None` when it fits as far as shapes tell. `read`: how a struct field of
/// that type reads it ([`Api::lenient_read`]), when `value` is a field's.
fn misfit(
    j: &mut Judge<'_>,
    ty: &TypeRef,
    value: &Value,
    at: &str,
    read: Option<LenientRead>,
) -> Option<String> {
    let api = j.api;
    let expected = |what: &str| {
        let at = if at.is_empty() { "/" } else { at };
        Some(format!(
            "at {at}: expected {what}, found {}",
            kind_of(value)
        ))
    };
    let formatted = |value: &Value, what: &str, parses: fn(&str) -> bool| match value {
        Value::String(s) if parses(s) => None,
        Value::String(s) => Some(format!(
            "at {}: expected {what}, found {s:?}",
            if at.is_empty() { "/" } else { at }
        )),
        _ => expected(what),
    };
    let lenient = read == Some(LenientRead::Scalar);
    let items = (read == Some(LenientRead::List)).then_some(LenientRead::Scalar);
    match api.resolved(ty) {
        TypeRef::Any => None,
        TypeRef::String => {
            let fits = value.is_string() || (lenient && (value.is_number() || value.is_boolean()));
            (!fits).then(|| expected("a string")).flatten()
        }
        TypeRef::Bool => {
            let text = value.as_str().and_then(formats::boolean_text);
            (!(value.is_boolean() || (lenient && text.is_some())))
                .then(|| expected("a boolean"))
                .flatten()
        }
        TypeRef::I32 | TypeRef::I64 => {
            let text = value.as_str().and_then(formats::integer_text);
            (!(value.is_i64() || value.is_u64() || (lenient && text.is_some())))
                .then(|| expected("an integer"))
                .flatten()
        }
        TypeRef::F64 => {
            let text = value.as_str().and_then(formats::number_text);
            (!(value.is_number() || (lenient && text.is_some())))
                .then(|| expected("a number"))
                .flatten()
        }
        TypeRef::Decimal | TypeRef::DecimalString => (!(value.is_number() || value.is_string()))
            .then(|| expected("a decimal"))
            .flatten(),
        TypeRef::Binary => (!value.is_string()).then(|| expected("a string")).flatten(),
        // Judged by the parsers the generated code's serde impls use.
        TypeRef::DateTime => formatted(value, "a date-time", |s| {
            formats::parse_date_time(s).is_some()
        }),
        TypeRef::Date => formatted(value, "a date (YYYY-MM-DD)", |s| {
            formats::parse_date(s).is_some()
        }),
        TypeRef::Uuid => formatted(value, "a UUID", |s| uuid::Uuid::parse_str(s).is_ok()),
        TypeRef::Boxed(inner) => misfit(j, inner, value, at, None),
        TypeRef::Array(item) => match value {
            Value::Array(list) => list
                .iter()
                .enumerate()
                .find_map(|(i, v)| misfit(j, item, v, &format!("{at}/{i}"), items)),
            // A lenient list reads a lone scalar as a list of one.
            Value::String(_) | Value::Number(_) | Value::Bool(_) if items.is_some() => {
                misfit(j, item, value, at, items)
            }
            _ => expected("an array"),
        },
        TypeRef::Map(item) => match value {
            Value::Object(map) => map
                .iter()
                .find_map(|(k, v)| misfit(j, item, v, &format!("{at}/{k}"), None)),
            _ => expected("an object"),
        },
        TypeRef::Named(id) => {
            let key = (*id, value as *const Value, read);
            if let Some(verdict) = j.done.get(&key) {
                return verdict.clone();
            }
            if !j.open.insert(key) {
                return None;
            }
            let verdict = misfit_named(j, *id, value, at);
            j.open.remove(&key);
            j.done.insert(key, verdict.clone());
            verdict
        }
    }
}

/// [`misfit`] for a generated type.
fn misfit_named(j: &mut Judge<'_>, id: TypeId, value: &Value, at: &str) -> Option<String> {
    let api = j.api;
    let expected = |what: &str| {
        let at = if at.is_empty() { "/" } else { at };
        Some(format!(
            "at {at}: expected {what}, found {}",
            kind_of(value)
        ))
    };
    match &api.ty(id).kind {
        TypeKind::Struct(st) => {
            let Value::Object(map) = value else {
                return expected("an object");
            };
            for field in &st.fields {
                let here = format!("{at}/{}", field.name.wire);
                match (map.get(&field.name.wire), field.shape()) {
                    (None, FieldShape::Plain) if field.ty != TypeRef::Any => {
                        return Some(format!("at {here}: required, missing"));
                    }
                    (None, _) => {}
                    (Some(Value::Null), FieldShape::Plain) if field.ty != TypeRef::Any => {
                        return Some(format!("at {here}: null, which the schema does not allow"));
                    }
                    (Some(Value::Null), _) => {}
                    (Some(v), _) => {
                        let read = api.lenient_read(&field.ty);
                        if let Some(why) = misfit(j, &field.ty, v, &here, read) {
                            return Some(why);
                        }
                    }
                }
            }
            map.iter()
                .filter(|(k, _)| !st.fields.iter().any(|f| &f.name.wire == *k))
                .find_map(|(k, v)| misfit(j, &st.additional.value, v, &format!("{at}/{k}"), None))
        }
        TypeKind::Enum(_) => (!value.is_string()).then(|| expected("a string")).flatten(),
        TypeKind::ValueEnum(en) if en.integer => value
            .as_i64()
            .is_none()
            .then(|| expected("an integer"))
            .flatten(),
        TypeKind::ValueEnum(_) => matches!(value, Value::Array(_) | Value::Object(_))
            .then(|| expected("a string, number or boolean"))
            .flatten(),
        TypeKind::Union(union) => match &union.tag {
            Some(tag) => {
                let tagged = value.get(tag).and_then(Value::as_str);
                let chosen = union
                    .variants
                    .iter()
                    .find(|v| tagged.is_some_and(|t| v.tags.iter().any(|x| x == t)));
                chosen.and_then(|v| misfit(j, &v.ty, value, at, None))
            }
            None => {
                let fits = union
                    .variants
                    .iter()
                    .any(|v| misfit(j, &v.ty, value, at, None).is_none());
                (!fits)
                    .then(|| expected("one of the alternatives"))
                    .flatten()
            }
        },
        TypeKind::Alias(_) | TypeKind::StatusEnum(_) => None,
    }
}

/// The object or array a string example holds as JSON text, if it holds one.
fn json_text(value: &Value) -> Option<Value> {
    let text = value.as_str()?.trim();
    if !(text.starts_with('{') || text.starts_with('[')) {
        return None;
    }
    serde_json::from_str(text).ok()
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number with a fraction",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
