//! A throw-away PostgreSQL server for the tests of `nodes`, the node in
//! `history` and `list`, and `state copy`, made as the store's unit-test
//! fixture (`src/store/postgres/fixture.rs`) makes its own, on a port of
//! its own: `initdb` in a temp directory (as the `postgres` user when run
//! as root, since `initdb` refuses root), started with `pg_ctl` listening
//! only on a unix socket in that directory, and stopped with `pg_ctl stop
//! -m immediate` when the test process exits. One server is shared by the
//! tests; each gets its own database. Without PostgreSQL the tests skip,
//! unless `APSCHED_REQUIRE_PG=1`, when they fail.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// The port only names the socket file: nothing listens on TCP.
const PORT: u16 = 5435;

/// A running server.
pub(crate) struct Server {
    bin: PathBuf,
    dir: PathBuf,
    root: bool,
}

static SERVER: OnceLock<Option<Server>> = OnceLock::new();
static DATABASES: AtomicU32 = AtomicU32::new(0);

/// A DSN for a new empty database, or `None` (with a message) when
/// PostgreSQL is not installed and not required.
pub(crate) fn database() -> Option<String> {
    let server = SERVER.get_or_init(start).as_ref()?;
    let name = format!("t{}", DATABASES.fetch_add(1, Ordering::Relaxed));
    let mut admin = postgres::Client::connect(&server.dsn("postgres"), postgres::NoTls)
        .expect("connect to the test server");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create a test database");
    Some(server.dsn(&name))
}

/// Where `initdb` is: on `PATH`, else Debian's newest
/// `/usr/lib/postgresql/N/bin`.
fn find_bin() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
    });
    on_path.or_else(|| {
        let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(Result::ok)
            .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
            .filter(|(_, bin)| bin.join("initdb").is_file())
            .collect();
        versions.sort();
        versions.pop().map(|(_, bin)| bin)
    })
}

fn start() -> Option<Server> {
    let Some(bin) = find_bin() else {
        assert!(
            std::env::var("APSCHED_REQUIRE_PG").as_deref() != Ok("1"),
            "APSCHED_REQUIRE_PG=1 but PostgreSQL's initdb was found neither on PATH nor in /usr/lib/postgresql/*/bin; install the postgresql package"
        );
        eprintln!(
            "skipping the PostgreSQL tests of apsched nodes and state copy: initdb not found (install the postgresql package, or set APSCHED_REQUIRE_PG=1 to fail instead)"
        );
        return None;
    };
    let dir = tempfile::Builder::new()
        .prefix("apsched-pg")
        .tempdir()
        .expect("temp dir")
        .keep();
    let root = rustix::process::getuid().is_root();
    let server = Server { bin, dir, root };
    if root {
        run("chown", &["-R", "postgres:postgres", &server.path()]);
    }
    let data = server.path();
    server.pg(
        "initdb",
        &["-D", &data, "-U", "postgres", "--auth=trust", "-N"],
    );
    let options =
        format!("-k {data} -c listen_addresses='' -p {PORT} -c fsync=off -c max_connections=100");
    let log = format!("{data}/log");
    server.pg(
        "pg_ctl",
        &["-D", &data, "-l", &log, "-o", &options, "-w", "start"],
    );
    // Statics are never dropped: stop the server when the test process exits.
    // SAFETY: `stop_at_exit` is a plain `extern "C"` function without arguments.
    unsafe { libc::atexit(stop_at_exit) };
    Some(server)
}

extern "C" fn stop_at_exit() {
    if let Some(Some(server)) = SERVER.get() {
        server.stop();
    }
}

impl Server {
    fn path(&self) -> String {
        self.dir.display().to_string()
    }

    fn dsn(&self, database: &str) -> String {
        format!(
            "host={} port={PORT} user=postgres dbname={database}",
            self.path()
        )
    }

    /// Runs a PostgreSQL program, as `postgres` when we are root.
    fn pg(&self, program: &str, args: &[&str]) {
        let exe = self.bin.join(program);
        let exe = exe.to_str().expect("a UTF-8 path");
        if self.root {
            let mut all = vec!["-u", "postgres", "--", exe];
            all.extend_from_slice(args);
            run("runuser", &all);
        } else {
            run(exe, args);
        }
    }

    fn stop(&self) {
        let data = self.path();
        let exe = self.bin.join("pg_ctl");
        let exe = exe.to_str().unwrap_or("pg_ctl");
        let mut cmd = if self.root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", exe]);
            c
        } else {
            Command::new(exe)
        };
        let _ = cmd
            .args(["-D", &data, "stop", "-m", "immediate"])
            .current_dir("/")
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Runs a program; panics with its output if it fails.
fn run(program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .current_dir(Path::new("/"))
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
