//! `multipart/form-data` bodies, and the bytes of a file (`format: binary`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::EncodeError;

/// The bytes of a file: a `format: binary` string. In a multipart body it is a
/// file part of its own, sent byte for byte; in JSON it travels as text (invalid
/// UTF-8 replaced).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Binary(pub bytes::Bytes);

impl Binary {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Binary({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary(bytes.into())
    }
}

impl From<&'static [u8]> for Binary {
    fn from(bytes: &'static [u8]) -> Self {
        Binary(bytes::Bytes::from_static(bytes))
    }
}

impl From<bytes::Bytes> for Binary {
    fn from(bytes: bytes::Bytes) -> Self {
        Binary(bytes)
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Binary(text.into_bytes().into())
    }
}

impl From<&str> for Binary {
    fn from(text: &str) -> Self {
        Binary(bytes::Bytes::copy_from_slice(text.as_bytes()))
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.0))
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Binary::from)
    }
}

/// A multipart body being built (`multipart/form-data`, or another multipart
/// media type such as `multipart/related`): one part per field, named after it;
/// files as they are, objects as `application/json`, other values as text
/// (strings as written, numbers and booleans as JSON).
#[derive(Debug)]
pub struct Multipart {
    media: String,
    boundary: String,
    body: Vec<u8>,
    /// The first part that could not be encoded.
    failed: Option<EncodeError>,
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

impl Multipart {
    /// An empty `multipart/form-data` body with a random boundary.
    pub fn new() -> Self {
        Self::of("multipart/form-data")
    }

    /// An empty body of the multipart media type `media` (`multipart/related`).
    pub fn of(media: &str) -> Self {
        Multipart {
            media: media.to_string(),
            boundary: format!(
                "vendor-clients-{:016x}{:016x}",
                fastrand::u64(..),
                fastrand::u64(..)
            ),
            body: Vec::new(),
            failed: None,
        }
    }

    /// A field's value as text parts: nothing for `null` or an unset field, a part
    /// per item for an array. A value that does not serialize is kept as the
    /// body's error (see [`finish`](Self::finish)).
    pub fn text(&mut self, name: &str, value: &impl Serialize) -> &mut Self {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => {}
            Ok(serde_json::Value::Array(items)) => {
                for item in items {
                    self.text_part(name, &item);
                }
            }
            Ok(other) => self.text_part(name, &other),
            Err(e) => {
                self.failed.get_or_insert(EncodeError::Json(e));
            }
        }
        self
    }

    fn text_part(&mut self, name: &str, value: &serde_json::Value) {
        let (text, json) = match value {
            serde_json::Value::Null => return,
            serde_json::Value::String(s) => (s.clone(), false),
            serde_json::Value::Object(_) => (value.to_string(), true),
            other => (other.to_string(), false),
        };
        let content_type = json.then_some("application/json");
        self.part(name, None, content_type, text.as_bytes());
    }

    /// A file part named `name`; nothing when there is no file.
    pub fn file(&mut self, name: &str, file: Option<&Binary>) {
        if let Some(file) = file {
            self.part(name, Some(name), Some("application/octet-stream"), &file.0);
        }
    }

    fn part(
        &mut self,
        name: &str,
        filename: Option<&str>,
        content_type: Option<&str>,
        bytes: &[u8],
    ) {
        let quoted = |s: &str| s.replace('"', "%22").replace(['\r', '\n'], " ");
        self.body
            .extend_from_slice(format!("--{}\r\n", self.boundary).as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", quoted(name));
        if let Some(filename) = filename {
            disposition.push_str(&format!("; filename=\"{}\"", quoted(filename)));
        }
        if let Some(content_type) = content_type {
            disposition.push_str(&format!("\r\nContent-Type: {content_type}"));
        }
        self.body.extend_from_slice(disposition.as_bytes());
        self.body.extend_from_slice(b"\r\n\r\n");
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
    }

    /// The `Content-Type` (with the boundary) and the bytes, or the first part
    /// that could not be encoded.
    pub fn finish(mut self) -> Result<(String, Vec<u8>), EncodeError> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        self.body
            .extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        Ok((
            format!("{}; boundary={}", self.media, self.boundary),
            self.body,
        ))
    }
}
