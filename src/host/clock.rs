//! The clock watch: a thread that tells the runner at once when the wall
//! clock is set (an NTP step, `date -s`, a virtual machine's clock sync) or
//! the machine resumes from suspend, so that the runner can sleep until its
//! next run time with no wake-up in between.
//!
//! The thread blocks in `read` on a timerfd of `CLOCK_REALTIME` armed, with
//! `TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET`, at a time that never
//! comes: the kernel fails the read with `ECANCELED` whenever the wall clock
//! jumps against the monotonic one, which setting the clock and resuming
//! from suspend both do. The runner's own deadline is not this timer but
//! the relative wait on the host's channel (monotonic): an absolute deadline
//! on the real clock would be wrong wherever `now` is not the kernel's
//! clock (a cluster's database clock; libfaketime in the tests, whose fake
//! time the kernel's timers never see).

use super::signals::Msg;
use rustix::io::Errno;
use rustix::time::{
    Itimerspec, TimerfdClockId, TimerfdFlags, TimerfdTimerFlags, Timespec, timerfd_create,
    timerfd_settime,
};
use std::os::fd::AsFd;
use std::os::fd::OwnedFd;
use std::sync::Arc;
use std::sync::mpsc::Sender;

/// When the timer is armed to expire: 2262-04-11T23:47:16Z, the last second
/// Linux's timers hold. The wall clock cannot be set that far (the kernel
/// refuses times within 30 years of it), so the timer never expires.
const NEVER: i64 = 9_223_372_036;

/// A running clock watch, to end it when its host ends before the process.
pub(crate) struct ClockWatch {
    fd: Arc<OwnedFd>,
}

impl ClockWatch {
    /// Ends the watch: the timer is set to expire at once, which ends its
    /// read and the thread (its last message goes to a host no longer
    /// listening).
    pub(crate) fn stop(&self) {
        let epoch = Timespec {
            tv_sec: 1,
            tv_nsec: 0,
        };
        let now = Itimerspec {
            it_interval: Timespec {
                tv_sec: 0,
                tv_nsec: 0,
            },
            it_value: epoch,
        };
        let _ = timerfd_settime(&*self.fd, TimerfdTimerFlags::ABSTIME, &now);
    }
}

/// Creates and arms the timer and starts the thread that sends a
/// [`Msg::ClockSet`] for every clock step; an error, for people,
/// when the clock cannot be watched.
pub(super) fn start(tx: Sender<Msg>) -> Result<ClockWatch, String> {
    let fd = timerfd_create(TimerfdClockId::Realtime, TimerfdFlags::CLOEXEC)
        .map_err(|e| format!("cannot create a timer on the wall clock (timerfd_create): {e}"))?;
    arm(&fd).map_err(|e| format!("cannot arm a timer on the wall clock (timerfd_settime): {e}"))?;
    let fd = Arc::new(fd);
    let watched = fd.clone();
    std::thread::Builder::new()
        .name("apsched-clock".into())
        .spawn(move || {
            let mut expirations = [0u8; 8];
            watch(
                || rustix::io::read(&*watched, &mut expirations[..]),
                || arm(&*watched),
                &tx,
            );
        })
        .map_err(|e| format!("cannot start the thread that watches the wall clock: {e}"))?;
    Ok(ClockWatch { fd })
}

/// Arms `fd` at [`NEVER`], to be cancelled when the clock is set.
fn arm(fd: impl AsFd) -> Result<(), Errno> {
    let zero = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    let never = Itimerspec {
        it_interval: zero,
        it_value: Timespec {
            tv_sec: NEVER,
            tv_nsec: 0,
        },
    };
    let flags = TimerfdTimerFlags::ABSTIME | TimerfdTimerFlags::CANCEL_ON_SET;
    timerfd_settime(fd, flags, &never).map(drop)
}

/// What a read of the timer means.
#[derive(Debug, PartialEq, Eq)]
enum Read {
    /// The wall clock was set (or the machine resumed): tell the runner.
    ClockSet,
    /// Interrupted by a signal: read again.
    Again,
    /// The watch cannot go on, and why.
    Failed(String),
}

/// What the result of a blocking read of the timer means.
fn meaning(read: Result<usize, Errno>) -> Read {
    match read {
        Err(Errno::CANCELED) => Read::ClockSet,
        Err(Errno::INTR) => Read::Again,
        // An expiry: the clock reads past 2262. Re-arming would fire at
        // once, again and again, so the watch ends here.
        Ok(_) => Read::Failed("the wall clock's timer expired: the clock reads past 2262".into()),
        Err(e) => Read::Failed(format!("cannot read the wall clock's timer: {e}")),
    }
}

/// Reads (`read`) until the runner is gone, sending [`Msg::ClockSet`] for
/// every clock step and re-arming (`arm`) after it; when a read or a
/// re-arm fails, sends [`Msg::ClockWatchFailed`] (which also wakes the
/// runner, so a step is never missed) and returns.
fn watch(
    mut read: impl FnMut() -> Result<usize, Errno>,
    mut arm: impl FnMut() -> Result<(), Errno>,
    tx: &Sender<Msg>,
) {
    loop {
        let (msg, last) = match meaning(read()) {
            Read::Again => continue,
            Read::ClockSet => match arm() {
                Ok(()) => (Msg::ClockSet, false),
                Err(e) => (
                    Msg::ClockWatchFailed {
                        error: format!("cannot arm the wall clock's timer again: {e}"),
                    },
                    true,
                ),
            },
            Read::Failed(error) => (Msg::ClockWatchFailed { error }, true),
        };
        if tx.send(msg).is_err() || last {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Msg, NEVER, Read, arm, meaning, watch};
    use rustix::io::Errno;
    use rustix::time::{TimerfdClockId, TimerfdFlags, timerfd_create, timerfd_gettime};
    use std::sync::mpsc::{RecvTimeoutError, channel};
    use std::time::Duration;

    #[test]
    fn a_cancelled_read_is_a_clock_step_and_other_errors_end_the_watch() {
        let cases: [(Result<usize, Errno>, Read); 4] = [
            (Err(Errno::CANCELED), Read::ClockSet),
            (Err(Errno::INTR), Read::Again),
            (
                Ok(8),
                Read::Failed("the wall clock's timer expired: the clock reads past 2262".into()),
            ),
            (
                Err(Errno::BADF),
                Read::Failed(
                    "cannot read the wall clock's timer: Bad file descriptor (os error 9)".into(),
                ),
            ),
        ];
        for (read, want) in cases {
            assert_eq!(meaning(read), want, "{read:?}");
        }
    }

    /// What [`watch`] sends for these reads and re-arms, and how often it
    /// re-armed.
    fn watched(
        reads: Vec<Result<usize, Errno>>,
        arms: Vec<Result<(), Errno>>,
    ) -> (Vec<Msg>, usize) {
        let (tx, rx) = channel();
        let (mut reads, mut arms) = (reads.into_iter(), arms.into_iter());
        let mut armed = 0;
        watch(
            || reads.next().unwrap_or(Err(Errno::BADF)),
            || {
                armed += 1;
                arms.next().unwrap_or(Ok(()))
            },
            &tx,
        );
        (rx.try_iter().collect(), armed)
    }

    #[test]
    fn every_clock_step_is_sent_and_the_timer_armed_again() {
        let (msgs, armed) = watched(
            vec![
                Err(Errno::CANCELED),
                Err(Errno::INTR),
                Err(Errno::CANCELED),
                Err(Errno::IO),
            ],
            vec![],
        );
        let failed = Msg::ClockWatchFailed {
            error: "cannot read the wall clock's timer: Input/output error (os error 5)".into(),
        };
        assert_eq!(msgs, [Msg::ClockSet, Msg::ClockSet, failed]);
        assert_eq!(armed, 2);
    }

    #[test]
    fn a_timer_that_cannot_be_armed_again_ends_the_watch_and_says_why() {
        let (msgs, armed) = watched(
            vec![Err(Errno::CANCELED), Err(Errno::CANCELED)],
            vec![Err(Errno::NOMEM)],
        );
        let failed = Msg::ClockWatchFailed {
            error: "cannot arm the wall clock's timer again: Cannot allocate memory (os error 12)"
                .into(),
        };
        assert_eq!(msgs, [failed]);
        assert_eq!(armed, 1);
    }

    #[test]
    fn the_watch_ends_when_the_runner_is_gone() {
        let (tx, rx) = channel::<Msg>();
        drop(rx);
        let mut reads = 0;
        watch(
            || {
                reads += 1;
                Err(Errno::CANCELED)
            },
            || Ok(()),
            &tx,
        );
        assert_eq!(reads, 1);
    }

    #[test]
    fn the_kernel_arms_the_timer_for_2262_and_reports_no_step_meanwhile() {
        let fd = timerfd_create(
            TimerfdClockId::Realtime,
            TimerfdFlags::CLOEXEC | TimerfdFlags::NONBLOCK,
        )
        .expect("timerfd_create");
        arm(&fd).expect("timerfd_settime");
        let left = timerfd_gettime(&fd).expect("timerfd_gettime").it_value;
        let now = chrono::Utc::now().timestamp();
        assert!(
            (left.tv_sec - (NEVER - now)).abs() <= 2,
            "{left:?} left, {} expected",
            NEVER - now
        );
        let mut buf = [0u8; 8];
        assert_eq!(rustix::io::read(&fd, &mut buf[..]), Err(Errno::AGAIN));
        // The thread starts, and sends nothing while nobody sets the clock.
        let (tx, rx) = channel::<Msg>();
        let watch = super::start(tx).expect("the clock watch starts");
        assert_eq!(
            rx.recv_timeout(Duration::from_millis(50)),
            Err(RecvTimeoutError::Timeout)
        );
        // Stopped, its timer expires at once: its last message, and the end.
        watch.stop();
        let last = rx.recv_timeout(Duration::from_secs(5));
        assert!(matches!(last, Ok(Msg::ClockWatchFailed { .. })), "{last:?}");
        assert_eq!(
            rx.recv_timeout(Duration::from_secs(5)),
            Err(RecvTimeoutError::Disconnected)
        );
    }
}
