//! A job's place in the firing queue: its next slot, with jitter.

use super::initial::Start;
use super::persist::JobState;
use super::{Action, Change, Queued, Scheduler};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

impl Scheduler {
    /// Puts the job at `seq` where `start` says (anchor, pause, next slot)
    /// and saves its state unless it is the `saved` one unchanged; returns
    /// the slot it is scheduled for.
    pub(super) fn place(
        &mut self,
        seq: u64,
        start: &Start,
        saved: Option<&JobState>,
        actions: &mut Vec<Action>,
    ) -> Option<DateTime<Tz>> {
        let entry = self.entries.get_mut(seq)?;
        entry.anchor = start.anchor.with_timezone(&Utc);
        entry.paused = start.paused;
        if let Some(old) = entry.slot.take() {
            self.queue.remove(&(old.start_at, seq));
        }
        let next = start.next.filter(|_| !start.paused);
        if let Some(scheduled) = next {
            self.set_slot(seq, scheduled);
        }
        let entry = &self.entries[seq];
        let state = entry.state();
        if saved != Some(&state) {
            actions.push(Action::Persist(Change::Save {
                job: entry.job.id.clone(),
                state,
            }));
        }
        next
    }

    /// Queues `scheduled` as the job's next slot, with jitter.
    // A schedule file's jitter is at most 100 years, so its milliseconds fit
    // an i64; `bound` is positive where cast to u64, and the remainder is at
    // most `bound`, so it fits back.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_possible_wrap
    )]
    pub(super) fn set_slot(&mut self, seq: u64, scheduled: DateTime<Tz>) {
        let rand = self.random();
        let Some(entry) = self.entries.get_mut(seq) else {
            return;
        };
        if let Some(old) = entry.slot.take() {
            self.queue.remove(&(old.start_at, seq));
        }
        let trigger = &entry.job.trigger;
        let mut start_at = scheduled.with_timezone(&Utc);
        if let Some(jitter) = trigger.jitter.filter(|j| !j.is_zero()) {
            // Up to `jitter` late, but before the following run time.
            let mut bound = jitter.as_millis() as i64;
            let anchor = entry.anchor.with_timezone(&trigger.tz);
            if let Some(following) = trigger.next_after(&scheduled, &anchor) {
                bound = bound.min((following - scheduled).num_milliseconds() - 1);
            }
            if bound > 0 {
                start_at += chrono::Duration::milliseconds((rand % (bound as u64 + 1)) as i64);
            }
        }
        entry.slot = Some(Queued {
            scheduled: scheduled.with_timezone(&Utc),
            start_at,
        });
        self.queue.insert((start_at, seq));
    }

    /// Sets the job's next slot to its first run time after `after` and
    /// queues it; returns that time.
    pub(super) fn schedule_from(&mut self, seq: u64, after: &DateTime<Tz>) -> Option<DateTime<Tz>> {
        let entry = self.entries.get_mut(seq)?;
        if let Some(old) = entry.slot.take() {
            self.queue.remove(&(old.start_at, seq));
        }
        if entry.paused {
            return None;
        }
        let anchor = entry.anchor.with_timezone(&entry.job.trigger.tz);
        let scheduled = entry.job.trigger.next_after(after, &anchor)?;
        self.set_slot(seq, scheduled);
        Some(scheduled)
    }

    /// xorshift64: jitter needs spread, not cryptography.
    fn random(&mut self) -> u64 {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.rng
    }
}
