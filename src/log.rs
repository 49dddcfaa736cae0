//! Writing scheduler events to stderr, as text or JSON lines.

use crate::scheduler::{Event, Level};
use chrono::{SecondsFormat, Utc};
use std::io::Write;

/// How log lines look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `2026-11-22T02:30:00.001Z INFO job_submitted job=backup ...`
    Text,
    /// One JSON object per line.
    Json,
}

/// Renders and writes events at or above a level.
pub struct Logger {
    format: Format,
    min: Level,
    /// Lines not yet written: one write(2) per batch, not per line.
    pending: Vec<u8>,
}

/// A logfmt value: bare when simple, quoted otherwise.
fn value(text: &str) -> String {
    if !text.is_empty() && !text.contains(|c: char| c.is_whitespace() || c == '"' || c == '=') {
        text.to_string()
    } else {
        format!("{text:?}")
    }
}

impl Logger {
    /// The line for `event` at the time `now` (RFC 3339, UTC, milliseconds).
    pub fn render(&self, event: &Event, now: &chrono::DateTime<Utc>) -> String {
        let time = now.to_rfc3339_opts(SecondsFormat::Millis, true);
        let level = match event.level() {
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        };
        match self.format {
            Format::Text => {
                let mut line = format!("{time} {:<5} {}", level.to_uppercase(), event.name());
                for (k, v) in event.fields() {
                    line.push_str(&format!(" {k}={}", value(&v)));
                }
                line
            }
            Format::Json => {
                let mut map = serde_json::Map::new();
                map.insert("time".into(), time.into());
                map.insert("level".into(), level.into());
                map.insert("event".into(), event.name().into());
                for (k, v) in event.fields() {
                    map.insert(k.into(), v.into());
                }
                serde_json::Value::Object(map).to_string()
            }
        }
    }

    /// Writes the event if its level is shown.
    pub fn new(format: Format, min: Level) -> Logger {
        Logger {
            format,
            min,
            pending: Vec::new(),
        }
    }

    /// Queues the event's line if its level is shown; [`Logger::flush`] writes.
    pub fn log(&mut self, event: &Event) {
        if event.level() >= self.min {
            let line = self.render(event, &Utc::now());
            self.pending.extend_from_slice(line.as_bytes());
            self.pending.push(b'\n');
        }
    }

    /// Writes the queued lines to stderr.
    pub fn flush(&mut self) {
        if !self.pending.is_empty() {
            let _ = std::io::stderr().lock().write_all(&self.pending);
            self.pending.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_json_lines() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-22T02:30:00.001Z")
            .expect("time")
            .with_timezone(&Utc);
        let event = Event::JobRemoved {
            job: "backup".into(),
            reason: "removed from the file",
        };
        let text = Logger::new(Format::Text, Level::Info);
        assert_eq!(
            text.render(&event, &now),
            "2026-11-22T02:30:00.001Z INFO  job_removed job=backup reason=\"removed from the file\""
        );
        let json = Logger::new(Format::Json, Level::Info);
        assert_eq!(
            json.render(&event, &now),
            r#"{"time":"2026-11-22T02:30:00.001Z","level":"info","event":"job_removed","job":"backup","reason":"removed from the file"}"#
        );
    }
}
