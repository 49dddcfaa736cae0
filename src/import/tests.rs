//! Whole conversions: crontab text in, schedule file out, read back with
//! the `toml` crate.

use super::*;
use toml::{Table, Value};

pub(super) fn options(system: bool) -> Options {
    Options {
        source: "test".into(),
        system,
        zone: chrono_tz::Europe::Berlin,
    }
}

/// The output read back: `[scheduler]` and the jobs in order.
pub(super) fn parsed(text: &str) -> (Table, Vec<(String, Table)>) {
    let root: Table = toml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let scheduler = root["scheduler"].as_table().expect("[scheduler]").clone();
    let jobs = root
        .get("jobs")
        .and_then(Value::as_table)
        .map(|t| {
            t.iter()
                .map(|(k, v)| (k.clone(), v.as_table().expect("job").clone()))
                .collect()
        })
        .unwrap_or_default();
    (scheduler, jobs)
}

fn get<'a>(job: &'a Table, key: &str) -> Option<&'a str> {
    job.get(key).and_then(Value::as_str)
}

#[test]
fn every_key_is_written_with_its_contract_spelling() {
    let input = "MAILTO=\"\"\nSHELL=/bin/bash\nA = \"x y\"\nCRON_TZ=Asia/Tokyo\n\
                 # Say hello\n0 8 * * * root echo hi%in\n@reboot root start\n";
    let out = crontab(input.as_bytes(), &options(true));
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let (scheduler, jobs) = parsed(&out.text);
    assert_eq!(get(&scheduler, "timezone"), Some("Asia/Tokyo"));
    assert_eq!(get(&scheduler, "shell"), Some("/bin/bash"));
    let ids: Vec<&str> = jobs.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["echo-hi", "start"]);
    let hi = &jobs[0].1;
    assert_eq!(get(hi, "description"), Some("Say hello"));
    assert_eq!(get(hi, "cron"), Some("0 8 * * *"));
    assert_eq!(get(hi, "command"), Some("echo hi"));
    assert_eq!(get(hi, "stdin"), Some("in\n"));
    assert_eq!(get(hi, "user"), Some("root"));
    assert_eq!(
        hi["env"].as_table().map(|t| t["A"].as_str()),
        Some(Some("x y"))
    );
    let start = &jobs[1].1;
    assert_eq!(get(start, "trigger"), Some("startup"));
    assert_eq!(start.get("cron"), None);
    // MAILTO="" (no mail) is carried over to each job.
    assert_eq!(
        hi["hooks"].as_table().map(|t| t["mailto"].as_str()),
        Some(Some(""))
    );
}

#[test]
fn settings_that_differ_between_jobs_stay_on_the_jobs() {
    let input = "0 1 * * * a\nSHELL=/bin/zsh\nCRON_TZ=UTC\n0 2 * * * b\n";
    let out = crontab(input.as_bytes(), &options(false));
    let (scheduler, jobs) = parsed(&out.text);
    assert_eq!(get(&scheduler, "timezone"), Some("Europe/Berlin"));
    assert_eq!(get(&scheduler, "shell"), Some("/bin/sh"));
    assert_eq!(
        (get(&jobs[0].1, "shell"), get(&jobs[0].1, "timezone")),
        (None, None)
    );
    assert_eq!(get(&jobs[1].1, "shell"), Some("/bin/zsh"));
    assert_eq!(get(&jobs[1].1, "timezone"), Some("UTC"));
}

#[test]
fn lines_not_carried_over_are_reported_and_kept_as_comments() {
    let input = "0 1 * * *\nCRON_TZ=Mars/Base\n0 0 30 2 * x\nbad line\n0 9 * * 8 y\n\u{1}0 * * * * z\n0 3 * * * ok\n";
    let mut raw = input.as_bytes().to_vec();
    raw.extend(b"0 4 * * * latin\xe9\n");
    let out = crontab(&raw, &options(false));
    let lost: Vec<usize> = out
        .problems
        .iter()
        .filter(|p| p.lost)
        .map(|p| p.line)
        .collect();
    assert_eq!(lost, [1, 2, 3, 4, 5, 6, 8], "{:?}", out.problems);
    assert_eq!(out.jobs, 1);
    for (line, text) in [
        (1, "0 1 * * *"),
        (2, "CRON_TZ=Mars/Base"),
        (3, "0 0 30 2 * x"),
        (4, "bad line"),
    ] {
        let note = format!("# apsched import: line {line} not carried over: ");
        assert!(out.text.contains(&note), "{note}\n{}", out.text);
        assert!(
            out.text.contains(&format!("\n# {text}\n")),
            "{text}\n{}",
            out.text
        );
    }
    assert!(out.text.contains("# \\u{0001}0 * * * * z"), "{}", out.text);
    assert!(
        out.text.contains("# 0 4 * * * latin\u{fffd}"),
        "{}",
        out.text
    );
    parsed(&out.text);
}

#[test]
fn strings_survive_the_round_trip() {
    let commands = [
        "echo \"quoted\" 'single' \\back\\slash",
        "printf 'tab\there' ünïcode ☃ 𝄞",
        "echo \u{7f} \u{1b}[0m \r end",
        "echo '''triple''' \"\"\"",
    ];
    for command in commands {
        let input = format!("0 0 * * * {command}\n");
        let out = crontab(input.as_bytes(), &options(false));
        let (_, jobs) = parsed(&out.text);
        assert_eq!(get(&jobs[0].1, "command"), Some(command), "{}", out.text);
    }
}

#[test]
fn comments_become_descriptions_only_when_they_are_one_line_of_words() {
    let cases = [
        (
            "# Back up the disks\n0 2 * * * b\n",
            Some("Back up the disks"),
        ),
        ("# first\n# second\n0 2 * * * b\n", None),
        ("# Back up\n\n0 2 * * * b\n", None),
        ("# m h  dom mon dow   command\n0 2 * * * b\n", None),
        ("# 0 3 * * * old-job\n0 2 * * * b\n", None),
        ("#PATH=/bin\n0 2 * * * b\n", None),
        ("# ------\n0 2 * * * b\n", None),
    ];
    for (input, want) in cases {
        let out = crontab(input.as_bytes(), &options(false));
        let (_, jobs) = parsed(&out.text);
        assert_eq!(get(&jobs[0].1, "description"), want, "{input:?}");
        if want.is_none() {
            let first = input.lines().next().unwrap_or_default();
            assert!(out.text.contains(first), "{input:?} lost:\n{}", out.text);
        }
    }
}

#[test]
fn an_empty_crontab_has_no_jobs_and_a_trailing_env_line_is_a_warning() {
    let out = crontab(b"# nothing\nA=1\n# end\n", &options(false));
    assert_eq!(out.jobs, 0);
    assert_eq!(out.problems.len(), 1);
    assert!(!out.problems[0].lost);
    assert!(
        out.text.ends_with(
            "# nothing\n# apsched import: line 2: A=1 (this environment line has no entry below it, so it applies to no job)\n# end\n"
        ),
        "{}",
        out.text
    );
    parsed(&out.text);
}

#[test]
fn system_crontabs_are_recognised_by_their_user_fields() {
    let is_user = |name: &str| name == "root" || name == "www-data";
    let cases: [(&str, bool); 5] = [
        (
            "17 * * * * root cd / && run-parts x\n@daily www-data php a\n",
            true,
        ),
        ("0 2 * * * backup.sh\n", false),
        ("0 2 * * * root\n", false),
        ("# only\nA=1\n", false),
        ("0 2 * * * root a\n0 3 * * * b c\n", false),
    ];
    for (input, want) in cases {
        assert_eq!(
            looks_like_system(input.as_bytes(), &is_user),
            want,
            "{input:?}"
        );
    }
}

#[test]
fn zone_lines_apply_below_and_an_empty_one_resets_the_zone() {
    let input =
        "TZ=Asia/Tokyo\n0 1 * * * a\nCRON_TZ=UTC\n0 2 * * * b\nCRON_TZ=\nTZ=\n0 3 * * * c\n";
    let out = crontab(input.as_bytes(), &options(false));
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let (scheduler, jobs) = parsed(&out.text);
    assert_eq!(get(&scheduler, "timezone"), Some("Europe/Berlin"));
    let zones: Vec<Option<&str>> = jobs.iter().map(|(_, j)| get(j, "timezone")).collect();
    assert_eq!(zones, [Some("Asia/Tokyo"), Some("UTC"), None]);
    // TZ is also the job's environment, as cron passes it.
    let tz: Vec<Option<&str>> = jobs
        .iter()
        .map(|(_, j)| j["env"].as_table().and_then(|e| e["TZ"].as_str()))
        .collect();
    assert_eq!(tz, [Some("Asia/Tokyo"), Some("Asia/Tokyo"), Some("")]);
}
