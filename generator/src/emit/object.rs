//! How a struct travels: its `Serialize`, `Deserialize` and `runtime::ReadObject`
//! impls, decided once as an [`ObjectCode`] and printed two ways.
//!
//! The `Serialize` impl lists each field's wire name and value for
//! `runtime::write_object` (an unset optional field left out). The `Deserialize`
//! impl hands the object to `runtime::read_object`, which calls back
//! `ReadObject::read`: a local per field, and a `runtime::Slot` for each (where
//! its value goes, how it is read: `Given` for a required field, `Plain` for one
//! that holds what it reads, `Loose…` for lenient reading), which
//! `Object::read_fields` fills. Every other key goes to the catch-all map, both
//! ways.
//!
//! [`ObjectCode::tokens`] is the definition: `quote`d tokens, parsed and printed
//! by prettyplease like every other item. [`ObjectCode::text`] prints the same
//! items straight into prettyplease's layout (its margin, where it breaks a
//! list, a call, a method chain, a struct expression). These impls are half of
//! a large `types.rs`'s tokens, and parsing tokens is most of generation's
//! time; printing directly skips building, parsing and dropping them. Where a
//! layout depends on widths it does not model (a name so long that a line
//! would break inside a call's argument), `text` gives `None` and the tokens
//! are used. `text_is_what_prettyplease_prints` holds the two equal over
//! thousands of random names and lengths; every snapshot is unchanged by it.
//!
//! One difference is deliberate: prettyplease lays out a short struct
//! expression (`Ok(Self { a: field_a, b: field_b })`) on one line or not
//! depending on what it printed before it in the same run. The text form is
//! always what it prints for the impls on their own.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::layout::{Item, Layout, Printable};
use crate::emit::{Prelude, ident};
use crate::model::{Api, Field, FieldShape, Struct, TypeDef, TypeRef};
use crate::naming;

/// How one field is written and read.
#[derive(Debug, Clone)]
struct FieldCode {
    /// The field's identifier (`r#type` stays raw).
    name: String,
    /// The local `read` collects it in.
    local: String,
    /// Its key in the JSON object.
    wire: String,
    /// The `runtime` slot it is read into (`field_slot`).
    slot: &'static str,
    /// Left out when unset (an optional field), else always written.
    unless_unset: bool,
    /// The local starts as `Nullable::Absent` (a tri-state field), else `None`.
    starts_absent: bool,
    /// What becomes of the local once the object is read.
    finish: Finish,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Finish {
    /// A required field: missing is an error.
    Required,
    /// A required any-JSON field: missing is `null`, its `Default`.
    OrDefault,
    /// The local is the field.
    Local,
}

/// Everything the serde impls of one struct are made of.
#[derive(Debug, Clone)]
pub struct ObjectCode {
    name: String,
    fields: Vec<FieldCode>,
    additional: String,
    additional_local: String,
    /// `Result` as the vendor's code spells it ([`Prelude::result`]).
    result: TokenStream,
    /// Whether that spelling is the bare `Result` (the text form assumes it).
    result_bare: bool,
}

impl ObjectCode {
    /// The serde code of struct `def`.
    pub fn of(api: &Api, def: &TypeDef, st: &Struct) -> Self {
        let result = Prelude::of(api).result();
        let result_bare = result.to_string() == "Result";
        let fields = st
            .fields
            .iter()
            .map(|f| {
                let finish = match f.shape() {
                    FieldShape::Plain if f.ty == TypeRef::Any => Finish::OrDefault,
                    FieldShape::Plain => Finish::Required,
                    _ => Finish::Local,
                };
                FieldCode {
                    name: f.name.rust.clone(),
                    local: naming::field_local_name(&f.name.rust),
                    wire: f.name.wire.clone(),
                    // Missing, a required any-JSON field is `null`: read as
                    // an optional one is, never reported missing.
                    slot: match finish {
                        Finish::OrDefault => "Plain",
                        _ => field_slot(api, f),
                    },
                    unless_unset: matches!(f.shape(), FieldShape::Optional | FieldShape::Tristate),
                    starts_absent: f.shape() == FieldShape::Tristate,
                    finish,
                }
            })
            .collect();
        ObjectCode {
            name: def.name.rust.clone(),
            fields,
            additional: st.additional.field.clone(),
            additional_local: naming::field_local_name(&st.additional.field),
            result,
            result_bare,
        }
    }
}

impl Printable for ObjectCode {
    /// The impls as tokens: the definition of what [`text`](Self::text) prints.
    fn tokens(&self) -> TokenStream {
        let result = &self.result;
        let name = ident(&self.name);
        let expecting = format!("struct {}", self.name);
        let wires = self.fields.iter().map(|f| &f.wire);
        let inits = self.fields.iter().map(|f| {
            let l = ident(&f.local);
            if f.starts_absent {
                quote!(let mut #l = crate::runtime::Nullable::Absent;)
            } else {
                quote!(let mut #l = None;)
            }
        });
        let slots = self.fields.iter().map(|f| {
            let l = ident(&f.local);
            let slot = ident(f.slot);
            quote!(&mut crate::runtime::#slot(&mut #l),)
        });
        let finals = self.fields.iter().map(|f| {
            let n = ident(&f.name);
            let l = ident(&f.local);
            match f.finish {
                Finish::OrDefault => quote!(#n: #l.unwrap_or_default(),),
                Finish::Required | Finish::Local => quote!(#n: #l,),
            }
        });
        let required: Vec<_> = self.required().map(ident).collect();
        let take = match required.as_slice() {
            [] => None,
            [one] => Some(quote!(let Some(#one) = #one)),
            many => Some(quote!(let (#(Some(#many)),*) = (#(#many),*))),
        }
        .map(|binding| {
            quote! {
                #binding else {
                    return Err(crate::runtime::missing_required());
                };
            }
        });
        let additional = ident(&self.additional);
        let additional_local = ident(&self.additional_local);
        let writes = self.fields.iter().map(|f| {
            let n = ident(&f.name);
            let wire = &f.wire;
            if f.unless_unset {
                quote!((#wire, crate::runtime::unless_unset(&self.#n)),)
            } else {
                quote!((#wire, crate::runtime::always(&self.#n)),)
            }
        });
        quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                    crate::runtime::write_object(serializer, &[#(#writes)*], &self.#additional)
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                    crate::runtime::read_object(deserializer)
                }
            }

            impl crate::runtime::ReadObject for #name {
                const EXPECTING: &'static str = #expecting;
                const FIELDS: &'static [&'static str] = &[#(#wires),*];

                fn read(object: &mut crate::runtime::Object<'_, '_>) -> #result<Self, crate::runtime::ObjectError> {
                    #(#inits)*
                    let mut #additional_local = ::std::collections::BTreeMap::new();
                    object.read_fields(&mut [#(#slots)*], &mut #additional_local)?;
                    #take
                    Ok(Self {
                        #(#finals)*
                        #additional: #additional_local,
                    })
                }
            }
        }
    }

    /// The impls as prettyplease prints [`tokens`](Self::tokens), or `None`
    /// where the layout depends on widths this does not model.
    fn text(&self) -> Option<String> {
        let mut out = Layout::default();
        match self.print(&mut out) {
            Some(()) => Some(out.text),
            None => None,
        }
    }
}

impl ObjectCode {
    /// The locals of the required fields: `read_fields` has reported any that
    /// no key gave, and one `let … else` takes their values out.
    fn required(&self) -> impl Iterator<Item = &str> {
        self.fields
            .iter()
            .filter(|f| f.finish == Finish::Required)
            .map(|f| f.local.as_str())
    }

    /// Prints the impls into `out`; `None` as soon as a line is one it cannot
    /// lay out (`out.refused` holds it).
    fn print(&self, out: &mut Layout) -> Option<()> {
        if !self.result_bare {
            return None;
        }
        let name = &self.name;
        let lit = |s: &str| Literal::string(s).to_string();

        out.impl_header("", "::serde::Serialize", name);
        out.line(4, "fn serialize<S: ::serde::Serializer>(");
        out.line(8, "&self,");
        out.line(8, "serializer: S,");
        out.line(4, ") -> Result<S::Ok, S::Error> {");
        let writes = self
            .fields
            .iter()
            .map(|f| {
                let how = if f.unless_unset {
                    "unless_unset"
                } else {
                    "always"
                };
                let value = Item::call(
                    format!("crate::runtime::{how}("),
                    vec![Item::text(format!("&self.{}", f.name))],
                    ")",
                );
                Item::call("(".into(), vec![Item::text(lit(&f.wire)), value], ")")
            })
            .collect();
        let write = Item::call(
            "crate::runtime::write_object(".into(),
            vec![
                Item::text("serializer".into()),
                Item::call("&[".into(), writes, "]"),
                Item::text(format!("&self.{}", self.additional)),
            ],
            ")",
        );
        out.item(8, &write, "", false)?;
        out.line(4, "}");
        out.line(0, "}");

        out.impl_header("<'de>", "::serde::Deserialize<'de>", name);
        out.line(4, "fn deserialize<D: ::serde::Deserializer<'de>>(");
        out.line(8, "deserializer: D,");
        out.line(4, ") -> Result<Self, D::Error> {");
        out.line(8, "crate::runtime::read_object(deserializer)");
        out.line(4, "}");
        out.line(0, "}");

        out.impl_header("", "crate::runtime::ReadObject", name);
        let expecting = lit(&format!("struct {name}"));
        out.line(4, &format!("const EXPECTING: &'static str = {expecting};"));
        let wires = self
            .fields
            .iter()
            .map(|f| Item::text(lit(&f.wire)))
            .collect();
        let fields = Item::call(
            "const FIELDS: &'static [&'static str] = &[".into(),
            wires,
            "]",
        );
        out.item(4, &fields, ";", true)?;
        out.line(4, "fn read(");
        out.line(8, "object: &mut crate::runtime::Object<'_, '_>,");
        out.line(4, ") -> Result<Self, crate::runtime::ObjectError> {");
        for f in &self.fields {
            let start = if f.starts_absent {
                "crate::runtime::Nullable::Absent"
            } else {
                "None"
            };
            out.fitting_line(8, &format!("let mut {} = {start};", f.local))?;
        }
        let map = "::std::collections::BTreeMap::new()";
        out.fitting_line(8, &format!("let mut {} = {map};", self.additional_local))?;
        let slots = self
            .fields
            .iter()
            .map(|f| {
                let slot = format!("&mut crate::runtime::{}(", f.slot);
                Item::call(slot, vec![Item::text(format!("&mut {}", f.local))], ")")
            })
            .collect();
        let args = vec![
            Item::call("&mut [".into(), slots, "]"),
            Item::text(format!("&mut {}", self.additional_local)),
        ];
        out.read_fields(args)?;
        let required: Vec<&str> = self.required().collect();
        let binding = match required.as_slice() {
            [] => None,
            [one] => Some((
                Item::text(format!("Some({one})")),
                Item::text(one.to_string()),
            )),
            many => {
                let some = many.iter().map(|l| Item::text(format!("Some({l})")));
                let locals = many.iter().map(|l| Item::text(l.to_string()));
                Some((
                    Item::call("(".into(), some.collect(), ")"),
                    Item::call("(".into(), locals.collect(), ")"),
                ))
            }
        };
        if let Some((pattern, value)) = binding {
            out.let_else(8, &pattern, &value)?;
            out.line(12, "return Err(crate::runtime::missing_required());");
            out.line(8, "};");
        }
        let mut finals: Vec<Item> = self
            .fields
            .iter()
            .map(|f| match f.finish {
                Finish::OrDefault => {
                    Item::Chain(format!("{}: {}", f.name, f.local), ".unwrap_or_default()")
                }
                Finish::Required | Finish::Local => Item::text(format!("{}: {}", f.name, f.local)),
            })
            .collect();
        finals.push(Item::text(format!(
            "{}: {}",
            self.additional, self.additional_local
        )));
        out.struct_literal(8, &finals)?;
        out.line(4, "}");
        out.line(0, "}");
        Some(())
    }
}

/// The `runtime` slot a field is read into: as serde reads its type, or
/// leniently ([`Api::lenient_read`]: the slot's type says which lenient
/// reader), into `Some` for a required field.
fn field_slot(api: &Api, field: &Field) -> &'static str {
    let lenient = api.lenient_read(&field.ty).is_some();
    match (field.shape(), lenient) {
        (FieldShape::Plain, false) => "Given",
        (FieldShape::Plain, true) => "LooseGiven",
        (_, false) => "Plain",
        (_, true) => "Loose",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::emit::layout::Rng;

    impl Rng {
        /// Up to 8 fields, with names and wire names up to `max` characters.
        fn object(&mut self, max: usize) -> ObjectCode {
            let count = self.next(9);
            let fields = (0..count)
                .map(|i| {
                    let name = format!("{}{i}", self.ident(max));
                    let wire = match self.next(4) {
                        0 => name.clone(),
                        1 => format!("{}-\"é\\{}", self.ident(max), self.ident(8)),
                        _ => self.ident(max),
                    };
                    FieldCode {
                        local: naming::field_local_name(&name),
                        name,
                        wire,
                        slot: ["Given", "LooseGiven", "Plain", "Loose"][self.next(4)],
                        unless_unset: self.next(2) == 0,
                        starts_absent: self.next(3) == 0,
                        finish: [Finish::Required, Finish::OrDefault, Finish::Local][self.next(3)],
                    }
                })
                .collect();
            let additional = if self.next(3) == 0 {
                self.ident(max)
            } else {
                "additional_properties".to_string()
            };
            let name = {
                let mut n = self.ident(max);
                n[..1].make_ascii_uppercase();
                n
            };
            ObjectCode {
                name,
                fields,
                additional_local: naming::field_local_name(&additional),
                additional,
                result: quote!(Result),
                result_bare: true,
            }
        }
    }

    /// The text form is exactly what prettyplease prints for the tokens, for
    /// names and wire names of every length, or it declines.
    #[test]
    fn text_is_what_prettyplease_prints() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..3000 {
            // Names as long as real ones are always printed; far longer ones
            // may be declined.
            let (max, must_print) = [(12, true), (24, true), (45, false), (80, false)][round % 4];
            let code = rng.object(max);
            let expected = super::super::format_items(code.tokens()).expect("tokens format");
            match code.text() {
                Some(text) => assert_eq!(text, expected, "{code:#?}"),
                None => {
                    let mut out = Layout::default();
                    let _ = code.print(&mut out);
                    assert!(!must_print, "declined {:?}", out.refused);
                }
            }
        }
    }

    /// `Result` spelled by path (a vendor type takes the name) is left to the
    /// tokens.
    #[test]
    fn text_declines_a_spelled_out_result() {
        let mut code = Rng(7).object(10);
        code.result = quote!(::std::result::Result);
        code.result_bare = false;
        assert_eq!(code.text(), None);
    }
}
