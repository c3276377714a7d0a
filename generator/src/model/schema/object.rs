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
        let object = ObjectSchema::declared(file, pointer, schema);
        let st = self.lower_struct(file, pointer, object, &hint);
        self.table.define(id, TypeKind::Struct(st));
        Lowered {
            ty: TypeRef::Named(id),
            nullable: is_nullable(schema),
        }
    }

    /// A merged `allOf`: a struct of its properties, or a map of any values
    /// when no part declares one.
    fn merged_type(
        &mut self,
        file: &str,
        pointer: &str,
        merged: ObjectSchema<'_>,
        reg: Register,
    ) -> Lowered {
        if merged.properties.is_empty() {
            return Lowered {
                ty: TypeRef::Map(Box::new(TypeRef::Any)),
                nullable: false,
            };
        }
        let id = match reg {
            Register::Named(id) => id,
            Register::Inline(hint) => self.add_type(
                hint.to_string(),
                true,
                Location::new(file, pointer),
                merged.description.clone(),
                TypeKind::Alias(TypeRef::Any),
            ),
        };
        let hint = self.table.candidate(id).to_string();
        let st = self.lower_struct(file, pointer, merged, &hint);
        self.table.define(id, TypeKind::Struct(st));
        Lowered {
            ty: TypeRef::Named(id),
            nullable: false,
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
        // A part written twice (`allOf: [$ref: A, $ref: A]`) adds nothing the
        // first did not; merging it again would repeat all its work, which
        // grows exponentially when the part holds such an `allOf` itself.
        let mut distinct: Vec<(usize, &Value)> = Vec::with_capacity(shaping.len());
        for (i, part) in shaping {
            if !distinct.iter().any(|(_, seen)| *seen == part) {
                distinct.push((i, part));
            }
        }
        shaping = distinct;
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
        let mut lowered = if let ([(i, part)], false) = (&shaping[..], has_own_properties(schema)) {
            self.lower_part(file, &pointer_join(&at, &i.to_string()), part, reg)
        } else {
            match self.merge_all_of(file, pointer, schema, &shaping) {
                Ok(merged) => self.merged_type(file, pointer, merged, reg),
                Err(NoMerge::NotObjects) if same_admitted_types(&shaping) => {
                    // Parts admitting the same JSON types (`anyOf [number, string]`
                    // twice, the second only ruling out zero) refine one value: it
                    // has the first part's type; the other parts' rules are not
                    // checked before sending.
                    let (i, part) = shaping[0];
                    self.lower_part(file, &pointer_join(&at, &i.to_string()), part, reg)
                }
                Err(NoMerge::NotObjects) => {
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
                }
                Err(NoMerge::Cycle(back)) => {
                    self.diags.push(
                        Diagnostic::warning(
                            Location::new(file, at),
                            format!("`allOf` leads back to itself through `{back}`; the value is typed as any JSON value"),
                        )
                        .with_help("an `allOf` part cannot include the schema that includes it; break the cycle"),
                    );
                    return Lowered::any();
                }
            }
        };
        lowered.nullable |= has_null || is_nullable(schema);
        lowered
    }

    /// Merges `allOf` parts that are all objects (and the properties written
    /// beside the `allOf`) into one object, each property keeping the place it
    /// is written, so its `$ref`s resolve in its own file. `None` when a part is
    /// not object-like, or a part leads back to itself.
    fn merge_all_of<'v>(
        &self,
        file: &str,
        pointer: &str,
        schema: &'v Value,
        parts: &[(usize, &'v Value)],
    ) -> Result<ObjectSchema<'v>, NoMerge>
    where
        'd: 'v,
    {
        let at = pointer_join(pointer, "allOf");
        let mut merged = ObjectSchema::default();
        let mut seen = BTreeSet::from([(file.to_string(), pointer.to_string())]);
        for (i, part) in parts {
            let place = (file.to_string(), pointer_join(&at, &i.to_string()));
            self.merge_part(&mut merged, place, part, &mut seen)?;
        }
        // Properties beside the `allOf` belong to the same object.
        merged.add_own(file, pointer, schema);
        Ok(merged)
    }

    /// Adds one `allOf` part to `merged`: a `$ref` by its target, a nested
    /// `allOf` part by part.
    fn merge_part<'v>(
        &self,
        merged: &mut ObjectSchema<'v>,
        (file, pointer): (String, String),
        part: &'v Value,
        seen: &mut BTreeSet<(String, String)>,
    ) -> Result<(), NoMerge>
    where
        'd: 'v,
    {
        let (file, pointer, value) = match part.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let target = self
                    .doc
                    .resolve(&file, reference)
                    .map_err(|_| NoMerge::NotObjects)?;
                (target.file.to_string(), target.pointer, target.value)
            }
            None => (file, pointer, part),
        };
        if !seen.insert((file.clone(), pointer.clone())) {
            return Err(NoMerge::Cycle(Location::new(file, pointer)));
        }
        if let Some(Value::Array(inner)) = value.get("allOf") {
            let at = pointer_join(&pointer, "allOf");
            for (j, inner_part) in inner.iter().enumerate() {
                let place = (file.clone(), pointer_join(&at, &j.to_string()));
                self.merge_part(merged, place, inner_part, seen)?;
            }
            merged.add_own(&file, &pointer, value);
        } else {
            if !is_object_like(value) {
                return Err(NoMerge::NotObjects);
            }
            merged.add(&file, &pointer, value);
        }
        seen.remove(&(file, pointer));
        Ok(())
    }

    /// A struct of `object`'s properties, in order; `pointer` is where the
    /// object schema stands.
    fn lower_struct(
        &mut self,
        file: &str,
        pointer: &str,
        object: ObjectSchema<'_>,
        hint: &str,
    ) -> Struct {
        let schema = object.rules.unwrap_or(&Value::Null);
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
        let required: BTreeSet<&str> = object.required.iter().map(String::as_str).collect();
        for prop in &object.properties {
            let wire = &prop.wire;
            let field_hint = format!("{hint}{}", naming::bare(&naming::type_name(wire)));
            let lowered = self.lower(&prop.file, &prop.pointer, prop.schema, &field_hint);
            self.mark_field_examples(&prop.file, &prop.pointer);
            let (rust, renamed) = namer.claim(&naming::snake_name(wire));
            if renamed {
                self.diags.push(Diagnostic::warning(
                    Location::new(&prop.file, &prop.pointer),
                    format!("property `{wire}` has the same Rust name as another property; it is `{rust}`"),
                ));
            }
            fields.push(Field {
                name: Name::new(wire.clone(), rust),
                ty: lowered.ty,
                required: required.contains(wire.as_str()),
                nullable: lowered.nullable,
                docs: describe(prop.schema),
                constraints: self.constraints_of(&prop.file, prop.schema),
                clear_setter: None,
                default: prop
                    .schema
                    .get("default")
                    .or_else(|| self.ref_target(&prop.file, prop.schema)?.get("default"))
                    .cloned(),
                default_getter: None,
            });
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

/// What a struct is built from: properties, each with the place it is
/// written, and the object-level rules.
#[derive(Default)]
struct ObjectSchema<'v> {
    /// In order; a later `allOf` part's property of the same name replaces an
    /// earlier one in its place.
    properties: Vec<Property<'v>>,
    /// Required property names, in order, once each.
    required: Vec<String>,
    /// The schema whose `additionalProperties`, `patternProperties` and
    /// alternatives apply: a declared object's own; none for a merged `allOf`.
    rules: Option<&'v Value>,
    /// The first description among merged parts (a made-up type's docs).
    description: Option<String>,
}

/// One property of an [`ObjectSchema`].
struct Property<'v> {
    wire: String,
    file: String,
    pointer: String,
    schema: &'v Value,
}

impl<'v> ObjectSchema<'v> {
    /// A declared object: its properties, `required` and rules.
    fn declared(file: &str, pointer: &str, schema: &'v Value) -> Self {
        let mut object = ObjectSchema {
            rules: Some(schema),
            ..ObjectSchema::default()
        };
        object.add_own(file, pointer, schema);
        object
    }

    /// An object-like `allOf` part: its properties, `required` and description.
    fn add(&mut self, file: &str, pointer: &str, part: &'v Value) {
        self.add_own(file, pointer, part);
        if self.description.is_none() {
            self.description = part
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string);
        }
    }

    /// The `properties` and `required` written in `schema` itself.
    fn add_own(&mut self, file: &str, pointer: &str, schema: &'v Value) {
        if let Some(Value::Object(props)) = schema.get("properties") {
            let at = pointer_join(pointer, "properties");
            for (wire, prop) in props {
                let property = Property {
                    wire: wire.clone(),
                    file: file.to_string(),
                    pointer: pointer_join(&at, wire),
                    schema: prop,
                };
                match self.properties.iter_mut().find(|p| p.wire == *wire) {
                    Some(earlier) => *earlier = property,
                    None => self.properties.push(property),
                }
            }
        }
        if let Some(Value::Array(names)) = schema.get("required") {
            for name in names.iter().filter_map(Value::as_str) {
                if !self.required.iter().any(|r| r == name) {
                    self.required.push(name.to_string());
                }
            }
        }
    }
}

/// Why `allOf` parts do not merge into one object.
enum NoMerge {
    /// A part is not object-like (a scalar, alternatives, an enum) or dangles.
    NotObjects,
    /// A part includes, through `$ref`s, a schema being merged: the place.
    Cycle(Location),
}

/// Whether a schema declares properties or `required` names of its own
/// (beside its `allOf`).
fn has_own_properties(schema: &Value) -> bool {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty())
        || schema
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| !r.is_empty())
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
