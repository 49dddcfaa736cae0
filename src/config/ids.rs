//! The job ids of a schedule file, read leniently for shell completion: a
//! file with problems in its jobs still names them.

use toml::Table;

/// The most ids listed: more is no use to a person choosing one.
const MAX_IDS: usize = 10_000;

/// The ids of the `[jobs.ID]` tables of `source`, in file order: the ones a
/// job may have (not empty, no spaces, control characters or `|`), at most
/// [`MAX_IDS`]. Nothing when the text is not TOML.
pub(crate) fn job_ids(source: &str) -> Vec<String> {
    let Ok(table) = toml::from_str::<Table>(source) else {
        return Vec::new();
    };
    let Some(jobs) = table.get("jobs").and_then(toml::Value::as_table) else {
        return Vec::new();
    };
    jobs.iter()
        .filter(|(_, job)| job.is_table())
        .map(|(id, _)| id)
        .filter(|id| valid(id))
        .take(MAX_IDS)
        .cloned()
        .collect()
}

/// Whether `id` may name a job: not empty, and no spaces, control
/// characters or `|`. The one rule, for loading and for completion.
pub(crate) fn valid(id: &str) -> bool {
    !id.is_empty()
        && !id
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '|')
}

#[cfg(test)]
mod tests {
    use super::job_ids;

    #[test]
    fn ids_come_from_the_jobs_tables_in_file_order() {
        let cases: &[(&str, &[&str])] = &[
            ("[jobs.b]\ncommand = \"x\"\n[jobs.a]\n", &["b", "a"]),
            (
                "[jobs]\nz = { command = \"x\" }\ny.command = \"x\"\n",
                &["z", "y"],
            ),
            // A job with problems still has its id.
            (
                "[jobs.broken]\ncommand = 5\ncron = \"nonsense\"\n",
                &["broken"],
            ),
            // Quoted ids a job may have, and ones it may not.
            (
                "[jobs.\"db.backup\"]\n[jobs.\"has space\"]\n[jobs.\"a|b\"]\n[jobs.\"\"]\n",
                &["db.backup"],
            ),
            ("[jobs]\nnot_a_table = 5\n", &[]),
            ("jobs = 5\n", &[]),
            ("[scheduler]\ntimezone = \"UTC\"\n", &[]),
            ("[jobs.a\nbroken toml", &[]),
            ("", &[]),
        ];
        for (source, want) in cases {
            assert_eq!(job_ids(source), *want, "{source}");
        }
    }

    #[test]
    fn ids_are_bounded() {
        let source = (0..10_005)
            .map(|i| format!("[jobs.j{i}]"))
            .collect::<Vec<_>>()
            .join("\n");
        let ids = job_ids(&source);
        assert_eq!(ids.len(), 10_000);
        assert_eq!(ids[0], "j0");
    }
}
