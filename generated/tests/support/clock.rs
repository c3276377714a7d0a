//! A clock for tests: its sleeps return at once and are recorded.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use vendor_clients::runtime::Clock;

use super::server::{Reply, Seen, Server};

/// A clock whose sleeps return at once, moving its time forward by the sleep.
#[derive(Debug)]
pub struct FakeClock {
    start: Instant,
    wall_start: SystemTime,
    elapsed: Mutex<Duration>,
    sleeps: Mutex<Vec<Duration>>,
}

impl FakeClock {
    pub fn new() -> Arc<Self> {
        Arc::new(FakeClock {
            start: Instant::now(),
            // 2023-11-14T22:13:20Z: a whole second, so HTTP-dates are exact.
            wall_start: SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
            elapsed: Mutex::default(),
            sleeps: Mutex::default(),
        })
    }

    pub fn elapsed(&self) -> Duration {
        *self.elapsed.lock().expect("not poisoned")
    }

    pub fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().expect("not poisoned").clone()
    }

    pub fn wall_seconds(&self) -> u64 {
        1_700_000_000 + self.elapsed().as_secs()
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Instant {
        self.start + self.elapsed()
    }

    fn wall(&self) -> SystemTime {
        self.wall_start + self.elapsed()
    }

    fn sleep(
        &self,
        duration: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        self.sleeps.lock().expect("not poisoned").push(duration);
        *self.elapsed.lock().expect("not poisoned") += duration;
        Box::pin(std::future::ready(()))
    }
}

/// A scripted server whose log stamps each request with `clock`'s time.
pub async fn scripted(
    clock: &Arc<FakeClock>,
    handler: impl Fn(usize, &Seen) -> Reply + Send + Sync + 'static,
) -> Server {
    let stamp = clock.clone();
    Server::start(handler, move || stamp.elapsed()).await
}
