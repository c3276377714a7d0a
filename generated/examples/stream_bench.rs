//! Figures for a streamed download: one process serves a body of `--bytes`
//! bytes on loopback and reads it back one way, then prints the throughput and
//! its own peak resident memory (`VmHWM`). `xtask/bench-stream.sh` runs the
//! ways in turn and takes medians.
//!
//! Ways (`--mode`): `client`, the runtime's streamed body
//! (`ClientCore::execute_stream`, what a generated `…_stream` method calls) with a
//! 1 MiB body limit; `reqwest`, a plain `reqwest` byte stream, the floor; `whole`,
//! the runtime's whole-body read (its limit raised to the size), for contrast.
//!
//! cargo run --release -p vendor-clients --example stream_bench -- --mode client --bytes 4294967296

use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use vendor_clients::runtime::{
    ClientBuilder, ClientCore, FromCore, Method, Request, decode_bytes, decode_error_json,
};

/// A client made only of the runtime, as a generated one is.
struct Bench {
    core: ClientCore,
}

impl FromCore for Bench {
    fn from_core(core: ClientCore) -> Self {
        Bench { core }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut mode = "client".to_string();
    let mut bytes: u64 = 1 << 30;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--mode" => mode = args.next().ok_or("--mode needs a value")?,
            "--bytes" => bytes = args.next().ok_or("--bytes needs a value")?.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let url = serve(bytes).await?;
    let started = Instant::now();
    let read = match mode.as_str() {
        "client" => {
            let bench = ClientBuilder::<Bench>::new(Some(&url))
                .max_body_bytes(1 << 20)
                .build()?;
            let mut request = Request::new("download", Method::GET, "/file");
            request.path("/file");
            let mut body = bench
                .core
                .execute_stream(request, decode_error_json::<serde_json::Value>)
                .await?
                .body;
            let mut read = 0u64;
            while let Some(chunk) = body.next().await {
                read += chunk?.len() as u64;
            }
            read
        }
        "reqwest" => {
            let mut response = reqwest::get(format!("{url}/file")).await?;
            let mut read = 0u64;
            while let Some(chunk) = response.chunk().await? {
                read += chunk.len() as u64;
            }
            read
        }
        "whole" => {
            let bench = ClientBuilder::<Bench>::new(Some(&url))
                .max_body_bytes(usize::try_from(bytes)?)
                .build()?;
            let mut request = Request::new("download", Method::GET, "/file");
            request.path("/file");
            let body = bench
                .core
                .execute(
                    request,
                    decode_bytes,
                    decode_error_json::<serde_json::Value>,
                )
                .await?
                .body;
            body.len() as u64
        }
        other => return Err(format!("unknown mode {other}").into()),
    };
    let seconds = started.elapsed().as_secs_f64();
    if read != bytes {
        return Err(format!("read {read} bytes of {bytes}").into());
    }
    println!(
        "mode={mode} bytes={bytes} seconds={seconds:.3} mib_per_s={:.1} peak_rss_kib={}",
        bytes as f64 / (1 << 20) as f64 / seconds,
        peak_rss_kib().unwrap_or(0)
    );
    Ok(())
}

/// Serves `GET /file`: `length` bytes made as they are written.
async fn serve(length: u64) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = [0u8; 4096];
                let mut seen = 0;
                while !head[..seen].windows(4).any(|w| w == b"\r\n\r\n") && seen < head.len() {
                    match stream.read(&mut head[seen..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen += n,
                    }
                }
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {length}\r\n\r\n"
                );
                if stream.write_all(answer.as_bytes()).await.is_err() {
                    return;
                }
                let block: Vec<u8> = (0..65_536u64 + 251).map(|i| (i % 251) as u8).collect();
                let mut sent = 0u64;
                while sent < length {
                    let start = (sent % 251) as usize;
                    let n = (length - sent).min(65_536) as usize;
                    if stream.write_all(&block[start..start + n]).await.is_err() {
                        return;
                    }
                    sent += n as u64;
                }
            });
        }
    });
    Ok(url)
}

/// The process's peak resident memory, from `/proc/self/status` (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
