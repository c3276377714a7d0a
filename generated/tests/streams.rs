//! Streamed bodies against a scripted HTTP server on loopback: a download read
//! as a stream past the body limit (the limit and timeout apply per chunk), an
//! upload from a file (retried: the file is read again) and from a stream (sent
//! once, never retried), and server-sent events: typed data, reconnection with
//! `Last-Event-ID` after the wait `retry:` asked for, comments ignored, a clean
//! end, decode errors that do not end the stream.

// Test helpers: a panic is the test failure message.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde::Deserialize;
use serde_json::{Value, json};
use support::clock::{FakeClock, scripted};
use support::probe::Probe;
use support::server::{Reply, Server, json as json_reply, pattern, response};
use vendor_clients::runtime::{
    BodyError, ClientBuilder, Error, Event, EventStream, Method, Request, RetryPolicy, Upload,
    decode_error_json, decode_json, decode_text,
};

const MIB: u64 = 1 << 20;

fn client(server: &Server, clock: &Arc<FakeClock>) -> ClientBuilder<Probe> {
    ClientBuilder::<Probe>::new(Some(&server.url))
        .clock(clock.clone())
        .retry(RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_secs(1)))
}

fn get(path: &str) -> Request {
    let mut request = Request::new("probe", Method::GET, "/probe");
    request.path(path);
    request
}

/// The events of `GET /feed`, their data as text.
async fn feed_events(probe: &Probe) -> EventStream<String, Value> {
    probe
        .core
        .execute_events(get("/feed"), decode_text, decode_error_json::<Value>)
        .await
        .unwrap()
        .body
}

/// The head of a `Content-Length` response, the body to follow.
fn head(status: u16, content_type: &str, length: u64) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} Scripted\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
    )
    .into_bytes()
}

#[tokio::test]
async fn a_download_past_the_body_limit_streams_in_chunks_within_it() {
    let clock = FakeClock::new();
    let length = 256 * MIB;
    let server = scripted(&clock, move |_, _| {
        Reply::Generated(head(200, "application/octet-stream", length), length)
    })
    .await;
    let probe = client(&server, &clock)
        .max_body_bytes(MIB as usize)
        .build()
        .unwrap();
    let response = probe
        .core
        .execute_stream(get("/file"), decode_error_json::<Value>)
        .await
        .unwrap();
    let mut body = response.body;
    assert_eq!(body.content_length(), Some(length));
    let (mut read, mut largest) = (0u64, 0usize);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.unwrap();
        assert!(
            chunk.iter().zip(read..).all(|(b, i)| *b == pattern(i)),
            "bytes from {read} differ from what was sent"
        );
        read += chunk.len() as u64;
        largest = largest.max(chunk.len());
    }
    assert_eq!(read, length);
    assert!(largest <= MIB as usize, "a chunk of {largest} bytes");

    // The whole-body method refuses the same body: it is past the limit.
    let whole = probe.send(get("/file")).await.unwrap_err();
    assert!(matches!(
        whole,
        Error::Body {
            source: BodyError::TooLarge { .. },
            ..
        }
    ));
}

#[tokio::test]
async fn a_chunk_larger_than_the_limit_is_cut_into_pieces() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |_, _| {
        Reply::Bytes(response(
            200,
            &[("Content-Type", "text/plain")],
            b"0123456789",
        ))
    })
    .await;
    let probe = client(&server, &clock).max_body_bytes(4).build().unwrap();
    let mut body = probe
        .core
        .execute_stream(get("/text"), decode_error_json::<Value>)
        .await
        .unwrap()
        .body;
    let mut pieces = Vec::new();
    while let Some(chunk) = body.next().await {
        pieces.push(chunk.unwrap());
    }
    assert!(pieces.iter().all(|p| p.len() <= 4), "{pieces:?}");
    assert_eq!(pieces.concat(), b"0123456789");
}

#[tokio::test]
async fn the_attempt_timeout_applies_to_each_chunk_not_the_whole_body() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |n, _| {
        let pause = if n == 0 { 60 } else { 400 };
        Reply::Trickle(
            head(200, "application/octet-stream", 10),
            b"0123456789".to_vec(),
            Duration::from_millis(pause),
        )
    })
    .await;
    let probe = client(&server, &clock)
        .attempt_timeout(Duration::from_millis(250))
        .build()
        .unwrap();
    // Ten bytes 60 ms apart: 600 ms in all, more than the attempt's 250 ms.
    let response = probe
        .core
        .execute_stream(get("/slow"), decode_error_json::<Value>)
        .await
        .unwrap();
    let mut reader = response.body.into_reader();
    let mut text = String::new();
    tokio::io::AsyncReadExt::read_to_string(&mut reader, &mut text)
        .await
        .unwrap();
    assert_eq!(text, "0123456789");

    // 400 ms between two bytes: the stream fails, after what did arrive.
    let mut body = probe
        .core
        .execute_stream(get("/slower"), decode_error_json::<Value>)
        .await
        .unwrap()
        .body;
    let mut arrived = Vec::new();
    let failure = loop {
        match body.next().await.unwrap() {
            Ok(chunk) => arrived.extend_from_slice(&chunk),
            Err(failure) => break failure,
        }
    };
    assert!(
        matches!(failure, BodyError::TimedOut { after } if after == Duration::from_millis(250)),
        "{failure:?}"
    );
    assert!(arrived.len() < 10);
    assert!(
        body.next().await.is_none(),
        "the stream ends after its error"
    );
}

#[tokio::test]
async fn an_error_status_is_read_whole_and_typed_not_streamed() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |_, _| {
        Reply::Bytes(json_reply(404, r#"{"message":"no such file"}"#))
    })
    .await;
    let probe = client(&server, &clock).build().unwrap();
    let error = probe
        .core
        .execute_stream(get("/missing"), decode_error_json::<Value>)
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.body(), Some(&json!({"message": "no such file"})));
}

#[tokio::test]
async fn an_upload_from_a_file_is_sent_with_its_length_and_read_again_on_retry() {
    let clock = FakeClock::new();
    let dir = std::env::temp_dir().join(format!("streams-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("upload.bin");
    let content: Vec<u8> = (0..3 * MIB).map(pattern).collect();
    std::fs::write(&path, &content).unwrap();
    let server = scripted(&clock, |n, _| {
        if n == 0 {
            Reply::Bytes(response(503, &[], b""))
        } else {
            Reply::Bytes(json_reply(201, r#"{"stored":true}"#))
        }
    })
    .await;
    let probe = client(&server, &clock).build().unwrap();
    let mut request = Request::new("probe", Method::PUT, "/files/{name}");
    request.path("/files/a");
    let upload = Upload::file(&path).await.unwrap();
    assert_eq!(upload.length(), Some(3 * MIB));
    assert!(upload.is_replayable());
    request.upload_body("application/octet-stream", upload);
    let response = probe.send(request).await.unwrap();
    assert_eq!(response.body, json!({"stored": true}));
    let seen = server.seen();
    assert_eq!(seen.len(), 2, "a 503 to a PUT is retried");
    for request in &seen {
        assert_eq!(request.header("content-length"), Some("3145728"));
        assert_eq!(
            request.header("content-type"),
            Some("application/octet-stream")
        );
        assert!(
            request.body == content,
            "the file's bytes, on every attempt"
        );
    }
    assert_eq!(clock.sleeps().len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn an_upload_from_a_stream_is_sent_once_and_never_retried() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |_, _| Reply::Bytes(response(503, &[], b""))).await;
    let probe = client(&server, &clock).build().unwrap();
    let chunks = futures_util::stream::iter(
        ["first ", "second ", "third"].map(|c| Ok::<_, std::io::Error>(Bytes::from(c))),
    );
    let upload = Upload::stream(chunks, Some(18));
    assert!(!upload.is_replayable());
    let mut request = Request::new("probe", Method::PUT, "/files/{name}");
    request.path("/files/a");
    request.upload_body("text/plain", upload);
    let error = probe.send(request).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.attempts(), 1);
    let seen = server.seen();
    assert_eq!(seen.len(), 1, "a stream cannot be sent again: not retried");
    assert_eq!(seen[0].header("content-length"), Some("18"));
    assert_eq!(seen[0].body, b"first second third");
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn an_upload_of_unknown_length_is_sent_chunked() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |_, _| Reply::Bytes(json_reply(200, "{}"))).await;
    let probe = client(&server, &clock).build().unwrap();
    let (reader, mut writer) = tokio::io::duplex(1024);
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        for part in ["made ", "while ", "sent"] {
            writer.write_all(part.as_bytes()).await.unwrap();
        }
    });
    let upload = Upload::reader(reader, None);
    assert_eq!(upload.length(), None);
    let mut request = Request::new("probe", Method::POST, "/logs");
    request.path("/logs");
    request.upload_body("text/plain", upload);
    probe.send(request).await.unwrap();
    let seen = server.seen();
    assert_eq!(seen[0].header("content-length"), None);
    assert_eq!(seen[0].header("transfer-encoding"), Some("chunked"));
    assert_eq!(seen[0].body, b"made while sent");
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Delta {
    n: u32,
}

fn events_request() -> Request {
    let mut request = Request::new("probe", Method::POST, "/chat");
    request.path("/chat");
    request.json_body(
        "application/json",
        &json!({"prompt": "hi", "stream": false}),
    );
    request.set_json_flag("stream");
    request.accept = Some("text/event-stream");
    request
}

/// A response claiming a longer body than it sends, cut by a reset: a dropped
/// connection.
fn dropped(events: &str) -> Reply {
    let mut bytes = head(200, "text/event-stream", 100_000);
    bytes.extend_from_slice(events.as_bytes());
    Reply::Reset(bytes)
}

fn whole(events: &str) -> Reply {
    Reply::Bytes(response(
        200,
        &[("Content-Type", "text/event-stream")],
        events.as_bytes(),
    ))
}

#[tokio::test]
async fn events_resume_after_a_dropped_connection_with_last_event_id() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |n, _| match n {
        0 => dropped(": hello\nretry: 1500\nid: 1\ndata: {\"n\":1}\n\nid: 2\nevent: delta\ndata: {\"n\":2}\n\ndata: {\"n\":"),
        _ => whole("data: {\"n\":3}\nid: 3\n\n: keep-alive\n\ndata: [DONE]\n\ndata: {\"n\":4}\n\n"),
    })
    .await;
    let probe = client(&server, &clock).build().unwrap();
    let response = probe
        .core
        .execute_events(
            events_request(),
            decode_json::<Delta>,
            decode_error_json::<Value>,
        )
        .await
        .unwrap();
    let mut events = response.body;
    let mut got = Vec::new();
    while let Some(event) = events.next().await {
        got.push(event.unwrap());
    }
    let event = |event: &str, n, id: &str, retry: Option<u64>| Event {
        event: event.to_string(),
        data: Delta { n },
        id: Some(id.to_string()),
        retry: retry.map(Duration::from_millis),
    };
    assert_eq!(
        got,
        vec![
            event("message", 1, "1", Some(1500)),
            event("delta", 2, "2", None),
            event("message", 3, "3", None),
        ],
        "the event cut off by the drop is not given; `[DONE]` ends the stream"
    );
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].header("last-event-id"), None);
    assert_eq!(seen[1].header("last-event-id"), Some("2"));
    assert_eq!(seen[1].header("accept"), Some("text/event-stream"));
    for request in &seen {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(body, json!({"prompt": "hi", "stream": true}));
    }
    assert_eq!(
        clock.sleeps(),
        vec![Duration::from_millis(1500)],
        "the reconnection waits what `retry:` asked for"
    );
}

#[tokio::test]
async fn events_end_cleanly_when_the_body_ends_and_are_not_resumed() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |_, _| {
        whole("id: 1\ndata: first\n\ndata: second\n\n")
    })
    .await;
    let probe = client(&server, &clock).build().unwrap();
    let mut events = feed_events(&probe).await;
    let mut data = Vec::new();
    while let Some(event) = events.next().await {
        data.push(event.unwrap().data);
    }
    assert_eq!(data, ["first", "second"]);
    assert_eq!(server.seen().len(), 1, "a clean end is the end");
}

#[tokio::test]
async fn a_drop_without_an_id_or_retry_is_an_error_and_the_end() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |_, _| dropped("data: first\n\ndata: cut")).await;
    let probe = client(&server, &clock).build().unwrap();
    let mut events = feed_events(&probe).await;
    assert_eq!(events.next().await.unwrap().unwrap().data, "first");
    let error = events.next().await.unwrap().unwrap_err();
    assert!(
        matches!(
            error,
            Error::Body {
                source: BodyError::Interrupted(_),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(events.next().await.is_none());
    assert_eq!(
        server.seen().len(),
        1,
        "nothing to resume from: no reconnection"
    );
}

#[tokio::test]
async fn reconnecting_gives_up_after_the_policy_s_attempts_in_a_row() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |n, _| match n {
        0 => dropped("id: 1\ndata: {\"n\":1}\n\n"),
        _ => dropped(": nothing new\n"),
    })
    .await;
    let probe = client(&server, &clock)
        .retry(
            RetryPolicy::default()
                .max_attempts(3)
                .backoff(Duration::from_millis(100), Duration::from_secs(1))
                .jitter(vendor_clients::runtime::Jitter::None),
        )
        .build()
        .unwrap();
    let mut events = probe
        .core
        .execute_events(
            get("/feed"),
            decode_json::<Delta>,
            decode_error_json::<Value>,
        )
        .await
        .unwrap()
        .body;
    assert_eq!(events.next().await.unwrap().unwrap().data, Delta { n: 1 });
    assert!(events.next().await.unwrap().is_err());
    assert!(events.next().await.is_none());
    // The first connection and two reconnections, each after the backoff.
    assert_eq!(server.seen().len(), 3);
    assert_eq!(
        clock.sleeps(),
        [Duration::from_millis(100), Duration::from_millis(200)]
    );
}

#[tokio::test]
async fn data_that_does_not_decode_is_an_error_item_and_the_stream_goes_on() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |_, _| {
        whole("data: {\"n\":1}\n\ndata: {\"n\":\"two\"}\n\ndata: {\"n\":3}\n\n")
    })
    .await;
    let probe = client(&server, &clock).build().unwrap();
    let mut events = probe
        .core
        .execute_events(
            get("/feed"),
            decode_json::<Delta>,
            decode_error_json::<Value>,
        )
        .await
        .unwrap()
        .body;
    assert_eq!(events.next().await.unwrap().unwrap().data, Delta { n: 1 });
    let error = events.next().await.unwrap().unwrap_err();
    assert_eq!(error.raw_body(), Some(&b"{\"n\":\"two\"}"[..]));
    assert!(matches!(error, Error::Decode { .. }));
    assert_eq!(events.next().await.unwrap().unwrap().data, Delta { n: 3 });
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn an_event_past_the_body_limit_ends_the_stream_with_an_error() {
    let clock = FakeClock::new();
    let big = format!("data: {}\n\n", "x".repeat(2048));
    let server = scripted(&clock, move |_, _| whole(&big)).await;
    let probe = client(&server, &clock)
        .max_body_bytes(1024)
        .build()
        .unwrap();
    let mut events = feed_events(&probe).await;
    let error = events.next().await.unwrap().unwrap_err();
    assert!(
        matches!(
            error,
            Error::Body {
                source: BodyError::TooLarge { limit: 1024 },
                ..
            }
        ),
        "{error:?}"
    );
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn a_retry_longer_than_the_policy_s_max_wait_is_not_waited_for() {
    let clock = FakeClock::new();
    let server = scripted(&clock, |_, _| {
        dropped("retry: 3600000\nid: 1\ndata: first\n\ndata: cut")
    })
    .await;
    let probe = client(&server, &clock).build().unwrap();
    let mut events = feed_events(&probe).await;
    assert_eq!(events.next().await.unwrap().unwrap().data, "first");
    assert!(events.next().await.unwrap().is_err());
    assert!(events.next().await.is_none());
    assert_eq!(server.seen().len(), 1, "an hour is past the 60 s max_wait");
    assert!(clock.sleeps().is_empty());
}
