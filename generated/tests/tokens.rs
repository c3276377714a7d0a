//! Live credentials: tokens from a token source, against a scripted HTTP server
//! on loopback that is both the API and its OAuth 2 token endpoint. Expiry runs
//! on an injected clock moved by the test, so "renewed at 70 s, not before" is
//! checked exactly.

// Test helpers: a panic is the test failure message.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;
use support::probe::Probe;
use support::server::{Reply, Seen, Server, json as json_reply, response};
use vendor_clients::runtime::{
    Auth, ClientAuth, ClientBuilder, ClientCredentials, Clock, Error, Method, OAuthErrorCode,
    Request, Response, Token, TokenError, TokenFuture, TokenProvider,
};

const CLIENT_ID: &str = "my client";
const CLIENT_SECRET: &str = "s3cr:t/+shh";
/// Every access token the endpoint hands out starts with this.
const TOKEN_PREFIX: &str = "live-token-";

/// A clock the test moves by hand.
#[derive(Debug)]
struct HandClock {
    start: Instant,
    elapsed: Mutex<Duration>,
}

impl HandClock {
    fn new() -> Arc<Self> {
        Arc::new(HandClock {
            start: Instant::now(),
            elapsed: Mutex::default(),
        })
    }

    fn set(&self, at: Duration) {
        *self.elapsed.lock().unwrap() = at;
    }
}

impl Clock for HandClock {
    fn now(&self) -> Instant {
        self.start + *self.elapsed.lock().unwrap()
    }

    fn wall(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000) + *self.elapsed.lock().unwrap()
    }

    fn sleep(
        &self,
        duration: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        *self.elapsed.lock().unwrap() += duration;
        Box::pin(std::future::ready(()))
    }
}

/// The `n`th token the endpoint hands out (from 1), lasting `expires_in` seconds.
fn token_reply(n: usize, expires_in: Option<u64>) -> Vec<u8> {
    let expiry = expires_in
        .map(|s| format!(r#","expires_in":{s}"#))
        .unwrap_or_default();
    json_reply(
        200,
        &format!(r#"{{"access_token":"{TOKEN_PREFIX}{n}","token_type":"Bearer"{expiry}}}"#),
    )
}

fn is_token_request(seen: &Seen) -> bool {
    seen.target == "/oauth/token"
}

/// The server: the token endpoint at `/oauth/token` hands out tokens 1, 2, …
/// lasting `expires_in`; every other path is the API, answered by `api` with
/// the bearer token it was sent.
async fn server(
    expires_in: Option<u64>,
    api: impl Fn(&str) -> Vec<u8> + Send + Sync + 'static,
) -> Server {
    let issued = AtomicUsize::new(0);
    Server::start(
        move |_, seen| {
            Reply::Bytes(if is_token_request(seen) {
                token_reply(issued.fetch_add(1, Ordering::SeqCst) + 1, expires_in)
            } else {
                let sent = seen
                    .header("authorization")
                    .and_then(|v| v.strip_prefix("Bearer "))
                    .unwrap_or("");
                api(sent)
            })
        },
        Duration::default,
    )
    .await
}

fn flow() -> ClientCredentials {
    ClientCredentials::new("/oauth/token", CLIENT_ID, CLIENT_SECRET)
}

fn builder(server: &Server, clock: Arc<HandClock>) -> ClientBuilder<Probe> {
    ClientBuilder::<Probe>::new(Some(&server.url)).clock(clock)
}

async fn get(probe: &Probe) -> Result<Response<Value>, Error<Value>> {
    let mut request = Request::new("get_thing", Method::GET, "/things");
    request.path("/things");
    request.security = &[&[Auth::Bearer]];
    probe.send(request).await
}

async fn post(probe: &Probe) -> Result<Response<Value>, Error<Value>> {
    let mut request = Request::new("make_thing", Method::POST, "/things");
    request.path("/things");
    request.security = &[&[Auth::Bearer]];
    request.json_body("application/json", &serde_json::json!({"name": "widget"}));
    probe.send(request).await
}

/// The bearer token of each API request and `token` for each token request, in order.
fn log(server: &Server) -> Vec<String> {
    server
        .seen()
        .iter()
        .map(|s| {
            if is_token_request(s) {
                "token".to_string()
            } else {
                s.header("authorization")
                    .and_then(|v| v.strip_prefix("Bearer "))
                    .unwrap_or("-")
                    .trim_start_matches(TOKEN_PREFIX)
                    .to_string()
            }
        })
        .collect()
}

fn token_requests(server: &Server) -> usize {
    server.seen().iter().filter(|s| is_token_request(s)).count()
}

#[tokio::test]
async fn the_token_request_follows_rfc_6749() {
    let server = server(Some(100), |_| json_reply(200, "{}")).await;
    let clock = HandClock::new();
    let probe = builder(&server, clock)
        .client_credentials(flow().scope("read:things").scope("write"))
        .build()
        .unwrap();
    get(&probe).await.unwrap();
    let seen = server.seen();
    let token = &seen[0];
    assert_eq!(token.method, "POST");
    assert_eq!(token.target, "/oauth/token");
    assert_eq!(
        token.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(token.header("accept"), Some("application/json"));
    // Id and secret form-encoded, then joined and base64-encoded (§2.3.1).
    let expected = format!("Basic {}", base64("my+client:s3cr%3At%2F%2Bshh"),);
    assert_eq!(token.header("authorization"), Some(expected.as_str()));
    assert_eq!(
        String::from_utf8_lossy(&token.body),
        "grant_type=client_credentials&scope=read%3Athings+write"
    );
    assert_eq!(seen[1].header("authorization"), Some("Bearer live-token-1"));
}

#[tokio::test]
async fn the_client_secret_can_go_in_the_form_body() {
    let server = server(Some(100), |_| json_reply(200, "{}")).await;
    let probe = builder(&server, HandClock::new())
        .client_credentials(
            flow()
                .client_auth(ClientAuth::Body)
                .param("audience", "https://api.example.com"),
        )
        .build()
        .unwrap();
    get(&probe).await.unwrap();
    let token = &server.seen()[0];
    assert_eq!(token.header("authorization"), None);
    assert_eq!(
        String::from_utf8_lossy(&token.body),
        "grant_type=client_credentials&audience=https%3A%2F%2Fapi.example.com\
         &client_id=my+client&client_secret=s3cr%3At%2F%2Bshh"
    );
}

#[tokio::test]
async fn an_absolute_token_url_is_used_as_is() {
    let api = server(Some(100), |_| json_reply(200, "{}")).await;
    let issuer = server(Some(100), |_| json_reply(500, "{}")).await;
    let probe = builder(&api, HandClock::new())
        .client_credentials(flow().token_url(format!("{}/oauth/token", issuer.url)))
        .build()
        .unwrap();
    get(&probe).await.unwrap();
    assert_eq!(log(&issuer), ["token"]);
    assert_eq!(log(&api), ["1"]);
}

#[tokio::test]
async fn a_token_is_renewed_before_it_expires_once_per_lifetime() {
    let server = server(Some(100), |_| json_reply(200, "{}")).await;
    let clock = HandClock::new();
    let probe = builder(&server, clock.clone())
        .client_credentials(flow())
        .build()
        .unwrap();
    // 100 s tokens, renewed 30 s (the default margin) before they expire.
    for at in [0, 30, 69, 70, 100, 139, 140, 141] {
        clock.set(Duration::from_secs(at));
        get(&probe).await.unwrap();
    }
    assert_eq!(
        log(&server),
        [
            "token", "1", "1", "1", "token", "2", "2", "2", "token", "3", "3"
        ]
    );
}

#[tokio::test]
async fn the_margin_is_configurable_and_at_most_half_a_lifetime() {
    let server = server(Some(10), |_| json_reply(200, "{}")).await;
    let clock = HandClock::new();
    let probe = builder(&server, clock.clone())
        .client_credentials(flow())
        .build()
        .unwrap();
    // 10 s tokens: renewed after 5 s, not fetched for every call.
    for at in [0, 4, 5, 9] {
        clock.set(Duration::from_secs(at));
        get(&probe).await.unwrap();
    }
    assert_eq!(log(&server), ["token", "1", "1", "token", "2", "2"]);

    let server = self::server(Some(100), |_| json_reply(200, "{}")).await;
    let clock = HandClock::new();
    let probe = builder(&server, clock.clone())
        .client_credentials(flow())
        .token_margin(Duration::from_secs(5))
        .build()
        .unwrap();
    for at in [0, 94, 95] {
        clock.set(Duration::from_secs(at));
        get(&probe).await.unwrap();
    }
    assert_eq!(log(&server), ["token", "1", "1", "token", "2"]);
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_sends_the_call_again() {
    // Token 1 is revoked early; no expiry was given, so only the 401 tells.
    let server = server(None, |sent| {
        if sent.ends_with("-1") {
            json_reply(401, r#"{"message":"token revoked"}"#)
        } else {
            json_reply(200, r#"{"ok":true}"#)
        }
    })
    .await;
    let probe = builder(&server, HandClock::new())
        .client_credentials(flow())
        .build()
        .unwrap();
    // Not idempotent, but a 401 means the server did nothing: sent again.
    let response = post(&probe).await.unwrap();
    assert_eq!(response.body["ok"], true);
    get(&probe).await.unwrap();
    assert_eq!(log(&server), ["token", "1", "token", "2", "2"]);
    let seen = server.seen();
    assert_eq!(
        seen[1].body, br#"{"name":"widget"}"#,
        "the body, sent again"
    );
    assert_eq!(seen[3].body, seen[1].body);
}

#[tokio::test]
async fn an_operation_without_security_gets_no_token() {
    let server = server(Some(100), |_| json_reply(200, "{}")).await;
    let probe = builder(&server, HandClock::new())
        .client_credentials(flow())
        .build()
        .unwrap();
    let mut open = Request::new("health", Method::GET, "/health");
    open.path("/health");
    probe.send(open).await.unwrap();
    assert_eq!(log(&server), ["-"], "no token fetched, none sent");
}

#[tokio::test]
async fn a_second_401_is_the_api_error() {
    let server = server(None, |_| json_reply(401, r#"{"message":"no"}"#)).await;
    let probe = builder(&server, HandClock::new())
        .client_credentials(flow())
        .build()
        .unwrap();
    let error = get(&probe).await.unwrap_err();
    let Error::Api {
        attempts, error, ..
    } = &error
    else {
        panic!("expected the API's 401, got {error:?}");
    };
    assert_eq!(error.status.as_u16(), 401);
    assert_eq!(error.body.as_ref().unwrap()["message"], "no");
    assert_eq!(*attempts, 2);
    assert_eq!(log(&server), ["token", "1", "token", "2"]);
}

#[tokio::test]
async fn a_fixed_bearer_token_is_not_renewed_on_401() {
    let server = server(None, |_| json_reply(401, "{}")).await;
    let probe = builder(&server, HandClock::new())
        .client_credentials(flow())
        .bearer_token("fixed")
        .build()
        .unwrap();
    let error = get(&probe).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(log(&server), ["fixed"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_share_one_token_fetch() {
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = issued.clone();
    let server = Server::start(
        move |_, seen| {
            if is_token_request(seen) {
                let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                // Slow enough that every call asks while the fetch is under way.
                let whole = token_reply(n, Some(3600));
                let split = whole.len() - 20;
                Reply::Trickle(
                    whole[..split].to_vec(),
                    whole[split..].to_vec(),
                    Duration::from_millis(10),
                )
            } else {
                Reply::Bytes(json_reply(200, "{}"))
            }
        },
        Duration::default,
    )
    .await;
    let probe = builder(&server, HandClock::new())
        .client_credentials(flow())
        .build()
        .unwrap();
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let probe = probe.clone();
            tokio::spawn(async move { get(&probe).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    assert_eq!(token_requests(&server), 1);
    let sent: Vec<String> = log(&server).into_iter().filter(|l| l != "token").collect();
    assert_eq!(sent, vec!["1".to_string(); 50]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_401s_share_one_renewal() {
    let server = server(Some(3600), |sent| {
        if sent.ends_with("-1") {
            json_reply(401, "{}")
        } else {
            json_reply(200, "{}")
        }
    })
    .await;
    let probe = builder(&server, HandClock::new())
        .client_credentials(flow())
        .build()
        .unwrap();
    // Token 1 first, alone.
    get(&probe).await.unwrap();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let probe = probe.clone();
            tokio::spawn(async move { get(&probe).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    // One fetch for token 1, one renewal for all 20 calls' 401s.
    assert_eq!(token_requests(&server), 2);
}

/// What a failing token endpoint answers, and the typed error it becomes.
async fn failing(reply: Vec<u8>) -> (Error<Value>, Server) {
    let reply = Arc::new(reply);
    let server = Server::start(
        move |_, seen| {
            Reply::Bytes(if is_token_request(seen) {
                reply.to_vec()
            } else {
                json_reply(200, "{}")
            })
        },
        Duration::default,
    )
    .await;
    let probe = builder(&server, HandClock::new())
        .client_credentials(flow())
        .build()
        .unwrap();
    let error = get(&probe).await.unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(CLIENT_SECRET), "the secret leaked: {shown}");
    assert!(!shown.contains("s3cr%3At"), "the secret leaked: {shown}");
    assert!(!shown.contains(TOKEN_PREFIX), "a token leaked: {shown}");
    // The API was never called without a token.
    assert_eq!(log(&server), ["token"]);
    (error, server)
}

fn token_error(error: &Error<Value>) -> &TokenError {
    match error {
        Error::Token {
            source, attempts, ..
        } => {
            assert_eq!(*attempts, 0);
            source
        }
        other => panic!("expected a token error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_refusing_token_endpoint_is_a_typed_error_without_secrets() {
    // A hostile endpoint echoing the secret back is scrubbed.
    let (error, _) = failing(json_reply(
        401,
        &format!(
            r#"{{"error":"invalid_client","error_description":"client secret {CLIENT_SECRET} is wrong"}}"#
        ),
    ))
    .await;
    let TokenError::Refused {
        status,
        code,
        description,
    } = token_error(&error)
    else {
        panic!("expected a refusal, got {error:?}");
    };
    assert_eq!(status.as_u16(), 401);
    assert_eq!(*code, OAuthErrorCode::InvalidClient);
    assert_eq!(
        description.as_deref(),
        Some("client secret [redacted] is wrong")
    );

    let (error, _) = failing(json_reply(400, r#"{"error":"invalid_scope"}"#)).await;
    assert!(matches!(
        token_error(&error),
        TokenError::Refused {
            code: OAuthErrorCode::InvalidScope,
            description: None,
            ..
        }
    ));
    assert_eq!(
        error.to_string(),
        "get_thing: no access token (after 0 attempts): the token endpoint refused (400 Bad Request): invalid_scope"
    );
}

#[tokio::test]
async fn a_broken_token_response_is_a_typed_error_without_its_body() {
    let html = response(
        502,
        &[("Content-Type", "text/html")],
        b"<html>bad gateway</html>",
    );
    let (error, _) = failing(html).await;
    assert!(
        matches!(token_error(&error), TokenError::Status { status } if status.as_u16() == 502),
        "{error:?}"
    );

    let cases = [
        ("<html>ok</html>", "not JSON"),
        (r#"{"token_type":"bearer"}"#, "no `access_token` string"),
        (
            r#"{"access_token":"live-token-9"}"#,
            "no `token_type` string",
        ),
        (
            r#"{"access_token":"live-token-9","token_type":"mac"}"#,
            "`token_type` is not `bearer`",
        ),
        (
            r#"{"access_token":"live-token-9","token_type":"bearer","expires_in":"live-token-9"}"#,
            "`expires_in` is not a number of seconds",
        ),
        (
            r#"{"access_token":"live-token-9","token_type":"bearer","expires_in":-5}"#,
            "`expires_in` is not a number of seconds",
        ),
    ];
    for (body, why) in cases {
        let (error, _) = failing(json_reply(200, body)).await;
        match token_error(&error) {
            TokenError::InvalidResponse { reason } => assert_eq!(*reason, why, "{body}"),
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn expires_in_as_text_is_read() {
    let server = Server::start(
        |_, seen| {
            Reply::Bytes(if is_token_request(seen) {
                json_reply(
                    200,
                    r#"{"access_token":"live-token-1","token_type":"bearer","expires_in":"100"}"#,
                )
            } else {
                json_reply(200, "{}")
            })
        },
        Duration::default,
    )
    .await;
    let clock = HandClock::new();
    let probe = builder(&server, clock.clone())
        .client_credentials(flow())
        .build()
        .unwrap();
    for at in [0, 69, 70] {
        clock.set(Duration::from_secs(at));
        get(&probe).await.unwrap();
    }
    assert_eq!(log(&server), ["token", "1", "1", "token", "1"]);
}

/// A provider of the user's: counts its calls, hands out `user-1`, `user-2`…
struct Counting(AtomicUsize);

impl TokenProvider for Counting {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(Token::new(format!("user-{n}")).expires_in(Duration::from_secs(60)))
        })
    }
}

#[tokio::test]
async fn a_provider_of_the_users_supplies_tokens() {
    let server = server(None, |_| json_reply(200, "{}")).await;
    let clock = HandClock::new();
    let probe = builder(&server, clock.clone())
        .token_provider(Counting(AtomicUsize::new(0)))
        .build()
        .unwrap();
    for at in [0, 29, 30] {
        clock.set(Duration::from_secs(at));
        get(&probe).await.unwrap();
    }
    assert_eq!(log(&server), ["user-1", "user-1", "user-2"]);
}

#[tokio::test]
async fn a_closure_supplies_tokens_and_its_failure_is_typed() {
    let server = server(None, |_| json_reply(200, "{}")).await;
    let probe = builder(&server, HandClock::new())
        .token_fn(|| async { Ok(Token::new("from-closure")) })
        .build()
        .unwrap();
    get(&probe).await.unwrap();
    assert_eq!(log(&server), ["from-closure"]);

    let probe = builder(&server, HandClock::new())
        .token_fn(|| async { Err(TokenError::provider("vault sealed")) })
        .build()
        .unwrap();
    let error = get(&probe).await.unwrap_err();
    assert!(
        matches!(token_error(&error), TokenError::Provider(e) if e.to_string() == "vault sealed"),
        "{error:?}"
    );
    assert_eq!(
        log(&server),
        ["from-closure"],
        "nothing sent without a token"
    );
}

#[tokio::test]
async fn debug_output_shows_no_secret() {
    let server = server(Some(100), |_| json_reply(200, "{}")).await;
    let builder = builder(&server, HandClock::new()).client_credentials(flow());
    let shown = format!("{builder:?} {:?}", flow());
    assert!(shown.contains(CLIENT_ID), "the client id is shown: {shown}");
    let probe = builder.build().unwrap();
    get(&probe).await.unwrap();
    let shown = format!(
        "{shown} {probe:?} {:?}",
        Token::new("live-token-7").expires_in(Duration::from_secs(5))
    );
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    assert!(!shown.contains(TOKEN_PREFIX), "{shown}");
    assert!(
        shown.contains("/oauth/token"),
        "the token URL is shown: {shown}"
    );
}

#[test]
fn a_token_url_that_does_not_resolve_is_a_build_error() {
    let built = ClientBuilder::<Probe>::new(Some("https://api.example.com"))
        .client_credentials(flow().token_url("https://[::1"))
        .build();
    let Err(error) = built else {
        panic!("built with an invalid token URL");
    };
    assert_eq!(
        error.to_string(),
        "token URL `https://[::1` is not a valid URL: invalid IPv6 address"
    );
}

/// Standard base64, for the expected `Authorization: Basic` header.
fn base64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[tokio::test]
async fn a_hanging_token_endpoint_ends_with_the_calls_overall_timeout() {
    let server = Server::start(
        |_, seen| {
            if is_token_request(seen) {
                Reply::Hang
            } else {
                Reply::Bytes(json_reply(200, "{}"))
            }
        },
        Duration::default,
    )
    .await;
    let probe = builder(&server, HandClock::new())
        .client_credentials(flow())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = get(&probe).await.unwrap_err();
    assert!(
        matches!(
            token_error(&error),
            TokenError::Timeout { after } if *after == Duration::from_millis(200)
        ),
        "{error:?}"
    );
    assert_eq!(log(&server), ["token"]);
}
