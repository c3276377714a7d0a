//! Credentials and how they reach a request. [`Secret`] keeps a credential out of
//! debug output; [`Auth`] says how an operation's security scheme carries one;
//! `Credentials` holds what the client was given and, for each request, picks the
//! first security requirement it can meet and puts those credentials in the query,
//! the headers or the `Cookie` header. A bearer token can also come from a token
//! source (`token.rs`), fetched for each attempt instead of fixed here.

use std::fmt;
use std::sync::Arc;

use super::EncodeError;
use super::token::TokenCache;

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
pub(crate) struct Credentials {
    pub(crate) bearer: Option<Secret>,
    pub(crate) basic: Option<(String, Secret)>,
    pub(crate) api_key: Option<Secret>,
    /// Where bearer tokens come from when no fixed `bearer` token is given.
    pub(crate) tokens: Option<Arc<TokenCache>>,
}

impl Credentials {
    fn has(&self, auth: Auth) -> bool {
        match auth {
            Auth::Bearer => self.bearer.is_some() || self.tokens.is_some(),
            Auth::Basic => self.basic.is_some(),
            Auth::ApiKeyHeader(_) | Auth::ApiKeyQuery(_) | Auth::ApiKeyCookie(_) => {
                self.api_key.is_some()
            }
        }
    }

    /// The first of the alternative security requirements this client has every
    /// credential for; none (send no credential) when it meets none.
    pub(crate) fn choose(&self, security: &'static [&'static [Auth]]) -> &'static [Auth] {
        security
            .iter()
            .find(|requirement| requirement.iter().all(|a| self.has(*a)))
            .copied()
            .unwrap_or(&[])
    }

    /// The token source whose token `chosen` sends, when it sends a bearer
    /// token and no fixed one was given.
    pub(crate) fn token_source(&self, chosen: &[Auth]) -> Option<&Arc<TokenCache>> {
        let bearer = chosen.contains(&Auth::Bearer) && self.bearer.is_none();
        self.tokens.as_ref().filter(|_| bearer)
    }

    /// Appends the API keys of `chosen` that go in the query to `pairs`.
    pub(crate) fn add_query_keys(
        &self,
        chosen: &[Auth],
        pairs: &mut url::form_urlencoded::Serializer<'_, url::UrlQuery<'_>>,
    ) {
        for auth in chosen {
            if let (Auth::ApiKeyQuery(name), Some(key)) = (auth, &self.api_key) {
                pairs.append_pair(name, key.expose());
            }
        }
    }

    /// Puts the credentials of `chosen` that go in headers on `builder` (an API key
    /// header marked sensitive), and an API key cookie in `cookies`.
    pub(crate) fn apply(
        &self,
        chosen: &[Auth],
        mut builder: reqwest::RequestBuilder,
        cookies: &mut Vec<String>,
    ) -> Result<reqwest::RequestBuilder, EncodeError> {
        for auth in chosen {
            builder =
                match (auth, self) {
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
        Ok(builder)
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
            .field("tokens", &self.tokens)
            .finish()
    }
}
