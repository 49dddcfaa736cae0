//! The triggers a job can ask for, and which keys are whose arguments.

use crate::suggest;
use crate::text::shown;

/// The keys of `trigger = "cron"`'s fields.
const CRON_KEYS: &[&str] = &[
    "year",
    "month",
    "day",
    "week",
    "day_of_week",
    "hour",
    "minute",
    "second",
];
/// The keys of an interval's period.
const INTERVAL_KEYS: &[&str] = &["weeks", "days", "hours", "minutes", "seconds"];
/// The key of a date trigger's time.
const DATE_KEYS: &[&str] = &["run_date"];
/// The key of an `or`'s or `and`'s members.
const COMBINED_KEYS: &[&str] = &["triggers"];

/// The trigger a job asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TriggerKind {
    /// `cron = "..."`: a cron string.
    CronString,
    /// `cron = ["...", "..."]`: the union of the cron strings' times.
    CronList,
    /// `trigger = "cron"` with fields (`hour = 3`).
    Cron,
    /// `trigger = "interval"` with a period (`minutes = 5`).
    Interval,
    /// `trigger = "date"` with `run_date`.
    Date,
    /// `trigger = "startup"`: once each time `apsched run` starts; no
    /// arguments.
    Startup,
    /// `trigger = "or"` with `triggers = [...]`: any member's times.
    Or,
    /// `trigger = "and"` with `triggers = [...]`: the times all members
    /// share.
    And,
}

/// A `trigger = "..."` name that is not a trigger.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown trigger {}", shown(.0))]
pub(crate) struct UnknownTrigger(pub String);

impl UnknownTrigger {
    /// The likely name, or the names there are.
    pub(crate) fn hint(&self) -> String {
        // cron's name for it.
        if matches!(self.0.as_str(), "reboot" | "@reboot" | "boot" | "start") {
            return "did you mean \"startup\"?".into();
        }
        suggest::closest(&self.0, TriggerKind::NAMES.iter().copied()).map_or_else(
            || "use \"cron\", \"interval\", \"date\", \"startup\", \"or\" or \"and\"".to_string(),
            |t| format!("did you mean \"{t}\"?"),
        )
    }
}

impl std::str::FromStr for TriggerKind {
    type Err = UnknownTrigger;

    /// The kind named by `trigger = "..."`.
    fn from_str(text: &str) -> Result<TriggerKind, UnknownTrigger> {
        match text {
            "cron" => Ok(TriggerKind::Cron),
            "interval" => Ok(TriggerKind::Interval),
            "date" => Ok(TriggerKind::Date),
            "startup" => Ok(TriggerKind::Startup),
            "or" => Ok(TriggerKind::Or),
            "and" => Ok(TriggerKind::And),
            _ => Err(UnknownTrigger(text.to_string())),
        }
    }
}

impl TriggerKind {
    /// The names of `trigger = "..."`.
    const NAMES: &'static [&'static str] = &["cron", "interval", "date", "startup", "or", "and"];
    /// The argument keys of every trigger.
    pub(crate) const ALL_KEYS: [&'static [&'static str]; 4] =
        [CRON_KEYS, INTERVAL_KEYS, DATE_KEYS, COMBINED_KEYS];

    /// Its name in `trigger = "..."`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            TriggerKind::CronString | TriggerKind::CronList | TriggerKind::Cron => "cron",
            TriggerKind::Interval => "interval",
            TriggerKind::Date => "date",
            TriggerKind::Startup => "startup",
            TriggerKind::Or => "or",
            TriggerKind::And => "and",
        }
    }

    /// How a message names a job's trigger of this kind.
    pub(crate) fn described(self) -> &'static str {
        match self {
            TriggerKind::CronString => "a cron string",
            TriggerKind::CronList => "a list of cron strings",
            other => other.name(),
        }
    }

    /// The keys of its arguments.
    pub(crate) fn keys(self) -> &'static [&'static str] {
        match self {
            TriggerKind::CronString | TriggerKind::CronList | TriggerKind::Startup => &[],
            TriggerKind::Cron => CRON_KEYS,
            TriggerKind::Interval => INTERVAL_KEYS,
            TriggerKind::Date => DATE_KEYS,
            TriggerKind::Or | TriggerKind::And => COMBINED_KEYS,
        }
    }

    /// The kind whose argument `key` is, if any (`or` for the members,
    /// which `and` shares).
    pub(crate) fn owning(key: &str) -> Option<TriggerKind> {
        [
            TriggerKind::Cron,
            TriggerKind::Interval,
            TriggerKind::Date,
            TriggerKind::Or,
        ]
        .into_iter()
        .find(|kind| kind.keys().contains(&key))
    }
}
