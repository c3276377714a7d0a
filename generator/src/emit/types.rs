//! Emitting types: structs, string enums, aliases and per-status error enums.
//!
//! Generated code names everything by absolute path (`::serde::Serialize`,
//! `crate::runtime::...`, `::std::collections::BTreeMap`) except the prelude's
//! types, which are bare unless a type of the vendor takes the name
//! ([`Prelude`]), and its values (`Some`, `None`, `Ok`), which nothing here can
//! shadow. So a spec type called `Option`, `Result` or `Box` cannot change what
//! the code means. Sibling types are named `super::types::X`.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use crate::emit::declaration::{Assigned, Body, DeclarationCode, FieldDecl, Init, Method, Via};
use crate::emit::docs::{Doc, code, doc_line};
use crate::emit::layout::{Piece, print_pieces};
use crate::emit::object::ObjectCode;
use crate::emit::{Prelude, ident};
use crate::model::{
    Api, Constraints, DefaultValue, Enum, Field, FieldShape, ScalarValue, StatusMatch,
    StatusVariant, Struct, TypeDef, TypeId, TypeKind, TypeRef, Union, UnionVariant, ValueEnum,
};
use crate::naming::Name;

/// The tokens naming a type.
pub fn type_tokens(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Any => quote!(::serde_json::Value),
        TypeRef::String => Prelude::of(api).string(),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::Decimal => quote!(crate::runtime::Decimal),
        TypeRef::DecimalString => quote!(crate::runtime::DecimalString),
        TypeRef::Binary => quote!(crate::runtime::Binary),
        TypeRef::DateTime => quote!(crate::runtime::DateTime),
        TypeRef::Date => quote!(crate::runtime::Date),
        TypeRef::Uuid => quote!(::uuid::Uuid),
        TypeRef::Array(inner) => {
            let inner = type_tokens(api, inner);
            let vec = Prelude::of(api).vec();
            quote!(#vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(api, inner);
            let string = Prelude::of(api).string();
            quote!(::std::collections::BTreeMap<#string, #inner>)
        }
        TypeRef::Named(id) => {
            let name = ident(&api.ty(*id).name.rust);
            quote!(super::types::#name)
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(api, inner);
            let boxed = Prelude::of(api).boxed();
            quote!(#boxed<#inner>)
        }
    }
}

/// Whether a field can be left out of `new` and has a `Default`.
fn is_optional(field: &Field) -> bool {
    field.shape() != FieldShape::Plain || field.ty == TypeRef::Any
}

/// The head of `types.rs`, before its types.
pub fn emit_types_head() -> TokenStream {
    quote! {
        //! Types of the API's requests and responses.
    }
}

/// Some of the types of `types.rs`, in the order given, formatted.
pub fn emit_types_part(api: &Api, ids: &[TypeId]) -> Result<String, String> {
    let mut pieces = Vec::new();
    for id in ids {
        let type_pieces = emit_type(api, *id);
        match api.features.as_ref().and_then(|f| f.of_type(*id)) {
            Some(gate) => {
                let tokens = type_pieces.into_iter().map(Piece::into_tokens).collect();
                pieces.push(Piece::Tokens(super::gate_items(
                    tokens,
                    &super::cfg_any(&gate),
                )?));
            }
            None => pieces.extend(type_pieces),
        }
    }
    print_pieces(pieces)
}

/// One type, and aliases for the schema names merged into it.
pub fn emit_type(api: &Api, id: TypeId) -> Vec<Piece> {
    let def = api.ty(id);
    let validated = api.validated.contains(&id);
    let mut pieces = match &def.kind {
        TypeKind::Struct(st) => emit_struct(api, id, st),
        TypeKind::Enum(en) => vec![Piece::Tokens(emit_enum(api, def, en, validated))],
        TypeKind::ValueEnum(en) => vec![Piece::Tokens(emit_value_enum(api, def, en, validated))],
        TypeKind::Alias(ty) => vec![Piece::Tokens(emit_alias(api, def, ty))],
        TypeKind::StatusEnum(variants) => vec![Piece::Tokens(emit_status_enum(api, def, variants))],
        TypeKind::Union(union) => vec![Piece::Tokens(emit_union(api, def, union, validated))],
    };
    let aliases = def.aliases.iter().map(|alias| {
        let alias_ident = ident(&alias.rust);
        let target = ident(&def.name.rust);
        let target_name = crate::naming::bare(&def.name.rust);
        let doc = doc_line(&if def.made_up {
            format!("Identical to [`{target_name}`]: the same schema, written in place elsewhere.")
        } else {
            format!(
                "The schema {}; identical to [`{target_name}`].",
                code(&alias.wire)
            )
        });
        quote! {
            #doc
            pub type #alias_ident = #target;
        }
    });
    pieces.push(Piece::Tokens(quote!(#(#aliases)*)));
    pieces
}

fn type_doc(def: &TypeDef) -> Doc {
    match &def.docs {
        Some(docs) => Doc::of_spec(Some(docs)),
        None => Doc::of_line(&code(&def.name.wire)),
    }
}

fn type_docs(def: &TypeDef) -> TokenStream {
    type_doc(def).tokens()
}

/// A struct with `new` taking the required fields and a setter per optional
/// field (`DeclarationCode`), its serde impls (`ObjectCode`) and its rule
/// checks.
pub fn emit_struct(api: &Api, id: TypeId, st: &Struct) -> Vec<Piece> {
    let prelude = Prelude::of(api);
    let into = prelude.into();
    let string = prelude.string();
    let def = api.ty(id);
    let validated = api.validated.contains(&id);
    let mut doc = type_doc(def);
    if st.inferred {
        doc = doc.then(Doc::of_line(
            "\nInferred from the documented examples: every field is optional.",
        ));
    }
    let fields = st.fields.iter().map(|f| field_decl(api, f)).collect();
    let additional_value = type_tokens(api, &st.additional.value);

    // A required field that can hold one value only (a `const`) is set by `new`.
    let required: Vec<&Field> = st
        .fields
        .iter()
        .filter(|f| f.required && fixed_value(api, f).is_none())
        .collect();
    let args = required
        .iter()
        .map(|f| {
            let ty = field_type(api, f);
            (f.name.rust.clone(), quote!(impl #into<#ty>))
        })
        .collect();
    let inits = st
        .fields
        .iter()
        .map(|f| {
            let value = match fixed_value(api, f) {
                Some(fixed) => Init::Value(fixed),
                None if f.required => Init::Arg,
                None if f.shape() == FieldShape::Tristate => {
                    Init::Value(quote!(crate::runtime::Nullable::Absent))
                }
                None => Init::Value(quote!(None)),
            };
            (f.name.rust.clone(), value)
        })
        .collect();
    let mut methods = Vec::new();
    for (i, f) in st.fields.iter().enumerate().filter(|(_, f)| !f.required) {
        methods.extend(setters(api, f));
        methods.extend(default_getter(api, f, api.default_value(id, i)));
    }
    let mut new_doc = if required.is_empty() {
        "A value with every field unset.".to_string()
    } else {
        format!(
            "A value with the required fields ({}) set and the others unset.",
            required
                .iter()
                .map(|f| code(&f.name.wire))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    for f in st.fields.iter().filter(|f| fixed_value(api, f).is_some()) {
        new_doc.push_str(&format!(" {} has its only value.", code(&f.name.wire)));
    }
    let declaration = DeclarationCode {
        doc,
        name: def.name.rust.clone(),
        default: st.fields.iter().all(is_optional),
        fields,
        additional: st.additional.field.clone(),
        additional_ty: quote!(::std::collections::BTreeMap<#string, #additional_value>),
        new_doc: Doc::of_line(&new_doc),
        args,
        inits,
        methods,
    };
    let validate = validated.then(|| emit_struct_validate(api, def, st));
    vec![
        Piece::Code(Box::new(declaration)),
        Piece::Code(Box::new(ObjectCode::of(api, def, st))),
        Piece::Tokens(validate.unwrap_or_default()),
    ]
}

/// The one value a required field can hold: its type is a string enum of one
/// value (a `const`).
fn fixed_value(api: &Api, f: &Field) -> Option<TokenStream> {
    if f.shape() != FieldShape::Plain {
        return None;
    }
    let TypeRef::Named(id) = api.resolved(&f.ty) else {
        return None;
    };
    match &api.ty(*id).kind {
        TypeKind::Enum(en) if en.variants.len() == 1 => {
            let ty = type_tokens(api, &TypeRef::Named(*id));
            let variant = ident(&en.variants[0].name.rust);
            Some(quote!(#ty::#variant))
        }
        TypeKind::ValueEnum(en) if en.variants.len() == 1 => {
            let ty = type_tokens(api, &TypeRef::Named(*id));
            let variant = ident(&en.variants[0].name.rust);
            Some(quote!(#ty::#variant))
        }
        _ => None,
    }
}

/// The setters of an optional field: a value, and for a nullable one, `null`.
fn setters(api: &Api, f: &Field) -> Vec<Method> {
    let into = Prelude::of(api).into();
    let inner = type_tokens(api, &f.ty);
    let wire = &f.name.wire;
    let setter = |doc: String, value: Assigned| Method {
        doc: Doc::of_line(&doc),
        name: f.name.rust.clone(),
        value: Some(quote!(impl #into<#inner>)),
        returns: quote!(Self),
        body: Body::Set {
            field: f.name.rust.clone(),
            value,
        },
    };
    let Some(clear) = f
        .clear_setter
        .as_ref()
        .filter(|_| f.shape() == FieldShape::Tristate)
    else {
        let doc = format!("Sets {}; unset, it is left out.", code(wire));
        return vec![setter(doc, Assigned::Some)];
    };
    let doc = format!("Sets {} to a value; unset, it is left out.", code(wire));
    vec![
        setter(doc, Assigned::Value),
        Method {
            doc: Doc::of_line(&format!(
                "Sends {} as `null` (on an update: clears it).",
                code(wire)
            )),
            name: clear.clone(),
            value: None,
            returns: quote!(Self),
            body: Body::Set {
                field: f.name.rust.clone(),
                value: Assigned::Null,
            },
        },
    ]
}

/// `…_or_default`: an optional field's value, or the schema's `default` when it
/// is unset (what the server takes), as lowering typed it.
fn default_getter(api: &Api, f: &Field, value: Option<&DefaultValue>) -> Option<Method> {
    let getter = f.default_getter.as_ref()?;
    let (returns, via, default) = match value? {
        DefaultValue::Str(text) => (quote!(&str), Via::AsDeref, quote!(#text)),
        DefaultValue::Bool(b) => (quote!(bool), Via::Direct, quote!(#b)),
        DefaultValue::I32(v) => {
            let lit = Literal::i32_unsuffixed(*v);
            (quote!(i32), Via::Direct, quote!(#lit))
        }
        DefaultValue::I64(v) => {
            let lit = Literal::i64_unsuffixed(*v);
            (quote!(i64), Via::Direct, quote!(#lit))
        }
        DefaultValue::F64(v) => {
            let lit = Literal::f64_unsuffixed(*v);
            (quote!(f64), Via::Direct, quote!(#lit))
        }
        DefaultValue::Variant { ty, variant, copy } => {
            let ty = type_tokens(api, &TypeRef::Named(*ty));
            let variant = ident(variant);
            let via = if *copy { Via::Direct } else { Via::Clone };
            (ty.clone(), via, quote!(#ty::#variant))
        }
    };
    // The default as the API description writes it.
    let written = f
        .default
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    Some(Method {
        doc: Doc::of_line(&format!(
            "{}, or its default {} when unset (the server applies the default to a field left out).",
            code(&f.name.wire),
            code(&written)
        )),
        name: getter.clone(),
        value: None,
        returns,
        body: Body::OrDefault {
            field: f.name.rust.clone(),
            via,
            default,
        },
    })
}

/// `impl Validate` for a struct with rules inside; nothing otherwise.
fn emit_struct_validate(api: &Api, def: &TypeDef, st: &Struct) -> TokenStream {
    let prelude = Prelude::of(api);
    let vec = prelude.vec();
    let name = ident(&def.name.rust);
    let checks = st.fields.iter().filter_map(|f| emit_field_checks(api, f));
    let additional = st.additional.denied.then(|| {
        let n = ident(&st.additional.field);
        quote!(crate::runtime::check_no_additional(path, &self.#n, out);)
    });
    let nested_additional = api.validates(&st.additional.value).then(|| {
        let n = ident(&st.additional.field);
        quote!(crate::runtime::Validate::validate_into(&self.#n, path, out);)
    });
    quote! {
        impl crate::runtime::Validate for #name {
            fn validate_into(&self, path: &str, out: &mut #vec<crate::runtime::Violation>) {
                #(#checks)*
                #additional
                #nested_additional
            }
        }
    }
}

/// The checks of one field's value, reached through its shape.
fn emit_field_checks(api: &Api, f: &Field) -> Option<TokenStream> {
    let wire = &f.name.wire;
    let c = &f.constraints;
    let mut checks = Vec::new();
    let opt = |v: Option<u64>| match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    match api.resolved(&f.ty) {
        _ if !api.constrains(&f.ty, c) => {}
        TypeRef::String => {
            let (min, max) = (opt(c.min_length), opt(c.max_length));
            checks.push(quote!(crate::runtime::check_length(path, #wire, value, #min, #max, out);));
        }
        TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Decimal | TypeRef::DecimalString => {
            for (bound, rule) in bound_rules(c) {
                let bound = Literal::f64_unsuffixed(bound);
                let rule = ident(rule);
                checks.push(quote! {
                    crate::runtime::check_bound(path, #wire, *value, crate::runtime::Rule::#rule(#bound), out);
                });
            }
        }
        TypeRef::Array(_) => {
            let (min, max) = (opt(c.min_items), opt(c.max_items));
            checks.push(
                quote!(crate::runtime::check_items(path, #wire, value.len(), #min, #max, out);),
            );
        }
        _ => {}
    }
    if api.validates(&f.ty) {
        checks.push(quote! {
            crate::runtime::Validate::validate_into(value, &crate::runtime::join(path, #wire), out);
        });
    }
    if checks.is_empty() {
        return None;
    }
    let n = ident(&f.name.rust);
    Some(match f.shape() {
        FieldShape::Plain => quote! {
            {
                let value = &self.#n;
                #(#checks)*
            }
        },
        FieldShape::Optional | FieldShape::RequiredNullable => quote! {
            if let Some(value) = &self.#n {
                #(#checks)*
            }
        },
        FieldShape::Tristate => quote! {
            if let crate::runtime::Nullable::Value(value) = &self.#n {
                #(#checks)*
            }
        },
    })
}

/// The numeric bounds of a field, with the `Rule` variant checking each.
fn bound_rules(c: &Constraints) -> Vec<(f64, &'static str)> {
    [
        (c.minimum, "Minimum"),
        (c.maximum, "Maximum"),
        (c.exclusive_minimum, "ExclusiveMinimum"),
        (c.exclusive_maximum, "ExclusiveMaximum"),
    ]
    .into_iter()
    .filter_map(|(v, rule)| v.map(|v| (v, rule)))
    .collect()
}

fn field_type(api: &Api, field: &Field) -> TokenStream {
    let prelude = Prelude::of(api);
    let option = prelude.option();
    let inner = type_tokens(api, &field.ty);
    match field.shape() {
        FieldShape::Plain => inner,
        FieldShape::RequiredNullable | FieldShape::Optional => {
            quote!(#option<#inner>)
        }
        FieldShape::Tristate => quote!(crate::runtime::Nullable<#inner>),
    }
}

/// One struct field. How it travels is in the struct's `Serialize` and
/// `ReadObject` impls.
fn field_decl(api: &Api, field: &Field) -> FieldDecl {
    let text = match &field.docs {
        Some(docs) => Doc::of_spec(Some(docs)),
        None => Doc::of_line(&code(&field.name.wire)),
    };
    // After the spec's text, so that an unclosed fence in it cannot take it in.
    let doc = match field.constraints.describe() {
        Some(rules) => text.then(Doc::of_line(&format!("\nChecked before sending: {rules}."))),
        None => text,
    };
    FieldDecl {
        doc,
        name: field.name.rust.clone(),
        ty: field_type(api, field),
    }
}

/// An enum's documented variants, each documented with its wire value and
/// what the API description says of it.
fn variant_decls<'a>(
    variants: impl Iterator<Item = (&'a Name, Option<&'a str>)>,
) -> impl Iterator<Item = TokenStream> {
    variants.map(|(name, docs)| {
        let n = ident(&name.rust);
        let mut doc = Doc::of_line(&code(&name.wire));
        if docs.is_some() {
            doc = doc.then(Doc::of_line("")).then(Doc::of_spec(docs));
        }
        let doc = doc.tokens();
        quote!(#doc #n,)
    })
}

/// A string enum that keeps unknown values it receives; requests can only be
/// built from documented variants (or values a server sent). What every string
/// enum does is written once in `runtime::string_enum`: the enum lists its
/// values, names and variants and says which one it holds (`index`), and each
/// trait impl is a one-line call (`Clone` alone is derived: the one `match`
/// besides `index`). `Validate` only when a request can carry it.
pub fn emit_enum(api: &Api, def: &TypeDef, en: &Enum, validated: bool) -> TokenStream {
    let prelude = Prelude::of(api);
    let result = prelude.result();
    let option = prelude.option();
    let vec = prelude.vec();
    let name = ident(&def.name.rust);
    let docs = type_docs(def);
    let variants = variant_decls(en.variants.iter().map(|v| (&v.name, v.docs.as_deref())));
    let idents: Vec<_> = en.variants.iter().map(|v| ident(&v.name.rust)).collect();
    let names = en
        .variants
        .iter()
        .map(|v| crate::naming::bare(&v.name.rust));
    let places = (0..en.variants.len()).map(Literal::usize_unsuffixed);
    let values = en.variants.iter().map(|v| &v.name.wire);
    let validate = validated.then(|| {
        quote! {
            impl crate::runtime::Validate for #name {
                fn validate_into(&self, path: &str, out: &mut #vec<crate::runtime::Violation>) {
                    crate::runtime::string_enum::validate(self, path, out)
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Clone)]
        pub enum #name {
            #(#variants)*
            /// A value the API description does not list, kept as received.
            Unknown(crate::runtime::UnknownValue),
        }

        impl #name {
            /// Every documented value, in the order the API description lists them.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                crate::runtime::string_enum::as_str(self)
            }
        }

        impl crate::runtime::StringEnum for #name {
            const VALUES: &'static [&'static str] = Self::VALUES;
            const NAMES: &'static [&'static str] = &[#(#names),*];
            const KNOWN: &'static [Self] = &[#(Self::#idents),*];

            fn index(&self) -> #result<usize, &crate::runtime::UnknownValue> {
                match self {
                    #(Self::#idents => Ok(#places),)*
                    Self::Unknown(value) => Err(value),
                }
            }
        }

        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                crate::runtime::string_enum::debug(self, f)
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                crate::runtime::string_enum::display(self, f)
            }
        }

        impl ::std::cmp::PartialEq for #name {
            fn eq(&self, other: &Self) -> bool {
                crate::runtime::string_enum::eq(self, other)
            }
        }

        impl ::std::cmp::Eq for #name {}

        impl ::std::hash::Hash for #name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                crate::runtime::string_enum::hash(self, state)
            }
        }

        impl ::std::cmp::PartialOrd for #name {
            fn partial_cmp(&self, other: &Self) -> #option<::std::cmp::Ordering> {
                Some(::std::cmp::Ord::cmp(self, other))
            }
        }

        impl ::std::cmp::Ord for #name {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                crate::runtime::string_enum::cmp(self, other)
            }
        }

        #validate

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                crate::runtime::string_enum::serialize(self, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                crate::runtime::string_enum::deserialize(deserializer, Self::Unknown)
            }
        }
    }
}

/// An enum of integers (`Copy`, unknown values kept as `i64`) or of mixed
/// scalars (unknown values kept as JSON). Both encode each variant as its value.
/// `Validate` only when a request can carry it.
pub fn emit_value_enum(api: &Api, def: &TypeDef, en: &ValueEnum, validated: bool) -> TokenStream {
    let prelude = Prelude::of(api);
    let result = prelude.result();
    let vec = prelude.vec();
    let name = ident(&def.name.rust);
    let docs = type_docs(def);
    let variants = variant_decls(en.variants.iter().map(|v| (&v.name, v.docs.as_deref())));
    let texts = en.variants.iter().map(|v| &v.name.wire);
    let names: Vec<_> = en.variants.iter().map(|v| ident(&v.name.rust)).collect();
    let unknown = if en.integer {
        quote!(&::serde_json::Value::from(*value))
    } else {
        quote!(value)
    };
    let validate = validated.then(|| {
        quote! {
            impl crate::runtime::Validate for #name {
                fn validate_into(&self, path: &str, out: &mut #vec<crate::runtime::Violation>) {
                    const VALUES: &[&str] = &[#(#texts),*];
                    if let Self::Unknown(value) = self {
                        crate::runtime::report_unknown_value(path, #unknown, VALUES, out);
                    }
                }
            }
        }
    });
    if en.integer {
        let ints: Vec<Literal> = en
            .variants
            .iter()
            .filter_map(|v| match v.value {
                ScalarValue::Integer(i) => Some(Literal::i64_unsuffixed(i)),
                _ => None,
            })
            .collect();
        return quote! {
            #docs
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum #name {
                #(#variants)*
                /// A value the API description does not list, kept as received.
                Unknown(i64),
            }

            impl #name {
                /// Every documented value, in the order the API description lists them.
                pub const VALUES: &'static [i64] = &[#(#ints),*];

                /// The value as sent on the wire.
                pub fn value(self) -> i64 {
                    match self {
                        #(Self::#names => #ints,)*
                        Self::Unknown(value) => value,
                    }
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    ::std::fmt::Display::fmt(&self.value(), f)
                }
            }

            #validate

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                    serializer.serialize_i64(self.value())
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                    Ok(match <i64 as ::serde::Deserialize>::deserialize(deserializer)? {
                        #(#ints => Self::#names,)*
                        other => Self::Unknown(other),
                    })
                }
            }
        };
    }
    let literals: Vec<TokenStream> = en
        .variants
        .iter()
        .map(|v| scalar_literal(&v.value))
        .collect();
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum #name {
            #(#variants)*
            /// A value the API description does not list, kept as received.
            Unknown(::serde_json::Value),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn to_value(&self) -> ::serde_json::Value {
                match self {
                    #(Self::#names => ::serde_json::Value::from(#literals),)*
                    Self::Unknown(value) => value.clone(),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self.to_value() {
                    ::serde_json::Value::String(text) => f.write_str(&text),
                    other => ::std::fmt::Display::fmt(&other, f),
                }
            }
        }

        #validate

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                ::serde::Serialize::serialize(&self.to_value(), serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #(if value == #literals {
                    return Ok(Self::#names);
                })*
                Ok(Self::Unknown(value))
            }
        }
    }
}

/// A scalar JSON value as a Rust literal `serde_json::Value` converts from and
/// compares with (`2i64`, `1.5f64`, `"a"`, `true`).
fn scalar_literal(value: &ScalarValue) -> TokenStream {
    match value {
        ScalarValue::Bool(b) => quote!(#b),
        ScalarValue::Text(s) => quote!(#s),
        ScalarValue::Integer(i) => Literal::i64_suffixed(*i).into_token_stream(),
        ScalarValue::Unsigned(u) => Literal::u64_suffixed(*u).into_token_stream(),
        ScalarValue::Number(f) => Literal::f64_suffixed(*f).into_token_stream(),
    }
}

/// A schema that is neither an object nor a string enum: a type alias.
pub fn emit_alias(api: &Api, def: &TypeDef, ty: &TypeRef) -> TokenStream {
    let name = ident(&def.name.rust);
    let docs = type_docs(def);
    let target = type_tokens(api, ty);
    quote! {
        #docs
        pub type #name = #target;
    }
}

/// An operation's error body when statuses carry different types: decoded by
/// the variant for its status, else its class (`4XX`), else `default`.
pub fn emit_status_enum(api: &Api, def: &TypeDef, variants: &[StatusVariant]) -> TokenStream {
    let prelude = Prelude::of(api);
    let option = prelude.option();
    let name = ident(&def.name.rust);
    let docs = type_docs(def);
    let decls = variants.iter().map(|v| {
        let n = ident(&v.name.rust);
        let ty = type_tokens(api, &v.ty);
        let doc = doc_line(&match v.matches {
            StatusMatch::Code(status) => format!("The body of a {status} response."),
            _ => format!("The body of a {} response.", code(&v.name.wire)),
        });
        quote!(#doc #n(#ty),)
    });
    let mut arms = Vec::new();
    let mut range_arms = Vec::new();
    let mut fallback = quote!(None);
    for v in variants {
        let n = ident(&v.name.rust);
        let decode = quote!(::serde_json::from_slice(bytes).ok().map(Self::#n));
        match v.matches {
            StatusMatch::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                arms.push(quote!(#code => #decode,));
            }
            StatusMatch::Class(class) => {
                let lo = Literal::u16_unsuffixed(class * 100);
                let hi = Literal::u16_unsuffixed(class * 100 + 99);
                range_arms.push(quote!(#lo..=#hi => #decode,));
            }
            StatusMatch::Default => fallback = decode,
            StatusMatch::Unrecognised => {}
        }
    }
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#decls)*
        }

        impl #name {
            /// Decodes an error body by its status; `None` when it does not parse.
            pub fn decode(status: u16, bytes: &[u8]) -> #option<Self> {
                match status {
                    #(#arms)*
                    #(#range_arms)*
                    _ => #fallback,
                }
            }
        }
    }
}

/// A `oneOf`/`anyOf`: an enum with one variant per alternative. Tagged by a
/// discriminator, the tag picks the variant and an unknown tag is kept whole in
/// `Unknown`; untagged, the first alternative the value decodes as is taken.
pub fn emit_union(api: &Api, def: &TypeDef, union: &Union, validated: bool) -> TokenStream {
    let prelude = Prelude::of(api);
    let from = prelude.from();
    let result = prelude.result();
    let vec = prelude.vec();
    let name = ident(&def.name.rust);
    let docs = type_docs(def);
    let decls = union.variants.iter().map(|v| {
        let n = ident(&v.name.rust);
        let ty = type_tokens(api, &v.ty);
        let doc = doc_line(&match v.tags.as_slice() {
            [] => code(&v.name.wire),
            tags => format!(
                "{} (tag {})",
                code(&v.name.wire),
                tags.iter().map(|t| code(t)).collect::<Vec<_>>().join(", ")
            ),
        });
        quote!(#doc #n(#ty),)
    });
    let validate = validated.then(|| {
        let arms = union.variants.iter().map(|v| {
            let n = ident(&v.name.rust);
            if api.validates(&v.ty) {
                quote!(Self::#n(value) => crate::runtime::Validate::validate_into(value, path, out),)
            } else {
                quote!(Self::#n(_) => {})
            }
        });
        let unknown = union.tag.is_some().then(|| quote!(Self::Unknown(_) => {}));
        quote! {
            impl crate::runtime::Validate for #name {
                fn validate_into(&self, path: &str, out: &mut #vec<crate::runtime::Violation>) {
                    match self {
                        #(#arms)*
                        #unknown
                    }
                }
            }
        }
    });
    // `From` each alternative's type, where no other alternative has the same type.
    let froms: Vec<TokenStream> = union
        .variants
        .iter()
        .filter(|v| {
            let same = |w: &&UnionVariant| api.resolved(&w.ty) == api.resolved(&v.ty);
            union.variants.iter().filter(same).count() == 1
        })
        .map(|v| {
            let n = ident(&v.name.rust);
            let ty = type_tokens(api, &v.ty);
            quote! {
                impl #from<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#n(value)
                    }
                }
            }
        })
        .collect();
    let Some(tag) = &union.tag else {
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#decls)*
            }
            #(#froms)*
            #validate
        };
    };
    let unknown_doc = doc_line(&format!(
        "A value whose {} is none of the documented ones, kept as received.",
        code(tag)
    ));
    let ser_arms = union.variants.iter().map(|v| {
        let n = ident(&v.name.rust);
        let first = v.tags.first().cloned().unwrap_or_default();
        quote!(Self::#n(value) => crate::runtime::serialize_tagged(value, #tag, #first, serializer),)
    });
    let de_arms = union.variants.iter().map(|v| {
        let n = ident(&v.name.rust);
        let tags = &v.tags;
        quote! {
            Some(#(#tags)|*) => ::serde_json::from_value(value).map(Self::#n).map_err(::serde::de::Error::custom),
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#decls)*
            #unknown_doc
            Unknown(::serde_json::Value),
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                    Self::Unknown(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match crate::runtime::tag_of(&value, #tag) {
                    #(#de_arms)*
                    _ => Ok(Self::Unknown(value)),
                }
            }
        }
        #(#froms)*
        #validate
    }
}
