//! Lowering operations: path items → [`Operation`]s (client methods).
//!
//! Decides each method's name, parameters, request body, what a 2xx decodes to, the
//! error body type (one type when every error status carries the same schema, else
//! a per-status enum, each variant with the statuses it is for), the `Accept`
//! header, the security requirements, and the streaming form (`StreamForm`):
//! a second method for a binary or text response (read as a byte stream), a
//! `text/event-stream` response (typed events) or a binary request body (an
//! upload from a file or stream).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diag::{Diagnostic, Location, pointer_join};
use crate::model::schema::{Lowerer, describe, is_free_form_object};
use crate::model::{
    Additional, AuthUse, Body, ErrorResponse, EventData, Field, HttpMethod, MultipartKind,
    Operation, Param, ParamLocation, PathPart, QueryStyle, RawKind, StatusMatch, StatusVariant,
    StreamForm, StreamResponse, Struct, Success, TypeKind, TypeRef,
};
use crate::naming::{self, Name, Namer};

/// Names of the client's own methods; operations cannot take them.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "base_url",
    "from_core",
    "core",
    "clone",
    "fmt",
];

/// Names a generated method uses for itself; path parameters cannot take them.
const METHOD_LOCALS: &[&str] = &["body", "params", "path", "request", "self_"];

/// Names a parameter set's own methods use.
const PARAMS_METHODS: &[&str] = &["new", "additional_properties"];

/// A media type without parameters, lower-cased: `Text/Plain; charset=utf-8` → `text/plain`.
pub fn media_essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Whether a media type carries JSON: `application/json`, any `+json` suffix, `text/json`.
pub fn is_json_media_type(media_type: &str) -> bool {
    let essence = media_essence(media_type);
    essence == "application/json"
        || essence == "text/json"
        || essence.ends_with("+json")
        || essence == "*/*"
}

/// Warns about `content` keys that are not media types (`json`, `default`): the
/// body is then sent or read as bytes under that name.
fn report_odd_media_types(
    lw: &mut Lowerer<'_>,
    file: &str,
    pointer: &str,
    content: &serde_json::Map<String, Value>,
) {
    for key in content.keys().filter(|k| !k.contains('/')) {
        lw.diags.push(
            Diagnostic::warning(
                Location::new(file, pointer_join(&pointer_join(pointer, "content"), key)),
                format!("`{key}` is not a media type (type/subtype); the body is handled as bytes"),
            )
            .with_help("write the media type in full, e.g. `application/json`"),
        );
    }
}

/// Context an operation is lowered in.
pub struct OperationSite<'a> {
    /// The file defining it.
    pub file: &'a str,
    /// Its path as written.
    pub path: &'a str,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The operation object.
    pub op: &'a Value,
    /// Parameters declared on the path item.
    pub path_params: Option<&'a Value>,
    /// Security requirements of the whole document.
    pub root_security: Option<&'a Value>,
    /// Security schemes by name, already interpreted.
    pub schemes: &'a BTreeMap<String, AuthUse>,
    /// A path prefix that the base URL already carries, to strip.
    pub strip_prefix: Option<&'a str>,
}

/// Lowers one operation. `method_name` is its final, unique Rust method name.
pub fn lower_operation(
    lw: &mut Lowerer<'_>,
    site: &OperationSite<'_>,
    method_name: Name,
) -> Operation {
    let op_pointer = pointer_join(
        &pointer_join(&pointer_join("", "paths"), site.path),
        site.method.key(),
    );
    let origin = Location::new(site.file, op_pointer.as_str());
    let type_prefix = naming::operation_type_prefix(&method_name.rust);

    let mut params = lower_params(lw, site, &op_pointer, &type_prefix);
    let (parts, added) = split_path(lw, site, &origin, &mut params);
    params.extend(added);

    let params_type = params_struct(lw, &params, &origin, &method_name, &type_prefix);
    let body = lower_body(lw, site, &op_pointer, &type_prefix);
    let responses = lower_responses(lw, site, &op_pointer, &type_prefix);

    let summary = site
        .op
        .get("summary")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let description = site
        .op
        .get("description")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let docs = match (summary, description) {
        (Some(s), Some(d)) if d.starts_with(s) => Some(d.to_string()),
        (Some(s), Some(d)) => Some(format!("{s}\n\n{d}")),
        (Some(s), None) => Some(s.to_string()),
        (None, d) => d.map(str::to_string),
    };

    let stream = stream_form(lw, &method_name, body.as_ref(), &responses);
    let security = lower_security(lw, site, &origin);
    let idempotent = match site.op.get("x-idempotent") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            lw.diags.push(
                Diagnostic::warning(
                    origin.join("x-idempotent"),
                    format!("`x-idempotent` is `{other}`, not true or false; the operation is not marked"),
                )
                .with_help("write `x-idempotent: true` for an operation that is safe to repeat"),
            );
            false
        }
    };
    Operation {
        name: method_name,
        method: site.method,
        path_template: site.path.to_string(),
        path: parts,
        docs,
        params,
        params_type,
        body,
        success: responses.success,
        error_responses: responses.errors,
        error: TypeRef::Any,
        error_by_status: false,
        accept: responses.accept,
        idempotent,
        security,
        tag: operation_tag(site.op),
        stream,
        origin,
    }
}

/// The first of the operation's `tags` that is text.
fn operation_tag(op: &Value) -> Option<String> {
    op.get("tags")?
        .as_array()?
        .iter()
        .find_map(Value::as_str)
        .map(str::to_string)
}

/// How a query parameter is written: `content` means JSON text, else `style`
/// (default `form`) and `explode` (default true for `form`).
fn query_style(lw: &mut Lowerer<'_>, file: &str, pointer: &str, param: &Value) -> QueryStyle {
    if param.get("in").and_then(Value::as_str) != Some("query") {
        return QueryStyle::Form;
    }
    if param.get("content").is_some() {
        return QueryStyle::Json;
    }
    let explode = param.get("explode").and_then(Value::as_bool);
    match param.get("style").and_then(Value::as_str) {
        None | Some("form") if explode == Some(false) => QueryStyle::FormUnexploded,
        None | Some("form") => QueryStyle::Form,
        Some("spaceDelimited") => QueryStyle::SpaceDelimited,
        Some("pipeDelimited") => QueryStyle::PipeDelimited,
        Some("deepObject") => QueryStyle::DeepObject,
        Some(other) => {
            lw.diags.push(
                Diagnostic::warning(
                    Location::new(file, pointer_join(pointer, "style")),
                    format!("query style `{other}` is not one OpenAPI defines for query parameters; `form` is used"),
                )
                .with_help("use form, spaceDelimited, pipeDelimited or deepObject"),
            );
            QueryStyle::Form
        }
    }
}

fn location_of(s: &str) -> Option<ParamLocation> {
    Some(match s {
        "path" => ParamLocation::Path,
        "query" => ParamLocation::Query,
        "header" => ParamLocation::Header,
        "cookie" => ParamLocation::Cookie,
        _ => return None,
    })
}

/// Path-item parameters, overridden by operation parameters of the same name and place.
fn lower_params(
    lw: &mut Lowerer<'_>,
    site: &OperationSite<'_>,
    op_pointer: &str,
    type_prefix: &str,
) -> Vec<Param> {
    let mut declared: Vec<(String, String, Value)> = Vec::new();
    let item_pointer = op_pointer
        .rsplit_once('/')
        .map(|(p, _)| p.to_string())
        .unwrap_or_default();
    let lists = [
        (site.path_params, pointer_join(&item_pointer, "parameters")),
        (
            site.op.get("parameters"),
            pointer_join(op_pointer, "parameters"),
        ),
    ];
    for (list, list_pointer) in lists {
        let Some(Value::Array(items)) = list else {
            continue;
        };
        for (i, raw) in items.iter().enumerate() {
            let pointer = pointer_join(&list_pointer, &i.to_string());
            let Some((file, pointer, value)) = resolve_object(lw, site.file, &pointer, raw) else {
                continue;
            };
            let key = |v: &Value| {
                (
                    v.get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                    v.get("in")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                )
            };
            let k = key(&value);
            declared.retain(|(_, _, v)| key(v) != k);
            declared.push((file, pointer, value));
        }
    }

    let mut args = Namer::with_reserved(METHOD_LOCALS);
    let mut fields = Namer::with_reserved(PARAMS_METHODS);
    let mut out = Vec::new();
    for (file, pointer, value) in declared {
        let Some(wire) = value.get("name").and_then(Value::as_str) else {
            lw.diags.push(
                Diagnostic::warning(
                    Location::new(file.as_str(), pointer),
                    "parameter has no `name`; it is skipped",
                )
                .with_help("give every parameter a name"),
            );
            continue;
        };
        let place = value.get("in").and_then(Value::as_str).unwrap_or("");
        let Some(location) = location_of(place) else {
            lw.diags.push(
                Diagnostic::warning(
                    Location::new(file.as_str(), pointer_join(&pointer, "in")),
                    format!("parameter `{wire}` is `in: {place}`; it is skipped"),
                )
                .with_help("use path, query, header or cookie"),
            );
            continue;
        };
        let schema_hint = naming::member_type_name(type_prefix, wire);
        let lowered = if let Some(schema) = value.get("schema") {
            let at = pointer_join(&pointer, "schema");
            let lowered = lw.lower(&file, &at, schema, &schema_hint);
            // A parameter is text on the wire: `13` and `"13"` are one value.
            lw.mark_field_examples(&file, &at);
            lowered
        } else if let Some((media, content)) = value
            .get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.iter().next())
        {
            let schema = content.get("schema").cloned().unwrap_or(Value::Null);
            let p = pointer_join(
                &pointer_join(&pointer_join(&pointer, "content"), media),
                "schema",
            );
            lw.lower(&file, &p, &schema, &schema_hint)
        } else {
            crate::model::schema::Lowered {
                ty: TypeRef::String,
                nullable: false,
            }
        };
        lw.note_usage(&lowered.ty, false);
        let required = location == ParamLocation::Path
            || value.get("required").and_then(Value::as_bool) == Some(true);
        let namer = if location == ParamLocation::Path {
            &mut args
        } else {
            &mut fields
        };
        let candidate = naming::snake_name(wire);
        let (rust, renamed) = namer.claim(&candidate);
        // A name the method itself uses is renamed quietly; another
        // parameter's name is the spec's collision.
        let reserved = METHOD_LOCALS.iter().chain(PARAMS_METHODS);
        if renamed && !reserved.into_iter().any(|r| *r == candidate) {
            lw.diags.push(Diagnostic::warning(
                Location::new(file.as_str(), pointer.as_str()),
                format!(
                    "parameter `{wire}` has the same Rust name as another parameter; it is `{rust}`"
                ),
            ));
        }
        let constraints = value
            .get("schema")
            .map(|schema| lw.constraints_of(&file, schema))
            .unwrap_or_default();
        let style = query_style(lw, &file, &pointer, &value);
        out.push(Param {
            origin: Location::new(file.as_str(), pointer.as_str()),
            name: Name::new(wire, rust),
            location,
            ty: lowered.ty,
            required,
            docs: describe(&value),
            constraints,
            style,
        });
    }
    out
}

/// One piece of a path template, as OpenAPI reads it: a `{name}` placeholder
/// holds any text but braces.
enum TemplatePiece<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

/// The pieces of a path template, and whether a brace was left unmatched (a
/// `{` without `}`, or a `}` outside a placeholder); such braces are text.
fn template_pieces(path: &str) -> (Vec<TemplatePiece<'_>>, bool) {
    let mut pieces = Vec::new();
    let mut unmatched = false;
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = match after.find(['{', '}']) {
            Some(i) if after.as_bytes()[i] == b'}' => i,
            _ => {
                // `{` with no `}` before the next `{`: text up to that `{`.
                unmatched = true;
                let next = after.find('{').map_or(rest.len(), |i| open + 1 + i);
                pieces.push(TemplatePiece::Text(&rest[..next]));
                rest = &rest[next..];
                continue;
            }
        };
        if close == 0 {
            // `{}` names nothing: a placeholder's name has at least one character.
            unmatched = true;
            pieces.push(TemplatePiece::Text(&rest[..open + 2]));
            rest = &rest[open + 2..];
            continue;
        }
        if open > 0 {
            unmatched |= rest[..open].contains('}');
            pieces.push(TemplatePiece::Text(&rest[..open]));
        }
        pieces.push(TemplatePiece::Placeholder(&after[..close]));
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        unmatched |= rest.contains('}');
        pieces.push(TemplatePiece::Text(rest));
    }
    (pieces, unmatched)
}

/// Splits the path template into literal text and parameters, as OpenAPI
/// matches them: a placeholder names the path parameter of exactly its text.
/// Returns the parts and the path parameters the template names without a
/// declaration (typed as strings, with a warning). A declared path parameter
/// the template does not name is reported and removed from `params`: it could
/// only be an argument the request ignores.
fn split_path(
    lw: &mut Lowerer<'_>,
    site: &OperationSite<'_>,
    origin: &Location,
    params: &mut Vec<Param>,
) -> (Vec<PathPart>, Vec<Param>) {
    let path = match site.strip_prefix {
        Some(prefix) => site.path.strip_prefix(prefix).unwrap_or(site.path),
        None => site.path,
    };
    let (pieces, unmatched) = template_pieces(path);
    if unmatched {
        lw.diags.push(
            Diagnostic::warning(
                origin.clone(),
                format!("the path `{}` has a brace that opens or closes no placeholder; it is sent as text", site.path),
            )
            .with_help("a placeholder is `{name}`, with no brace inside; percent-encode a brace that belongs to the path"),
        );
    }
    let placeholders: Vec<&str> = pieces
        .iter()
        .filter_map(|p| match p {
            TemplatePiece::Placeholder(name) => Some(*name),
            TemplatePiece::Text(_) => None,
        })
        .collect();
    let unnamed: Vec<&str> = placeholders
        .iter()
        .copied()
        .filter(|name| {
            !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.name.wire == *name)
        })
        .collect();
    params.retain(|p| {
        if p.location != ParamLocation::Path || placeholders.contains(&p.name.wire.as_str()) {
            return true;
        }
        let help = match unnamed.as_slice() {
            [] => "remove the parameter, or add its placeholder to the path".to_string(),
            names => format!(
                "the path's placeholders without a parameter: {}; a placeholder must be the parameter's name exactly",
                names
                    .iter()
                    .map(|n| format!("`{{{n}}}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        lw.diags.push(
            Diagnostic::warning(
                p.origin.clone(),
                format!(
                    "path parameter `{}` is declared but the path `{}` has no `{{{}}}`; it is left out of the method",
                    p.name.wire, site.path, p.name.wire
                ),
            )
            .with_help(help),
        );
        false
    });

    let mut parts = Vec::new();
    let mut added: Vec<Param> = Vec::new();
    let mut args = Namer::with_reserved(METHOD_LOCALS);
    for p in params.iter().filter(|p| p.location == ParamLocation::Path) {
        args.claim(&p.name.rust);
    }
    for piece in pieces {
        let wire = match piece {
            TemplatePiece::Text(text) => {
                parts.push(PathPart::Literal(text.to_string()));
                continue;
            }
            TemplatePiece::Placeholder(wire) => wire,
        };
        let index = params
            .iter()
            .position(|p| p.location == ParamLocation::Path && p.name.wire == wire)
            .or_else(|| {
                added
                    .iter()
                    .position(|p| p.name.wire == wire)
                    .map(|i| params.len() + i)
            });
        let index = match index {
            Some(i) => i,
            None => {
                lw.diags.push(
                    Diagnostic::warning(
                        origin.clone(),
                        format!(
                            "path parameter `{{{wire}}}` is not declared; it is taken as a string"
                        ),
                    )
                    .with_help(format!("declare `{wire}` under parameters with `in: path`")),
                );
                added.push(Param {
                    origin: origin.clone(),
                    name: Name::new(wire, args.claim(&naming::snake_name(wire)).0),
                    location: ParamLocation::Path,
                    ty: TypeRef::String,
                    required: true,
                    docs: None,
                    constraints: Default::default(),
                    style: QueryStyle::Form,
                });
                params.len() + added.len() - 1
            }
        };
        parts.push(PathPart::Param(index));
    }
    (parts, added)
}

/// Query, header and cookie parameters travel in one struct per operation, built
/// like a request body: required ones in `new`, optional ones by setters. Its
/// docs name the method it is for, `method`.
fn params_struct(
    lw: &mut Lowerer<'_>,
    params: &[Param],
    origin: &Location,
    method: &Name,
    type_prefix: &str,
) -> Option<crate::model::TypeId> {
    let fields: Vec<Field> = params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| Field {
            name: p.name.clone(),
            ty: p.ty.clone(),
            required: p.required,
            nullable: false,
            docs: p.docs.clone(),
            constraints: p.constraints.clone(),
            clear_setter: None,
            default: None,
            default_getter: None,
        })
        .collect();
    if fields.is_empty() {
        return None;
    }
    let st = Struct {
        fields,
        additional: Additional {
            field: "additional_properties".into(),
            value: TypeRef::Any,
            denied: true,
        },
        inferred: false,
    };
    // An operation's parameters are its own: they never merge with another's.
    let id = lw.add_type(
        naming::params_type_name(type_prefix),
        true,
        origin.clone(),
        // The method's own name: re-deriving it from the type prefix loses
        // collision suffixes (`list_pets_2` → `ListPets2` → `list_pets2`).
        Some(format!(
            "Query, header and cookie parameters of [`Client::{}`].",
            method.rust
        )),
        TypeKind::Struct(st),
    );
    lw.keep_apart(id);
    Some(id)
}

fn resolve_object(
    lw: &mut Lowerer<'_>,
    file: &str,
    pointer: &str,
    value: &Value,
) -> Option<(String, String, Value)> {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => match lw.doc.resolve(file, r) {
            Ok(res) => Some((res.file.to_string(), res.pointer.clone(), res.value.clone())),
            Err(message) => {
                lw.diags.push(
                    Diagnostic::warning(
                        Location::new(file, pointer_join(pointer, "$ref")),
                        format!("{message}; this part of the operation is skipped"),
                    )
                    .with_help("point the `$ref` at an existing object"),
                );
                None
            }
        },
        None => Some((file.to_string(), pointer.to_string(), value.clone())),
    }
}

fn lower_body(
    lw: &mut Lowerer<'_>,
    site: &OperationSite<'_>,
    op_pointer: &str,
    type_prefix: &str,
) -> Option<Body> {
    let raw = site.op.get("requestBody")?;
    let (file, pointer, body) =
        resolve_object(lw, site.file, &pointer_join(op_pointer, "requestBody"), raw)?;
    let content = body.get("content").and_then(Value::as_object)?;
    report_odd_media_types(lw, &file, &pointer, content);
    let required = body.get("required").and_then(Value::as_bool) == Some(true);
    // JSON first, then a URL-encoded form (both typed), then text or bytes as given.
    let is_urlencoded = |m: &str| media_essence(m) == "application/x-www-form-urlencoded";
    let typed = content
        .iter()
        .find(|(m, _)| is_json_media_type(m))
        .or_else(|| content.iter().find(|(m, _)| is_urlencoded(m)));
    let Some((media, media_obj)) = typed else {
        let is_multipart = |m: &str| media_essence(m).starts_with("multipart/");
        // `multipart/form-data` first, then any other multipart type
        // (`multipart/related`, `multipart/mixed`): an object schema is a part
        // per property.
        let multipart = content
            .iter()
            .filter(|(m, _)| media_essence(m) == "multipart/form-data")
            .chain(
                content
                    .iter()
                    .filter(|(m, _)| is_multipart(m) && media_essence(m) != "multipart/form-data"),
            );
        for (media, media_obj) in multipart {
            let schema_pointer = pointer_join(
                &pointer_join(&pointer_join(&pointer, "content"), media),
                "schema",
            );
            let hint = naming::request_type_name(type_prefix);
            let schema = media_obj.get("schema").cloned().unwrap_or(Value::Null);
            let ty = lw.lower(&file, &schema_pointer, &schema, &hint).ty;
            if lw.is_struct(&ty) {
                lw.note_usage(&ty, false);
                let essence = media_essence(media);
                let subtype = if essence == "multipart/form-data" {
                    MultipartKind::FormData
                } else {
                    MultipartKind::Other
                };
                return Some(Body {
                    // The boundary is the runtime's: the declared type alone is not sent.
                    media_type: essence,
                    kind: RawKind::Multipart(subtype),
                    ty,
                    required,
                });
            }
        }
        if let Some(media) = content.keys().find(|m| !is_multipart(m)) {
            return Some(Body {
                media_type: media.clone(),
                kind: RawKind::of(media),
                ty: TypeRef::Any,
                required,
            });
        }
        let listed: Vec<&String> = content.keys().collect();
        lw.diags.push(
            Diagnostic::warning(Location::new(file.as_str(), pointer_join(&pointer, "content")), format!("request body media types {listed:?} have no object schema to make parts of; the method sends no body"))
                .with_help("describe the parts as an object schema (one property per part)"),
        );
        return None;
    };
    let kind = if is_urlencoded(media) {
        RawKind::Form
    } else {
        RawKind::Json
    };
    let schema_pointer = pointer_join(
        &pointer_join(&pointer_join(&pointer, "content"), media),
        "schema",
    );
    let ty = match media_obj.get("schema") {
        Some(schema) => {
            lw.lower(
                &file,
                &schema_pointer,
                schema,
                &naming::request_type_name(type_prefix),
            )
            .ty
        }
        None => TypeRef::Any,
    };
    let media_pointer = pointer_join(&pointer_join(&pointer, "content"), media);
    if kind == RawKind::Form {
        report_form_encoding(lw, &file, &media_pointer, media_obj);
    }
    let examples = media_examples(lw, &file, &media_pointer, media_obj);
    note_media_examples(lw, &file, &examples, &ty);
    let samples = code_sample_bodies(lw, site, op_pointer);
    note_media_examples(lw, site.file, &samples, &ty);
    lw.note_usage(&ty, false);
    Some(Body {
        media_type: media.clone(),
        kind,
        ty,
        required,
    })
}

/// A URL-encoded form sends an array as one pair per item (`tags=a&tags=b`, an
/// exploded `form`): an `encoding` asking for another style is reported.
fn report_form_encoding(lw: &mut Lowerer<'_>, file: &str, media_pointer: &str, media: &Value) {
    let Some(encoding) = media.get("encoding").and_then(Value::as_object) else {
        return;
    };
    for (field, entry) in encoding {
        let style = entry.get("style").and_then(Value::as_str).unwrap_or("form");
        let explode = entry
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == "form");
        if style == "form" && explode {
            continue;
        }
        lw.diags.push(
            Diagnostic::warning(
                Location::new(file, pointer_join(&pointer_join(media_pointer, "encoding"), field)),
                format!("form field `{field}` is encoded `{style}` with explode {explode}; the client sends an array as one pair per item (`{field}=a&{field}=b`)"),
            )
            .with_help("check that the server reads repeated fields, or send the field as one string"),
        );
    }
}

struct Responses {
    success: Success,
    errors: Vec<ErrorResponse>,
    accept: Option<String>,
    /// The data of a `text/event-stream` success response.
    events: Option<EventData>,
}

/// The property of a JSON request body that asks for a stream of events.
const STREAM_FLAG: &str = "stream";

/// The streaming form of an operation, when it has one: a non-JSON success
/// body is read as bytes, a `text/event-stream` one as events (with the body's
/// `stream: true` flag set when the operation answers JSON otherwise), and a
/// binary request body is taken as an upload. Its name is claimed later, after
/// every operation's own (`lower_api`).
fn stream_form(
    lw: &Lowerer<'_>,
    name: &Name,
    body: Option<&Body>,
    responses: &Responses,
) -> Option<StreamForm> {
    let binary_body = body.is_some_and(|b| b.kind == RawKind::Bytes);
    let (response, accept, upload) = match (&responses.events, &responses.success) {
        (Some(data), _) => (
            StreamResponse::Events(data.clone()),
            Some("text/event-stream".to_string()),
            false,
        ),
        (None, Success::Raw(_)) => (StreamResponse::Bytes, responses.accept.clone(), binary_body),
        (None, _) if binary_body => (StreamResponse::Decoded, responses.accept.clone(), true),
        (None, _) => return None,
    };
    let answers_json = matches!(responses.success, Success::Json(_));
    let flag = body
        .filter(|b| {
            answers_json && b.kind == RawKind::Json && lw.has_bool_field(&b.ty, STREAM_FLAG)
        })
        .filter(|_| matches!(response, StreamResponse::Events(_)))
        .map(|_| STREAM_FLAG.to_string());
    Some(StreamForm {
        name: Name::new(name.wire.clone(), naming::stream_method_name(&name.rust)),
        response,
        upload,
        flag,
        accept,
    })
}

/// The data of a `text/event-stream` response's events: OpenAPI 3.2's
/// `itemSchema`, else the `schema` (each event's data, by convention), as JSON;
/// text when neither says more than a string.
fn lower_event_data(
    lw: &mut Lowerer<'_>,
    file: &str,
    media_pointer: &str,
    media: &Value,
    type_prefix: &str,
) -> EventData {
    let Some((key, schema)) = ["itemSchema", "schema"]
        .into_iter()
        .find_map(|key| media.get(key).map(|schema| (key, schema)))
    else {
        return EventData::Text;
    };
    let hint = naming::event_type_name(type_prefix);
    let ty = lw
        .lower(file, &pointer_join(media_pointer, key), schema, &hint)
        .ty;
    match ty {
        TypeRef::String | TypeRef::Binary | TypeRef::Any => EventData::Text,
        ty => {
            lw.note_usage(&ty, false);
            EventData::Json(ty)
        }
    }
}

/// Examples of a media type object at `pointer`, each with its own pointer:
/// `example`, then each of `examples` (inline `value` or a `$ref` to
/// `components/examples`), then the schema's `example`.
fn media_examples(
    lw: &mut Lowerer<'_>,
    file: &str,
    pointer: &str,
    media: &Value,
) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    if let Some(ex) = media.get("example") {
        out.push((pointer_join(pointer, "example"), ex.clone()));
    }
    if let Some(Value::Object(named)) = media.get("examples") {
        for (name, ex) in named {
            let at = pointer_join(&pointer_join(pointer, "examples"), name);
            let resolved = match ex.get("$ref").and_then(Value::as_str) {
                Some(r) => lw.doc.resolve(file, r).ok().map(|r| r.value.clone()),
                None => Some(ex.clone()),
            };
            match resolved.as_ref().and_then(|e| e.get("value")) {
                Some(v) => out.push((pointer_join(&at, "value"), v.clone())),
                None if resolved
                    .as_ref()
                    .is_some_and(|e| e.get("externalValue").is_some()) =>
                {
                    lw.diags.push(
                        Diagnostic::warning(
                            Location::new(file, at.as_str()),
                            "this example is an `externalValue`; it is not read, so not checked",
                        )
                        .with_help("put the example inline under `value` to have it checked"),
                    );
                }
                None => {}
            }
        }
    }
    if let Some(schema_ex) = media.get("schema").and_then(|s| s.get("example")) {
        let at = pointer_join(&pointer_join(pointer, "schema"), "example");
        out.push((at, schema_ex.clone()));
    }
    out
}

/// The JSON request bodies of an operation's `x-codeSamples` (or
/// `x-code-samples`): `JSON` samples whole, cURL samples' `-d`/`--data` argument.
fn code_sample_bodies(
    lw: &mut Lowerer<'_>,
    site: &OperationSite<'_>,
    op_pointer: &str,
) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for key in ["x-codeSamples", "x-code-samples"] {
        let Some(samples) = site.op.get(key).and_then(Value::as_array) else {
            continue;
        };
        for (i, sample) in samples.iter().enumerate() {
            let at = pointer_join(
                &pointer_join(&pointer_join(op_pointer, key), &i.to_string()),
                "source",
            );
            let lang = sample
                .get("lang")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_ascii_lowercase();
            let Some(source) = sample.get("source").and_then(Value::as_str) else {
                continue;
            };
            let body = match lang.as_str() {
                "json" => serde_json::from_str::<Value>(source).map_err(|e| e.to_string()),
                "curl" | "shell" | "bash" | "sh" => match curl_data(source) {
                    Some(data) => serde_json::from_str::<Value>(data).map_err(|e| e.to_string()),
                    None => continue,
                },
                _ => continue,
            };
            match body {
                Ok(value) => out.push((at, value)),
                Err(e) => lw.diags.push(
                    Diagnostic::warning(
                        Location::new(site.file, at.as_str()),
                        format!(
                            "this {lang} code sample's body is not JSON ({e}); it is not checked"
                        ),
                    )
                    .with_help("fix the sample so the generated crate's tests can check it"),
                ),
            }
        }
    }
    out
}

/// The argument of a cURL command's `-d`, `--data` or `--data-raw`, unquoted.
fn curl_data(source: &str) -> Option<&str> {
    let start = ["--data-raw ", "--data ", "-d "]
        .iter()
        .find_map(|flag| source.find(flag).map(|i| i + flag.len()))?;
    let rest = source[start..].trim_start();
    let quote = rest.chars().next()?;
    if quote == '\'' || quote == '"' {
        let end = rest[1..].find(quote)? + 1;
        Some(&rest[1..end])
    } else {
        rest.split_whitespace().next()
    }
}

/// Records a media type's examples as examples of the body type `ty`.
fn note_media_examples(
    lw: &mut Lowerer<'_>,
    file: &str,
    examples: &[(String, Value)],
    ty: &TypeRef,
) {
    for (pointer, value) in examples {
        lw.note_example(file, pointer, value, ty, false);
    }
}

fn lower_responses(
    lw: &mut Lowerer<'_>,
    site: &OperationSite<'_>,
    op_pointer: &str,
    type_prefix: &str,
) -> Responses {
    let responses_pointer = pointer_join(op_pointer, "responses");
    let mut success_types: Vec<(String, TypeRef)> = Vec::new();
    let mut error_types: Vec<(String, Option<TypeRef>)> = Vec::new();
    let mut error_examples: Vec<(String, String, Value)> = Vec::new();
    let mut inferred_errors: Option<(String, String)> = None;
    let mut accept: Vec<String> = Vec::new();
    let mut raw_success: Option<RawKind> = None;
    let mut events: Option<EventData> = None;
    let empty = serde_json::Map::new();
    let responses = site
        .op
        .get("responses")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut codes: Vec<&String> = responses.keys().collect();
    codes.sort_by_key(|c| (c.as_str() == "default", c.to_ascii_uppercase()));
    let two_xx: Vec<&&String> = codes.iter().filter(|c| c.starts_with('2')).collect();
    let several_successes = two_xx.len() > 1;
    for code in codes {
        let is_success = code.starts_with('2');
        let is_error = code.starts_with('4') || code.starts_with('5') || code.as_str() == "default";
        let raw = &responses[code.as_str()];
        let Some((file, pointer, response)) =
            resolve_object(lw, site.file, &pointer_join(&responses_pointer, code), raw)
        else {
            continue;
        };
        let Some(content) = response
            .get("content")
            .and_then(Value::as_object)
            .filter(|c| !c.is_empty())
        else {
            continue;
        };
        report_odd_media_types(lw, &file, &pointer, content);
        if is_success && events.is_none() {
            let event_stream = content
                .iter()
                .find(|(m, _)| media_essence(m) == "text/event-stream");
            if let Some((media, media_obj)) = event_stream {
                let media_pointer = pointer_join(&pointer_join(&pointer, "content"), media);
                events = Some(lower_event_data(
                    lw,
                    &file,
                    &media_pointer,
                    media_obj,
                    type_prefix,
                ));
            }
        }
        let Some((media, media_obj)) = content.iter().find(|(m, _)| is_json_media_type(m)) else {
            // Text or bytes, returned as received; error bodies stay raw bytes.
            if let Some(media) = content.keys().next() {
                if is_success && raw_success.is_none() {
                    raw_success = Some(RawKind::of(media));
                }
                if !media.contains('*') && !accept.contains(media) {
                    accept.push(media.clone());
                }
            }
            continue;
        };
        if !media.contains('*') && !accept.contains(media) {
            accept.push(media.clone());
        }
        let hint = if is_success {
            let status = several_successes.then_some(code.as_str());
            naming::response_type_name(type_prefix, status)
        } else {
            naming::error_type_name(type_prefix, Some(code))
        };
        let schema_pointer = pointer_join(
            &pointer_join(&pointer_join(&pointer, "content"), media),
            "schema",
        );
        let media_pointer = pointer_join(&pointer_join(&pointer, "content"), media);
        let examples = media_examples(lw, &file, &media_pointer, media_obj);
        let by_example = match media_obj.get("schema") {
            Some(schema) => is_free_form_object(schema) && !examples.is_empty(),
            None => !examples.is_empty(),
        };
        if by_example && is_error && !is_success {
            // Error bodies known only by example are inferred together, below.
            if inferred_errors.is_none() {
                inferred_errors = Some((file.clone(), schema_pointer.clone()));
            }
            error_examples.extend(examples.into_iter().map(|(at, v)| (file.clone(), at, v)));
            error_types.push((code.clone(), None));
            continue;
        }
        let ty = match media_obj.get("schema") {
            _ if by_example => {
                let refs: Vec<&Value> = examples.iter().map(|(_, v)| v).collect();
                lw.infer(&file, &schema_pointer, &refs, &hint)
            }
            Some(schema) => lw.lower(&file, &schema_pointer, schema, &hint).ty,
            None => TypeRef::Any,
        };
        note_media_examples(lw, &file, &examples, &ty);
        lw.note_usage(&ty, is_error && !is_success);
        if is_success {
            success_types.push((code.clone(), ty));
        } else if is_error {
            error_types.push((code.clone(), Some(ty)));
        }
    }

    // One envelope inferred from every error example: vendors that document errors
    // only by example use one shape with optional parts (`details` on a 422 only).
    let inferred = inferred_errors.map(|(file, pointer)| {
        let refs: Vec<&Value> = error_examples.iter().map(|(_, _, v)| v).collect();
        let ty = lw.infer(
            &file,
            &pointer,
            &refs,
            &naming::error_type_name(type_prefix, None),
        );
        for (file, at, value) in &error_examples {
            lw.note_example(file, at, value, &ty, false);
        }
        lw.note_usage(&ty, true);
        ty
    });
    let error_types = error_types
        .into_iter()
        .map(|(code, ty)| ErrorResponse {
            matches: status_match(&code),
            ty: ty.or_else(|| inferred.clone()).unwrap_or(TypeRef::Any),
            key: code,
        })
        .collect();

    let success = {
        let mut distinct: Vec<&TypeRef> = Vec::new();
        for (_, t) in &success_types {
            if !distinct.contains(&t) {
                distinct.push(t);
            }
        }
        match (distinct.as_slice(), raw_success) {
            ([], Some(kind)) => Success::Raw(kind),
            ([], None) => Success::Unit,
            ([one], None) => Success::Json((*one).clone()),
            _ => {
                lw.diags.push(
                    Diagnostic::warning(Location::new(site.file, responses_pointer.as_str()), "2xx responses carry different schemas; the body is decoded as any JSON value")
                        .with_help("nothing is lost: the whole body is kept as serde_json::Value"),
                );
                Success::Json(TypeRef::Any)
            }
        }
    };

    Responses {
        success,
        errors: error_types,
        accept: (!accept.is_empty()).then(|| accept.join(", ")),
        events,
    }
}

fn lower_security(
    lw: &mut Lowerer<'_>,
    site: &OperationSite<'_>,
    origin: &Location,
) -> Vec<Vec<AuthUse>> {
    let (requirements, at) = match site.op.get("security") {
        Some(s) => (s, origin.join("security")),
        None => match site.root_security {
            Some(s) => (s, Location::new(site.file, "#/security")),
            None => return Vec::new(),
        },
    };
    let Some(list) = requirements.as_array() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for requirement in list {
        let Some(names) = requirement.as_object() else {
            continue;
        };
        let mut uses = Vec::new();
        for name in names.keys() {
            match site.schemes.get(name) {
                Some(u) => uses.push(u.clone()),
                None => {
                    lw.diags.push(
                        Diagnostic::warning(at.clone(), format!("security scheme `{name}` is used but not defined under components/securitySchemes; it is taken as HTTP bearer"))
                            .with_help(format!("define `{name}` under components/securitySchemes")),
                    );
                    uses.push(AuthUse::Bearer);
                }
            }
        }
        if !out.contains(&uses) {
            out.push(uses);
        }
    }
    out
}

/// Which statuses a response key is for: `404`, `4XX` (uppercase, as OpenAPI
/// writes ranges), `default`.
fn status_match(key: &str) -> StatusMatch {
    if key == "default" {
        return StatusMatch::Default;
    }
    if let Ok(code) = key.parse::<u16>() {
        return StatusMatch::Code(code);
    }
    let class = key
        .strip_suffix("XX")
        .filter(|digit| digit.len() == 1)
        .and_then(|digit| digit.parse::<u16>().ok());
    match class {
        Some(class) => StatusMatch::Class(class),
        None => StatusMatch::Unrecognised,
    }
}

/// Decides an operation's error type once identical types are merged: the one
/// type all error statuses share, any JSON value when none is documented, else a
/// per-status enum named `<Method>Error`.
pub fn decide_error_type(lw: &mut Lowerer<'_>, op: &mut Operation) {
    let mut distinct: Vec<&TypeRef> = Vec::new();
    for response in &op.error_responses {
        if !distinct.contains(&&response.ty) {
            distinct.push(&response.ty);
        }
    }
    match distinct.as_slice() {
        [] => op.error = TypeRef::Any,
        [one] => op.error = (*one).clone(),
        _ => {
            let mut namer = Namer::default();
            let variants = op
                .error_responses
                .iter()
                .map(|response| {
                    let code = match response.matches {
                        StatusMatch::Code(code) => Some(code),
                        _ => None,
                    };
                    let rust = naming::status_variant_name(&response.key, code);
                    let (rust, _) = namer.claim(&rust);
                    StatusVariant {
                        name: Name::new(response.key.clone(), rust),
                        matches: response.matches,
                        ty: response.ty.clone(),
                    }
                })
                .collect();
            let prefix = naming::operation_type_prefix(&op.name.rust);
            let id = lw.add_type(
                naming::error_type_name(&prefix, None),
                true,
                op.origin.join("responses"),
                Some(
                    "The error body, by status: the statuses carry different schemas.".to_string(),
                ),
                TypeKind::StatusEnum(variants),
            );
            op.error = TypeRef::Named(id);
            op.error_by_status = true;
        }
    }
}
