//! A throwaway PostgreSQL cluster for tests: `initdb` into a temporary directory, the server on
//! a free loopback port (127.0.0.1 only, its unix socket in that directory too), stopped and
//! removed when the [`TestCluster`] is dropped.
//!
//! The binaries are PostgreSQL's own (`initdb`, `pg_ctl`, `postgres`): `PRESSWATCH_PG_BIN`, else
//! Debian's `/usr/lib/postgresql/<version>/bin` (package `postgresql`, which `.ci/install-postgres`
//! installs), newest version first. PostgreSQL refuses to run as root, so as root the cluster
//! runs as the `postgres` system user the Debian package creates (`runuser`). Test code: it panics
//! with what is missing rather than skipping, so a test cannot pass without a server.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A running throwaway cluster; dropped, it is stopped and its directory removed.
pub struct TestCluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    /// The system user the server runs as, when this process is root.
    run_as: Option<String>,
    next_db: AtomicUsize,
}

/// The directory holding `initdb`, `pg_ctl` and `postgres`.
pub fn pg_bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PRESSWATCH_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    match found.pop() {
        Some((_, bin)) => bin,
        None => panic!(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run .ci/install-postgres \
             (Debian's postgresql package) or set PRESSWATCH_PG_BIN"
        ),
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.trim_ascii() == b"0").unwrap_or(false)
}

impl TestCluster {
    /// Creates and starts a cluster. Panics, saying why, if PostgreSQL is missing or fails.
    pub fn start() -> TestCluster {
        let bin = pg_bin_dir();
        let dir = tempfile::Builder::new().prefix("presswatch-pg-").tempdir().expect("temp dir");
        let run_as = is_root().then(|| "postgres".to_string());
        if let Some(user) = &run_as {
            let status =
                Command::new("chown").arg(format!("{user}:")).arg(dir.path()).status().expect("chown");
            assert!(status.success(), "cannot give {} to the {user} user", dir.path().display());
        }
        let mut cluster = TestCluster { dir, bin, port: 0, run_as, next_db: AtomicUsize::new(0) };
        let data = cluster.data();
        cluster.run(
            "initdb",
            &["-D", &data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"],
        );
        // A port found free can be taken before the server binds it: try a few.
        for attempt in 0..5 {
            cluster.port = free_port();
            let options = format!(
                "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c synchronous_commit=off \
                 -c full_page_writes=off -c shared_buffers=32MB -c max_connections=40",
                cluster.port,
                cluster.dir.path().display()
            );
            let log = cluster.dir.path().join("server.log").display().to_string();
            if cluster
                .try_run("pg_ctl", &["-D", &data, "-l", &log, "-o", &options, "-w", "-t", "60", "start"])
            {
                return cluster;
            }
            if attempt == 4 {
                let log = std::fs::read_to_string(&log).unwrap_or_default();
                panic!("the PostgreSQL test server did not start:\n{log}");
            }
        }
        unreachable!()
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn command(&self, tool: &str, args: &[&str]) -> Command {
        let program = self.bin.join(tool);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(program).args(args);
                c
            }
            None => {
                let mut c = Command::new(program);
                c.args(args);
                c
            }
        }
    }

    fn try_run(&self, tool: &str, args: &[&str]) -> bool {
        let out = self.command(tool, args).output().unwrap_or_else(|e| panic!("cannot run {tool}: {e}"));
        if !out.status.success() {
            eprintln!(
                "{tool}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        out.status.success()
    }

    fn run(&self, tool: &str, args: &[&str]) {
        assert!(self.try_run(tool, args), "{tool} failed (see above)");
    }

    /// The loopback port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The cluster's directory (data, socket, log).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The URL of database `db` on this cluster.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Creates a new, empty database and returns its URL.
    pub fn create_database(&self) -> String {
        let name = format!("pw_{}", self.next_db.fetch_add(1, Ordering::SeqCst));
        let mut client = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .expect("connect to the test cluster");
        client.batch_execute(&format!("CREATE DATABASE {name}")).expect("create a test database");
        self.url(&name)
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self.command("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]).output();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().expect("local address").port()
}
