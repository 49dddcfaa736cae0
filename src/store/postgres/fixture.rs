//! Throw-away PostgreSQL servers for the tests, the store's unit tests and
//! the integration tests alike (they include this file by its path):
//! `initdb` in a temp directory (as the `postgres` user when run as root,
//! since `initdb` refuses root), started with `pg_ctl` listening only on a
//! unix socket in that directory. One server is shared by a test process
//! (started once, stopped when the process exits); each test gets a
//! database of its own. A test that stops or restarts its server starts one
//! of its own ([`Server::start`]). Without PostgreSQL the tests skip, unless
//! `APSCHED_REQUIRE_PG=1`, when they fail.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// The shared server's port: it only names the socket file in the server's
/// own directory (nothing listens on TCP).
const SHARED_PORT: u16 = 5434;

/// A running server, stopped when dropped (the shared one: at exit).
pub(crate) struct Server {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    root: bool,
}

static SHARED: OnceLock<Option<Server>> = OnceLock::new();
static DATABASES: AtomicU32 = AtomicU32::new(0);

/// A connection string for a new empty database on the shared server, or
/// `None` (with a message) when PostgreSQL is not installed and not
/// required.
pub(crate) fn database() -> Option<String> {
    let server = SHARED
        .get_or_init(|| {
            let server = Server::start(SHARED_PORT)?;
            // Statics are never dropped: stop the server when the process exits.
            // SAFETY: `stop_at_exit` is a plain `extern "C"` function without arguments.
            unsafe { libc::atexit(stop_at_exit) };
            Some(server)
        })
        .as_ref()?;
    Some(server.database())
}

extern "C" fn stop_at_exit() {
    if let Some(Some(server)) = SHARED.get() {
        server.stop();
    }
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

impl Server {
    /// A new server on `port` (the name of its socket file), or `None`
    /// (with a message) when PostgreSQL is not installed and not required.
    pub(crate) fn start(port: u16) -> Option<Server> {
        let Some(bin) = find_bin() else {
            assert!(
                std::env::var("APSCHED_REQUIRE_PG").as_deref() != Ok("1"),
                "APSCHED_REQUIRE_PG=1 but PostgreSQL's initdb was found neither on PATH nor in /usr/lib/postgresql/*/bin; install the postgresql package"
            );
            eprintln!(
                "skipped: PostgreSQL is not installed (initdb not found; install the postgresql package, or set APSCHED_REQUIRE_PG=1 to fail instead)"
            );
            return None;
        };
        let dir = tempfile::Builder::new()
            .prefix("apsched-cluster-pg")
            .tempdir()
            .expect("a temporary directory")
            .keep();
        // SAFETY: getuid has no preconditions and cannot fail.
        let root = unsafe { libc::getuid() } == 0;
        let server = Server {
            bin,
            dir,
            port,
            root,
        };
        if root {
            run("chown", &["-R", "postgres:postgres", &server.path()]);
        }
        let data = server.path();
        server.pg(
            "initdb",
            &["-D", &data, "-U", "postgres", "--auth=trust", "-N"],
        );
        server.pg_ctl("start");
        Some(server)
    }

    fn path(&self) -> String {
        self.dir.display().to_string()
    }

    /// A connection string for the database `name`.
    pub(crate) fn dsn(&self, name: &str) -> String {
        format!(
            "host={} port={} user=postgres dbname={name}",
            self.path(),
            self.port
        )
    }

    /// A new empty database: its connection string.
    pub(crate) fn database(&self) -> String {
        let name = format!("c{}", DATABASES.fetch_add(1, Ordering::Relaxed));
        let mut admin = postgres::Client::connect(&self.dsn("postgres"), postgres::NoTls)
            .expect("connect to the test server");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a test database");
        self.dsn(&name)
    }

    /// `pg_ctl stop -m fast`: the database is down until [`Server::resume`].
    pub(crate) fn halt(&self) {
        self.pg_ctl("stop");
    }

    /// `pg_ctl start` after [`Server::halt`].
    pub(crate) fn resume(&self) {
        self.pg_ctl("start");
    }

    /// `pg_ctl restart -m fast`: every connection is cut.
    pub(crate) fn restart(&self) {
        self.pg_ctl("restart");
    }

    /// `pg_ctl start` or `restart`, waiting until the server accepts
    /// connections.
    fn pg_ctl(&self, what: &str) {
        let data = self.path();
        let options = format!(
            "-k {data} -c listen_addresses='' -p {} -c fsync=off -c max_connections=200",
            self.port
        );
        let log = format!("{data}/log");
        self.pg(
            "pg_ctl",
            &[
                "-D", &data, "-l", &log, "-o", &options, "-m", "fast", "-w", what,
            ],
        );
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

    /// `pg_ctl stop -m immediate`, and the directory removed.
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
