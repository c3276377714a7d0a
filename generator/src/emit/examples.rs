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

use crate::emit::docs::{code, doc_line};
use crate::emit::types::type_tokens;
use crate::emit::{HEADER, Prelude, ident};
use crate::model::{Api, Example, LenientRead, TypeRef};

/// The name of the data file beside `examples.rs`.
pub const DATA_FILE: &str = "examples.jsonl";

/// `examples.rs` of a vendor module and its data file, or `None` when the API
/// has no examples.
pub fn emit_examples(api: &Api) -> Option<(TokenStream, String)> {
    if api.examples.is_empty() {
        return None;
    }
    // The first line marks the file as generated; it is a JSON string, so the
    // file stays JSON Lines.
    let mut data = format!(
        "{}\n",
        serde_json::Value::from(HEADER.trim_end().trim_start_matches("// "))
    );
    let mut tests = Vec::new();
    for example in &api.examples {
        let start = data.len();
        data.push_str(&example.value.to_string());
        tests.push(emit_example(api, example, start, data.len()));
        data.push('\n');
    }
    let file = DATA_FILE;
    // With only some tag features on, every test may be compiled out.
    let unused = api.features.as_ref().map(|f| {
        let vendor = &f.vendor;
        quote!(#[cfg_attr(not(feature = #vendor), allow(dead_code))])
    });
    Some((
        quote! {
            //! The API description's examples, each decoded into its generated type and
            //! encoded back to the same JSON (`cargo test`).

            /// Every example, one per line; each test reads its own byte range.
            #unused
            const EXAMPLES: &str = include_str!(#file);

            #(#tests)*
        },
        data,
    ))
}

/// One example's test, reading `EXAMPLES[start..end]`.
fn emit_example(api: &Api, example: &Example, start: usize, end: usize) -> TokenStream {
    let prelude = Prelude::of(api);
    let option = prelude.option();
    let name = ident(&example.name);
    // A field's own example is read as the field reads it; its value is never
    // `null` (examples of `null` are not recorded).
    let read = example
        .of_field
        .then(|| api.lenient_read(&example.ty))
        .flatten();
    let (check, ty) = match (read, api.resolved(&example.ty)) {
        (Some(LenientRead::Scalar), _) => (quote!(round_trip_field), type_tokens(api, &example.ty)),
        (Some(LenientRead::List), TypeRef::Array(item)) => {
            (quote!(round_trip_field_list), type_tokens(api, item))
        }
        _ => {
            let ty = type_tokens(api, &example.ty);
            let ty = if example.nullable {
                quote!(#option<#ty>)
            } else {
                ty
            };
            (quote!(round_trip), ty)
        }
    };
    let at = example.origin.to_string();
    let doc = doc_line(&code(&at));
    let (start, end) = (
        Literal::usize_unsuffixed(start),
        Literal::usize_unsuffixed(end),
    );
    let gate = api
        .features
        .as_ref()
        .and_then(|f| super::cfg_all(&f.of_type_ref(&example.ty)));
    quote! {
        #doc
        #gate
        #[test]
        fn #name() {
            crate::runtime::examples::#check::<#ty>(#at, &EXAMPLES[#start..#end]);
        }
    }
}
