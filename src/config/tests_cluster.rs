//! Tests of the `[cluster]` section, database states and `on_lost`.

use super::*;

#[test]
fn database_states_are_told_from_files() {
    let cases = [
        ("postgresql://apsched@db1,db2/apsched", true),
        ("postgres://localhost/x", true),
        ("host=/run/postgresql dbname=apsched", true),
        ("  dbname=apsched", true),
        ("apsched.db", false),
        ("state/a=b.db", false),
        ("postgres.db", false),
        (":memory:", false),
    ];
    for (text, want) in cases {
        assert_eq!(is_database(text), want, "{text}");
    }
}

#[test]
fn ids_are_bounded() {
    let cases = [
        ("web-1", true),
        ("a.b_c", true),
        ("", false),
        ("has space", false),
        ("é", false),
        (&"x".repeat(64), true),
        (&"x".repeat(65), false),
    ];
    for (id, want) in cases {
        assert_eq!(valid_id(id), want, "{id}");
    }
}

fn load(text: &str) -> Result<super::super::Config, String> {
    let source = format!(
        "[scheduler]\ntimezone = \"UTC\"\n{text}\n[jobs.a]\ncommand = \"true\"\ncron = \"@daily\"\n"
    );
    super::super::load_text(std::path::Path::new("c.toml"), &source, None).map_err(|e| match e {
        super::super::ConfigError::Invalid { diagnostics, .. } => diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
        other @ super::super::ConfigError::Unreadable { .. } => other.to_string(),
    })
}

#[test]
fn the_cluster_section_is_read_and_bounded() {
    let ok = load("[cluster]\nname = \"prod\"\nnode_id = \"web-1\"\nlease = \"10s\"\npoll = \"500ms\"\ngeneration = 7")
        .expect("valid");
    assert_eq!(
        ok.cluster,
        Cluster {
            name: "prod".into(),
            node_id: Some("web-1".into()),
            lease: Duration::from_secs(10),
            poll: Duration::from_millis(500),
            generation: Some(7),
        }
    );
    assert_eq!(load("").expect("valid").cluster, Cluster::default());
    let cases = [
        (
            "[cluster]\nlease = \"1s\"",
            "c.toml:4:9: cluster.lease must be between 3s and 3600s",
        ),
        (
            "[cluster]\npoll = \"10ms\"",
            "c.toml:4:8: cluster.poll must be between 100ms and 3600s",
        ),
        (
            "[cluster]\nlease = \"5s\"\npoll = \"10s\"",
            "c.toml:5:8: cluster.poll is longer than cluster.lease",
        ),
        (
            "[cluster]\nname = \"a b\"",
            "c.toml:4:8: cluster.name \"a b\" is not a valid id",
        ),
        (
            "[cluster]\nnode_id = \"\"",
            "c.toml:4:11: cluster.node_id \"\" is not a valid id",
        ),
        (
            "[cluster]\nleader = true",
            "c.toml:4:1: unknown key \"leader\" in [cluster]",
        ),
        (
            "[cluster]\ngeneration = -1",
            "c.toml:4:14: cluster.generation must be between 0 and",
        ),
    ];
    for (text, want) in cases {
        let err = load(text).expect_err(text);
        assert!(err.contains(want), "{text}: {err}");
    }
}

#[test]
fn what_becomes_of_a_lost_run_is_read_per_job() {
    let job = |keys: &str| {
        let source = format!(
            "[scheduler]\ntimezone = \"UTC\"\n[jobs.a]\ncommand = \"true\"\ncron = \"@daily\"\n{keys}\n"
        );
        super::super::load_text(std::path::Path::new("c.toml"), &source, None)
            .map(|c| (c.jobs[0].more.on_lost, c.jobs[0].more.max_attempts))
            .map_err(|e| e.to_string())
    };
    assert_eq!(job(""), Ok((OnLost::Record, 2)));
    assert_eq!(job("on_lost = \"record\""), Ok((OnLost::Record, 2)));
    assert_eq!(
        job("on_lost = \"rerun\"\nmax_attempts = 5"),
        Ok((OnLost::Rerun, 5))
    );
    for bad in [
        "on_lost = \"retry\"",
        "max_attempts = 0",
        "max_attempts = 101",
    ] {
        assert!(job(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_database_state_is_kept_apart_from_files() {
    let c = load("state = \"postgresql://apsched@db1,db2/apsched\"\npassword_file = \"secret\"")
        .expect("valid");
    assert_eq!(c.scheduler.state, None);
    assert_eq!(
        c.scheduler.database.as_deref(),
        Some("postgresql://apsched@db1,db2/apsched")
    );
    assert_eq!(
        c.scheduler.password_file.as_deref(),
        Some(std::path::Path::new("secret"))
    );
    let err = load("state = \"postgresql://u:hunter2@h/d?sslmode=bogus\"").expect_err("bad");
    assert!(
        err.contains("scheduler.state is not a valid PostgreSQL connection string"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
}

#[test]
fn bad_connection_strings_are_not_echoed() {
    let e = check_dsn("postgresql://u:secret@h/db?nosuch=1").expect_err("invalid");
    assert!(!e.contains("secret"), "{e}");
    assert!(check_dsn("host=/tmp dbname=x").is_ok());
}
