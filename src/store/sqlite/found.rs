//! What the file at a state path holds, judged before anything is written
//! to it: nothing yet (apsched adopts it), apsched's state, a newer
//! apsched's state, or something else, which is refused and left as it was.
//! And SQLite's errors in words that say what to do.

use crate::text::plain;
use rusqlite::{Connection, ErrorCode};

/// The tables the first schema version creates; every later one keeps them.
const TABLES: &[&str] = &["meta", "jobs", "runs", "requests", "set_aside"];

/// How many names a message lists before "and N more".
const LISTED: usize = 5;

/// What a state file holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Found {
    /// No schema and no version: a new file or an empty database.
    Empty,
    /// apsched's tables at a schema version this apsched knows.
    Apsched(i64),
    /// apsched's tables at a newer schema version.
    Newer(i64),
    /// Anything else: what it holds, as the message says it.
    Foreign(String),
}

/// Reads the schema version and the schema's objects (type, name; SQLite's
/// own `sqlite_` ones left out) without writing anything.
pub(super) fn inspect(conn: &Connection, known: i64) -> rusqlite::Result<Found> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let mut stmt = conn.prepare(
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
    )?;
    let objects = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
    Ok(judge(version, &objects, known))
}

/// Judges a schema: its version (`PRAGMA user_version`), its objects, and
/// the newest version this apsched knows.
pub(super) fn judge(version: i64, objects: &[(String, String)], known: i64) -> Found {
    if version == 0 && objects.is_empty() {
        return Found::Empty;
    }
    let tables: Vec<&str> = objects
        .iter()
        .filter(|(kind, _)| kind == "table")
        .map(|(_, name)| name.as_str())
        .collect();
    let ours = TABLES.iter().filter(|t| tables.contains(t)).count();
    if version > 0 && ours == TABLES.len() {
        return if version > known {
            Found::Newer(version)
        } else {
            Found::Apsched(version)
        };
    }
    if version > 0 && ours > 0 {
        let missing: Vec<String> = TABLES
            .iter()
            .filter(|t| !tables.contains(t))
            .map(std::string::ToString::to_string)
            .collect();
        return Found::Foreign(format!(
            "it has schema version {version} but lacks apsched's {}: it is damaged or not apsched's",
            names("table", &missing)
        ));
    }
    let views: Vec<String> = objects
        .iter()
        .filter(|(kind, _)| kind == "view")
        .map(|(_, name)| name.clone())
        .collect();
    let held = match (tables.is_empty(), views.is_empty()) {
        (false, _) => {
            let tables: Vec<String> = tables
                .iter()
                .map(std::string::ToString::to_string)
                .collect();
            names("table", &tables)
        }
        (true, false) => names("view", &views),
        (true, true) => {
            return Found::Foreign(format!(
                "it is an SQLite database whose user_version is {version}, which apsched did not set"
            ));
        }
    };
    Found::Foreign(format!("it holds {held} that apsched did not create"))
}

/// `tables users, orders` or `table users`, at most [`LISTED`] names.
fn names(kind: &str, list: &[String]) -> String {
    let shown: Vec<String> = list.iter().take(LISTED).map(|n| plain(n)).collect();
    let more = match list.len().saturating_sub(LISTED) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    let plural = if list.len() == 1 { "" } else { "s" };
    format!("{kind}{plural} {}{more}", shown.join(", "))
}

/// An SQLite error on a state file, in words that say what to do.
pub(crate) fn describe(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => "it is not an SQLite database; set [scheduler] state in the schedule file (or --state PATH) to another file".into(),
        Some(ErrorCode::DatabaseCorrupt) => format!(
            "it is damaged ({e}); move it away to start afresh, without its history, or restore it from a backup"
        ),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            format!("another program holds a lock on it ({e}); try again when it is done")
        }
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objects(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, n)| (k.to_string(), n.to_string()))
            .collect()
    }

    #[test]
    fn schemas_are_judged_before_anything_is_written() {
        type Case<'a> = (i64, Vec<(&'a str, &'a str)>, Found);
        let ours: Vec<(&str, &str)> = TABLES.iter().map(|t| ("table", *t)).collect();
        let mut ours_and_more = ours.clone();
        ours_and_more.extend([("index", "runs_by_job"), ("table", "notes")]);
        let many: Vec<String> = (1..=8).map(|i| format!("t{i}")).collect();
        let many: Vec<(&str, &str)> = many.iter().map(|n| ("table", n.as_str())).collect();
        let foreign = |s: &str| Found::Foreign(s.to_string());
        let cases: Vec<Case> = vec![
            (0, vec![], Found::Empty),
            (1, ours.clone(), Found::Apsched(1)),
            (3, ours_and_more, Found::Apsched(3)),
            (4, ours.clone(), Found::Newer(4)),
            (
                0,
                vec![
                    ("table", "users"),
                    ("index", "by_name"),
                    ("table", "orders"),
                ],
                foreign("it holds tables users, orders that apsched did not create"),
            ),
            (
                7,
                vec![("table", "users")],
                foreign("it holds table users that apsched did not create"),
            ),
            (
                0,
                ours.clone(),
                foreign(
                    "it holds tables meta, jobs, runs, requests, set_aside that apsched did not create",
                ),
            ),
            (
                2,
                vec![("table", "jobs"), ("table", "runs")],
                foreign(
                    "it has schema version 2 but lacks apsched's tables meta, requests, set_aside: it is damaged or not apsched's",
                ),
            ),
            (
                0,
                many,
                foreign(
                    "it holds tables t1, t2, t3, t4, t5 and 3 more that apsched did not create",
                ),
            ),
            (
                0,
                vec![("view", "v\nw")],
                foreign("it holds view v\\nw that apsched did not create"),
            ),
            (
                5,
                vec![],
                foreign(
                    "it is an SQLite database whose user_version is 5, which apsched did not set",
                ),
            ),
        ];
        for (version, list, want) in cases {
            assert_eq!(
                judge(version, &objects(&list), 3),
                want,
                "{version} {list:?}"
            );
        }
    }
}
