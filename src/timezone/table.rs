//! The UTC-offset timeline of a zone, as a sorted table of transitions.
//!
//! chrono-tz answers "what is the offset at this instant" but does not expose
//! its transition list, which the engine needs to know where gaps and repeated
//! hours are. The table is read off chrono-tz once per zone and process (about
//! a millisecond: one probe a day from 1800 to 2100, then a binary search to
//! the second at every change) and shared after that.
//! chrono-tz 0.10 holds rules up to 2099; later years keep the last offset.

use chrono::{DateTime, Offset, TimeZone};
use chrono_tz::{Tz, TzOffset};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// How many tables each thread keeps at hand without locking.
const RECENT_TABLES: usize = 8;

thread_local! {
    /// Tables this thread used lately, most recent last.
    static RECENT: RefCell<Vec<(Tz, Arc<Table>)>> = const { RefCell::new(Vec::new()) };
}

/// First instant probed: 1800-01-01T00:00:00Z, before every offset change
/// chrono-tz knows (the first is Asia/Manila's, on 1844-12-31), so the
/// table is chrono-tz's timeline at every instant up to `PROBE_END`: local
/// mean time (LMT) included (a test checks this holds).
const PROBE_START: i64 = -5_364_662_400;
/// Last instant probed: 2101-01-01T00:00:00Z.
const PROBE_END: i64 = 4_133_980_800;
const PROBE_STEP: i64 = 86_400;

/// One change of UTC offset.
#[derive(Clone, Copy, Debug)]
pub struct Transition {
    /// First instant (UTC seconds) of the new offset.
    pub at: i64,
    /// Offset in seconds before `at`.
    pub before: i32,
    /// Offset in seconds from `at` on.
    pub after: i32,
    /// chrono-tz's offset value from `at` on (carries the abbreviation).
    pub offset: TzOffset,
}

/// All offset changes of one zone, oldest first.
#[derive(Debug)]
pub struct Table {
    pub first: TzOffset,
    pub transitions: Vec<Transition>,
}

/// A stretch of time with one UTC offset, and the offsets on either side.
#[derive(Clone, Copy, Debug)]
pub struct Span {
    /// First instant (UTC seconds), or `i64::MIN` if unbounded.
    pub start: i64,
    /// First instant after the span, or `i64::MAX` if unbounded.
    pub end: i64,
    /// Offset in seconds during the span.
    pub offset: i32,
    /// Offset in seconds just before `start` (equal to `offset` if unbounded).
    pub before: i32,
    pub tz_offset: TzOffset,
}

impl Span {
    /// Whether the instant falls in this span.
    #[inline]
    #[must_use]
    pub fn contains(&self, instant: i64) -> bool {
        self.start <= instant && instant < self.end
    }
}

fn offset_at(tz: Tz, instant: i64) -> TzOffset {
    let utc = DateTime::from_timestamp(instant, 0).unwrap_or_default();
    tz.offset_from_utc_datetime(&utc.naive_utc())
}

fn seconds(offset: &TzOffset) -> i32 {
    offset.fix().local_minus_utc()
}

impl Table {
    /// Reads the table of `tz` off chrono-tz.
    fn build(tz: Tz) -> Table {
        let first = offset_at(tz, PROBE_START);
        let mut transitions = Vec::new();
        let mut previous = seconds(&first);
        let mut t = PROBE_START;
        while t < PROBE_END {
            let next = t + PROBE_STEP;
            let offset = offset_at(tz, next);
            if seconds(&offset) != previous {
                // The change lies in (t, next]: find its first second.
                let (mut lo, mut hi) = (t, next);
                while hi - lo > 1 {
                    let mid = lo + (hi - lo) / 2;
                    if seconds(&offset_at(tz, mid)) == previous {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                let after = offset_at(tz, hi);
                transitions.push(Transition {
                    at: hi,
                    before: previous,
                    after: seconds(&after),
                    offset: after,
                });
                previous = seconds(&after);
            }
            t = next;
        }
        Table { first, transitions }
    }

    /// The table of `tz`, built on first use and shared afterwards.
    #[must_use]
    pub fn of(tz: Tz) -> Arc<Table> {
        // Most callers use one or two zones: look in this thread's own list
        // first, which needs no lock. (During thread teardown the list may
        // be gone already; the shared map still answers.)
        let recent = RECENT.try_with(|recent| {
            let mut recent = recent.borrow_mut();
            if let Some(i) = recent.iter().rposition(|(zone, _)| *zone == tz) {
                return Arc::clone(&recent[i].1);
            }
            let table = Table::shared(tz);
            if recent.len() >= RECENT_TABLES {
                recent.remove(0);
            }
            recent.push((tz, Arc::clone(&table)));
            table
        });
        recent.unwrap_or_else(|_| Table::shared(tz))
    }

    /// The table of `tz` from the map shared by all threads.
    fn shared(tz: Tz) -> Arc<Table> {
        static TABLES: OnceLock<Mutex<HashMap<Tz, Arc<Table>>>> = OnceLock::new();
        let tables = TABLES.get_or_init(|| Mutex::new(HashMap::new()));
        let mut guard = match tables.lock() {
            Ok(guard) => guard,
            // A panic elsewhere cannot leave a half-built table behind: entries
            // are inserted whole, so the map is still consistent.
            Err(poisoned) => poisoned.into_inner(),
        };
        Arc::clone(
            guard
                .entry(tz)
                .or_insert_with(|| Arc::new(Table::build(tz))),
        )
    }

    /// The span holding `instant` (UTC seconds).
    #[must_use]
    pub fn span_at(&self, instant: i64) -> Span {
        self.span_by_index(self.span_index(instant))
    }

    /// Index of the span holding `instant`: the number of transitions at or
    /// before it.
    pub(crate) fn span_index(&self, instant: i64) -> usize {
        self.transitions.partition_point(|t| t.at <= instant)
    }

    /// The span with the given index (at most the number of transitions).
    pub(crate) fn span_by_index(&self, i: usize) -> Span {
        let (start, offset, before, tz_offset) = match i.checked_sub(1) {
            None => {
                let s = seconds(&self.first);
                (i64::MIN, s, s, self.first)
            }
            Some(p) => {
                let t = &self.transitions[p];
                (t.at, t.after, t.before, t.offset)
            }
        };
        let end = self.transitions.get(i).map_or(i64::MAX, |t| t.at);
        Span {
            start,
            end,
            offset,
            before,
            tz_offset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_agree_with_chrono_tz_at_every_transition() {
        for name in [
            "Europe/Berlin",
            "America/New_York",
            "Australia/Lord_Howe",
            "Europe/London",
            "Pacific/Apia",
            "Asia/Kolkata",
            "America/Santiago",
        ] {
            let tz: Tz = name.parse().expect("known zone");
            let table = Table::of(tz);
            for t in &table.transitions {
                assert_eq!(
                    seconds(&offset_at(tz, t.at - 1)),
                    t.before,
                    "{name} {}",
                    t.at
                );
                assert_eq!(seconds(&offset_at(tz, t.at)), t.after, "{name} {}", t.at);
            }
        }
    }

    /// No zone changes its offset before the first probe: before it, the
    /// table's first offset (often LMT) is chrono-tz's.
    #[test]
    fn no_offset_changes_before_the_first_probe() {
        for tz in chrono_tz::TZ_VARIANTS {
            let earliest = DateTime::<chrono::Utc>::MIN_UTC.timestamp();
            assert_eq!(
                seconds(&offset_at(tz, earliest)),
                seconds(&offset_at(tz, PROBE_START)),
                "{}",
                tz.name()
            );
        }
        let london = Table::of(chrono_tz::Europe::London);
        // Local mean time, -0:01:15, until 1847-12-01.
        assert_eq!(london.span_at(PROBE_START).offset, -75);
        assert_eq!(london.span_at(i64::MIN).offset, -75);
    }

    #[test]
    fn tables_are_built_once_and_shared() {
        let berlin = Table::of(chrono_tz::Europe::Berlin);
        assert!(Arc::ptr_eq(&berlin, &Table::of(chrono_tz::Europe::Berlin)));
        let other_thread = std::thread::spawn(|| Table::of(chrono_tz::Europe::Berlin));
        assert!(Arc::ptr_eq(
            &berlin,
            &other_thread.join().expect("no panic")
        ));
        // More zones than this thread keeps at hand.
        for tz in chrono_tz::TZ_VARIANTS.iter().take(RECENT_TABLES + 2) {
            assert_eq!(
                Table::of(*tz).span_at(0).offset,
                seconds(&offset_at(*tz, 0))
            );
        }
        assert!(Arc::ptr_eq(&berlin, &Table::of(chrono_tz::Europe::Berlin)));
    }

    #[test]
    fn berlin_2026_spring_forward() {
        let table = Table::of(chrono_tz::Europe::Berlin);
        // 2026-03-29T01:00:00Z: CET (+1) becomes CEST (+2).
        let span = table.span_at(1_774_746_000);
        assert_eq!(
            (span.start, span.offset, span.before),
            (1_774_746_000, 7200, 3600)
        );
        assert_eq!(span.end, 1_792_890_000); // 2026-10-25T01:00:00Z
        let utc = Table::of(chrono_tz::UTC);
        assert!(utc.transitions.is_empty());
        assert_eq!(utc.span_at(0).offset, 0);
    }
}
