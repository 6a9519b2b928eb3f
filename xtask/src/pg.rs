//! A throwaway PostgreSQL cluster for the views tests and benchmark: Debian's
//! `postgresql` (installed with apt-get when missing and we are root), `initdb`
//! in a fresh temp dir, `pg_ctl start` on a free loopback port, stopped and
//! removed when the guard drops. PostgreSQL refuses to run as root, so as root the
//! cluster belongs to the `postgres` user (or `nobody`).
//!
//! The tests learn its URL from [`URL_ENV`]; without a cluster they run the SQLite
//! half only, and [`Postgres::start`]'s error says why for the summary.

use std::ffi::CString;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

/// The env var the relay's views tests and benchmark read.
pub const URL_ENV: &str = "VIEWS_TEST_POSTGRES_URL";

pub struct Postgres {
    /// `postgres://postgres@127.0.0.1:PORT/postgres` (trust auth, loopback only).
    pub url: String,
    bin: PathBuf,
    dir: PathBuf,
    user: Option<(u32, u32)>,
}

impl Postgres {
    /// Install if needed, create and start a cluster. `Err` says why not.
    pub fn start() -> Result<Postgres> {
        let bin = match find_bin() {
            Some(b) => b,
            None => {
                install()?;
                find_bin().context("apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb")?
            }
        };
        // SAFETY: plain libc queries.
        let root = unsafe { libc::geteuid() } == 0;
        let user = if root {
            Some(
                lookup_user("postgres")
                    .or_else(|| lookup_user("nobody"))
                    .context("no postgres or nobody user to run PostgreSQL as (it refuses root)")?,
            )
        } else {
            None
        };
        let dir = std::env::temp_dir().join(format!("xtask-pg-{}-{}", std::process::id(), nanos()));
        std::fs::create_dir_all(&dir)?;
        let mut pg = Postgres { url: String::new(), bin, dir, user };
        if let Some((uid, gid)) = pg.user {
            chown(&pg.dir, uid, gid)?;
        }
        let data = pg.dir.join("data");
        pg.run("initdb", |c| {
            c.arg("-D").arg(&data).args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
            c.stdout(Stdio::null());
        })?;
        let port = free_port()?;
        let opts = format!("-h 127.0.0.1 -p {port} -k {} -c max_connections=200", pg.dir.display());
        let log = pg.dir.join("server.log");
        pg.run("pg_ctl", |c| {
            c.arg("-D").arg(&data).arg("-l").arg(&log).args(["-w", "-t", "60", "-o", &opts, "start"]);
        })
        .with_context(|| format!("starting PostgreSQL (log: {})", log.display()))?;
        pg.url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
        println!("PostgreSQL {} on {} (data in {})", pg.version(), pg.url, pg.dir.display());
        Ok(pg)
    }

    fn version(&self) -> String {
        self.bin.parent().and_then(|p| p.file_name()).map(|v| v.to_string_lossy().into_owned()).unwrap_or_default()
    }

    /// Run one of the cluster's programs as its owner, output to our terminal.
    fn run(&self, program: &str, args: impl FnOnce(&mut Command)) -> Result<()> {
        let mut c = Command::new(self.bin.join(program));
        args(&mut c);
        c.current_dir(&self.dir).stdin(Stdio::null()).env("LC_ALL", "C");
        if let Some((uid, gid)) = self.user {
            c.uid(uid).gid(gid);
        }
        // Not through procs::run: that kills the command's process group when it
        // ends, and the server pg_ctl starts lives on in it.
        let status = c.status().with_context(|| format!("running {program}"))?;
        if !status.success() {
            bail!("{program} failed: {status}");
        }
        Ok(())
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if !self.url.is_empty() {
            let data = self.dir.join("data");
            let _ = self.run("pg_ctl", |c| {
                c.arg("-D").arg(&data).args(["-m", "fast", "-w", "-t", "30", "stop"]).stdout(Stdio::null());
            });
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The newest `/usr/lib/postgresql/N/bin` that has `initdb`.
fn find_bin() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin): &(u32, PathBuf)| bin.join("initdb").is_file() && bin.join("pg_ctl").is_file())
        .collect();
    found.sort();
    found.pop().map(|(_, b)| b)
}

fn install() -> Result<()> {
    // SAFETY: plain libc query.
    if unsafe { libc::geteuid() } != 0 {
        bail!("PostgreSQL is not installed and we are not root: run `sudo apt-get install postgresql`");
    }
    println!("PostgreSQL is missing: installing Debian's postgresql");
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdin(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    let install = ["install", "-y", "-q", "--no-install-recommends", "postgresql"];
    // Without a package list (a fresh machine) the first try fails: update, retry.
    let installed = apt(&install) || (apt(&["update", "-q"]) && apt(&install));
    if !installed {
        bail!("`apt-get install postgresql` failed");
    }
    Ok(())
}

fn lookup_user(name: &str) -> Option<(u32, u32)> {
    let c = CString::new(name).ok()?;
    // SAFETY: getpwnam returns a pointer to static storage or null; read at once.
    unsafe {
        let pw = libc::getpwnam(c.as_ptr());
        (!pw.is_null()).then(|| ((*pw).pw_uid, (*pw).pw_gid))
    }
}

fn chown(path: &Path, uid: u32, gid: u32) -> Result<()> {
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).with_context(|| format!("chown {}", path.display()))
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn nanos() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
}
