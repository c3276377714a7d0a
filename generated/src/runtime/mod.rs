//! The shared runtime of every generated client: building a client, sending a
//! request with its credentials, and turning the answer into a typed response or a
//! typed error. Hand-written; the generator copies this folder verbatim into
//! standalone crates.

mod call;
mod clock;
mod date;
mod decimal;
mod error;
#[cfg(test)]
pub(crate) mod examples;
mod lenient;
mod multipart;
mod nullable;
mod rate_limit;
mod retry;
mod tagged;
mod validate;

pub use call::{DecodeErr, DecodeOk};
/// `format: date-time` fields are `chrono::DateTime<chrono::Utc>` (and `format:
/// date` fields a [`Date`] over `chrono::NaiveDate`); re-exported so callers need
/// no dependency of their own.
pub use chrono;
pub use clock::{Clock, TokioClock};
pub use date::{Date, DateError};
pub use decimal::{Decimal, DecimalString, rust_decimal};
pub use error::{ApiError, BodyError, Error};
pub use lenient::{lenient_nullable_string, lenient_option_string, lenient_string};
pub use multipart::{Binary, Multipart};
pub use nullable::Nullable;
pub use retry::{Jitter, RetryPolicy};
pub use tagged::{serialize_tagged, tag_of};
/// `format: uuid` fields are `uuid::Uuid`; re-exported like `chrono`.
pub use uuid;
pub use validate::{
    Number, Rule, Validate, Violation, Violations, check_bound, check_items, check_length,
    check_no_additional, join, report_unknown, report_unknown_value,
};

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

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

/// How calls are made: retries, timeouts, the body limit and body logging.
/// Shared by clones; `with_retry` / `with_timeout` make a client with other settings.
#[derive(Debug, Clone)]
struct Settings {
    retry: RetryPolicy,
    attempt_timeout: Option<Duration>,
    timeout: Option<Duration>,
    max_body_bytes: usize,
    log_bodies: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            retry: RetryPolicy::default(),
            attempt_timeout: Some(DEFAULT_ATTEMPT_TIMEOUT),
            timeout: Some(DEFAULT_TIMEOUT),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            log_bodies: false,
        }
    }
}

/// The default time to connect.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default time one attempt may take, response body included.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default time a whole call may take, retries and waits included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
/// The default limit on a response body: 32 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 32 << 20;

/// Configures a client: base URL, credentials, retries, timeouts, rate limit and
/// the underlying HTTP client.
pub struct ClientBuilder<C> {
    base_url: Option<String>,
    credentials: Credentials,
    http: Option<reqwest::Client>,
    connect_timeout: Option<Duration>,
    settings: Settings,
    rate_limit: Option<(u32, Duration)>,
    clock: Arc<dyn Clock>,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("connect_timeout", &self.connect_timeout)
            .field("settings", &self.settings)
            .field("rate_limit", &self.rate_limit)
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
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            settings: Settings::default(),
            rate_limit: None,
            clock: Arc::new(TokioClock),
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

    /// Uses this HTTP client (proxies, TLS settings, its own connect timeout)
    /// instead of a default one.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Which failures are retried and how; [`RetryPolicy::default`] unless set.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }

    /// The time to connect ([`DEFAULT_CONNECT_TIMEOUT`]); `None` for no limit.
    /// A client given with [`http_client`](Self::http_client) keeps its own.
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = timeout.into();
        self
    }

    /// The time one attempt may take, from sending to the last body byte
    /// ([`DEFAULT_ATTEMPT_TIMEOUT`]); `None` for no limit.
    pub fn attempt_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.settings.attempt_timeout = timeout.into();
        self
    }

    /// The time a whole call may take, retries and the waits between them
    /// included ([`DEFAULT_TIMEOUT`]); `None` for no limit.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.settings.timeout = timeout.into();
        self
    }

    /// The most bytes of a response body read ([`DEFAULT_MAX_BODY_BYTES`]);
    /// a longer body is [`BodyError::TooLarge`].
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.settings.max_body_bytes = limit;
        self
    }

    /// Sends at most `requests` requests per `interval` (retries included), in
    /// bursts of up to `requests`, waiting rather than meeting the server's 429.
    /// Clones of the client share the limit. `0` requests means no limit.
    pub fn rate_limit(mut self, requests: u32, interval: Duration) -> Self {
        self.rate_limit = Some((requests, interval));
        self
    }

    /// Logs request and response bodies (the first 4 KiB) as `tracing` debug
    /// events of the call's span. Off by default: bodies may hold personal data.
    pub fn log_bodies(mut self, yes: bool) -> Self {
        self.settings.log_bodies = yes;
        self
    }

    /// The clock that paces retries and rate limits; [`TokioClock`] unless set.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
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
            None => {
                let mut builder = reqwest::Client::builder();
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder.build()?
            }
        };
        let limiter = self
            .rate_limit
            .and_then(|(requests, interval)| rate_limit::RateLimiter::new(requests, interval))
            .map(Arc::new);
        Ok(C::from_core(ClientCore {
            http,
            base_url: trimmed.into(),
            credentials: Arc::new(self.credentials),
            settings: Arc::new(self.settings),
            clock: self.clock,
            limiter,
        }))
    }
}

/// What every generated client holds: the HTTP client (one connection pool, shared
/// by clones), the base URL, the credentials, the call settings, the clock and the
/// rate limiter.
#[derive(Clone)]
pub struct ClientCore {
    http: reqwest::Client,
    base_url: Arc<str>,
    credentials: Arc<Credentials>,
    settings: Arc<Settings>,
    clock: Arc<dyn Clock>,
    limiter: Option<Arc<rate_limit::RateLimiter>>,
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCore")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

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
    /// The `Accept` header.
    pub accept: Option<&'static str>,
    /// Alternative security requirements; the first the client has credentials for is used.
    pub security: &'static [&'static [Auth]],
    /// The API description marks the operation safe to repeat, whatever its method.
    pub idempotent: bool,
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
            idempotent: false,
        }
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
    pub fn query(&mut self, name: &str, value: &impl Serialize) -> Result<(), EncodeError> {
        self.query_with(name, value, QueryStyle::Form)
    }

    /// Adds a query parameter in the given style.
    pub fn query_with(
        &mut self,
        name: &str,
        value: &impl Serialize,
        style: QueryStyle,
    ) -> Result<(), EncodeError> {
        let value = serde_json::to_value(value).map_err(EncodeError::Json)?;
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
        Ok(())
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
            content_type.into(),
            serde_json::to_vec(body).map_err(EncodeError::Json)?,
        ));
        Ok(())
    }

    /// Sets a URL-encoded form body: each property of `body` (a JSON object) is a
    /// `name=value` pair, in name order; arrays repeat the name, `null` and unset
    /// ones are left out, and nested objects are sent as JSON text.
    pub fn form_body(
        &mut self,
        content_type: &'static str,
        body: &impl Serialize,
    ) -> Result<(), EncodeError> {
        let serde_json::Value::Object(fields) =
            serde_json::to_value(body).map_err(EncodeError::Json)?
        else {
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
    pub fn raw_body(&mut self, content_type: &'static str, body: Vec<u8>) {
        self.body = Some((content_type.into(), body));
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart_body(&mut self, form: Multipart) {
        let (content_type, bytes) = form.finish();
        self.body = Some((content_type.into(), bytes));
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

    /// The same client with another retry policy: same pool, credentials and rate limit.
    pub fn with_retry(&self, policy: RetryPolicy) -> Self {
        self.with_settings(|settings| settings.retry = policy)
    }

    /// The same client with another overall timeout per call (`None`: no limit).
    pub fn with_timeout(&self, timeout: impl Into<Option<Duration>>) -> Self {
        let timeout = timeout.into();
        self.with_settings(|settings| settings.timeout = timeout)
    }

    fn with_settings(&self, change: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = (*self.settings).clone();
        change(&mut settings);
        ClientCore {
            settings: Arc::new(settings),
            ..self.clone()
        }
    }

    /// The request with its URL, credentials and headers, and its body apart, so
    /// that every attempt sends the same bytes.
    fn prepare(
        &self,
        request: Request,
    ) -> Result<(reqwest::Request, Option<bytes::Bytes>), EncodeError> {
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
        let mut body = None;
        if let Some((content_type, bytes)) = request.body {
            let value = reqwest::header::HeaderValue::from_str(&content_type).map_err(|_| {
                EncodeError::Header {
                    name: "Content-Type".into(),
                }
            })?;
            builder = builder.header(reqwest::header::CONTENT_TYPE, value);
            body = Some(bytes::Bytes::from(bytes));
        }
        Ok((builder.build().map_err(EncodeError::Request)?, body))
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
