//! A struct's declaration and inherent impl: its fields, `new` taking the
//! required fields, a setter per optional field (and a `clear_…` one sending
//! `null` for a nullable one) and the `…_or_default` getters. Decided once as a
//! [`DeclarationCode`] and printed two ways, as `object.rs` prints the serde
//! impls: [`DeclarationCode::tokens`] is the definition,
//! [`DeclarationCode::text`] prints the same items straight into
//! prettyplease's layout (`layout.rs`), or declines where a line would be too
//! long to stay whole. Together with the serde impls this is nearly all of a
//! large `types.rs`. `text_is_what_prettyplease_prints` holds the two equal.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::Doc;
use crate::emit::ident;
use crate::emit::layout::{Item, Layout, Printable, flat_text, type_item};

/// One field as declared.
#[derive(Debug, Clone)]
pub struct FieldDecl {
    pub doc: Doc,
    /// The field's identifier (`r#type` stays raw).
    pub name: String,
    pub ty: TokenStream,
}

/// A method of the inherent impl.
#[derive(Debug, Clone)]
pub struct Method {
    pub doc: Doc,
    pub name: String,
    /// The type of its `value` parameter, if it takes one.
    pub value: Option<TokenStream>,
    pub returns: TokenStream,
    pub body: Body,
}

/// What a method does.
#[derive(Debug, Clone)]
pub enum Body {
    /// `self.<field> = <value>; self`
    Set { field: String, value: Assigned },
    /// `self.<field><via>.unwrap_or(<default>)`
    OrDefault {
        field: String,
        via: Via,
        default: TokenStream,
    },
}

/// The value a setter gives its field.
#[derive(Debug, Clone, Copy)]
pub enum Assigned {
    /// `Some(value.into())`
    Some,
    /// `crate::runtime::Nullable::Value(value.into())`
    Value,
    /// `crate::runtime::Nullable::Null`
    Null,
}

/// A field's value in `new`.
#[derive(Debug, Clone)]
pub enum Init {
    /// `new`'s parameter of the same name, `.into()`.
    Arg,
    /// A value (`None`, `crate::runtime::Nullable::Absent`, a `const`'s only value).
    Value(TokenStream),
}

/// How a getter reaches the field's value before defaulting it.
#[derive(Debug, Clone, Copy)]
pub enum Via {
    /// The value is `Copy`.
    Direct,
    /// `.as_deref()`: a `&str`.
    AsDeref,
    /// `.clone()`
    Clone,
}

impl Via {
    fn text(self) -> &'static str {
        match self {
            Via::Direct => "",
            Via::AsDeref => ".as_deref()",
            Via::Clone => ".clone()",
        }
    }
}

/// Everything a struct's declaration and inherent impl are made of.
#[derive(Debug, Clone)]
pub struct DeclarationCode {
    pub doc: Doc,
    pub name: String,
    /// Derives `Default` (every field can be left unset).
    pub default: bool,
    pub fields: Vec<FieldDecl>,
    /// The catch-all field.
    pub additional: String,
    /// Its type (a map).
    pub additional_ty: TokenStream,
    pub new_doc: Doc,
    /// `new`'s parameters: name and type.
    pub args: Vec<(String, TokenStream)>,
    /// `new`'s value for each field but the catch-all.
    pub inits: Vec<(String, Init)>,
    pub methods: Vec<Method>,
}

impl Method {
    /// `mut self` for a setter, `&self` for a getter.
    fn receiver(&self) -> &'static str {
        match self.body {
            Body::Set { .. } => "mut self",
            Body::OrDefault { .. } => "&self",
        }
    }

    fn tokens(&self) -> TokenStream {
        let doc = self.doc.tokens();
        let name = ident(&self.name);
        let receiver = match self.body {
            Body::Set { .. } => quote!(mut self),
            Body::OrDefault { .. } => quote!(&self),
        };
        let value = self.value.as_ref().map(|ty| quote!(, value: #ty));
        let returns = &self.returns;
        let body = match &self.body {
            Body::Set { field, value } => {
                let n = ident(field);
                let value = match value {
                    Assigned::Some => quote!(Some(value.into())),
                    Assigned::Value => quote!(crate::runtime::Nullable::Value(value.into())),
                    Assigned::Null => quote!(crate::runtime::Nullable::Null),
                };
                quote!(self.#n = #value; self)
            }
            Body::OrDefault {
                field,
                via,
                default,
            } => {
                let n = ident(field);
                let via = match via {
                    Via::Direct => quote!(),
                    Via::AsDeref => quote!(.as_deref()),
                    Via::Clone => quote!(.clone()),
                };
                quote!(self.#n #via .unwrap_or(#default))
            }
        };
        quote! {
            #doc
            pub fn #name(#receiver #value) -> #returns {
                #body
            }
        }
    }

    fn print(&self, out: &mut Layout) -> Option<()> {
        out.doc(4, &self.doc)?;
        let mut params = vec![Item::text(self.receiver().to_string())];
        if let Some(ty) = &self.value {
            params.push(type_item(ty)?.after("value: "));
        }
        let head = format!("pub fn {}(", self.name);
        let tail = format!(") -> {} {{", flat_text(&self.returns)?);
        out.signature(4, &head, params, &tail)?;
        match &self.body {
            Body::Set { field, value } => {
                let into = || vec![Item::text("value.into()".into())];
                let assign = match value {
                    Assigned::Some => Item::call(format!("self.{field} = Some("), into(), ")"),
                    Assigned::Value => Item::call(
                        format!("self.{field} = crate::runtime::Nullable::Value("),
                        into(),
                        ")",
                    ),
                    Assigned::Null => {
                        Item::text(format!("self.{field} = crate::runtime::Nullable::Null"))
                    }
                };
                out.item(8, &assign, ";", true)?;
                out.line(8, "self");
            }
            Body::OrDefault {
                field,
                via,
                default,
            } => {
                let default = flat_text(default)?;
                let line = format!("self.{field}{}.unwrap_or({default})", via.text());
                out.fitting_line(8, &line)?;
            }
        }
        out.line(4, "}");
        Some(())
    }
}

impl DeclarationCode {
    fn print(&self, out: &mut Layout) -> Option<()> {
        out.doc(0, &self.doc)?;
        out.line(
            0,
            if self.default {
                "#[derive(Debug, Clone, PartialEq, Default)]"
            } else {
                "#[derive(Debug, Clone, PartialEq)]"
            },
        );
        out.line(0, &format!("pub struct {} {{", self.name));
        for field in &self.fields {
            out.doc(4, &field.doc)?;
            let ty = type_item(&field.ty)?.after(&format!("pub {}: ", field.name));
            out.item(4, &ty, ",", true)?;
        }
        out.line(4, ADDITIONAL_DOC);
        let ty = type_item(&self.additional_ty)?.after(&format!("pub {}: ", self.additional));
        out.item(4, &ty, ",", true)?;
        out.line(0, "}");

        out.line(0, &format!("impl {} {{", self.name));
        out.doc(4, &self.new_doc)?;
        let args = self
            .args
            .iter()
            .map(|(name, ty)| Some(type_item(ty)?.after(&format!("{name}: "))))
            .collect::<Option<Vec<_>>>()?;
        out.signature(4, "pub fn new(", args, ") -> Self {")?;
        out.line(8, "Self {");
        for (name, init) in &self.inits {
            let value = match init {
                Init::Arg => Item::Chain(format!("{name}: {name}"), ".into()"),
                Init::Value(value) => type_item(value)?.after(&format!("{name}: ")),
            };
            out.item(12, &value, ",", true)?;
        }
        let line = format!("{}: ::std::collections::BTreeMap::new(),", self.additional);
        out.fitting_line(12, &line)?;
        out.line(8, "}");
        out.line(4, "}");
        for method in &self.methods {
            method.print(out)?;
        }
        out.line(0, "}");
        Some(())
    }
}

/// The catch-all field's doc comment, as printed.
const ADDITIONAL_DOC: &str = "/// Properties the schema does not describe, kept as received.";

impl Printable for DeclarationCode {
    /// The declaration and impl as tokens: the definition of what
    /// [`text`](Self::text) prints.
    fn tokens(&self) -> TokenStream {
        let doc = self.doc.tokens();
        let name = ident(&self.name);
        let default = self.default.then(|| quote!(Default,));
        let fields = self.fields.iter().map(|f| {
            let doc = f.doc.tokens();
            let n = ident(&f.name);
            let ty = &f.ty;
            quote!(#doc pub #n: #ty,)
        });
        let additional = ident(&self.additional);
        let additional_ty = &self.additional_ty;
        let new_doc = self.new_doc.tokens();
        let args = self.args.iter().map(|(n, ty)| {
            let n = ident(n);
            quote!(#n: #ty)
        });
        let inits = self.inits.iter().map(|(n, init)| {
            let n = ident(n);
            match init {
                Init::Arg => quote!(#n: #n.into()),
                Init::Value(value) => quote!(#n: #value),
            }
        });
        let methods = self.methods.iter().map(Method::tokens);
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, #default)]
            pub struct #name {
                #(#fields)*
                /// Properties the schema does not describe, kept as received.
                pub #additional: #additional_ty,
            }

            impl #name {
                #new_doc
                pub fn new(#(#args),*) -> Self {
                    Self {
                        #(#inits,)*
                        #additional: ::std::collections::BTreeMap::new(),
                    }
                }

                #(#methods)*
            }
        }
    }

    /// The items as prettyplease prints [`tokens`](Self::tokens), or `None`
    /// where a line would not stay whole.
    fn text(&self) -> Option<String> {
        let mut out = Layout::default();
        self.print(&mut out).map(|()| out.text)
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::Literal;

    use super::*;
    use crate::emit::layout::Rng;

    impl Rng {
        /// `Into`, bare or by path (a vendor type takes the name).
        fn into(&mut self) -> TokenStream {
            if self.next(4) == 0 {
                quote!(::std::convert::Into)
            } else {
                quote!(Into)
            }
        }

        fn doc(&mut self, max: usize) -> Doc {
            let words: Vec<String> = (0..self.next(30)).map(|_| self.ident(max)).collect();
            let mut text = words.join(" ");
            if self.next(3) == 0 {
                text.push_str("\n\n  indented `code`  ");
            }
            if self.next(2) == 0 {
                Doc::of_line(&text)
            } else {
                Doc::of_spec(Some(&text))
            }
        }

        fn method(&mut self, max: usize, field: &str) -> Method {
            let body = if self.next(3) == 0 {
                let (returns, via, default) = match self.next(5) {
                    0 => {
                        let text = self.ident(max);
                        (quote!(&str), Via::AsDeref, quote!(#text))
                    }
                    1 => (quote!(bool), Via::Direct, quote!(true)),
                    2 => {
                        let lit = Literal::i64_unsuffixed(-(self.next(1000) as i64));
                        (quote!(i64), Via::Direct, quote!(#lit))
                    }
                    3 => {
                        let lit = Literal::f64_unsuffixed(self.next(1000) as f64 / 8.0);
                        (quote!(f64), Via::Direct, quote!(#lit))
                    }
                    _ => {
                        let ty = ident(&self.type_name(max));
                        let variant = ident(&self.type_name(max));
                        let via = [Via::Direct, Via::Clone][self.next(2)];
                        (
                            quote!(super::types::#ty),
                            via,
                            quote!(super::types::#ty::#variant),
                        )
                    }
                };
                return Method {
                    doc: self.doc(max),
                    name: format!("{field}_or_default"),
                    value: None,
                    returns,
                    body: Body::OrDefault {
                        field: field.to_string(),
                        via,
                        default,
                    },
                };
            } else {
                [Assigned::Some, Assigned::Value, Assigned::Null][self.next(3)]
            };
            let value = match body {
                Assigned::Null => None,
                _ => {
                    let ty = self.ty(max, 3);
                    let into = self.into();
                    Some(quote!(impl #into<#ty>))
                }
            };
            Method {
                doc: self.doc(max),
                name: format!("set_{field}"),
                value,
                returns: quote!(Self),
                body: Body::Set {
                    field: field.to_string(),
                    value: body,
                },
            }
        }

        /// Up to 8 fields, with names up to `max` characters.
        fn declaration(&mut self, max: usize) -> DeclarationCode {
            let count = self.next(9);
            let mut code = DeclarationCode {
                doc: self.doc(max),
                name: self.type_name(max),
                default: self.next(2) == 0,
                fields: Vec::new(),
                additional: if self.next(3) == 0 {
                    self.ident(max)
                } else {
                    "additional_properties".to_string()
                },
                additional_ty: {
                    let value = self.ty(max, 1);
                    quote!(::std::collections::BTreeMap<String, #value>)
                },
                new_doc: self.doc(max),
                args: Vec::new(),
                inits: Vec::new(),
                methods: Vec::new(),
            };
            for i in 0..count {
                let name = format!("{}{i}", self.ident(max));
                let ty = self.ty(max, 3);
                let init = match self.next(4) {
                    0 => {
                        let into = self.into();
                        code.args.push((name.clone(), quote!(impl #into<#ty>)));
                        Init::Arg
                    }
                    1 => Init::Value(quote!(None)),
                    2 => Init::Value(quote!(crate::runtime::Nullable::Absent)),
                    _ => {
                        let ty = ident(&self.type_name(max));
                        let variant = ident(&self.type_name(max));
                        Init::Value(quote!(super::types::#ty::#variant))
                    }
                };
                code.inits.push((name.clone(), init));
                for _ in 0..self.next(3) {
                    let method = self.method(max, &name);
                    code.methods.push(method);
                }
                code.fields.push(FieldDecl {
                    doc: self.doc(max),
                    name,
                    ty,
                });
            }
            code
        }
    }

    /// The text form is exactly what prettyplease prints for the tokens, for
    /// names and types of every length, or it declines; with names as long as
    /// real ones it nearly always prints.
    #[test]
    fn text_is_what_prettyplease_prints() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let mut printed = [0; 4];
        for round in 0..2000 {
            let size = round % 4;
            let code = rng.declaration([8, 16, 30, 60][size]);
            let expected = super::super::format_items(code.tokens()).expect("tokens format");
            if let Some(text) = code.text() {
                assert_eq!(text, expected, "{code:#?}");
                printed[size] += 1;
            }
        }
        assert!(
            printed[0] >= 480 && printed[1] >= 400,
            "printed {printed:?} of 500 each"
        );
    }
}
