//! The due run times of one job, for every kind of trigger and lateness.

use super::*;
use crate::cron::CronSchedule;

fn t(s: &str) -> DateTime<Tz> {
    DateTime::parse_from_rfc3339(&format!("{s}Z"))
        .expect("time")
        .with_timezone(&Tz::UTC)
}

fn trigger(kind: &str) -> Trigger {
    let kind = match kind {
        "interval" => Kind::Interval {
            period: Duration::from_secs(60),
        },
        "date" => Kind::Date {
            run_date: Box::new(t("2027-01-01T00:00:00")),
        },
        cron => Kind::Cron(std::sync::Arc::new(
            cron.parse::<CronSchedule>().expect("cron"),
        )),
    };
    Trigger {
        kind,
        tz: Tz::UTC,
        start_date: None,
        end_date: None,
        jitter: None,
    }
}

/// (trigger, slot, jitter s, now, grace s, coalesce) and what is due:
/// (ok, missed, runs, first missed, last missed, next).
type Case<'a> = (
    (&'a str, &'a str, i64, &'a str, Option<u64>, bool),
    (
        u64,
        u64,
        &'a [&'a str],
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
    ),
);

#[test]
// A table.
#[allow(clippy::too_many_lines)]
fn due_run_times_are_run_missed_or_coalesced() {
    let cases: &[Case] = &[
        // On time: the slot runs; the next is a minute on.
        (
            (
                "* * * * *",
                "2027-01-01T00:01:00",
                0,
                "2027-01-01T00:01:00",
                None,
                true,
            ),
            (
                1,
                0,
                &["2027-01-01T00:01:00"],
                None,
                None,
                Some("2027-01-01T00:02:00"),
            ),
        ),
        // Ten due, 90 s of grace: eight missed, two in time coalesced into the last.
        (
            (
                "* * * * *",
                "2027-01-01T00:01:00",
                0,
                "2027-01-01T00:10:30",
                Some(90),
                true,
            ),
            (
                2,
                8,
                &["2027-01-01T00:10:00"],
                Some("2027-01-01T00:01:00"),
                Some("2027-01-01T00:08:00"),
                Some("2027-01-01T00:11:00"),
            ),
        ),
        // The same without coalescing: both in time run, in order.
        (
            (
                "* * * * *",
                "2027-01-01T00:01:00",
                0,
                "2027-01-01T00:10:30",
                Some(90),
                false,
            ),
            (
                2,
                8,
                &["2027-01-01T00:09:00", "2027-01-01T00:10:00"],
                Some("2027-01-01T00:01:00"),
                Some("2027-01-01T00:08:00"),
                Some("2027-01-01T00:11:00"),
            ),
        ),
        // No grace limit: nothing is missed.
        (
            (
                "* * * * *",
                "2027-01-01T00:01:00",
                0,
                "2027-01-01T00:03:00",
                None,
                false,
            ),
            (
                3,
                0,
                &[
                    "2027-01-01T00:01:00",
                    "2027-01-01T00:02:00",
                    "2027-01-01T00:03:00",
                ],
                None,
                None,
                Some("2027-01-01T00:04:00"),
            ),
        ),
        // An interval trigger is counted, not walked, with the same answer.
        (
            (
                "interval",
                "2027-01-01T00:01:00",
                0,
                "2027-01-01T00:10:30",
                Some(90),
                true,
            ),
            (
                2,
                8,
                &["2027-01-01T00:10:00"],
                Some("2027-01-01T00:01:00"),
                Some("2027-01-01T00:08:00"),
                Some("2027-01-01T00:11:00"),
            ),
        ),
        // Jitter is not lateness: 50 s of it with 1 s of grace still runs.
        (
            (
                "* * * * *",
                "2027-01-01T00:01:00",
                50,
                "2027-01-01T00:01:50",
                Some(1),
                true,
            ),
            (
                1,
                0,
                &["2027-01-01T00:01:00"],
                None,
                None,
                Some("2027-01-01T00:02:00"),
            ),
        ),
        // A date job three days late runs without a grace limit, then ends.
        (
            (
                "date",
                "2027-01-01T00:00:00",
                0,
                "2027-01-04T00:00:00",
                None,
                true,
            ),
            (1, 0, &["2027-01-01T00:00:00"], None, None, None),
        ),
        // ... and is missed with an hour of grace.
        (
            (
                "date",
                "2027-01-01T00:00:00",
                0,
                "2027-01-04T00:00:00",
                Some(3600),
                true,
            ),
            (
                0,
                1,
                &[],
                Some("2027-01-01T00:00:00"),
                Some("2027-01-01T00:00:00"),
                None,
            ),
        ),
    ];
    for ((kind, slot, jitter, now, grace, coalesce), want) in cases {
        let scheduled = t(slot);
        let slot = Slot {
            scheduled,
            start_at: scheduled.with_timezone(&Utc) + chrono::Duration::seconds(*jitter),
        };
        let anchor = t("2027-01-01T00:00:00");
        let grace = grace.map(Duration::from_secs);
        let now = t(now).with_timezone(&Utc);
        let due = collect(&trigger(kind), slot, &anchor, now, grace, *coalesce);
        let (ok, missed, runs, missed_first, missed_last, next) = *want;
        let runs: Vec<DateTime<Tz>> = runs.iter().map(|r| t(r)).collect();
        let got = (
            due.ok,
            due.missed,
            due.runs(*coalesce),
            due.missed_first,
            due.missed_last,
            due.next,
        );
        let want = (
            ok,
            missed,
            runs,
            missed_first.map(t),
            missed_last.map(t),
            next.map(t),
        );
        assert_eq!(got, want, "{kind} {slot:?} {now} {grace:?} {coalesce}");
    }
}
