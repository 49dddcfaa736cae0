//! Where the endpoint listens: the file's address, the flag over it, a
//! port in use, bad addresses, and off by default.

use super::{address, get, scrape, start};
use crate::harness::Dir;

#[test]
fn the_file_can_name_the_address_and_the_flag_wins() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("addr").port();
    let jobs = "[jobs.a]\ncommand = \"true\"\ncron = \"0 0 1 1 *\"\n";
    let dir = Dir::schedule(&format!("[metrics]\nlisten = \"127.0.0.1:0\"\n{jobs}"));
    let running = dir.run().spawn();
    let addr = address(&running);
    assert!(scrape(&addr).contains("apsched_job_info{job_name=\"a\""));
    running.stop();
    // The file names a port in use: an error, unless the flag names another.
    dir.write(
        "s.toml",
        format!(
            "[metrics]\nlisten = \"127.0.0.1:{port}\"\n[scheduler]\ntimezone = \"UTC\"\n{jobs}"
        ),
    );
    let out = dir.run().status(1).run();
    assert!(out.stderr.contains(&format!("apsched: error: cannot serve metrics at 127.0.0.1:{port} (--metrics-listen, [metrics] listen): ")), "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "another program listens there: choose another port, or port 0 for any free one"
        ),
        "{}",
        out.stderr
    );
    let (running, addr) = start(&dir);
    assert_ne!(addr, format!("127.0.0.1:{port}"));
    assert_eq!(get(&addr, "/healthz").0, 200);
    running.stop();
    drop(taken);
}

#[test]
fn bad_addresses_are_usage_errors_and_metrics_are_off_by_default() {
    let dir = Dir::schedule("[jobs.a]\ncommand = \"true\"\ncron = \"0 0 1 1 *\"\n");
    let out = dir
        .apsched(["run", "s.toml", "--metrics-listen", ":9746"])
        .status(2)
        .run();
    assert!(
        out.stderr.contains("the address has no host"),
        "{}",
        out.stderr
    );
    let text = dir.read("s.toml");
    dir.write(
        "s.toml",
        format!("[metrics]\nlisten = \"127.0.0.1:http\"\n{text}"),
    );
    dir.run()
        .status(3)
        .stderr_contains("s.toml:2:10: metrics.listen: \"http\" is not a port number")
        .run();
    dir.write("s.toml", text);
    let running = dir.run().spawn();
    running.wait_started();
    running.sleep_ms(200);
    let out = running.stop();
    assert!(!out.stderr.contains("metrics_listening"), "{}", out.stderr);
}
