//! Client-side rate limiting: at most `requests` calls start within any window
//! of `interval`, retries and clones included. A burst of up to `requests` may
//! start at once; the next waits until the oldest of them is `interval` old.
//!
//! A sliding-window log: the start times of the last `requests` calls. A call
//! takes a slot only at the moment it may start (never a slot reserved ahead),
//! so a caller that wakes late cannot bunch up with the ones after it.
//! Written here rather than taken from a crate so that it runs on the injected
//! [`Clock`](super::Clock), which makes every wait testable without waiting.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Shared by every clone of a client; each attempt takes one slot.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    requests: usize,
    interval: Duration,
    /// When the most recent calls started, oldest first; at most `requests`.
    starts: Mutex<VecDeque<Instant>>,
}

impl RateLimiter {
    /// `requests` per `interval`; `None` when `requests` is zero.
    pub(crate) fn new(requests: u32, interval: Duration) -> Option<Self> {
        let requests = usize::try_from(requests).ok().filter(|r| *r > 0)?;
        Some(RateLimiter {
            requests,
            interval,
            starts: Mutex::new(VecDeque::new()),
        })
    }

    /// Takes a slot starting `now` when one is free; otherwise says how long
    /// until one may be (ask again then: another caller may take it first).
    pub(crate) fn try_acquire(&self, now: Instant) -> Result<(), Duration> {
        // A poisoned lock still holds valid instants: keep limiting.
        let mut starts = self
            .starts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        while starts.len() >= self.requests {
            match starts.front() {
                // A start `interval` ago or earlier is outside every window
                // that contains `now`.
                Some(oldest) if *oldest + self.interval <= now => {
                    starts.pop_front();
                }
                _ => break,
            }
        }
        if starts.len() < self.requests {
            starts.push_back(now);
            return Ok(());
        }
        let oldest = starts.front().copied().unwrap_or(now);
        Err((oldest + self.interval).saturating_duration_since(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Grants in order of asking, each caller asking again after the wait it
    /// was told; returns when each call started.
    fn run(limiter: &RateLimiter, t0: Instant, mut asks: Vec<Duration>) -> Vec<Duration> {
        let mut started = Vec::new();
        // Always serve the earliest pending ask next, as time would.
        while !asks.is_empty() {
            let (i, _) = asks
                .iter()
                .enumerate()
                .min_by_key(|(_, at)| **at)
                .expect("not empty");
            let at = asks[i];
            match limiter.try_acquire(t0 + at) {
                Ok(()) => {
                    started.push(at);
                    asks.swap_remove(i);
                }
                Err(wait) => {
                    assert!(!wait.is_zero(), "a refusal names a wait");
                    asks[i] = at + wait;
                }
            }
        }
        started
    }

    /// The most calls that started within any window of `interval`.
    fn busiest_window(started: &[Duration], interval: Duration) -> usize {
        let mut sorted = started.to_vec();
        sorted.sort();
        (0..sorted.len())
            .map(|i| {
                sorted[i..]
                    .iter()
                    .take_while(|t| **t < sorted[i] + interval)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn a_burst_then_one_window_later() {
        let limiter = RateLimiter::new(5, Duration::from_secs(1)).expect("non-zero");
        let started = run(&limiter, Instant::now(), vec![Duration::ZERO; 10]);
        let ms: Vec<u128> = started.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [0, 0, 0, 0, 0, 1000, 1000, 1000, 1000, 1000]);
    }

    #[test]
    fn idle_time_frees_the_window() {
        let limiter = RateLimiter::new(2, Duration::from_secs(1)).expect("non-zero");
        let t0 = Instant::now();
        assert_eq!(limiter.try_acquire(t0), Ok(()));
        assert_eq!(limiter.try_acquire(t0 + Duration::from_millis(400)), Ok(()));
        assert_eq!(
            limiter.try_acquire(t0 + Duration::from_millis(700)),
            Err(Duration::from_millis(300))
        );
        assert_eq!(limiter.try_acquire(t0 + Duration::from_secs(1)), Ok(()));
        assert_eq!(
            limiter.try_acquire(t0 + Duration::from_secs(1)),
            Err(Duration::from_millis(400))
        );
    }

    /// Over many random schedules (calls arriving alone, in bursts, while
    /// others wait), no window of `interval` ever holds more than `requests`
    /// starts, and no call waits once a slot is free for it.
    #[test]
    fn never_more_than_requests_in_any_window() {
        let mut rng = fastrand::Rng::with_seed(0x5eed);
        let mut schedules = 0;
        for _ in 0..500 {
            let requests = rng.u32(1..=8);
            let interval = Duration::from_millis(rng.u64(1..=2_000));
            let limiter = RateLimiter::new(requests, interval).expect("non-zero");
            let calls = rng.usize(1..=60);
            let mut at = Duration::ZERO;
            let asks: Vec<Duration> = (0..calls)
                .map(|_| {
                    // Bursts (no gap), short gaps and idle stretches.
                    at += match rng.u8(0..3) {
                        0 => Duration::ZERO,
                        1 => Duration::from_millis(rng.u64(0..interval.as_millis() as u64)),
                        _ => interval * rng.u32(1..3),
                    };
                    at
                })
                .collect();
            let started = run(&limiter, Instant::now(), asks.clone());
            assert_eq!(started.len(), calls, "every call starts");
            let busiest = busiest_window(&started, interval);
            assert!(
                busiest <= requests as usize,
                "{busiest} starts within {interval:?}, limit {requests}"
            );
            schedules += 1;
        }
        assert_eq!(schedules, 500);
    }

    #[test]
    fn zero_requests_is_no_limiter() {
        assert!(RateLimiter::new(0, Duration::from_secs(1)).is_none());
    }
}
