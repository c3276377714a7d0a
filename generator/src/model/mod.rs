//! The model: what one vendor's generated module contains, as plain data.
//!
//! Lowering ([`schema`], [`lower_operation`]) builds it from a loaded
//! [`Document`](crate::load::Document), and passes over the finished types
//! ([`defaults`], [`examples`]) type the fields' defaults and keep the examples
//! that fit; [`check`] reports what the model cannot say faithfully; emit reads it
//! and nothing else, so every decision emit prints is made here, typed. Every name here is final and unique,
//! and every collection is in output order (types and operations sorted by Rust
//! name, fields and variants in spec order).

pub mod check;
pub mod defaults;
pub mod examples;
pub mod features;
pub mod lower_api;
pub mod lower_operation;
pub mod schema;
pub mod vendor_config;

use crate::diag::Location;
use crate::naming::Name;

/// Index of a type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// One vendor's API: a module with types and, for OpenAPI input, a client.
#[derive(Debug, Clone)]
pub struct Api {
    /// Module name (wire: the vendor folder's name).
    pub module: Name,
    /// `info.title`, when there is an OpenAPI document.
    pub title: Option<String>,
    /// `info.version`.
    pub version: Option<String>,
    /// `info.description`.
    pub description: Option<String>,
    /// The client's default base URL (from `servers`), when one is absolute.
    pub base_url: Option<String>,
    /// Types, indexed by [`TypeId`]. Emit them in [`Api::type_order`].
    pub types: Vec<TypeDef>,
    /// Indices of `types` sorted by Rust name.
    pub type_order: Vec<TypeId>,
    /// Operations sorted by method name. Empty for JSON-Schema-only vendors.
    pub operations: Vec<Operation>,
    /// Whether to emit a client (only for OpenAPI input).
    pub has_client: bool,
    /// Types that implement `runtime::Validate`: those with a rule somewhere inside.
    pub validated: std::collections::BTreeSet<TypeId>,
    /// The API description's examples with the type each must decode into, in
    /// file and pointer order; only those that fit it (the others are reported
    /// and left out by [`examples::keep_fitting`]).
    pub examples: Vec<Example>,
    /// What each `…_or_default` reader returns, by struct and field index
    /// ([`defaults::decide_defaults`]); exactly the fields with a
    /// [`Field::default_getter`] have one.
    pub defaults: std::collections::BTreeMap<(TypeId, usize), DefaultValue>,
    /// The cargo features that gate operations and types, when the vendor asks
    /// for one per OpenAPI tag ([`features::decide_features`]).
    pub features: Option<features::Features>,
    /// The OAuth 2 client-credentials flows of the security schemes, by scheme
    /// name: the client offers a token source of each.
    pub token_flows: Vec<TokenFlow>,
    /// The prelude's type names the vendor's own types take
    /// ([`crate::naming::prelude_taken`]): emit names those by absolute path.
    pub prelude_taken: std::collections::BTreeSet<&'static str>,
}

/// The OAuth 2 client-credentials flow of one security scheme: the client gets
/// a constructor of its `runtime::ClientCredentials` and a constant per scope.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenFlow {
    /// Wire: the security scheme's name; Rust: the `Client` function that
    /// makes the flow.
    pub method: Name,
    /// The token URL as written: absolute, or a reference relative to the base
    /// URL (lowering checked that it parses).
    pub token_url: String,
    /// Whether `token_url` is relative to the base URL.
    pub relative: bool,
    /// The scopes, in spec order. Wire: the scope; Rust: its `Client` constant.
    pub scopes: Vec<(Name, String)>,
    /// The security scheme's description.
    pub description: Option<String>,
    /// Where the flow is written.
    pub origin: Location,
}

/// One example of the API description (schema `example`/`examples`, media type
/// `example`/`examples`) and the generated type it is an example of.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The name of its test function, unique in the vendor.
    pub name: String,
    /// Where the example is written.
    pub origin: Location,
    /// The type it must decode into.
    pub ty: TypeRef,
    /// Whether `null` is a value of the type (then it is decoded as an `Option`).
    pub nullable: bool,
    /// The example itself.
    pub value: serde_json::Value,
    /// Whether it is written on a struct field's or a parameter's own schema
    /// (or its items'): then it is judged, and tested, as a field reads it
    /// ([`Api::lenient_read`]). A parameter is text on the wire, so there too
    /// `13` and `"13"` are one value.
    pub of_field: bool,
}

/// How a struct field of a scalar type reads what vendors send in its place
/// (`runtime::lenient`): a string field takes a number or boolean as its text, a
/// number or integer field a number written as text, a boolean field
/// `"true"`/`"false"`. Sending always follows the description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LenientRead {
    /// The field's value is such a scalar.
    Scalar,
    /// The field is a list of such scalars.
    List,
}

impl Api {
    /// The type behind an id.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// What the `…_or_default` reader of field `field` of struct `ty` returns.
    pub fn default_value(&self, ty: TypeId, field: usize) -> Option<&DefaultValue> {
        self.defaults.get(&(ty, field))
    }

    /// Whether a struct field of type `ty` reads leniently, and how: the one
    /// place that decides which fields take numbers, booleans and text for one
    /// another (emit names the reader, the example check judges by it).
    pub fn lenient_read(&self, ty: &TypeRef) -> Option<LenientRead> {
        let scalar = |ty: &TypeRef| {
            matches!(
                self.resolved(ty),
                TypeRef::String | TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Bool
            )
        };
        match self.resolved(ty) {
            TypeRef::Array(item) if scalar(item) => Some(LenientRead::List),
            other if scalar(other) => Some(LenientRead::Scalar),
            _ => None,
        }
    }

    /// `ty` with type aliases followed to what they name.
    pub fn resolved<'a>(&'a self, mut ty: &'a TypeRef) -> &'a TypeRef {
        for _ in 0..self.types.len() {
            match ty {
                TypeRef::Named(id) => match &self.ty(*id).kind {
                    TypeKind::Alias(target) => ty = target,
                    _ => break,
                },
                _ => break,
            }
        }
        ty
    }

    /// Whether `constraints` say something about a value of `ty`: lengths of
    /// strings, bounds of numbers, item counts of arrays.
    pub fn constrains(&self, ty: &TypeRef, c: &Constraints) -> bool {
        match self.resolved(ty) {
            TypeRef::String => c.min_length.is_some() || c.max_length.is_some(),
            TypeRef::I32
            | TypeRef::I64
            | TypeRef::F64
            | TypeRef::Decimal
            | TypeRef::DecimalString => {
                c.minimum.is_some()
                    || c.maximum.is_some()
                    || c.exclusive_minimum.is_some()
                    || c.exclusive_maximum.is_some()
            }
            TypeRef::Array(_) => c.min_items.is_some() || c.max_items.is_some(),
            _ => false,
        }
    }

    /// Whether a value of `ty` has rules to check (a validated type inside).
    pub fn validates(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(id) => self.validated.contains(id),
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
                self.validates(inner)
            }
            _ => false,
        }
    }

    /// Finds the types with a rule somewhere inside: structs with a constrained
    /// field or `additionalProperties: false`, string enums (an unknown value
    /// cannot be sent), and everything holding one of those.
    /// With a client, only types a request can carry are checked; a JSON-Schema-only
    /// vendor checks all (its users validate values themselves).
    pub fn find_validated(&mut self) {
        let sent = self.sent_types();
        let mut validated = std::collections::BTreeSet::new();
        loop {
            let before = validated.len();
            for (i, def) in self.types.iter().enumerate() {
                let this = TypeId(i);
                if validated.contains(&this) || (self.has_client && !sent.contains(&this)) {
                    continue;
                }
                let holds = |ty: &TypeRef| {
                    let mut found = false;
                    ty.visit_named(&mut |id| found |= validated.contains(&id));
                    found
                };
                let has_rule = match &def.kind {
                    TypeKind::Enum(_) | TypeKind::ValueEnum(_) => true,
                    TypeKind::Struct(st) => {
                        st.additional.denied
                            || holds(&st.additional.value)
                            || st
                                .fields
                                .iter()
                                .any(|f| self.constrains(&f.ty, &f.constraints) || holds(&f.ty))
                    }
                    TypeKind::Alias(ty) => holds(ty),
                    TypeKind::Union(u) => u.variants.iter().any(|v| holds(&v.ty)),
                    TypeKind::StatusEnum(_) => false,
                };
                if has_rule {
                    validated.insert(this);
                }
            }
            if validated.len() == before {
                break;
            }
        }
        self.validated = validated;
    }
}

impl Api {
    /// The union a type is, through aliases and boxes: what decoding a value
    /// as `ty` tries next on the same value, consuming nothing of it.
    fn union_behind(&self, ty: &TypeRef) -> Option<TypeId> {
        let mut ty = self.resolved(ty);
        while let TypeRef::Boxed(inner) = ty {
            ty = self.resolved(inner);
        }
        match ty {
            TypeRef::Named(id) if matches!(self.ty(*id).kind, TypeKind::Union(_)) => Some(*id),
            _ => None,
        }
    }

    /// Removes the union alternatives that lead back to a union being decoded
    /// without consuming anything (`Node = Wrapper | integer`, `Wrapper =
    /// Node | [Node]`): decoding would try them forever, a stack overflow on
    /// any value. A depth-first walk over unions in type order drops each
    /// alternative that closes such a loop (`Wrapper`'s `Node`); what the
    /// union means stays (`Node = [Node] | integer`). Returns each union
    /// and the alternatives it lost.
    pub fn drop_looping_alternatives(&mut self) -> Vec<(TypeId, Vec<Name>)> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Open,
            Done,
        }
        let mut marks = vec![Mark::New; self.types.len()];
        let mut dropped: std::collections::BTreeMap<TypeId, Vec<usize>> = Default::default();
        for start in 0..self.types.len() {
            if marks[start] != Mark::New
                || self.union_behind(&TypeRef::Named(TypeId(start))).is_none()
            {
                continue;
            }
            // (union, next alternative to look at)
            let mut stack = vec![(TypeId(start), 0usize)];
            marks[start] = Mark::Open;
            while let Some((id, next)) = stack.pop() {
                let TypeKind::Union(union) = &self.ty(id).kind else {
                    marks[id.0] = Mark::Done;
                    continue;
                };
                let Some(variant) = union.variants.get(next) else {
                    marks[id.0] = Mark::Done;
                    continue;
                };
                stack.push((id, next + 1));
                if let Some(target) = self.union_behind(&variant.ty) {
                    match marks[target.0] {
                        Mark::Open => dropped.entry(id).or_default().push(next),
                        Mark::New => {
                            marks[target.0] = Mark::Open;
                            stack.push((target, 0));
                        }
                        Mark::Done => {}
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (id, indices) in dropped {
            if let TypeKind::Union(union) = &mut self.types[id.0].kind {
                let mut names = Vec::new();
                let mut i = 0;
                union.variants.retain(|v| {
                    let keep = !indices.contains(&i);
                    if !keep {
                        names.push(v.name.clone());
                    }
                    i += 1;
                    keep
                });
                out.push((id, names));
            }
        }
        out
    }

    /// The types a request can carry: bodies, parameter structs, and what they hold.
    fn sent_types(&self) -> std::collections::BTreeSet<TypeId> {
        let mut roots: Vec<TypeId> = Vec::new();
        for op in &self.operations {
            roots.extend(op.params_type);
            if let Some(body) = &op.body {
                body.ty.visit_named(&mut |id| roots.push(id));
            }
        }
        self.reachable(roots)
    }

    /// The types `roots` hold, directly or through other types (fields, items,
    /// alternatives, error bodies), `roots` included.
    pub fn reachable(&self, roots: Vec<TypeId>) -> std::collections::BTreeSet<TypeId> {
        let mut stack = roots;
        let mut seen = std::collections::BTreeSet::new();
        while let Some(id) = stack.pop() {
            if seen.insert(id) {
                self.ty(id)
                    .visit_refs(&mut |ty| ty.visit_named(&mut |id| stack.push(id)));
            }
        }
        seen
    }
}

impl TypeDef {
    /// Calls `f` with every type this one is made of.
    pub fn visit_refs(&self, f: &mut impl FnMut(&TypeRef)) {
        match &self.kind {
            TypeKind::Struct(st) => {
                st.fields.iter().for_each(|field| f(&field.ty));
                f(&st.additional.value);
            }
            TypeKind::Alias(ty) => f(ty),
            TypeKind::Union(u) => u.variants.iter().for_each(|v| f(&v.ty)),
            TypeKind::StatusEnum(variants) => variants.iter().for_each(|v| f(&v.ty)),
            TypeKind::Enum(_) | TypeKind::ValueEnum(_) => {}
        }
    }
}

/// How a client method takes a path parameter of a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathArg {
    /// Text: `&str`.
    Str,
    /// Numbers, booleans, dates, UUIDs: by value.
    Value,
    /// Anything else: by reference.
    Ref,
}

impl TypeRef {
    /// How a path parameter of this type is taken (emit prints it, the API
    /// surface describes it).
    pub fn path_arg(&self) -> PathArg {
        match self {
            TypeRef::String => PathArg::Str,
            TypeRef::I32
            | TypeRef::I64
            | TypeRef::F64
            | TypeRef::Bool
            | TypeRef::Decimal
            | TypeRef::DecimalString
            | TypeRef::DateTime
            | TypeRef::Date
            | TypeRef::Uuid => PathArg::Value,
            _ => PathArg::Ref,
        }
    }
}

impl TypeRef {
    /// Calls `f` with every generated type this refers to.
    pub fn visit_named(&self, f: &mut impl FnMut(TypeId)) {
        match self {
            TypeRef::Named(id) => f(*id),
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
                inner.visit_named(f)
            }
            _ => {}
        }
    }
}

/// A reference to a Rust type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// Any JSON value (`serde_json::Value`).
    Any,
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `runtime::Decimal`: `format: decimal` on a number; a JSON number on the wire.
    Decimal,
    /// `runtime::DecimalString`: `format: decimal` on a string; a JSON string on the wire.
    DecimalString,
    /// `runtime::Binary`: `format: binary` on a string, the bytes of a file.
    Binary,
    /// `runtime::DateTime`: `format: date-time` (RFC 3339) on a string; an
    /// instant with the offset it was written with, read as vendors write it
    /// (no offset, a space for `T`) and sent as RFC 3339.
    DateTime,
    /// `runtime::Date` (a `chrono::NaiveDate`): `format: date` (`2024-05-31`) on a
    /// string; a date-time there decodes to its date.
    Date,
    /// `uuid::Uuid`: `format: uuid` on a string.
    Uuid,
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// A generated type.
    Named(TypeId),
    /// `Box<T>`: breaks a cycle of types that contain each other.
    Boxed(Box<TypeRef>),
}

impl TypeRef {
    /// The word for a type that is not a list, map or generated type
    /// (`String`, `DateTime`, `Integer`, `Value`...): union variants are named
    /// after it, example tests after its snake case.
    pub fn scalar_word(&self) -> Option<&'static str> {
        Some(match self {
            TypeRef::Any => "Value",
            TypeRef::String => "String",
            TypeRef::Binary => "Binary",
            TypeRef::DateTime => "DateTime",
            TypeRef::Date => "Date",
            TypeRef::Uuid => "Uuid",
            TypeRef::Bool => "Boolean",
            TypeRef::I32 | TypeRef::I64 => "Integer",
            TypeRef::F64 | TypeRef::Decimal | TypeRef::DecimalString => "Number",
            TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Named(_) | TypeRef::Boxed(_) => {
                return None;
            }
        })
    }
}

/// A generated type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Rust name, and the schema name it came from (or the made-up name).
    pub name: Name,
    /// Description for rustdoc.
    pub docs: Option<String>,
    /// What kind of type.
    pub kind: TypeKind,
    /// Where in the spec it was defined.
    pub origin: Location,
    /// Other schema names that were structurally identical and merged into this
    /// type; each is emitted as a type alias so no name is lost.
    pub aliases: Vec<Name>,
    /// Its name was made up (the schema is written in place), and so were its
    /// aliases'.
    pub made_up: bool,
}

/// The shape of a generated type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(Struct),
    /// A string enum.
    Enum(Enum),
    /// An enum of integers, or of values of several JSON types (`[1, "a", true]`).
    ValueEnum(ValueEnum),
    /// A type alias for a schema that is not an object or an enum.
    Alias(TypeRef),
    /// An operation's error body when its error statuses carry different types:
    /// one variant per status, decoded by status.
    StatusEnum(Vec<StatusVariant>),
    /// A `oneOf`/`anyOf` of several schemas: one variant per alternative.
    Union(Union),
}

/// The alternatives of a `oneOf`/`anyOf`.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// One per alternative, in spec order.
    pub variants: Vec<UnionVariant>,
    /// The discriminator property, when every alternative has a tag value; then
    /// the tag picks the variant and unknown tags are kept whole. Without it the
    /// first alternative the value decodes as is taken.
    pub tag: Option<String>,
}

/// One alternative of a [`Union`].
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The variant's name (wire: what it was named after).
    pub name: Name,
    /// The alternative's type.
    pub ty: TypeRef,
    /// The discriminator values that select it (tagged unions only).
    pub tags: Vec<String>,
}

/// One variant of a [`TypeKind::StatusEnum`].
#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    /// `Status404`, `Default`... (wire: the response's key, `404`, `default`).
    pub name: Name,
    /// The statuses whose body it holds.
    pub matches: StatusMatch,
    /// The body type.
    pub ty: TypeRef,
}

/// Which statuses a documented response is for, read from its key in `responses`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    /// One status: `404`.
    Code(u16),
    /// A class of statuses by its first digit: `4XX` is `Class(4)`, 400 to 499.
    Class(u16),
    /// `default`: any status no other response is documented for.
    Default,
    /// A key that is none of these (`4xx`, not the uppercase `X` OpenAPI
    /// defines): no status selects it.
    Unrecognised,
}

/// One documented error response of an [`Operation`].
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    /// Its key in `responses`: `404`, `4XX`, `default`.
    pub key: String,
    /// The statuses it is for.
    pub matches: StatusMatch,
    /// The body type.
    pub ty: TypeRef,
}

/// A struct's fields and what happens to fields the schema does not name.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// The field that keeps undescribed properties.
    pub additional: Additional,
    /// Whether the struct was inferred from examples rather than declared.
    pub inferred: bool,
}

/// Where undescribed properties go.
#[derive(Debug, Clone, PartialEq)]
pub struct Additional {
    /// Rust name of the catch-all field.
    pub field: String,
    /// Value type of the catch-all map.
    pub value: TypeRef,
    /// `additionalProperties: false`: requests must not carry any.
    pub denied: bool,
}

/// One struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust and wire name.
    pub name: Name,
    /// Value type, without the `Option` for optional fields.
    pub ty: TypeRef,
    /// Whether the schema lists it under `required`.
    pub required: bool,
    /// Whether the schema allows `null`.
    pub nullable: bool,
    /// Description for rustdoc.
    pub docs: Option<String>,
    /// Rules checked before a request is sent.
    pub constraints: Constraints,
    /// For a [`FieldShape::Tristate`] field: the method that sets it to `null`.
    pub clear_setter: Option<String>,
    /// The schema's `default` (the property's own, else its `$ref` target's).
    /// The client never sends it: an unset field is left out, and the server
    /// applies its default.
    pub default: Option<serde_json::Value>,
    /// For an optional field with a scalar `default` its type holds: the method
    /// that reads the field, or the default when unset (`per_page_or_default`);
    /// what it returns is in [`Api::defaults`].
    pub default_getter: Option<String>,
}

/// The literal a field's `…_or_default` reader returns: the schema's `default`
/// as a value of the field's type.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    /// Text, read as `&str`.
    Str(String),
    /// A boolean.
    Bool(bool),
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// A finite `f64`.
    F64(f64),
    /// A variant (by Rust name) of the enum type `ty`; `copy`: the type is `Copy`
    /// (an integer enum), so the field is read without a clone.
    Variant {
        /// The enum type.
        ty: TypeId,
        /// The variant's Rust name.
        variant: String,
        /// Whether the enum is `Copy`.
        copy: bool,
    },
}

/// How a field is held in Rust, from whether it is required and nullable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldShape {
    /// Required, and `null` is not allowed (or is a value of the type, as for any
    /// JSON value): `T`.
    Plain,
    /// Required and nullable: `Option<T>`, `None` sent as `null`.
    RequiredNullable,
    /// Optional, not nullable: `Option<T>`, `None` left out; never sent as `null`.
    Optional,
    /// Optional and nullable: `runtime::Nullable<T>`: absent, `null` or a value.
    Tristate,
}

impl Field {
    /// How the field is held in Rust.
    pub fn shape(&self) -> FieldShape {
        match (self.required, self.nullable) {
            (true, false) => FieldShape::Plain,
            (true, true) if self.ty == TypeRef::Any => FieldShape::Plain,
            (true, true) => FieldShape::RequiredNullable,
            (false, false) => FieldShape::Optional,
            (false, true) => FieldShape::Tristate,
        }
    }
}

/// The validation keywords of a schema that the generated code checks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minLength` (strings, in characters).
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum` (3.1 number, or 3.0 boolean applied to `minimum`).
    pub exclusive_minimum: Option<f64>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: Option<f64>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
}

impl Constraints {
    /// The rules as a sentence for rustdoc: "`maxLength` 7, `minimum` 0".
    pub fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        let mut num = |name: &str, v: Option<f64>| {
            if let Some(v) = v {
                parts.push(format!("`{name}` {v}"));
            }
        };
        num("minLength", self.min_length.map(|v| v as f64));
        num("maxLength", self.max_length.map(|v| v as f64));
        num("minimum", self.minimum);
        num("maximum", self.maximum);
        num("exclusiveMinimum", self.exclusive_minimum);
        num("exclusiveMaximum", self.exclusive_maximum);
        num("minItems", self.min_items.map(|v| v as f64));
        num("maxItems", self.max_items.map(|v| v as f64));
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// A string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// Variants in spec order.
    pub variants: Vec<Variant>,
}

/// The values of an `enum` that are not all strings.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueEnum {
    /// Variants in spec order; the name's wire form is the value as JSON text.
    pub variants: Vec<ValueVariant>,
    /// Every value is an integer that fits `i64`: the type is `Copy` and its
    /// unknown values are integers too.
    pub integer: bool,
}

/// One variant of a [`ValueEnum`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValueVariant {
    /// Rust name; wire: the value as JSON text.
    pub name: Name,
    /// The value.
    pub value: ScalarValue,
    /// What the API description says of this value (its `oneOf` alternative's
    /// `description`).
    pub docs: Option<String>,
}

/// A scalar JSON value, typed: what a [`ValueVariant`] stands for on the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum ScalarValue {
    /// `true` or `false`.
    Bool(bool),
    /// Text.
    Text(String),
    /// An integer within `i64`.
    Integer(i64),
    /// A non-negative integer beyond `i64`.
    Unsigned(u64),
    /// Any other number.
    Number(f64),
}

impl ScalarValue {
    /// The scalar a JSON value is, if it is one.
    pub fn of(value: &serde_json::Value) -> Option<Self> {
        use serde_json::Value;
        Some(match value {
            Value::Bool(b) => ScalarValue::Bool(*b),
            Value::String(s) => ScalarValue::Text(s.clone()),
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => ScalarValue::Integer(i),
                (None, Some(u)) => ScalarValue::Unsigned(u),
                _ => ScalarValue::Number(n.as_f64()?),
            },
            Value::Null | Value::Array(_) | Value::Object(_) => return None,
        })
    }

    /// Whether `value` is this scalar.
    pub fn is(&self, value: &serde_json::Value) -> bool {
        Self::of(value).as_ref() == Some(self)
    }
}

/// One enum variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Rust name and exact wire value.
    pub name: Name,
    /// What the API description says of this value (its `oneOf` alternative's
    /// `description`).
    pub docs: Option<String>,
}

/// One HTTP operation: a client method.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Method name (wire: the operationId, or what the name was derived from).
    pub name: Name,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path as the spec writes it, for docs and tracing.
    pub path_template: String,
    /// The path the client appends to its base URL.
    pub path: Vec<PathPart>,
    /// Summary and description for rustdoc.
    pub docs: Option<String>,
    /// Parameters in spec order.
    pub params: Vec<Param>,
    /// The struct holding query, header and cookie parameters, if any.
    pub params_type: Option<TypeId>,
    /// The request body.
    pub body: Option<Body>,
    /// What a 2xx response decodes to.
    pub success: Success,
    /// Documented error statuses (`404`, `4XX`, `default`) and their body types.
    pub error_responses: Vec<ErrorResponse>,
    /// The type of a parsed error body.
    pub error: TypeRef,
    /// Whether `error` is a per-status enum.
    pub error_by_status: bool,
    /// The `Accept` header value.
    pub accept: Option<String>,
    /// Marked safe to repeat (`x-idempotent: true`, or the vendor's `codegen.yaml`),
    /// whatever the method.
    pub idempotent: bool,
    /// Alternative security requirements; the first that the client has
    /// credentials for is applied. Empty: no auth.
    pub security: Vec<Vec<AuthUse>>,
    /// The first of its OpenAPI `tags`, which names its cargo feature when the
    /// vendor asks for one per tag.
    pub tag: Option<String>,
    /// Its streaming form, a second method, when it has a body worth streaming.
    pub stream: Option<StreamForm>,
    /// Where it was defined.
    pub origin: Location,
}

/// The streaming form of an operation: a second method (`<method>_stream`) that
/// reads the response as it arrives and, for a binary request body, takes a
/// `runtime::Upload` (a file or a stream) instead of bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamForm {
    /// The method name (wire: the operation's).
    pub name: Name,
    /// What the method gives back.
    pub response: StreamResponse,
    /// The binary request body is taken as a `runtime::Upload`.
    pub upload: bool,
    /// A boolean property of the JSON request body (wire name) that asks the
    /// server to stream: the streaming form sets it to `true`.
    pub flag: Option<String>,
    /// The `Accept` header of the streaming form.
    pub accept: Option<String>,
}

impl StreamForm {
    /// The type of its events' data, when JSON.
    pub fn event_type(&self) -> Option<&TypeRef> {
        match &self.response {
            StreamResponse::Events(EventData::Json(ty)) => Some(ty),
            _ => None,
        }
    }

    /// The same, to point it at a merged type.
    pub fn event_type_mut(&mut self) -> Option<&mut TypeRef> {
        match &mut self.response {
            StreamResponse::Events(EventData::Json(ty)) => Some(ty),
            _ => None,
        }
    }
}

/// What the streaming form of an operation gives back.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamResponse {
    /// What the plain method gives ([`Operation::success`]): only the upload streams.
    Decoded,
    /// A non-JSON body as a `runtime::ByteStream`.
    Bytes,
    /// `text/event-stream`: a `runtime::EventStream` whose data is this.
    Events(EventData),
}

/// The data of a server-sent event.
#[derive(Debug, Clone, PartialEq)]
pub enum EventData {
    /// JSON of this type (`itemSchema`, else the response `schema`).
    Json(TypeRef),
    /// Text as sent (no schema, or a string schema).
    Text,
}

/// An HTTP method an operation is called with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl HttpMethod {
    /// Every method a path item may hold, in the order operations are read.
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];

    /// Its key in a path item: `get`.
    pub fn key(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
        }
    }

    /// The method as sent, for docs and messages: `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

/// A piece of a request path.
#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    /// Text sent as is.
    Literal(String),
    /// A path parameter, by index into [`Operation::params`]; percent-encoded.
    Param(usize),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In a cookie.
    Cookie,
}

/// One operation parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Where it is declared (for an undeclared path parameter: its operation).
    pub origin: Location,
    /// Rust and wire name.
    pub name: Name,
    /// Where it goes.
    pub location: ParamLocation,
    /// Value type.
    pub ty: TypeRef,
    /// Whether it must be given.
    pub required: bool,
    /// Description for rustdoc.
    pub docs: Option<String>,
    /// Rules checked before a request is sent (query, header and cookie parameters).
    pub constraints: Constraints,
    /// How a query parameter's arrays and objects are written.
    pub style: QueryStyle,
}

/// How a query parameter is written (OpenAPI `style` and `explode`, or `content`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueryStyle {
    /// `form`, exploded (the default): `a=1&a=2`, an object's properties as pairs.
    #[default]
    Form,
    /// `form` with `explode: false`: `a=1,2`; an object as `a=k1,v1,k2,v2`.
    FormUnexploded,
    /// `spaceDelimited`: `a=1%202`.
    SpaceDelimited,
    /// `pipeDelimited`: `a=1|2`.
    PipeDelimited,
    /// `deepObject`: `a[k]=v`.
    DeepObject,
    /// `content` with a JSON media type: the value as JSON text.
    Json,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// The declared media type, sent as `Content-Type`.
    pub media_type: String,
    /// How the body is encoded.
    pub kind: RawKind,
    /// The body's type, for a JSON or form body.
    pub ty: TypeRef,
    /// Whether the spec requires it.
    pub required: bool,
}

/// What a successful response decodes to.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// No content documented: `()`; status and headers stay reachable.
    Unit,
    /// A JSON body of this type.
    Json(TypeRef),
    /// A non-JSON body: text (`String`) or bytes (`bytes::Bytes`).
    Raw(RawKind),
}

/// How a body travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawKind {
    /// JSON, through serde.
    Json,
    /// `text/*`: a string.
    Text,
    /// Anything else (`application/octet-stream`, images, PDF...): bytes.
    Bytes,
    /// `multipart/*` (request bodies only): a typed struct, one part per field,
    /// `runtime::Binary` fields as files.
    Multipart(MultipartKind),
    /// `application/x-www-form-urlencoded` (request bodies only): a typed value
    /// sent as `key=value` pairs.
    Form,
}

/// Which multipart media type a [`RawKind::Multipart`] body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MultipartKind {
    /// `multipart/form-data`, the runtime's default.
    FormData,
    /// Another subtype (`multipart/related`, `multipart/mixed`): the body is
    /// built for [`Body::media_type`].
    Other,
}

impl RawKind {
    /// How a body of `media_type` travels.
    pub fn of(media_type: &str) -> RawKind {
        let essence = lower_operation::media_essence(media_type);
        if lower_operation::is_json_media_type(&essence) {
            RawKind::Json
        } else if essence.starts_with("text/") {
            RawKind::Text
        } else {
            RawKind::Bytes
        }
    }
}

/// How one security scheme is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthUse {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// An API key in a header, sent raw.
    ApiKeyHeader(String),
    /// An API key in the query string.
    ApiKeyQuery(String),
    /// An API key in a cookie.
    ApiKeyCookie(String),
}
