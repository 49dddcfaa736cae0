//! Constructs of other crons that apsched does not take, each refused with
//! its name and what to write instead.

use crate::cron::error::CronError;
use crate::cron::field::FieldDef;

/// An error naming the construct of `element`, if it is one apsched knows
/// from other crons but does not support; `None` otherwise.
pub(super) fn construct(def: &FieldDef, element: &str) -> Option<CronError> {
    let upper = element.to_ascii_uppercase();
    let example = (def.min + def.max) / 3;
    let reason = if upper == "H" || upper.starts_with("H/") || upper.starts_with("H(") {
        format!(
            "\"{element}\": H (Jenkins hash) is not supported: write a fixed {} such as {example}",
            def.name
        )
    } else if upper == "R" || upper.starts_with("R/") || upper.starts_with("R(") {
        format!(
            "\"{element}\": R (a random value) is not supported: write a fixed {} such as {example}",
            def.name
        )
    } else if upper.starts_with("L-") && upper.ends_with('W') {
        format!(
            "\"{element}\": L-nW (the weekday nearest n days before the last day) is not supported: write {} or LW",
            &element[..element.len() - 1]
        )
    } else if element.contains('#') && def.name != "day-of-week" {
        format!(
            "\"{element}\": # (the n-th weekday of the month) belongs in day-of-week, as in fri#3"
        )
    } else if upper == "L" || upper == "LW" {
        format!(
            "\"{element}\": L (last) belongs in day-of-month (L, L-3, LW, 29-L) or day-of-week (5L)"
        )
    } else if upper.ends_with('W')
        && upper.len() > 1
        && upper[..upper.len() - 1].bytes().all(|b| b.is_ascii_digit())
    {
        format!("\"{element}\": W (nearest weekday) belongs in day-of-month, as in 15W")
    } else {
        return None;
    };
    Some(CronError::new(def.name, element, reason))
}
