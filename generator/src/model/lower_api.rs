//! Lowering a whole vendor: documents → [`Api`].
//!
//! Reads what belongs to the API rather than to one operation: the base URL (and a
//! path prefix that servers and paths both carry), security schemes, every
//! component schema (used or not, so nothing is lost), standalone JSON Schema files,
//! and the unique method names of all operations.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics, Location, pointer_join};
use crate::load::{Document, FileKind};
use crate::model::defaults::decide_defaults;
use crate::model::examples::{keep_fitting, name_examples};
use crate::model::features::decide_features;
use crate::model::lower_operation::{
    CLIENT_METHODS, OperationSite, decide_error_type, lower_operation,
};
use crate::model::schema::{Lowerer, Merge, box_cycles, remap_ref};
use crate::model::vendor_config::VendorConfig;
use crate::model::{Api, AuthUse, Example, HttpMethod, Operation, Success, TokenFlow};
use crate::naming::{self, Name, Namer};

/// Type names the module's own items use.
const RESERVED_TYPES: &[&str] = &["Client", "Response", "Error"];

/// Lowers one vendor. Returns the model and every diagnostic found; the caller
/// decides whether errors stop generation.
pub fn lower(doc: &Document) -> (Api, Diagnostics) {
    let mut lw = Lowerer::new(doc);
    let openapi: Vec<(&str, &Value)> = doc.files_of(FileKind::OpenApi).collect();
    let first = openapi.first().copied();

    let base = first.and_then(|(file, root)| base_url(&mut lw.diags, file, root));
    let strip_prefix = base
        .as_ref()
        .and_then(|url| doubled_prefix(&mut lw.diags, &openapi, url));
    let schemes = security_schemes(&mut lw.diags, &openapi);
    let mut config = VendorConfig::read(doc, &mut lw.diags);

    let mut operations = lower_operations(
        &mut lw,
        &openapi,
        &schemes,
        strip_prefix.as_deref(),
        &mut config,
    );
    config.report_unused(&mut lw.diags);
    lower_webhooks(&mut lw, &openapi);
    lower_components(&mut lw, &openapi);
    for (file, root) in doc.files_of(FileKind::JsonSchema) {
        lower_json_schema_file(&mut lw, file, root);
    }

    let merge = lw.merge_identical();
    let mut examples = follow_merges(&mut lw, &mut operations, &merge);
    let mut finished = lw.finish(RESERVED_TYPES, merge);
    box_cycles(&mut finished.types);
    name_examples(&mut examples, &finished.types);
    let mut diags = finished.diags;
    operations.sort_by(|a, b| a.name.rust.cmp(&b.name.rust));
    let token_flows = token_flows(&mut diags, &openapi, &operations);

    let info = first.and_then(|(_, root)| root.get("info"));
    let text = |key: &str| {
        info.and_then(|i| i.get(key))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    if openapi.is_empty() && finished.order.is_empty() {
        diags.push(Diagnostic::warning(
            Location::new("", ""),
            format!("vendor `{}` defines no operation and no schema", doc.vendor),
        ));
    }
    let prelude_taken = naming::prelude_taken(
        finished
            .types
            .iter()
            .flat_map(|t| std::iter::once(&t.name).chain(&t.aliases))
            .map(|n| n.rust.as_str()),
    );
    let mut api = Api {
        module: Name::new(doc.vendor.clone(), naming::snake_name(&doc.vendor)),
        title: text("title"),
        version: text("version"),
        description: text("description"),
        base_url: base,
        types: finished.types,
        type_order: finished.order,
        operations,
        has_client: !openapi.is_empty(),
        validated: Default::default(),
        examples,
        defaults: Default::default(),
        features: None,
        token_flows,
        prelude_taken,
    };
    for (id, names) in api.drop_looping_alternatives() {
        let def = api.ty(id);
        let names: Vec<String> = names.iter().map(|n| format!("`{}`", n.wire)).collect();
        diags.push(
            Diagnostic::warning(
                def.origin.clone(),
                format!(
                    "`{}`: alternative {} leads back to a union being decoded without reading anything; it is left out (decoding would never end)",
                    def.name.wire,
                    names.join(", ")
                ),
            )
            .with_help("a union that holds itself needs the loop to go through an array or an object property"),
        );
    }
    api.find_validated();
    diags.extend(decide_defaults(&mut api));
    diags.extend(keep_fitting(&mut api));
    if config.tag_features() {
        api.features = Some(decide_features(&api));
    }
    (api, diags)
}

/// Every operation of the OpenAPI files, in file, path and method order; method
/// names are claimed in that order.
fn lower_operations(
    lw: &mut Lowerer<'_>,
    openapi: &[(&str, &Value)],
    schemes: &BTreeMap<String, AuthUse>,
    strip_prefix: Option<&str>,
    config: &mut VendorConfig,
) -> Vec<Operation> {
    let mut method_names = Namer::with_reserved(CLIENT_METHODS);
    let mut operations: Vec<Operation> = Vec::new();
    let mut seen: std::collections::BTreeSet<(&str, HttpMethod)> = Default::default();
    for (file, root) in openapi {
        let Some(paths) = root.get("paths").and_then(Value::as_object) else {
            continue;
        };
        for (path, item) in paths {
            let item = match item.get("$ref").and_then(Value::as_str) {
                Some(r) => match lw.doc.resolve(file, r) {
                    Ok(res) => res.value,
                    Err(message) => {
                        lw.diags.push(
                            Diagnostic::warning(
                                Location::new(
                                    *file,
                                    pointer_join(&pointer_join("", "paths"), path),
                                ),
                                format!("{message}; the operations of this path are skipped"),
                            )
                            .with_help("point the `$ref` at an existing path item"),
                        );
                        continue;
                    }
                },
                None => item,
            };
            for method in HttpMethod::ALL {
                let Some(op) = item.get(method.key()) else {
                    continue;
                };
                if !seen.insert((path.as_str(), method)) {
                    continue; // the same operation merged from another file
                }
                let op_id = op.get("operationId").and_then(Value::as_str);
                let summary = op.get("summary").and_then(Value::as_str);
                let candidate = naming::operation_name(op_id, summary, method.key(), path);
                let (rust, renamed) = method_names.claim(&candidate);
                let at = Location::new(
                    *file,
                    pointer_join(
                        &pointer_join(&pointer_join("", "paths"), path),
                        method.key(),
                    ),
                );
                if renamed {
                    lw.diags.push(
                        Diagnostic::warning(at, format!("method name `{candidate}` is taken by another operation; this one is `{rust}`"))
                            .with_help("give each operation a unique operationId"),
                    );
                }
                let wire = op_id
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{} {path}", method.as_str()));
                let site = OperationSite {
                    file,
                    path,
                    method,
                    op,
                    path_params: item.get("parameters"),
                    root_security: root.get("security"),
                    schemes,
                    strip_prefix,
                };
                let mut operation = lower_operation(lw, &site, Name::new(wire, rust));
                operation.idempotent |= config.marks_idempotent(method.key(), path);
                operations.push(operation);
            }
        }
    }
    // Streaming forms are named after every operation's own method, which wins.
    for operation in &mut operations {
        let Some(stream) = &mut operation.stream else {
            continue;
        };
        let (rust, renamed) = method_names.claim(&stream.name.rust);
        if renamed {
            lw.diags.push(
                Diagnostic::warning(
                    operation.origin.clone(),
                    format!(
                        "the streaming form's method name `{}` is taken by another operation; it is `{rust}`",
                        stream.name.rust
                    ),
                )
                .with_help("give the other operation another operationId"),
            );
        }
        stream.name.rust = rust;
    }
    operations
}

/// Webhooks (3.1): the client receives them rather than calls them, so only
/// their payloads become types, named after the webhook.
fn lower_webhooks(lw: &mut Lowerer<'_>, openapi: &[(&str, &Value)]) {
    for (file, root) in openapi {
        for (name, item) in root
            .get("webhooks")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for method in HttpMethod::ALL {
                let Some(content) = item
                    .pointer(&format!("/{}/requestBody/content", method.key()))
                    .and_then(Value::as_object)
                else {
                    continue;
                };
                for (media, body) in content {
                    let Some(schema) = body.get("schema") else {
                        continue;
                    };
                    let pointer = ["requestBody", "content", media.as_str(), "schema"]
                        .iter()
                        .fold(
                            pointer_join(
                                &pointer_join(&pointer_join("", "webhooks"), name),
                                method.key(),
                            ),
                            |at, segment| pointer_join(&at, segment),
                        );
                    let hint = naming::webhook_type_name(name);
                    let lowered = lw.lower(file, &pointer, schema, &hint);
                    lw.note_usage(&lowered.ty, false);
                }
            }
        }
    }
}

/// Every component schema, so unused ones are generated too.
fn lower_components(lw: &mut Lowerer<'_>, openapi: &[(&str, &Value)]) {
    for (file, root) in openapi {
        if let Some(Value::Object(schemas)) = root.pointer("/components/schemas") {
            for (name, schema) in schemas {
                let pointer = pointer_join("#/components/schemas", name);
                if lw
                    .doc
                    .canonical
                    .contains_key(&(file.to_string(), pointer.clone()))
                {
                    continue;
                }
                lw.named(file.to_string(), pointer, schema, name.clone(), false);
            }
        }
    }
}

/// Points every use of a merged type at the type it was merged into, decides
/// each operation's error type over the merged types, and returns the
/// examples, now typed by the merged types.
fn follow_merges(
    lw: &mut Lowerer<'_>,
    operations: &mut [Operation],
    merge: &Merge,
) -> Vec<Example> {
    for op in operations {
        for p in &mut op.params {
            remap_ref(&mut p.ty, &merge.merged);
        }
        if let Some(b) = &mut op.body {
            remap_ref(&mut b.ty, &merge.merged);
        }
        if let Success::Json(t) = &mut op.success {
            remap_ref(t, &merge.merged);
        }
        if let Some(t) = op.stream.as_mut().and_then(|s| s.event_type_mut()) {
            remap_ref(t, &merge.merged);
        }
        for response in &mut op.error_responses {
            remap_ref(&mut response.ty, &merge.merged);
        }
        decide_error_type(lw, op);
    }
    let mut examples: Vec<Example> = std::mem::take(&mut lw.examples).into_values().collect();
    for example in &mut examples {
        remap_ref(&mut example.ty, &merge.merged);
    }
    examples
}

/// The first server's URL with its variables at their defaults, when absolute.
fn base_url(diags: &mut Diagnostics, file: &str, root: &Value) -> Option<String> {
    let server = root.get("servers")?.as_array()?.first()?;
    let server: openapiv3::Server = match serde_json::from_value(server.clone()) {
        Ok(s) => s,
        Err(e) => {
            diags.push(Diagnostic::warning(
                Location::new(file, "#/servers/0"),
                format!("server entry cannot be read: {e}"),
            ));
            return None;
        }
    };
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        diags.push(
            Diagnostic::warning(
                Location::new(file, "#/servers/0/url"),
                format!("server URL `{url}` is not absolute; the client has no default base URL"),
            )
            .with_help("pass the base URL to `Client::builder().base_url(...)`"),
        );
        return None;
    }
    Some(url.trim_end_matches('/').to_string())
}

/// When the server URL ends in a path (`/v1.0`) that every operation path also
/// starts with, the documents mean the prefix once: strip it from the paths.
fn doubled_prefix(diags: &mut Diagnostics, docs: &[(&str, &Value)], url: &str) -> Option<String> {
    let after_scheme = url.split_once("://")?.1;
    let prefix = after_scheme
        .find('/')
        .map(|i| &after_scheme[i..])?
        .trim_end_matches('/');
    if prefix.is_empty() {
        return None;
    }
    let mut count = 0;
    for (_, root) in docs {
        for path in root
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|p| p.keys())
        {
            let rest = path.strip_prefix(prefix)?;
            if !rest.starts_with('/') {
                return None;
            }
            count += 1;
        }
    }
    if count == 0 {
        return None;
    }
    diags.push(
        Diagnostic::warning(
            Location::new(docs[0].0, "#/servers/0/url"),
            format!("the server URL `{url}` ends in `{prefix}` and every path starts with `{prefix}/`; the prefix is sent once"),
        )
        .with_help("drop the prefix from either the server URL or the paths"),
    );
    Some(prefix.to_string())
}

/// Security schemes of all documents, interpreted as how a credential is sent.
fn security_schemes(diags: &mut Diagnostics, docs: &[(&str, &Value)]) -> BTreeMap<String, AuthUse> {
    let mut out = BTreeMap::new();
    for (file, root) in docs {
        let Some(Value::Object(schemes)) = root.pointer("/components/securitySchemes") else {
            continue;
        };
        for (name, raw) in schemes {
            let at = Location::new(*file, pointer_join("#/components/securitySchemes", name));
            // The client-credentials flow is read by `token_flows`, with its own
            // diagnostics; the other flows as before.
            let mut raw = raw.clone();
            if raw.get("type").and_then(Value::as_str) == Some("oauth2") {
                if let Some(Value::Object(flows)) = raw.get_mut("flows") {
                    flows.remove("clientCredentials");
                }
            }
            let scheme: openapiv3::SecurityScheme = match serde_json::from_value(raw) {
                Ok(s) => s,
                Err(e) => {
                    diags.push(
                        Diagnostic::warning(at, format!("security scheme `{name}` is not understood ({e}); operations using it send no credential"))
                            .with_help("use type apiKey, http, oauth2 or openIdConnect"),
                    );
                    continue;
                }
            };
            let auth = match scheme {
                openapiv3::SecurityScheme::APIKey {
                    location,
                    name: key,
                    ..
                } => match location {
                    openapiv3::APIKeyLocation::Header => AuthUse::ApiKeyHeader(key),
                    openapiv3::APIKeyLocation::Query => AuthUse::ApiKeyQuery(key),
                    openapiv3::APIKeyLocation::Cookie => AuthUse::ApiKeyCookie(key),
                },
                openapiv3::SecurityScheme::HTTP { scheme, .. }
                    if scheme.eq_ignore_ascii_case("basic") =>
                {
                    AuthUse::Basic
                }
                openapiv3::SecurityScheme::HTTP { scheme, .. } => {
                    if !scheme.eq_ignore_ascii_case("bearer") {
                        diags.push(Diagnostic::warning(
                            at,
                            format!("HTTP auth scheme `{scheme}` is sent as a bearer token"),
                        ));
                    }
                    AuthUse::Bearer
                }
                // Both hand the client an access token to send as a bearer token.
                openapiv3::SecurityScheme::OAuth2 { .. }
                | openapiv3::SecurityScheme::OpenIDConnect { .. } => AuthUse::Bearer,
            };
            out.insert(name.clone(), auth);
        }
    }
    out
}

/// The OAuth 2 client-credentials flows of all documents' security schemes, by
/// scheme name (a scheme in several documents taken once). A flow without a
/// usable `tokenUrl` is reported and left out: its operations still send a
/// bearer token, given fixed or by a token provider.
fn token_flows(
    diags: &mut Diagnostics,
    docs: &[(&str, &Value)],
    operations: &[Operation],
) -> Vec<TokenFlow> {
    let mut found: BTreeMap<String, (Location, &Value, Option<String>)> = BTreeMap::new();
    for (file, root) in docs {
        let Some(Value::Object(schemes)) = root.pointer("/components/securitySchemes") else {
            continue;
        };
        for (name, scheme) in schemes {
            if scheme.get("type").and_then(Value::as_str) != Some("oauth2") {
                continue;
            }
            let Some(flow) = scheme.pointer("/flows/clientCredentials") else {
                continue;
            };
            let at = Location::new(
                *file,
                pointer_join(&pointer_join("#/components/securitySchemes", name), "flows")
                    + "/clientCredentials",
            );
            let description = scheme
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string);
            found.entry(name.clone()).or_insert((at, flow, description));
        }
    }
    let several = found.len() > 1;
    let mut taken: Vec<&str> = crate::model::lower_operation::CLIENT_METHODS.to_vec();
    taken.extend(operations.iter().map(|op| op.name.rust.as_str()));
    let mut methods = Namer::with_reserved(&taken);
    let mut constants = Namer::with_reserved(&["DEFAULT_BASE_URL"]);
    let mut flows = Vec::new();
    for (name, (at, flow, description)) in found {
        let scheme = several.then_some(name.as_str());
        let Some((token_url, relative)) = token_url(diags, &name, &at, flow) else {
            continue;
        };
        let mut scopes = Vec::new();
        match flow.get("scopes") {
            None | Some(Value::Null) => {}
            Some(Value::Object(listed)) => {
                for (scope, text) in listed {
                    let (rust, renamed) = constants.claim(&naming::scope_const_name(scheme, scope));
                    if renamed {
                        diags.push(Diagnostic::warning(
                            Location::new(at.file.clone(), pointer_join(&format!("{}/scopes", at.pointer), scope)),
                            format!("scope `{scope}` of security scheme `{name}` is named like another once cleaned; its constant is `{rust}`"),
                        ));
                    }
                    let text = text.as_str().unwrap_or_default().to_string();
                    scopes.push((Name::new(scope.clone(), rust), text));
                }
            }
            Some(_) => diags.push(
                Diagnostic::warning(
                    Location::new(at.file.clone(), format!("{}/scopes", at.pointer)),
                    format!("the scopes of security scheme `{name}` are not an object of scope names and descriptions; none are listed"),
                )
                .with_help("write `scopes: {read: Read access}`"),
            ),
        }
        let (method, renamed) = methods.claim(&naming::client_credentials_name(scheme));
        if renamed {
            diags.push(Diagnostic::warning(
                at.clone(),
                format!("the client-credentials flow of security scheme `{name}` makes its token source with `Client::{method}`: its first name is an operation's"),
            ));
        }
        flows.push(TokenFlow {
            method: Name::new(name, method),
            token_url,
            relative,
            scopes,
            description,
            origin: at,
        });
    }
    flows
}

/// A client-credentials flow's `tokenUrl`, and whether it is relative to the
/// base URL; `None`, reported, when it is missing or does not parse.
fn token_url(
    diags: &mut Diagnostics,
    scheme: &str,
    at: &Location,
    flow: &Value,
) -> Option<(String, bool)> {
    let help = "until then, give the client a token with `bearer_token` or a token provider";
    let Some(written) = flow.get("tokenUrl").and_then(Value::as_str) else {
        diags.push(
            Diagnostic::warning(
                at.clone(),
                format!("the client-credentials flow of security scheme `{scheme}` has no `tokenUrl` string; the client offers no token source for it"),
            )
            .with_help(format!("add the token endpoint's URL as `tokenUrl`; {help}")),
        );
        return None;
    };
    let parsed = match url::Url::parse(written) {
        Ok(_) => Ok(false),
        Err(url::ParseError::RelativeUrlWithoutBase) => url::Url::parse("https://server.invalid/")
            .and_then(|base| base.join(written))
            .map(|_| true),
        Err(e) => Err(e),
    };
    match parsed {
        Ok(relative) => Some((written.to_string(), relative)),
        Err(e) => {
            diags.push(
                Diagnostic::warning(
                    Location::new(at.file.clone(), format!("{}/tokenUrl", at.pointer)),
                    format!("the token URL `{written}` of security scheme `{scheme}` is not a URL ({e}); the client offers no token source for it"),
                )
                .with_help(format!("write an absolute URL, or one relative to the server URL; {help}")),
            );
            None
        }
    }
}

/// A JSON Schema file standing alone: its root (when it describes a value) and each
/// of its `$defs` / `definitions` become types.
fn lower_json_schema_file(lw: &mut Lowerer<'_>, file: &str, root: &Value) {
    for group in ["$defs", "definitions"] {
        if let Some(Value::Object(defs)) = root.get(group) {
            for (name, schema) in defs {
                lw.named(
                    file.to_string(),
                    pointer_join(&format!("#/{group}"), name),
                    schema,
                    name.clone(),
                    false,
                );
            }
        }
    }
    let describes_value = [
        "type",
        "properties",
        "enum",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "$ref",
        "const",
    ]
    .iter()
    .any(|k| root.get(*k).is_some());
    if describes_value {
        let stem = file.rsplit('/').next().unwrap_or(file);
        let stem = stem.split('.').next().unwrap_or(stem);
        let name = root
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or(stem)
            .to_string();
        lw.named(file.to_string(), "#".to_string(), root, name, false);
    }
}
