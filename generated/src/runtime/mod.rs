//! The shared runtime of every generated client: building a client, sending a
//! request with its credentials, and turning the answer into a typed response or a
//! typed error. Hand-written; the generator copies this folder verbatim into
//! standalone crates.

mod decimal;
mod lenient;
mod nullable;
mod validate;

pub use decimal::{Decimal, DecimalString, rust_decimal};
pub use lenient::{lenient_nullable_string, lenient_option_string, lenient_string};
pub use nullable::Nullable;
pub use validate::{
    Number, Rule, Validate, Violation, Violations, check_bound, check_items, check_length,
    check_no_additional, join, report_unknown,
};

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
pub use reqwest::header::HeaderMap;
pub use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A credential. Its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential itself, for sending.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// How an operation's security scheme carries a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// The API key, raw, in this header.
    ApiKeyHeader(&'static str),
    /// The API key in this query parameter.
    ApiKeyQuery(&'static str),
    /// The API key in this cookie.
    ApiKeyCookie(&'static str),
}

#[derive(Clone, Default)]
struct Credentials {
    bearer: Option<Secret>,
    basic: Option<(String, Secret)>,
    api_key: Option<Secret>,
}

impl Credentials {
    fn has(&self, auth: Auth) -> bool {
        match auth {
            Auth::Bearer => self.bearer.is_some(),
            Auth::Basic => self.basic.is_some(),
            Auth::ApiKeyHeader(_) | Auth::ApiKeyQuery(_) | Auth::ApiKeyCookie(_) => {
                self.api_key.is_some()
            }
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("bearer", &self.bearer.as_ref().map(|_| "[redacted]"))
            .field(
                "basic",
                &self.basic.as_ref().map(|(user, _)| (user, "[redacted]")),
            )
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// A generated client, made from a configured [`ClientCore`].
pub trait FromCore {
    /// Wraps the core.
    fn from_core(core: ClientCore) -> Self;
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// No base URL was given and the spec has no absolute server URL.
    #[error("no base URL: the API description has none; call `.base_url(...)`")]
    MissingBaseUrl,
    /// The base URL does not parse.
    #[error("base URL `{url}` is not a valid URL: {source}")]
    InvalidBaseUrl {
        /// The URL given.
        url: String,
        /// Why it is invalid.
        source: url::ParseError,
    },
    /// The HTTP client could not be created.
    #[error("the HTTP client could not be created: {0}")]
    Http(#[from] reqwest::Error),
}

/// Configures a client: base URL, credentials and the underlying HTTP client.
pub struct ClientBuilder<C> {
    base_url: Option<String>,
    credentials: Credentials,
    http: Option<reqwest::Client>,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl<C: FromCore> ClientBuilder<C> {
    /// A builder starting from the API's default base URL, if it has one.
    pub fn new(default_base_url: Option<&str>) -> Self {
        ClientBuilder {
            base_url: default_base_url.map(str::to_string),
            credentials: Credentials::default(),
            http: None,
            client: PhantomData,
        }
    }

    /// Sends requests to this base URL instead of the spec's.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The token for bearer (and OAuth 2 / OpenID Connect) security schemes.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials.bearer = Some(Secret::new(token));
        self
    }

    /// The user and password for HTTP basic security schemes.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials.basic = Some((user.into(), Secret::new(password)));
        self
    }

    /// The key for API-key security schemes (header, query or cookie, as the spec says).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.credentials.api_key = Some(Secret::new(key));
        self
    }

    /// Uses this HTTP client (timeouts, proxies, TLS settings) instead of a default one.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<C, BuildError> {
        let base_url = self.base_url.ok_or(BuildError::MissingBaseUrl)?;
        let trimmed = base_url.trim_end_matches('/').to_string();
        url::Url::parse(&trimmed).map_err(|source| BuildError::InvalidBaseUrl {
            url: base_url.clone(),
            source,
        })?;
        let http = match self.http {
            Some(h) => h,
            None => reqwest::Client::builder().build()?,
        };
        Ok(C::from_core(ClientCore {
            http,
            base_url: trimmed.into(),
            credentials: Arc::new(self.credentials),
        }))
    }
}

/// What every generated client holds: the HTTP client (one connection pool, shared
/// by clones), the base URL and the credentials.
#[derive(Clone)]
pub struct ClientCore {
    http: reqwest::Client,
    base_url: Arc<str>,
    credentials: Arc<Credentials>,
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCore")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
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
    pub body: Option<(&'static str, Vec<u8>)>,
    /// The `Accept` header.
    pub accept: Option<&'static str>,
    /// Alternative security requirements; the first the client has credentials for is used.
    pub security: &'static [&'static [Auth]],
}

impl Request {
    /// A request with no parameters, body or security yet.
    pub fn new(
        operation: &'static str,
        method: Method,
        path_template: &'static str,
        path: String,
    ) -> Self {
        Request {
            operation,
            method,
            path_template,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            accept: None,
            security: &[],
        }
    }

    /// Adds a query parameter: arrays repeat the name, `None`/`null` adds nothing.
    pub fn query(&mut self, name: &str, value: &impl Serialize) -> Result<(), EncodeError> {
        match serde_json::to_value(value).map_err(EncodeError::Json)? {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => {
                for item in items {
                    if let Some(text) = scalar_text(&item) {
                        self.query.push((name.to_string(), text));
                    }
                }
            }
            other => {
                if let Some(text) = scalar_text(&other) {
                    self.query.push((name.to_string(), text));
                }
            }
        }
        Ok(())
    }

    /// Adds a header parameter; `None` adds nothing, arrays are comma-separated.
    pub fn header(
        &mut self,
        name: &'static str,
        value: &impl Serialize,
    ) -> Result<(), EncodeError> {
        if let Some(text) = simple_text(value)? {
            self.headers.push((name, text));
        }
        Ok(())
    }

    /// Adds a cookie parameter; `None` adds nothing.
    pub fn cookie(
        &mut self,
        name: &'static str,
        value: &impl Serialize,
    ) -> Result<(), EncodeError> {
        if let Some(text) = simple_text(value)? {
            self.cookies.push((name, text));
        }
        Ok(())
    }

    /// Sets a JSON body.
    pub fn json_body(
        &mut self,
        content_type: &'static str,
        body: &impl Serialize,
    ) -> Result<(), EncodeError> {
        self.body = Some((
            content_type,
            serde_json::to_vec(body).map_err(EncodeError::Json)?,
        ));
        Ok(())
    }

    /// Sets a body sent as given (text or bytes) with its `Content-Type`.
    pub fn raw_body(&mut self, content_type: &'static str, body: Vec<u8>) {
        self.body = Some((content_type, body));
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
    /// The URL could not be built.
    #[error("invalid URL: {0}")]
    Url(#[from] url::ParseError),
}

/// A successful response: the decoded body, with status and headers.
#[derive(Debug, Clone)]
pub struct Response<T> {
    /// The status code.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: T,
}

impl<T> Response<T> {
    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.body
    }
}

/// A non-success status: the vendor's error body, typed when it parses, and the raw bytes.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    /// The status code.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The error body, when it parses as the documented type.
    pub body: Option<E>,
    /// The body as received.
    pub raw: bytes::Bytes,
}

/// Everything a call can fail with. `E` is the operation's error body type.
#[derive(Debug, thiserror::Error)]
pub enum Error<E: fmt::Debug> {
    /// The server answered with a non-success status.
    #[error("{operation}: the server answered {}", .error.status)]
    Api {
        /// The method that failed.
        operation: &'static str,
        /// Status, headers and body.
        error: ApiError<E>,
    },
    /// The request could not be sent or the response not received.
    #[error("{operation}: request failed: {source}")]
    Transport {
        /// The method that failed.
        operation: &'static str,
        /// What went wrong.
        source: reqwest::Error,
    },
    /// A success response's body did not decode as the documented type.
    #[error("{operation}: the {status} response body did not decode: {source}")]
    Decode {
        /// The method that failed.
        operation: &'static str,
        /// The status code.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The body as received.
        raw: bytes::Bytes,
        /// Why it did not decode.
        source: serde_json::Error,
    },
    /// The request breaks a rule of the API description; nothing was sent.
    #[error("{operation}: the request breaks the API description, nothing was sent: {violations}")]
    Invalid {
        /// The method that failed.
        operation: &'static str,
        /// Every broken rule.
        violations: Violations,
    },
    /// The request could not be built; nothing was sent.
    #[error("{operation}: the request could not be built: {source}")]
    Encode {
        /// The method that failed.
        operation: &'static str,
        /// Why.
        source: EncodeError,
    },
}

impl<E: fmt::Debug> Error<E> {
    /// The status code, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { error, .. } => Some(error.status),
            Error::Decode { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            Error::Encode { .. } | Error::Invalid { .. } => None,
        }
    }

    /// The parsed vendor error body, when there is one.
    pub fn body(&self) -> Option<&E> {
        match self {
            Error::Api { error, .. } => error.body.as_ref(),
            _ => None,
        }
    }

    /// Wraps the broken rules of a request of `operation`.
    pub fn invalid(operation: &'static str, violations: Violations) -> Self {
        Error::Invalid {
            operation,
            violations,
        }
    }

    /// Wraps an encoding failure of `operation`.
    pub fn encode(operation: &'static str, source: EncodeError) -> Self {
        Error::Encode { operation, source }
    }
}

/// A success body decoder: ignores the body.
pub fn decode_unit(_bytes: &[u8]) -> Result<(), serde_json::Error> {
    Ok(())
}

/// A success body decoder: the text as received (invalid UTF-8 replaced).
pub fn decode_text(bytes: &[u8]) -> Result<String, serde_json::Error> {
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

/// A success body decoder: the bytes as received.
pub fn decode_bytes(bytes: &[u8]) -> Result<bytes::Bytes, serde_json::Error> {
    Ok(bytes::Bytes::copy_from_slice(bytes))
}

/// A success body decoder: JSON into `T`.
pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    serde_json::from_slice(bytes)
}

/// An error body decoder: JSON into `E` whatever the status; `None` when it does not parse.
pub fn decode_error_json<E: DeserializeOwned>(_status: u16, bytes: &[u8]) -> Option<E> {
    serde_json::from_slice(bytes).ok()
}

impl ClientCore {
    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends `request` and decodes the answer: a 2xx with `ok`, anything else with `err`.
    pub async fn execute<T, E: fmt::Debug>(
        &self,
        request: Request,
        ok: fn(&[u8]) -> Result<T, serde_json::Error>,
        err: fn(u16, &[u8]) -> Option<E>,
    ) -> Result<Response<T>, Error<E>> {
        let operation = request.operation;
        let builder = self
            .prepare(request)
            .map_err(|source| Error::Encode { operation, source })?;
        let response = builder
            .send()
            .await
            .map_err(|source| Error::Transport { operation, source })?;
        let status = response.status();
        let headers = response.headers().clone();
        let raw = response
            .bytes()
            .await
            .map_err(|source| Error::Transport { operation, source })?;
        if status.is_success() {
            match ok(&raw) {
                Ok(body) => Ok(Response {
                    status,
                    headers,
                    body,
                }),
                Err(source) => Err(Error::Decode {
                    operation,
                    status,
                    headers,
                    raw,
                    source,
                }),
            }
        } else {
            let body = if raw.is_empty() {
                None
            } else {
                err(status.as_u16(), &raw)
            };
            Err(Error::Api {
                operation,
                error: ApiError {
                    status,
                    headers,
                    body,
                    raw,
                },
            })
        }
    }

    fn prepare(&self, request: Request) -> Result<reqwest::RequestBuilder, EncodeError> {
        let mut url = url::Url::parse(&format!("{}{}", self.base_url, request.path))?;
        let mut cookies: Vec<String> = request
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let chosen = request
            .security
            .iter()
            .find(|requirement| requirement.iter().all(|a| self.credentials.has(*a)))
            .copied()
            .unwrap_or(&[]);
        if !request.query.is_empty() || chosen.iter().any(|a| matches!(a, Auth::ApiKeyQuery(_))) {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &request.query {
                pairs.append_pair(k, v);
            }
            for auth in chosen {
                if let (Auth::ApiKeyQuery(name), Some(key)) = (auth, &self.credentials.api_key) {
                    pairs.append_pair(name, key.expose());
                }
            }
        }
        let mut builder = self.http.request(request.method, url);
        for auth in chosen {
            builder =
                match (auth, &*self.credentials) {
                    (
                        Auth::Bearer,
                        Credentials {
                            bearer: Some(token),
                            ..
                        },
                    ) => builder.bearer_auth(token.expose()),
                    (
                        Auth::Basic,
                        Credentials {
                            basic: Some((user, password)),
                            ..
                        },
                    ) => builder.basic_auth(user, Some(password.expose())),
                    (
                        Auth::ApiKeyHeader(name),
                        Credentials {
                            api_key: Some(key), ..
                        },
                    ) => {
                        let mut value = reqwest::header::HeaderValue::from_str(key.expose())
                            .map_err(|_| EncodeError::Header {
                                name: name.to_string(),
                            })?;
                        value.set_sensitive(true);
                        builder.header(*name, value)
                    }
                    (
                        Auth::ApiKeyCookie(name),
                        Credentials {
                            api_key: Some(key), ..
                        },
                    ) => {
                        cookies.push(format!("{name}={}", key.expose()));
                        builder
                    }
                    _ => builder,
                };
        }
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
        if let Some((content_type, bytes)) = request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(bytes);
        }
        Ok(builder)
    }
}

/// An enum value this client does not know, kept as received. It can come only
/// from a response, so a request can carry only documented values (or one the
/// server sent).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Wraps a received value; only decoding calls this.
    // Unused in a crate whose vendors have no enums.
    #[allow(dead_code)]
    pub(crate) fn new(value: String) -> Self {
        UnknownValue(value)
    }

    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
