//! Each event's name (APScheduler's where it has one) and level.

use super::{Event, Level};

impl Event {
    /// The event's name, APScheduler's where it has one.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Event::SchedulerStarted { .. } => "scheduler_started",
            Event::SchedulerShutdown { .. } => "scheduler_shutdown",
            Event::SchedulerStopped => "scheduler_stopped",
            Event::Sleeping { .. } => "sleeping",
            Event::Woke { .. } => "woke",
            Event::Claimed { .. } => "claimed",
            Event::OutputSaved { .. } => "output_saved",
            Event::JobAdded { .. } => "job_added",
            Event::JobModified { .. } => "job_modified",
            Event::JobRemoved { .. } => "job_removed",
            Event::JobSubmitted { .. } => "job_submitted",
            Event::JobExecuted { .. } => "job_executed",
            Event::JobError { .. } => "job_error",
            Event::JobMissed { .. } => "job_missed",
            Event::JobCatchUp { .. } => "job_catch_up",
            Event::JobPaused { .. } => "job_paused",
            Event::JobResumed { .. } => "job_resumed",
            Event::StateInterrupted { .. } => "state_interrupted",
            Event::OrphanEnded { .. } => "orphan_ended",
            Event::StateSetAside { .. } => "state_set_aside",
            Event::StateError { .. } => "state_error",
            Event::StateFailing { .. } => "state_failing",
            Event::StateRecovered { .. } => "state_recovered",
            Event::JobMaxInstances { .. } => "job_max_instances",
            Event::JobTimedOut { .. } => "job_timed_out",
            Event::JobKilled { .. } => "job_killed",
            Event::RunNowRefused { .. } => "run_now_refused",
            Event::ReloadFailed { .. } => "reload_failed",
            Event::Reloaded { .. } => "reloaded",
            Event::ConfigWarning { .. } => "config_warning",
            Event::FileChanged { .. } => "file_changed",
            Event::WatchFailed { .. } => "watch_failed",
            Event::ClockWatchFailed { .. } => "clock_watch_failed",
            Event::NotifyFailed { .. } => "notify_failed",
            Event::HookFailed { .. } => "hook_failed",
            Event::MetricsListening { .. } => "metrics_listening",
            Event::NodeStarted { .. } => "node_started",
            Event::ClaimLost { .. } => "claim_lost",
            Event::RunLost { .. } => "run_lost",
            Event::LeaseLostKilled { .. } => "lease_lost",
            Event::HeartbeatFailed { .. } => "heartbeat_failed",
            Event::HeartbeatRecovered { .. } => "heartbeat_recovered",
            Event::ClockOffset { .. } => "clock_offset",
        }
    }

    pub(crate) fn level(&self) -> Level {
        match self {
            Event::JobError { .. }
            | Event::JobTimedOut { .. }
            | Event::JobKilled { .. }
            | Event::ReloadFailed { .. }
            | Event::StateError { .. }
            | Event::StateFailing { .. }
            | Event::LeaseLostKilled { .. } => Level::Error,
            Event::JobMissed { .. }
            | Event::JobMaxInstances { .. }
            | Event::StateInterrupted { .. }
            | Event::OrphanEnded { .. }
            | Event::StateSetAside { .. }
            | Event::RunNowRefused { .. }
            | Event::ConfigWarning { .. }
            | Event::WatchFailed { .. }
            | Event::ClockWatchFailed { .. }
            | Event::NotifyFailed { .. }
            | Event::HookFailed { .. }
            | Event::RunLost { .. }
            | Event::HeartbeatFailed { .. }
            | Event::ClockOffset { .. } => Level::Warn,
            Event::JobCatchUp { missed, .. } if *missed > 0 => Level::Warn,
            Event::Sleeping { .. }
            | Event::Woke { .. }
            | Event::Claimed { .. }
            | Event::OutputSaved { .. }
            | Event::ClaimLost { .. }
            | Event::FileChanged { .. } => Level::Debug,
            _ => Level::Info,
        }
    }
}
