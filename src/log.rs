//! Writing scheduler events to stderr, as text or JSON lines.

use crate::console::Console;
use crate::scheduler::event::Field;
use crate::scheduler::{Event, Level, Record};
use crate::timefmt::rfc3339_millis_z;
use chrono::Utc;
use std::fmt::Write as _;
use std::sync::Arc;

/// How log lines look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// `2026-11-22T02:30:00.001Z INFO job_submitted job=backup ...`
    Text,
    /// One JSON object per line.
    Json,
}

/// Renders and writes events at or above a level.
#[derive(Clone)]
pub(crate) struct Logger {
    format: Format,
    /// The lowest level shown; `None` shows nothing.
    min: Option<Level>,
    /// Where lines are queued: one write(2) per batch, not per line.
    console: Arc<Console>,
    /// Also told of every event, shown or not (a program's subscribers).
    tap: Option<Tap>,
}

/// What a logger also tells each event to.
pub(crate) type Tap = Arc<dyn Fn(&Event) + Send + Sync>;

/// A logfmt value: bare when simple, quoted otherwise.
fn value(text: &str) -> String {
    if !text.is_empty() && !text.contains(|c: char| c.is_whitespace() || c == '"' || c == '=') {
        text.to_string()
    } else {
        format!("{text:?}")
    }
}

/// A field as JSON: numbers and flags as such, durations as `KEY_seconds`.
fn json_field(key: &str, field: Field) -> (String, serde_json::Value) {
    match field {
        Field::Text(t) => (key.into(), t.into()),
        Field::Number(n) => (key.into(), n.into()),
        Field::Flag(b) => (key.into(), b.into()),
        Field::Seconds(d) => {
            // Exact below 2^52 ms (over 100,000 years); a logged number past
            // that may round.
            #[allow(clippy::cast_precision_loss)]
            let ms = d.as_millis() as f64 / 1000.0;
            (format!("{key}_seconds"), ms.into())
        }
    }
}

impl Logger {
    /// The line for `event` at the time `now` (RFC 3339, UTC, milliseconds).
    pub(crate) fn render(&self, event: &Event, now: &chrono::DateTime<Utc>) -> String {
        let time = rfc3339_millis_z(now);
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
                    // Writing to a String cannot fail.
                    let _ = write!(line, " {k}={}", value(&v.text()));
                }
                line
            }
            Format::Json => {
                let mut map = serde_json::Map::new();
                map.insert("time".into(), time.into());
                map.insert("level".into(), level.into());
                map.insert("event".into(), event.name().into());
                for (k, v) in event.fields() {
                    let (key, value) = json_field(k, v);
                    map.insert(key, value);
                }
                serde_json::Value::Object(map).to_string()
            }
        }
    }

    /// A logger of events at `min` and above, writing through `console`.
    pub(crate) fn new(format: Format, min: Level, console: Arc<Console>) -> Logger {
        Logger {
            format,
            min: Some(min),
            console,
            tap: None,
        }
    }

    /// The same logger showing nothing, telling `tap` of each event
    /// instead: a scheduler inside a program tells the program.
    pub(crate) fn silent(mut self, tap: Tap) -> Logger {
        self.min = None;
        self.tap = Some(tap);
        self
    }

    /// Queues the event's line if its level is shown; [`Logger::flush`] writes.
    pub(crate) fn log(&mut self, event: &Event) {
        if let Some(tap) = &self.tap {
            tap(event);
        }
        if self.min.is_some_and(|min| event.level() >= min) {
            self.console.queue(&self.render(event, &Utc::now()));
        }
    }

    /// Writes the queued lines to stderr.
    pub(crate) fn flush(&mut self) {
        self.console.flush();
    }
}

/// Where a line of job output came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stream {
    Stdout,
    Stderr,
}

/// Appends one line of a job's output as apsched forwards it: `job| text`,
/// or a JSON object with the job, the run's number, the stream and the line.
pub(crate) fn job_line(
    format: Format,
    job: &str,
    run: Record,
    stream: Stream,
    text: &[u8],
    out: &mut Vec<u8>,
) {
    match format {
        Format::Text => {
            out.extend_from_slice(job.as_bytes());
            out.extend_from_slice(b"| ");
            out.extend_from_slice(text);
        }
        Format::Json => {
            let time = rfc3339_millis_z(&Utc::now());
            let value = serde_json::json!({
                "time": time,
                "event": "job_output",
                "job": job,
                "run": run,
                "stream": if stream == Stream::Stdout { "stdout" } else { "stderr" },
                "line": String::from_utf8_lossy(text),
            });
            out.extend_from_slice(value.to_string().as_bytes());
        }
    }
    out.push(b'\n');
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
        let text = Logger::new(Format::Text, Level::Info, Console::new());
        assert_eq!(
            text.render(&event, &now),
            "2026-11-22T02:30:00.001Z INFO  job_removed job=backup reason=\"removed from the file\""
        );
        let json = Logger::new(Format::Json, Level::Info, Console::new());
        assert_eq!(
            json.render(&event, &now),
            r#"{"time":"2026-11-22T02:30:00.001Z","level":"info","event":"job_removed","job":"backup","reason":"removed from the file"}"#
        );
    }

    #[test]
    fn sleeps_clock_steps_and_a_lost_clock_watch() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-22T02:30:00.001Z")
            .expect("time")
            .with_timezone(&Utc);
        let text = Logger::new(Format::Text, Level::Debug, Console::new());
        let cases = [
            (
                Event::Sleeping {
                    until: Some(now),
                    due: Some(crate::scheduler::Due::Slot("backup".into())),
                },
                "DEBUG sleeping until=2026-11-22T02:30:00.001Z for=slot job=backup",
            ),
            (
                Event::Sleeping {
                    until: Some(now),
                    due: None,
                },
                "DEBUG sleeping until=2026-11-22T02:30:00.001Z for=clock_check",
            ),
            (
                Event::Sleeping {
                    until: None,
                    due: None,
                },
                "DEBUG sleeping for=nothing_due",
            ),
            (
                Event::Woke {
                    reason: "clock_set",
                    job: None,
                    run: None,
                },
                "DEBUG woke reason=clock_set",
            ),
            (
                Event::ClockWatchFailed {
                    error: "cannot read the wall clock's timer: Bad file descriptor".into(),
                },
                "WARN  clock_watch_failed error=\"cannot read the wall clock's timer: Bad file descriptor\"",
            ),
        ];
        for (event, line) in cases {
            let rendered = text.render(&event, &now);
            assert_eq!(rendered, format!("2026-11-22T02:30:00.001Z {line}"));
        }
    }
}
