//! Server-sent events (`text/event-stream`): [`EventStream`], what the
//! streaming form of such an operation gives, and
//! [`ClientCore::execute_events`] that opens it.
//!
//! The wire format is read as the WHATWG HTML standard says: lines end in CRLF,
//! LF or CR; `data:` lines are joined with newlines; `event:`, `id:` and
//! `retry:` are kept; comments (`:` lines, the usual keep-alives) and unknown
//! fields are ignored; an event is dispatched at an empty line and one cut off
//! by the end of the body is dropped. Each event's data is decoded as the API
//! description says; one that does not decode is an error item and the stream
//! goes on. An event is at most the client's body limit, and each chunk must
//! arrive within the attempt timeout of the one before (keep-alives count).
//!
//! The stream ends when the body ends (the server closed it cleanly) or at an
//! event whose data is `[DONE]` (the end marker of OpenAI-style APIs). When the
//! connection drops mid-stream instead, the client reconnects only if the
//! server made that possible: it sent an `id:` (the request is sent again with
//! `Last-Event-ID`) or a `retry:` (the server's wait between reconnections).
//! Reconnecting waits the last `retry:` given (unless it is longer than the
//! policy's `max_wait`: then the stream ends with the failure), else the retry
//! policy's backoff; up to the policy's attempts in a row without an event
//! between them.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_core::Stream;

use super::call::Success;
use super::{
    BodyError, ByteStream, ClientCore, DecodeErr, DecodeOk, Error, HeaderMap, Request, Response,
    StatusCode,
};

/// One server-sent event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The event type (`event:`); `message` when the server gave none.
    pub event: String,
    /// The data (`data:` lines joined by newlines), decoded.
    pub data: T,
    /// The last event ID the server gave (`id:`), sent back as
    /// `Last-Event-ID` on reconnection; `None` when none was given or it was reset.
    pub id: Option<String>,
    /// The reconnection time this event set (`retry:`), if it set one.
    pub retry: Option<Duration>,
}

/// An event as read off the wire, its data not yet decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RawEvent {
    event: Option<String>,
    data: String,
    retry: Option<Duration>,
}

/// Reads the event-stream format from chunks.
#[derive(Debug, Default)]
struct Parser {
    /// Bytes of a line not yet ended.
    line: BytesMut,
    /// A CR ended the last chunk: a LF starting the next one belongs to it.
    after_cr: bool,
    /// The first line may start with a byte order mark, which is skipped.
    started: bool,
    event: Option<String>,
    data: String,
    has_data: bool,
    retry: Option<Duration>,
    /// The reconnection time: the last `retry:` given, in any event or none.
    reconnect: Option<Duration>,
    /// The last event ID buffer: it lasts across events and reconnections.
    last_id: Option<String>,
    /// Whether the server gave any `id:` or `retry:`, so allows reconnecting.
    resumable: bool,
    /// Events read, not yet handed out.
    ready: std::collections::VecDeque<(RawEvent, Option<String>)>,
}

impl Parser {
    /// Reads a chunk; an error when a line or event would pass `max` bytes.
    fn feed(&mut self, mut chunk: &[u8], max: usize) -> Result<(), BodyError> {
        if !self.started && !chunk.is_empty() {
            self.line.extend_from_slice(chunk);
            if self.line.len() < 3 && b"\xEF\xBB\xBF".starts_with(&self.line[..]) {
                return Ok(()); // maybe a BOM still arriving
            }
            self.started = true;
            let mut held = std::mem::take(&mut self.line);
            if held.starts_with(b"\xEF\xBB\xBF") {
                let _ = held.split_to(3);
            }
            return self.feed(&held, max);
        }
        if self.after_cr && chunk.first() == Some(&b'\n') {
            chunk = &chunk[1..];
        }
        self.after_cr = false;
        while let Some(end) = chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.line.extend_from_slice(&chunk[..end]);
            let line = std::mem::take(&mut self.line);
            self.line_ended(&line);
            let crlf = chunk[end] == b'\r';
            chunk = &chunk[end + 1..];
            if crlf {
                match chunk.first() {
                    Some(b'\n') => chunk = &chunk[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            if self.data.len() > max {
                return Err(BodyError::TooLarge { limit: max });
            }
        }
        self.line.extend_from_slice(chunk);
        if self.line.len() + self.data.len() > max {
            return Err(BodyError::TooLarge { limit: max });
        }
        Ok(())
    }

    fn line_ended(&mut self, line: &[u8]) {
        if line.is_empty() {
            self.dispatch();
            return;
        }
        if line[0] == b':' {
            return; // a comment: keep-alives
        }
        let line = String::from_utf8_lossy(line);
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (&*line, ""),
        };
        match field {
            "event" => self.event = Some(value.to_string()),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => {
                self.last_id = (!value.is_empty()).then(|| value.to_string());
                self.resumable = true;
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(ms) = value.parse::<u64>() {
                    self.retry = Some(Duration::from_millis(ms));
                    self.reconnect = self.retry;
                    self.resumable = true;
                }
            }
            _ => {}
        }
    }

    fn dispatch(&mut self) {
        let event = self.event.take();
        let retry = self.retry.take();
        if !std::mem::take(&mut self.has_data) {
            self.data.clear();
            return;
        }
        let raw = RawEvent {
            event,
            data: std::mem::take(&mut self.data),
            retry,
        };
        self.ready.push_back((raw, self.last_id.clone()));
    }

    /// A new connection: a line or event cut off by the old one is dropped.
    fn reconnected(&mut self) {
        self.line.clear();
        self.after_cr = false;
        self.started = false;
        self.event = None;
        self.data.clear();
        self.has_data = false;
    }
}

/// A `text/event-stream` response as a `Stream` of typed [`Event`]s. An item
/// is an error when an event's data does not decode (the stream goes on), or
/// when the body failed and could not be resumed (the stream then ends).
pub struct EventStream<T, E: fmt::Debug> {
    events: Events<T, E>,
}

type Events<T, E> = Pin<Box<dyn Stream<Item = Result<Event<T>, Error<E>>> + Send>>;

impl<T, E: fmt::Debug> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
    }
}

impl<T, E: fmt::Debug> Stream for EventStream<T, E> {
    type Item = Result<Event<T>, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.events.as_mut().poll_next(cx)
    }
}

impl<T, E: fmt::Debug> EventStream<T, E> {
    /// The next event; `None` at the end of the stream.
    pub async fn next(&mut self) -> Option<Result<Event<T>, Error<E>>> {
        futures_util::StreamExt::next(self).await
    }
}

/// The state of a stream of events between two items.
struct Reading<T, E> {
    core: ClientCore,
    /// The request as first sent, to send again when reconnecting.
    request: Request,
    decode: DecodeOk<T>,
    err: DecodeErr<E>,
    status: StatusCode,
    headers: HeaderMap,
    body: Option<ByteStream>,
    parser: Parser,
    /// Reconnections since the last event.
    reconnects: u32,
}

impl<T, E: fmt::Debug> Reading<T, E> {
    /// The next item, or `None` at the end.
    async fn next(&mut self) -> Option<Result<Event<T>, Error<E>>> {
        loop {
            if let Some((raw, id)) = self.parser.ready.pop_front() {
                self.reconnects = 0;
                if raw.data == "[DONE]" {
                    self.body = None;
                    self.parser.ready.clear();
                    return None;
                }
                let decoded = (self.decode)(raw.data.as_bytes());
                return Some(match decoded {
                    Ok(data) => Ok(Event {
                        event: raw.event.unwrap_or_else(|| "message".to_string()),
                        data,
                        id,
                        retry: raw.retry,
                    }),
                    Err(source) => Err(Error::Decode {
                        operation: self.request.operation,
                        attempts: self.reconnects + 1,
                        status: self.status,
                        headers: self.headers.clone(),
                        raw: Bytes::from(raw.data),
                        source,
                    }),
                });
            }
            let body = self.body.as_mut()?;
            let failure = match body.next().await {
                Some(Ok(chunk)) => {
                    let max = self.core.settings.max_body_bytes;
                    match self.parser.feed(&chunk, max) {
                        Ok(()) => continue,
                        Err(too_large) => {
                            self.body = None;
                            return Some(Err(self.body_error(too_large)));
                        }
                    }
                }
                // The server ended the body: the end of the stream.
                None => {
                    self.body = None;
                    return None;
                }
                Some(Err(failure)) => failure,
            };
            self.body = None;
            let policy = &self.core.settings.retry;
            if !self.parser.resumable || self.reconnects + 1 >= policy.max_attempts {
                return Some(Err(self.body_error(failure)));
            }
            let wait = self
                .parser
                .reconnect
                .unwrap_or_else(|| policy.backoff_for(self.reconnects));
            // A server asking for a longer wait than the policy allows is not waited for.
            if wait > policy.max_wait {
                return Some(Err(self.body_error(failure)));
            }
            tracing::info!(
                operation = self.request.operation,
                wait_ms = wait.as_millis() as u64,
                error = %failure,
                "event stream dropped; reconnecting"
            );
            self.core.clock.sleep(wait).await;
            self.reconnects += 1;
            if let Err(error) = self.reconnect().await {
                return Some(Err(error));
            }
        }
    }

    /// Sends the request again, with `Last-Event-ID` when an ID was given.
    async fn reconnect(&mut self) -> Result<(), Error<E>> {
        let Some(mut request) = self.request.try_clone() else {
            return Err(no_upload(self.request.operation));
        };
        if let Some(id) = &self.parser.last_id {
            request.headers.push(("Last-Event-ID", id.clone()));
        }
        let response = self
            .core
            .call(request, Success::Open(|r| r), self.err)
            .await?;
        self.status = response.status;
        self.headers = response.headers;
        self.parser.reconnected();
        self.body = Some(ByteStream::new(
            response.body,
            self.core.settings.max_body_bytes,
            self.core.settings.attempt_timeout,
        ));
        Ok(())
    }

    fn body_error(&self, source: BodyError) -> Error<E> {
        Error::Body {
            operation: self.request.operation,
            attempts: self.reconnects + 1,
            status: self.status,
            headers: self.headers.clone(),
            raw: Bytes::new(),
            source,
        }
    }
}

impl ClientCore {
    /// Sends `request` like [`execute`](Self::execute) and reads a 2xx body as
    /// server-sent events, each event's data decoded with `decode`; a
    /// non-success answer is read whole and decoded with `err` as usual.
    pub async fn execute_events<T, E>(
        &self,
        mut request: Request,
        decode: DecodeOk<T>,
        err: DecodeErr<E>,
    ) -> Result<Response<EventStream<T, E>>, Error<E>>
    where
        T: Send + 'static,
        E: fmt::Debug + Send + 'static,
    {
        if let Some(error) = request.refusal() {
            return Err(error);
        }
        let operation = request.operation;
        let again = request.try_clone().ok_or_else(|| no_upload(operation))?;
        let response = self.call(request, Success::Open(|r| r), err).await?;
        let (status, headers) = (response.status, response.headers.clone());
        let reading = Reading {
            core: self.clone(),
            request: again,
            decode,
            err,
            status,
            headers: response.headers.clone(),
            body: Some(ByteStream::new(
                response.body,
                self.settings.max_body_bytes,
                self.settings.attempt_timeout,
            )),
            parser: Parser::default(),
            reconnects: 0,
        };
        let events = futures_util::stream::unfold(reading, |mut reading| async move {
            let item = reading.next().await?;
            Some((item, reading))
        });
        Ok(Response {
            status,
            headers,
            body: EventStream {
                events: Box::pin(events),
            },
        })
    }
}

/// An event stream's request is sent again on reconnection, so it cannot
/// have a body read as it is sent.
fn no_upload<E: fmt::Debug>(operation: &'static str) -> Error<E> {
    Error::Encode {
        operation,
        source: super::EncodeError::Upload(std::io::Error::other(
            "an event stream's request cannot have an upload body",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(chunks: &[&[u8]]) -> Vec<(RawEvent, Option<String>)> {
        let mut parser = Parser::default();
        for chunk in chunks {
            parser.feed(chunk, 1 << 20).expect("within the limit");
        }
        parser.ready.into_iter().collect()
    }

    fn raw(event: Option<&str>, data: &str, retry: Option<u64>) -> RawEvent {
        RawEvent {
            event: event.map(str::to_string),
            data: data.to_string(),
            retry: retry.map(Duration::from_millis),
        }
    }

    #[test]
    fn fields_comments_and_line_ends() {
        let got = events(&[
            b"\xEF\xBB\xBF: keep-alive\r\nevent: add\r\ndata: 1\r\ndata:2\r\n\r\n",
            b"id: 7\rretry: 250\r\rdata\n\ndata: x\nfoo: bar\n\ndata: cut off",
        ]);
        assert_eq!(
            got,
            vec![
                (raw(Some("add"), "1\n2", None), None),
                (raw(None, "", None), Some("7".into())),
                (raw(None, "x", None), Some("7".into())),
            ]
        );
    }

    #[test]
    fn retry_without_data_sets_the_reconnection_time() {
        let mut parser = Parser::default();
        parser.feed(b"retry: 300\n\n", 1024).expect("small");
        assert!(parser.resumable && parser.ready.is_empty());
        parser.feed(b"retry: x\ndata: a\n\n", 1024).expect("small");
        assert_eq!(parser.ready[0].0, raw(None, "a", None));
        assert_eq!(parser.reconnect, Some(Duration::from_millis(300)));
    }

    #[test]
    fn a_crlf_split_between_chunks_is_one_line_end() {
        let got = events(&[b"data: a\r", b"\n\r", b"\ndata: b\n\n"]);
        assert_eq!(
            got,
            vec![(raw(None, "a", None), None), (raw(None, "b", None), None)]
        );
    }

    #[test]
    fn an_event_past_the_limit_is_an_error() {
        let mut parser = Parser::default();
        let error = parser
            .feed(b"data: 0123456789\ndata: 0123456789\n", 16)
            .expect_err("too large");
        assert!(matches!(error, BodyError::TooLarge { limit: 16 }));
        let mut parser = Parser::default();
        assert!(parser.feed(b"data: no line end in sight", 16).is_err());
    }

    #[test]
    fn an_empty_id_resets_it() {
        let got = events(&[b"id: 1\ndata: a\n\nid\ndata: b\n\n"]);
        assert_eq!(got[0].1.as_deref(), Some("1"));
        assert_eq!(got[1].1, None);
    }
}
