//! One `tracing` span per call, with the operation, method, path template,
//! attempt, status and elapsed time, and never the credential (a fixed one, or
//! a client secret and the tokens it is exchanged for) or a body unless asked.

// Test helpers: a panic is the test failure message.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::probe::Probe;
use support::server::{Reply, Server, json as json_reply};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use vendor_clients::runtime::{
    Auth, ClientBuilder, ClientCredentials, Error, Jitter, Method, Request, Response, RetryPolicy,
};

/// A span's or event's fields, as text.
type FieldMap = BTreeMap<String, String>;

/// Every span's name and fields, by span id, and every event's fields.
#[derive(Default, Clone)]
struct Recorded {
    spans: Arc<Mutex<BTreeMap<u64, (String, FieldMap)>>>,
    events: Arc<Mutex<Vec<BTreeMap<String, String>>>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

impl<S: tracing::Subscriber> Layer<S> for Recorded {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        attrs.record(&mut Fields(&mut fields));
        let name = attrs.metadata().name().to_string();
        self.spans
            .lock()
            .unwrap()
            .insert(id.into_u64(), (name, fields));
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        if let Some((_, fields)) = self.spans.lock().unwrap().get_mut(&id.into_u64()) {
            values.record(&mut Fields(fields));
        }
    }

    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        self.events.lock().unwrap().push(fields);
    }
}

impl Recorded {
    fn calls(&self) -> Vec<BTreeMap<String, String>> {
        let spans = self.spans.lock().unwrap();
        spans
            .values()
            .filter(|(name, _)| name == "api_call")
            .map(|(_, fields)| fields.clone())
            .collect()
    }

    fn everything(&self) -> String {
        format!(
            "{:?}{:?}",
            self.spans.lock().unwrap(),
            self.events.lock().unwrap()
        )
    }
}

const TOKEN: &str = "tracing-secret-token";
const SECRET_FIELD: &str = "card-number-4111";

async fn put(probe: &Probe) -> Result<Response<Value>, Error<Value>> {
    let mut request = Request::new("update_thing", Method::PUT, "/things/{id}");
    request.path("/things/7");
    request.security = &[&[Auth::Bearer]];
    request.json_body("application/json", &json!({"secret": SECRET_FIELD}));
    probe.send(request).await
}

async fn server() -> Server {
    let start = Instant::now();
    Server::start(
        |n, _| {
            Reply::Bytes(match n {
                0 => json_reply(503, "{}"),
                _ => json_reply(200, &format!(r#"{{"echo":"{SECRET_FIELD}"}}"#)),
            })
        },
        move || start.elapsed(),
    )
    .await
}

fn client(server: &Server, log_bodies: bool) -> Probe {
    ClientBuilder::<Probe>::new(Some(&server.url))
        .bearer_token(TOKEN)
        .retry(
            RetryPolicy::default()
                .backoff(Duration::from_millis(1), Duration::from_millis(1))
                .jitter(Jitter::None),
        )
        .log_bodies(log_bodies)
        .build()
        .unwrap()
}

#[tokio::test]
async fn one_span_per_call_with_its_facts_and_no_secrets() {
    let recorded = Recorded::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(recorded.clone()));
    let server = server().await;
    put(&client(&server, false)).await.unwrap();

    let calls = recorded.calls();
    assert_eq!(calls.len(), 1, "one span for the call, retries included");
    let call = &calls[0];
    assert_eq!(call["operation"], "update_thing");
    assert_eq!(call["method"], "PUT");
    assert_eq!(call["path"], "/things/{id}");
    assert_eq!(call["attempt"], "2");
    assert_eq!(call["status"], "200");
    assert!(call["elapsed_ms"].parse::<u64>().is_ok(), "{call:?}");
    let retried = recorded
        .events
        .lock()
        .unwrap()
        .iter()
        .any(|e| e.get("message").is_some_and(|m| m == "retrying"));
    assert!(retried, "a retry is an event");

    let everything = recorded.everything();
    assert!(!everything.contains(TOKEN), "the credential leaked");
    assert!(!everything.contains(SECRET_FIELD), "a body was logged");
}

#[tokio::test]
async fn bodies_are_logged_only_when_asked() {
    let recorded = Recorded::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(recorded.clone()));
    let server = server().await;
    put(&client(&server, true)).await.unwrap();
    let everything = recorded.everything();
    assert!(everything.contains(SECRET_FIELD), "bodies asked for");
    assert!(!everything.contains(TOKEN), "the credential leaked");
}

#[tokio::test]
async fn a_token_fetch_and_renewal_leave_no_secret_in_spans_or_events() {
    const CLIENT_SECRET: &str = "tracing-client-secret";
    const LIVE_TOKEN: &str = "tracing-live-token";
    let recorded = Recorded::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(recorded.clone()));
    let start = Instant::now();
    let server = Server::start(
        |n, seen| {
            Reply::Bytes(if seen.target == "/oauth/token" {
                json_reply(
                    200,
                    &format!(
                        r#"{{"access_token":"{LIVE_TOKEN}-{n}","token_type":"bearer","expires_in":60}}"#
                    ),
                )
            } else if n == 1 {
                // The first token is refused: renewed, and the call sent again.
                json_reply(401, "{}")
            } else {
                json_reply(200, "{}")
            })
        },
        move || start.elapsed(),
    )
    .await;
    let probe = ClientBuilder::<Probe>::new(Some(&server.url))
        .client_credentials(ClientCredentials::new(
            "/oauth/token",
            "tracing-client",
            CLIENT_SECRET,
        ))
        .build()
        .unwrap();
    put(&probe).await.unwrap();
    assert_eq!(server.seen().len(), 4, "token, refused call, token, call");
    let calls = recorded.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["attempt"], "2");
    let everything = recorded.everything();
    assert!(
        everything.contains("access token fetched"),
        "the fetch is an event"
    );
    assert!(
        !everything.contains(CLIENT_SECRET),
        "the client secret leaked"
    );
    assert!(!everything.contains(LIVE_TOKEN), "an access token leaked");
}
