//! A request body that need not be in memory: bytes, a file, or a stream of
//! chunks, with its length when it is known. [`Upload`] is what the streaming
//! form of an operation with a binary body takes; the client sends it
//! `Content-Length` when the length is known and chunked otherwise.
//!
//! Retries send the body again, so only a body that can be produced again is
//! retried: bytes (shared, not copied) and a file (opened anew for each
//! attempt). A stream is sent once; a call with one is never retried.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use bytes::Bytes;

/// A request body for an upload: bytes, a file or a stream.
pub struct Upload {
    source: Source,
    length: Option<u64>,
}

enum Source {
    Bytes(Bytes),
    /// The file opened for the first attempt, and its path to open it again.
    File {
        path: PathBuf,
        opened: Option<tokio::fs::File>,
    },
    /// A body that can be sent only once; `None` once it was.
    Once(Option<reqwest::Body>),
}

impl Upload {
    /// Bytes in memory; their length is known and the call can be retried.
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        Upload {
            length: Some(bytes.len() as u64),
            source: Source::Bytes(bytes),
        }
    }

    /// The file at `path`, read as it is sent; its length is its size now. The
    /// call can be retried: each attempt opens the file again.
    pub async fn file(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let file = tokio::fs::File::open(&path).await?;
        let length = file.metadata().await?.len();
        Ok(Upload {
            source: Source::File {
                path,
                opened: Some(file),
            },
            length: Some(length),
        })
    }

    /// A stream of chunks, sent once (the call is not retried). Give `length`
    /// when it is known: the server is then told it (`Content-Length`), and a
    /// stream that ends early or runs long is an error; `None` sends the body
    /// chunked.
    pub fn stream<S>(stream: S, length: Option<u64>) -> Self
    where
        S: futures_core::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        Bytes: From<S::Ok>,
    {
        Upload {
            source: Source::Once(Some(reqwest::Body::wrap_stream(stream))),
            length,
        }
    }

    /// Whatever `reader` reads, sent once as it is read (the call is not
    /// retried); `length` as for [`stream`](Self::stream).
    pub fn reader(reader: impl tokio::io::AsyncRead + Send + 'static, length: Option<u64>) -> Self {
        Self::stream(tokio_util::io::ReaderStream::new(reader), length)
    }

    /// The length sent as `Content-Length`, when it is known.
    pub fn length(&self) -> Option<u64> {
        self.length
    }

    /// Whether the body can be sent again, so that a failed call can be retried.
    pub fn is_replayable(&self) -> bool {
        !matches!(self.source, Source::Once(_))
    }

    /// The body for one attempt, and its length when known. A file is opened
    /// again after its first attempt; a stream can be taken once.
    pub(crate) async fn for_attempt(&mut self) -> io::Result<(reqwest::Body, Option<u64>)> {
        let body = match &mut self.source {
            Source::Bytes(bytes) => reqwest::Body::from(bytes.clone()),
            Source::File { path, opened } => {
                let file = match opened.take() {
                    Some(file) => file,
                    None => {
                        let file = tokio::fs::File::open(&*path).await?;
                        self.length = Some(file.metadata().await?.len());
                        file
                    }
                };
                reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(file))
            }
            Source::Once(body) => body.take().ok_or_else(|| {
                io::Error::other("a stream body can be sent once; it was already sent")
            })?,
        };
        Ok((body, self.length))
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Bytes(_) => "bytes".to_string(),
            Source::File { path, .. } => format!("file {}", path.display()),
            Source::Once(_) => "stream".to_string(),
        };
        f.debug_struct("Upload")
            .field("source", &source)
            .field("length", &self.length)
            .finish()
    }
}

impl From<Bytes> for Upload {
    fn from(bytes: Bytes) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<&'static [u8]> for Upload {
    fn from(bytes: &'static [u8]) -> Self {
        Upload::bytes(Bytes::from_static(bytes))
    }
}

impl From<String> for Upload {
    fn from(text: String) -> Self {
        Upload::bytes(text)
    }
}

impl From<&'static str> for Upload {
    fn from(text: &'static str) -> Self {
        Upload::bytes(Bytes::from_static(text.as_bytes()))
    }
}

/// A `reqwest::Body`: replayable with its length when it holds bytes, else a
/// stream of unknown length sent once.
impl From<reqwest::Body> for Upload {
    fn from(body: reqwest::Body) -> Self {
        match body.as_bytes() {
            Some(bytes) => Upload::bytes(Bytes::copy_from_slice(bytes)),
            None => Upload {
                source: Source::Once(Some(body)),
                length: None,
            },
        }
    }
}
