//! apsched's tables in a PostgreSQL database, created and upgraded on
//! connect. The schema version is in `apsched_meta`; version N is reached
//! by running `MIGRATIONS[N - 1]`. Processes connecting at once take turns
//! (a transaction-scoped advisory lock), so each migration runs once.

use crate::store::StoreError;
use postgres::Client;

const MIGRATIONS: &[&str] = &[
    "
    CREATE TABLE apsched_jobs (
        cluster text NOT NULL,
        job_id text NOT NULL,
        format int NOT NULL DEFAULT 1,
        trigger_fp text NOT NULL,
        next_run_at timestamptz,
        anchor timestamptz NOT NULL,
        paused boolean NOT NULL DEFAULT false,
        file_paused boolean,
        reschedule boolean NOT NULL DEFAULT false,
        fence bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (cluster, job_id)
    );
    CREATE INDEX apsched_jobs_due ON apsched_jobs (cluster, next_run_at) WHERE NOT paused;
    CREATE TABLE apsched_runs (
        run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        cluster text NOT NULL,
        job_id text NOT NULL,
        scheduled_at timestamptz NOT NULL,
        scheduled_last timestamptz,
        attempt smallint NOT NULL DEFAULT 1,
        kind text NOT NULL,
        state text NOT NULL,
        missed_count bigint NOT NULL DEFAULT 1,
        fence bigint,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        exit_code int,
        pid int,
        pid_identity text,
        output_tail bytea,
        UNIQUE (cluster, job_id, scheduled_at, attempt)
    );
    CREATE INDEX apsched_runs_by_job ON apsched_runs (cluster, job_id, run_id);
    CREATE INDEX apsched_runs_unfinished ON apsched_runs (cluster, state)
        WHERE state IN ('pending', 'started');
    CREATE TABLE apsched_requests (
        request_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        cluster text NOT NULL,
        job_id text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        taken boolean NOT NULL DEFAULT false,
        run_id bigint,
        refused text
    );
    CREATE TABLE apsched_set_aside (
        cluster text NOT NULL,
        job_id text NOT NULL,
        row text NOT NULL,
        reason text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
    );
",
    "
    CREATE TABLE apsched_nodes (
        cluster text NOT NULL,
        node_id text NOT NULL,
        instance text NOT NULL,
        hostname text NOT NULL,
        pid int NOT NULL,
        version text NOT NULL,
        config_hash text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz NOT NULL,
        PRIMARY KEY (cluster, node_id)
    );
    ALTER TABLE apsched_runs ADD COLUMN node_id text, ADD COLUMN lease_until timestamptz,
        ADD COLUMN note text;
    ALTER TABLE apsched_jobs ADD COLUMN config_generation bigint NOT NULL DEFAULT 0;
    ALTER TABLE apsched_requests ADD COLUMN slot timestamptz, ADD COLUMN attempt smallint,
        ADD COLUMN retry_of bigint;
    CREATE INDEX apsched_runs_leases ON apsched_runs (cluster, lease_until)
        WHERE state IN ('pending', 'started');
",
];

/// The newest schema version this apsched knows.
// A handful of migrations: the count fits an i64.
#[allow(clippy::cast_possible_wrap)]
pub(super) fn known() -> i64 {
    MIGRATIONS.len() as i64
}

/// Creates apsched's tables, or upgrades them to this version's schema;
/// refuses a schema written by a newer apsched.
pub(super) fn ensure(client: &mut Client) -> Result<(), StoreError> {
    let mut tx = client.transaction()?;
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('apsched schema'))",
        &[],
    )?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS apsched_meta (key text PRIMARY KEY, value text NOT NULL)",
    )?;
    let version: i64 = match tx.query_opt(
        "SELECT value FROM apsched_meta WHERE key = 'schema_version'",
        &[],
    )? {
        Some(row) => {
            let value: String = row.try_get(0)?;
            value.parse().map_err(|_| {
                StoreError::Database(format!(
                    "apsched_meta has schema_version {value:?}, not a number; the apsched_ tables are damaged"
                ))
            })?
        }
        None => 0,
    };
    if version > known() {
        return Err(StoreError::Database(format!(
            "its apsched_ tables were written by a newer apsched (schema version {version}, this one knows {}); use that version, or another database",
            known()
        )));
    }
    for migration in MIGRATIONS
        .iter()
        .skip(usize::try_from(version).unwrap_or(0))
    {
        tx.batch_execute(migration)?;
    }
    tx.execute(
        "INSERT INTO apsched_meta (key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        &[&known().to_string()],
    )?;
    tx.commit()?;
    Ok(())
}
