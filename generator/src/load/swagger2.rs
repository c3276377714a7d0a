//! Swagger 2.0 documents, converted on load into the OpenAPI 3.0 documents every
//! later stage reads, so nothing downstream knows the difference.
//!
//! [`convert`] works on the parsed `serde_json::Value`s of a vendor's files, in
//! three steps:
//!
//! 1. Each 2.0 document is rebuilt as a 3.0.3 document (`Converter`): `host`,
//!    `basePath` and `schemes` become `servers`; `definitions`, `parameters`,
//!    `responses` and `securityDefinitions` become components; `body` and
//!    `formData` parameters become request bodies and responses get `content`,
//!    both keyed by the media types of `consumes` / `produces` (operation, else
//!    document, else `application/json`); `collectionFormat` becomes
//!    `style`/`explode`; schemas lose their 2.0 spellings (`x-nullable`,
//!    `type: file`, `discriminator` as a property name, `x-example`).
//!    Everything moved is recorded in the document's [`SourceMap`].
//! 2. Files reached by `$ref` from a 2.0 document (fragments) keep their layout;
//!    the schemas in them are rewritten the same way.
//! 3. Every `$ref` that points into a 2.0 document is re-pointed through that
//!    document's source map (`#/definitions/Pet` → `#/components/schemas/Pet`,
//!    `other.json#/definitions/Pet` → `other.json#/components/schemas/Pet`).
//!
//! Diagnostics name the 2.0 document's own places: the conversion's directly,
//! later stages' through [`SourceMap::original`]. What has no 3.0 equivalent is
//! converted to the closest construct with a warning; nothing is dropped silently.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::{external_target, lookup_pointer, relative_reference, split_reference, visit_refs};
use crate::diag::{Diagnostic, Diagnostics, Location, pointer_join};

/// The OpenAPI version a converted document declares.
const CONVERTED_VERSION: &str = "3.0.3";

/// The media type Swagger 2.0 assumes when neither the operation nor the document
/// says (`consumes` / `produces` absent).
const DEFAULT_MEDIA_TYPE: &str = "application/json";

const URLENCODED: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// Where the nodes of one converted document came from: a converted JSON pointer
/// (or a prefix of it) → the file and pointer in the 2.0 documents.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    /// Converted pointer → where it came from. Longest prefix wins.
    origins: BTreeMap<String, Origin>,
    /// Original pointer (in this document) → converted pointer, for `$ref`s
    /// written against the 2.0 layout. Only the primary place of each node.
    moved: BTreeMap<String, String>,
}

/// Where one converted node came from.
#[derive(Debug, Clone)]
struct Origin {
    file: String,
    pointer: String,
    /// Whether what lies under the node is laid out as under the original (a
    /// schema), so a longer pointer maps by appending; else a longer pointer maps
    /// to the node itself.
    subtree: bool,
}

/// How a converted node relates to the 2.0 node it was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Moved {
    /// Moved with everything under it: `$ref`s to the original come here.
    Tree,
    /// A further copy of a tree (another media type's schema, a shared response
    /// written in place).
    TreeCopy,
    /// Made from the node, laid out differently below it; `$ref`s come here.
    Node,
    /// A further node made from it.
    NodeCopy,
}

impl SourceMap {
    fn record(&mut self, converted: &str, file: &str, original: &str, moved: Moved, this: &str) {
        if converted == original && file == this {
            return;
        }
        self.origins
            .entry(converted.to_string())
            .or_insert_with(|| Origin {
                file: file.to_string(),
                pointer: original.to_string(),
                subtree: matches!(moved, Moved::Tree | Moved::TreeCopy),
            });
        if matches!(moved, Moved::Tree | Moved::Node) && file == this {
            self.moved
                .entry(original.to_string())
                .or_insert_with(|| converted.to_string());
        }
    }

    /// The 2.0 file and pointer a pointer of the converted document `file` stands
    /// for: unchanged where nothing moved; the nearest 2.0 node where the
    /// converted layout has no counterpart.
    pub fn original(&self, file: &str, pointer: &str) -> (String, String) {
        match longest_prefix(&self.origins, pointer) {
            Some((origin, rest)) if origin.subtree || rest.is_empty() => {
                (origin.file.clone(), format!("{}{rest}", origin.pointer))
            }
            Some((origin, _)) => (origin.file.clone(), origin.pointer.clone()),
            None => (file.to_string(), pointer.to_string()),
        }
    }

    /// Where a node written at `pointer` in the 2.0 layout is in the converted
    /// document.
    fn converted(&self, pointer: &str) -> Option<String> {
        longest_prefix(&self.moved, pointer).map(|(p, rest)| format!("{p}{rest}"))
    }
}

/// The entry for the longest prefix of `pointer` (cut at `/`), and what is left.
fn longest_prefix<'m, T>(map: &'m BTreeMap<String, T>, pointer: &str) -> Option<(&'m T, String)> {
    let mut end = pointer.len();
    loop {
        if let Some(found) = map.get(&pointer[..end]) {
            return Some((found, pointer[end..].to_string()));
        }
        end = pointer[..end].rfind('/')?;
    }
}

/// Whether a parsed file is a Swagger 2.0 document.
pub fn is_swagger2(value: &Value) -> bool {
    match value.get("swagger") {
        Some(Value::String(v)) => v == "2.0" || v == "2",
        Some(Value::Number(n)) => n.as_f64() == Some(2.0),
        _ => false,
    }
}

/// Converts the 2.0 `documents` among `files` in place (see the module docs) and
/// returns each one's source map. Fragments they reach are rewritten too.
pub fn convert(
    files: &mut BTreeMap<String, Value>,
    documents: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> BTreeMap<String, SourceMap> {
    let mut maps = BTreeMap::new();
    if documents.is_empty() {
        return maps;
    }
    let fragments = reached_from(files, documents);
    let mut converted = Vec::new();
    for file in documents {
        let Some(root) = files.get(file) else {
            continue;
        };
        let mut converter = Converter::new(file, root, files);
        let value = converter.document();
        diags.0.extend(converter.diags);
        maps.insert(file.clone(), converter.map);
        converted.push((file.clone(), value));
    }
    for file in &fragments {
        if let Some(value) = files.get(file) {
            let mut cx = Schemas {
                dest: file,
                diags: Vec::new(),
            };
            let value = cx.fragment(file, "", value);
            diags.0.extend(cx.diags);
            converted.push((file.clone(), value));
        }
    }
    for (file, value) in converted {
        files.insert(file, value);
    }
    for (file, value) in files.iter_mut() {
        repoint_refs(file, value, &maps);
    }
    maps
}

/// Files reached by `$ref`, directly or not, from the 2.0 documents, themselves
/// excluded.
fn reached_from(files: &BTreeMap<String, Value>, documents: &BTreeSet<String>) -> BTreeSet<String> {
    let mut seen: BTreeSet<String> = documents.clone();
    let mut queue: Vec<String> = documents.iter().cloned().collect();
    let mut out = BTreeSet::new();
    while let Some(file) = queue.pop() {
        let Some(value) = files.get(&file) else {
            continue;
        };
        let mut targets = Vec::new();
        visit_refs(value, &mut |r| {
            if let Some(target) = external_target(&file, r) {
                targets.push(target);
            }
        });
        for target in targets {
            if files.contains_key(&target) && seen.insert(target.clone()) {
                out.insert(target.clone());
                queue.push(target);
            }
        }
    }
    out
}

/// Re-points every `$ref` in `value` (written in `file`) that names a place in a
/// converted document through that document's source map.
fn repoint_refs(file: &str, value: &mut Value, maps: &BTreeMap<String, SourceMap>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match (key.as_str(), v) {
                    ("$ref", Value::String(reference)) => {
                        if reference.contains("://") {
                            continue;
                        }
                        let (target, pointer) = split_reference(file, reference);
                        let Some(moved) = maps.get(&target).and_then(|m| m.converted(&pointer))
                        else {
                            continue;
                        };
                        let path = reference.split('#').next().unwrap_or("");
                        *reference = format!("{path}{moved}");
                    }
                    ("example" | "examples" | "x-example", _) => {}
                    (_, v) => repoint_refs(file, v, maps),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| repoint_refs(file, v, maps)),
        _ => {}
    }
}

/// Schema rewriting shared by documents and fragments: the 2.0 spellings become
/// 3.0 ones, and `$ref`s written in another file are made relative to `dest`.
struct Schemas<'a> {
    /// The file the rewritten schemas end up in.
    dest: &'a str,
    diags: Vec<Diagnostic>,
}

impl Schemas<'_> {
    /// `reference`, written in `source`, as written in `dest`.
    fn rebase(&self, source: &str, reference: &str) -> String {
        if source == self.dest || reference.contains("://") {
            return reference.to_string();
        }
        let (target, pointer) = split_reference(source, reference);
        relative_reference(self.dest, &target, &pointer)
    }

    /// A 2.0 schema (written in `source`, at `pointer` there) as a 3.0 one.
    fn schema(&mut self, source: &str, pointer: &str, schema: &Value) -> Value {
        let Value::Object(map) = schema else {
            return schema.clone();
        };
        let mut out = Map::with_capacity(map.len());
        for (key, value) in map {
            let at = || pointer_join(pointer, key);
            match (key.as_str(), value) {
                ("$ref", Value::String(r)) => {
                    out.insert(key.clone(), Value::String(self.rebase(source, r)));
                }
                ("x-nullable", Value::Bool(b)) => {
                    if !map.contains_key("nullable") {
                        out.insert("nullable".into(), Value::Bool(*b));
                    }
                }
                ("x-example", example) => {
                    if !map.contains_key("example") {
                        out.insert("example".into(), example.clone());
                    }
                }
                ("discriminator", Value::String(property)) => {
                    out.insert("discriminator".into(), json!({ "propertyName": property }));
                }
                ("type", Value::String(t)) if t == "file" => {
                    out.insert("type".into(), json!("string"));
                    if !map.contains_key("format") {
                        out.insert("format".into(), json!("binary"));
                    }
                }
                ("properties" | "patternProperties" | "definitions", Value::Object(members)) => {
                    let at = at();
                    let members = members
                        .iter()
                        .map(|(name, s)| {
                            (
                                name.clone(),
                                self.schema(source, &pointer_join(&at, name), s),
                            )
                        })
                        .collect();
                    out.insert(key.clone(), Value::Object(members));
                }
                ("items", Value::Array(items)) => {
                    let at = at();
                    let items = items
                        .iter()
                        .enumerate()
                        .map(|(i, s)| self.schema(source, &pointer_join(&at, &i.to_string()), s))
                        .collect();
                    out.insert(key.clone(), Value::Array(items));
                }
                ("allOf" | "anyOf" | "oneOf", Value::Array(parts)) => {
                    let at = at();
                    let parts = parts
                        .iter()
                        .enumerate()
                        .map(|(i, s)| self.schema(source, &pointer_join(&at, &i.to_string()), s))
                        .collect();
                    out.insert(key.clone(), Value::Array(parts));
                }
                ("items" | "additionalProperties" | "not", Value::Object(_)) => {
                    let converted = self.schema(source, &at(), value);
                    out.insert(key.clone(), converted);
                }
                ("collectionFormat", _) => {
                    self.diags.push(
                        Diagnostic::warning(
                            Location::new(source, at()),
                            "`collectionFormat` inside `items` (an array of arrays in one parameter) has no OpenAPI 3 equivalent; the inner arrays are described without it",
                        )
                        .with_help("send the inner values as the server expects them, or flatten the parameter"),
                    );
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        Value::Object(out)
    }

    /// A fragment reached from a 2.0 document: every object that describes a
    /// value is rewritten as a schema; other objects are walked.
    fn fragment(&mut self, file: &str, pointer: &str, value: &Value) -> Value {
        match value {
            Value::Object(map) if describes_value(map) => self.schema(file, pointer, value),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        let v = if is_data_key(k) {
                            v.clone()
                        } else {
                            self.fragment(file, &pointer_join(pointer, k), v)
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.fragment(file, &pointer_join(pointer, &i.to_string()), v))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

/// Keys whose values are data, never schemas.
fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "examples" | "x-example")
}

/// Whether an object reads as a schema (it has a keyword only schemas have).
fn describes_value(map: &Map<String, Value>) -> bool {
    [
        "type",
        "properties",
        "items",
        "allOf",
        "$ref",
        "additionalProperties",
        "enum",
    ]
    .iter()
    .any(|k| map.contains_key(*k))
}

/// A parameter of an operation, with where it was written.
#[derive(Clone)]
struct Written {
    /// The file it was written in (another one when it was reached by `$ref`).
    file: String,
    /// Its pointer there.
    pointer: String,
    /// Whether it was reached through a `$ref`.
    referenced: bool,
    value: Value,
}

impl Written {
    fn key(&self) -> (String, String) {
        let text = |k: &str| {
            self.value
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        (text("name"), text("in"))
    }

    fn place(&self) -> &str {
        self.value.get("in").and_then(Value::as_str).unwrap_or("")
    }
}

/// One 2.0 document being rebuilt as 3.0.
struct Converter<'a> {
    file: &'a str,
    root: &'a Value,
    files: &'a BTreeMap<String, Value>,
    schemas: Schemas<'a>,
    map: SourceMap,
    diags: Vec<Diagnostic>,
    consumes: Vec<String>,
    produces: Vec<String>,
    schemes: Option<&'a Value>,
}

/// The parameters `in: body` and `in: formData` of one operation.
#[derive(Default)]
struct BodyParams {
    body: Option<Written>,
    form: Vec<Written>,
}

impl<'a> Converter<'a> {
    fn new(file: &'a str, root: &'a Value, files: &'a BTreeMap<String, Value>) -> Self {
        let mut diags = Vec::new();
        let consumes = media_list(file, "#/consumes", root.get("consumes"), &mut diags);
        let produces = media_list(file, "#/produces", root.get("produces"), &mut diags);
        Converter {
            file,
            root,
            files,
            schemas: Schemas {
                dest: file,
                diags: Vec::new(),
            },
            map: SourceMap::default(),
            diags,
            consumes: consumes.unwrap_or_else(|| vec![DEFAULT_MEDIA_TYPE.to_string()]),
            produces: produces.unwrap_or_else(|| vec![DEFAULT_MEDIA_TYPE.to_string()]),
            schemes: root.get("schemes"),
        }
    }

    fn record(&mut self, converted: &str, file: &str, original: &str, moved: Moved) {
        self.map.record(converted, file, original, moved, self.file);
    }

    fn warn(&mut self, file: &str, pointer: &str, message: String, help: &str) {
        self.diags
            .push(Diagnostic::warning(Location::new(file, pointer), message).with_help(help));
    }

    /// The whole document.
    fn document(&mut self) -> Value {
        let root = self.root;
        let Some(fields) = root.as_object() else {
            return root.clone();
        };
        let mut out = Map::new();
        out.insert("openapi".into(), json!(CONVERTED_VERSION));
        self.record("#/openapi", self.file, "#/swagger", Moved::Node);
        // Sections move whole, so even a `$ref` into a missing one is re-pointed.
        for (converted, original) in [
            ("#/components/schemas", "#/definitions"),
            ("#/components/parameters", "#/parameters"),
            ("#/components/responses", "#/responses"),
            ("#/components/securitySchemes", "#/securityDefinitions"),
        ] {
            self.record(converted, self.file, original, Moved::Tree);
        }
        let mut components = Map::new();
        let mut extra = Map::new();
        for (key, value) in fields {
            let pointer = pointer_join("", key);
            match key.as_str() {
                "swagger" | "host" | "basePath" | "schemes" | "consumes" | "produces" => {}
                "info" | "tags" | "externalDocs" | "security" => {
                    extra.insert(key.clone(), value.clone());
                }
                "paths" => {}
                "definitions" => {
                    let mut schemas = Map::new();
                    for (name, schema) in value.as_object().into_iter().flatten() {
                        let p = pointer_join("#/definitions", name);
                        schemas.insert(name.clone(), self.schemas.schema(self.file, &p, schema));
                    }
                    components.insert("schemas".into(), Value::Object(schemas));
                }
                "parameters" => {
                    let converted = self.shared_parameters(value);
                    components.extend(converted);
                }
                "responses" => {
                    let mut responses = Map::new();
                    for (name, response) in value.as_object().into_iter().flatten() {
                        let p = pointer_join("#/responses", name);
                        let produces = self.produces.clone();
                        let converted = self.response(
                            self.file,
                            &p,
                            &pointer_join("#/components/responses", name),
                            response,
                            &produces,
                        );
                        responses.insert(name.clone(), converted);
                    }
                    components.insert("responses".into(), Value::Object(responses));
                }
                "securityDefinitions" => {
                    let schemes = self.security_schemes(value);
                    components.insert("securitySchemes".into(), schemes);
                }
                k if k.starts_with("x-") => {
                    extra.insert(key.clone(), value.clone());
                }
                _ => {
                    self.warn(
                        self.file,
                        &pointer,
                        format!("`{key}` is not a Swagger 2.0 field; it is kept as it is"),
                        "remove it, or prefix it with `x-` if it is an extension",
                    );
                    extra.insert(key.clone(), value.clone());
                }
            }
        }
        for key in ["info", "externalDocs"] {
            if let Some(v) = extra.remove(key) {
                out.insert(key.into(), v);
            }
        }
        if let Some(servers) = self.servers() {
            out.insert("servers".into(), servers);
        }
        for key in ["tags", "security"] {
            if let Some(v) = extra.remove(key) {
                out.insert(key.into(), v);
            }
        }
        let paths = match root.get("paths") {
            Some(paths) => self.paths(paths),
            None => Value::Object(Map::new()),
        };
        out.insert("paths".into(), paths);
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        out.extend(extra);
        self.diags.append(&mut self.schemas.diags);
        Value::Object(out)
    }

    /// `host`, `basePath` and `schemes` as servers: one per HTTP scheme, `https`
    /// first; no host gives the base path alone (a relative server URL).
    fn servers(&mut self) -> Option<Value> {
        let host = self.root.get("host").and_then(Value::as_str);
        let base_path = self
            .root
            .get("basePath")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim_end_matches('/');
        let Some(host) = host else {
            if base_path.is_empty() {
                return None;
            }
            self.record("#/servers", self.file, "#/basePath", Moved::Node);
            self.record("#/servers/0/url", self.file, "#/basePath", Moved::NodeCopy);
            return Some(json!([{ "url": base_path }]));
        };
        let mut schemes: Vec<String> = Vec::new();
        for (i, scheme) in self
            .schemes
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            match scheme.as_str() {
                Some(s @ ("http" | "https")) => schemes.push(s.to_string()),
                other => self.warn(
                    self.file,
                    &format!("#/schemes/{i}"),
                    format!(
                        "scheme {} is not HTTP; the client has no server for it",
                        other.map_or_else(|| scheme.to_string(), |s| format!("`{s}`"))
                    ),
                    "the generated client speaks HTTP and HTTPS",
                ),
            }
        }
        if schemes.is_empty() {
            schemes.push("https".into());
        }
        // A client should prefer the secure scheme the API offers.
        schemes.sort_by_key(|s| s != "https");
        self.record("#/servers", self.file, "#/host", Moved::Node);
        self.record("#/servers/0/url", self.file, "#/host", Moved::NodeCopy);
        let servers = schemes
            .iter()
            .map(|s| json!({ "url": format!("{s}://{host}{base_path}") }))
            .collect();
        Some(Value::Array(servers))
    }

    /// `securityDefinitions` as `securitySchemes`.
    fn security_schemes(&mut self, definitions: &Value) -> Value {
        let mut out = Map::new();
        for (name, definition) in definitions.as_object().into_iter().flatten() {
            let at = pointer_join("#/securityDefinitions", name);
            let Some(fields) = definition.as_object() else {
                out.insert(name.clone(), definition.clone());
                continue;
            };
            let mut scheme = Map::new();
            let kind = fields.get("type").and_then(Value::as_str).unwrap_or("");
            match kind {
                "basic" => {
                    scheme.insert("type".into(), json!("http"));
                    scheme.insert("scheme".into(), json!("basic"));
                }
                "apiKey" => {
                    scheme.insert("type".into(), json!("apiKey"));
                    for key in ["name", "in"] {
                        if let Some(v) = fields.get(key) {
                            scheme.insert(key.into(), v.clone());
                        }
                    }
                    let place = fields.get("in").and_then(Value::as_str);
                    if !matches!(place, Some("header" | "query")) {
                        self.warn(
                            self.file,
                            &pointer_join(&at, "in"),
                            format!(
                                "API key `{name}` is `in: {}`; Swagger 2.0 allows header or query",
                                place.unwrap_or("(none)")
                            ),
                            "write `in: header` or `in: query`",
                        );
                    }
                }
                "oauth2" => {
                    scheme.insert("type".into(), json!("oauth2"));
                    let flow = fields.get("flow").and_then(Value::as_str).unwrap_or("");
                    let (name3, urls): (&str, &[&str]) = match flow {
                        "implicit" => ("implicit", &["authorizationUrl"]),
                        "password" => ("password", &["tokenUrl"]),
                        "application" => ("clientCredentials", &["tokenUrl"]),
                        "accessCode" => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
                        other => {
                            self.warn(
                                self.file,
                                &pointer_join(&at, "flow"),
                                format!("OAuth2 flow `{other}` is not one of implicit, password, application or accessCode; the scheme is read as the authorization code flow"),
                                "use one of the four flows Swagger 2.0 defines",
                            );
                            ("authorizationCode", &["authorizationUrl", "tokenUrl"])
                        }
                    };
                    let mut flow_object = Map::new();
                    for url in urls {
                        flow_object.insert(
                            (*url).into(),
                            fields.get(*url).cloned().unwrap_or_else(|| json!("")),
                        );
                    }
                    flow_object.insert(
                        "scopes".into(),
                        fields.get("scopes").cloned().unwrap_or_else(|| json!({})),
                    );
                    scheme.insert("flows".into(), json!({ name3: flow_object }));
                }
                other => {
                    self.warn(
                        self.file,
                        &pointer_join(&at, "type"),
                        format!("security scheme type `{other}` is not one of basic, apiKey or oauth2; it is kept as it is"),
                        "use basic, apiKey or oauth2",
                    );
                    out.insert(name.clone(), definition.clone());
                    continue;
                }
            }
            for (key, value) in fields {
                if key == "description" || key.starts_with("x-") {
                    scheme.insert(key.clone(), value.clone());
                }
            }
            out.insert(name.clone(), Value::Object(scheme));
        }
        Value::Object(out)
    }

    /// Document-level `parameters`: query, header and path ones become
    /// `components/parameters`; body and form ones are written into each
    /// operation that uses them, and kept as `components/requestBodies` so an
    /// unused one is not lost.
    fn shared_parameters(&mut self, parameters: &Value) -> Map<String, Value> {
        let mut plain = Map::new();
        let mut bodies = Map::new();
        for (name, parameter) in parameters.as_object().into_iter().flatten() {
            let p = pointer_join("#/parameters", name);
            let written = Written {
                file: self.file.to_string(),
                pointer: p.clone(),
                referenced: false,
                value: parameter.clone(),
            };
            match written.place() {
                "body" | "formData" => {
                    let converted = pointer_join("#/components/requestBodies", name);
                    let consumes = self.consumes.clone();
                    let params = match written.place() {
                        "body" => BodyParams {
                            body: Some(written),
                            form: Vec::new(),
                        },
                        _ => BodyParams {
                            body: None,
                            form: vec![written],
                        },
                    };
                    if let Some(body) = self.request_body(&converted, params, &consumes) {
                        bodies.insert(name.clone(), body);
                    }
                }
                _ => {
                    let converted = pointer_join("#/components/parameters", name);
                    self.record(&converted, self.file, &p, Moved::Node);
                    let value = self.parameter(&written, &converted);
                    plain.insert(name.clone(), value);
                }
            }
        }
        let mut out = Map::new();
        if !plain.is_empty() {
            out.insert("parameters".into(), Value::Object(plain));
        }
        if !bodies.is_empty() {
            out.insert("requestBodies".into(), Value::Object(bodies));
        }
        out
    }

    fn paths(&mut self, paths: &Value) -> Value {
        let Some(paths) = paths.as_object() else {
            return paths.clone();
        };
        let mut out = Map::with_capacity(paths.len());
        for (path, item) in paths {
            let pointer = pointer_join("#/paths", path);
            if path.starts_with("x-") {
                out.insert(path.clone(), item.clone());
                continue;
            }
            let (file, item_pointer, item) = match item.get("$ref").and_then(Value::as_str) {
                Some(reference) => match self.resolve(self.file, reference) {
                    Some((file, p, value)) => (file, p, value),
                    None => {
                        self.warn(
                            self.file,
                            &pointer_join(&pointer, "$ref"),
                            format!("`{reference}` names no path item; the operations of `{path}` are skipped"),
                            "point the `$ref` at an existing path item",
                        );
                        continue;
                    }
                },
                None => (self.file.to_string(), pointer.clone(), item),
            };
            if file != self.file || item_pointer != pointer {
                self.record(&pointer, &file, &item_pointer, Moved::TreeCopy);
            }
            let converted = self.path_item(&file, &item_pointer, &pointer, item);
            out.insert(path.clone(), converted);
        }
        Value::Object(out)
    }

    fn path_item(&mut self, file: &str, original: &str, converted: &str, item: &Value) -> Value {
        let Some(fields) = item.as_object() else {
            return item.clone();
        };
        let shared = self.parameter_list(
            file,
            &pointer_join(original, "parameters"),
            fields.get("parameters"),
        );
        let (plain, shared_body) = split_body(shared);
        let mut out = Map::new();
        for (key, value) in fields {
            match key.as_str() {
                "parameters" => {
                    let list =
                        self.plain_parameters(&plain, &pointer_join(converted, "parameters"));
                    if !list.is_empty() {
                        out.insert(key.clone(), Value::Array(list));
                    }
                }
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" => {
                    let op = self.operation(
                        file,
                        &pointer_join(original, key),
                        &pointer_join(converted, key),
                        value,
                        &shared_body,
                    );
                    out.insert(key.clone(), op);
                }
                "$ref" => {}
                _ => {
                    if !key.starts_with("x-") {
                        self.warn(
                            file,
                            &pointer_join(original, key),
                            format!("`{key}` is not a Swagger 2.0 path item field; it is kept as it is"),
                            "Swagger 2.0 path items hold get, put, post, delete, options, head, patch and parameters",
                        );
                    }
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        Value::Object(out)
    }

    /// The parameters of a list, each resolved when it is a `$ref` that must be
    /// written in place (a body or form parameter, or one in another file).
    fn parameter_list(&mut self, file: &str, pointer: &str, list: Option<&Value>) -> Vec<Written> {
        let mut out = Vec::new();
        for (i, entry) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let listed = pointer_join(pointer, &i.to_string());
            match entry.get("$ref").and_then(Value::as_str) {
                Some(reference) => match self.resolve(file, reference) {
                    Some((target_file, target_pointer, value)) => out.push(Written {
                        file: target_file,
                        pointer: target_pointer,
                        referenced: true,
                        value: value.clone(),
                    }),
                    None => self.warn(
                        file,
                        &pointer_join(&listed, "$ref"),
                        format!("`{reference}` names no parameter; it is skipped"),
                        "point the `$ref` at an existing parameter",
                    ),
                },
                None => out.push(Written {
                    file: file.to_string(),
                    pointer: listed,
                    referenced: false,
                    value: entry.clone(),
                }),
            }
        }
        out
    }

    /// Query, header and path parameters as 3.0 parameters: one of the
    /// document's shared parameters stays a `$ref` to its component.
    fn plain_parameters(&mut self, params: &[Written], converted: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for written in params {
            let at = pointer_join(converted, &out.len().to_string());
            let moved = if written.referenced {
                Moved::NodeCopy
            } else {
                Moved::Node
            };
            self.record(&at, &written.file, &written.pointer, moved);
            let shared = written.referenced
                && written.file == self.file
                && written.pointer.starts_with("#/parameters/");
            if shared {
                // Re-pointed to `#/components/parameters/…` with every other `$ref`.
                out.push(json!({ "$ref": written.pointer }));
                continue;
            }
            match written.place() {
                "query" | "header" | "path" => {
                    let value = self.parameter(written, &at);
                    out.push(value);
                }
                place => self.warn(
                    &written.file,
                    &pointer_join(&written.pointer, "in"),
                    format!(
                        "parameter `{}` is `in: {place}`, which Swagger 2.0 does not define; it is skipped",
                        written.key().0
                    ),
                    "use query, header, path, formData or body",
                ),
            }
        }
        out
    }

    /// One query, header or path parameter.
    fn parameter(&mut self, written: &Written, converted: &str) -> Value {
        let Some(fields) = written.value.as_object() else {
            return written.value.clone();
        };
        let file = written.file.as_str();
        let pointer = written.pointer.as_str();
        let place = written.place().to_string();
        let mut out = Map::new();
        let mut schema = Map::new();
        for (key, value) in fields {
            match key.as_str() {
                "name" | "in" | "description" | "required" | "deprecated" | "allowEmptyValue" => {
                    out.insert(key.clone(), value.clone());
                }
                "x-example" | "example" => {
                    out.insert("example".into(), value.clone());
                }
                "collectionFormat" => {}
                "x-nullable" => {
                    schema.insert(key.clone(), value.clone());
                }
                k if k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {
                    schema.insert(key.clone(), value.clone());
                }
            }
        }
        if schema.get("type").and_then(Value::as_str) == Some("file") {
            self.warn(
                file,
                &pointer_join(pointer, "type"),
                format!("parameter `{}` is `type: file` but `in: {place}`; files are sent as formData, so it is read as a string", written.key().0),
                "use `in: formData` for a file upload",
            );
            schema.insert("type".into(), json!("string"));
        }
        let is_array = schema.get("type").and_then(Value::as_str) == Some("array");
        if is_array {
            let format = fields.get("collectionFormat").and_then(Value::as_str);
            self.collection_format(file, pointer, &place, format, &mut out);
        } else if fields.contains_key("collectionFormat") {
            self.warn(
                file,
                &pointer_join(pointer, "collectionFormat"),
                format!("`collectionFormat` on parameter `{}`, which is not an array, means nothing; it is ignored", written.key().0),
                "remove it, or make the parameter `type: array`",
            );
        }
        let schema = self.schemas.schema(file, pointer, &Value::Object(schema));
        self.record(
            &pointer_join(converted, "schema"),
            file,
            pointer,
            Moved::Tree,
        );
        out.insert("schema".into(), schema);
        Value::Object(out)
    }

    /// `collectionFormat` (default `csv`) as `style` and `explode`.
    fn collection_format(
        &mut self,
        file: &str,
        pointer: &str,
        place: &str,
        format: Option<&str>,
        out: &mut Map<String, Value>,
    ) {
        let at = pointer_join(pointer, "collectionFormat");
        let format = format.unwrap_or("csv");
        if place != "query" {
            // Path and header parameters have one style: `simple`, comma-separated.
            if format != "csv" {
                self.warn(
                    file,
                    &at,
                    format!("`collectionFormat: {format}` on a {place} parameter has no OpenAPI 3 equivalent; the items are sent comma-separated"),
                    "only `csv` can be described for path and header parameters",
                );
            }
            return;
        }
        let (style, explode) = match format {
            "csv" => ("form", false),
            "ssv" => ("spaceDelimited", false),
            "pipes" => ("pipeDelimited", false),
            "multi" => ("form", true),
            "tsv" => {
                self.warn(
                    file,
                    &at,
                    "`collectionFormat: tsv` (tab-separated) has no OpenAPI 3 equivalent; the closest, `spaceDelimited`, is used, so items are sent space-separated".into(),
                    "check that the server accepts space-separated items, or describe the parameter as one string",
                );
                ("spaceDelimited", false)
            }
            other => {
                self.warn(
                    file,
                    &at,
                    format!("`collectionFormat: {other}` is not one of csv, ssv, tsv, pipes or multi; `csv` is used"),
                    "use one of the formats Swagger 2.0 defines",
                );
                ("form", false)
            }
        };
        out.insert("style".into(), json!(style));
        out.insert("explode".into(), json!(explode));
    }

    fn operation(
        &mut self,
        file: &str,
        original: &str,
        converted: &str,
        op: &Value,
        shared_body: &BodyParams,
    ) -> Value {
        let Some(fields) = op.as_object() else {
            return op.clone();
        };
        let consumes = media_list(
            file,
            &pointer_join(original, "consumes"),
            fields.get("consumes"),
            &mut self.diags,
        )
        .unwrap_or_else(|| self.consumes.clone());
        let produces = media_list(
            file,
            &pointer_join(original, "produces"),
            fields.get("produces"),
            &mut self.diags,
        )
        .unwrap_or_else(|| self.produces.clone());
        let listed = self.parameter_list(
            file,
            &pointer_join(original, "parameters"),
            fields.get("parameters"),
        );
        let (plain, mut body) = split_body(listed);
        // Path-level body and form parameters apply unless the operation redefines them.
        if body.body.is_none() && body.form.is_empty() {
            body.body = shared_body.body.clone();
        }
        if body.body.is_none() {
            let keys: Vec<(String, String)> = body.form.iter().map(Written::key).collect();
            for shared in &shared_body.form {
                if !keys.contains(&shared.key()) {
                    body.form.push(shared.clone());
                }
            }
        }
        let mut out = Map::new();
        for (key, value) in fields {
            match key.as_str() {
                "consumes" | "produces" | "parameters" | "responses" => {}
                "schemes" => {
                    if Some(value) != self.schemes {
                        self.warn(
                            file,
                            &pointer_join(original, key),
                            "operation-level `schemes` are not carried over; the operation is called at the document's base URL".into(),
                            "pass another base URL to the client builder for this operation if it needs one",
                        );
                    }
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        let plain = self.plain_parameters(&plain, &pointer_join(converted, "parameters"));
        if !plain.is_empty() {
            out.insert("parameters".into(), Value::Array(plain));
        }
        if let Some(request_body) =
            self.request_body(&pointer_join(converted, "requestBody"), body, &consumes)
        {
            out.insert("requestBody".into(), request_body);
        }
        let responses_at = pointer_join(original, "responses");
        let mut responses = Map::new();
        for (code, response) in fields
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let value = if code.starts_with("x-") {
                response.clone()
            } else {
                let r_original = pointer_join(&responses_at, code);
                let r_converted = pointer_join(&pointer_join(converted, "responses"), code);
                self.operation_response(file, &r_original, &r_converted, response, &produces)
            };
            responses.insert(code.clone(), value);
        }
        out.insert("responses".into(), Value::Object(responses));
        Value::Object(out)
    }

    /// A response of an operation: a `$ref` to the document's `responses` stays a
    /// `$ref` when the operation produces what the document does; otherwise the
    /// response is written in place with the operation's media types.
    fn operation_response(
        &mut self,
        file: &str,
        original: &str,
        converted: &str,
        response: &Value,
        produces: &[String],
    ) -> Value {
        let Some(reference) = response.get("$ref").and_then(Value::as_str) else {
            return self.response(file, original, converted, response, produces);
        };
        let (target, pointer) = split_reference(file, reference);
        if target == self.file && pointer.starts_with("#/responses/") && produces == self.produces {
            return json!({ "$ref": self.schemas.rebase(file, reference) });
        }
        match self.resolve(file, reference) {
            Some((target_file, target_pointer, value)) => {
                self.record(converted, &target_file, &target_pointer, Moved::TreeCopy);
                self.response(&target_file, &target_pointer, converted, value, produces)
            }
            None => {
                self.warn(
                    file,
                    &pointer_join(original, "$ref"),
                    format!("`{reference}` names no response; it is kept as it is"),
                    "point the `$ref` at an existing response",
                );
                response.clone()
            }
        }
    }

    /// One response: `schema` and `examples` under `content`, one entry per
    /// media type produced; `headers` with schemas.
    fn response(
        &mut self,
        file: &str,
        original: &str,
        converted: &str,
        response: &Value,
        produces: &[String],
    ) -> Value {
        let Some(fields) = response.as_object() else {
            return response.clone();
        };
        let mut out = Map::new();
        out.insert(
            "description".into(),
            fields
                .get("description")
                .cloned()
                .unwrap_or_else(|| json!("")),
        );
        let schema = fields.get("schema").map(|s| {
            self.schemas
                .schema(file, &pointer_join(original, "schema"), s)
        });
        let examples = fields.get("examples").and_then(Value::as_object);
        for (key, value) in fields {
            match key.as_str() {
                "description" | "schema" | "examples" => {}
                "headers" => {
                    let headers = self.headers(
                        file,
                        &pointer_join(original, key),
                        &pointer_join(converted, key),
                        value,
                    );
                    out.insert(key.clone(), headers);
                }
                k if k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {
                    self.warn(
                        file,
                        &pointer_join(original, key),
                        format!("`{key}` is not a Swagger 2.0 response field; it is dropped"),
                        "Swagger 2.0 responses hold description, schema, headers and examples",
                    );
                }
            }
        }
        let mut content = Map::new();
        let content_at = pointer_join(converted, "content");
        if schema.is_some() || examples.is_some_and(|e| !e.is_empty()) {
            for (i, media) in produces.iter().enumerate() {
                let media_at = pointer_join(&content_at, media);
                let mut entry = Map::new();
                if let Some(schema) = &schema {
                    entry.insert("schema".into(), schema.clone());
                    self.record(
                        &pointer_join(&media_at, "schema"),
                        file,
                        &pointer_join(original, "schema"),
                        tree(i),
                    );
                }
                if let Some(example) = examples.and_then(|e| e.get(media)) {
                    entry.insert("example".into(), example.clone());
                    let example_at = pointer_join(&pointer_join(original, "examples"), media);
                    self.record(
                        &pointer_join(&media_at, "example"),
                        file,
                        &example_at,
                        Moved::Tree,
                    );
                }
                if !entry.is_empty() {
                    self.record(&media_at, file, original, Moved::NodeCopy);
                    content.insert(media.clone(), Value::Object(entry));
                }
            }
        }
        for media in examples.into_iter().flat_map(|e| e.keys()) {
            if !produces.contains(media) {
                self.warn(
                    file,
                    &pointer_join(&pointer_join(original, "examples"), media),
                    format!("the example for `{media}` is for a media type the operation does not produce ({}); it is left out", produces.join(", ")),
                    "list the media type under `produces`, or key the example by a produced one",
                );
            }
        }
        if !content.is_empty() {
            self.record(&content_at, file, original, Moved::NodeCopy);
            out.insert("content".into(), Value::Object(content));
        }
        Value::Object(out)
    }

    fn headers(&mut self, file: &str, original: &str, converted: &str, headers: &Value) -> Value {
        let mut out = Map::new();
        for (name, header) in headers.as_object().into_iter().flatten() {
            let h_original = pointer_join(original, name);
            let h_converted = pointer_join(converted, name);
            let mut entry = Map::new();
            let mut schema = Map::new();
            for (key, value) in header.as_object().into_iter().flatten() {
                match key.as_str() {
                    "description" => {
                        entry.insert(key.clone(), value.clone());
                    }
                    "collectionFormat" => {
                        if value.as_str() != Some("csv") {
                            self.warn(
                                file,
                                &pointer_join(&h_original, key),
                                format!("`collectionFormat: {value}` on a response header has no OpenAPI 3 equivalent; it is read as comma-separated"),
                                "only `csv` can be described for headers",
                            );
                        }
                    }
                    k if k.starts_with("x-") && k != "x-nullable" && k != "x-example" => {
                        entry.insert(key.clone(), value.clone());
                    }
                    _ => {
                        schema.insert(key.clone(), value.clone());
                    }
                }
            }
            let schema = self
                .schemas
                .schema(file, &h_original, &Value::Object(schema));
            self.record(
                &pointer_join(&h_converted, "schema"),
                file,
                &h_original,
                Moved::Tree,
            );
            entry.insert("schema".into(), schema);
            out.insert(name.clone(), Value::Object(entry));
        }
        Value::Object(out)
    }

    /// The request body of `body` or `formData` parameters, `None` when there are
    /// none.
    fn request_body(
        &mut self,
        converted: &str,
        params: BodyParams,
        consumes: &[String],
    ) -> Option<Value> {
        if let Some(body) = params.body {
            for form in &params.form {
                self.warn(
                    &form.file,
                    &form.pointer,
                    format!("form parameter `{}` is beside a body parameter; an operation has one or the other, so it is left out", form.key().0),
                    "describe the body once: as a body parameter or as form parameters",
                );
            }
            return Some(self.body(converted, &body, consumes));
        }
        if params.form.is_empty() {
            return None;
        }
        Some(self.form(converted, &params.form, consumes))
    }

    fn body(&mut self, converted: &str, body: &Written, consumes: &[String]) -> Value {
        self.record(converted, &body.file, &body.pointer, Moved::Node);
        let mut out = Map::new();
        let fields = body.value.as_object();
        for key in ["description", "required"] {
            if let Some(v) = fields.and_then(|f| f.get(key)) {
                out.insert(key.into(), v.clone());
            }
        }
        let schema = match body.value.get("schema") {
            Some(schema) => {
                self.schemas
                    .schema(&body.file, &pointer_join(&body.pointer, "schema"), schema)
            }
            None => {
                self.warn(
                    &body.file,
                    &body.pointer,
                    format!(
                        "body parameter `{}` has no `schema`; the body is any JSON value",
                        body.key().0
                    ),
                    "describe the body with a `schema`",
                );
                json!({})
            }
        };
        let example = fields.and_then(|f| f.get("x-example"));
        let mut content = Map::new();
        for (i, media) in consumes.iter().enumerate() {
            let media_at = pointer_join(&pointer_join(converted, "content"), media);
            self.record(
                &pointer_join(&media_at, "schema"),
                &body.file,
                &pointer_join(&body.pointer, "schema"),
                tree(i),
            );
            let mut entry = Map::new();
            entry.insert("schema".into(), schema.clone());
            if let Some(example) = example {
                self.record(
                    &pointer_join(&media_at, "example"),
                    &body.file,
                    &pointer_join(&body.pointer, "x-example"),
                    tree(i),
                );
                entry.insert("example".into(), example.clone());
            }
            content.insert(media.clone(), Value::Object(entry));
        }
        out.insert("content".into(), Value::Object(content));
        for (key, value) in fields.into_iter().flatten() {
            if key.starts_with("x-") && key != "x-example" {
                out.insert(key.clone(), value.clone());
            }
        }
        Value::Object(out)
    }

    /// Form parameters as one object schema, sent URL-encoded, or as
    /// `multipart/form-data` when a part is a file or the operation consumes only
    /// that.
    fn form(&mut self, converted: &str, form: &[Written], consumes: &[String]) -> Value {
        if let Some(first) = form.first() {
            self.record(converted, &first.file, &first.pointer, Moved::NodeCopy);
        }
        let has_file = form
            .iter()
            .any(|p| p.value.get("type").and_then(Value::as_str) == Some("file"));
        let declared: Vec<&str> = consumes
            .iter()
            .map(|m| media_essence(m))
            .filter(|m| *m == URLENCODED || *m == MULTIPART)
            .collect();
        let medias: Vec<&str> = if has_file {
            if !declared.is_empty() && !declared.contains(&MULTIPART) {
                let first = form.first().map(|f| (f.file.clone(), f.pointer.clone()));
                if let Some((file, pointer)) = first {
                    self.warn(
                        &file,
                        &pointer,
                        format!("the operation consumes {} but uploads a file; it is sent as `{MULTIPART}`", consumes.join(", ")),
                        "add `multipart/form-data` to `consumes`",
                    );
                }
            }
            vec![MULTIPART]
        } else if declared.is_empty() {
            if consumes.iter().any(|m| m != DEFAULT_MEDIA_TYPE) {
                let first = form.first().map(|f| (f.file.clone(), f.pointer.clone()));
                if let Some((file, pointer)) = first {
                    self.warn(
                        &file,
                        &pointer,
                        format!("form parameters, but the operation consumes {}; they are sent as `{URLENCODED}`", consumes.join(", ")),
                        "list `application/x-www-form-urlencoded` or `multipart/form-data` under `consumes`",
                    );
                }
            }
            vec![URLENCODED]
        } else {
            declared
        };
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        let mut any_required = false;
        for param in form {
            let (name, _) = param.key();
            let mut schema = Map::new();
            for (key, value) in param.value.as_object().into_iter().flatten() {
                match key.as_str() {
                    "name" | "in" | "collectionFormat" | "allowEmptyValue" => {}
                    "required" => {
                        if value.as_bool() == Some(true) {
                            required.push(json!(name));
                            any_required = true;
                        }
                    }
                    _ => {
                        schema.insert(key.clone(), value.clone());
                    }
                }
            }
            if schema.get("type").and_then(Value::as_str) == Some("array") {
                let format = param.value.get("collectionFormat").and_then(Value::as_str);
                let mut style = Map::new();
                self.collection_format(&param.file, &param.pointer, "query", format, &mut style);
                encoding.insert(name.clone(), Value::Object(style));
            }
            let schema = self
                .schemas
                .schema(&param.file, &param.pointer, &Value::Object(schema));
            properties.insert(name.clone(), schema);
        }
        let mut schema = Map::new();
        schema.insert("type".into(), json!("object"));
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
        let schema = Value::Object(schema);
        let mut content = Map::new();
        for (i, media) in medias.into_iter().enumerate() {
            let media_at = pointer_join(&pointer_join(converted, "content"), media);
            for param in form {
                let name = param.key().0;
                let at = pointer_join(
                    &pointer_join(&pointer_join(&media_at, "schema"), "properties"),
                    &name,
                );
                self.record(&at, &param.file, &param.pointer, tree(i));
                let at = pointer_join(&pointer_join(&media_at, "encoding"), &name);
                let format = pointer_join(&param.pointer, "collectionFormat");
                self.record(&at, &param.file, &format, Moved::NodeCopy);
            }
            let mut entry = Map::new();
            entry.insert("schema".into(), schema.clone());
            if media == URLENCODED && !encoding.is_empty() {
                entry.insert("encoding".into(), Value::Object(encoding.clone()));
            }
            content.insert(media.to_string(), Value::Object(entry));
        }
        let mut out = Map::new();
        if any_required {
            out.insert("required".into(), json!(true));
        }
        out.insert("content".into(), Value::Object(content));
        Value::Object(out)
    }

    /// Follows `reference` (written in `file`) to the object it names, through
    /// chains of `$ref`s: (file, pointer, value).
    fn resolve(&self, file: &str, reference: &str) -> Option<(String, String, &'a Value)> {
        let mut file = file.to_string();
        let mut reference = reference.to_string();
        for _ in 0..64 {
            if reference.contains("://") {
                return None;
            }
            let (target, pointer) = split_reference(&file, &reference);
            let root = self.files.get(&target)?;
            let value = lookup_pointer(root, &pointer)?;
            match value.get("$ref").and_then(Value::as_str) {
                Some(next) => {
                    file = target;
                    reference = next.to_string();
                }
                None => return Some((target, pointer, value)),
            }
        }
        None
    }
}

/// The first media type's copy of a node is where `$ref`s to it go.
fn tree(index: usize) -> Moved {
    if index == 0 {
        Moved::Tree
    } else {
        Moved::TreeCopy
    }
}

/// Splits parameters into query/header/path ones and the body or form ones.
fn split_body(params: Vec<Written>) -> (Vec<Written>, BodyParams) {
    let mut plain = Vec::new();
    let mut body = BodyParams::default();
    for p in params {
        match p.place() {
            "body" => body.body = Some(p),
            "formData" => body.form.push(p),
            _ => plain.push(p),
        }
    }
    (plain, body)
}

/// A `consumes` / `produces` list: `None` when absent or empty (the outer one
/// applies).
fn media_list(
    file: &str,
    pointer: &str,
    list: Option<&Value>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<String>> {
    let list = list?;
    let Some(items) = list.as_array() else {
        diags.push(
            Diagnostic::warning(
                Location::new(file, pointer),
                "a list of media types was expected; it is ignored",
            )
            .with_help("write the media types as a list"),
        );
        return None;
    };
    let medias: Vec<String> = items
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    (!medias.is_empty()).then_some(medias)
}

/// A media type without parameters, lower-cased.
fn media_essence(media: &str) -> &str {
    media.split(';').next().unwrap_or("").trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "api.yaml";

    /// Converts one 2.0 document (plus other files): the result, its source map and
    /// the warnings.
    fn convert_with(
        doc: Value,
        others: &[(&str, Value)],
    ) -> (BTreeMap<String, Value>, SourceMap, Vec<Diagnostic>) {
        let mut files: BTreeMap<String, Value> = others
            .iter()
            .map(|(f, v)| (f.to_string(), v.clone()))
            .collect();
        files.insert(FILE.into(), doc);
        let documents: BTreeSet<String> = files
            .iter()
            .filter(|(_, v)| is_swagger2(v))
            .map(|(f, _)| f.clone())
            .collect();
        let mut diags = Diagnostics::default();
        let mut maps = convert(&mut files, &documents, &mut diags);
        (files, maps.remove(FILE).unwrap(), diags.0)
    }

    fn convert_one(doc: Value) -> (Value, SourceMap, Vec<Diagnostic>) {
        let (mut files, map, diags) = convert_with(doc, &[]);
        (files.remove(FILE).unwrap(), map, diags)
    }

    /// A document with one operation `op` at `POST /pets`.
    fn with_operation(op: Value) -> Value {
        json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/pets": {"post": op}}})
    }

    fn op(converted: &Value) -> &Value {
        &converted["paths"]["/pets"]["post"]
    }

    #[test]
    fn version_info_and_servers() {
        let cases = [
            (
                json!({"host": "api.example.com", "basePath": "/v1/", "schemes": ["http", "https"]}),
                json!([{"url": "https://api.example.com/v1"}, {"url": "http://api.example.com/v1"}]),
            ),
            (
                json!({"host": "api.example.com"}),
                json!([{"url": "https://api.example.com"}]),
            ),
            (
                json!({"host": "api.example.com:8080", "schemes": ["http"]}),
                json!([{"url": "http://api.example.com:8080"}]),
            ),
            (json!({"basePath": "/api"}), json!([{"url": "/api"}])),
        ];
        for (fields, servers) in cases {
            let mut doc =
                json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}});
            doc.as_object_mut()
                .unwrap()
                .extend(fields.as_object().unwrap().clone());
            let (out, map, diags) = convert_one(doc);
            assert_eq!(out["openapi"], "3.0.3");
            assert_eq!(out["info"]["title"], "t");
            assert_eq!(out["servers"], servers, "{fields}");
            assert!(out.get("swagger").is_none() && out.get("host").is_none());
            assert!(diags.is_empty(), "{diags:?}");
            let origin = map.original(FILE, "#/servers/0/url").1;
            assert!(origin == "#/host" || origin == "#/basePath", "{origin}");
        }
        let (out, _, _) = convert_one(json!({"swagger": "2.0", "info": {}, "paths": {}}));
        assert!(out.get("servers").is_none());
    }

    #[test]
    fn a_body_parameter_is_the_request_body_for_each_media_type_consumed() {
        let param = json!({"name": "pet", "in": "body", "required": true, "description": "d",
            "schema": {"$ref": "#/definitions/Pet"}, "x-example": {"name": "Rex"}});
        // (document consumes, operation consumes) → media types.
        let cases = [
            (None, None, vec!["application/json"]),
            (
                Some(json!(["application/xml", "application/json"])),
                None,
                vec!["application/xml", "application/json"],
            ),
            (
                Some(json!(["application/xml"])),
                Some(json!(["text/plain"])),
                vec!["text/plain"],
            ),
        ];
        for (root, own, medias) in cases {
            let mut operation = json!({"parameters": [{"name": "q", "in": "query", "type": "string"}, param.clone()], "responses": {}});
            if let Some(own) = own {
                operation["consumes"] = own;
            }
            let mut doc = with_operation(operation);
            if let Some(root) = root {
                doc["consumes"] = root;
            }
            let (out, map, diags) = convert_one(doc);
            assert!(diags.is_empty(), "{diags:?}");
            let body = &op(&out)["requestBody"];
            assert_eq!(body["required"], true);
            assert_eq!(body["description"], "d");
            let content = body["content"].as_object().unwrap();
            assert_eq!(content.keys().collect::<Vec<_>>(), medias);
            for media in content.values() {
                assert_eq!(media["schema"], json!({"$ref": "#/components/schemas/Pet"}));
                assert_eq!(media["example"], json!({"name": "Rex"}));
            }
            assert_eq!(op(&out)["parameters"].as_array().unwrap().len(), 1);
            let media = pointer_join("#/paths/~1pets/post/requestBody/content", medias[0]);
            assert_eq!(
                map.original(FILE, &format!("{media}/schema/properties/name")),
                (
                    FILE.to_string(),
                    "#/paths/~1pets/post/parameters/1/schema/properties/name".to_string()
                )
            );
        }
    }

    #[test]
    fn form_parameters_are_an_object_sent_urlencoded_or_as_multipart() {
        let form = |extra: Value| {
            let mut params = vec![
                json!({"name": "name", "in": "formData", "type": "string", "required": true}),
                json!({"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}}),
            ];
            if !extra.is_null() {
                params.push(extra);
            }
            json!({"parameters": params, "responses": {}})
        };
        // No file: URL-encoded, the array comma-separated (Swagger 2.0's default).
        let (out, map, diags) = convert_one(with_operation(form(Value::Null)));
        assert!(diags.is_empty(), "{diags:?}");
        let body = &op(&out)["requestBody"];
        assert_eq!(body["required"], true);
        let media = &body["content"][URLENCODED];
        assert_eq!(media["schema"]["type"], "object");
        assert_eq!(media["schema"]["required"], json!(["name"]));
        assert_eq!(
            media["schema"]["properties"]["tags"],
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(
            media["encoding"]["tags"],
            json!({"style": "form", "explode": false})
        );
        assert_eq!(
            map.original(FILE, "#/paths/~1pets/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/tags/items").1,
            "#/paths/~1pets/post/parameters/1/items"
        );
        // A file: multipart, the file a binary string.
        let file = json!({"name": "photo", "in": "formData", "type": "file"});
        let (out, _, diags) = convert_one(with_operation(form(file)));
        assert!(diags.is_empty(), "{diags:?}");
        let content = op(&out)["requestBody"]["content"].as_object().unwrap();
        assert_eq!(content.keys().collect::<Vec<_>>(), [MULTIPART]);
        assert_eq!(
            content[MULTIPART]["schema"]["properties"]["photo"],
            json!({"type": "string", "format": "binary"})
        );
        // A file with only URL-encoded consumed: multipart, with a warning.
        let mut operation = form(json!({"name": "photo", "in": "formData", "type": "file"}));
        operation["consumes"] = json!([URLENCODED]);
        let (out, _, diags) = convert_one(with_operation(operation));
        assert!(op(&out)["requestBody"]["content"].get(MULTIPART).is_some());
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].location.pointer,
            "#/paths/~1pets/post/parameters/0"
        );
    }

    #[test]
    fn collection_formats_are_styles() {
        let cases = [
            (None, Some(("form", false)), 0),
            (Some("csv"), Some(("form", false)), 0),
            (Some("ssv"), Some(("spaceDelimited", false)), 0),
            (Some("pipes"), Some(("pipeDelimited", false)), 0),
            (Some("multi"), Some(("form", true)), 0),
            (Some("tsv"), Some(("spaceDelimited", false)), 1),
            (Some("bogus"), Some(("form", false)), 1),
        ];
        for (format, style, warnings) in cases {
            let mut param =
                json!({"name": "ids", "in": "query", "type": "array", "items": {"type": "string"}});
            if let Some(format) = format {
                param["collectionFormat"] = json!(format);
            }
            let (out, _, diags) = convert_one(with_operation(
                json!({"parameters": [param], "responses": {}}),
            ));
            let converted = &op(&out)["parameters"][0];
            let (style, explode) = style.unwrap();
            assert_eq!(converted["style"], style, "{format:?}");
            assert_eq!(converted["explode"], explode, "{format:?}");
            assert_eq!(
                converted["schema"],
                json!({"type": "array", "items": {"type": "string"}})
            );
            assert!(converted.get("collectionFormat").is_none());
            assert_eq!(diags.len(), warnings, "{format:?}: {diags:?}");
            if warnings > 0 {
                assert_eq!(
                    diags[0].location.pointer,
                    "#/paths/~1pets/post/parameters/0/collectionFormat"
                );
            }
        }
        // Headers and paths have one style: anything but csv is a warning.
        let header = json!({"name": "X-Ids", "in": "header", "type": "array", "items": {"type": "string"}, "collectionFormat": "pipes"});
        let (out, _, diags) = convert_one(with_operation(
            json!({"parameters": [header], "responses": {}}),
        ));
        assert!(op(&out)["parameters"][0].get("style").is_none());
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn parameters_keep_their_fields_and_move_the_rest_into_a_schema() {
        let param = json!({"name": "limit", "in": "query", "description": "d", "required": false,
            "allowEmptyValue": true, "type": "integer", "format": "int32", "minimum": 1, "default": 20,
            "x-example": 5, "x-internal": true, "x-nullable": true});
        let (out, map, diags) = convert_one(with_operation(
            json!({"parameters": [param], "responses": {}}),
        ));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            op(&out)["parameters"][0],
            json!({"name": "limit", "in": "query", "description": "d", "required": false,
                "allowEmptyValue": true, "example": 5, "x-internal": true,
                "schema": {"type": "integer", "format": "int32", "minimum": 1, "default": 20, "nullable": true}})
        );
        assert_eq!(
            map.original(FILE, "#/paths/~1pets/post/parameters/0/schema/minimum")
                .1,
            "#/paths/~1pets/post/parameters/0/minimum"
        );
    }

    #[test]
    fn components_and_refs_to_them() {
        let doc = json!({
            "swagger": "2.0", "info": {},
            "parameters": {
                "limit": {"name": "limit", "in": "query", "type": "integer"},
                "pet": {"name": "pet", "in": "body", "schema": {"$ref": "#/definitions/Pet"}}
            },
            "responses": {"NotFound": {"description": "none", "schema": {"$ref": "#/definitions/Error"}}},
            "definitions": {
                "Pet": {"type": "object", "properties": {"friend": {"$ref": "#/definitions/Pet"}}},
                "Error": {"type": "object"}
            },
            "paths": {"/pets": {"post": {
                "parameters": [{"$ref": "#/parameters/limit"}, {"$ref": "#/parameters/pet"}],
                "responses": {"404": {"$ref": "#/responses/NotFound"}}
            }}}
        });
        let (out, map, diags) = convert_one(doc);
        assert!(diags.is_empty(), "{diags:?}");
        let components = &out["components"];
        assert_eq!(
            components["schemas"]["Pet"]["properties"]["friend"]["$ref"],
            "#/components/schemas/Pet"
        );
        assert_eq!(
            components["parameters"]["limit"]["schema"],
            json!({"type": "integer"})
        );
        assert!(components["parameters"].get("pet").is_none());
        assert_eq!(
            components["requestBodies"]["pet"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Pet"
        );
        assert_eq!(
            components["responses"]["NotFound"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Error"
        );
        let operation = op(&out);
        assert_eq!(
            operation["parameters"],
            json!([{"$ref": "#/components/parameters/limit"}])
        );
        assert_eq!(
            operation["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Pet"
        );
        assert_eq!(
            operation["responses"]["404"],
            json!({"$ref": "#/components/responses/NotFound"})
        );
        assert_eq!(
            map.original(FILE, "#/components/schemas/Pet/properties/friend")
                .1,
            "#/definitions/Pet/properties/friend"
        );
        assert_eq!(
            map.original(FILE, "#/paths/~1pets/post/requestBody").1,
            "#/parameters/pet"
        );
    }

    #[test]
    fn a_shared_response_is_written_in_place_for_an_operation_producing_other_media_types() {
        let doc = json!({
            "swagger": "2.0", "info": {}, "produces": ["application/json"],
            "responses": {"Report": {"description": "r", "schema": {"type": "file"}}},
            "paths": {"/pets": {"post": {"produces": ["application/pdf"], "responses": {"200": {"$ref": "#/responses/Report"}}}}}
        });
        let (out, map, _) = convert_one(doc);
        let response = &op(&out)["responses"]["200"];
        assert_eq!(
            response["content"]["application/pdf"]["schema"],
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            map.original(
                FILE,
                "#/paths/~1pets/post/responses/200/content/application~1pdf/schema"
            )
            .1,
            "#/responses/Report/schema"
        );
    }

    #[test]
    fn refs_across_files() {
        let doc = json!({"swagger": "2.0", "info": {}, "paths": {"/pets": {"post": {
            "parameters": [{"$ref": "params.yaml#/parameters/body"}],
            "responses": {
                "200": {"description": "ok", "schema": {"$ref": "models.yaml#/definitions/Pet"}},
                "default": {"description": "e", "schema": {"$ref": "common/errors.yaml#/definitions/Error"}}
            }
        }}}});
        let errors = json!({"swagger": "2.0", "info": {}, "paths": {}, "definitions": {"Error": {"type": "object"}}});
        let models = json!({"definitions": {"Pet": {"type": "object", "properties": {
            "name": {"type": "string", "x-nullable": true},
            "error": {"$ref": "common/errors.yaml#/definitions/Error"}
        }}}});
        let params = json!({"parameters": {"body": {"name": "pet", "in": "body", "schema": {"$ref": "#/definitions/NewPet"}}}, "definitions": {"NewPet": {"type": "object"}}});
        let (files, _, diags) = convert_with(
            doc,
            &[
                ("common/errors.yaml", errors),
                ("models.yaml", models),
                ("params.yaml", params),
            ],
        );
        assert!(diags.is_empty(), "{diags:?}");
        let operation = op(&files[FILE]);
        // Another 2.0 document's definitions moved; a fragment's did not.
        assert_eq!(
            operation["responses"]["default"]["content"]["application/json"]["schema"]["$ref"],
            "common/errors.yaml#/components/schemas/Error"
        );
        assert_eq!(
            operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "models.yaml#/definitions/Pet"
        );
        // A body parameter from another file is written in place, its refs rebased.
        assert_eq!(
            operation["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "params.yaml#/definitions/NewPet"
        );
        // The fragment's schemas are read as 2.0 schemas, its refs re-pointed.
        let pet = &files["models.yaml"]["definitions"]["Pet"]["properties"];
        assert_eq!(pet["name"], json!({"type": "string", "nullable": true}));
        assert_eq!(
            pet["error"]["$ref"],
            "common/errors.yaml#/components/schemas/Error"
        );
        assert_eq!(
            files["common/errors.yaml"]["components"]["schemas"]["Error"],
            json!({"type": "object"})
        );
    }

    #[test]
    fn relative_references() {
        assert_eq!(relative_reference("api.yaml", "api.yaml", "#/a"), "#/a");
        assert_eq!(relative_reference("api.yaml", "m.yaml", "#/a"), "m.yaml#/a");
        assert_eq!(
            relative_reference("api.yaml", "common/m.yaml", "#/a"),
            "common/m.yaml#/a"
        );
        assert_eq!(
            relative_reference("common/m.yaml", "api.yaml", "#/a"),
            "../api.yaml#/a"
        );
        assert_eq!(
            relative_reference("a/b.yaml", "a/c/d.yaml", "#"),
            "c/d.yaml"
        );
    }

    #[test]
    fn schema_spellings() {
        let doc = json!({"swagger": "2.0", "info": {}, "paths": {}, "definitions": {"Pet": {
            "type": "object", "discriminator": "kind", "x-example": {"kind": "cat"},
            "properties": {
                "kind": {"type": "string"},
                "photo": {"type": "file"},
                "nickname": {"type": "string", "x-nullable": true, "x-example": "Rex"},
                "tags": {"type": "array", "items": {"type": "string", "x-nullable": true}},
                "extra": {"additionalProperties": {"type": "string", "x-nullable": false}},
                "discriminator": {"type": "string"}
            }
        }}});
        let (out, _, diags) = convert_one(doc);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            out["components"]["schemas"]["Pet"],
            json!({
                "type": "object", "discriminator": {"propertyName": "kind"}, "example": {"kind": "cat"},
                "properties": {
                    "kind": {"type": "string"},
                    "photo": {"type": "string", "format": "binary"},
                    "nickname": {"type": "string", "nullable": true, "example": "Rex"},
                    "tags": {"type": "array", "items": {"type": "string", "nullable": true}},
                    "extra": {"additionalProperties": {"type": "string", "nullable": false}},
                    "discriminator": {"type": "string"}
                }
            })
        );
    }

    #[test]
    fn security_definitions() {
        let doc = json!({"swagger": "2.0", "info": {}, "paths": {}, "securityDefinitions": {
            "basic": {"type": "basic", "description": "d"},
            "header": {"type": "apiKey", "in": "header", "name": "X-Key"},
            "query": {"type": "apiKey", "in": "query", "name": "key"},
            "implicit": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a", "scopes": {"r": "read"}},
            "password": {"type": "oauth2", "flow": "password", "tokenUrl": "https://t", "scopes": {}},
            "application": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t", "scopes": {}},
            "accessCode": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {}}
        }});
        let (out, _, diags) = convert_one(doc);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            out["components"]["securitySchemes"],
            json!({
                "basic": {"type": "http", "scheme": "basic", "description": "d"},
                "header": {"type": "apiKey", "name": "X-Key", "in": "header"},
                "query": {"type": "apiKey", "name": "key", "in": "query"},
                "implicit": {"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a", "scopes": {"r": "read"}}}},
                "password": {"type": "oauth2", "flows": {"password": {"tokenUrl": "https://t", "scopes": {}}}},
                "application": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {}}}},
                "accessCode": {"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {}}}}
            })
        );
        for scheme in out["components"]["securitySchemes"]
            .as_object()
            .unwrap()
            .values()
        {
            serde_json::from_value::<openapiv3::SecurityScheme>(scheme.clone()).unwrap();
        }
    }

    #[test]
    fn response_examples_headers_and_files() {
        let operation = json!({"produces": ["application/json", "text/csv"], "responses": {
            "200": {
                "description": "ok",
                "schema": {"type": "object"},
                "headers": {"X-Rate-Limit": {"type": "integer", "description": "left"}},
                "examples": {"application/json": {"a": 1}, "application/xml": "<a/>"}
            },
            "204": {"description": "none"}
        }});
        let (out, map, diags) = convert_one(with_operation(operation));
        let response = &op(&out)["responses"]["200"];
        assert_eq!(
            response["content"]["application/json"],
            json!({"schema": {"type": "object"}, "example": {"a": 1}})
        );
        assert_eq!(
            response["content"]["text/csv"],
            json!({"schema": {"type": "object"}})
        );
        assert_eq!(
            response["headers"]["X-Rate-Limit"],
            json!({"description": "left", "schema": {"type": "integer"}})
        );
        assert!(op(&out)["responses"]["204"].get("content").is_none());
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(
            diags[0].location.pointer,
            "#/paths/~1pets/post/responses/200/examples/application~1xml"
        );
        assert_eq!(
            map.original(
                FILE,
                "#/paths/~1pets/post/responses/200/content/application~1json/example/a"
            )
            .1,
            "#/paths/~1pets/post/responses/200/examples/application~1json/a"
        );
    }

    #[test]
    fn path_level_parameters() {
        let doc = json!({"swagger": "2.0", "info": {}, "paths": {"/pets/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": true, "type": "string"},
                {"name": "note", "in": "formData", "type": "string"}
            ],
            "post": {"parameters": [{"name": "size", "in": "formData", "type": "integer"}], "responses": {}},
            "put": {"parameters": [{"name": "pet", "in": "body", "schema": {"type": "object"}}], "responses": {}}
        }}});
        let (out, _, diags) = convert_one(doc);
        assert!(diags.is_empty(), "{diags:?}");
        let item = &out["paths"]["/pets/{id}"];
        assert_eq!(item["parameters"].as_array().unwrap().len(), 1);
        let post = &item["post"]["requestBody"]["content"][URLENCODED]["schema"]["properties"];
        assert_eq!(
            post.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["size", "note"]
        );
        assert_eq!(
            item["put"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "object"})
        );
    }

    #[test]
    fn what_cannot_be_converted_is_reported_not_dropped() {
        let doc = json!({"swagger": "2.0", "info": {}, "schemes": ["wss"], "host": "h", "paths": {"/pets": {"post": {
            "schemes": ["http"],
            "parameters": [
                {"name": "f", "in": "header", "type": "file"},
                {"name": "x", "in": "cookie", "type": "string"},
                {"name": "grid", "in": "query", "type": "array", "items": {"type": "array", "items": {"type": "string"}, "collectionFormat": "pipes"}}
            ],
            "responses": {"200": {"description": "ok", "links": {}}}
        }}}});
        let (_, _, diags) = convert_one(doc);
        let mut places: Vec<&str> = diags.iter().map(|d| d.location.pointer.as_str()).collect();
        places.sort();
        assert_eq!(
            places,
            [
                "#/paths/~1pets/post/parameters/0/type",
                "#/paths/~1pets/post/parameters/1/in",
                "#/paths/~1pets/post/parameters/2/items/collectionFormat",
                "#/paths/~1pets/post/responses/200/links",
                "#/paths/~1pets/post/schemes",
                "#/schemes/0",
            ]
        );
        assert!(
            diags
                .iter()
                .all(|d| d.severity == crate::diag::Severity::Warning)
        );
    }

    #[test]
    fn malformed_documents_do_not_panic() {
        let docs = [
            json!({"swagger": "2.0", "paths": []}),
            json!({"swagger": "2.0", "paths": {"/a": 1, "/b": {"get": 1, "parameters": 1}}}),
            json!({"swagger": "2.0", "paths": {"/a": {"get": {"parameters": [1, {"in": "body"}, {"$ref": "#/nowhere"}], "responses": 1}}}}),
            json!({"swagger": "2.0", "definitions": 1, "parameters": [], "responses": "x", "securityDefinitions": {"a": 1, "b": {"type": "oauth2"}}}),
            json!({"swagger": "2.0", "consumes": "application/json", "produces": [1], "host": 1, "schemes": "http"}),
            json!({"swagger": "2.0", "paths": {"/a": {"$ref": "#/paths/~1a"}}}),
        ];
        for doc in docs {
            let _ = convert_one(doc);
        }
    }
}
