//! Retries, timeouts and a client-side rate limit with Telegent.

use std::time::Duration;

use vendor_clients::runtime::{Error, RetryPolicy};
use vendor_clients::telegent::{Client, NumbersUpdateRequest};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .bearer_token(std::env::var("TELEGENT_TOKEN")?)
        // Retried: 408, 429, 503, 504, connection failures and timeouts, up to
        // 5 attempts, backoff 500 ms, 1 s, 2 s... (full jitter), capped at 10 s;
        // a server's Retry-After or X-Ratelimit-Reset replaces the backoff.
        .retry(
            RetryPolicy::default()
                .max_attempts(5)
                .backoff(Duration::from_millis(500), Duration::from_secs(10)),
        )
        .connect_timeout(Duration::from_secs(5))
        .attempt_timeout(Duration::from_secs(20)) // one attempt, body included
        .timeout(Duration::from_secs(60)) // the whole call, waits included
        .rate_limit(50, Duration::from_secs(60)) // stay under 50 requests a minute
        .build()?;

    let update = NumbersUpdateRequest::new("+15551234567").voice_enabled(true);
    // This one call, once only and within 5 s.
    let once = client
        .with_retry(RetryPolicy::none())
        .with_timeout(Duration::from_secs(5));
    match once.numbers_update(&update).await {
        Ok(_) => println!("updated"),
        Err(Error::Api {
            error, attempts, ..
        }) => {
            println!("{} after {attempts} attempt(s)", error.status)
        }
        Err(other) => println!("{other}"),
    }
    // The shared client: clones share the pool, credentials and rate limit.
    client.clone().numbers_update(&update).await?;
    Ok(())
}
