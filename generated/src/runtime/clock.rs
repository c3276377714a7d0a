//! Time, as the runtime sees it: a clock paces retries and rate limits, so a test
//! can inject one and check every wait without waiting.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant, SystemTime};

/// A source of time for retry waits, rate limits and deadlines.
///
/// The default, [`TokioClock`], reads tokio's clock (so `tokio::time::pause` works
/// with it) and sleeps with tokio's timer. Per-attempt timeouts always run on
/// tokio's timer.
pub trait Clock: fmt::Debug + Send + Sync + 'static {
    /// Now, for measuring waits and deadlines.
    fn now(&self) -> Instant;
    /// The wall-clock time, for `Retry-After` dates and epoch reset times.
    fn wall(&self) -> SystemTime;
    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// The default clock: tokio's.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioClock;

impl Clock for TokioClock {
    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }

    fn wall(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}
