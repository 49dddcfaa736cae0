//! `apsched run --watch` and `[scheduler] watch = true`: the file is
//! reloaded within 2 seconds of a change, however it is changed.

use crate::harness::poll::until;
use crate::harness::{Dir, Running, Test};
use std::os::unix::fs::symlink;
use std::time::Duration;

/// How soon a change must be reloaded.
const SOON: Duration = Duration::from_secs(2);

const HEAD: &str = r#"[scheduler]
timezone = "UTC"
state = ":memory:"
shutdown_timeout = "1s"
"#;

/// A schedule with one daily job `id`.
fn schedule(id: &str) -> String {
    format!("{HEAD}[jobs.{id}]\ncommand = \"true\"\ncron = \"@daily\"\n")
}

/// Writes `text` to `name` in `dir`, making its directory first.
fn write(dir: &Dir, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// `apsched run -v --watch s.toml` on job `a`, once started.
fn start(dir: &Dir) -> Running {
    let run = dir.apsched(["run", "-v", "--watch", "s.toml"]).spawn();
    run.wait_started();
    run
}

/// Waits up to [`SOON`] for the `n`th `reloaded` line; fails if it does not come.
fn reloaded_soon(run: &Running, n: usize, what: &str) -> String {
    let came = until(SOON, || run.stderr().matches(" reloaded ").count() >= n);
    let err = run.stderr();
    assert!(came, "no reload within 2s of {what}:\n{err}");
    err
}

#[test]
fn a_write_in_place_reloads() {
    let dir = Dir::new().file("s.toml", schedule("a"));
    let run = start(&dir);
    dir.write("s.toml", schedule("b"));
    let err = reloaded_soon(&run, 1, "a write in place");
    assert!(err.contains("reloaded added=1 removed=1"), "{err}");
    assert!(err.contains("file_changed path=s.toml"), "{err}");
    assert!(err.contains("woke reason=file"), "{err}");
    // And again: the watch goes on.
    dir.write("s.toml", schedule("c"));
    reloaded_soon(&run, 2, "a second write");
}

#[test]
fn a_new_file_renamed_over_the_old_one_reloads() {
    let dir = Dir::new().file("s.toml", schedule("a"));
    let run = start(&dir);
    for (n, id) in [(1, "b"), (2, "c")] {
        dir.write("s.toml.swp", schedule(id));
        std::fs::rename(dir.join("s.toml.swp"), dir.join("s.toml")).expect("rename");
        let err = reloaded_soon(&run, n, "a rename over the file");
        assert!(err.contains(&format!("job_added job={id}")), "{err}");
    }
}

#[test]
fn a_configmap_symlink_swap_reloads() {
    // As the kubelet lays out a ConfigMap volume, and updates it.
    let dir = Dir::new();
    write(&dir, "..2026_01_01/s.toml", &schedule("a"));
    symlink("..2026_01_01", dir.join("..data")).expect("symlink");
    symlink("..data/s.toml", dir.join("s.toml")).expect("symlink");
    let run = start(&dir);
    for (n, (old, new, id)) in [
        ("..2026_01_01", "..2026_01_02", "b"),
        ("..2026_01_02", "..2026_01_03", "c"),
    ]
    .into_iter()
    .enumerate()
    {
        write(&dir, &format!("{new}/s.toml"), &schedule(id));
        symlink(new, dir.join("..data_tmp")).expect("symlink");
        std::fs::rename(dir.join("..data_tmp"), dir.join("..data")).expect("rename");
        std::fs::remove_dir_all(dir.join(old)).expect("remove the old data");
        let err = reloaded_soon(&run, n + 1, "a ConfigMap update");
        assert!(err.contains(&format!("job_added job={id}")), "{err}");
    }
}

#[test]
fn a_write_through_a_symlink_to_another_directory_reloads() {
    let dir = Dir::new();
    write(&dir, "real/s.toml", &schedule("a"));
    symlink("real/s.toml", dir.join("s.toml")).expect("symlink");
    let run = start(&dir);
    dir.write("real/s.toml", schedule("b"));
    let err = reloaded_soon(&run, 1, "a write to the link's target");
    assert!(err.contains("job_added job=b"), "{err}");
}

#[test]
fn a_broken_file_keeps_the_old_jobs_and_a_fixed_one_is_loaded() {
    let dir = Dir::new().file("s.toml", schedule("a"));
    let run = start(&dir);
    dir.write("s.toml", "[jobs.x]\ncommand = 5\n");
    let came = until(SOON, || run.stderr().contains("reload_failed"));
    let err = run.stderr();
    assert!(came, "{err}");
    assert!(!err.contains("job_removed"), "the old jobs go on: {err}");
    dir.write("s.toml", schedule("b"));
    let err = reloaded_soon(&run, 1, "the fix");
    assert!(err.contains("job_removed job=a"), "{err}");
}

#[test]
fn a_burst_of_writes_is_one_reload() {
    let dir = Dir::new().file("s.toml", schedule("a"));
    let run = start(&dir);
    for id in ["b", "c", "d", "e", "f"] {
        dir.write("s.toml", schedule(id));
        std::thread::sleep(Duration::from_millis(50));
    }
    let err = reloaded_soon(&run, 1, "a burst");
    std::thread::sleep(Duration::from_secs(1));
    let err = format!("{err}{}", run.stderr());
    let reloads = run.stderr().matches(" reloaded ").count();
    assert_eq!(reloads, 1, "{err}");
    assert!(run.stderr().contains("job_added job=f"), "{err}");
    assert!(!run.stderr().contains("job_added job=c"), "{err}");
}

#[test]
fn watch_true_in_the_file_watches_it() {
    let with_watch =
        |id: &str| schedule(id).replace("[scheduler]\n", "[scheduler]\nwatch = true\n");
    let dir = Dir::new().file("s.toml", with_watch("a"));
    let run = dir.apsched(["run", "s.toml"]).spawn();
    run.wait_started();
    dir.write("s.toml", with_watch("b"));
    let err = reloaded_soon(&run, 1, "a write with watch = true");
    assert!(
        !err.contains("file_changed"),
        "a debug line, without -v: {err}"
    );
}

#[test]
fn without_watch_a_change_is_not_reloaded() {
    let dir = Dir::new().file("s.toml", schedule("a"));
    let run = dir.apsched(["run", "s.toml"]).spawn();
    run.wait_started();
    dir.write("s.toml", schedule("b"));
    run.sleep_ms(1000);
    assert!(!run.stderr().contains("reloaded"), "{}", run.stderr());
}

#[test]
fn standard_input_cannot_be_watched() {
    Test::new()
        .args(["run", "--watch", "-"])
        .stdin(schedule("a"))
        .status(2)
        .stderr_contains("apsched: error: --watch cannot watch a schedule read from standard input")
        .run();
    Test::new()
        .args(["run", "--state", ":memory:", "-"])
        .stdin(schedule("a").replace("[scheduler]\n", "[scheduler]\nwatch = true\n"))
        .status(2)
        .stderr_contains(
            "apsched: error: [scheduler] watch = true cannot watch a schedule read from standard input",
        )
        .run();
}

#[test]
fn a_directory_that_cannot_be_watched_is_an_error_at_start() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Dir::new();
    write(&dir, "d/s.toml", &schedule("a"));
    // Root watches everything; as nobody, a directory it may enter but not
    // read cannot be watched (the file in it can still be read).
    let mode = |path, mode| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    };
    mode(dir.path(), 0o755);
    mode(&dir.join("d"), 0o711);
    let nobody = |args: &[&str]| {
        Test::new()
            .under([
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
            ])
            .args(args)
            .dir(dir.path())
            .try_output()
            .ok()
    };
    if nobody(&["--version"]).is_none_or(|o| o.code != Some(0)) {
        eprintln!("skipped: cannot run apsched as nobody here (setpriv --reuid=65534)");
        return;
    }
    let out = nobody(&["run", "--watch", "d/s.toml"]).expect("runs");
    let d = dir.path().canonicalize().expect("canonical").join("d");
    let want = format!(
        "apsched: error: cannot watch d/s.toml for changes (--watch, [scheduler] watch): cannot watch {}: Permission denied (os error 13) (apsched needs read permission on it); run without watching and send SIGHUP to reload\n",
        d.display()
    );
    assert_eq!((out.code, out.stderr.as_str()), (Some(1), want.as_str()));
}

#[test]
fn touching_removing_and_creating_the_file_count() {
    let dir = Dir::new().file("s.toml", schedule("a"));
    let run = start(&dir);
    // `touch`: a reload, nothing changed.
    let touched = std::process::Command::new("touch")
        .arg(dir.join("s.toml"))
        .status()
        .expect("touch runs");
    assert!(touched.success());
    let err = reloaded_soon(&run, 1, "a touch");
    assert!(
        err.contains("reloaded added=0 removed=0 modified=0 unchanged=1"),
        "{err}"
    );
    std::fs::remove_file(dir.join("s.toml")).expect("remove");
    let came = until(SOON, || run.stderr().contains("reload_failed"));
    assert!(came, "{}", run.stderr());
    dir.write("s.toml", schedule("b"));
    let err = reloaded_soon(&run, 2, "a new file");
    assert!(err.contains("job_added job=b"), "{err}");
}
