//! Lowering schemas: JSON Schema / OpenAPI schema objects → [`TypeRef`]s and [`TypeDef`]s.
//!
//! A `$ref` to a schema becomes a named type, memoised by its (file, pointer), so a
//! cycle of references ends at the type being built instead of looping. Inline
//! objects and enums become types named after where they stand
//! (`UpdateServiceRequest`, `NumbersUpdateRequestProductType`). Names here are
//! candidates; [`Lowerer::finish`] makes them final and unique, giving schema
//! names from `components` precedence over made-up ones, and merges structurally
//! identical component schemas into one type (the others become aliases).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

type Map = serde_json::Map<String, Value>;

use crate::diag::{Diagnostic, Diagnostics, Location, pointer_join};
use crate::load::Document;
use crate::model::{
    Additional, Constraints, Enum, Example, Field, FieldShape, Struct, TypeDef, TypeId, TypeKind,
    TypeRef, Union, UnionVariant, ValueEnum, ValueVariant, Variant,
};
use crate::naming::{self, Name, Namer};

/// Deeper inline nesting than this is reported instead of followed.
const MAX_DEPTH: usize = 48;

/// How a type is used by operations; decides names of merged types.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    /// Used outside error responses (request, success response, other types).
    pub other: bool,
    /// Used as an error response body.
    pub error: bool,
}

/// A schema lowered at one use site.
#[derive(Debug, Clone)]
pub struct Lowered {
    /// The Rust type.
    pub ty: TypeRef,
    /// Whether `null` is allowed there.
    pub nullable: bool,
}

struct Pending {
    def: TypeDef,
    candidate: String,
    /// 0: named by the spec (components, `$defs`), 1: made up here.
    made_up: bool,
}

/// Builds types from schemas for one vendor; collects diagnostics as it goes.
pub struct Lowerer<'d> {
    /// The loaded vendor files.
    pub doc: &'d Document,
    pending: Vec<Pending>,
    memo: BTreeMap<(String, String), TypeId>,
    /// How operations use each type.
    pub usage: BTreeMap<TypeId, Usage>,
    /// Diagnostics found while lowering.
    pub diags: Diagnostics,
    /// Examples met, by (file, pointer), with the type each is an example of.
    pub examples: BTreeMap<(String, String), Example>,
    depth: usize,
}

impl<'d> Lowerer<'d> {
    /// A lowerer over a loaded document.
    pub fn new(doc: &'d Document) -> Self {
        Lowerer {
            doc,
            pending: Vec::new(),
            memo: BTreeMap::new(),
            usage: BTreeMap::new(),
            diags: Diagnostics::default(),
            examples: BTreeMap::new(),
            depth: 0,
        }
    }

    /// Whether `ty` is a struct (through aliases), as lowered so far.
    pub fn is_struct(&self, ty: &TypeRef) -> bool {
        let mut ty = ty.clone();
        for _ in 0..self.pending.len() {
            let TypeRef::Named(id) = ty else {
                return false;
            };
            match &self.pending[id.0].def.kind {
                TypeKind::Struct(_) => return true,
                TypeKind::Alias(target) => ty = target.clone(),
                _ => return false,
            }
        }
        false
    }

    /// Records the examples a schema carries (`example`, and the `examples` array of
    /// JSON Schema and OpenAPI 3.1) as examples of `ty`.
    pub fn note_schema_examples(
        &mut self,
        file: &str,
        pointer: &str,
        schema: &Value,
        ty: &TypeRef,
        nullable: bool,
    ) {
        if let Some(example) = schema.get("example") {
            self.note_example(
                file,
                &pointer_join(pointer, "example"),
                example,
                ty,
                nullable,
            );
        }
        if let Some(Value::Array(list)) = schema.get("examples") {
            let at = pointer_join(pointer, "examples");
            for (i, example) in list.iter().enumerate() {
                self.note_example(
                    file,
                    &pointer_join(&at, &i.to_string()),
                    example,
                    ty,
                    nullable,
                );
            }
        }
    }

    /// Records one example of `ty`, once per place. Examples of any JSON value
    /// prove nothing and are left out, and so is `example: null`: descriptions
    /// write it as "no example" (a `null` that the type allows proves nothing
    /// either).
    pub fn note_example(
        &mut self,
        file: &str,
        pointer: &str,
        value: &Value,
        ty: &TypeRef,
        nullable: bool,
    ) {
        if *ty == TypeRef::Any || value.is_null() {
            return;
        }
        self.examples
            .entry((file.to_string(), pointer.to_string()))
            .or_insert_with(|| Example {
                name: String::new(),
                origin: Location::new(file, pointer),
                ty: ty.clone(),
                nullable,
                value: value.clone(),
            });
    }

    /// Registers a type with a candidate name; its final name comes from [`Lowerer::finish`].
    pub fn add_type(
        &mut self,
        candidate: String,
        made_up: bool,
        origin: Location,
        docs: Option<String>,
        kind: TypeKind,
    ) -> TypeId {
        let id = TypeId(self.pending.len());
        self.pending.push(Pending {
            def: TypeDef {
                name: Name::new(candidate.clone(), String::new()),
                docs,
                kind,
                origin,
                aliases: Vec::new(),
            },
            candidate,
            made_up,
        });
        id
    }

    /// Records that an operation uses `ty` (and so the named type inside it).
    pub fn note_usage(&mut self, ty: &TypeRef, as_error: bool) {
        if let Some(id) = named_inside(ty) {
            let usage = self.usage.entry(id).or_default();
            if as_error {
                usage.error = true;
            } else {
                usage.other = true;
            }
        }
    }

    /// Lowers the schema `schema` found at `file`/`pointer`. `hint` names any type
    /// this creates.
    pub fn lower(&mut self, file: &str, pointer: &str, schema: &Value, hint: &str) -> Lowered {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            return self.lower_ref(file, pointer, reference, schema);
        }
        if self.depth >= MAX_DEPTH {
            self.diags.push(
                Diagnostic::warning(
                    Location::new(file, pointer),
                    "schema nesting is too deep; this part is typed as any JSON value",
                )
                .with_help("move deeply nested inline schemas into components and reference them"),
            );
            return Lowered {
                ty: TypeRef::Any,
                nullable: true,
            };
        }
        self.depth += 1;
        let lowered = self.lower_inline(file, pointer, schema, hint);
        self.depth -= 1;
        self.note_schema_examples(file, pointer, schema, &lowered.ty, lowered.nullable);
        lowered
    }

    fn lower_ref(&mut self, file: &str, pointer: &str, reference: &str, site: &Value) -> Lowered {
        let resolved = match self.doc.resolve(file, reference) {
            Ok(r) => r,
            Err(message) => {
                self.diags.push(
                    Diagnostic::warning(
                        Location::new(file, pointer_join(pointer, "$ref")),
                        format!("{message}; this value is typed as any JSON value"),
                    )
                    .with_help("point the `$ref` at an existing schema"),
                );
                return Lowered {
                    ty: TypeRef::Any,
                    nullable: true,
                };
            }
        };
        let key = (resolved.file.to_string(), resolved.pointer.clone());
        let nullable = is_nullable(resolved.value) || is_nullable_site(site);
        if let Some(id) = self.memo.get(&key) {
            return Lowered {
                ty: TypeRef::Named(*id),
                nullable,
            };
        }
        let candidate = ref_name(resolved.file, &resolved.pointer, resolved.value);
        self.named(
            resolved.file.to_string(),
            resolved.pointer.clone(),
            resolved.value,
            candidate,
            false,
        );
        let id = self.memo[&key];
        Lowered {
            ty: TypeRef::Named(id),
            nullable,
        }
    }

    /// Lowers a schema that has a name of its own (a component, a `$defs` entry, a
    /// whole file) to a named type, once.
    pub fn named(
        &mut self,
        file: String,
        pointer: String,
        value: &Value,
        candidate: String,
        made_up: bool,
    ) -> TypeId {
        let key = (file.clone(), pointer.clone());
        if let Some(id) = self.memo.get(&key) {
            return *id;
        }
        let origin = Location::new(file.as_str(), pointer.as_str());
        let docs = describe(value);
        let id = self.add_type(
            candidate.clone(),
            made_up,
            origin,
            docs,
            TypeKind::Alias(TypeRef::Any),
        );
        self.memo.insert(key, id);
        let kind = if is_struct_schema(value) {
            TypeKind::Struct(self.lower_struct(&file, &pointer, value, &candidate))
        } else if let Some(merged) = self.named_all_of(&file, value) {
            TypeKind::Struct(self.lower_struct(&file, &pointer, &merged, &candidate))
        } else if let Some(variants) = string_enum(value) {
            TypeKind::Enum(self.lower_enum(&variants))
        } else if let Some(values) = value_enum(value) {
            TypeKind::ValueEnum(lower_value_enum(values))
        } else if let Some(union) = self.lower_union(&file, &pointer, value, &candidate) {
            TypeKind::Union(union)
        } else if let Some(union) = self.named_type_array(&file, &pointer, value, &candidate) {
            TypeKind::Union(union)
        } else {
            let saved = self.depth;
            self.depth += 1;
            let lowered = self.lower_inline_shape(&file, &pointer, value, &candidate);
            self.depth = saved;
            TypeKind::Alias(lowered.ty)
        };
        self.pending[id.0].def.kind = kind;
        self.note_schema_examples(
            &file,
            &pointer,
            value,
            &TypeRef::Named(id),
            is_nullable(value),
        );
        id
    }

    fn lower_inline(&mut self, file: &str, pointer: &str, schema: &Value, hint: &str) -> Lowered {
        let nullable = is_nullable(schema);
        if is_struct_schema(schema) {
            let origin = Location::new(file, pointer);
            let docs = describe(schema);
            let id = self.add_type(
                hint.to_string(),
                true,
                origin,
                docs,
                TypeKind::Alias(TypeRef::Any),
            );
            let st = self.lower_struct(file, pointer, schema, hint);
            self.pending[id.0].def.kind = TypeKind::Struct(st);
            return Lowered {
                ty: TypeRef::Named(id),
                nullable,
            };
        }
        let kind = if let Some(variants) = string_enum(schema) {
            Some(TypeKind::Enum(self.lower_enum(&variants)))
        } else {
            value_enum(schema).map(|values| TypeKind::ValueEnum(lower_value_enum(values)))
        };
        if let Some(kind) = kind {
            let origin = Location::new(file, pointer);
            let docs = describe(schema);
            let id = self.add_type(hint.to_string(), true, origin, docs, kind);
            return Lowered {
                ty: TypeRef::Named(id),
                nullable,
            };
        }
        let mut lowered = self.lower_inline_shape(file, pointer, schema, hint);
        lowered.nullable |= nullable;
        lowered
    }

    /// Everything that is neither a struct nor a string enum.
    fn lower_inline_shape(
        &mut self,
        file: &str,
        pointer: &str,
        schema: &Value,
        hint: &str,
    ) -> Lowered {
        let nullable = is_nullable(schema);
        let Some(obj) = schema.as_object() else {
            // `true`, `false` or garbage: any value.
            return Lowered {
                ty: TypeRef::Any,
                nullable: true,
            };
        };
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(parts)) = obj.get(key) {
                return self.lower_composition(
                    file,
                    &pointer_join(pointer, key),
                    (key, schema),
                    parts,
                    hint,
                    nullable,
                );
            }
        }
        let types = schema_types(schema);
        let non_null: Vec<&String> = types.iter().filter(|t| *t != "null").collect();
        if non_null.len() > 1 {
            if let Some(union) = self.type_array_union(file, pointer, obj, &non_null, hint) {
                let nullable = nullable || types.iter().any(|t| t == "null");
                return self.union_type(file, pointer, hint, union, nullable);
            }
            self.diags.push(
                Diagnostic::warning(
                    Location::new(file, pointer_join(pointer, "type")),
                    format!("a value of types {non_null:?} is typed as any JSON value for now"),
                )
                .with_help("the value is kept whole as serde_json::Value; nothing is dropped"),
            );
            return Lowered {
                ty: TypeRef::Any,
                nullable: true,
            };
        }
        let format = obj.get("format").and_then(Value::as_str);
        let ty = match non_null.first().map(|t| t.as_str()) {
            Some("string") if format == Some("decimal") => TypeRef::DecimalString,
            Some("string") if format == Some("binary") => TypeRef::Binary,
            Some("string") if format == Some("date-time") => TypeRef::DateTime,
            Some("string") if format == Some("date") => TypeRef::Date,
            Some("string") if format == Some("uuid") => TypeRef::Uuid,
            Some("string") => TypeRef::String,
            Some("boolean") => TypeRef::Bool,
            Some("integer") => match obj.get("format").and_then(Value::as_str) {
                Some("int32") => TypeRef::I32,
                _ => TypeRef::I64,
            },
            Some("number") if format == Some("decimal") => TypeRef::Decimal,
            Some("number") => TypeRef::F64,
            Some("array") => self.lower_items(file, pointer, obj, hint),
            Some("object") => self.lower_map(file, pointer, obj, hint),
            Some(other) => {
                self.diags.push(
                    Diagnostic::warning(
                        Location::new(file, pointer_join(pointer, "type")),
                        format!("unknown type `{other}`; typed as any JSON value"),
                    )
                    .with_help("use one of string, number, integer, boolean, array, object, null"),
                );
                TypeRef::Any
            }
            None if obj.contains_key("items") => self.lower_items(file, pointer, obj, hint),
            None if obj.contains_key("additionalProperties")
                || obj.contains_key("patternProperties") =>
            {
                self.lower_map(file, pointer, obj, hint)
            }
            None => TypeRef::Any,
        };
        let any = ty == TypeRef::Any;
        Lowered {
            ty,
            nullable: nullable || any,
        }
    }

    fn lower_items(&mut self, file: &str, pointer: &str, obj: &Map, hint: &str) -> TypeRef {
        TypeRef::Array(Box::new(self.lower_child(
            file,
            pointer,
            obj,
            "items",
            &format!("{hint}Item"),
        )))
    }

    /// The value type of `patternProperties` when every other key is refused
    /// (`additionalProperties: false`): the one pattern's schema, or any JSON
    /// value for several patterns.
    fn pattern_value(&mut self, file: &str, pointer: &str, schema: &Value, hint: &str) -> TypeRef {
        let Some(Value::Object(patterns)) = schema.get("patternProperties") else {
            return TypeRef::Any;
        };
        match patterns.iter().next() {
            Some((pattern, child)) if patterns.len() == 1 && child.is_object() => {
                let at = pointer_join(&pointer_join(pointer, "patternProperties"), pattern);
                self.lower(file, &at, child, &format!("{hint}Value")).ty
            }
            _ => TypeRef::Any,
        }
    }

    fn lower_map(&mut self, file: &str, pointer: &str, obj: &Map, hint: &str) -> TypeRef {
        if obj.get("additionalProperties") == Some(&Value::Bool(false))
            && obj.contains_key("patternProperties")
        {
            let schema = Value::Object(obj.clone());
            return TypeRef::Map(Box::new(self.pattern_value(file, pointer, &schema, hint)));
        }
        let value = self.lower_child(
            file,
            pointer,
            obj,
            "additionalProperties",
            &format!("{hint}Value"),
        );
        TypeRef::Map(Box::new(value))
    }

    /// The type of the schema under `key` (`items`, `additionalProperties`); any JSON
    /// value when it is absent or not a schema object (`true`).
    // A nullable item is typed `T`, not `Option<T>`, for now: `null` items fail to decode
    // unless `T` is `Any`. Optional items need an `Option` in `TypeRef`.
    fn lower_child(
        &mut self,
        file: &str,
        pointer: &str,
        obj: &Map,
        key: &str,
        hint: &str,
    ) -> TypeRef {
        match obj.get(key) {
            Some(child) if child.is_object() => {
                self.lower(file, &pointer_join(pointer, key), child, hint)
                    .ty
            }
            _ => TypeRef::Any,
        }
    }

    fn lower_composition(
        &mut self,
        file: &str,
        pointer: &str,
        (key, schema): (&str, &Value),
        parts: &[Value],
        hint: &str,
        nullable: bool,
    ) -> Lowered {
        let mut non_null = Self::non_null_parts(parts);
        let mut has_null = non_null.len() < parts.len();
        if key == "allOf" && non_null.len() > 1 {
            // Parts that only annotate (`{nullable: true}`, `{description: ...}`,
            // an empty `{type: object}`) add no shape of their own.
            has_null |= non_null
                .iter()
                .any(|(_, p)| is_annotation_only(p) && is_nullable(p));
            let shaping = shaping_parts(&non_null);
            if !shaping.is_empty() {
                non_null = shaping;
            }
        }
        if non_null.len() == 1 {
            let (i, part) = non_null[0];
            let mut lowered = self.lower(file, &pointer_join(pointer, &i.to_string()), part, hint);
            lowered.nullable |= has_null || nullable;
            return lowered;
        }
        if key == "allOf" {
            if let Some(merged) = self.merge_all_of(file, &non_null) {
                let mut lowered = self.lower_inline(file, pointer, &merged, hint);
                lowered.nullable |= has_null || nullable;
                return lowered;
            }
        }
        if key == "allOf" {
            // Parts admitting the same JSON types (`anyOf [number, string]` twice,
            // the second only ruling out zero) refine one value: it has the first
            // part's type; the other parts' rules are not checked before sending.
            let first = admitted_types(non_null[0].1);
            if first.is_some() && non_null.iter().all(|(_, p)| admitted_types(p) == first) {
                let (i, part) = non_null[0];
                let mut lowered =
                    self.lower(file, &pointer_join(pointer, &i.to_string()), part, hint);
                lowered.nullable |= has_null || nullable;
                return lowered;
            }
        }
        if key != "allOf" {
            let union = self.union_from_parts(file, pointer, &non_null, schema, hint);
            return self.union_type(file, pointer, hint, union, has_null || nullable);
        }
        self.diags.push(
            Diagnostic::warning(
                Location::new(file, pointer),
                format!(
                    "`allOf` of {} parts that are not all objects is typed as any JSON value for now",
                    non_null.len()
                ),
            )
            .with_help("the value is kept whole as serde_json::Value; nothing is dropped"),
        );
        Lowered {
            ty: TypeRef::Any,
            nullable: true,
        }
    }

    /// A named schema that is a `oneOf`/`anyOf` of several non-null alternatives,
    /// as a union; `None` for anything else.
    fn lower_union(
        &mut self,
        file: &str,
        pointer: &str,
        schema: &Value,
        hint: &str,
    ) -> Option<Union> {
        let (key, parts) = ["oneOf", "anyOf"]
            .iter()
            .find_map(|k| schema.get(*k).and_then(Value::as_array).map(|p| (*k, p)))?;
        if schema.get("allOf").is_some() {
            return None;
        }
        let non_null = Self::non_null_parts(parts);
        if non_null.len() < 2 {
            return None;
        }
        let saved = self.depth;
        self.depth += 1;
        let union =
            self.union_from_parts(file, &pointer_join(pointer, key), &non_null, schema, hint);
        self.depth = saved;
        Some(union)
    }

    /// A made-up union type named by `hint`.
    fn union_type(
        &mut self,
        file: &str,
        pointer: &str,
        hint: &str,
        union: Union,
        nullable: bool,
    ) -> Lowered {
        let origin = Location::new(file, pointer);
        let id = self.add_type(hint.to_string(), true, origin, None, TypeKind::Union(union));
        Lowered {
            ty: TypeRef::Named(id),
            nullable,
        }
    }

    /// The variants of a union: each alternative lowered and named, and the
    /// discriminator's values when `schema` has one that tags every alternative.
    fn union_from_parts(
        &mut self,
        file: &str,
        pointer: &str,
        parts: &[(usize, &Value)],
        schema: &Value,
        hint: &str,
    ) -> Union {
        let mut names = Namer::with_reserved(&["Unknown"]);
        let mut variants = Vec::new();
        let mut refs: Vec<Option<(String, String)>> = Vec::new();
        for (n, (i, part)) in parts.iter().enumerate() {
            let target = part
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| self.doc.resolve(file, r).ok())
                .map(|r| {
                    (
                        r.file.to_string(),
                        r.pointer.clone(),
                        ref_name(r.file, &r.pointer, r.value),
                    )
                });
            let title = part
                .get("title")
                .and_then(Value::as_str)
                .map(str::to_string);
            let inline_hint = format!(
                "{hint}{}",
                naming::type_name(title.as_deref().unwrap_or(&format!("Variant{}", n + 1)))
            );
            let lowered = self.lower(
                file,
                &pointer_join(pointer, &i.to_string()),
                part,
                &inline_hint,
            );
            let candidate = match (&target, &title) {
                (Some((_, _, name)), _) => name.clone(),
                (None, Some(title)) => title.clone(),
                (None, None) => Self::variant_word(&lowered.ty, n),
            };
            let (rust, _) = names.claim(&naming::type_name(&candidate));
            // A nullable alternative is its type: `null` makes the union's use site nullable.
            variants.push(UnionVariant {
                name: Name::new(candidate, rust),
                ty: lowered.ty,
                tags: Vec::new(),
            });
            refs.push(target.map(|(f, p, _)| (f, p)));
        }
        let tag = self.discriminator_tags(file, schema, &refs, &mut variants);
        Union { variants, tag }
    }

    /// Fills each variant's tag values from `discriminator` (its `mapping`, else the
    /// referenced schema's name); the property name when every variant has one.
    fn discriminator_tags(
        &mut self,
        file: &str,
        schema: &Value,
        refs: &[Option<(String, String)>],
        variants: &mut [UnionVariant],
    ) -> Option<String> {
        let discriminator = schema.get("discriminator")?;
        let property = discriminator.get("propertyName")?.as_str()?.to_string();
        let mapping = discriminator.get("mapping").and_then(Value::as_object);
        for (variant, target) in variants.iter_mut().zip(refs) {
            let Some((target_file, target_pointer)) = target else {
                return None;
            };
            if let Some(mapping) = mapping {
                for (value, reference) in mapping {
                    let Some(reference) = reference.as_str() else {
                        continue;
                    };
                    let reference = if reference.contains('#') || reference.contains('/') {
                        reference.to_string()
                    } else {
                        format!("#/components/schemas/{reference}")
                    };
                    if let Ok(r) = self.doc.resolve(file, &reference) {
                        if r.file == target_file && &r.pointer == target_pointer {
                            variant.tags.push(value.clone());
                        }
                    }
                }
            }
            if variant.tags.is_empty() {
                let name = target_pointer.rsplit('/').next().unwrap_or_default();
                variant.tags.push(crate::load::unescape_segment(name));
            }
        }
        Some(property)
    }

    /// The alternatives of a composition that are not the `null` schema, with their
    /// indices in the spec.
    fn non_null_parts(parts: &[Value]) -> Vec<(usize, &Value)> {
        parts
            .iter()
            .enumerate()
            .filter(|(_, p)| !is_null_schema(p))
            .collect()
    }

    /// A named schema that is an `allOf` of object parts (besides parts that only
    /// annotate, and not a lone `$ref`, which stays an alias) is the merged struct
    /// itself, rather than an alias of a made-up one.
    fn named_all_of(&mut self, file: &str, schema: &Value) -> Option<Value> {
        let parts = schema.get("allOf")?.as_array()?;
        if ["oneOf", "anyOf"].iter().any(|k| schema.get(*k).is_some()) {
            return None;
        }
        let shaping = shaping_parts(&Self::non_null_parts(parts));
        if shaping.is_empty() || (shaping.len() == 1 && shaping[0].1.get("$ref").is_some()) {
            return None;
        }
        self.merge_all_of(file, &shaping).filter(is_struct_schema)
    }

    /// A named schema whose `type` array has several non-null types is the union
    /// itself (rather than an alias of a made-up union type).
    fn named_type_array(
        &mut self,
        file: &str,
        pointer: &str,
        schema: &Value,
        hint: &str,
    ) -> Option<Union> {
        let obj = schema.as_object()?;
        if ["allOf", "oneOf", "anyOf"]
            .iter()
            .any(|k| obj.contains_key(*k))
        {
            return None;
        }
        let types = schema_types(schema);
        let non_null: Vec<&String> = types.iter().filter(|t| *t != "null").collect();
        if non_null.len() < 2 {
            return None;
        }
        self.type_array_union(file, pointer, obj, &non_null, hint)
    }

    /// The untagged union of a `type` array (`[string, integer]`,
    /// `[string, array]`): one variant per type, arrays typed by `items` and
    /// objects as maps typed by `additionalProperties`. `None` for a type it does
    /// not know.
    fn type_array_union(
        &mut self,
        file: &str,
        pointer: &str,
        obj: &Map,
        types: &[&String],
        hint: &str,
    ) -> Option<Union> {
        let mut variants = Vec::new();
        for t in types {
            let ty = match t.as_str() {
                "string" => TypeRef::String,
                "integer" => TypeRef::I64,
                "number" => TypeRef::F64,
                "boolean" => TypeRef::Bool,
                "array" => self.lower_items(file, pointer, obj, hint),
                "object" => self.lower_map(file, pointer, obj, hint),
                _ => return None,
            };
            let word = Lowerer::variant_word(&ty, variants.len());
            if variants.iter().any(|v: &UnionVariant| v.name.rust == word) {
                continue;
            }
            variants.push(UnionVariant {
                name: Name::new(t.as_str(), word),
                ty,
                tags: Vec::new(),
            });
        }
        // An integer is also a number: the more precise type is tried first.
        variants.sort_by_key(|v| match v.ty {
            TypeRef::Bool => 0,
            TypeRef::I64 => 1,
            TypeRef::F64 => 2,
            _ => 3,
        });
        Some(Union {
            variants,
            tag: None,
        })
    }

    /// A word for a variant with no schema name or title, after its type.
    fn variant_word(ty: &TypeRef, n: usize) -> String {
        match ty {
            TypeRef::Array(_) => "List".into(),
            TypeRef::Map(_) => "Map".into(),
            other => other
                .scalar_word()
                .map_or_else(|| format!("Variant{}", n + 1), str::to_string),
        }
    }

    /// Merges `allOf` parts that are all objects into one object schema.
    fn merge_all_of(&mut self, file: &str, parts: &[(usize, &Value)]) -> Option<Value> {
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

    fn lower_struct(&mut self, file: &str, pointer: &str, schema: &Value, hint: &str) -> Struct {
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
    fn ref_target(&self, file: &str, schema: &Value) -> Option<&'d Value> {
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

    fn lower_enum(&mut self, values: &[String]) -> Enum {
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

    /// Infers a type from example values: objects become structs whose fields are
    /// all optional, `null` becomes any JSON value, disagreeing examples widen to
    /// any JSON value. Unknown fields are kept by every struct.
    pub fn infer(&mut self, file: &str, pointer: &str, examples: &[&Value], hint: &str) -> TypeRef {
        let non_null: Vec<&Value> = examples.iter().copied().filter(|v| !v.is_null()).collect();
        let Some(first) = non_null.first() else {
            return TypeRef::Any;
        };
        let same_kind = non_null
            .iter()
            .all(|v| std::mem::discriminant(*v) == std::mem::discriminant(*first));
        if !same_kind {
            return TypeRef::Any;
        }
        match first {
            Value::Bool(_) => TypeRef::Bool,
            Value::String(_) => TypeRef::String,
            Value::Number(_) => {
                if non_null.iter().all(|v| v.as_i64().is_some()) {
                    TypeRef::I64
                } else {
                    TypeRef::F64
                }
            }
            Value::Array(_) => {
                let items: Vec<&Value> = non_null
                    .iter()
                    .filter_map(|v| v.as_array())
                    .flatten()
                    .collect();
                TypeRef::Array(Box::new(self.infer(
                    file,
                    pointer,
                    &items,
                    &format!("{hint}Item"),
                )))
            }
            Value::Object(_) => {
                let mut keys: Vec<&String> = Vec::new();
                for v in &non_null {
                    for k in v.as_object().into_iter().flat_map(|o| o.keys()) {
                        if !keys.contains(&k) {
                            keys.push(k);
                        }
                    }
                }
                let mut namer = Namer::with_reserved(&["new"]);
                let mut fields = Vec::new();
                for key in keys {
                    let values: Vec<&Value> = non_null
                        .iter()
                        .filter_map(|v| v.get(key.as_str()))
                        .collect();
                    let field_hint = format!("{hint}{}", naming::bare(&naming::type_name(key)));
                    let ty = self.infer(file, pointer, &values, &field_hint);
                    let (rust, _) = namer.claim(&naming::snake_name(key));
                    let saw_null = values.iter().any(|v| v.is_null());
                    fields.push(Field {
                        name: Name::new(key.clone(), rust),
                        nullable: saw_null || ty == TypeRef::Any,
                        ty,
                        required: false,
                        docs: None,
                        constraints: Constraints::default(),
                        clear_setter: None,
                        default: None,
                        default_getter: None,
                    });
                }
                let (field, _) = namer.claim("additional_properties");
                name_clear_setters(&mut fields, &mut namer);
                let st = Struct {
                    fields,
                    additional: Additional {
                        field,
                        value: TypeRef::Any,
                        denied: false,
                    },
                    inferred: true,
                };
                let id = self.add_type(
                    hint.to_string(),
                    true,
                    Location::new(file, pointer),
                    None,
                    TypeKind::Struct(st),
                );
                TypeRef::Named(id)
            }
            Value::Null => TypeRef::Any,
        }
    }

    /// Makes every name final and unique, merges identical component types, and
    /// returns the types, their sorted order, and the merged-away → kept map (the
    /// caller rewrites its own references with it). `reserved` names are taken by
    /// other items of the module (the client).
    pub fn finish(mut self, reserved: &[&str], merge: Merge) -> Finished {
        let Merge {
            merged,
            aliases: alias_candidates,
        } = merge;

        let mut namer = Namer::with_reserved(reserved);
        let mut order: Vec<usize> = (0..self.pending.len())
            .filter(|i| !merged.contains_key(&TypeId(*i)))
            .collect();
        order.sort_by_key(|i| (self.pending[*i].made_up, *i));
        for i in order {
            let candidate = naming::type_name(&self.pending[i].candidate);
            let (rust, renamed) = namer.claim(&candidate);
            if renamed && !self.pending[i].made_up {
                self.diags.push(Diagnostic::warning(
                    self.pending[i].def.origin.clone(),
                    format!(
                        "schema `{}` has the same Rust name as another type; it is `{rust}`",
                        self.pending[i].candidate
                    ),
                ));
            }
            self.pending[i].def.name.rust = rust;
        }
        for (keep, candidates) in alias_candidates {
            let mut names = Vec::new();
            for candidate in candidates {
                let rust = naming::type_name(&candidate);
                if rust == self.pending[keep.0].def.name.rust {
                    continue;
                }
                let (rust, _) = namer.claim(&rust);
                names.push(Name::new(candidate, rust));
            }
            names.sort();
            self.pending[keep.0].def.aliases = names;
        }
        let mut types: Vec<TypeDef> = self.pending.into_iter().map(|p| p.def).collect();
        for def in &mut types {
            remap_kind(&mut def.kind, &merged);
        }
        let mut order: Vec<TypeId> = (0..types.len())
            .map(TypeId)
            .filter(|id| !merged.contains_key(id))
            .collect();
        order.sort_by(|a, b| types[a.0].name.rust.cmp(&types[b.0].name.rust));
        Finished {
            types,
            order,
            merged,
            diags: self.diags,
        }
    }

    /// Groups structurally identical struct and enum types named by the spec and
    /// keeps one per group. Repeats until nothing changes, since merging two types can
    /// make the types that contain them identical. Returns merged-away → kept, and for
    /// each kept type the schema names that become aliases of it.
    pub fn merge_identical(&mut self) -> Merge {
        let mut merged: BTreeMap<TypeId, TypeId> = BTreeMap::new();
        let mut aliases: BTreeMap<TypeId, Vec<String>> = BTreeMap::new();
        loop {
            let mut groups: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
            for (i, p) in self.pending.iter().enumerate() {
                let id = TypeId(i);
                if p.made_up
                    || merged.contains_key(&id)
                    || !matches!(
                        p.def.kind,
                        TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::ValueEnum(_)
                    )
                {
                    continue;
                }
                let mut kind = p.def.kind.clone();
                remap_kind(&mut kind, &merged);
                // Documentation does not make two shapes different.
                if let TypeKind::Struct(st) = &mut kind {
                    st.fields.iter_mut().for_each(|f| f.docs = None);
                }
                groups.entry(format!("{kind:?}")).or_default().push(id);
            }
            let mut changed = false;
            for members in groups.into_values().filter(|m| m.len() > 1) {
                changed = true;
                let keep = members[0];
                let mut names: Vec<String> = Vec::new();
                for member in &members {
                    names.push(self.pending[member.0].candidate.clone());
                    names.extend(aliases.remove(member).unwrap_or_default());
                }
                for other in &members[1..] {
                    merged.insert(*other, keep);
                }
                for target in merged.values_mut() {
                    if members.contains(target) {
                        *target = keep;
                    }
                }
                let usage = members.iter().fold(Usage::default(), |acc, m| {
                    let u = self.usage.get(m).copied().unwrap_or_default();
                    Usage {
                        other: acc.other || u.other,
                        error: acc.error || u.error,
                    }
                });
                self.usage.insert(keep, usage);
                let listed = names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let p = &mut self.pending[keep.0];
                p.candidate = merged_name(&names, usage);
                p.def.docs = Some(format!(
                    "One type for the structurally identical schemas {listed}."
                ));
                aliases.insert(keep, names);
            }
            if !changed {
                return Merge { merged, aliases };
            }
        }
    }
}

/// Identical types found by [`Lowerer::merge_identical`].
pub struct Merge {
    /// Merged-away → kept.
    pub merged: BTreeMap<TypeId, TypeId>,
    /// For each kept type, the schema names that become aliases of it.
    pub aliases: BTreeMap<TypeId, Vec<String>>,
}

/// What [`Lowerer::finish`] returns.
pub struct Finished {
    /// All types by id; merged-away ones are left in place but not in `order`.
    pub types: Vec<TypeDef>,
    /// The types to emit, sorted by Rust name.
    pub order: Vec<TypeId>,
    /// Merged-away → kept.
    pub merged: BTreeMap<TypeId, TypeId>,
    /// Diagnostics of lowering.
    pub diags: Diagnostics,
}

/// The name of a type that stands for several identical schemas: the words their
/// names end with in common (`BadRequest_Result`, `NotFound_Result` → `Result`),
/// prefixed with `Error` when the type only ever carries error responses and the
/// words do not say so already (→ `ErrorResult`); with no common words, the first
/// name.
fn merged_name(names: &[String], usage: Usage) -> String {
    let split: Vec<Vec<String>> = names.iter().map(|n| words(n)).collect();
    let mut common: Vec<String> = Vec::new();
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    for k in 1..=shortest {
        let word = &split[0][split[0].len() - k];
        if split.iter().all(|w| &w[w.len() - k] == word) {
            common.insert(0, word.clone());
        } else {
            break;
        }
    }
    let only_errors = usage.error && !usage.other;
    if only_errors && !common.iter().any(|w| w == "Error" || w == "Errors") {
        common.insert(0, "Error".to_string());
    }
    if common.is_empty() {
        names[0].clone()
    } else {
        common.concat()
    }
}

/// Splits a name into capitalised words (`BadRequest_Result` → Bad, Request, Result).
fn words(name: &str) -> Vec<String> {
    let camel = naming::type_name(name);
    let mut out: Vec<String> = Vec::new();
    for c in naming::bare(&camel).chars() {
        if c.is_ascii_uppercase() || out.is_empty() {
            out.push(c.to_string());
        } else if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

fn remap(ty: &mut TypeRef, merged: &BTreeMap<TypeId, TypeId>) {
    match ty {
        TypeRef::Named(id) => {
            if let Some(to) = merged.get(id) {
                *id = *to;
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => remap(inner, merged),
        _ => {}
    }
}

/// Rewrites references to merged-away types.
pub fn remap_ref(ty: &mut TypeRef, merged: &BTreeMap<TypeId, TypeId>) {
    remap(ty, merged);
}

fn remap_kind(kind: &mut TypeKind, merged: &BTreeMap<TypeId, TypeId>) {
    match kind {
        TypeKind::Struct(st) => {
            for f in &mut st.fields {
                remap(&mut f.ty, merged);
            }
            remap(&mut st.additional.value, merged);
        }
        TypeKind::Alias(t) => remap(t, merged),
        TypeKind::StatusEnum(variants) => {
            for v in variants {
                remap(&mut v.ty, merged);
            }
        }
        TypeKind::Union(u) => {
            for v in &mut u.variants {
                remap(&mut v.ty, merged);
            }
        }
        TypeKind::Enum(_) | TypeKind::ValueEnum(_) => {}
    }
}

/// The named type a reference is about (through arrays and maps).
pub fn named_inside(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => named_inside(inner),
        _ => None,
    }
}

/// The candidate name of a referenced schema: the last pointer token, or the file
/// stem (or `title`) for a whole-file reference.
fn ref_name(file: &str, pointer: &str, value: &Value) -> String {
    let last = pointer.rsplit('/').next().unwrap_or("");
    if pointer == "#" || last.is_empty() {
        if let Some(title) = value.get("title").and_then(Value::as_str) {
            return title.to_string();
        }
        let stem = file.rsplit('/').next().unwrap_or(file);
        return stem.split('.').next().unwrap_or(stem).to_string();
    }
    last.replace("~1", "/").replace("~0", "~")
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

/// The `type` keyword as a list (3.1 allows an array).
pub fn schema_types(schema: &Value) -> Vec<String> {
    match schema.get("type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a schema allows `null`: `nullable: true` (3.0), `"null"` among its types
/// (3.1), or `null` among its enum values.
pub fn is_nullable(schema: &Value) -> bool {
    schema.get("nullable").and_then(Value::as_bool) == Some(true)
        || schema_types(schema).iter().any(|t| t == "null")
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.iter().any(Value::is_null))
}

/// 3.1 allows `nullable`-like siblings next to `$ref`; 3.0 tools commonly write them too.
fn is_nullable_site(site: &Value) -> bool {
    site.get("nullable").and_then(Value::as_bool) == Some(true)
}

fn is_null_schema(schema: &Value) -> bool {
    let types = schema_types(schema);
    types.len() == 1 && types[0] == "null"
}

/// Whether every alternative under `key` beside a struct's `properties` only
/// adds rules about properties the struct lists (`required` sets, narrower
/// enums): the struct is then the whole shape, and nothing is left untyped.
fn only_constrains(schema: &Value, key: &str) -> bool {
    let listed = schema.get("properties").and_then(Value::as_object);
    let Some(Value::Array(alternatives)) = schema.get(key) else {
        return false;
    };
    alternatives.iter().all(|alternative| {
        let Some(obj) = alternative.as_object() else {
            return false;
        };
        obj.iter().all(|(k, v)| match k.as_str() {
            "required" | "additionalProperties" | "minProperties" | "maxProperties" => true,
            "type" => v.as_str() == Some("object"),
            "properties" => v.as_object().is_some_and(|props| {
                props
                    .keys()
                    .all(|p| listed.is_some_and(|l| l.contains_key(p)))
            }),
            other => ANNOTATIONS.contains(&other) || other.starts_with("x-"),
        })
    })
}

/// Keywords that describe a schema without shaping its values.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "nullable",
    "example",
    "examples",
    "default",
    "readOnly",
    "writeOnly",
    "deprecated",
    "externalDocs",
    "xml",
    "$comment",
    "format",
];

/// The `allOf` parts that shape the value (not [`is_annotation_only`]).
fn shaping_parts<'v>(parts: &[(usize, &'v Value)]) -> Vec<(usize, &'v Value)> {
    parts
        .iter()
        .copied()
        .filter(|(_, p)| !is_annotation_only(p))
        .collect()
}

/// Whether an `allOf` part only annotates: no keyword that shapes a value but
/// an empty object's (`type: object`, no properties).
fn is_annotation_only(schema: &Value) -> bool {
    let Some(obj) = schema.as_object() else {
        return false;
    };
    obj.iter().all(|(key, value)| {
        ANNOTATIONS.contains(&key.as_str())
            || key.starts_with("x-")
            || (key == "type" && value.as_str() == Some("object"))
            || (key == "properties" && value.as_object().is_some_and(|p| p.is_empty()))
    })
}

/// Whether an `allOf` part can be merged into an object: no alternatives, enum,
/// items or non-object type (properties and `required` may be absent).
///
/// A part with `properties` (even none) beside `oneOf`/`anyOf` counts by its
/// properties: it is typically a base schema listing its own subtypes (which
/// `allOf` it back), and what its alternatives add stays in the struct's
/// catch-all map.
fn is_object_like(schema: &Value) -> bool {
    let Some(obj) = schema.as_object() else {
        return false;
    };
    let types = schema_types(schema);
    let with_properties = obj.get("properties").is_some_and(Value::is_object);
    let shaping: &[&str] = if with_properties {
        &["enum", "const", "items", "$ref"]
    } else {
        &["oneOf", "anyOf", "enum", "const", "items", "$ref"]
    };
    types.iter().all(|t| t == "object" || t == "null")
        && shaping.iter().all(|k| !obj.contains_key(*k))
}

/// The JSON types (besides `null`) a schema admits, from its `type` or its
/// alternatives' types; `None` when that is not written down (a `$ref`, no
/// `type`).
fn admitted_types(schema: &Value) -> Option<BTreeSet<String>> {
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(alternatives)) = schema.get(key) {
            let mut all = BTreeSet::new();
            for alternative in alternatives {
                all.extend(admitted_types(alternative)?);
            }
            return Some(all);
        }
    }
    let types: BTreeSet<String> = schema_types(schema)
        .into_iter()
        .filter(|t| t != "null")
        .collect();
    (!types.is_empty() && schema.get("$ref").is_none()).then_some(types)
}

/// Whether a schema describes an object with declared properties.
pub fn is_struct_schema(schema: &Value) -> bool {
    let props = schema.get("properties").and_then(Value::as_object);
    let types = schema_types(schema);
    let objecty = types.is_empty() || types.iter().any(|t| t == "object");
    objecty
        && props.is_some_and(|p| !p.is_empty())
        && !schema.get("allOf").is_some_and(Value::is_array)
}

/// Whether a schema is an object with no declared properties and no value schema:
/// a free-form object, whose shape examples may tell.
pub fn is_free_form_object(schema: &Value) -> bool {
    let types = schema_types(schema);
    types.iter().any(|t| t == "object")
        && schema
            .get("properties")
            .and_then(Value::as_object)
            .is_none_or(|p| p.is_empty())
        && !matches!(schema.get("additionalProperties"), Some(Value::Object(o)) if !o.is_empty())
        && ["allOf", "oneOf", "anyOf"]
            .iter()
            .all(|k| schema.get(*k).is_none())
}

/// The values of a string enum (nulls left out: they make the use site nullable).
/// The values of a string `enum`, or of a string `const` (an enum of one value).
fn string_enum(schema: &Value) -> Option<Vec<String>> {
    if let Some(Value::String(value)) = schema.get("const") {
        return Some(vec![value.clone()]);
    }
    let values = schema.get("enum")?.as_array()?;
    // `type: string` with `enum: [1, 2]` (YAML reads unquoted digits as numbers):
    // the values are the strings the type says.
    let typed_string = schema_types(schema).iter().any(|t| t == "string");
    let strings: Vec<String> = values
        .iter()
        .filter(|v| !v.is_null())
        .map(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(_) | Value::Bool(_) if typed_string => Some(v.to_string()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let mut seen = BTreeSet::new();
    let unique: Vec<String> = strings
        .into_iter()
        .filter(|s| seen.insert(s.clone()))
        .collect();
    (!unique.is_empty()).then_some(unique)
}

/// The values of an `enum` (or `const`) that are scalars but not all strings:
/// integers, or a mix (`[1, "a", true]`). Nulls are left out (they make the use
/// site nullable), repeats are dropped; arrays or objects among the values give
/// `None` (the value stays its plain type).
fn value_enum(schema: &Value) -> Option<Vec<Value>> {
    let values: Vec<Value> = match (schema.get("const"), schema.get("enum")) {
        (Some(c), _) if !c.is_null() => vec![c.clone()],
        (_, Some(Value::Array(values))) => values.clone(),
        _ => return None,
    };
    let mut unique: Vec<Value> = Vec::new();
    for value in values {
        match value {
            Value::Null => {}
            Value::Array(_) | Value::Object(_) => return None,
            _ if unique.contains(&value) => {}
            _ => unique.push(value),
        }
    }
    // `[true, false]` lists every boolean: the value is a plain `bool`.
    let every_bool = unique.len() == 2 && unique.iter().all(Value::is_boolean);
    (!unique.is_empty() && !unique.iter().all(Value::is_string) && !every_bool).then_some(unique)
}

/// Variants for the values of a [`value_enum`]: named after the value (`V2`,
/// `Minus1`, `True`, `Active`), with collision suffixes.
fn lower_value_enum(values: Vec<Value>) -> ValueEnum {
    let integer = values.iter().all(|v| v.as_i64().is_some());
    let mut namer = Namer::with_reserved(&["Unknown"]);
    let variants = values
        .into_iter()
        .map(|value| {
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
                value,
            }
        })
        .collect();
    ValueEnum { variants, integer }
}

/// Wraps in `Box` every struct field and alias whose type leads back to the type
/// that holds it without passing through a `Vec` or a map, so recursive schemas
/// give types of finite size.
pub fn box_cycles(types: &mut [TypeDef]) {
    fn direct(ty: &TypeRef) -> Option<TypeId> {
        match ty {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        }
    }
    fn edges(kind: &TypeKind) -> Vec<TypeId> {
        match kind {
            TypeKind::Struct(st) => st.fields.iter().filter_map(|f| direct(&f.ty)).collect(),
            TypeKind::Alias(t) => direct(t).into_iter().collect(),
            TypeKind::StatusEnum(vs) => vs.iter().filter_map(|v| direct(&v.ty)).collect(),
            TypeKind::Union(u) => u.variants.iter().filter_map(|v| direct(&v.ty)).collect(),
            TypeKind::Enum(_) | TypeKind::ValueEnum(_) => Vec::new(),
        }
    }
    let graph: Vec<Vec<TypeId>> = types.iter().map(|t| edges(&t.kind)).collect();
    let reaches = |from: TypeId, to: TypeId| -> bool {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n) {
                if let Some(next) = graph.get(n.0) {
                    stack.extend(next.iter().copied());
                }
            }
        }
        false
    };
    for (i, def) in types.iter_mut().enumerate() {
        let me = TypeId(i);
        let wrap = |ty: &mut TypeRef| {
            if let Some(target) = direct(ty) {
                if reaches(target, me) {
                    *ty = TypeRef::Boxed(Box::new(ty.clone()));
                }
            }
        };
        match &mut def.kind {
            TypeKind::Struct(st) => st.fields.iter_mut().for_each(|f| wrap(&mut f.ty)),
            TypeKind::StatusEnum(vs) => vs.iter_mut().for_each(|v| wrap(&mut v.ty)),
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| wrap(&mut v.ty)),
            TypeKind::Alias(_) | TypeKind::Enum(_) | TypeKind::ValueEnum(_) => {}
        }
    }
}
