//! The error of a schedule that does not parse.

/// A schedule expression that could not be parsed: which field, the text at
/// fault, and why. Displays as `minute: 61 is out of range 0-59`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct CronError {
    /// The field at fault (`minute`, `day_of_week`, ...), or `expression`
    /// when the whole expression is wrong.
    pub field: &'static str,
    /// The offending text.
    pub text: String,
    /// Why it is wrong, for people.
    pub reason: String,
}

impl CronError {
    pub fn new(field: &'static str, text: &str, reason: impl Into<String>) -> CronError {
        CronError {
            field,
            text: text.to_string(),
            reason: reason.into(),
        }
    }
}
