//! What each fuzz target checks. A failed check panics, which libFuzzer
//! reports as a crash (so does an overflow: fuzz builds check them).
//!
//! Inputs are text, so the corpus stays readable:
//! - `cron`: an expression on the first line (a cron string, or
//!   `fields: hour=3; minute=*/5` for a field-style trigger), then optionally
//!   the start (UTC seconds or RFC 3339; default 2026-01-01T00:00:00Z) and
//!   a zone name (default UTC) on the next lines;
//! - `config`: a whole schedule file;
//! - `times`: one duration or time text.

use super::brute::{Reference, Scan};
use apsched::cron::{CronFields, CronSchedule, FireTime};
use apsched::timezone::FireKind;
use chrono::{DateTime, Duration, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use std::path::Path;

/// How many fire times each input follows.
const FIRES: usize = 8;
/// How far the reference looks ahead for each fire time, in days.
const HORIZON_DAYS: u32 = 400;

/// The time the schedule file and time checks take as now, so that a
/// result never depends on the day the check runs.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

fn start_of(line: Option<&str>) -> Option<DateTime<Utc>> {
    let text = line.map_or("", str::trim);
    if text.is_empty() {
        return Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single();
    }
    match text.parse::<i64>() {
        Ok(secs) => DateTime::from_timestamp(secs, 0),
        Err(_) => DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.with_timezone(&Utc)),
    }
}

fn fields_of(text: &str) -> CronFields {
    let mut fields = CronFields::default();
    for pair in text.split(';') {
        if let Some((name, value)) = pair.split_once('=')
            && let Some(slot) = fields.slot(name.trim())
        {
            *slot = Some(value.to_string());
        }
    }
    fields
}

/// The cron engine: parsing never panics; fire times are strictly after
/// the start and increasing, in the start's zone, whole seconds, at most in
/// year 9999; `next_after` chained gives what `iter_after` gives; the
/// normalized text means the same schedule; and for plain cron strings,
/// each fire time's wall-clock time matches by the reference, which in UTC
/// also finds no match the engine skipped.
pub fn cron(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.split('\n');
    let expr = lines.next().unwrap_or("");
    let Some(start) = start_of(lines.next()) else {
        return;
    };
    let tz: Tz = lines
        .next()
        .and_then(|z| z.trim().parse().ok())
        .unwrap_or(Tz::UTC);
    let start = start.with_timezone(&tz);

    let (parsed, reference) = match expr.strip_prefix("fields:") {
        Some(rest) => (
            CronSchedule::from_fields(&fields_of(rest)),
            Reference::Special,
        ),
        None => (expr.parse::<CronSchedule>(), Reference::of(expr)),
    };
    let schedule = match (parsed, &reference) {
        (Err(e), Reference::Plain(_)) => panic!("{expr:?} rejected, but plain: {e}"),
        (Err(e), _) => {
            assert!(
                !e.reason.is_empty() && !e.field.is_empty(),
                "{expr:?}: {e:?}"
            );
            return;
        }
        (Ok(_), Reference::Invalid(why)) => panic!("{expr:?} accepted, but invalid: {why}"),
        (Ok(s), _) => s,
    };
    let _ = schedule.describe();

    let mut iter = schedule.iter_after(&start);
    let fires: Vec<FireTime> = (0..FIRES).map_while(|_| iter.next_fire()).collect();
    let times: Vec<DateTime<Tz>> = schedule.iter_after(&start).take(FIRES).collect();
    let fired: Vec<DateTime<Tz>> = fires.iter().map(|f| f.at).collect();
    assert_eq!(fired, times, "{expr:?}: next_fire and next disagree");

    let mut prev = start;
    for t in &times {
        assert!(*t > prev, "{expr:?} from {start}: {t} after {prev}");
        assert_eq!(t.timezone(), tz);
        // The offset is chrono-tz's at that instant (before 1850 too).
        let offset = tz.offset_from_utc_datetime(&t.naive_utc());
        assert_eq!(t.offset().fix(), offset.fix(), "{expr:?}: {t} in {tz}");
        assert_eq!(t.timestamp_subsec_nanos(), 0, "{expr:?}: {t}");
        assert!(t.naive_local() < wall(253_402_300_800), "{expr:?}: {t}");
        assert_eq!(
            schedule.next_after(&prev),
            Some(*t),
            "{expr:?} after {prev}"
        );
        prev = *t;
    }
    if times.len() < FIRES {
        assert_eq!(schedule.next_after(&prev), None, "{expr:?} after {prev}");
    }
    if schedule.syntax() == apsched::cron::Syntax::CronString {
        let again: CronSchedule = match schedule.normalized().parse() {
            Ok(s) => s,
            Err(e) => panic!("{expr:?}: normalized {:?}: {e}", schedule.normalized()),
        };
        let same: Vec<_> = again.iter_after(&start).take(FIRES).collect();
        assert_eq!(
            same,
            times,
            "{expr:?} normalized {:?}",
            schedule.normalized()
        );
    }

    if let Reference::Plain(brute) = reference {
        for f in &fires {
            let w = match f.kind {
                FireKind::Shifted { wall: w } => wall(w),
                _ => f.at.naive_local(),
            };
            assert!(brute.matches(w), "{expr:?}: {} ({w}) does not match", f.at);
        }
        if tz == Tz::UTC {
            complete(&brute, expr, &start, &times);
        }
    }
}

/// Naive seconds as a wall-clock time.
fn wall(secs: i64) -> NaiveDateTime {
    DateTime::from_timestamp(secs, 0)
        .expect("in chrono's range")
        .naive_utc()
}

/// In UTC, the reference's next match after each fire time (and after the
/// start) is the engine's next one, where the reference can see it.
fn complete(brute: &super::brute::Brute, expr: &str, start: &DateTime<Tz>, times: &[DateTime<Tz>]) {
    let mut from = wall(start.timestamp()).checked_add_signed(Duration::seconds(1));
    let ends = times.len() < FIRES;
    let engine = times.iter().map(Some).chain(ends.then_some(None));
    for got in engine {
        let Some(at) = from else { return };
        let got = got.map(chrono::DateTime::naive_utc);
        match brute.next(at, HORIZON_DAYS) {
            Scan::Found(want) => assert_eq!(got, Some(want), "{expr:?} from {at}"),
            Scan::Never => assert_eq!(got, None, "{expr:?} from {at}"),
            Scan::NotBefore(limit) => {
                assert!(
                    got.is_none_or(|g| g >= limit),
                    "{expr:?} from {at}: {got:?} missed"
                );
            }
        }
        from = got.and_then(|g| g.checked_add_signed(Duration::seconds(1)));
    }
}

/// The schedule file loader: never panics; every problem has a line and
/// column inside the file; a loaded job's next run times are after the
/// fixed now and increasing.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match apsched::internals::parse_at(Path::new("fuzz.toml"), text, now()) {
        Ok(config) => {
            let now = now().with_timezone(&config.scheduler.timezone);
            for job in &config.jobs {
                let mut prev = now;
                for t in job.trigger.upcoming(&now, &now, 3) {
                    assert!(t > prev, "job {}: {t} after {prev}", job.id);
                    prev = t;
                }
                let _ = (job.trigger.fingerprint(), job.trigger.summary());
            }
        }
        Err(problems) => {
            assert!(!problems.is_empty());
            let lines: Vec<&str> = text.split('\n').collect();
            for p in &problems {
                let line = p.line.checked_sub(1).and_then(|i| lines.get(i));
                let width = line.map_or(0, |l| l.chars().count());
                assert!(line.is_some(), "no line {}: {p}", p.line);
                assert!(p.column >= 1 && p.column <= width + 1, "column: {p}");
                assert!(!p.message.is_empty(), "{p:?}");
            }
        }
    }
}

/// The duration and time parsers: never panic; a duration of whole seconds
/// reads back from its formatted text; a time is in the zone asked for.
pub fn times(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(d) = apsched::duration::parse(text) {
        let formatted = apsched::duration::format(d);
        if d.subsec_nanos() == 0 || d.as_secs() == 0 {
            assert_eq!(apsched::duration::parse(&formatted), Ok(d), "{text:?}");
        }
    }
    for tz in [
        Tz::UTC,
        Tz::Europe__Berlin,
        Tz::Asia__Manila,
        Tz::Pacific__Apia,
    ] {
        if let Ok(t) = apsched::timespec::parse_time(text, tz, now()) {
            assert_eq!(t.timezone(), tz, "{text:?}");
        }
    }
}
