//! The cost of a generated call against the same request made by hand with
//! reqwest, on loopback, measured in one run: rounds alternate between the two so
//! machine noise hits both alike. Prints per-call medians and their ratio, and the
//! peak memory after 1,000 concurrent generated calls.
//!
//!     cargo bench -p vendor-clients --bench overhead
//!
//! Both sides send Katana's PATCH /services/{id} with the same JSON body and
//! bearer token and decode the documented 200 body into the generated type; the
//! generated side also validates the body, opens its tracing span, applies its
//! retry policy and timeouts and reads the body under its size limit.

#![allow(clippy::unwrap_used)]

#[path = "../tests/support/server.rs"]
mod server;

use std::time::{Duration, Instant};

use server::{Reply, Server, json};
use vendor_clients::katana::{Client, UpdateServiceRequest, UpdateServiceResponse};

const RESPONSE: &str = r#"{"id":1,"name":"Service name","uom":"pcs","category_name":"Service","type":"service","is_sellable":true,"custom_field_collection_id":1,"additional_info":"additional info","created_at":"2020-10-23T10:37:05.085Z","updated_at":"2020-10-23T10:37:05.085Z","deleted_at":null,"archived_at":"2020-10-20T10:37:05.085Z","variants":[{"id":1,"sku":"S-2486","sales_price":null,"default_cost":null,"service_id":1,"type":"service","created_at":"2020-10-23T10:37:05.085Z","updated_at":"2020-10-23T10:37:05.085Z","deleted_at":null,"custom_fields":[{"field_name":"Power level","field_value":"Strong"}]}]}"#;
const TOKEN: &str = "bench-token";
const CALLS_PER_ROUND: u32 = 2000;
const ROUNDS: usize = 15;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

async fn run() {
    let start = Instant::now();
    let server = Server::start(
        |_, _| Reply::Bytes(json(200, RESPONSE)),
        move || start.elapsed(),
    )
    .await;
    let base = server.url.clone();
    let generated = Client::builder()
        .base_url(&base)
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    let raw = reqwest::Client::new();
    let mut body = UpdateServiceRequest::new().sales_price(12.5);
    body.name = Some("Service name".into());

    let generated_round = || async {
        let started = Instant::now();
        for _ in 0..CALLS_PER_ROUND {
            let answer = generated.update_service(1, &body).await.unwrap();
            std::hint::black_box(answer.body);
        }
        started.elapsed() / CALLS_PER_ROUND
    };
    let raw_round = || async {
        let started = Instant::now();
        for _ in 0..CALLS_PER_ROUND {
            let response = raw
                .patch(format!("{base}/services/1"))
                .bearer_auth(TOKEN)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .body(serde_json::to_vec(&body).unwrap())
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success());
            let bytes = response.bytes().await.unwrap();
            let decoded: UpdateServiceResponse = serde_json::from_slice(&bytes).unwrap();
            std::hint::black_box(decoded);
        }
        started.elapsed() / CALLS_PER_ROUND
    };

    // Warm both pools and caches.
    generated_round().await;
    raw_round().await;
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for round in 0..ROUNDS {
        // Alternate which goes first, so neither always runs on a warmer machine.
        if round % 2 == 0 {
            ours.push(generated_round().await);
            theirs.push(raw_round().await);
        } else {
            theirs.push(raw_round().await);
            ours.push(generated_round().await);
        }
    }
    let (ours, theirs) = (median(ours), median(theirs));
    println!("calls per round: {CALLS_PER_ROUND}, rounds: {ROUNDS} each, loopback HTTP/1.1");
    println!(
        "generated client: {:>8.1} µs per call (median round)",
        micros(ours)
    );
    println!(
        "reqwest by hand:  {:>8.1} µs per call (median round)",
        micros(theirs)
    );
    println!(
        "ratio generated / by hand: {:.3}",
        ours.as_secs_f64() / theirs.as_secs_f64()
    );

    let before = peak_rss_kib();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..1000 {
        let client = generated.clone();
        let body = body.clone();
        calls.spawn(async move { client.update_service(1, &body).await.map(|_| ()) });
    }
    let mut ok = 0;
    while let Some(result) = calls.join_next().await {
        ok += usize::from(result.unwrap().is_ok());
    }
    println!(
        "1,000 concurrent generated calls: {ok} succeeded; peak RSS {} KiB before, {} KiB after; {} connections opened in all",
        before.map_or("?".into(), |k| k.to_string()),
        peak_rss_kib().map_or("?".into(), |k| k.to_string()),
        server.connections()
    );
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// The process's peak resident memory (Linux), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
