//! The shared runtime of every generated client: building a client, sending a
//! request with its credentials, and turning the answer into a typed response or a
//! typed error. Hand-written; the generator copies this folder verbatim into
//! standalone crates.

mod auth;
mod builder;
mod call;
mod clock;
mod date;
mod datetime;
mod decimal;
mod decode;
mod error;
mod events;
#[cfg(test)]
pub(crate) mod examples;
pub(crate) mod formats;
pub mod lenient;
mod multipart;
mod nullable;
mod object;
mod rate_limit;
mod request;
mod response;
mod retry;
mod stream;
pub mod string_enum;
mod tagged;
mod token;
mod upload;
mod validate;

pub use auth::{Auth, Secret};
pub use builder::{
    BuildError, ClientBuilder, ClientCore, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT, FromCore,
};
pub use call::{DecodeErr, DecodeOk};
/// `format: date-time` fields are a [`DateTime`] over `chrono::DateTime` (and
/// `format: date` fields a [`Date`] over `chrono::NaiveDate`); re-exported so
/// callers need no dependency of their own.
pub use chrono;
pub use clock::{Clock, TokioClock};
pub use date::{Date, DateError};
pub use datetime::{DateTime, DateTimeError};
pub use decimal::{Decimal, DecimalString, rust_decimal};
pub use decode::{DecodeError, DecodeProblem};
pub use error::{ApiError, BodyError, Error};
pub use events::{Event, EventStream};
pub use multipart::{Binary, Multipart};
pub use nullable::Nullable;
pub use object::{
    Given, LenientField, Loose, LooseGiven, Object, ObjectError, Others, Plain, ReadObject, Slot,
    Unset, ValueDeserializer, WriteField, always, missing_required, read_object, unless_unset,
    write_object,
};
pub use request::{EncodeError, QueryStyle, Request, path_segment};
pub use reqwest::header::HeaderMap;
pub use reqwest::{Method, StatusCode};
pub use response::{
    Response, UnknownValue, decode_bytes, decode_error_json, decode_json, decode_text, decode_unit,
};
pub use retry::{Jitter, RetryPolicy};
pub use stream::ByteStream;
pub use string_enum::StringEnum;
pub use tagged::{serialize_tagged, tag_of};
pub use token::{
    ClientAuth, ClientCredentials, DEFAULT_TOKEN_MARGIN, OAuthErrorCode, Token, TokenError,
    TokenFn, TokenFuture, TokenProvider, token_fn,
};
pub use upload::Upload;
/// `format: uuid` fields are `uuid::Uuid`; re-exported like `chrono`.
pub use uuid;
pub use validate::{
    Number, Rule, Validate, Violation, Violations, check_bound, check_items, check_length,
    check_no_additional, join, report_unknown, report_unknown_value,
};
