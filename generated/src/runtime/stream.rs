//! A success body read as it arrives: [`ByteStream`], what the streaming form
//! of an operation with a binary or text response gives, and
//! [`ClientCore::execute_stream`] that opens it.
//!
//! Limits apply per chunk, not to the whole: no chunk handed out is longer than
//! the client's body limit (a longer one is cut into pieces), and each chunk must
//! arrive within the attempt timeout of the one before it. The call's overall
//! timeout and retries cover the request up to the response headers; once the
//! body has started, a failure is an error of the stream and nothing is retried.

use std::fmt;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;

use super::call::{Success, within};
use super::{BodyError, ClientCore, DecodeErr, Error, Request, Response};

type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, BodyError>> + Send>>;

/// A response body as it arrives: a `Stream` of chunks of at most the client's
/// body limit, or an `AsyncRead` with [`into_reader`](Self::into_reader).
pub struct ByteStream {
    chunks: Chunks,
    length: Option<u64>,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("length", &self.length)
            .finish_non_exhaustive()
    }
}

struct Reading {
    response: Option<reqwest::Response>,
    pending: Bytes,
    max: usize,
    idle: Option<Duration>,
}

impl ByteStream {
    /// Reads `response`'s body in chunks of at most `max` bytes, each within
    /// `idle` of the one before.
    pub(crate) fn new(response: reqwest::Response, max: usize, idle: Option<Duration>) -> Self {
        let length = response.content_length();
        let reading = Reading {
            response: Some(response),
            pending: Bytes::new(),
            max: max.max(1),
            idle,
        };
        let chunks = futures_util::stream::unfold(reading, |mut reading| async move {
            if reading.pending.is_empty() {
                let response = reading.response.as_mut()?;
                let until = reading.idle.map(|idle| tokio::time::Instant::now() + idle);
                match within(until, response.chunk()).await {
                    Some(Ok(Some(chunk))) => reading.pending = chunk,
                    Some(Ok(None)) => return None,
                    Some(Err(error)) => {
                        reading.response = None;
                        // The URL may carry an API key; the stream's errors never show it.
                        return Some((Err(BodyError::Interrupted(error.without_url())), reading));
                    }
                    None => {
                        reading.response = None;
                        let after = reading.idle.unwrap_or_default();
                        return Some((Err(BodyError::TimedOut { after }), reading));
                    }
                }
            }
            let cut = reading.pending.len().min(reading.max);
            let piece = reading.pending.split_to(cut);
            Some((Ok(piece), reading))
        });
        ByteStream {
            chunks: Box::pin(chunks),
            length,
        }
    }

    /// The body's length, when the server said it (`Content-Length`).
    pub fn content_length(&self) -> Option<u64> {
        self.length
    }

    /// The next chunk; `None` at the end of the body.
    pub async fn next(&mut self) -> Option<Result<Bytes, BodyError>> {
        futures_util::StreamExt::next(self).await
    }

    /// Writes the whole body to `writer` (a file, say) as it arrives; the bytes
    /// written.
    pub async fn write_to<W>(mut self, writer: &mut W) -> io::Result<u64>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        use tokio::io::AsyncWriteExt;
        let mut written = 0;
        while let Some(chunk) = self.next().await {
            let chunk = chunk.map_err(io::Error::other)?;
            writer.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        writer.flush().await?;
        Ok(written)
    }

    /// The body as an `AsyncRead`; a failure of the stream is an `io::Error`
    /// holding the [`BodyError`].
    pub fn into_reader(self) -> impl tokio::io::AsyncRead + Send + Unpin {
        tokio_util::io::StreamReader::new(futures_util::TryStreamExt::map_err(
            self,
            io::Error::other,
        ))
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

impl ClientCore {
    /// Sends `request` like [`execute`](Self::execute), but hands a 2xx body
    /// over unread as a [`ByteStream`]; a non-success answer is read whole and
    /// decoded with `err` as usual.
    pub async fn execute_stream<E: fmt::Debug>(
        &self,
        request: Request,
        err: DecodeErr<E>,
    ) -> Result<Response<ByteStream>, Error<E>> {
        let response = self.call(request, Success::Open(|r| r), err).await?;
        Ok(Response {
            status: response.status,
            headers: response.headers,
            body: ByteStream::new(
                response.body,
                self.settings.max_body_bytes,
                self.settings.attempt_timeout,
            ),
        })
    }
}
