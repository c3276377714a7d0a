//! Objects: structs from `properties`, and `allOf` compositions, which merge
//! their object parts into one struct. Also the per-field readings a struct
//! needs: rules (`constraints_of`), defaults, descriptions.

use std::collections::BTreeSet;

use serde_json::Value;

use super::shape::{
    admitted_types, is_annotation_only, is_nullable, is_object_like, only_constrains,
};
use super::{Lowered, Lowerer, MAX_DEPTH, Register};
use crate::diag::{Diagnostic, Location, pointer_join};
use crate::model::{Additional, Constraints, Field, FieldShape, Struct, TypeKind, TypeRef};
use crate::naming::{self, Name, Namer};

impl<'d> Lowerer<'d> {
    /// A struct: registered before its fields are lowered, so types made up
    /// inside it claim their names after it (the container keeps the plain name).
    pub(super) fn struct_type(
        &mut self,
        file: &str,
        pointer: &str,
        schema: &Value,
        reg: Register,
    ) -> Lowered {
        let id = match reg {
            Register::Named(id) => id,
            Register::Inline(hint) => self.add_type(
                hint.to_string(),
                true,
                Location::new(file, pointer),
                describe(schema),
                TypeKind::Alias(TypeRef::Any),
            ),
        };
        let hint = self.table.candidate(id).to_string();
        let st = self.lower_struct(file, pointer, schema, &hint);
        self.table.define(id, TypeKind::Struct(st));
        Lowered {
            ty: TypeRef::Named(id),
            nullable: is_nullable(schema),
        }
    }

    /// `allOf`: parts that only annotate are set aside; one part left is the
    /// value itself; object parts merge into one struct; parts admitting the
    /// same JSON types refine the first part's value. Anything else is any JSON
    /// value, with a warning.
    pub(super) fn lower_all_of(
        &mut self,
        file: &str,
        pointer: &str,
        schema: &Value,
        parts: &[Value],
        reg: Register,
    ) -> Lowered {
        let at = pointer_join(pointer, "allOf");
        let mut shaping = non_null_parts(parts);
        let mut has_null = shaping.len() < parts.len();
        if shaping.len() > 1 {
            // Parts that only annotate (`{nullable: true}`, `{description: ...}`,
            // an empty `{type: object}`) add no shape of their own.
            has_null |= shaping
                .iter()
                .any(|(_, p)| is_annotation_only(p) && is_nullable(p));
            let kept: Vec<(usize, &Value)> = shaping
                .iter()
                .copied()
                .filter(|(_, p)| !is_annotation_only(p))
                .collect();
            if !kept.is_empty() {
                shaping = kept;
            }
        }
        let mut lowered = if let [(i, part)] = shaping[..] {
            self.lower_part(file, &pointer_join(&at, &i.to_string()), part, reg)
        } else if let Some(merged) = self.merge_all_of(file, &shaping) {
            self.lower_schema(file, pointer, &merged, reg)
        } else if same_admitted_types(&shaping) {
            // Parts admitting the same JSON types (`anyOf [number, string]` twice,
            // the second only ruling out zero) refine one value: it has the first
            // part's type; the other parts' rules are not checked before sending.
            let (i, part) = shaping[0];
            self.lower_part(file, &pointer_join(&at, &i.to_string()), part, reg)
        } else {
            self.diags.push(
                Diagnostic::warning(
                    Location::new(file, at),
                    format!(
                        "`allOf` of {} parts that are not all objects is typed as any JSON value for now",
                        shaping.len()
                    ),
                )
                .with_help("the value is kept whole as serde_json::Value; nothing is dropped"),
            );
            return Lowered::any();
        };
        lowered.nullable |= has_null || is_nullable(schema);
        lowered
    }

    /// Merges `allOf` parts that are all objects into one object schema.
    pub(super) fn merge_all_of(&mut self, file: &str, parts: &[(usize, &Value)]) -> Option<Value> {
        let mut properties = serde_json::Map::new();
        let mut required: Vec<Value> = Vec::new();
        let mut description = None;
        for (_, part) in parts {
            let part_value = match part.get("$ref").and_then(Value::as_str) {
                Some(r) => self.doc.resolve(file, r).ok()?.value.clone(),
                None => (*part).clone(),
            };
            // A part that is itself an `allOf` is merged first.
            let part_value = match part_value.get("allOf") {
                Some(Value::Array(inner)) => {
                    let inner: Vec<(usize, &Value)> = inner.iter().enumerate().collect();
                    self.merge_all_of(file, &inner)?
                }
                _ => part_value,
            };
            let obj = part_value.as_object()?;
            if !is_object_like(&part_value) {
                return None;
            }
            if let Some(Value::Object(props)) = obj.get("properties") {
                for (k, v) in props {
                    properties.insert(k.clone(), v.clone());
                }
            }
            if let Some(Value::Array(req)) = obj.get("required") {
                for r in req {
                    if !required.contains(r) {
                        required.push(r.clone());
                    }
                }
            }
            if description.is_none() {
                description = obj.get("description").cloned();
            }
        }
        let mut merged = serde_json::Map::new();
        merged.insert("type".into(), Value::from("object"));
        merged.insert("properties".into(), Value::Object(properties));
        merged.insert("required".into(), Value::Array(required));
        if let Some(d) = description {
            merged.insert("description".into(), d);
        }
        Some(Value::Object(merged))
    }

    pub(super) fn lower_struct(
        &mut self,
        file: &str,
        pointer: &str,
        schema: &Value,
        hint: &str,
    ) -> Struct {
        for key in ["oneOf", "anyOf"] {
            if schema.get(key).is_some() && !only_constrains(schema, key) {
                self.diags.push(
                    Diagnostic::warning(
                        Location::new(file, pointer_join(pointer, key)),
                        format!("`{key}` beside `properties` is not typed: the struct has the listed properties, and what the alternatives add is kept in its catch-all map"),
                    )
                    .with_help(format!("move the shared properties into each alternative, or into an `allOf` with the `{key}`")),
                );
            }
        }
        let mut fields = Vec::new();
        let mut namer = Namer::with_reserved(&["new"]);
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let props_pointer = pointer_join(pointer, "properties");
        if let Some(Value::Object(props)) = schema.get("properties") {
            for (wire, prop) in props {
                let field_hint = format!("{hint}{}", naming::bare(&naming::type_name(wire)));
                let lowered =
                    self.lower(file, &pointer_join(&props_pointer, wire), prop, &field_hint);
                let (rust, renamed) = namer.claim(&naming::snake_name(wire));
                if renamed {
                    self.diags.push(Diagnostic::warning(
                        Location::new(file, pointer_join(&props_pointer, wire)),
                        format!("property `{wire}` has the same Rust name as another property; it is `{rust}`"),
                    ));
                }
                fields.push(Field {
                    name: Name::new(wire.clone(), rust),
                    ty: lowered.ty,
                    required: required.contains(wire.as_str()),
                    nullable: lowered.nullable,
                    docs: describe(prop),
                    constraints: self.constraints_of(file, prop),
                    clear_setter: None,
                    default: prop
                        .get("default")
                        .or_else(|| self.ref_target(file, prop)?.get("default"))
                        .cloned(),
                    default_getter: None,
                });
            }
        }
        for name in &required {
            if !fields.iter().any(|f| f.name.wire == *name) {
                self.diags.push(
                    Diagnostic::warning(
                        Location::new(file, pointer_join(pointer, "required")),
                        format!("`{name}` is required but not among the properties; it is kept in the catch-all map"),
                    )
                    .with_help("add it under `properties` or remove it from `required`"),
                );
            }
        }
        let (value, denied) = match schema.get("additionalProperties") {
            // Keys matching `patternProperties` are allowed: with one pattern its
            // schema types them all, with several any JSON value does.
            Some(Value::Bool(false)) if schema.get("patternProperties").is_some() => {
                (self.pattern_value(file, pointer, schema, hint), false)
            }
            Some(Value::Bool(false)) => (TypeRef::Any, true),
            Some(value @ Value::Object(o)) if !o.is_empty() => {
                let lowered = self.lower(
                    file,
                    &pointer_join(pointer, "additionalProperties"),
                    value,
                    &format!("{hint}Value"),
                );
                (lowered.ty, false)
            }
            _ => (TypeRef::Any, false),
        };
        let (field, _) = namer.claim("additional_properties");
        name_clear_setters(&mut fields, &mut namer);
        Struct {
            fields,
            additional: Additional {
                field,
                value,
                denied,
            },
            inferred: false,
        }
    }

    /// The validation keywords of a property schema, following `$ref`s to the
    /// schema that carries them.
    pub fn constraints_of(&self, file: &str, schema: &Value) -> Constraints {
        match schema.get("$ref") {
            None => constraints(schema),
            Some(_) => self
                .ref_target(file, schema)
                .map(constraints)
                .unwrap_or_default(),
        }
    }

    /// The schema a `$ref` leads to through any chain of `$ref`s; `None` when the
    /// schema is no `$ref`, or the reference dangles or loops.
    pub(super) fn ref_target(&self, file: &str, schema: &Value) -> Option<&'d Value> {
        let mut reference = schema.get("$ref").and_then(Value::as_str)?.to_string();
        let mut file = file.to_string();
        for _ in 0..MAX_DEPTH {
            let target = self.doc.resolve(&file, &reference).ok()?;
            match target.value.get("$ref").and_then(Value::as_str) {
                Some(next) => {
                    file = target.file.to_string();
                    reference = next.to_string();
                }
                None => return Some(target.value),
            }
        }
        None
    }
}

/// The parts of a composition that are not the `null` schema, with their
/// indices in the spec.
pub(super) fn non_null_parts(parts: &[Value]) -> Vec<(usize, &Value)> {
    parts
        .iter()
        .enumerate()
        .filter(|(_, p)| !super::shape::is_null_schema(p))
        .collect()
}

/// Whether every part admits the same JSON types, written down.
fn same_admitted_types(parts: &[(usize, &Value)]) -> bool {
    let first = parts.first().and_then(|(_, p)| admitted_types(p));
    first.is_some() && parts.iter().all(|(_, p)| admitted_types(p) == first)
}

/// Gives every tri-state field its `clear_…` method name and every optional
/// field with a scalar `default` its `…_or_default` reader, unique in the struct.
pub fn name_clear_setters(fields: &mut [Field], namer: &mut Namer) {
    for f in fields.iter_mut() {
        if f.shape() == FieldShape::Tristate {
            let (name, _) = namer.claim(&naming::clear_setter_name(&f.name.rust));
            f.clear_setter = Some(name);
        }
    }
    for f in fields.iter_mut() {
        let scalar = f
            .default
            .as_ref()
            .is_some_and(|d| !matches!(d, Value::Null | Value::Array(_) | Value::Object(_)));
        if f.shape() == FieldShape::Optional && scalar {
            let (name, _) = namer.claim(&naming::default_getter_name(&f.name.rust));
            f.default_getter = Some(name);
        }
    }
}

/// The validation keywords of one schema object.
fn constraints(schema: &Value) -> Constraints {
    let count = |key: &str| {
        let v = schema.get(key)?;
        v.as_u64()
            .or_else(|| v.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
    };
    let number = |key: &str| schema.get(key).and_then(Value::as_f64);
    let mut c = Constraints {
        min_length: count("minLength"),
        max_length: count("maxLength"),
        minimum: number("minimum"),
        maximum: number("maximum"),
        exclusive_minimum: number("exclusiveMinimum"),
        exclusive_maximum: number("exclusiveMaximum"),
        min_items: count("minItems"),
        max_items: count("maxItems"),
    };
    // OpenAPI 3.0 / draft 4: `exclusiveMinimum: true` makes `minimum` exclusive.
    if schema.get("exclusiveMinimum") == Some(&Value::Bool(true)) {
        c.exclusive_minimum = c.minimum.take();
    }
    if schema.get("exclusiveMaximum") == Some(&Value::Bool(true)) {
        c.exclusive_maximum = c.maximum.take();
    }
    c
}

/// The description (else title) of a schema, for rustdoc.
pub fn describe(schema: &Value) -> Option<String> {
    let text = schema
        .get("description")
        .and_then(Value::as_str)
        .or_else(|| schema.get("title").and_then(Value::as_str))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    // The client sends no default itself: the server applies it to an unset field.
    let default = schema
        .get("default")
        .map(|d| format!("Default (the server's, when unset): `{d}`."));
    match (text, default) {
        (Some(text), Some(default)) => Some(format!("{text}\n\n{default}")),
        (Some(text), None) => Some(text.to_string()),
        (None, default) => default,
    }
}
