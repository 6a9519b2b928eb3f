//! Structured logs: one JSON object per line. Access lines carry method, path
//! (never the query: a browser may stuff anything there), status, origin, peer,
//! duration, and the caller's `tid` and `sub`; never a header, so never a token,
//! and never the upstream URL (which holds the key). As a last guard, every line
//! is scrubbed of every tenant's key, in every spelling, before it is written.

use std::sync::Arc;

use serde_json::{json, Value};

use super::scrub::Scrubber;

/// Where log lines go: stderr in the binary, a buffer in tests.
pub type LogSink = Arc<dyn Fn(&str) + Send + Sync>;

pub fn stderr_sink() -> LogSink {
    Arc::new(|line: &str| eprintln!("{line}"))
}

/// A sink that drops everything (benchmarks).
pub fn null_sink() -> LogSink {
    Arc::new(|_: &str| {})
}

/// Writes lines to `sink`, with the keys replaced.
#[derive(Clone)]
pub struct Logger {
    sink: LogSink,
    keys: Arc<Vec<Scrubber>>,
}

/// Paths are the caller's bytes: cap them so a log line stays a line of sane size.
const MAX_PATH: usize = 256;

impl Logger {
    pub fn new(sink: LogSink, keys: Vec<String>) -> Self {
        Logger { sink, keys: Arc::new(keys.iter().filter_map(|k| Scrubber::new(k)).collect()) }
    }

    pub fn event(&self, mut v: Value) {
        if let Some(o) = v.as_object_mut() {
            let ts = jiff::Timestamp::now().round(jiff::Unit::Millisecond).unwrap_or_else(|_| jiff::Timestamp::now());
            o.insert("ts".into(), json!(ts.to_string()));
        }
        let mut line = v.to_string();
        for k in self.keys.iter() {
            if let Some(clean) = k.scrub(line.as_bytes()) {
                line = String::from_utf8_lossy(&clean).into_owned();
            }
        }
        (self.sink)(&line);
    }

    pub fn access(&self, a: &Access<'_>) {
        let path: String = a.path.chars().take(MAX_PATH).collect();
        self.event(json!({
            "event": "access",
            "method": a.method,
            "path": path,
            "status": a.status,
            "origin": a.origin,
            "remote": a.remote,
            "durationMs": (a.duration.as_secs_f64() * 1000.0 * 10.0).round() / 10.0,
            "error": a.error,
            "tid": a.tid,
            "sub": a.sub,
        }));
    }
}

pub struct Access<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub status: u16,
    pub origin: Option<&'a str>,
    pub remote: Option<String>,
    pub duration: std::time::Duration,
    /// The contract error code the relay itself answered with, if any.
    pub error: Option<&'a str>,
    /// The verified caller, when there is one.
    pub tid: Option<&'a str>,
    pub sub: Option<&'a str>,
}
