//! Configuring a client. [`ClientBuilder`] collects the base URL, credentials,
//! retry policy, timeouts, body limit, rate limit, clock and body logging, and
//! builds the [`ClientCore`] every generated client wraps ([`FromCore`]). The
//! call settings live behind an `Arc`, so clones share them and
//! [`ClientCore::with_retry`] / [`ClientCore::with_timeout`] make a client that
//! differs only in them.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use super::auth::{Credentials, Secret};
use super::rate_limit;
use super::token::{TokenCache, TokenSource};
use super::{
    ClientCredentials, Clock, DEFAULT_TOKEN_MARGIN, RetryPolicy, Token, TokenError, TokenProvider,
    TokioClock, token_fn,
};

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
    /// The token URL of the client-credentials flow does not parse, alone or
    /// against the base URL.
    #[error("token URL `{url}` is not a valid URL: {source}")]
    InvalidTokenUrl {
        /// The token URL given.
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
pub(crate) struct Settings {
    pub(crate) retry: RetryPolicy,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_body_bytes: usize,
    pub(crate) log_bodies: bool,
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
    token_source: Option<TokenSource>,
    token_margin: Duration,
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
            .field("token_source", &self.token_source)
            .field("token_margin", &self.token_margin)
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
            token_source: None,
            token_margin: DEFAULT_TOKEN_MARGIN,
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

    /// The token for bearer (and OAuth 2 / OpenID Connect) security schemes,
    /// fixed for the client's life. Replaces a token source.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials.bearer = Some(Secret::new(token));
        self.token_source = None;
        self
    }

    /// Bearer (and OAuth 2 / OpenID Connect) tokens from `provider`, asked for
    /// one when the client has none or its token is about to expire (see
    /// [`token_margin`](Self::token_margin)), and once more when the API answers
    /// 401; the call is then sent once again. Clones of the client share the
    /// token. Replaces a fixed bearer token.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.credentials.bearer = None;
        self.token_source = Some(TokenSource::Provider(Arc::new(provider)));
        self
    }

    /// Bearer tokens from an async closure, as [`token_provider`](Self::token_provider).
    pub fn token_fn<F, Fut>(self, fetch: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<Token, TokenError>> + Send + 'static,
    {
        self.token_provider(token_fn(fetch))
    }

    /// Bearer tokens from the OAuth 2 client-credentials flow, fetched over this
    /// client's HTTP client, as [`token_provider`](Self::token_provider). A
    /// relative token URL is resolved against the base URL.
    pub fn client_credentials(mut self, flow: ClientCredentials) -> Self {
        self.credentials.bearer = None;
        self.token_source = Some(TokenSource::ClientCredentials(flow));
        self
    }

    /// How long before its expiry a token from a token source is renewed
    /// ([`DEFAULT_TOKEN_MARGIN`]); a token that lives less than twice as long
    /// is renewed halfway through its life.
    pub fn token_margin(mut self, margin: Duration) -> Self {
        self.token_margin = margin;
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
    /// a longer body is [`BodyError::TooLarge`](super::BodyError::TooLarge).
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.settings.max_body_bytes = limit;
        self
    }

    /// Starts at most `requests` requests within any window of `interval`
    /// (retries included), waiting rather than meeting the server's 429. Up to
    /// `requests` may start at once; the next waits until the oldest of the
    /// last `requests` is `interval` old. Clones of the client share the
    /// limit. `0` requests means no limit.
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
    pub fn build(mut self) -> Result<C, BuildError> {
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
        if let Some(source) = self.token_source {
            let cache = TokenCache::new(
                source,
                self.token_margin,
                &base_url,
                &http,
                self.settings.attempt_timeout,
            )?;
            self.credentials.tokens = Some(Arc::new(cache));
        }
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
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Arc<str>,
    pub(crate) credentials: Arc<Credentials>,
    pub(crate) settings: Arc<Settings>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) limiter: Option<Arc<rate_limit::RateLimiter>>,
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
}
