//! Lowering schemas: JSON Schema / OpenAPI schema objects → [`TypeRef`]s and [`TypeDef`](crate::model::TypeDef)s.
//!
//! There is one way a schema becomes a type, `Lowerer::lower_schema`: [`Shape::of`]
//! says what the schema is, one function per shape lowers it, and a
//! [`Register`] says what happens to a type it defines. A schema with a name of its
//! own (a component, a `$defs` entry, a whole file: [`Lowerer::named`]) is that
//! type; a schema written in place ([`Lowerer::lower`]) defines a type named after
//! where it stands (`UpdateServiceRequest`, `NumbersUpdateRequestProductType`).
//! A composition whose value is one of its parts (a lone `allOf` part, a `oneOf`
//! with one non-null alternative) lowers that part the same way, so a named schema
//! stays the type itself rather than an alias of a made-up copy.
//!
//! A `$ref` to a schema becomes a named type, memoised by its (file, pointer), so a
//! cycle of references ends at the type being built instead of looping. Names
//! here are candidates; the [`TypeTable`] makes them final and unique, giving
//! schema names from `components` precedence over made-up ones, and merges
//! structurally identical component schemas into one type.
//!
//! The files, by shape: [`shape`] (the classifier), `object` (structs and `allOf`),
//! `collection` (arrays and maps), `union` (`oneOf`/`anyOf` and type arrays),
//! `enums`, `infer` (types from examples), [`table`] (naming, merging, boxing).

mod collection;
mod enums;
mod infer;
mod object;
pub mod shape;
pub mod table;
mod union;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics, Location, pointer_join};
use crate::load::Document;
use crate::model::{Example, TypeId, TypeKind, TypeRef};

pub use object::{describe, name_clear_setters};
pub use shape::{Shape, is_free_form_object};
pub use table::{Finished, Merge, TypeTable, Usage, box_cycles, named_inside, remap_ref};

use shape::{is_nullable, is_nullable_site};

/// Deeper inline nesting than this is reported instead of followed.
const MAX_DEPTH: usize = 48;

/// Named schemas lowered one inside another (a `$ref` in a property of a
/// `$ref`'d schema…) before a deeper one waits its turn: a chain of a
/// thousand `$ref`s would otherwise take the stack (each level is a few
/// frames of the lowering functions).
const MAX_NAMED_DEPTH: usize = 24;

/// A schema lowered at one use site.
#[derive(Debug, Clone)]
pub struct Lowered {
    /// The Rust type.
    pub ty: TypeRef,
    /// Whether `null` is allowed there.
    pub nullable: bool,
}

impl Lowered {
    /// Any JSON value, `null` included.
    fn any() -> Lowered {
        Lowered {
            ty: TypeRef::Any,
            nullable: true,
        }
    }
}

/// What becomes of a type a schema defines (a struct, an enum, a union).
#[derive(Debug, Clone, Copy)]
pub enum Register<'h> {
    /// The schema has a name of its own: the type is `id`, already in the table
    /// (so references back to it end there), and the definition fills it in.
    Named(TypeId),
    /// The schema is written in place: the definition is a new type, named
    /// after where it stands.
    Inline(&'h str),
}

/// Builds types from schemas for one vendor; collects diagnostics as it goes.
pub struct Lowerer<'d> {
    /// The loaded vendor files.
    pub doc: &'d Document,
    /// Every type defined so far.
    pub table: TypeTable,
    memo: BTreeMap<(String, String), TypeId>,
    /// Named types whose schema allows `null` through its shape (a `oneOf` with
    /// a `null` alternative), beyond what `nullable`/`type` say at its root.
    nullable_named: BTreeSet<TypeId>,
    /// Diagnostics found while lowering.
    pub diags: Diagnostics,
    /// Examples met, by (file, pointer), with the type each is an example of.
    pub examples: BTreeMap<(String, String), Example>,
    depth: usize,
    /// How many named schemas are being lowered one inside another.
    named_depth: usize,
    /// Named schemas met deeper than [`MAX_NAMED_DEPTH`]: their types exist,
    /// their definitions are lowered when the outermost named schema is done.
    deferred: Vec<(String, String, Value, TypeId)>,
}

impl<'d> Lowerer<'d> {
    /// A lowerer over a loaded document.
    pub fn new(doc: &'d Document) -> Self {
        Lowerer {
            doc,
            table: TypeTable::default(),
            memo: BTreeMap::new(),
            nullable_named: BTreeSet::new(),
            diags: Diagnostics::default(),
            examples: BTreeMap::new(),
            depth: 0,
            named_depth: 0,
            deferred: Vec::new(),
        }
    }

    /// Registers a type with a candidate name; its final name comes from [`TypeTable::finish`].
    pub fn add_type(
        &mut self,
        candidate: String,
        made_up: bool,
        origin: Location,
        docs: Option<String>,
        kind: TypeKind,
    ) -> TypeId {
        self.table.add(candidate, made_up, origin, docs, kind)
    }

    /// Keeps a type out of merging ([`TypeTable::keep_apart`]).
    pub fn keep_apart(&mut self, id: TypeId) {
        self.table.keep_apart(id);
    }

    /// Whether `ty` is a struct (through aliases), as lowered so far.
    pub fn is_struct(&self, ty: &TypeRef) -> bool {
        self.table.is_struct(ty)
    }

    /// Whether `ty` is a struct with a boolean field of wire name `wire`.
    pub fn has_bool_field(&self, ty: &TypeRef, wire: &str) -> bool {
        self.table.struct_of(ty).is_some_and(|st| {
            st.fields
                .iter()
                .any(|f| f.name.wire == wire && f.ty == TypeRef::Bool)
        })
    }

    /// Records that an operation uses `ty` (and so the named type inside it).
    pub fn note_usage(&mut self, ty: &TypeRef, as_error: bool) {
        self.table.note_usage(ty, as_error);
    }

    /// Merges structurally identical spec types (see [`TypeTable::merge_identical`]).
    pub fn merge_identical(&mut self) -> Merge {
        self.table.merge_identical()
    }

    /// Makes every name final (see [`TypeTable::finish`]); the diagnostics of
    /// lowering come back with the types.
    pub fn finish(self, reserved: &[&str], merge: Merge) -> Finished {
        self.table.finish(reserved, merge, self.diags)
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
                of_field: false,
            });
    }

    /// Marks the examples written on a struct field's own schema at
    /// `file`/`pointer`, and on its items' schema, as read the way the field
    /// reads them.
    pub fn mark_field_examples(&mut self, file: &str, pointer: &str) {
        for schema in [pointer.to_string(), pointer_join(pointer, "items")] {
            let single = (file.to_string(), pointer_join(&schema, "example"));
            if let Some(example) = self.examples.get_mut(&single) {
                example.of_field = true;
            }
            let list = format!("{}/", pointer_join(&schema, "examples"));
            let from = (file.to_string(), list.clone());
            for ((_, at), example) in self.examples.range_mut(from..) {
                if !at.starts_with(&list) {
                    break;
                }
                example.of_field = true;
            }
        }
    }

    /// Lowers the schema `schema` found at `file`/`pointer`, written in place.
    /// `hint` names any type this creates.
    pub fn lower(&mut self, file: &str, pointer: &str, schema: &Value, hint: &str) -> Lowered {
        self.lower_part(file, pointer, schema, Register::Inline(hint))
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
        let id = self.add_type(
            candidate,
            made_up,
            origin,
            describe(value),
            TypeKind::Alias(TypeRef::Any),
        );
        self.memo.insert(key, id);
        if self.named_depth >= MAX_NAMED_DEPTH {
            // Lowered later, as the target of a cycle is: what is read of it
            // now (whether it admits `null` by its shape) is not known yet.
            self.deferred.push((file, pointer, value.clone(), id));
            return id;
        }
        self.named_depth += 1;
        self.define_named(&file, &pointer, value, id);
        self.named_depth -= 1;
        if self.named_depth == 0 {
            // In the order met; each may defer more.
            let mut next = 0;
            while next < self.deferred.len() {
                let (file, pointer, value, id) = std::mem::replace(
                    &mut self.deferred[next],
                    (String::new(), String::new(), Value::Null, id),
                );
                next += 1;
                self.named_depth += 1;
                self.define_named(&file, &pointer, &value, id);
                self.named_depth -= 1;
            }
            self.deferred.clear();
        }
        id
    }

    /// Lowers a named schema's definition into its type `id`.
    fn define_named(&mut self, file: &str, pointer: &str, value: &Value, id: TypeId) {
        let lowered = self.lower_schema(file, pointer, value, Register::Named(id));
        // A shape that defines no type of its own (a scalar, a list, a
        // reference) makes the named type an alias of it.
        if lowered.nullable && lowered.ty != TypeRef::Any {
            self.nullable_named.insert(id);
        }
        if lowered.ty != TypeRef::Named(id) {
            self.table.define(id, TypeKind::Alias(lowered.ty));
        }
        self.note_schema_examples(
            file,
            pointer,
            value,
            &TypeRef::Named(id),
            is_nullable(value),
        );
    }

    /// A schema met inside another (a property, an item, a composition's part):
    /// a reference, or the schema lowered with its nesting depth watched and its
    /// examples noted.
    fn lower_part(&mut self, file: &str, pointer: &str, schema: &Value, reg: Register) -> Lowered {
        if let Shape::Reference(reference) = Shape::of(schema) {
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
            return Lowered::any();
        }
        self.depth += 1;
        let lowered = self.lower_schema(file, pointer, schema, reg);
        self.depth -= 1;
        self.note_schema_examples(file, pointer, schema, &lowered.ty, lowered.nullable);
        lowered
    }

    /// The one way a schema becomes a type: what [`Shape::of`] says it is,
    /// lowered by that shape's function, with any type it defines registered by
    /// `reg`.
    /// Warns about rule keywords whose value is not a number the model can hold
    /// (text, or a number past `f64` such as `1e400`, which loads as text): the
    /// rule is not checked. Numbers past 64 bits load as the nearest `f64` and
    /// are checked as that.
    fn report_unread_rules(&mut self, file: &str, pointer: &str, schema: &Value) {
        const RULES: [&str; 8] = [
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
        ];
        for key in RULES {
            match schema.get(key) {
                None | Some(Value::Number(_)) => {}
                // OpenAPI 3.0's `exclusiveMinimum: true`.
                Some(Value::Bool(_)) if key.starts_with("exclusive") => {}
                Some(other) => self.diags.push(
                    Diagnostic::warning(
                        Location::new(file, pointer_join(pointer, key)),
                        format!("`{key}` is `{other}`, not a number a Rust type holds; the rule is not checked"),
                    )
                    .with_help(format!("write `{key}` as a finite JSON number")),
                ),
            }
        }
    }

    fn lower_schema(
        &mut self,
        file: &str,
        pointer: &str,
        schema: &Value,
        reg: Register,
    ) -> Lowered {
        self.report_unread_rules(file, pointer, schema);
        let nullable = is_nullable(schema);
        let hint = self.hint(reg);
        let plain = |ty: TypeRef| Lowered {
            nullable: nullable || ty == TypeRef::Any,
            ty,
        };
        match Shape::of(schema) {
            Shape::Reference(reference) => self.lower_ref(file, pointer, reference, schema),
            Shape::Struct => self.struct_type(file, pointer, schema, reg),
            Shape::AllOf(parts) => self.lower_all_of(file, pointer, schema, parts, reg),
            Shape::StringEnum(values) => {
                let kind = TypeKind::Enum(enums::lower_enum(&values));
                let origin = Location::new(file, pointer);
                let ty = self.register(reg, origin, describe(schema), kind);
                Lowered { ty, nullable }
            }
            Shape::ValueEnum(values) => {
                let kind = TypeKind::ValueEnum(enums::lower_value_enum(values));
                let origin = Location::new(file, pointer);
                let ty = self.register(reg, origin, describe(schema), kind);
                Lowered { ty, nullable }
            }
            Shape::Union { keyword, parts } => {
                self.lower_union(file, pointer, schema, (keyword, parts), reg)
            }
            Shape::TypeArray(types) => self.lower_type_array(file, pointer, schema, &types, reg),
            Shape::Scalar(ty) => plain(ty),
            Shape::Array => plain(self.lower_items(file, pointer, schema, &hint)),
            Shape::Map => plain(self.lower_map(file, pointer, schema, &hint)),
            Shape::UnknownType(other) => {
                self.diags.push(
                    Diagnostic::warning(
                        Location::new(file, pointer_join(pointer, "type")),
                        format!("unknown type `{other}`; typed as any JSON value"),
                    )
                    .with_help("use one of string, number, integer, boolean, array, object, null"),
                );
                Lowered::any()
            }
            Shape::Any => Lowered::any(),
        }
    }

    /// The name types defined inside a schema start from.
    fn hint(&self, reg: Register) -> String {
        match reg {
            Register::Named(id) => self.table.candidate(id).to_string(),
            Register::Inline(hint) => hint.to_string(),
        }
    }

    /// Registers a definition: fills in the named type, or adds a type named
    /// after where the schema stands.
    fn register(
        &mut self,
        reg: Register,
        origin: Location,
        docs: Option<String>,
        kind: TypeKind,
    ) -> TypeRef {
        match reg {
            Register::Named(id) => {
                self.table.define(id, kind);
                TypeRef::Named(id)
            }
            Register::Inline(hint) => {
                TypeRef::Named(self.add_type(hint.to_string(), true, origin, docs, kind))
            }
        }
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
        let id = match self.memo.get(&key) {
            Some(id) => *id,
            None => {
                let candidate = ref_name(resolved.file, &resolved.pointer, resolved.value);
                self.named(
                    resolved.file.to_string(),
                    resolved.pointer.clone(),
                    resolved.value,
                    candidate,
                    false,
                )
            }
        };
        Lowered {
            ty: TypeRef::Named(id),
            nullable: is_nullable(resolved.value)
                || is_nullable_site(site)
                || self.nullable_named.contains(&id),
        }
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
