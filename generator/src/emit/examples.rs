//! Emitting the examples' tests: every example of the API description decodes
//! into its generated type and encodes back to the same JSON, as
//! `runtime::examples::round_trip` judges it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::ident;
use crate::emit::types::type_tokens;
use crate::model::{Api, Example};

/// The whole `examples.rs` of a vendor module, or `None` when it has no examples.
pub fn emit_examples(api: &Api) -> Option<TokenStream> {
    if api.examples.is_empty() {
        return None;
    }
    let tests = api.examples.iter().map(|e| emit_example(api, e));
    Some(quote! {
        //! The API description's examples, each decoded into its generated type and
        //! encoded back to the same JSON (`cargo test`).
        #(#tests)*
    })
}

/// One example's test.
fn emit_example(api: &Api, example: &Example) -> TokenStream {
    let name = ident(&example.name);
    let ty = type_tokens(api, &example.ty);
    let ty = if example.nullable {
        quote!(::std::option::Option<#ty>)
    } else {
        ty
    };
    let at = example.origin.to_string();
    let json = example.value.to_string();
    let doc = format!(" `{at}`");
    quote! {
        #[doc = #doc]
        #[test]
        fn #name() {
            crate::runtime::examples::round_trip::<#ty>(#at, #json);
        }
    }
}
