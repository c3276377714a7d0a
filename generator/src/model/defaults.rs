//! The literal each `…_or_default` reader returns, decided over the finished model.
//!
//! Lowering names a reader for every optional field with a scalar `default`
//! (`per_page_or_default`), but whether the field's type holds that default as a
//! literal is only known once aliases are followed and identical types merged. So
//! it is decided here, after lowering, and emit prints what this pass found. A
//! default the type cannot hold (text for an integer, a value no enum variant
//! has, a number past `i32`) gets no reader: the field keeps its documentation.
//! A number the field's integer type cannot hold is also reported.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Api, DefaultValue, TypeId, TypeKind, TypeRef};

/// Fills [`Api::defaults`] and takes the reader's name from the fields whose
/// default their type cannot hold; warns about numbers past an integer type.
pub fn decide_defaults(api: &mut Api) -> Diagnostics {
    let mut decided = BTreeMap::new();
    let mut unreadable = Vec::new();
    let mut diags = Diagnostics::default();
    for (index, def) in api.types.iter().enumerate() {
        let TypeKind::Struct(st) = &def.kind else {
            continue;
        };
        for (field, f) in st.fields.iter().enumerate() {
            let Some(default) = f.default.as_ref().filter(|_| f.default_getter.is_some()) else {
                continue;
            };
            match literal(api, &f.ty, default) {
                Some(value) => {
                    decided.insert((TypeId(index), field), value);
                }
                None => {
                    if let Some(rust) = past_integer(api.resolved(&f.ty), default) {
                        diags.push(
                            Diagnostic::warning(
                                def.origin.clone(),
                                format!(
                                    "the default {default} of `{}` does not fit {rust}; it has no `{}` reader",
                                    f.name.wire,
                                    f.default_getter.as_deref().unwrap_or_default()
                                ),
                            )
                            .with_help("use a default within the integer's format (int32, int64)"),
                        );
                    }
                    unreadable.push((index, field))
                }
            }
        }
    }
    for (index, field) in unreadable {
        if let TypeKind::Struct(st) = &mut api.types[index].kind {
            st.fields[field].default_getter = None;
        }
    }
    api.defaults = decided;
    diags
}

/// The Rust integer type of `ty` when `default` is a number it cannot hold.
fn past_integer(ty: &TypeRef, default: &Value) -> Option<&'static str> {
    let Value::Number(num) = default else {
        return None;
    };
    match ty {
        TypeRef::I64 if num.as_i64().is_none() => Some("i64"),
        TypeRef::I32 if num.as_i64().and_then(|n| i32::try_from(n).ok()).is_none() => Some("i32"),
        _ => None,
    }
}

/// `default` as a literal of `ty`: strings, booleans, numbers that fit, and the
/// enum variant whose value it is.
fn literal(api: &Api, ty: &TypeRef, default: &Value) -> Option<DefaultValue> {
    Some(match (api.resolved(ty), default) {
        (TypeRef::String, Value::String(text)) => DefaultValue::Str(text.clone()),
        (TypeRef::Bool, Value::Bool(b)) => DefaultValue::Bool(*b),
        (TypeRef::I64, Value::Number(num)) => DefaultValue::I64(num.as_i64()?),
        (TypeRef::I32, Value::Number(num)) => DefaultValue::I32(i32::try_from(num.as_i64()?).ok()?),
        (TypeRef::F64, Value::Number(num)) => {
            DefaultValue::F64(num.as_f64().filter(|x| x.is_finite())?)
        }
        (TypeRef::Named(id), _) => match &api.ty(*id).kind {
            TypeKind::Enum(en) => {
                let text = default.as_str()?;
                let found = en.variants.iter().find(|v| v.name.wire == text)?;
                DefaultValue::Variant {
                    ty: *id,
                    variant: found.name.rust.clone(),
                    copy: false,
                }
            }
            TypeKind::ValueEnum(en) => {
                let found = en.variants.iter().find(|v| v.value.is(default))?;
                DefaultValue::Variant {
                    ty: *id,
                    variant: found.name.rust.clone(),
                    copy: en.integer,
                }
            }
            _ => return None,
        },
        _ => return None,
    })
}
