//! A raw HTTP/1.1 server on loopback whose every answer is scripted byte by byte,
//! so tests can send what a well-behaved server never would: a reset mid-body,
//! one byte at a time, no answer at all.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server read it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// `GET`, `POST`…
    pub method: String,
    /// The request target.
    pub target: String,
    /// Header lines, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// When it arrived, by the test's clock.
    pub at: Duration,
}

impl Seen {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with a request.
pub enum Reply {
    /// Writes these bytes and keeps the connection open for the next request.
    Bytes(Vec<u8>),
    /// Writes the first bytes at once, then the second one at a time, pausing
    /// between them.
    Trickle(Vec<u8>, Vec<u8>, Duration),
    /// Writes these bytes, then resets the connection (RST).
    Reset(Vec<u8>),
    /// Never answers; holds the connection open.
    Hang,
    /// Writes the head, then a body of this many bytes made as it is written
    /// (byte `i` is [`pattern`]`(i)`), so a body of gigabytes costs no memory.
    Generated(Vec<u8>, u64),
}

/// Byte `i` of a [`Reply::Generated`] body.
pub fn pattern(i: u64) -> u8 {
    (i % 251) as u8
}

/// A whole response: status line, headers (Content-Length added unless given) and body.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status} Scripted\r\n");
    let mut has_length = false;
    for (name, value) in headers {
        has_length |= name.eq_ignore_ascii_case("content-length")
            || name.eq_ignore_ascii_case("transfer-encoding");
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !has_length {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// A JSON response.
pub fn json(status: u16, body: &str) -> Vec<u8> {
    response(
        status,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
}

type Handler = dyn Fn(usize, &Seen) -> Reply + Send + Sync;
type Now = dyn Fn() -> Duration + Send + Sync;

/// A running server; it stops when the test's runtime ends.
#[derive(Clone)]
pub struct Server {
    /// `http://127.0.0.1:port`.
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    connections: Arc<AtomicUsize>,
}

impl Server {
    /// Starts a server answering request `n` (from 0) with `handler(n, request)`;
    /// `now` stamps each arrival.
    pub async fn start(
        handler: impl Fn(usize, &Seen) -> Reply + Send + Sync + 'static,
        now: impl Fn() -> Duration + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let server = Server {
            url,
            seen: Arc::default(),
            connections: Arc::default(),
        };
        let handler: Arc<Handler> = Arc::new(handler);
        let now: Arc<Now> = Arc::new(now);
        let count = Arc::new(AtomicUsize::new(0));
        let state = server.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                state.connections.fetch_add(1, Ordering::SeqCst);
                let (handler, now, count, seen) = (
                    handler.clone(),
                    now.clone(),
                    count.clone(),
                    state.seen.clone(),
                );
                tokio::spawn(async move {
                    serve(stream, &*handler, &*now, &count, &seen).await;
                });
            }
        });
        server
    }

    /// Every request read so far, in arrival order.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("not poisoned").clone()
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn serve(
    mut stream: TcpStream,
    handler: &Handler,
    now: &Now,
    count: &AtomicUsize,
    seen: &Mutex<Vec<Seen>>,
) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer, now).await else {
            return;
        };
        let n = count.fetch_add(1, Ordering::SeqCst);
        seen.lock().expect("not poisoned").push(request.clone());
        match handler(n, &request) {
            Reply::Bytes(bytes) => {
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Reply::Trickle(at_once, bytes, pause) => {
                if stream.write_all(&at_once).await.is_err() {
                    return;
                }
                for byte in bytes {
                    if stream.write_all(&[byte]).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(pause).await;
                }
            }
            Reply::Reset(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.set_zero_linger();
                return;
            }
            Reply::Generated(head, length) => {
                if stream.write_all(&head).await.is_err() {
                    return;
                }
                // Byte `i` depends on `i % 251` only: a block from any offset is
                // a slice of this one.
                let block: Vec<u8> = (0..65_536 + 251).map(pattern).collect();
                let mut sent = 0u64;
                while sent < length {
                    let start = (sent % 251) as usize;
                    let n = (length - sent).min(65_536) as usize;
                    if stream.write_all(&block[start..start + n]).await.is_err() {
                        return;
                    }
                    sent += n as u64;
                }
            }
            Reply::Hang => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                return;
            }
        }
    }
}

async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>, now: &Now) -> Option<Seen> {
    let head_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    if chunked {
        buffer.drain(..head_end);
        let body = read_chunked(stream, buffer).await?;
        return Some(Seen {
            method,
            target,
            headers,
            body,
            at: now(),
        });
    }
    while buffer.len() < head_end + length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[head_end..head_end + length].to_vec();
    buffer.drain(..head_end + length);
    Some(Seen {
        method,
        target,
        headers,
        body,
        at: now(),
    })
}

/// A chunked body (`Transfer-Encoding: chunked`) at the start of `buffer`,
/// reading more as needed; what follows it stays in `buffer`.
async fn read_chunked(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(i) = buffer.windows(2).position(|w| w == b"\r\n") {
                break i;
            }
            fill(stream, buffer).await?;
        };
        let size_text = String::from_utf8_lossy(&buffer[..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        while buffer.len() < line_end + 2 + size + 2 {
            fill(stream, buffer).await?;
        }
        body.extend_from_slice(&buffer[line_end + 2..line_end + 2 + size]);
        buffer.drain(..line_end + 2 + size + 2);
        if size == 0 {
            return Some(body);
        }
    }
}

async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 4096];
    let n = stream.read(&mut chunk).await.ok()?;
    if n == 0 {
        return None;
    }
    buffer.extend_from_slice(&chunk[..n]);
    Some(())
}
