//! The generated corpus: seeded random crontabs of valid five-field lines,
//! macros, `%` input, `\%`, environment, `CRON_TZ` and comment lines; each
//! entry must become a job with the same fire times, command, input and
//! environment, and no line may be lost.

// A generator of small numbers and short texts.
#![allow(
    clippy::cast_possible_truncation,
    clippy::range_plus_one,
    clippy::format_push_string
)]

use super::equivalence_tests::{assert_same_times, fire_times};
use super::tests::{options, parsed};
use super::*;
use toml::Value;

/// A small seeded generator (xorshift), so every run checks the same corpus.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn pick<'a>(&mut self, of: &[&'a str]) -> &'a str {
        of[self.below(of.len() as u64) as usize]
    }
}

/// One field of a cron line cron and apsched both accept.
fn field(rng: &mut Rng, low: u64, high: u64, names: &[&str]) -> String {
    let n = high - low + 1;
    let value = |rng: &mut Rng| {
        let v = low + rng.below(n);
        match names.get((v - low) as usize) {
            Some(name) if rng.below(3) == 0 => name.to_string(),
            _ => v.to_string(),
        }
    };
    let part = |rng: &mut Rng| match rng.below(6) {
        0 => "*".to_string(),
        1 => format!("*/{}", 1 + rng.below((n - 1).min(20))),
        2 => {
            let a = low + rng.below(n);
            let b = a + rng.below(high - a + 1);
            format!("{a}-{b}")
        }
        3 => {
            let a = low + rng.below(n);
            let b = a + rng.below(high - a + 1);
            format!("{a}-{b}/{}", 1 + rng.below((n - 1).min(10)))
        }
        _ => value(rng),
    };
    let count = 1 + rng.below(3) * rng.below(2);
    (0..count).map(|_| part(rng)).collect::<Vec<_>>().join(",")
}

/// An entry's expected job, as the generator built it.
struct Expected {
    schedule: String,
    zone: Tz,
    command: String,
    stdin: Option<String>,
    env: Vec<(String, String)>,
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const ZONES: &[&str] = &[
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
];
const WORDS: &[&str] = &[
    "backup",
    "sync",
    "-v",
    "/srv/data",
    "report.sh",
    "x",
    "ü",
    "'q r'",
];

/// A random crontab with what each of its entries must become.
fn generate(rng: &mut Rng) -> (String, Vec<Expected>) {
    let mut text = String::new();
    let mut expected = Vec::new();
    let mut env: Vec<(String, String)> = Vec::new();
    let mut zone = chrono_tz::Europe::Berlin;
    for _ in 0..(1 + rng.below(12)) {
        match rng.below(8) {
            0 => text.push('\n'),
            1 => text.push_str(&format!("# note {}\n", rng.below(1000))),
            2 => {
                let name = rng.pick(&["A", "B", "LANG_X"]).to_string();
                let value = format!("v{}", rng.below(100));
                let line = match rng.below(3) {
                    0 => format!("{name}={value}"),
                    1 => format!("{name} = \"{value}\""),
                    _ => format!("  {name}= '{value}'  "),
                };
                text.push_str(&line);
                text.push('\n');
                match env.iter_mut().find(|(n, _)| *n == name) {
                    Some(var) => var.1 = value,
                    None => env.push((name, value)),
                }
            }
            3 => {
                let name = rng.pick(ZONES);
                zone = name.parse().expect("zone");
                text.push_str(&format!("CRON_TZ={name}\n"));
            }
            _ => expected.push(entry(rng, &mut text, zone, &env)),
        }
    }
    (text, expected)
}

/// Appends one entry line to `text`; returns what it must become.
fn entry(rng: &mut Rng, text: &mut String, zone: Tz, env: &[(String, String)]) -> Expected {
    let schedule = if rng.below(10) == 0 {
        rng.pick(&[
            "@hourly",
            "@daily",
            "@weekly",
            "@monthly",
            "@yearly",
            "@midnight",
        ])
        .to_string()
    } else {
        [
            field(rng, 0, 59, &[]),
            field(rng, 0, 23, &[]),
            field(rng, 1, 31, &[]),
            field(rng, 1, 12, MONTHS),
            field(rng, 0, 7, DAYS),
        ]
        .join(" ")
    };
    let mut words: Vec<&str> = (0..1 + rng.below(4)).map(|_| rng.pick(WORDS)).collect();
    words[0] = rng.pick(&["backup", "report.sh", "/usr/bin/sync"]);
    let mut raw = words.join(" ");
    let mut command = raw.clone();
    if rng.below(4) == 0 {
        raw.push_str(" +\\%d");
        command.push_str(" +%d");
    }
    let mut stdin = None;
    if rng.below(3) == 0 {
        let lines: Vec<String> = (0..1 + rng.below(3))
            .map(|i| format!("line {i} 50\\% done"))
            .collect();
        raw.push('%');
        raw.push_str(&lines.join("%"));
        stdin = Some(lines.join("\n").replace("\\%", "%") + "\n");
    }
    let separator = if rng.below(2) == 0 { " " } else { "\t " };
    text.push_str(&format!(
        "{}{separator}{raw}\n",
        schedule.replace(' ', separator)
    ));
    Expected {
        schedule,
        zone,
        command,
        stdin,
        env: env.to_vec(),
    }
}

#[test]
fn a_generated_corpus_imports_with_the_same_times_commands_and_input() {
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    let mut checked = 0;
    for case in 0..150 {
        let (text, mut expected) = generate(&mut rng);
        let out = crontab(text.as_bytes(), &options(false));
        // An entry for a date that never comes (`31 9`) is left out, as
        // cron never runs it either; nothing else is.
        let entries = expected.len();
        expected.retain(|e| !fire_times(&e.schedule, e.zone).is_empty());
        let lost = out.problems.iter().filter(|p| p.lost).count();
        assert_eq!(
            lost,
            entries - expected.len(),
            "case {case}: {:?}\n{text}",
            out.problems
        );
        let (scheduler, jobs) = parsed(&out.text);
        assert_eq!(
            jobs.len(),
            expected.len(),
            "case {case}\n{text}\n{}",
            out.text
        );
        for ((id, job), want) in jobs.iter().zip(&expected) {
            let what = format!("case {case} job {id}\n{text}");
            assert_same_times(&scheduler, job, &want.schedule, want.zone, &what);
            assert_eq!(
                job.get("command").and_then(Value::as_str),
                Some(want.command.as_str()),
                "{what}"
            );
            assert_eq!(
                job.get("stdin").and_then(Value::as_str),
                want.stdin.as_deref(),
                "{what}"
            );
            let env: Vec<(String, String)> = job
                .get("env")
                .and_then(Value::as_table)
                .map(|t| {
                    t.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(env, want.env, "{what}");
            checked += 1;
        }
        for comment in text.lines().filter(|l| l.starts_with('#')) {
            let words = comment.trim_start_matches('#').trim();
            assert!(
                out.text.contains(comment) || out.text.contains(words),
                "case {case}: {comment}"
            );
        }
    }
    assert!(checked > 300, "only {checked} entries were generated");
}
