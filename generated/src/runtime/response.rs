//! What a successful call gives back. [`Response`] is the decoded body with its
//! status and headers; the `decode_*` functions are the decoders generated
//! methods pass to [`ClientCore::execute`](super::ClientCore::execute) for each
//! kind of body; [`UnknownValue`] keeps an enum value the spec did not list, as a
//! response carried it.

use std::fmt;

use serde::de::DeserializeOwned;

use super::{DecodeError, HeaderMap, StatusCode};

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
pub fn decode_unit(_bytes: &[u8]) -> Result<(), DecodeError> {
    Ok(())
}

/// A success body decoder: the text as received (invalid UTF-8 replaced).
pub fn decode_text(bytes: &[u8]) -> Result<String, DecodeError> {
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

/// A success body decoder: the bytes as received.
pub fn decode_bytes(bytes: &[u8]) -> Result<bytes::Bytes, DecodeError> {
    Ok(bytes::Bytes::copy_from_slice(bytes))
}

/// A success body decoder: JSON into `T`. A body that decodes costs one
/// `serde_json` pass; one that does not is described by [`DecodeError::new`].
pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    serde_json::from_slice(bytes).map_err(|error| DecodeError::new::<T>(bytes, error))
}

/// An error body decoder: JSON into `E` whatever the status; `None` when it does not parse.
pub fn decode_error_json<E: DeserializeOwned>(_status: u16, bytes: &[u8]) -> Option<E> {
    serde_json::from_slice(bytes).ok()
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
