//! When a failed call is tried again, and after how long.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// How the wait before a retry is spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jitter {
    /// A random wait between zero and the backoff ("full jitter"): many clients
    /// retrying together do not arrive together.
    Full,
    /// Exactly the backoff: `base`, `2 × base`, `4 × base`… up to the cap.
    None,
}

/// Which failures are tried again, how often, and after how long. Set one per
/// client with `ClientBuilder::retry`, and per call with the client's `with_retry`.
///
/// By default a call is tried up to 4 times, on 408, 429, 503 and 504, on
/// connection failures and on timeouts, with exponential backoff from 200 ms capped
/// at 20 s and full jitter. A server's `Retry-After` (seconds or an HTTP-date),
/// and on 429 its `X-RateLimit-Reset` / `RateLimit-Reset`, replaces the backoff;
/// a server asking for more than [`max_wait`](Self::max_wait) (60 s) is not waited
/// for.
///
/// Only operations safe to repeat are retried after the request may have reached
/// the server: GET, HEAD, OPTIONS, PUT, PATCH, DELETE and operations the API
/// description marks idempotent. Other operations are retried only when the
/// connection was never made, unless [`any_method`](Self::any_method) says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) statuses: Vec<u16>,
    pub(crate) connect_errors: bool,
    pub(crate) timeouts: bool,
    pub(crate) interrupted: bool,
    pub(crate) base: Duration,
    pub(crate) cap: Duration,
    pub(crate) jitter: Jitter,
    pub(crate) max_wait: Duration,
    pub(crate) any_method: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            statuses: vec![408, 429, 503, 504],
            connect_errors: true,
            timeouts: true,
            interrupted: true,
            base: Duration::from_millis(200),
            cap: Duration::from_secs(20),
            jitter: Jitter::Full,
            max_wait: Duration::from_secs(60),
            any_method: false,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Attempts in all, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The statuses that are tried again.
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = u16>) -> Self {
        self.statuses = statuses.into_iter().collect();
        self
    }

    /// Whether a connection that could not be made (refused, reset while
    /// connecting, DNS, TLS) is tried again.
    pub fn retry_connect_errors(mut self, yes: bool) -> Self {
        self.connect_errors = yes;
        self
    }

    /// Whether an attempt that timed out is tried again.
    pub fn retry_timeouts(mut self, yes: bool) -> Self {
        self.timeouts = yes;
        self
    }

    /// Whether a connection lost after the request was sent (reset, closed
    /// mid-body) is tried again.
    pub fn retry_interrupted(mut self, yes: bool) -> Self {
        self.interrupted = yes;
        self
    }

    /// Exponential backoff: the wait before retry `n` (from 0) is up to
    /// `base × 2ⁿ`, never more than `cap`.
    pub fn backoff(mut self, base: Duration, cap: Duration) -> Self {
        self.base = base;
        self.cap = cap;
        self
    }

    /// How the backoff is spread; [`Jitter::Full`] by default.
    pub fn jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// The longest wait a server may ask for (`Retry-After`, rate-limit reset);
    /// asked for more, the call fails at once with the server's answer.
    pub fn max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// Treats every operation as safe to repeat, whatever its method.
    pub fn any_method(mut self, yes: bool) -> Self {
        self.any_method = yes;
        self
    }

    /// The backoff before retry `retry` (0 for the first retry).
    pub(crate) fn backoff_for(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        let ceiling = self.base.saturating_mul(factor).min(self.cap);
        match self.jitter {
            Jitter::None => ceiling,
            Jitter::Full => {
                let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
                Duration::from_nanos(fastrand::u64(0..=nanos))
            }
        }
    }

    pub(crate) fn retries_status(&self, status: StatusCode) -> bool {
        self.statuses.contains(&status.as_u16())
    }
}

/// How long the server asked the client to wait: `Retry-After` on any status,
/// and on 429 the rate-limit reset headers.
pub(crate) fn server_wait(
    status: StatusCode,
    headers: &HeaderMap,
    now: SystemTime,
) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(wait) = text("retry-after").and_then(|v| parse_retry_after(v, now)) {
        return Some(wait);
    }
    if status != StatusCode::TOO_MANY_REQUESTS {
        return None;
    }
    text("x-ratelimit-reset")
        .and_then(|v| parse_reset(v, now))
        .or_else(|| text("ratelimit-reset").and_then(|v| parse_reset(v, now)))
}

/// `Retry-After: <delta-seconds>` or `Retry-After: <HTTP-date>` (RFC 9110 §10.2.3).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A rate-limit reset: seconds to wait, or a Unix timestamp in seconds or
/// milliseconds, told apart by magnitude (no delay is 30 years long).
pub(crate) fn parse_reset(value: &str, now: SystemTime) -> Option<Duration> {
    const EPOCH_SECONDS: f64 = 1.0e9; // 2001-09-09
    const EPOCH_MILLIS: f64 = 1.0e12;
    let number: f64 = value.trim().parse().ok()?;
    if !number.is_finite() || number < 0.0 {
        return None;
    }
    let at = |seconds: f64| {
        let instant = SystemTime::UNIX_EPOCH + Duration::from_secs_f64(seconds);
        instant.duration_since(now).unwrap_or(Duration::ZERO)
    };
    Some(if number >= EPOCH_MILLIS {
        at(number / 1000.0)
    } else if number >= EPOCH_SECONDS {
        at(number)
    } else {
        Duration::from_secs_f64(number)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let now = at(1_700_000_000); // 2023-11-14T22:13:20Z
        assert_eq!(parse_retry_after("2", now), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after("Tue, 14 Nov 2023 22:13:22 GMT", now),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    #[test]
    fn reset_is_seconds_or_an_epoch_timestamp() {
        let now = at(1_700_000_000);
        assert_eq!(parse_reset("30", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_reset("1700000005", now), Some(Duration::from_secs(5)));
        assert_eq!(
            parse_reset("1700000003000", now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(parse_reset("1699999999", now), Some(Duration::ZERO));
        assert_eq!(parse_reset("later", now), None);
    }

    #[test]
    fn reset_headers_count_only_on_429() {
        let now = at(1_700_000_000);
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-reset", "1700000007".parse().expect("ascii"));
        assert_eq!(
            server_wait(StatusCode::TOO_MANY_REQUESTS, &headers, now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            server_wait(StatusCode::SERVICE_UNAVAILABLE, &headers, now),
            None
        );
        headers.insert("retry-after", "1".parse().expect("ascii"));
        assert_eq!(
            server_wait(StatusCode::SERVICE_UNAVAILABLE, &headers, now),
            Some(Duration::from_secs(1))
        );
    }

    #[test]
    fn backoff_grows_to_the_cap() {
        let policy = RetryPolicy::default()
            .backoff(Duration::from_millis(100), Duration::from_millis(500))
            .jitter(Jitter::None);
        let waits: Vec<u128> = (0..5).map(|n| policy.backoff_for(n).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 500, 500]);
        assert_eq!(policy.backoff_for(200), Duration::from_millis(500));
    }

    #[test]
    fn full_jitter_stays_under_the_backoff() {
        let policy =
            RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_secs(1));
        for n in 0..6 {
            let ceiling = Duration::from_millis(100 * (1 << n)).min(Duration::from_secs(1));
            for _ in 0..50 {
                assert!(policy.backoff_for(n) <= ceiling);
            }
        }
    }
}
