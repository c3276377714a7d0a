//! Emitting the examples' tests: every example of the API description decodes
//! into its generated type and encodes back to the same JSON, as
//! `runtime::examples::round_trip` judges it.
//!
//! The examples themselves go to `examples.jsonl`, one JSON text per line after
//! a first line saying the file is generated, and each test reads its own line
//! by byte range: large specs carry megabytes of
//! examples, which as Rust string literals would slow both generation and
//! compilation.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::docs::{Doc, code, doc_line};
use crate::emit::layout::{Item, Layout, Piece, Printable, type_item};
use crate::emit::types::type_tokens;
use crate::emit::{HEADER, Prelude, ident};
use crate::model::{Api, Example, LenientRead, TypeRef};

/// The name of the data file beside `examples.rs`.
pub const DATA_FILE: &str = "examples.jsonl";

/// `examples.rs` of a vendor module (its items, without the file's header)
/// and its data file, or `None` when the API has no examples.
pub fn emit_examples(api: &Api) -> Option<(Vec<Piece>, String)> {
    if api.examples.is_empty() {
        return None;
    }
    // The first line marks the file as generated; it is a JSON string, so the
    // file stays JSON Lines.
    let mut data = format!(
        "{}\n",
        serde_json::Value::from(HEADER.trim_end().trim_start_matches("// "))
    );
    let file = DATA_FILE;
    // With only some tag features on, every test may be compiled out.
    let unused = api.features.as_ref().map(|f| {
        let vendor = &f.vendor;
        quote!(#[cfg_attr(not(feature = #vendor), allow(dead_code))])
    });
    let mut pieces = vec![Piece::Tokens(quote! {
        //! The API description's examples, each decoded into its generated type and
        //! encoded back to the same JSON (`cargo test`).

        /// Every example, one per line; each test reads its own byte range.
        #unused
        const EXAMPLES: &str = include_str!(#file);
    })];
    for example in &api.examples {
        let start = data.len();
        data.push_str(&example.value.to_string());
        let test = ExampleTest::of(api, example, start, data.len());
        pieces.push(Piece::Code(Box::new(test)));
        data.push('\n');
    }
    Some((pieces, data))
}

/// One example's test, reading `EXAMPLES[start..end]`: decided once, printed as
/// tokens (the definition) or straight to text (`layout.rs`).
#[derive(Debug, Clone)]
struct ExampleTest {
    name: String,
    /// Where the example is in the API description.
    at: String,
    /// The `runtime::examples` function that judges it.
    check: &'static str,
    /// The type it decodes into.
    ty: TokenStream,
    start: usize,
    end: usize,
    /// The `#[cfg]` of the tag features it needs, if any.
    gate: Option<TokenStream>,
}

impl ExampleTest {
    fn of(api: &Api, example: &Example, start: usize, end: usize) -> Self {
        let prelude = Prelude::of(api);
        let option = prelude.option();
        // A field's own example is read as the field reads it; its value is never
        // `null` (examples of `null` are not recorded).
        let read = example
            .of_field
            .then(|| api.lenient_read(&example.ty))
            .flatten();
        let (check, ty) = match (read, api.resolved(&example.ty)) {
            (Some(LenientRead::Scalar), _) => ("round_trip_field", type_tokens(api, &example.ty)),
            (Some(LenientRead::List), TypeRef::Array(item)) => {
                ("round_trip_field_list", type_tokens(api, item))
            }
            _ => {
                let ty = type_tokens(api, &example.ty);
                let ty = if example.nullable {
                    quote!(#option<#ty>)
                } else {
                    ty
                };
                ("round_trip", ty)
            }
        };
        ExampleTest {
            name: example.name.clone(),
            at: example.origin.to_string(),
            check,
            ty,
            start,
            end,
            gate: api
                .features
                .as_ref()
                .and_then(|f| super::cfg_all(&f.of_type_ref(&example.ty))),
        }
    }

    fn print(&self, out: &mut Layout) -> Option<()> {
        if self.gate.is_some() {
            return None;
        }
        out.doc(0, &Doc::of_line(&code(&self.at)))?;
        out.line(0, "#[test]");
        out.fitting_line(0, &format!("fn {}() {{", self.name))?;
        let ty = type_item(&self.ty)?;
        let args = vec![
            Item::Word(Literal::string(&self.at).to_string()),
            Item::text(format!("&EXAMPLES[{}..{}]", self.start, self.end)),
        ];
        out.turbofish_call(
            4,
            &format!("crate::runtime::examples::{}::<", self.check),
            ty,
            args,
        )?;
        out.line(0, "}");
        Some(())
    }
}

impl Printable for ExampleTest {
    fn tokens(&self) -> TokenStream {
        let doc = doc_line(&code(&self.at));
        let name = ident(&self.name);
        let check = ident(self.check);
        let ty = &self.ty;
        let at = &self.at;
        let (start, end) = (
            Literal::usize_unsuffixed(self.start),
            Literal::usize_unsuffixed(self.end),
        );
        let gate = &self.gate;
        quote! {
            #doc
            #gate
            #[test]
            fn #name() {
                crate::runtime::examples::#check::<#ty>(#at, &EXAMPLES[#start..#end]);
            }
        }
    }

    fn text(&self) -> Option<String> {
        let mut out = Layout::default();
        self.print(&mut out).map(|()| out.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::layout::Rng;

    /// The text form is exactly what prettyplease prints for the tokens, for
    /// locations and types of every length (short ones on one line, long ones
    /// breaking the type and the arguments).
    #[test]
    fn text_is_what_prettyplease_prints() {
        let mut rng = Rng(0x5851_f42d_4c95_7f2d);
        for round in 0..2000 {
            let max = [4, 12, 30][round % 3];
            let parts: Vec<String> = (0..rng.next(8)).map(|_| rng.ident(max)).collect();
            let digits = rng.next(6);
            let start = rng.next(1 << (4 * digits));
            let test = ExampleTest {
                name: rng.ident(max),
                at: format!("spec.yaml #/{}\"é\\", parts.join("/")),
                check: ["round_trip", "round_trip_field", "round_trip_field_list"][rng.next(3)],
                ty: rng.ty(max, 2),
                start,
                end: start + rng.next(100_000),
                gate: None,
            };
            let expected = super::super::format_items(test.tokens()).expect("tokens format");
            assert_eq!(test.text().as_deref(), Some(expected.as_str()), "{test:#?}");
        }
    }
}
