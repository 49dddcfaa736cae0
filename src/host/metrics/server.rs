//! The HTTP server of the metrics endpoint: `std::net` on its own thread,
//! one short-lived thread per connection (at most [`MAX_CONNECTIONS`]), one
//! request per connection, closed after the response.

use super::Metrics;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Connections served at once; as many more are answered 503, and past
/// that they are closed unanswered.
const MAX_CONNECTIONS: usize = 8;
/// How long a connection over the limit may take to send its request.
const BUSY_TIMEOUT: Duration = Duration::from_secs(1);
/// How long a client may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a client may take to read the response.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest request head read.
const MAX_HEAD: usize = 8192;

/// The content type of `/metrics`.
const PROMETHEUS: &str = "text/plain; version=0.0.4; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

/// A response: status line text, content type, body (`None`: the
/// metrics, written as they are formatted, the end of the body marked by
/// the end of the connection).
pub(super) struct Response {
    pub status: &'static str,
    pub content_type: &'static str,
    pub body: Option<String>,
    pub allow: bool,
}

fn text(status: &'static str, body: String) -> Response {
    Response {
        status,
        content_type: TEXT,
        body: Some(body),
        allow: false,
    }
}

/// Serves `listener` on a thread of its own, for the life of the process.
pub(super) fn serve(listener: TcpListener, metrics: Metrics) -> std::io::Result<()> {
    let active = Arc::new(AtomicUsize::new(0));
    std::thread::Builder::new()
        .name("metrics".into())
        .spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let n = active.fetch_add(1, Ordering::AcqRel);
                // Past twice the limit, not even a 503.
                if n >= 2 * MAX_CONNECTIONS {
                    active.fetch_sub(1, Ordering::AcqRel);
                    continue;
                }
                let metrics = metrics.clone();
                let done = Arc::clone(&active);
                let spawned = std::thread::Builder::new()
                    .name("metrics-conn".into())
                    .spawn(move || {
                        connection(stream, &metrics, n >= MAX_CONNECTIONS);
                        done.fetch_sub(1, Ordering::AcqRel);
                    });
                if spawned.is_err() {
                    active.fetch_sub(1, Ordering::AcqRel);
                }
            }
        })?;
    Ok(())
}

/// Reads one request and answers it (503 when `busy`).
fn connection(mut stream: TcpStream, metrics: &Metrics, busy: bool) {
    let wait = if busy { BUSY_TIMEOUT } else { READ_TIMEOUT };
    let _ = stream.set_read_timeout(Some(wait));
    let _ = stream.set_write_timeout(Some(if busy { wait } else { WRITE_TIMEOUT }));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !ends_head(&head) && head.len() < MAX_HEAD {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let mut words = line.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let response = if busy {
        text(
            "503 Service Unavailable",
            "busy: too many connections\n".into(),
        )
    } else {
        route(method, target, metrics)
    };
    let _ = write(stream, &response, method == "HEAD", metrics);
}

/// Whether the request head is complete.
fn ends_head(head: &[u8]) -> bool {
    head.windows(4).any(|w| w == b"\r\n\r\n") || head.windows(2).any(|w| w == b"\n\n")
}

/// The response to a request line.
pub(super) fn route(method: &str, target: &str, metrics: &Metrics) -> Response {
    if method.is_empty() || target.is_empty() {
        return text("400 Bad Request", "bad request\n".into());
    }
    let path = target.split('?').next().unwrap_or(target);
    let known = matches!(path, "/metrics" | "/healthz");
    if known && !matches!(method, "GET" | "HEAD") {
        let mut r = text("405 Method Not Allowed", "only GET and HEAD\n".into());
        r.allow = true;
        return r;
    }
    match path {
        "/metrics" => Response {
            status: "200 OK",
            content_type: PROMETHEUS,
            body: None,
            allow: false,
        },
        "/healthz" => match metrics.health() {
            Ok(()) => text("200 OK", "ok\n".into()),
            Err(reason) => text("503 Service Unavailable", format!("{reason}\n")),
        },
        _ => text(
            "404 Not Found",
            "not found: apsched serves /metrics and /healthz\n".into(),
        ),
    }
}

/// Writes a response and closes the connection.
fn write(
    mut stream: TcpStream,
    r: &Response,
    head_only: bool,
    metrics: &Metrics,
) -> std::io::Result<()> {
    let allow = if r.allow { "Allow: GET, HEAD\r\n" } else { "" };
    let length = (r.body.as_ref()).map_or(String::new(), |b| {
        format!("Content-Length: {}\r\n", b.len())
    });
    let head = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\n{length}{allow}Connection: close\r\n\r\n",
        r.status, r.content_type,
    );
    stream.write_all(head.as_bytes())?;
    match &r.body {
        _ if head_only => {}
        Some(body) => stream.write_all(body.as_bytes())?,
        None => metrics.write(&mut stream)?,
    }
    stream.flush()?;
    stream.shutdown(std::net::Shutdown::Write)
}
