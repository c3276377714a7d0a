//! The runtime's retries, waits, timeouts, rate limit and fault handling, against
//! a scripted HTTP server on loopback. Waits run on an injected clock that records
//! them and moves time forward at once, so "after 2 s, not before" is checked
//! exactly and without waiting; timeouts run on tokio's real timer with short limits.

// Test helpers: a panic is the test failure message.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use serde_json::{Value, json};
use support::clock::{FakeClock, scripted};
use support::probe::Probe;
use support::server::{Reply, Seen, Server, json as json_reply, response};
use vendor_clients::runtime::{
    Auth, BodyError, ClientBuilder, ClientCore, Error, Jitter, Method, Request, Response,
    RetryPolicy,
};

const TOKEN: &str = "probe-secret-token";

/// The runtime driven the way a generated method drives it.
trait Calls {
    async fn call(&self, method: Method, marked: bool) -> Result<Response<Value>, Error<Value>>;
    async fn get(&self) -> Result<Response<Value>, Error<Value>>;
}

impl Calls for Probe {
    async fn call(&self, method: Method, marked: bool) -> Result<Response<Value>, Error<Value>> {
        let mut request = Request::new("probe", method, "/probe/{id}");
        request.path("/probe/1");
        request.idempotent = marked;
        request.security = &[&[Auth::Bearer]];
        request.json_body("application/json", &json!({"name": "x"}));
        self.send(request).await
    }

    async fn get(&self) -> Result<Response<Value>, Error<Value>> {
        self.call(Method::GET, false).await
    }
}

fn builder(server: &Server, clock: &Arc<FakeClock>) -> ClientBuilder<Probe> {
    ClientBuilder::<Probe>::new(Some(&server.url))
        .bearer_token(TOKEN)
        .clock(clock.clone())
        .retry(
            RetryPolicy::default()
                .backoff(Duration::from_millis(100), Duration::from_secs(10))
                .jitter(Jitter::None),
        )
}

fn gaps(seen: &[Seen]) -> Vec<Duration> {
    seen.windows(2).map(|w| w[1].at - w[0].at).collect()
}

const OK: &str = r#"{"ok":true}"#;

#[tokio::test]
async fn retry_after_in_seconds_is_waited_for_exactly() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |n, _| {
        Reply::Bytes(match n {
            0 => response(429, &[("Retry-After", "2")], b""),
            _ => json_reply(200, OK),
        })
    })
    .await;
    let client = builder(&server, &clock).build().unwrap();
    let answer = client.get().await.unwrap();
    assert_eq!(answer.body, json!({"ok": true}));
    assert_eq!(gaps(&server.seen()), [Duration::from_secs(2)]);
    assert_eq!(clock.sleeps(), [Duration::from_secs(2)]);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_waited_for_exactly() {
    let clock = FakeClock::new();
    let dated = clock.clone();
    let server = scripted(&clock, move |n, _| {
        Reply::Bytes(match n {
            0 => {
                let at = SystemTime::UNIX_EPOCH + Duration::from_secs(dated.wall_seconds() + 2);
                let date = httpdate::fmt_http_date(at);
                response(429, &[("Retry-After", &date)], b"")
            }
            _ => json_reply(200, OK),
        })
    })
    .await;
    let client = builder(&server, &clock).build().unwrap();
    client.get().await.unwrap();
    assert_eq!(gaps(&server.seen()), [Duration::from_secs(2)]);
}

#[tokio::test]
async fn x_ratelimit_reset_as_seconds_or_as_a_timestamp() {
    for epoch in [false, true] {
        let clock = FakeClock::new();
        let stamped = clock.clone();
        let server = scripted(&clock, move |n, _| {
            let reset = if epoch {
                (stamped.wall_seconds() + 2).to_string()
            } else {
                "2".to_string()
            };
            Reply::Bytes(match n {
                0 => response(
                    429,
                    &[
                        ("X-Ratelimit-Limit", "60"),
                        ("X-Ratelimit-Remaining", "0"),
                        ("X-Ratelimit-Reset", &reset),
                    ],
                    br#"{"statusCode":429}"#,
                ),
                _ => json_reply(200, OK),
            })
        })
        .await;
        let client = builder(&server, &clock).build().unwrap();
        client.get().await.unwrap();
        assert_eq!(
            gaps(&server.seen()),
            [Duration::from_secs(2)],
            "epoch: {epoch}"
        );
    }
}

#[tokio::test]
async fn two_503s_then_success_with_growing_waits() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |n, _| {
        Reply::Bytes(match n {
            0 | 1 => json_reply(503, r#"{"message":"busy"}"#),
            _ => json_reply(200, OK),
        })
    })
    .await;
    let client = builder(&server, &clock).build().unwrap();
    client.get().await.unwrap();
    assert_eq!(server.seen().len(), 3);
    assert_eq!(
        gaps(&server.seen()),
        [Duration::from_millis(100), Duration::from_millis(200)]
    );
}

#[tokio::test]
async fn full_jitter_waits_stay_under_the_growing_backoff() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |_, _| Reply::Bytes(json_reply(503, "{}"))).await;
    let client = builder(&server, &clock)
        .retry(
            RetryPolicy::default()
                .max_attempts(6)
                .backoff(Duration::from_millis(100), Duration::from_millis(800)),
        )
        .build()
        .unwrap();
    client.get().await.unwrap_err();
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 5);
    for (n, wait) in sleeps.iter().enumerate() {
        let ceiling = Duration::from_millis(100 << n).min(Duration::from_millis(800));
        assert!(*wait <= ceiling, "retry {n}: {wait:?} > {ceiling:?}");
    }
}

#[tokio::test]
async fn exhausted_attempts_give_the_last_error_and_its_count() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |n, _| {
        Reply::Bytes(json_reply(503, &format!(r#"{{"attempt":{n}}}"#)))
    })
    .await;
    let client = builder(&server, &clock)
        .retry(RetryPolicy::default().max_attempts(3).jitter(Jitter::None))
        .build()
        .unwrap();
    let error = client.get().await.unwrap_err();
    assert!(error.to_string().contains("attempt 3"), "{error}");
    let Error::Api {
        attempts, error, ..
    } = &error
    else {
        panic!("not an API error: {error}")
    };
    assert_eq!(*attempts, 3);
    assert_eq!(error.status.as_u16(), 503);
    assert_eq!(error.body, Some(json!({"attempt": 2})), "the last answer");
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn a_post_answered_503_is_not_retried() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |_, _| Reply::Bytes(json_reply(503, "{}"))).await;
    let client = builder(&server, &clock).build().unwrap();
    let error = client.call(Method::POST, false).await.unwrap_err();
    assert_eq!(error.attempts(), 1);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.seen().len(), 1);
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn a_post_marked_idempotent_is_retried() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |n, _| {
        Reply::Bytes(match n {
            0 => json_reply(503, "{}"),
            _ => json_reply(200, OK),
        })
    })
    .await;
    let client = builder(&server, &clock).build().unwrap();
    client.call(Method::POST, true).await.unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].body, seen[1].body, "the same bytes each time");
}

#[tokio::test]
async fn any_method_makes_a_post_retried() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |n, _| {
        Reply::Bytes(match n {
            0 => json_reply(504, "{}"),
            _ => json_reply(200, OK),
        })
    })
    .await;
    let client = builder(&server, &clock).build().unwrap();
    let per_call = client
        .core
        .with_retry(RetryPolicy::default().any_method(true));
    Probe { core: per_call }
        .call(Method::POST, false)
        .await
        .unwrap();
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn a_post_is_retried_when_the_connection_was_never_made() {
    // A port nobody listens on: the connection is refused, nothing is sent.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let clock = FakeClock::new();
    let client = ClientBuilder::<Probe>::new(Some(&url))
        .clock(clock.clone())
        .retry(RetryPolicy::default().max_attempts(3).jitter(Jitter::None))
        .build()
        .unwrap();
    let error = client.call(Method::POST, false).await.unwrap_err();
    let Error::Transport {
        attempts, source, ..
    } = &error
    else {
        panic!("not a transport error: {error}")
    };
    assert!(source.is_connect(), "{source}");
    assert_eq!(*attempts, 3);
    assert_eq!(clock.sleeps().len(), 2);
}

#[tokio::test]
async fn an_api_key_in_the_query_never_shows_in_an_error() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let client = ClientBuilder::<Probe>::new(Some(&url))
        .api_key("query-secret-key")
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let mut request = Request::new("probe", Method::GET, "/probe");
    request.path("/probe");
    request.security = &[&[Auth::ApiKeyQuery("api_key")]];
    let error = client.send(request).await.unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(matches!(error, Error::Transport { .. }), "{shown}");
    assert!(!shown.contains("query-secret-key"), "{shown}");
    assert!(shown.contains("redacted"), "{shown}");
}

#[tokio::test]
async fn a_post_is_not_retried_when_the_connection_drops_after_sending() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |_, _| Reply::Reset(Vec::new())).await;
    let client = builder(&server, &clock).build().unwrap();
    let error = client.call(Method::POST, false).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error}");
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn a_get_is_retried_when_the_connection_drops() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |n, _| match n {
        0 => Reply::Reset(Vec::new()),
        _ => Reply::Bytes(json_reply(200, OK)),
    })
    .await;
    let client = builder(&server, &clock).build().unwrap();
    client.get().await.unwrap();
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn a_wait_longer_than_max_wait_is_not_waited_for() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |_, _| {
        Reply::Bytes(response(429, &[("Retry-After", "3600")], b""))
    })
    .await;
    let client = builder(&server, &clock).build().unwrap();
    let error = client.get().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.attempts(), 1);
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn the_overall_timeout_ends_the_retries() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |_, _| Reply::Bytes(json_reply(503, "{}"))).await;
    let client = builder(&server, &clock)
        .timeout(Duration::from_secs(1))
        .retry(
            RetryPolicy::default()
                .max_attempts(10)
                .backoff(Duration::from_millis(400), Duration::from_secs(10))
                .jitter(Jitter::None),
        )
        .build()
        .unwrap();
    let error = client.get().await.unwrap_err();
    // Waits 400 ms, then 800 ms would end past the 1 s deadline: the last answer.
    assert_eq!(clock.sleeps(), [Duration::from_millis(400)]);
    assert_eq!(error.attempts(), 2);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
}

#[tokio::test]
async fn a_per_call_policy_overrides_the_clients() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |_, _| Reply::Bytes(json_reply(503, "{}"))).await;
    let client = builder(&server, &clock).build().unwrap();
    let once = Probe {
        core: client.core.with_retry(RetryPolicy::none()),
    };
    assert_eq!(once.get().await.unwrap_err().attempts(), 1);
    assert_eq!(server.seen().len(), 1);
    assert_eq!(
        client.get().await.unwrap_err().attempts(),
        4,
        "the client's own"
    );
}

#[tokio::test]
async fn the_rate_limit_spaces_requests() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |_, _| Reply::Bytes(json_reply(200, OK))).await;
    let client = builder(&server, &clock)
        .rate_limit(2, Duration::from_secs(1))
        .build()
        .unwrap();
    let clone = client.clone();
    for c in [&client, &clone, &client, &clone, &client] {
        c.get().await.unwrap();
    }
    let at: Vec<u128> = server.seen().iter().map(|s| s.at.as_millis()).collect();
    assert_eq!(
        at,
        [0, 0, 1000, 1000, 2000],
        "a burst of 2, then 2 more once the first two are a second old"
    );
}

/// In real time, with calls racing from many tasks: never more than 4 start
/// within any 300 ms, as the server sees them (less a few milliseconds for
/// arrival jitter on loopback).
#[tokio::test]
async fn the_rate_limit_holds_in_real_time_under_concurrency() {
    let server = real_server(|_, _| Reply::Bytes(json_reply(200, OK))).await;
    let client = ClientBuilder::<Probe>::new(Some(&server.url))
        .rate_limit(4, Duration::from_millis(300))
        .build()
        .unwrap();
    let calls: Vec<_> = (0..14)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(i * 15)).await;
                bounded(client.get()).await
            })
        })
        .collect();
    for call in calls {
        call.await
            .expect("the task ran")
            .expect("the call succeeded");
    }
    let mut at: Vec<Duration> = server.seen().iter().map(|s| s.at).collect();
    at.sort();
    assert_eq!(at.len(), 14, "every call reached the server");
    // Arrivals at the server lag the starts by scheduling noise (a loaded
    // machine), so the window checked is 60 ms short of the interval: still far
    // from what no limiter gives (all 14 within 200 ms).
    let window = Duration::from_millis(300 - 60);
    let busiest = (0..at.len())
        .map(|i| at[i..].iter().take_while(|t| **t < at[i] + window).count())
        .max()
        .unwrap_or(0);
    assert!(busiest <= 4, "{busiest} calls within {window:?}: {at:?}");
    assert!(
        at[13] >= Duration::from_millis(900 - 60),
        "14 calls at 4 per 300 ms take three windows: {at:?}"
    );
}

// Faults: real time, short limits, no retries; each call must end quickly.

fn faulty(server: &Server) -> ClientBuilder<Probe> {
    ClientBuilder::<Probe>::new(Some(&server.url))
        .retry(RetryPolicy::none())
        .attempt_timeout(Duration::from_millis(500))
}

async fn bounded<T>(call: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), call)
        .await
        .expect("the call ended on its own")
}

async fn real_server(handler: impl Fn(usize, &Seen) -> Reply + Send + Sync + 'static) -> Server {
    let start = Instant::now();
    Server::start(handler, move || start.elapsed()).await
}

#[tokio::test]
async fn a_connection_reset_mid_body_keeps_status_and_headers() {
    let server = real_server(|_, _| {
        let mut bytes = response(
            200,
            &[
                ("Content-Type", "application/json"),
                ("Content-Length", "100"),
            ],
            b"",
        );
        bytes.extend_from_slice(br#"{"partial":"#);
        Reply::Reset(bytes)
    })
    .await;
    let client = faulty(&server).build().unwrap();
    let error = bounded(client.get()).await.unwrap_err();
    let Error::Body {
        status,
        headers,
        raw,
        source: BodyError::Interrupted(_),
        ..
    } = &error
    else {
        panic!("not an interrupted body: {error}")
    };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(headers["content-length"], "100");
    assert!(br#"{"partial":"#.starts_with(raw), "{raw:?}");
}

#[tokio::test]
async fn a_body_sent_a_byte_at_a_time_times_out() {
    let server = real_server(|_, _| {
        let body = format!(r#"{{"pad":"{}"}}"#, "x".repeat(200));
        let length = body.len().to_string();
        let head = response(
            200,
            &[
                ("Content-Type", "application/json"),
                ("Content-Length", &length),
            ],
            b"",
        );
        Reply::Trickle(head, body.into_bytes(), Duration::from_millis(20))
    })
    .await;
    let client = faulty(&server).build().unwrap();
    let started = Instant::now();
    let error = bounded(client.get()).await.unwrap_err();
    let Error::Body {
        status,
        raw,
        source: BodyError::TimedOut { after },
        ..
    } = &error
    else {
        panic!("not a body timeout: {error}")
    };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(*after, Duration::from_millis(500));
    assert!(
        !raw.is_empty() && raw.len() < 200,
        "cut short: {}",
        raw.len()
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn headers_sent_a_byte_at_a_time_time_out() {
    let server = real_server(|_, _| {
        Reply::Trickle(Vec::new(), json_reply(200, OK), Duration::from_millis(20))
    })
    .await;
    let client = faulty(&server).build().unwrap();
    let error = bounded(client.get()).await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { overall: false, .. }),
        "{error}"
    );
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = real_server(|_, _| Reply::Hang).await;
    let client = faulty(&server).build().unwrap();
    let error = bounded(client.get()).await.unwrap_err();
    let Error::Timeout {
        after,
        overall,
        attempts,
        ..
    } = error
    else {
        panic!("not a timeout: {error}")
    };
    assert_eq!(
        (after, overall, attempts),
        (Duration::from_millis(500), false, 1)
    );
}

#[tokio::test]
async fn the_overall_timeout_cuts_a_slow_attempt() {
    let server = real_server(|_, _| Reply::Hang).await;
    let client = faulty(&server)
        .attempt_timeout(Duration::from_secs(30))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = bounded(client.get()).await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { overall: true, .. }),
        "{error}"
    );
}

#[tokio::test]
async fn an_html_502_page_is_an_api_error_with_the_raw_page() {
    let page = b"<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = real_server(move |_, _| {
        Reply::Bytes(response(502, &[("Content-Type", "text/html")], page))
    })
    .await;
    let client = faulty(&server).build().unwrap();
    let error = bounded(client.get()).await.unwrap_err();
    let Error::Api { error, .. } = &error else {
        panic!("not an API error: {error}")
    };
    assert_eq!(error.status.as_u16(), 502);
    assert_eq!(error.body, None);
    assert_eq!(&error.raw[..], page);
    assert_eq!(error.headers["content-type"], "text/html");
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_naming_the_content_type() {
    let server = real_server(|_, _| Reply::Bytes(json_reply(200, r#"{"ok": tr"#))).await;
    let client = faulty(&server).build().unwrap();
    let error = bounded(client.get()).await.unwrap_err();
    assert!(matches!(&error, Error::Decode { raw, .. } if &raw[..] == br#"{"ok": tr"#));
    let shown = error.to_string();
    assert!(shown.contains("9 bytes of application/json"), "{shown}");
}

#[tokio::test]
async fn an_empty_success_body_is_a_decode_error() {
    let server = real_server(|_, _| Reply::Bytes(json_reply(200, ""))).await;
    let client = faulty(&server).build().unwrap();
    let error = bounded(client.get()).await.unwrap_err();
    assert!(matches!(&error, Error::Decode { raw, .. } if raw.is_empty()));
    assert!(error.to_string().contains("empty"), "{error}");
}

#[tokio::test]
async fn a_wrong_content_type_is_judged_by_the_body() {
    let server = real_server(|n, _| {
        Reply::Bytes(match n {
            0 => response(200, &[("Content-Type", "text/html")], OK.as_bytes()),
            _ => response(200, &[("Content-Type", "text/plain")], b"all good"),
        })
    })
    .await;
    let client = faulty(&server).build().unwrap();
    let answer = bounded(client.get()).await.unwrap();
    assert_eq!(
        answer.body,
        json!({"ok": true}),
        "JSON under a wrong label still decodes"
    );
    let error = bounded(client.get()).await.unwrap_err();
    assert!(error.to_string().contains("text/plain"), "{error}");
}

#[tokio::test]
async fn a_huge_body_is_cut_at_the_limit() {
    let huge = vec![b'x'; 1 << 20];
    let chunked = huge.clone();
    let server = real_server(move |n, _| {
        Reply::Bytes(match n {
            0 => response(200, &[("Content-Type", "application/json")], &huge),
            // No length announced: the limit is found while reading.
            _ => {
                let mut bytes = response(200, &[("Transfer-Encoding", "chunked")], b"");
                bytes.extend_from_slice(format!("{:x}\r\n", chunked.len()).as_bytes());
                bytes.extend_from_slice(&chunked);
                bytes.extend_from_slice(b"\r\n0\r\n\r\n");
                bytes
            }
        })
    })
    .await;
    let client = faulty(&server).max_body_bytes(1024).build().unwrap();
    for _ in 0..2 {
        let error = bounded(client.get()).await.unwrap_err();
        let Error::Body {
            raw,
            source: BodyError::TooLarge { limit },
            ..
        } = &error
        else {
            panic!("not too large: {error}")
        };
        assert_eq!(*limit, 1024);
        assert!(raw.len() <= 1024);
    }
}

#[test]
fn a_client_is_clone_send_sync() {
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<ClientCore>();
    shareable::<Probe>();
    #[cfg(feature = "katana")]
    shareable::<vendor_clients::katana::Client>();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_all_succeed() {
    let server =
        real_server(|n, _| Reply::Bytes(json_reply(200, &format!(r#"{{"n":{n}}}"#)))).await;
    let client = ClientBuilder::<Probe>::new(Some(&server.url))
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..1000 {
        let client = client.clone();
        calls.spawn(async move { client.get().await.map(|r| r.body["n"].as_u64()) });
    }
    let mut seen = std::collections::BTreeSet::new();
    while let Some(result) = bounded(calls.join_next()).await {
        let n = result.unwrap().unwrap().expect("a number");
        assert!(seen.insert(n), "each answer once");
    }
    assert_eq!(seen.len(), 1000);
    assert!(
        server.connections() <= 1000,
        "one pool: {}",
        server.connections()
    );
}

#[cfg(feature = "telegent")]
#[tokio::test]
async fn a_generated_operation_marked_in_codegen_yaml_is_retried() {
    // Telegent's update POSTs are marked idempotent in specs/telegent/codegen.yaml.
    let clock = FakeClock::new();
    let server = scripted(&clock, |n, _| {
        Reply::Bytes(match n {
            0 => json_reply(503, r#"{"StatusCode":503}"#),
            _ => json_reply(200, r#"{"StatusCode":200,"Message":"ok"}"#),
        })
    })
    .await;
    let client = vendor_clients::telegent::Client::builder()
        .base_url(format!("{}/v1.0", server.url))
        .bearer_token(TOKEN)
        .clock(clock.clone())
        .build()
        .unwrap();
    let body = vendor_clients::telegent::NumbersUpdateRequest::new("+15551234567");
    client.numbers_update(&body).await.unwrap();
    assert_eq!(server.seen().len(), 2);
}
