//! Emitting the client: the `Client` struct and one method per operation, which
//! fills a request and returns the call as a future.
//!
//! A method takes its path parameters as arguments, its query/header/cookie
//! parameters as one `&XxxParams` struct, and its body by reference; it fills a
//! `runtime::Request` and hands it to the runtime with the success and error
//! decoders of the operation. An operation with a streaming form gets a second
//! method (`emit_stream_operation`) that fills the request the same way.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{code, doc_attrs, doc_line, prose};
use crate::emit::types::type_tokens;
use crate::emit::{Prelude, ident};
use crate::model::{
    Api, AuthUse, Body, EventData, FieldShape, HttpMethod, MultipartKind, Operation, Param,
    ParamLocation, PathArg, PathPart, QueryStyle, RawKind, StreamForm, StreamResponse, Success,
    TokenFlow, TypeKind, TypeRef,
};

/// The whole `client.rs` of a vendor module.
pub fn emit_client(api: &Api) -> TokenStream {
    let prelude = Prelude::of(api);
    let into = prelude.into();
    let option = prelude.option();
    let title = api.title.clone().unwrap_or_else(|| api.module.wire.clone());
    let doc = doc_line(&format!(
        "A client for {}. Cloning is cheap: clones share one connection pool.",
        prose(&title)
    ));
    let base_url = emit_base_url(api);
    let token_flows = api
        .token_flows
        .iter()
        .map(|flow| emit_token_flow(api, flow));
    let methods = api.operations.iter().enumerate().map(|(i, op)| {
        let gate = api
            .features
            .as_ref()
            .and_then(|f| f.of_operation(i))
            .map(|gate| super::cfg_any(&gate));
        let method = emit_operation(api, op);
        let stream = op.stream.as_ref().map(|form| {
            let method = emit_stream_operation(api, op, form);
            quote!(#gate #method)
        });
        quote!(#gate #method #stream)
    });
    quote! {
        //! The client: one method per operation, returning the call as a future.

        #doc
        #[derive(Debug, Clone)]
        pub struct Client {
            core: crate::runtime::ClientCore,
        }

        impl crate::runtime::FromCore for Client {
            fn from_core(core: crate::runtime::ClientCore) -> Self {
                Self { core }
            }
        }

        impl Client {
            #base_url

            #(#token_flows)*

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.core.base_url()
            }

            /// This client with another retry policy, for the calls made through it;
            /// it shares the connection pool, credentials and rate limit.
            pub fn with_retry(&self, policy: crate::runtime::RetryPolicy) -> Self {
                Self { core: self.core.with_retry(policy) }
            }

            /// This client with another overall time limit per call (`None`: none),
            /// for the calls made through it; it shares everything else.
            pub fn with_timeout(&self, timeout: impl #into<#option<::std::time::Duration>>) -> Self {
                Self { core: self.core.with_timeout(timeout) }
            }

            #(#methods)*
        }
    }
}

fn emit_base_url(api: &Api) -> TokenStream {
    match &api.base_url {
        Some(url) => quote! {
            /// The base URL from the API description's `servers`.
            pub const DEFAULT_BASE_URL: &'static str = #url;

            /// A builder for a client; the base URL defaults to [`Self::DEFAULT_BASE_URL`].
            pub fn builder() -> crate::runtime::ClientBuilder<Self> {
                crate::runtime::ClientBuilder::new(Some(Self::DEFAULT_BASE_URL))
            }
        },
        None => quote! {
            /// A builder for a client. The API description has no absolute server
            /// URL, so `.base_url(...)` must be called.
            pub fn builder() -> crate::runtime::ClientBuilder<Self> {
                crate::runtime::ClientBuilder::new(None)
            }
        },
    }
}

/// The constructor of a security scheme's client-credentials token source, and
/// a constant per scope.
fn emit_token_flow(api: &Api, flow: &TokenFlow) -> TokenStream {
    let prelude = Prelude::of(api);
    let into = prelude.into();
    let string = prelude.string();
    let method = ident(&flow.method.rust);
    let url = &flow.token_url;
    let scheme = code(&flow.method.wire);
    let at = if flow.relative {
        format!("{} (relative to the base URL)", code(url))
    } else {
        code(url)
    };
    let listed = if flow.scopes.is_empty() {
        "The API description lists no scopes.".to_string()
    } else {
        let names: Vec<String> = flow
            .scopes
            .iter()
            .map(|(name, _)| format!("[`Self::{}`]", name.rust))
            .collect();
        format!("Its scopes: {}.", names.join(", "))
    };
    let doc = doc_line(&format!(
        "The OAuth 2 client-credentials flow of security scheme {scheme}: the client id\n\
         and secret are exchanged for access tokens at {at}.\n\
         Give it to [`ClientBuilder::client_credentials`](crate::runtime::ClientBuilder::client_credentials);\n\
         ask for scopes with `.scope(...)`. {listed}"
    ));
    let description = flow.description.as_deref().map(|text| {
        let text = doc_attrs(Some(text));
        quote!(#[doc = ""] #text)
    });
    let scopes = flow.scopes.iter().map(|(name, text)| {
        let constant = ident(&name.rust);
        let wire = &name.wire;
        let doc = doc_line(&format!(
            "Scope {} of security scheme {scheme}{}",
            code(wire),
            if text.trim().is_empty() {
                ".".to_string()
            } else {
                format!(": {}", prose(text))
            }
        ));
        quote! {
            #doc
            pub const #constant: &'static str = #wire;
        }
    });
    quote! {
        #doc
        #description
        pub fn #method(
            client_id: impl #into<#string>,
            client_secret: impl #into<#string>,
        ) -> crate::runtime::ClientCredentials {
            crate::runtime::ClientCredentials::new(#url, client_id, client_secret)
        }

        #(#scopes)*
    }
}

/// The method's arguments: path parameters, the params struct, the body (a
/// `runtime::Upload` for the streaming form's `upload`).
fn operation_args(api: &Api, op: &Operation, upload: bool) -> Vec<TokenStream> {
    let prelude = Prelude::of(api);
    let option = prelude.option();
    let mut args = Vec::new();
    for p in op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
    {
        let n = ident(&p.name.rust);
        let ty = path_arg_type(api, &p.ty);
        args.push(quote!(#n: #ty));
    }
    if let Some(id) = op.params_type {
        let ty = type_tokens(api, &TypeRef::Named(id));
        args.push(quote!(params: &#ty));
    }
    if let Some(body) = op.body.as_ref().filter(|_| upload) {
        let ty = quote!(crate::runtime::Upload);
        if body.required {
            args.push(quote!(body: #ty));
        } else {
            args.push(quote!(body: #option<#ty>));
        }
    } else if let Some(body) = &op.body {
        let ty = match body.kind {
            RawKind::Json | RawKind::Form | RawKind::Multipart(_) => type_tokens(api, &body.ty),
            RawKind::Text => quote!(str),
            RawKind::Bytes => quote!([u8]),
        };
        if body.required {
            args.push(quote!(body: &#ty));
        } else {
            args.push(quote!(body: #option<&#ty>));
        }
    }
    args
}

/// Puts one query, header or cookie parameter on the request (a call in the
/// request's chain).
fn emit_param_set(p: &Param) -> TokenStream {
    let n = ident(&p.name.rust);
    let wire = &p.name.wire;
    match (p.location, p.style) {
        (ParamLocation::Query, QueryStyle::Form) => quote!(.query(#wire, &params.#n)),
        (ParamLocation::Query, style) => {
            let style = match style {
                QueryStyle::Form => quote!(Form),
                QueryStyle::FormUnexploded => quote!(FormUnexploded),
                QueryStyle::SpaceDelimited => quote!(SpaceDelimited),
                QueryStyle::PipeDelimited => quote!(PipeDelimited),
                QueryStyle::DeepObject => quote!(DeepObject),
                QueryStyle::Json => quote!(Json),
            };
            quote!(.query_with(#wire, &params.#n, crate::runtime::QueryStyle::#style))
        }
        (ParamLocation::Header, _) => quote!(.header(#wire, &params.#n)),
        (ParamLocation::Cookie, _) => quote!(.cookie(#wire, &params.#n)),
        (ParamLocation::Path, _) => unreachable!("filtered above"),
    }
}

/// Checks the body's rules, then puts it on the request in its media type; an
/// upload is put as it is. A required body is calls in the request's chain
/// (`Err`); an optional one a statement of its own (`Ok`).
fn emit_body_set(api: &Api, body: &Body, upload: bool) -> Result<TokenStream, TokenStream> {
    let media = &body.media_type;
    let typed = matches!(
        body.kind,
        RawKind::Json | RawKind::Form | RawKind::Multipart(_)
    );
    let check = (typed && api.validates(&body.ty)).then(|| quote!(.check(body)));
    let (form, set) = match body.kind {
        _ if upload => (None, quote!(.upload_body(#media, body))),
        RawKind::Json => (None, quote!(.json_body(#media, body))),
        RawKind::Form => (None, quote!(.form_body(#media, body))),
        RawKind::Text | RawKind::Bytes => (
            None,
            quote!(.raw_body(#media, ::std::convert::AsRef::<[u8]>::as_ref(body).to_vec())),
        ),
        RawKind::Multipart(subtype) => {
            let parts = multipart_parts(api, &body.ty);
            let new = match subtype {
                MultipartKind::FormData => quote!(crate::runtime::Multipart::new()),
                MultipartKind::Other => quote!(crate::runtime::Multipart::of(#media)),
            };
            (
                Some(quote! {
                    let mut form = #new;
                    #(#parts)*
                }),
                quote!(.multipart_body(form)),
            )
        }
    };
    match (body.required, form) {
        (true, None) => Err(quote!(#check #set)),
        (true, Some(form)) => Ok(quote! {
            #form
            request #check #set;
        }),
        (false, form) => Ok(quote! {
            if let Some(body) = body {
                #form
                request #check #set;
            }
        }),
    }
}

/// The success type and the runtime decoder that reads it.
fn success_decoder(api: &Api, success: &Success) -> (TokenStream, TokenStream) {
    let prelude = Prelude::of(api);
    let string = prelude.string();
    match success {
        Success::Unit => (quote!(()), quote!(crate::runtime::decode_unit)),
        Success::Raw(RawKind::Text) => (quote!(#string), quote!(crate::runtime::decode_text)),
        Success::Raw(_) => (quote!(::bytes::Bytes), quote!(crate::runtime::decode_bytes)),
        Success::Json(ty) => {
            let t = type_tokens(api, ty);
            (t.clone(), quote!(crate::runtime::decode_json::<#t>))
        }
    }
}

/// How a path parameter is taken: strings by `&str`, numbers and booleans by value,
/// anything else by reference.
fn path_arg_type(api: &Api, ty: &TypeRef) -> TokenStream {
    let t = type_tokens(api, ty);
    match ty.path_arg() {
        PathArg::Str => quote!(&str),
        PathArg::Value => t,
        PathArg::Ref => quote!(&#t),
    }
}

/// The runtime's constant for an HTTP method (`reqwest::Method::GET`).
fn method_tokens(method: HttpMethod) -> TokenStream {
    match method {
        HttpMethod::Get => quote!(GET),
        HttpMethod::Put => quote!(PUT),
        HttpMethod::Post => quote!(POST),
        HttpMethod::Delete => quote!(DELETE),
        HttpMethod::Options => quote!(OPTIONS),
        HttpMethod::Head => quote!(HEAD),
        HttpMethod::Patch => quote!(PATCH),
        HttpMethod::Trace => quote!(TRACE),
    }
}

fn auth_tokens(auth: &AuthUse) -> TokenStream {
    match auth {
        AuthUse::Bearer => quote!(crate::runtime::Auth::Bearer),
        AuthUse::Basic => quote!(crate::runtime::Auth::Basic),
        AuthUse::ApiKeyHeader(n) => quote!(crate::runtime::Auth::ApiKeyHeader(#n)),
        AuthUse::ApiKeyQuery(n) => quote!(crate::runtime::Auth::ApiKeyQuery(#n)),
        AuthUse::ApiKeyCookie(n) => quote!(crate::runtime::Auth::ApiKeyCookie(#n)),
    }
}

/// The parts of a multipart body of type `ty` (a struct, as lowering ensures):
/// `Binary` fields as files, the others as text, then the catch-all map's entries.
fn multipart_parts(api: &Api, ty: &TypeRef) -> Vec<TokenStream> {
    let TypeRef::Named(id) = api.resolved(ty) else {
        return Vec::new();
    };
    let TypeKind::Struct(st) = &api.ty(*id).kind else {
        return Vec::new();
    };
    let mut parts: Vec<TokenStream> = st
        .fields
        .iter()
        .map(|f| {
            let n = ident(&f.name.rust);
            let wire = &f.name.wire;
            // The field as an `Option<&T>`, whatever holds it.
            let present = match f.shape() {
                FieldShape::Plain => quote!(Some(&body.#n)),
                FieldShape::Optional | FieldShape::RequiredNullable => quote!(body.#n.as_ref()),
                FieldShape::Tristate => quote!(body.#n.value()),
            };
            match api.resolved(&f.ty) {
                TypeRef::Binary => quote!(form.file(#wire, #present);),
                TypeRef::Array(item) if api.resolved(item) == &TypeRef::Binary => quote! {
                    for file in #present.into_iter().flatten() {
                        form.file(#wire, Some(file));
                    }
                },
                _ => quote!(form.text(#wire, &body.#n);),
            }
        })
        .collect();
    let map = ident(&st.additional.field);
    parts.push(quote! {
        for (name, value) in &body.#map {
            form.text(name, value);
        }
    });
    parts
}

/// One operation's method.
pub fn emit_operation(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.name.rust);
    // The spec's text, then the request line (after it, so that an unclosed
    // fence in the text cannot take it in).
    let spec_docs = doc_attrs(op.docs.as_deref());
    let gap = op.docs.is_some().then(|| quote!(#[doc = ""]));
    let request_line = request_line(op);
    let args = operation_args(api, op, false);
    let fill = fill_request(api, op, op.accept.as_deref(), false, None);
    let (ok_ty, ok_decoder) = success_decoder(api, &op.success);
    let (err_ty, err_decoder) = error_decoder(api, op);
    let returns = call_future(api, &ok_ty, &err_ty);
    quote! {
        #spec_docs
        #gap
        #request_line
        pub fn #name(&self, #(#args),*) -> #returns {
            #fill
            self.core.execute(request, #ok_decoder, #err_decoder)
        }
    }
}

/// What a method returns: the call as a future that borrows only the client
/// (the arguments are read before it is returned), so a method is a plain
/// function that fills a request, not an `async fn` of its own. The future is
/// `Send` as an `async fn`'s is, through the opaque type; writing `+ Send` here
/// would make rustc prove it for every method of the crate, about a fifth of a
/// large crate's check time, instead of for the calls a user makes.
fn call_future(api: &Api, ok_ty: &TokenStream, err_ty: &TokenStream) -> TokenStream {
    let prelude = Prelude::of(api);
    let result = prelude.result();
    quote! {
        impl ::std::future::Future<Output = #result<crate::runtime::Response<#ok_ty>, crate::runtime::Error<#err_ty>>> + use<'_>
    }
}

/// An operation's streaming form: the same request, its binary body taken as a
/// `runtime::Upload`, its answer read as bytes or events as they arrive.
pub fn emit_stream_operation(api: &Api, op: &Operation, form: &StreamForm) -> TokenStream {
    let prelude = Prelude::of(api);
    let string = prelude.string();
    let name = ident(&form.name.rust);
    let plain = code(crate::naming::bare(&op.name.rust));
    let what = match &form.response {
        StreamResponse::Decoded => {
            "The streaming form of {plain}: it takes the body as an [`Upload`](crate::runtime::Upload) \
             (a file or a stream, read as it is sent) instead of bytes."
        }
        StreamResponse::Bytes => {
            "The streaming form of {plain}: the response body as it arrives, a \
             [`ByteStream`](crate::runtime::ByteStream) of chunks (also an `AsyncRead`), \
             however large; the body limit and the attempt timeout apply to each chunk."
        }
        StreamResponse::Events(_) => {
            "The streaming form of {plain}: the server-sent events as they arrive, an \
             [`EventStream`](crate::runtime::EventStream) of typed events; it reconnects \
             with `Last-Event-ID` after a dropped connection when the server gave an `id:` \
             or `retry:`."
        }
    }
    .replace("{plain}", &plain);
    let upload = form.upload.then(|| {
        doc_line(
            "The body is an [`Upload`](crate::runtime::Upload): a call with a body read \
             from a stream is not retried.",
        )
    });
    let flag = form.flag.as_ref().map(|flag| {
        doc_line(&format!(
            "It sets the body's {} to `true`, asking the server for the stream.",
            code(flag)
        ))
    });
    let what = doc_line(&what);
    let request_line = request_line(op);
    let args = operation_args(api, op, form.upload);
    let fill = fill_request(
        api,
        op,
        form.accept.as_deref(),
        form.upload,
        form.flag.as_deref(),
    );
    let (err_ty, err_decoder) = error_decoder(api, op);
    let (ok_ty, call) = match &form.response {
        StreamResponse::Decoded => {
            let (ok_ty, ok_decoder) = success_decoder(api, &op.success);
            (
                ok_ty,
                quote!(self.core.execute(request, #ok_decoder, #err_decoder)),
            )
        }
        StreamResponse::Bytes => (
            quote!(crate::runtime::ByteStream),
            quote!(self.core.execute_stream(request, #err_decoder)),
        ),
        StreamResponse::Events(data) => {
            let (data_ty, decode) = match data {
                EventData::Json(ty) => {
                    let t = type_tokens(api, ty);
                    (t.clone(), quote!(crate::runtime::decode_json::<#t>))
                }
                EventData::Text => (quote!(#string), quote!(crate::runtime::decode_text)),
            };
            (
                quote!(crate::runtime::EventStream<#data_ty, #err_ty>),
                quote!(self.core.execute_events(request, #decode, #err_decoder)),
            )
        }
    };
    let returns = call_future(api, &ok_ty, &err_ty);
    quote! {
        #what
        #upload
        #flag
        #[doc = ""]
        #request_line
        pub fn #name(&self, #(#args),*) -> #returns {
            #fill
            #call
        }
    }
}

/// The doc line naming the request: `` `GET /files/{id}` ``.
fn request_line(op: &Operation) -> TokenStream {
    doc_line(&code(&format!(
        "{} {}",
        op.method.as_str(),
        op.path_template
    )))
}

/// The error type and the runtime decoder that reads it.
fn error_decoder(api: &Api, op: &Operation) -> (TokenStream, TokenStream) {
    let err_ty = type_tokens(api, &op.error);
    let decoder = if op.error_by_status {
        quote!(#err_ty::decode)
    } else {
        quote!(crate::runtime::decode_error_json::<#err_ty>)
    };
    (err_ty, decoder)
}

/// The statements that fill `request`: path, parameters with their rules,
/// body (an upload as given), the `stream` flag, `Accept`, security and
/// idempotence. They are calls chained on the request, which keeps the first
/// failure for the call to end with: no error handling here.
fn fill_request(
    api: &Api,
    op: &Operation,
    accept: Option<&str>,
    upload: bool,
    flag: Option<&str>,
) -> TokenStream {
    let op_name = crate::naming::bare(&op.name.rust).to_string();
    let method = method_tokens(op.method);
    let template = &op.path_template;
    let mut chain: Vec<TokenStream> = op
        .path
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => quote!(.path(#text)),
            PathPart::Param(i) => {
                let p = &op.params[*i];
                let n = ident(&p.name.rust);
                let wire = &p.name.wire;
                quote!(.path_param(#wire, &#n))
            }
        })
        .collect();
    if op.params_type.is_some_and(|id| api.validated.contains(&id)) {
        chain.push(quote!(.check(params)));
    }
    chain.extend(
        op.params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
            .map(emit_param_set),
    );
    // Calls after an optional body go in a chain of their own.
    let mut statements = Vec::new();
    if let Some(body) = &op.body {
        match emit_body_set(api, body, upload) {
            Err(calls) => chain.push(calls),
            Ok(statement) => {
                if !chain.is_empty() {
                    statements.push(quote!(request #(#chain)*;));
                    chain.clear();
                }
                statements.push(statement);
            }
        }
    }
    if let Some(flag) = flag {
        chain.push(quote!(.set_json_flag(#flag)));
    }
    if let Some(accept) = accept {
        chain.push(quote!(.accept(#accept)));
    }
    if !op.security.is_empty() {
        let reqs = op.security.iter().map(|req| {
            let uses = req.iter().map(auth_tokens);
            quote!(&[#(#uses),*])
        });
        chain.push(quote!(.security(&[#(#reqs),*])));
    }
    if op.idempotent {
        chain.push(quote!(.idempotent()));
    }
    if !chain.is_empty() {
        statements.push(quote!(request #(#chain)*;));
    }
    let mutable = (!statements.is_empty()).then(|| quote!(mut));
    quote! {
        let #mutable request = crate::runtime::Request::new(#op_name, crate::runtime::Method::#method, #template);
        #(#statements)*
    }
}
