//! Live credentials: access tokens from a token source instead of one fixed
//! bearer token. A source is a [`TokenProvider`] of the user's (or a closure,
//! [`token_fn`]), or the OAuth 2 client-credentials flow of the API description
//! ([`ClientCredentials`], RFC 6749 §4.4), exchanged over the client's own HTTP
//! client: a small form POST and a JSON answer, so the generated crate needs no
//! OAuth library and no second HTTP stack.
//!
//! [`TokenCache`] holds the current token until shortly before it expires (by the
//! client's [`Clock`]), fetches a new one with one request however many calls
//! are waiting for it, and forgets a token the API answered 401 to so the call
//! can be retried once with a fresh one. Tokens and the client secret are
//! [`Secret`]s: no `Debug`, `Display`, error or trace event shows them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{BuildError, ClientCore, Clock, Secret, StatusCode};

/// Renew a token this long before it expires, unless it lives less than twice
/// as long (then halfway through its life).
pub const DEFAULT_TOKEN_MARGIN: Duration = Duration::from_secs(30);

/// The most bytes of a token endpoint's answer read.
const MAX_TOKEN_RESPONSE_BYTES: usize = 64 << 10;

/// The most characters of a token endpoint's `error_description` kept.
const MAX_DESCRIPTION_CHARS: usize = 512;

/// An access token, and how long it stays good from when it was asked for.
#[derive(Clone)]
pub struct Token {
    access_token: Secret,
    expires_in: Option<Duration>,
}

impl Token {
    /// A token with no known expiry: it is used until the API answers 401.
    pub fn new(access_token: impl Into<String>) -> Self {
        Token {
            access_token: Secret::new(access_token),
            expires_in: None,
        }
    }

    /// The token stays good this long from when it was asked for.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in = Some(lifetime);
        self
    }

    /// The token itself.
    pub fn access_token(&self) -> &Secret {
        &self.access_token
    }

    /// How long it stays good, when known.
    pub fn lifetime(&self) -> Option<Duration> {
        self.expires_in
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &self.access_token)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Token, TokenError>> + Send + 'a>>;

/// A source of access tokens for bearer, OAuth 2 and OpenID Connect security
/// schemes. The client asks it for a token when it has none or its token is
/// about to expire, and once more when the API answers 401; one call at a time.
pub trait TokenProvider: Send + Sync + 'static {
    /// A fresh token.
    fn token(&self) -> TokenFuture<'_>;
}

/// A [`TokenProvider`] from an async closure; see [`token_fn`].
pub struct TokenFn<F>(F);

/// A [`TokenProvider`] that calls `fetch` for each new token: for example
/// `token_fn(|| async { Ok(Token::new(read_token().await?)) })`.
pub fn token_fn<F, Fut>(fetch: F) -> TokenFn<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Token, TokenError>> + Send + 'static,
{
    TokenFn(fetch)
}

impl<F, Fut> TokenProvider for TokenFn<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Token, TokenError>> + Send + 'static,
{
    fn token(&self) -> TokenFuture<'_> {
        Box::pin((self.0)())
    }
}

/// An error code of a token endpoint (RFC 6749 §5.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OAuthErrorCode {
    /// `invalid_request`.
    InvalidRequest,
    /// `invalid_client`: the client id or secret is wrong.
    InvalidClient,
    /// `invalid_grant`.
    InvalidGrant,
    /// `unauthorized_client`: the client may not use this flow.
    UnauthorizedClient,
    /// `unsupported_grant_type`.
    UnsupportedGrantType,
    /// `invalid_scope`.
    InvalidScope,
    /// Another code, as received.
    Other(String),
}

impl OAuthErrorCode {
    fn of(code: &str) -> Self {
        match code {
            "invalid_request" => OAuthErrorCode::InvalidRequest,
            "invalid_client" => OAuthErrorCode::InvalidClient,
            "invalid_grant" => OAuthErrorCode::InvalidGrant,
            "unauthorized_client" => OAuthErrorCode::UnauthorizedClient,
            "unsupported_grant_type" => OAuthErrorCode::UnsupportedGrantType,
            "invalid_scope" => OAuthErrorCode::InvalidScope,
            other => OAuthErrorCode::Other(other.to_string()),
        }
    }

    /// The code as the endpoint writes it.
    pub fn as_str(&self) -> &str {
        match self {
            OAuthErrorCode::InvalidRequest => "invalid_request",
            OAuthErrorCode::InvalidClient => "invalid_client",
            OAuthErrorCode::InvalidGrant => "invalid_grant",
            OAuthErrorCode::UnauthorizedClient => "unauthorized_client",
            OAuthErrorCode::UnsupportedGrantType => "unsupported_grant_type",
            OAuthErrorCode::InvalidScope => "invalid_scope",
            OAuthErrorCode::Other(code) => code,
        }
    }
}

impl fmt::Display for OAuthErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why no access token could be had. It never holds a token or the client
/// secret, nor the body of a token endpoint's answer.
#[derive(Debug, Clone, thiserror::Error)]
pub enum TokenError {
    /// The token endpoint refused with an OAuth 2 error (RFC 6749 §5.2).
    #[error("the token endpoint refused ({status}): {code}{}", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Refused {
        /// The status code.
        status: StatusCode,
        /// The `error` code.
        code: OAuthErrorCode,
        /// The `error_description`, at most 512 characters.
        description: Option<String>,
    },
    /// The token endpoint answered with a status that is neither a token nor an
    /// OAuth 2 error.
    #[error("the token endpoint answered {status} without an OAuth 2 error")]
    Status {
        /// The status code.
        status: StatusCode,
    },
    /// A success answer that is not a usable token response.
    #[error("the token endpoint's answer is not a token response: {reason}")]
    InvalidResponse {
        /// What is wrong with it (never its content).
        reason: &'static str,
    },
    /// The token endpoint could not be reached, or its answer not read whole.
    #[error("the token endpoint could not be reached: {0}")]
    Transport(Arc<reqwest::Error>),
    /// No token came in time: the token endpoint did not answer within the
    /// client's attempt timeout, or the call's overall timeout ran out first.
    #[error("no token within {after:?}")]
    Timeout {
        /// The time allowed.
        after: Duration,
    },
    /// The token could not be sent in a header (it holds a control character).
    #[error("the access token cannot be sent in a header")]
    BadToken,
    /// A [`TokenProvider`] failed.
    #[error("the token provider failed: {0}")]
    Provider(Arc<dyn std::error::Error + Send + Sync>),
}

impl TokenError {
    /// Wraps the error of a [`TokenProvider`].
    pub fn provider(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        TokenError::Provider(Arc::from(error.into()))
    }
}

/// How the client id and secret reach the token endpoint (RFC 6749 §2.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientAuth {
    /// HTTP Basic authentication, each form-encoded first: what every
    /// server must accept.
    #[default]
    Basic,
    /// `client_id` and `client_secret` in the form body.
    Body,
}

/// The OAuth 2 client-credentials flow (RFC 6749 §4.4): the client's id and
/// secret exchanged at the token URL for an access token. Generated clients
/// make one with the API description's token URL
/// (`Client::client_credentials`); give it to
/// [`ClientBuilder::client_credentials`](super::ClientBuilder::client_credentials).
#[derive(Clone)]
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    scopes: Vec<String>,
    auth: ClientAuth,
    params: Vec<(String, String)>,
}

impl ClientCredentials {
    /// The flow at `token_url`: absolute, or relative to the client's base URL.
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        ClientCredentials {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
            scopes: Vec::new(),
            auth: ClientAuth::Basic,
            params: Vec::new(),
        }
    }

    /// Asks for this scope too (none asked: the endpoint's default).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }

    /// Asks for these scopes too.
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes.extend(scopes.into_iter().map(Into::into));
        self
    }

    /// How the id and secret are sent; [`ClientAuth::Basic`] unless set.
    pub fn client_auth(mut self, auth: ClientAuth) -> Self {
        self.auth = auth;
        self
    }

    /// Sends the token request to this URL instead (absolute, or relative to
    /// the client's base URL).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }

    /// Adds a form parameter to the token request (`audience`, `resource`…).
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// The form body of the token request.
    fn form(&self) -> String {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("grant_type", "client_credentials");
        if !self.scopes.is_empty() {
            form.append_pair("scope", &self.scopes.join(" "));
        }
        for (name, value) in &self.params {
            form.append_pair(name, value);
        }
        if self.auth == ClientAuth::Body {
            form.append_pair("client_id", &self.client_id);
            form.append_pair("client_secret", self.client_secret.expose());
        }
        form.finish()
    }

    /// `text` with the client secret, if it is there, replaced.
    fn scrub(&self, text: &str) -> String {
        let secret = self.client_secret.expose();
        if secret.is_empty() {
            text.to_string()
        } else {
            text.replace(secret, "[redacted]")
        }
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scopes", &self.scopes)
            .field("client_auth", &self.auth)
            .field(
                "params",
                &self.params.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Where tokens come from, as the builder was told.
#[derive(Clone)]
pub(crate) enum TokenSource {
    Provider(Arc<dyn TokenProvider>),
    ClientCredentials(ClientCredentials),
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenSource::Provider(_) => f.write_str("Provider(..)"),
            TokenSource::ClientCredentials(flow) => flow.fmt(f),
        }
    }
}

/// A source ready to fetch: the client-credentials flow bound to the client's
/// HTTP client and its token URL resolved.
enum Fetcher {
    Provider(Arc<dyn TokenProvider>),
    ClientCredentials(Box<Exchange>),
}

/// The client-credentials flow, bound.
struct Exchange {
    flow: ClientCredentials,
    url: url::Url,
    http: reqwest::Client,
    timeout: Option<Duration>,
}

/// The token in use and when to renew it.
struct Cached {
    token: Arc<Secret>,
    renew_at: Option<Instant>,
}

/// What the cache holds between fetches.
#[derive(Default)]
struct State {
    current: Option<Cached>,
    /// Fetches finished, and the failure of the last one, so that callers that
    /// waited for a fetch that failed share its error instead of each trying.
    fetches: u64,
    failed: Option<TokenError>,
}

/// The current token of a client and its clones, renewed through one fetch at a time.
pub(crate) struct TokenCache {
    fetcher: Fetcher,
    margin: Duration,
    state: tokio::sync::Mutex<State>,
    /// `State::fetches`, readable before waiting for the lock.
    finished: std::sync::atomic::AtomicU64,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.fetcher {
            Fetcher::Provider(_) => "provider".to_string(),
            Fetcher::ClientCredentials(exchange) => {
                format!(
                    "client credentials of `{}` at {}",
                    exchange.flow.client_id, exchange.url
                )
            }
        };
        f.debug_struct("TokenCache")
            .field("source", &source)
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

impl TokenCache {
    /// The cache of `source`, resolving a relative token URL against `base_url`
    /// (as the client was given it).
    pub(crate) fn new(
        source: TokenSource,
        margin: Duration,
        base_url: &str,
        http: &reqwest::Client,
        timeout: Option<Duration>,
    ) -> Result<Self, BuildError> {
        let fetcher = match source {
            TokenSource::Provider(provider) => Fetcher::Provider(provider),
            TokenSource::ClientCredentials(flow) => {
                let invalid = |source| BuildError::InvalidTokenUrl {
                    url: flow.token_url.clone(),
                    source,
                };
                let url = url::Url::parse(base_url)
                    .and_then(|base| base.join(&flow.token_url))
                    .map_err(invalid)?;
                Fetcher::ClientCredentials(Box::new(Exchange {
                    flow,
                    url,
                    http: http.clone(),
                    timeout,
                }))
            }
        };
        Ok(TokenCache {
            fetcher,
            margin,
            state: tokio::sync::Mutex::default(),
            finished: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// The token to send: the cached one while it is good, else a new one.
    /// Callers that find the token due while a fetch is under way wait for that
    /// fetch and share its token, or its error.
    pub(crate) async fn get(&self, clock: &dyn Clock) -> Result<Arc<Secret>, TokenError> {
        use std::sync::atomic::Ordering;
        let seen = self.finished.load(Ordering::SeqCst);
        let mut state = self.state.lock().await;
        if state.fetches > seen {
            // A fetch finished while this call waited: its answer is this call's.
            if let Some(cached) = &state.current {
                return Ok(cached.token.clone());
            }
            if let Some(error) = &state.failed {
                return Err(error.clone());
            }
        }
        let good = |c: &&Cached| c.renew_at.is_none_or(|at| clock.now() < at);
        if let Some(cached) = state.current.as_ref().filter(good) {
            return Ok(cached.token.clone());
        }
        let asked = clock.now();
        let result = self.fetch().await;
        state.fetches += 1;
        self.finished.store(state.fetches, Ordering::SeqCst);
        match result {
            Ok(token) => {
                let renew_at = token.expires_in.and_then(|lifetime| {
                    let margin = self.margin.min(lifetime / 2);
                    asked.checked_add(lifetime - margin)
                });
                tracing::debug!(
                    expires_in_s = token.expires_in.map(|d| d.as_secs()),
                    "access token fetched"
                );
                let token = Arc::new(token.access_token);
                state.current = Some(Cached {
                    token: token.clone(),
                    renew_at,
                });
                state.failed = None;
                Ok(token)
            }
            Err(error) => {
                tracing::debug!(%error, "access token fetch failed");
                state.current = None;
                state.failed = Some(error.clone());
                Err(error)
            }
        }
    }

    /// Forgets `token` after the API refused it, unless another call has
    /// replaced it already.
    pub(crate) async fn refused(&self, token: &Arc<Secret>) {
        let mut state = self.state.lock().await;
        if state
            .current
            .as_ref()
            .is_some_and(|c| Arc::ptr_eq(&c.token, token))
        {
            state.current = None;
        }
    }

    async fn fetch(&self) -> Result<Token, TokenError> {
        match &self.fetcher {
            Fetcher::Provider(provider) => provider.token().await,
            Fetcher::ClientCredentials(bound) => {
                let exchange = exchange(&bound.flow, &bound.url, &bound.http);
                match &bound.timeout {
                    Some(after) => tokio::time::timeout(*after, exchange)
                        .await
                        .unwrap_or(Err(TokenError::Timeout { after: *after })),
                    None => exchange.await,
                }
            }
        }
    }
}

/// One token request of the client-credentials flow and its answer.
async fn exchange(
    flow: &ClientCredentials,
    url: &url::Url,
    http: &reqwest::Client,
) -> Result<Token, TokenError> {
    let mut request = http
        .post(url.clone())
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(reqwest::header::ACCEPT, "application/json")
        .body(flow.form());
    if flow.auth == ClientAuth::Basic {
        let encode = |text: &str| url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
        let user: String = encode(&flow.client_id);
        let password: String = encode(flow.client_secret.expose());
        request = request.basic_auth(user, Some(password));
    }
    let transport = |e: reqwest::Error| TokenError::Transport(Arc::new(e));
    let mut response = request.send().await.map_err(transport)?;
    let status = response.status();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        if body.len() + chunk.len() > MAX_TOKEN_RESPONSE_BYTES {
            return Err(if status.is_success() {
                TokenError::InvalidResponse {
                    reason: "longer than 64 KiB",
                }
            } else {
                TokenError::Status { status }
            });
        }
        body.extend_from_slice(&chunk);
    }
    let json: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
    if !status.is_success() {
        let error = json.as_ref().and_then(|v| v.get("error")?.as_str());
        return Err(match error {
            Some(code) => TokenError::Refused {
                status,
                code: OAuthErrorCode::of(&flow.scrub(code)),
                description: json
                    .as_ref()
                    .and_then(|v| v.get("error_description")?.as_str())
                    .map(|d| {
                        flow.scrub(&d.chars().take(MAX_DESCRIPTION_CHARS).collect::<String>())
                    }),
            },
            None => TokenError::Status { status },
        });
    }
    let invalid = |reason| TokenError::InvalidResponse { reason };
    let json = json.ok_or(invalid("not JSON"))?;
    let access_token = json
        .get("access_token")
        .and_then(serde_json::Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or(invalid("no `access_token` string"))?;
    let token_type = json
        .get("token_type")
        .and_then(serde_json::Value::as_str)
        .ok_or(invalid("no `token_type` string"))?;
    if !token_type.eq_ignore_ascii_case("bearer") {
        return Err(invalid("`token_type` is not `bearer`"));
    }
    let expires_in = match json.get("expires_in") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(n)) => Some(
            n.as_u64()
                .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
                .ok_or(invalid("`expires_in` is not a number of seconds"))?,
        ),
        // Some endpoints send the number as text.
        Some(serde_json::Value::String(s)) => Some(
            s.trim()
                .parse::<u64>()
                .map_err(|_| invalid("`expires_in` is not a number of seconds"))?,
        ),
        Some(_) => return Err(invalid("`expires_in` is not a number of seconds")),
    };
    let mut token = Token::new(access_token);
    token.expires_in = expires_in.map(Duration::from_secs);
    Ok(token)
}

/// `Authorization: Bearer <token>`, marked sensitive.
pub(crate) fn bearer_header(token: &Secret) -> Result<reqwest::header::HeaderValue, TokenError> {
    let mut value = reqwest::header::HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| TokenError::BadToken)?;
    value.set_sensitive(true);
    Ok(value)
}

impl ClientCore {
    /// Puts a token of the client's token source on `request` when `tokens` is
    /// the source the request's security requirement uses; gives back the
    /// token sent, to forget if the API refuses it.
    /// A fetch takes at most what is left of the call's overall time
    /// (`deadline`: when it ends, and the whole of it).
    pub(crate) async fn authorize(
        &self,
        tokens: Option<&TokenCache>,
        deadline: Option<(Instant, Duration)>,
        request: &mut reqwest::Request,
    ) -> Result<Option<Arc<Secret>>, TokenError> {
        let Some(tokens) = tokens else {
            return Ok(None);
        };
        let token = match deadline {
            Some((at, total)) => {
                let left = at.saturating_duration_since(self.clock.now());
                tokio::time::timeout(left, tokens.get(&*self.clock))
                    .await
                    .unwrap_or(Err(TokenError::Timeout { after: total }))?
            }
            None => tokens.get(&*self.clock).await?,
        };
        request
            .headers_mut()
            .insert(reqwest::header::AUTHORIZATION, bearer_header(&token)?);
        Ok(Some(token))
    }

    /// Whether to send the request again at once: the API answered 401 to a
    /// token of the source (`unauthorized`, from [`Error::is_unauthorized`]),
    /// and this call has not renewed one yet. The token is forgotten, so the
    /// next attempt fetches a new one (or shares the one another call already
    /// fetched). It takes no `Error`, so the call's future does not hold one
    /// across the wait (and stays `Send` for any error body type).
    pub(crate) async fn renew_refused(
        &self,
        tokens: Option<&TokenCache>,
        unauthorized: bool,
        sent: Option<&Arc<Secret>>,
        renewed: &mut bool,
    ) -> bool {
        let (Some(tokens), Some(sent)) = (tokens, sent) else {
            return false;
        };
        if *renewed || !unauthorized {
            return false;
        }
        *renewed = true;
        tokens.refused(sent).await;
        tracing::info!("access token refused (401), renewing it and sending again");
        true
    }
}
