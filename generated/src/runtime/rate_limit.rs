//! Client-side rate limiting: at most `requests` per `interval`, with bursts of up
//! to `requests`, as the generic cell rate algorithm (GCRA) paces them.
//!
//! Written here rather than taken from a crate so that it runs on the injected
//! [`Clock`](super::Clock), which makes every wait testable without waiting.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Shared by every clone of a client; each attempt takes one slot.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    /// The spacing of requests at the steady rate: `interval / requests`.
    spacing: Duration,
    /// How far ahead of the steady rate a burst may run: `interval - spacing`.
    burst: Duration,
    /// The theoretical arrival time of the next request.
    next: Mutex<Option<Instant>>,
}

impl RateLimiter {
    /// `requests` per `interval`; `None` when `requests` is zero.
    pub(crate) fn new(requests: u32, interval: Duration) -> Option<Self> {
        if requests == 0 {
            return None;
        }
        let spacing = interval / requests;
        Some(RateLimiter {
            spacing,
            burst: interval.saturating_sub(spacing),
            next: Mutex::new(None),
        })
    }

    /// Takes the next slot and says how long to wait before using it.
    pub(crate) fn reserve(&self, now: Instant) -> Duration {
        // A poisoned lock still holds a valid instant: keep pacing.
        let mut next = self
            .next
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let theoretical = next.map_or(now, |t| t.max(now));
        let allowed_at = theoretical.checked_sub(self.burst).unwrap_or(now);
        *next = Some(theoretical + self.spacing);
        allowed_at.saturating_duration_since(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_steady_rate() {
        let limiter = RateLimiter::new(2, Duration::from_secs(1)).expect("non-zero");
        let t0 = Instant::now();
        let waits: Vec<Duration> = (0..5).map(|_| limiter.reserve(t0)).collect();
        let ms: Vec<u128> = waits.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [0, 0, 500, 1000, 1500]);
    }

    #[test]
    fn idle_time_refills_the_burst() {
        let limiter = RateLimiter::new(2, Duration::from_secs(1)).expect("non-zero");
        let t0 = Instant::now();
        limiter.reserve(t0);
        limiter.reserve(t0);
        let later = t0 + Duration::from_secs(5);
        assert_eq!(limiter.reserve(later), Duration::ZERO);
        assert_eq!(limiter.reserve(later), Duration::ZERO);
        assert_eq!(limiter.reserve(later), Duration::from_millis(500));
    }

    #[test]
    fn zero_requests_is_no_limiter() {
        assert!(RateLimiter::new(0, Duration::from_secs(1)).is_none());
    }
}
