//! Child processes that never outlive us.
//!
//! Every child runs in its own process group, is registered here while it runs,
//! and gets `PR_SET_PDEATHSIG` (SIGTERM) so it dies even if we are SIGKILLed.
//! On SIGINT/SIGTERM/SIGHUP a dedicated thread kills all registered groups (the
//! child and whatever it started: trunk's cargo, node's chromium) and exits.
//! `Server` is a guard: dropping it kills the group, so early returns and `?`
//! stop servers too.
//!
//! Children must be spawned from the main thread: PDEATHSIG fires when the
//! *thread* that spawned the child ends.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// Process-group ids of the children currently running.
static GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());
/// Set by the signal thread: the process is exiting, report nothing more.
static STOPPING: AtomicBool = AtomicBool::new(false);

pub fn install_signal_handler() {
    // SAFETY: plain libc signal-mask calls; runs before any other thread exists,
    // so every later thread inherits the blocked mask and only `sigwait` sees them.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for s in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::sigaddset(&mut set, s);
        }
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        std::thread::spawn(move || {
            let mut sig: libc::c_int = 0;
            libc::sigwait(&set, &mut sig);
            STOPPING.store(true, Ordering::SeqCst);
            eprintln!("\nxtask: got signal {sig}, stopping child processes");
            kill_all();
            std::process::exit(128 + sig);
        });
    }
}

fn prepare(cmd: &mut Command) {
    cmd.process_group(0);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let mut empty: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut empty);
            libc::pthread_sigmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut());
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
            if libc::getppid() == 1 {
                libc::_exit(1); // parent already gone
            }
            Ok(())
        });
    }
}

fn register(pid: i32) {
    GROUPS.lock().unwrap().push(pid);
}
fn unregister(pid: i32) {
    GROUPS.lock().unwrap().retain(|&p| p != pid);
}

/// SIGTERM a process group, give it `grace` to exit, then SIGKILL it.
fn kill_group(pgid: i32, mut child: Option<&mut Child>, grace: Duration) {
    // SAFETY: kill(2) on a process group we created.
    unsafe { libc::kill(-pgid, libc::SIGTERM) };
    let deadline = Instant::now() + grace;
    match child.as_deref_mut() {
        Some(c) => {
            while Instant::now() < deadline {
                if let Ok(Some(_)) = c.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        None => {
            while Instant::now() < deadline {
                // SAFETY: non-blocking reap of our own child.
                let r = unsafe { libc::waitpid(pgid, std::ptr::null_mut(), libc::WNOHANG) };
                if r != 0 {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
    // Grandchildren that ignored SIGTERM (or the leader itself).
    unsafe { libc::kill(-pgid, libc::SIGKILL) };
    if let Some(c) = child {
        let _ = c.wait();
    }
}

/// Kill every registered child group (signal path and end of main).
pub fn kill_all() {
    let groups: Vec<i32> = std::mem::take(&mut *GROUPS.lock().unwrap_or_else(|e| e.into_inner()));
    for pgid in groups {
        kill_group(pgid, None, Duration::from_secs(3));
    }
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Run a command to completion (output inherited), killable by our signal thread.
pub fn run(cmd: &mut Command) -> Result<ExitStatus> {
    let shown = describe(cmd);
    println!("$ {shown}");
    let _ = std::io::stdout().flush();
    prepare(cmd);
    let mut child = cmd.spawn().with_context(|| format!("starting `{shown}`"))?;
    let pid = child.id() as i32;
    register(pid);
    let status = child.wait();
    if STOPPING.load(Ordering::SeqCst) {
        // The signal thread is killing everything and will exit the process;
        // do not go on to report this as an ordinary failure.
        loop {
            std::thread::park();
        }
    }
    // Stray grandchildren of a finished command (e.g. a browser left by a test
    // runner) go too.
    unsafe { libc::kill(-pid, libc::SIGKILL) };
    unregister(pid);
    Ok(status?)
}

/// Run a command and fail unless it exits 0.
pub fn run_ok(cmd: &mut Command) -> Result<()> {
    let shown = describe(cmd);
    let status = run(cmd)?;
    if !status.success() {
        bail!("`{shown}` failed: {status}");
    }
    Ok(())
}

/// Where a server's output goes.
pub enum Log {
    /// Our terminal, each line prefixed with `[name]`.
    Terminal,
    /// A file (its path is printed on failure by the caller).
    File(PathBuf),
}

/// A long-running child; dropping it stops its whole process group.
pub struct Server {
    pub name: String,
    /// The URL it printed in its "listening on http://..." line.
    pub url: String,
    pub log: Option<PathBuf>,
    child: Child,
}

impl Server {
    /// Start `cmd` and wait until it prints a line containing `listening on http`,
    /// taking the URL from that line.
    pub fn start(name: &str, cmd: &mut Command, log: Log, timeout: Duration) -> Result<Server> {
        let shown = describe(cmd);
        println!("$ {shown}");
        prepare(cmd);
        cmd.stdin(Stdio::null()).stdout(Stdio::piped());
        let log_path = match &log {
            Log::Terminal => None,
            Log::File(p) => {
                if let Some(dir) = p.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::File::create(p)?; // truncate; both writers below append
                cmd.stderr(std::fs::OpenOptions::new().append(true).open(p)?);
                Some(p.clone())
            }
        };
        let mut child = cmd.spawn().with_context(|| format!("starting {name}: `{shown}`"))?;
        register(child.id() as i32);
        let stdout = child.stdout.take().expect("piped");
        let (tx, rx) = mpsc::channel();
        let prefix = format!("[{name}] ");
        let mut file = match &log_path {
            Some(p) => Some(std::fs::OpenOptions::new().append(true).open(p)?),
            None => None,
        };
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(i) = line.find("listening on http") {
                    if let Some(tx) = tx.take() {
                        let url = line[i + "listening on ".len()..].split_whitespace().next().unwrap_or("");
                        let _ = tx.send(url.trim_end_matches('/').to_string());
                    }
                }
                match &mut file {
                    Some(f) => {
                        let _ = writeln!(f, "{line}");
                    }
                    None => eprintln!("{prefix}{line}"),
                }
            }
        });
        let mut server = Server { name: name.to_string(), url: String::new(), log: log_path, child };
        let deadline = Instant::now() + timeout;
        loop {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(url) => {
                    println!("{name}: {url}");
                    server.url = url;
                    return Ok(server);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    // stdout closed without the line: it most likely exited.
                    std::thread::sleep(Duration::from_millis(200));
                }
            }
            if let Some(status) = server.child.try_wait()? {
                bail!("{name} exited ({status}) before it was listening{}", server.log_hint());
            }
            if Instant::now() > deadline {
                bail!("{name} printed no `listening on http://…` line within {timeout:?}{}", server.log_hint());
            }
        }
    }

    /// Run a server whose readiness we do not parse (e.g. `trunk serve`).
    pub fn spawn(name: &str, cmd: &mut Command) -> Result<Server> {
        let shown = describe(cmd);
        println!("$ {shown}");
        prepare(cmd);
        cmd.stdin(Stdio::null());
        let child = cmd.spawn().with_context(|| format!("starting {name}: `{shown}`"))?;
        register(child.id() as i32);
        Ok(Server { name: name.to_string(), url: String::new(), log: None, child })
    }

    /// `Some(status)` if it has exited.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    pub fn log_hint(&self) -> String {
        match &self.log {
            Some(p) => format!(" (log: {})", p.display()),
            None => String::new(),
        }
    }

    /// The last `n` lines of its log file, if it logs to one.
    pub fn log_tail(&self, n: usize) -> Option<String> {
        let text = std::fs::read_to_string(self.log.as_deref()?).ok()?;
        let lines: Vec<&str> = text.lines().collect();
        Some(lines[lines.len().saturating_sub(n)..].join("\n"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let pid = self.child.id() as i32;
        kill_group(pid, Some(&mut self.child), Duration::from_secs(3));
        unregister(pid);
    }
}
