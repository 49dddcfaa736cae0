//! `mailto`: the message a failed run mails through `sendmail -t`.

use super::payload::Facts;
use std::fmt::Write as _;

/// The message for `to` about a failed run: headers, a summary, and the
/// run's output tail.
pub(super) fn message(to: &str, facts: &Facts) -> Vec<u8> {
    let job = facts.job.as_deref().unwrap_or_default();
    let how = match (facts.result, facts.exit_code, facts.signal) {
        (Some("timeout"), _, _) => "timed out".to_string(),
        (Some("spawn_error"), _, _) => "could not start".to_string(),
        (_, Some(code), _) => format!("failed (exit status {code})"),
        (_, _, Some(sig)) => format!("failed (killed by signal {sig})"),
        _ => "failed".to_string(),
    };
    let run = facts
        .run_id
        .map(|r| format!(" run {r}"))
        .unwrap_or_default();
    let mut text = format!(
        "To: {to}\nSubject: [apsched] job {job} {how} on {host}\nAuto-Submitted: auto-generated\nContent-Type: text/plain; charset=UTF-8\n\nJob {job}{run} {how}.\n",
        host = facts.hostname,
    );
    for (name, value) in [
        ("Scheduled", &facts.scheduled),
        ("Started", &facts.started),
        ("Ended", &facts.ended),
    ] {
        if let Some(v) = value {
            let _ = writeln!(text, "{name}: {v}");
        }
    }
    match facts.output_tail.as_deref() {
        Some(tail) if !tail.is_empty() => {
            let what = if facts.output_truncated == Some(true) {
                "Output (its last part)"
            } else {
                "Output"
            };
            let _ = write!(text, "\n{what}:\n{tail}");
            if !tail.ends_with('\n') {
                text.push('\n');
            }
        }
        _ => text.push_str("\nNo output.\n"),
    }
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_the_job_and_holds_the_tail() {
        let facts = Facts {
            event: "job_failed",
            job: Some("backup".into()),
            run_id: Some(3),
            scheduled: Some("2026-01-01T00:00:00+00:00".into()),
            result: Some("failure"),
            exit_code: Some(2),
            hostname: "web-1".into(),
            output_tail: Some("disk full".into()),
            output_truncated: Some(false),
            ..Facts::default()
        };
        let cases = [
            (
                facts.clone(),
                "Subject: [apsched] job backup failed (exit status 2) on web-1\n",
                "\nOutput:\ndisk full\n",
            ),
            (
                Facts {
                    result: Some("timeout"),
                    exit_code: None,
                    signal: Some(15),
                    output_tail: Some(String::new()),
                    ..facts.clone()
                },
                "Subject: [apsched] job backup timed out on web-1\n",
                "\nNo output.\n",
            ),
            (
                Facts {
                    exit_code: None,
                    signal: Some(9),
                    output_truncated: Some(true),
                    ..facts
                },
                "Subject: [apsched] job backup failed (killed by signal 9) on web-1\n",
                "\nOutput (its last part):\ndisk full\n",
            ),
        ];
        for (facts, subject, output) in cases {
            let text = String::from_utf8(message("ops@example.com", &facts)).unwrap_or_default();
            assert!(text.starts_with("To: ops@example.com\n"), "{text}");
            assert!(text.contains(subject), "{text}");
            assert!(text.contains("Job backup run 3 "), "{text}");
            assert!(text.ends_with(output), "{text}");
        }
    }
}
