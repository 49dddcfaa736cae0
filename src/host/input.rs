//! What reaches the host, turned into the runner's inputs.

use super::signals::{self, Msg};
use super::state;
use super::{Observers, RealHost, Source, State};
use crate::log::Logger;
use crate::runner::Input;
use crate::scheduler::Event;

impl RealHost {
    pub(super) fn input(&mut self, msg: Msg) -> Vec<Input> {
        match msg {
            Msg::Stop => vec![Input::Stop],
            // SIGHUP, or the program changed its jobs.
            Msg::Reload | Msg::Jobs => vec![Input::Reload],
            Msg::FileChanged => {
                if let Source::File(file) = &self.source {
                    let path = file.display().to_string();
                    self.logger.log(&Event::FileChanged { path });
                }
                vec![Input::FileChanged]
            }
            Msg::WatchFailed { error } => {
                self.logger.log(&Event::WatchFailed { error });
                Vec::new()
            }
            Msg::ClockSet => vec![Input::ClockSet],
            Msg::ClockWatchFailed { error } => {
                self.clock = None;
                self.logger.log(&Event::ClockWatchFailed { error });
                Vec::new()
            }
            Msg::Paused { job, paused } => vec![Input::Paused { job, paused }],
            Msg::RunNow { job } => vec![Input::RunNow { job, request: None }],
            Msg::Done { run, outcome } => {
                if let Some(pid) = self.pids.remove(&run) {
                    self.ended(pid);
                }
                vec![Input::Exited { run, outcome }]
            }
            Msg::Control => state::control(self.state.store()),
            Msg::Notices(notices) => {
                for notice in notices {
                    self.observers.notice(notice);
                }
                Vec::new()
            }
            Msg::Output { record, tail } => {
                self.observers.tail(record, &tail);
                let inputs = self.state.output(record, tail, &mut self.logger);
                let failed = inputs.iter().find_map(|i| match i {
                    Input::StoreFailed { error } => Some(error.as_str()),
                    _ => None,
                });
                self.observers.write_result(failed);
                inputs
            }
            Msg::Reaped { pid, status } => {
                // Other pids are hooks, or orphans reaped as PID 1.
                let Some(run) = self.runs.remove(&pid) else {
                    self.observers.reaped(pid, status);
                    return Vec::new();
                };
                if let Some(pid) = self.pids.remove(&run) {
                    self.ended(pid);
                }
                vec![Input::Exited {
                    run,
                    outcome: signals::outcome(status),
                }]
            }
        }
    }
}

impl RealHost {
    /// The process `pid` of a run has ended.
    fn ended(&mut self, pid: u32) {
        if let Ok(p) = i32::try_from(pid) {
            self.runs.remove(&p);
        }
        if let Some(fence) = &self.fence {
            fence.ended(pid);
        }
    }
}

/// A message after the runner returned: output tails are saved, exits of
/// hooks passed on; the rest no longer matters.
pub(super) fn finishing(
    observers: &mut Observers,
    state: &mut State,
    logger: &mut Logger,
    msg: Msg,
) {
    match msg {
        Msg::Output { record, tail } => {
            observers.tail(record, &tail);
            state.output(record, tail, logger);
        }
        Msg::Reaped { pid, status } => {
            observers.reaped(pid, status);
        }
        _ => {}
    }
}
