//! What a call can fail with.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::{DecodeError, DecodeProblem, EncodeError, TokenError, Violations};

/// A non-success status: the vendor's error body, typed when it parses, and the raw bytes.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    /// The status code.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The error body, when it parses as the documented type.
    pub body: Option<E>,
    /// The body as received (at most the client's body limit).
    pub raw: bytes::Bytes,
}

/// Why a response body could not be read whole.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    /// The body is longer than the client's limit (`ClientBuilder::max_body_bytes`).
    #[error("the body is longer than the limit of {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// The connection failed while the body was arriving.
    #[error("the connection failed mid-body: {0}")]
    Interrupted(reqwest::Error),
    /// The body did not arrive in time.
    #[error("the body did not arrive within {after:?}")]
    TimedOut {
        /// The time the attempt was allowed.
        after: Duration,
    },
}

/// Everything a call can fail with. `E` is the operation's error body type.
///
/// Variants for answers that came from the network say how many attempts were
/// made (see [`attempts`](Self::attempts)); raw bodies are at most the client's
/// body limit.
#[derive(Debug, thiserror::Error)]
pub enum Error<E: fmt::Debug> {
    /// The server answered with a non-success status.
    #[error("{operation}: the server answered {} (attempt {attempts})", .error.status)]
    Api {
        /// The method that failed.
        operation: &'static str,
        /// Attempts made, this one included.
        attempts: u32,
        /// Status, headers and body.
        error: ApiError<E>,
    },
    /// No response arrived: the connection failed or was lost before the headers.
    #[error("{operation}: request failed (attempt {attempts}): {source}")]
    Transport {
        /// The method that failed.
        operation: &'static str,
        /// Attempts made, this one included.
        attempts: u32,
        /// What went wrong.
        source: reqwest::Error,
    },
    /// No response headers arrived in time: the attempt's timeout, or the call's
    /// overall timeout (which also ends waits between attempts).
    #[error("{operation}: no response within {after:?} (attempt {attempts}{})", if *.overall { ", overall timeout" } else { "" })]
    Timeout {
        /// The method that failed.
        operation: &'static str,
        /// Attempts made, this one included.
        attempts: u32,
        /// The time that ran out.
        after: Duration,
        /// Whether it was the call's overall timeout rather than one attempt's.
        overall: bool,
    },
    /// A response started but its body could not be read whole.
    #[error(
        "{operation}: the {status} response body could not be read (attempt {attempts}): {source}"
    )]
    Body {
        /// The method that failed.
        operation: &'static str,
        /// Attempts made, this one included.
        attempts: u32,
        /// The status code.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The part of the body that arrived (at most the body limit).
        raw: bytes::Bytes,
        /// What went wrong.
        source: BodyError,
    },
    /// A success response's body did not decode as the documented type: it is
    /// not JSON, or a value in it is not what the API description says (a
    /// required field missing or `null`, a string for a number…). `source` says
    /// where (a JSON pointer), what was expected and what arrived; the body is
    /// kept whole, and [`body_as`](Self::body_as) reads it as another type, such
    /// as `serde_json::Value`, to reach the rest of it.
    #[error("{operation}: the {} response body {}", .status.as_u16(), decode_failure(.headers, .raw, .source))]
    Decode {
        /// The method that failed.
        operation: &'static str,
        /// Attempts made, this one included.
        attempts: u32,
        /// The status code.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The body as received.
        raw: bytes::Bytes,
        /// Where and why it did not decode.
        source: DecodeError,
    },
    /// The request breaks a rule of the API description; nothing was sent.
    #[error("{operation}: the request breaks the API description, nothing was sent: {violations}")]
    Invalid {
        /// The method that failed.
        operation: &'static str,
        /// Every broken rule.
        violations: Violations,
    },
    /// No access token could be had from the client's token source (its
    /// provider failed, or the token endpoint refused or failed); the request
    /// was not sent (again).
    #[error("{operation}: no access token (after {attempts} attempts): {source}")]
    Token {
        /// The method that failed.
        operation: &'static str,
        /// Attempts sent before, with an earlier token.
        attempts: u32,
        /// Why.
        source: TokenError,
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

/// `is not JSON (9 bytes of application/json): …` or `did not decode at /id: …`.
fn decode_failure(headers: &HeaderMap, raw: &[u8], error: &DecodeError) -> String {
    match error.problem {
        DecodeProblem::NotJson { .. } => format!("({}) is {error}", describe_body(headers, raw)),
        _ if error.path.is_empty() => format!("did not decode: {error}"),
        _ => format!("did not decode {error}"),
    }
}

fn describe_body(headers: &HeaderMap, raw: &[u8]) -> String {
    let content_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("no Content-Type");
    if raw.is_empty() {
        format!("empty, {content_type}")
    } else {
        format!("{} bytes of {content_type}", raw.len())
    }
}

impl<E: fmt::Debug> Error<E> {
    /// The status code, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { error, .. } => Some(error.status),
            Error::Decode { status, .. } | Error::Body { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            Error::Timeout { .. }
            | Error::Encode { .. }
            | Error::Invalid { .. }
            | Error::Token { .. } => None,
        }
    }

    /// Whether the API answered 401 Unauthorized (an `Api` error): the
    /// credential was refused.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Error::Api { error, .. } if error.status == StatusCode::UNAUTHORIZED)
    }

    /// The response headers, when a response arrived.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api { error, .. } => Some(&error.headers),
            Error::Decode { headers, .. } | Error::Body { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// The response body as received (possibly partial), when a response arrived.
    pub fn raw_body(&self) -> Option<&[u8]> {
        match self {
            Error::Api { error, .. } => Some(&error.raw),
            Error::Decode { raw, .. } | Error::Body { raw, .. } => Some(raw),
            _ => None,
        }
    }

    /// The response body as received, decoded as `T`; `None` when no response
    /// arrived. When a success body does not decode as the documented type
    /// ([`Error::Decode`]), `body_as::<serde_json::Value>()` still gives all of
    /// it; for an [`Error::Api`] it reads the error body as a type of your own.
    pub fn body_as<T: DeserializeOwned>(&self) -> Option<Result<T, serde_json::Error>> {
        self.raw_body().map(serde_json::from_slice)
    }

    /// The parsed vendor error body, when there is one.
    pub fn body(&self) -> Option<&E> {
        match self {
            Error::Api { error, .. } => error.body.as_ref(),
            _ => None,
        }
    }

    /// How many attempts were made; 0 when nothing was sent.
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Api { attempts, .. }
            | Error::Transport { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Body { attempts, .. }
            | Error::Decode { attempts, .. }
            | Error::Token { attempts, .. } => *attempts,
            Error::Invalid { .. } | Error::Encode { .. } => 0,
        }
    }
}
