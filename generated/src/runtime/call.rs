//! One call: attempts, waits between them, timeouts, the bounded body read and
//! the call's tracing span. A streamed success body is handed over unread
//! ([`Success::Open`]); `stream.rs` and `events.rs` read it.

use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use tracing::Instrument;

use super::retry::server_wait;
use super::{ApiError, BodyError, ClientCore, DecodeError, Error, Request, Response};

/// The most of a body a trace event shows when bodies are logged.
const LOGGED_BODY_BYTES: usize = 4096;

/// Decodes a success body.
pub type DecodeOk<T> = fn(&[u8]) -> Result<T, DecodeError>;
/// Decodes an error body of a status; `None` when it does not parse.
pub type DecodeErr<E> = fn(u16, &[u8]) -> Option<E>;

/// What a 2xx response becomes.
pub(crate) enum Success<T> {
    /// Its body, read whole within the body limit and the attempt's time, decoded.
    Whole(DecodeOk<T>),
    /// The response as it arrived, its body unread (a stream reads it).
    Open(fn(reqwest::Response) -> T),
}

impl<T> Clone for Success<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Success<T> {}

impl ClientCore {
    /// Sends `request` and decodes the answer: a 2xx with `ok`, anything else with
    /// `err`. A request that could not be filled in (a value that does not
    /// encode, a broken rule) ends the call before anything is sent. Retries, waits and timeouts follow the client's settings; the whole
    /// call is one `tracing` span named `api_call`.
    pub async fn execute<T, E: fmt::Debug>(
        &self,
        request: Request,
        ok: DecodeOk<T>,
        err: DecodeErr<E>,
    ) -> Result<Response<T>, Error<E>> {
        self.call(request, Success::Whole(ok), err).await
    }

    /// [`execute`](Self::execute), with a success body read whole or handed over.
    pub(crate) async fn call<T, E: fmt::Debug>(
        &self,
        mut request: Request,
        ok: Success<T>,
        err: DecodeErr<E>,
    ) -> Result<Response<T>, Error<E>> {
        // A request that could not be filled in is not sent.
        if let Some(error) = request.refusal() {
            return Err(error);
        }
        let span = tracing::info_span!(
            "api_call",
            operation = request.operation,
            method = %request.method,
            path = request.path_template,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let started = self.clock.now();
        let result = self
            .attempts(request, ok, err, &span)
            .instrument(span.clone())
            .await;
        let elapsed = self.clock.now().saturating_duration_since(started);
        span.record("elapsed_ms", elapsed.as_millis() as u64);
        if let Err(error) = &result {
            span.in_scope(|| tracing::debug!(%error, "call failed"));
        }
        result
    }

    async fn attempts<T, E: fmt::Debug>(
        &self,
        request: Request,
        ok: Success<T>,
        err: DecodeErr<E>,
        span: &tracing::Span,
    ) -> Result<Response<T>, Error<E>> {
        let operation = request.operation;
        let settings = &*self.settings;
        let policy = &settings.retry;
        let repeatable = request.is_idempotent() || policy.any_method;
        let deadline = settings.timeout.map(|t| (self.clock.now() + t, t));
        if settings.log_bodies {
            if let Some((_, body)) = &request.body {
                tracing::debug!(body = %shown(body), "request body");
            }
        }
        let tokens = self
            .credentials
            .token_source(self.credentials.choose(request.security))
            .cloned();
        let mut renewed = false;
        let (prepared, mut body) = self
            .prepare(request)
            .map_err(|source| Error::Encode { operation, source })?;
        // A body sent from a stream cannot be sent again: no retry at all.
        let replayable = body.as_ref().is_none_or(super::Upload::is_replayable);
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            if let Some(limiter) = &self.limiter {
                while let Err(wait) = limiter.try_acquire(self.clock.now()) {
                    self.wait(wait, deadline, operation, attempt).await?;
                }
            }
            let mut this_try =
                reqwest::Request::new(prepared.method().clone(), prepared.url().clone());
            *this_try.headers_mut() = prepared.headers().clone();
            let token = self
                .authorize(tokens.as_deref(), deadline, &mut this_try)
                .await
                .map_err(|source| Error::Token {
                    operation,
                    attempts: attempt - 1,
                    source,
                })?;
            if let Some(upload) = &mut body {
                let (sent, length) = upload.for_attempt().await.map_err(|e| Error::Encode {
                    operation,
                    source: super::EncodeError::Upload(e),
                })?;
                if let Some(length) = length {
                    this_try
                        .headers_mut()
                        .insert(reqwest::header::CONTENT_LENGTH, length.into());
                }
                *this_try.body_mut() = Some(sent);
            }
            let (limit, overall) = self.attempt_limit(deadline, operation, attempt)?;
            let result = self
                .attempt(this_try, limit, overall, attempt, operation, ok, err)
                .await;
            if let Some(status) = result
                .as_ref()
                .map(|r| r.status)
                .ok()
                .or_else(|| result.as_ref().err().and_then(Error::status))
            {
                span.record("status", status.as_u16());
            }
            let error = match result {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            // A body sent from a stream cannot be sent again: no resend after a
            // 401 and no retry at all.
            if replayable
                && self
                    .renew_refused(
                        tokens.as_deref(),
                        error.is_unauthorized(),
                        token.as_ref(),
                        &mut renewed,
                    )
                    .await
            {
                continue;
            }
            let Some(asked) = self
                .retry_decision(&error, repeatable)
                .filter(|_| replayable)
            else {
                return Err(error);
            };
            if attempt >= policy.max_attempts {
                return Err(error);
            }
            let wait = match asked {
                Some(asked) if asked > policy.max_wait => return Err(error),
                Some(asked) => asked,
                None => policy.backoff_for(attempt - 1),
            };
            if let Some((at, _)) = deadline {
                if self.clock.now() + wait >= at {
                    return Err(error);
                }
            }
            tracing::info!(
                attempt,
                wait_ms = wait.as_millis() as u64,
                %error,
                "retrying"
            );
            self.clock.sleep(wait).await;
        }
    }

    /// Waits for the rate limiter, unless that would pass the overall deadline.
    async fn wait<E: fmt::Debug>(
        &self,
        wait: Duration,
        deadline: Option<(Instant, Duration)>,
        operation: &'static str,
        attempts: u32,
    ) -> Result<(), Error<E>> {
        if let Some((at, total)) = deadline {
            if self.clock.now() + wait > at {
                return Err(Error::Timeout {
                    operation,
                    attempts,
                    after: total,
                    overall: true,
                });
            }
        }
        tracing::debug!(wait_ms = wait.as_millis() as u64, "rate limit");
        self.clock.sleep(wait).await;
        Ok(())
    }

    /// The time this attempt may take, and whether it is the overall deadline's.
    fn attempt_limit<E: fmt::Debug>(
        &self,
        deadline: Option<(Instant, Duration)>,
        operation: &'static str,
        attempts: u32,
    ) -> Result<(Option<Duration>, bool), Error<E>> {
        let own = self.settings.attempt_timeout;
        let Some((at, total)) = deadline else {
            return Ok((own, false));
        };
        let left = at.saturating_duration_since(self.clock.now());
        if left.is_zero() {
            return Err(Error::Timeout {
                operation,
                attempts,
                after: total,
                overall: true,
            });
        }
        Ok(match own {
            Some(own) if own <= left => (Some(own), false),
            _ => (Some(left), true),
        })
    }

    /// `None`: not retried. `Some(wait)`: retried, after the server's wait if it
    /// asked for one.
    fn retry_decision<E: fmt::Debug>(
        &self,
        error: &Error<E>,
        repeatable: bool,
    ) -> Option<Option<Duration>> {
        let policy = &self.settings.retry;
        let retried = match error {
            Error::Api { error, .. } => {
                return (repeatable && policy.retries_status(error.status))
                    .then(|| server_wait(error.status, &error.headers, self.clock.wall()));
            }
            // Connecting failed: the request never reached the server.
            Error::Transport { source, .. } if source.is_connect() => policy.connect_errors,
            Error::Transport { source, .. } if source.is_timeout() => repeatable && policy.timeouts,
            Error::Transport { .. } => repeatable && policy.interrupted,
            Error::Timeout { overall, .. } => !overall && repeatable && policy.timeouts,
            Error::Body { source, .. } => match source {
                BodyError::Interrupted(_) => repeatable && policy.interrupted,
                BodyError::TimedOut { .. } => repeatable && policy.timeouts,
                BodyError::TooLarge { .. } => false,
            },
            Error::Decode { .. }
            | Error::Invalid { .. }
            | Error::Encode { .. }
            | Error::Token { .. } => false,
        };
        retried.then_some(None)
    }

    /// One attempt: send, read the body within `limit`, decode (a success
    /// body handed over unread for [`Success::Open`]).
    #[allow(clippy::too_many_arguments)]
    async fn attempt<T, E: fmt::Debug>(
        &self,
        request: reqwest::Request,
        limit: Option<Duration>,
        overall: bool,
        attempts: u32,
        operation: &'static str,
        ok: Success<T>,
        err: DecodeErr<E>,
    ) -> Result<Response<T>, Error<E>> {
        let until = limit.map(|l| tokio::time::Instant::now() + l);
        let timed_out = || Error::Timeout {
            operation,
            attempts,
            after: limit.unwrap_or_default(),
            overall,
        };
        let mut response = within(until, self.http.execute(request))
            .await
            .ok_or_else(timed_out)?
            .map_err(|source| Error::Transport {
                operation,
                attempts,
                source: self.redact(source),
            })?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let ok = match ok {
            Success::Open(open) if status.is_success() => {
                return Ok(Response {
                    status,
                    headers,
                    body: open(response),
                });
            }
            // Not a success: the error body is read whole, as for any call.
            Success::Open(_) => None,
            Success::Whole(ok) => Some(ok),
        };
        let mut buffer = BytesMut::new();
        let max = self.settings.max_body_bytes;
        let read = within(until, read_body(&mut response, &mut buffer, max))
            .await
            .unwrap_or(Err(BodyError::TimedOut {
                after: limit.unwrap_or_default(),
            }));
        let raw = buffer.freeze();
        if let Err(mut source) = read {
            if let BodyError::Interrupted(e) = source {
                source = BodyError::Interrupted(self.redact(e));
            }
            return Err(Error::Body {
                operation,
                attempts,
                status,
                headers,
                raw,
                source,
            });
        }
        if self.settings.log_bodies {
            tracing::debug!(status = status.as_u16(), body = %shown(&raw), "response body");
        }
        if let (true, Some(ok)) = (status.is_success(), ok) {
            match ok(&raw) {
                Ok(body) => Ok(Response {
                    status,
                    headers,
                    body,
                }),
                Err(source) => Err(Error::Decode {
                    operation,
                    attempts,
                    status,
                    headers,
                    raw,
                    source,
                }),
            }
        } else {
            let body = if raw.is_empty() {
                None
            } else {
                err(status.as_u16(), &raw)
            };
            Err(Error::Api {
                operation,
                attempts,
                error: ApiError {
                    status,
                    headers,
                    body,
                    raw,
                },
            })
        }
    }
}

impl ClientCore {
    /// The error with an API key sent in the query replaced by `[redacted]` in
    /// its URL, so that showing the error never shows the key.
    fn redact(&self, mut error: reqwest::Error) -> reqwest::Error {
        let Some(key) = &self.credentials.api_key else {
            return error;
        };
        if let Some(url) = error.url_mut() {
            if url.query_pairs().any(|(_, v)| v == key.expose()) {
                let pairs: Vec<(String, String)> = url
                    .query_pairs()
                    .map(|(k, v)| {
                        let v = if v == key.expose() {
                            "[redacted]".into()
                        } else {
                            v.into_owned()
                        };
                        (k.into_owned(), v)
                    })
                    .collect();
                url.query_pairs_mut().clear().extend_pairs(pairs);
            }
        }
        error
    }
}

/// Runs `future` until `until`; `None` when time ran out first.
pub(crate) async fn within<F: Future>(
    until: Option<tokio::time::Instant>,
    future: F,
) -> Option<F::Output> {
    match until {
        Some(until) => tokio::time::timeout_at(until, future).await.ok(),
        None => Some(future.await),
    }
}

/// Reads the body into `buffer`, at most `max` bytes. What arrived stays in
/// `buffer` whatever happens, a timeout included.
async fn read_body(
    response: &mut reqwest::Response,
    buffer: &mut BytesMut,
    max: usize,
) -> Result<(), BodyError> {
    let too_large = BodyError::TooLarge { limit: max };
    if response
        .content_length()
        .is_some_and(|length| length > max as u64)
    {
        return Err(too_large);
    }
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Interrupted)? {
        let room = max - buffer.len();
        if chunk.len() > room {
            buffer.extend_from_slice(&chunk[..room]);
            return Err(too_large);
        }
        buffer.extend_from_slice(&chunk);
    }
    Ok(())
}

/// A body for a trace event: text, cut at [`LOGGED_BODY_BYTES`].
fn shown(body: &[u8]) -> String {
    let cut = &body[..body.len().min(LOGGED_BODY_BYTES)];
    let mut text = String::from_utf8_lossy(cut).into_owned();
    if body.len() > cut.len() {
        text.push_str(&format!("… ({} bytes in all)", body.len()));
    }
    text
}
