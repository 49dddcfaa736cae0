use super::*;
use std::io::Read as _;

/// Starts `launch` and returns its exit status and standard output.
fn run(launch: &Launch) -> (i32, String) {
    let child = launch.start().unwrap();
    let mut out = String::new();
    std::fs::File::from(child.stdout)
        .read_to_string(&mut out)
        .unwrap();
    let mut status = 0;
    // SAFETY: waits for the child just started; `status` is valid.
    unsafe { libc::waitpid(child.pid.cast_signed(), &raw mut status, 0) };
    (status, out)
}

fn sh(script: &str) -> Launch {
    let mut launch = Launch::new("sh");
    launch.arg("-c").arg(script);
    launch
}

#[test]
fn runs_the_program_found_in_path_with_its_arguments() {
    let (status, out) = run(sh("echo \"$0\" \"$1\"; exit 3").arg("zero").arg("one"));
    assert_eq!((status >> 8, out.as_str()), (3, "zero one\n"));
}

#[test]
fn sets_and_removes_variables_and_the_directory() {
    // SAFETY: a test-only variable no other test reads or writes.
    unsafe { std::env::set_var("APSCHED_LAUNCH_TEST_GONE", "here") };
    let mut launch = sh("echo \"${APSCHED_LAUNCH_TEST_GONE:-unset} $X\"; pwd");
    launch
        .env("X", "x=1")
        .env_remove("APSCHED_LAUNCH_TEST_GONE")
        .current_dir(Path::new("/"));
    assert_eq!(run(&launch).1, "unset x=1\n/\n");
}

#[test]
fn leads_its_own_process_group_with_no_signal_blocked_and_sigpipe_not_ignored() {
    let (_, out) = run(&sh("ps -o pid=,pgid= -p $$ | awk '{print ($1 == $2)}'"));
    assert_eq!(out, "1\n");
    // sed itself is the process started: a shell would block signals
    // while it waits for its own children. The masks of signals 1 to 28,
    // as /proc shows them.
    let mut sed = Launch::new("sed");
    sed.arg("-n")
        .arg("s/^Sig\\(Blk\\|Ign\\):\t.*\\(.......\\)$/\\1 \\2/p")
        .arg("/proc/self/status");
    // What this process ignores the child ignores too (as after any fork
    // and exec: `nohup` and `&` ignore signals for what they start), but
    // not SIGPIPE (13), which Rust ignores for itself.
    let ours = std::fs::read_to_string("/proc/self/status").unwrap();
    let ignored = (ours.lines())
        .find_map(|l| l.strip_prefix("SigIgn:\t"))
        .map(|mask| u64::from_str_radix(mask, 16).unwrap())
        .unwrap();
    let sigpipe = 1 << (libc::SIGPIPE - 1);
    let want = format!(
        "Blk 0000000\nIgn {:07x}\n",
        ignored & !sigpipe & 0x0fff_ffff
    );
    assert_eq!(run(&sed).1, want);
}

#[test]
fn the_child_gets_sigterm_when_its_parent_goes() {
    // The parent-death signal follows the thread that started the child:
    // start one from a thread that then ends.
    let pid = std::thread::spawn(|| sh("sleep 10").start().unwrap().pid)
        .join()
        .unwrap();
    let mut status = 0;
    // SAFETY: waits for the child just started; `status` is valid.
    unsafe { libc::waitpid(pid.cast_signed(), &raw mut status, 0) };
    assert_eq!(status & 0x7f, libc::SIGTERM, "status {status:#x}");
}

#[test]
fn feeds_a_piped_stdin_and_gives_dev_null_otherwise() {
    let mut piped = sh("cat");
    piped.stdin_piped(true);
    let child = piped.start().unwrap();
    let mut input = std::fs::File::from(child.stdin.unwrap());
    std::io::Write::write_all(&mut input, b"fed\n").unwrap();
    drop(input);
    let mut out = String::new();
    std::fs::File::from(child.stdout)
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(out, "fed\n");
    assert_eq!(run(&sh("cat; echo end")).1, "end\n");
}

#[test]
fn reports_why_a_program_cannot_start() {
    let table = [
        (
            "/nonexistent/program",
            "No such file or directory (os error 2)",
        ),
        (
            "apsched-no-such-program",
            "No such file or directory (os error 2)",
        ),
        ("/etc/passwd", "Permission denied (os error 13)"),
        ("/", "Permission denied (os error 13)"),
    ];
    for (program, message) in table {
        let error = Launch::new(program).start().err().unwrap();
        assert_eq!(error.to_string(), message, "{program}");
    }
    let mut missing_dir = sh("true");
    missing_dir.current_dir(Path::new("/nonexistent/dir"));
    let error = missing_dir.start().err().unwrap();
    assert_eq!(error.raw_os_error(), Some(libc::ENOENT));
}

#[test]
fn searches_path_as_execvp_does() {
    let path = OsString::from("/nonexistent:/usr/bin:/bin");
    let found = resolve(OsStr::new("sh"), Some(&path), None).unwrap();
    assert!(found.to_bytes().ends_with(b"/sh"), "{found:?}");
    assert_eq!(
        resolve(OsStr::new("./x"), Some(&path), None)
            .unwrap()
            .as_bytes(),
        b"./x"
    );
    let none = resolve(
        OsStr::new("sh"),
        Some(&OsString::from("/nonexistent")),
        None,
    );
    assert_eq!(none.unwrap_err().raw_os_error(), Some(libc::ENOENT));
    // A relative directory is looked in from the child's directory.
    let relative = OsString::from("bin");
    let in_usr = resolve(OsStr::new("sh"), Some(&relative), Some(Path::new("/usr")));
    assert_eq!(in_usr.unwrap().as_bytes(), b"bin/sh");
    let elsewhere = resolve(
        OsStr::new("sh"),
        Some(&relative),
        Some(Path::new("/nonexistent")),
    );
    assert!(elsewhere.is_err());
}

#[test]
fn a_script_with_no_interpreter_line_runs_in_sh() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("script");
    std::fs::write(&script, "echo \"ran $1\"\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut launch = Launch::new(&script);
    launch.arg("with-arg");
    assert_eq!(run(&launch), (0, "ran with-arg\n".into()));
}
