//! A request as a generated method describes it, and how it goes on the wire.
//! [`Request`] collects the filled-in path, query parameters in every OpenAPI
//! style ([`QueryStyle`]), headers, cookies and the body (JSON, URL-encoded form,
//! raw, multipart, or an [`Upload`] read as it is sent); [`path_segment`]
//! encodes a path parameter. The client then turns it into one HTTP request with
//! its credentials, built once so every attempt sends the same bytes.
//! [`EncodeError`] is why that could fail.
//!
//! Filling a request never fails on the spot: the first value that cannot be
//! encoded, or the first broken rule, is kept, and the call ends with it
//! ([`Error::Encode`] / [`Error::Invalid`]) before anything is sent. So a
//! generated method is a plain sequence of calls with no error handling of its
//! own, which keeps large generated crates cheap to compile.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use super::{Auth, ClientCore, Error, Method, Multipart, Upload, Validate, Violations};

/// How a query parameter is written (OpenAPI's `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `form`, exploded (the default): `a=1&a=2`; an object's properties as pairs.
    Form,
    /// `form` with `explode: false`: `a=1,2`; an object as `a=k1,v1,k2,v2`.
    FormUnexploded,
    /// `spaceDelimited`: `a=1%202`.
    SpaceDelimited,
    /// `pipeDelimited`: `a=1|2`.
    PipeDelimited,
    /// `deepObject`: `a[k]=v`.
    DeepObject,
    /// A parameter described by `content`: the value as JSON text.
    Json,
}

/// One request, as a generated method describes it.
#[derive(Debug)]
pub struct Request {
    /// The method's name, for errors and tracing.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path as the spec writes it.
    pub path_template: &'static str,
    /// The path with parameters filled in and encoded.
    pub path: String,
    /// Query parameters, in order.
    pub query: Vec<(String, String)>,
    /// Header parameters.
    pub headers: Vec<(&'static str, String)>,
    /// Cookie parameters.
    pub cookies: Vec<(&'static str, String)>,
    /// `Content-Type` and bytes of the body.
    pub body: Option<(std::borrow::Cow<'static, str>, Vec<u8>)>,
    /// `Content-Type` and a body read as it is sent (instead of `body`).
    pub upload: Option<(std::borrow::Cow<'static, str>, Upload)>,
    /// The `Accept` header.
    pub accept: Option<&'static str>,
    /// Alternative security requirements; the first the client has credentials for is used.
    pub security: &'static [&'static [Auth]],
    /// The API description marks the operation safe to repeat, whatever its method.
    pub idempotent: bool,
    /// The first reason the request cannot be sent, found while filling it.
    refusal: Option<Refusal>,
}

/// Why a filled-in request is not sent.
#[derive(Debug)]
enum Refusal {
    Encode(EncodeError),
    Invalid(Violations),
}

impl Request {
    /// A request with an empty path and no parameters, body or security yet.
    pub fn new(operation: &'static str, method: Method, path_template: &'static str) -> Self {
        Request {
            operation,
            method,
            path_template,
            path: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            upload: None,
            accept: None,
            security: &[],
            idempotent: false,
            refusal: None,
        }
    }

    /// Keeps the first reason not to send the request.
    fn refuse(&mut self, refusal: Refusal) {
        if self.refusal.is_none() {
            self.refusal = Some(refusal);
        }
    }

    /// Keeps `result`'s error, if it is the first.
    fn keep(&mut self, result: Result<(), EncodeError>) -> &mut Self {
        if let Err(e) = result {
            self.refuse(Refusal::Encode(e));
        }
        self
    }

    /// The first value that could not be encoded while filling the request.
    pub fn encode_error(&self) -> Option<&EncodeError> {
        match &self.refusal {
            Some(Refusal::Encode(e)) => Some(e),
            _ => None,
        }
    }

    /// The error the call ends with, before anything is sent, when the request
    /// could not be filled in.
    pub(crate) fn refusal<E: std::fmt::Debug>(&mut self) -> Option<Error<E>> {
        let operation = self.operation;
        self.refusal.take().map(|refusal| match refusal {
            Refusal::Encode(source) => Error::Encode { operation, source },
            Refusal::Invalid(violations) => Error::Invalid {
                operation,
                violations,
            },
        })
    }

    /// Sets the `Accept` header.
    pub fn accept(&mut self, media: &'static str) -> &mut Self {
        self.accept = Some(media);
        self
    }

    /// Sets the alternative security requirements: the first the client has
    /// credentials for is used.
    pub fn security(&mut self, alternatives: &'static [&'static [Auth]]) -> &mut Self {
        self.security = alternatives;
        self
    }

    /// Marks the operation safe to repeat, whatever its method.
    pub fn idempotent(&mut self) -> &mut Self {
        self.idempotent = true;
        self
    }

    /// Appends text of the path template as it is.
    pub fn path(&mut self, text: &str) -> &mut Self {
        self.path.push_str(text);
        self
    }

    /// Appends a path parameter as one percent-encoded segment ([`path_segment`]).
    pub fn path_param(&mut self, name: &'static str, value: &impl Serialize) -> &mut Self {
        let result = path_segment(name, value).map(|segment| self.path.push_str(&segment));
        self.keep(result)
    }

    /// Checks `value`'s rules (parameters or body): the call ends with
    /// [`Error::Invalid`] when one is broken.
    pub fn check(&mut self, value: &impl Validate) -> &mut Self {
        if let Err(violations) = value.validate() {
            self.refuse(Refusal::Invalid(violations));
        }
        self
    }

    /// A copy to send again, as a stream of events reconnecting does; `None`
    /// when the body is an [`Upload`], which cannot be copied.
    pub fn try_clone(&self) -> Option<Request> {
        if self.upload.is_some() {
            return None;
        }
        Some(Request {
            operation: self.operation,
            method: self.method.clone(),
            path_template: self.path_template,
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            cookies: self.cookies.clone(),
            body: self.body.clone(),
            upload: None,
            accept: self.accept,
            security: self.security,
            idempotent: self.idempotent,
            refusal: None,
        })
    }

    /// Whether sending this request twice has the effect of sending it once: its
    /// method says so (GET, HEAD, OPTIONS, TRACE, PUT, PATCH, DELETE), or the API
    /// description does.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
            || matches!(
                self.method,
                Method::GET
                    | Method::HEAD
                    | Method::OPTIONS
                    | Method::TRACE
                    | Method::PUT
                    | Method::PATCH
                    | Method::DELETE
            )
    }

    /// Adds a query parameter in OpenAPI's default style (`form`, exploded): arrays
    /// repeat the name, an object's properties are pairs of their own, and
    /// `None`/`null` adds nothing.
    pub fn query(&mut self, name: &str, value: &impl Serialize) -> &mut Self {
        self.query_with(name, value, QueryStyle::Form)
    }

    /// Adds a query parameter in the given style.
    pub fn query_with(
        &mut self,
        name: &str,
        value: &impl Serialize,
        style: QueryStyle,
    ) -> &mut Self {
        let result = serde_json::to_value(value)
            .map_err(EncodeError::Json)
            .map(|value| self.push_query(name, value, style));
        self.keep(result)
    }

    fn push_query(&mut self, name: &str, value: serde_json::Value, style: QueryStyle) {
        let joined = |items: &[serde_json::Value], separator: &str| {
            items
                .iter()
                .filter_map(scalar_text)
                .collect::<Vec<_>>()
                .join(separator)
        };
        match (value, style) {
            (serde_json::Value::Null, _) => {}
            (value, QueryStyle::Json) => self.query.push((name.to_string(), value.to_string())),
            (serde_json::Value::Array(items), QueryStyle::Form | QueryStyle::DeepObject) => {
                for item in &items {
                    if let Some(text) = scalar_text(item) {
                        self.query.push((name.to_string(), text));
                    }
                }
            }
            (serde_json::Value::Array(items), QueryStyle::FormUnexploded) => {
                self.query.push((name.to_string(), joined(&items, ",")));
            }
            (serde_json::Value::Array(items), QueryStyle::SpaceDelimited) => {
                self.query.push((name.to_string(), joined(&items, " ")));
            }
            (serde_json::Value::Array(items), QueryStyle::PipeDelimited) => {
                self.query.push((name.to_string(), joined(&items, "|")));
            }
            (serde_json::Value::Object(fields), QueryStyle::Form) => {
                for (key, value) in &fields {
                    if let Some(text) = scalar_text(value) {
                        self.query.push((key.clone(), text));
                    }
                }
            }
            (serde_json::Value::Object(fields), QueryStyle::DeepObject) => {
                self.deep_object(name, &fields);
            }
            (serde_json::Value::Object(fields), _) => {
                let flat: Vec<String> = fields
                    .iter()
                    .filter_map(|(k, v)| scalar_text(v).map(|v| format!("{k},{v}")))
                    .collect();
                self.query.push((name.to_string(), flat.join(",")));
            }
            (scalar, _) => {
                if let Some(text) = scalar_text(&scalar) {
                    self.query.push((name.to_string(), text));
                }
            }
        }
    }

    /// `name[key]=value` for each property, nested objects as `name[a][b]`.
    fn deep_object(&mut self, name: &str, fields: &serde_json::Map<String, serde_json::Value>) {
        for (key, value) in fields {
            let here = format!("{name}[{key}]");
            match value {
                serde_json::Value::Object(inner) => self.deep_object(&here, inner),
                serde_json::Value::Array(items) => {
                    for item in items {
                        if let Some(text) = scalar_text(item) {
                            self.query.push((here.clone(), text));
                        }
                    }
                }
                other => {
                    if let Some(text) = scalar_text(other) {
                        self.query.push((here, text));
                    }
                }
            }
        }
    }

    /// Adds a header parameter; `None` adds nothing, arrays are comma-separated.
    pub fn header(&mut self, name: &'static str, value: &impl Serialize) -> &mut Self {
        let result = simple_text(value).map(|text| self.headers.extend(text.map(|t| (name, t))));
        self.keep(result)
    }

    /// Adds a cookie parameter; `None` adds nothing.
    pub fn cookie(&mut self, name: &'static str, value: &impl Serialize) -> &mut Self {
        let result = simple_text(value).map(|text| self.cookies.extend(text.map(|t| (name, t))));
        self.keep(result)
    }

    /// Sets a JSON body.
    pub fn json_body(&mut self, content_type: &'static str, body: &impl Serialize) -> &mut Self {
        let result = serde_json::to_vec(body)
            .map(|bytes| self.body = Some((content_type.into(), bytes)))
            .map_err(EncodeError::Json);
        self.keep(result)
    }

    /// Sets a URL-encoded form body: each property of `body` (a JSON object) is a
    /// `name=value` pair, in name order; arrays repeat the name, `null` and unset
    /// ones are left out, and nested objects are sent as JSON text.
    pub fn form_body(&mut self, content_type: &'static str, body: &impl Serialize) -> &mut Self {
        let result = serde_json::to_value(body)
            .map_err(EncodeError::Json)
            .and_then(|value| self.set_form(content_type, value));
        self.keep(result)
    }

    fn set_form(
        &mut self,
        content_type: &'static str,
        value: serde_json::Value,
    ) -> Result<(), EncodeError> {
        let serde_json::Value::Object(fields) = value else {
            return Err(EncodeError::Form);
        };
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in &fields {
            match value {
                serde_json::Value::Array(items) => {
                    for item in items {
                        if let Some(text) = scalar_text(item) {
                            form.append_pair(name, &text);
                        }
                    }
                }
                other => {
                    if let Some(text) = scalar_text(other) {
                        form.append_pair(name, &text);
                    }
                }
            }
        }
        self.body = Some((content_type.into(), form.finish().into_bytes()));
        Ok(())
    }

    /// Sets a body sent as given (text or bytes) with its `Content-Type`.
    pub fn raw_body(&mut self, content_type: &'static str, body: Vec<u8>) -> &mut Self {
        self.body = Some((content_type.into(), body));
        self
    }

    /// Sets a body read as it is sent: a file or a stream (see [`Upload`]).
    pub fn upload_body(&mut self, content_type: &'static str, body: Upload) -> &mut Self {
        self.body = None;
        self.upload = Some((content_type.into(), body));
        self
    }

    /// Sets the boolean property `name` of the JSON object body to `true`
    /// (an operation that streams its answer when its body asks for it).
    pub fn set_json_flag(&mut self, name: &str) -> &mut Self {
        let result = self.json_flag(name);
        self.keep(result)
    }

    fn json_flag(&mut self, name: &str) -> Result<(), EncodeError> {
        let Some((_, bytes)) = &mut self.body else {
            return Ok(());
        };
        let mut value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(EncodeError::Json)?;
        if let serde_json::Value::Object(fields) = &mut value {
            fields.insert(name.to_string(), serde_json::Value::Bool(true));
            *bytes = serde_json::to_vec(&value).map_err(EncodeError::Json)?;
        }
        Ok(())
    }

    /// Sets a multipart body; a part that could not be encoded is the
    /// request's error.
    pub fn multipart_body(&mut self, form: Multipart) -> &mut Self {
        let result = form
            .finish()
            .map(|(content_type, bytes)| self.body = Some((content_type.into(), bytes)));
        self.keep(result)
    }
}

fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

fn simple_text(value: &impl Serialize) -> Result<Option<String>, EncodeError> {
    Ok(
        match serde_json::to_value(value).map_err(EncodeError::Json)? {
            serde_json::Value::Array(items) => Some(
                items
                    .iter()
                    .filter_map(scalar_text)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            other => scalar_text(&other),
        },
    )
}

/// Characters left as they are in a path segment: RFC 3986 unreserved ones.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Renders a path parameter as one percent-encoded path segment. `.` and `..`
/// would change the path's meaning and are refused.
pub fn path_segment(name: &'static str, value: &impl Serialize) -> Result<String, EncodeError> {
    let text = simple_text(value)?.unwrap_or_default();
    if text.is_empty() || text == "." || text == ".." {
        return Err(EncodeError::PathSegment { name, value: text });
    }
    Ok(utf8_percent_encode(&text, PATH_SEGMENT).to_string())
}

/// Why a request could not be put on the wire.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    /// A value did not serialize.
    #[error("could not serialize: {0}")]
    Json(serde_json::Error),
    /// A path parameter is empty, `.` or `..`.
    #[error("path parameter `{name}` cannot be `{value}`: it would change the path")]
    PathSegment {
        /// The parameter.
        name: &'static str,
        /// The refused value.
        value: String,
    },
    /// A header value has characters a header cannot carry.
    #[error("header `{name}` has a value that is not a valid header value")]
    Header {
        /// The header.
        name: String,
    },
    /// A form body is not an object of fields.
    #[error("a form body must be an object of fields")]
    Form,
    /// The URL could not be built.
    #[error("invalid URL: {0}")]
    Url(#[from] url::ParseError),
    /// The HTTP request could not be assembled.
    #[error("invalid request: {0}")]
    Request(reqwest::Error),
    /// An upload's file could not be opened, or its stream was already sent.
    #[error("the upload could not be read: {0}")]
    Upload(std::io::Error),
}

impl ClientCore {
    /// The request with its URL, credentials and headers, and its body apart, so
    /// that every attempt sends the same bytes.
    pub(crate) fn prepare(
        &self,
        request: Request,
    ) -> Result<(reqwest::Request, Option<Upload>), EncodeError> {
        let mut url = url::Url::parse(&format!("{}{}", self.base_url, request.path))?;
        let mut cookies: Vec<String> = request
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let chosen = self.credentials.choose(request.security);
        if !request.query.is_empty() || chosen.iter().any(|a| matches!(a, Auth::ApiKeyQuery(_))) {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &request.query {
                pairs.append_pair(k, v);
            }
            self.credentials.add_query_keys(chosen, &mut pairs);
        }
        let builder = self.http.request(request.method, url);
        let mut builder = self.credentials.apply(chosen, builder, &mut cookies)?;
        for (name, value) in &request.headers {
            let value =
                reqwest::header::HeaderValue::from_str(value).map_err(|_| EncodeError::Header {
                    name: name.to_string(),
                })?;
            builder = builder.header(*name, value);
        }
        if !cookies.is_empty() {
            let mut value =
                reqwest::header::HeaderValue::from_str(&cookies.join("; ")).map_err(|_| {
                    EncodeError::Header {
                        name: "Cookie".into(),
                    }
                })?;
            value.set_sensitive(true);
            builder = builder.header(reqwest::header::COOKIE, value);
        }
        if let Some(accept) = request.accept {
            builder = builder.header(reqwest::header::ACCEPT, accept);
        }
        let body = match (request.body, request.upload) {
            (_, Some((content_type, upload))) => Some((content_type, upload)),
            (Some((content_type, bytes)), None) => Some((content_type, Upload::bytes(bytes))),
            (None, None) => None,
        };
        let body = match body {
            Some((content_type, upload)) => {
                let value =
                    reqwest::header::HeaderValue::from_str(&content_type).map_err(|_| {
                        EncodeError::Header {
                            name: "Content-Type".into(),
                        }
                    })?;
                builder = builder.header(reqwest::header::CONTENT_TYPE, value);
                Some(upload)
            }
            None => None,
        };
        Ok((builder.build().map_err(EncodeError::Request)?, body))
    }
}
