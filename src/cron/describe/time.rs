//! The time of day of a schedule in words, from its second, minute and hour
//! sets: `at 09:00`, `every 15 minutes from 09:00 through 17:45`, `at
//! minutes 15 and 45 past the hour, every 2 hours between 08:00 and 18:59`.

use super::shape::{Shape, every, join, ordinal, pieces_text, shape, values};

/// The time-of-day phrase, and whether it is a list of clock times (which
/// then reads `... every day` when no day is named).
pub(super) struct TimePhrase {
    pub text: String,
    pub clock_times: bool,
}

const ALL_MINUTES: u64 = (1 << 60) - 1;

fn clock(hour: u32, minute: u32, second: u32) -> String {
    if second == 0 {
        format!("{hour:02}:{minute:02}")
    } else {
        format!("{hour:02}:{minute:02}:{second:02}")
    }
}

fn phrase(text: String) -> TimePhrase {
    TimePhrase {
        text,
        clock_times: false,
    }
}

/// Describes the second, minute and hour masks.
pub(super) fn time_phrase(seconds: u64, minutes: u64, hours: u64) -> TimePhrase {
    let secs = values(seconds, 0, 59);
    let mins = values(minutes, 0, 59);
    match (secs.as_slice(), mins.as_slice()) {
        ([second], [minute]) => fixed_offset(*minute, *second, hours),
        ([second], _) => minutes_phrase(&mins, *second, hours),
        _ => phrase(seconds_phrase(seconds, minutes, hours)),
    }
}

/// One fire time per hour, at `minute:second` past each hour in `hours`.
fn fixed_offset(minute: u32, second: u32, hours: u64) -> TimePhrase {
    let at = |hour| clock(hour, minute, second);
    let hour_values = values(hours, 0, 23);
    let on_the_hour = minute == 0 && second == 0;
    let few = hour_values.len() <= 4;
    let text = match shape(hours, 0, 23, true) {
        Shape::Every(step) if on_the_hour => every(step, "hour"),
        Shape::Every(_) | Shape::Stepped { .. } | Shape::List(_) if few => {
            let times: Vec<String> = hour_values.iter().map(|h| at(*h)).collect();
            return TimePhrase {
                text: format!("at {}", join(&times)),
                clock_times: true,
            };
        }
        Shape::All if minute == 0 && second == 0 => "every hour".into(),
        Shape::All if second == 0 => format!("at minute {minute} of every hour"),
        Shape::All => format!("at {minute:02}:{second:02} past every hour"),
        Shape::Every(step) => {
            let last = 23 - 23 % step;
            format!(
                "{} from {} through {}",
                every(step, "hour"),
                at(0),
                at(last)
            )
        }
        Shape::Stepped { first, last, step } => {
            format!(
                "{} from {} through {}",
                every(step, "hour"),
                at(first),
                at(last)
            )
        }
        Shape::Range(first, last) => format!("every hour from {} through {}", at(first), at(last)),
        Shape::One(hour) => {
            return TimePhrase {
                text: format!("at {}", at(hour)),
                clock_times: true,
            };
        }
        Shape::List(pieces) => {
            let hours = values(hours, 0, 23);
            if pieces.len() == hours.len() {
                let times: Vec<String> = hours.iter().map(|h| at(*h)).collect();
                return TimePhrase {
                    text: format!("at {}", join(&times)),
                    clock_times: true,
                };
            }
            format!(
                "at minute {minute} past hours {}",
                pieces_text(&pieces, |h| h.to_string())
            ) + &seconds_suffix(second)
        }
    };
    phrase(text)
}

fn seconds_suffix(second: u32) -> String {
    if second == 0 {
        String::new()
    } else {
        format!(", at second {second}")
    }
}

/// Several minutes of each hour in `hours`, at `second`.
fn minutes_phrase(mins: &[u32], second: u32, hours: u64) -> TimePhrase {
    let minute_shape = shape(mins.iter().fold(0, |m, v| m | 1 << v), 0, 59, true);
    let hour_shape = shape(hours, 0, 23, true);
    let whole_hour = matches!(minute_shape, Shape::All | Shape::Every(_));
    let (first, last) = (
        mins.first().copied().unwrap_or(0),
        mins.last().copied().unwrap_or(0),
    );
    let base = match &minute_shape {
        Shape::All => "every minute".to_string(),
        Shape::Every(step) => every(*step, "minute"),
        Shape::Range(a, b) => format!("every minute from minute {a} through {b}"),
        Shape::Stepped { first, last, step } => {
            format!(
                "{} from minute {first} through {last}",
                every(*step, "minute")
            )
        }
        Shape::List(pieces) => format!("at minutes {}", pieces_text(pieces, |m| m.to_string())),
        Shape::One(m) => format!("at minute {m}"),
    };
    let hour_values = values(hours, 0, 23);
    if matches!(minute_shape, Shape::List(_)) && mins.len() * hour_values.len() <= 6 {
        let times: Vec<String> = hour_values
            .iter()
            .flat_map(|h| mins.iter().map(move |m| clock(*h, *m, second)))
            .collect();
        return TimePhrase {
            text: format!("at {}", join(&times)),
            clock_times: true,
        };
    }
    // A whole hour's worth of minutes within a span of hours: clock times.
    match hour_shape {
        Shape::One(h) if whole_hour && second == 0 => {
            let (from, to) = (clock(h, first, 0), clock(h, last, 0));
            return phrase(format!("{base} from {from} through {to}"));
        }
        Shape::Range(a, b) if whole_hour && second == 0 => {
            let (from, to) = (clock(a, first, 0), clock(b, last, 0));
            return phrase(format!("{base} from {from} through {to}"));
        }
        _ => {}
    }
    let base = base + &seconds_suffix(second);
    let partial = matches!(
        minute_shape,
        Shape::List(_) | Shape::Range(..) | Shape::Stepped { .. }
    );
    phrase(match hours_qualifier(&hour_shape) {
        None if partial => format!("{base} past every hour"),
        None => base,
        Some(q) if partial => format!("{base} past the hour, {q}"),
        Some(q) => format!("{base}, {q}"),
    })
}

/// Which hours a sub-hourly schedule runs in; `None` for all of them.
fn hours_qualifier(hour_shape: &Shape) -> Option<String> {
    Some(match *hour_shape {
        Shape::All => return None,
        Shape::One(h) => format!("between {h:02}:00 and {h:02}:59"),
        Shape::Range(a, b) => format!("between {a:02}:00 and {b:02}:59"),
        Shape::Every(step) => format!("in every {} hour", ordinal(step)),
        Shape::Stepped { first, last, step } => format!(
            "in every {} hour from {first:02}:00 through {last:02}:59",
            ordinal(step)
        ),
        Shape::List(ref pieces) => {
            format!("during hours {}", pieces_text(pieces, |h| h.to_string()))
        }
    })
}

/// Several seconds of each minute: seconds first, then which minutes and hours.
fn seconds_phrase(seconds: u64, minutes: u64, hours: u64) -> String {
    let mut parts = vec![match shape(seconds, 0, 59, true) {
        Shape::All => "every second".to_string(),
        Shape::Every(step) => every(step, "second"),
        Shape::Range(a, b) => format!("every second from second {a} through {b}"),
        Shape::Stepped { first, last, step } => {
            format!(
                "{} from second {first} through {last}",
                every(step, "second")
            )
        }
        Shape::List(pieces) => format!("at seconds {}", pieces_text(&pieces, |s| s.to_string())),
        Shape::One(s) => format!("at second {s}"),
    }];
    let partial = !matches!(shape(seconds, 0, 59, true), Shape::All | Shape::Every(_));
    if partial && minutes & ALL_MINUTES == ALL_MINUTES {
        parts[0].push_str(" of every minute");
    }
    let minute_part = match shape(minutes, 0, 59, true) {
        Shape::All => None,
        Shape::One(m) => Some(format!("during minute {m}")),
        Shape::Every(step) => Some(format!("during every {} minute", ordinal(step))),
        Shape::Range(a, b) => Some(format!("during minutes {a} through {b}")),
        Shape::Stepped { first, last, step } => Some(format!(
            "during every {} minute from minute {first} through {last}",
            ordinal(step)
        )),
        Shape::List(pieces) => Some(format!(
            "during minutes {}",
            pieces_text(&pieces, |m| m.to_string())
        )),
    };
    parts.extend(minute_part);
    parts.extend(hours_qualifier(&shape(hours, 0, 23, true)));
    parts.join(", ")
}
