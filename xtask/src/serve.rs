//! A small static file server (axum + tower-http `ServeDir`) for the e2e tests:
//! each served directory gets its own port, hence its own origin (no shared
//! storage or caches between a good and a broken deployment), and may send extra
//! response headers (e.g. a Content-Security-Policy). A `FILE.br` beside a file is
//! sent instead of it to a browser that accepts brotli, as a CDN would (only the
//! first-chart benchmark writes them: tools/precompress.mjs).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;

pub type Headers = Vec<(HeaderName, HeaderValue)>;

/// Parse `Name: value` into a header pair.
pub fn parse_header(s: &str) -> Result<(HeaderName, HeaderValue)> {
    let (name, value) = s.split_once(':').with_context(|| format!("header `{s}` is not `Name: value`"))?;
    Ok((
        HeaderName::from_bytes(name.trim().as_bytes()).with_context(|| format!("bad header name in `{s}`"))?,
        HeaderValue::from_str(value.trim()).with_context(|| format!("bad header value in `{s}`"))?,
    ))
}

/// A tokio runtime hosting any number of static servers; they stop when it drops.
pub struct StaticServers {
    rt: tokio::runtime::Runtime,
}

impl StaticServers {
    pub fn new() -> Result<Self> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("static-server")
            .enable_all()
            .build()?;
        Ok(StaticServers { rt })
    }

    /// Serve `dir` on 127.0.0.1:`port` (0 = any free port); returns `http://127.0.0.1:PORT`.
    pub fn serve(&self, dir: &Path, port: u16, headers: Headers) -> Result<String> {
        if !dir.is_dir() {
            bail!("{} is not a directory", dir.display());
        }
        let app = router(dir.to_path_buf(), headers);
        let listener = self
            .rt
            .block_on(tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))))
            .with_context(|| format!("binding 127.0.0.1:{port}"))?;
        let addr = listener.local_addr()?;
        self.rt.spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("static server {addr}: {e}");
            }
        });
        Ok(format!("http://{addr}"))
    }

    /// Block the calling thread forever (until a signal ends the process).
    pub fn park(self) -> ! {
        self.rt.block_on(std::future::pending::<()>());
        unreachable!()
    }
}

fn router(dir: PathBuf, headers: Headers) -> Router {
    let headers = Arc::new(headers);
    Router::new().fallback_service(ServeDir::new(dir).precompressed_br()).layer(axum::middleware::map_response(
        move |mut res: Response| {
            let headers = headers.clone();
            async move {
                let h = res.headers_mut();
                // Every test run must see the files of this build.
                h.insert("cache-control", HeaderValue::from_static("no-store"));
                for (k, v) in headers.iter() {
                    h.insert(k.clone(), v.clone());
                }
                res
            }
        },
    ))
}

/// `cargo xtask serve DIR [--port N] [--header 'K: V']...`
pub fn run_cli(args: &[String]) -> Result<()> {
    let mut dir = None;
    let mut port = 0u16;
    let mut headers = Headers::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--port" => port = it.next().context("--port needs a value")?.parse().context("--port")?,
            "--header" => headers.push(parse_header(it.next().context("--header needs a value")?)?),
            s if s.starts_with("--") => bail!("unknown option {s}"),
            s => dir = Some(PathBuf::from(s)),
        }
    }
    let dir = dir.context("usage: cargo xtask serve DIR [--port N] [--header 'K: V']...")?;
    let servers = StaticServers::new()?;
    let url = servers.serve(&dir, port, headers)?;
    println!("serving {} listening on {url}/ (Ctrl-C to stop)", dir.display());
    servers.park()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn parses_headers() {
        let (k, v) = parse_header("Content-Security-Policy: default-src 'self'").unwrap();
        assert_eq!(k.as_str(), "content-security-policy");
        assert_eq!(v.to_str().unwrap(), "default-src 'self'");
        assert!(parse_header("no colon").is_err());
    }

    /// Serves files from the directory, with the extra headers on every response.
    #[test]
    fn serves_a_directory_with_extra_headers() {
        let dir = std::env::temp_dir().join(format!("xtask-serve-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<p>hello</p>").unwrap();
        let servers = StaticServers::new().unwrap();
        let url =
            servers.serve(&dir, 0, vec![parse_header("Content-Security-Policy: default-src 'none'").unwrap()]).unwrap();
        let get = |path: &str| {
            let mut s = std::net::TcpStream::connect(url.trim_start_matches("http://")).unwrap();
            write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).unwrap();
            out.to_ascii_lowercase()
        };
        let index = get("/?from=1&to=2");
        assert!(index.starts_with("http/1.1 200"), "{index}");
        assert!(index.contains("content-security-policy: default-src 'none'"), "{index}");
        assert!(index.contains("cache-control: no-store"), "{index}");
        assert!(index.ends_with("<p>hello</p>"), "{index}");
        // A precompressed sibling goes to a client that accepts brotli, and only to it.
        std::fs::write(dir.join("app.js"), "plain").unwrap();
        std::fs::write(dir.join("app.js.br"), "packed").unwrap();
        let get_br = |path: &str, accept: &str| {
            let mut s = std::net::TcpStream::connect(url.trim_start_matches("http://")).unwrap();
            write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: {accept}\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).unwrap();
            out.to_ascii_lowercase()
        };
        let packed = get_br("/app.js", "gzip, br");
        assert!(packed.contains("content-encoding: br") && packed.ends_with("packed"), "{packed}");
        assert!(packed.contains("content-type: text/javascript"), "{packed}");
        let plain = get_br("/app.js", "gzip");
        assert!(!plain.contains("content-encoding") && plain.ends_with("plain"), "{plain}");
        let missing = get("/nope.js");
        assert!(missing.starts_with("http/1.1 404"), "{missing}");
        assert!(missing.contains("content-security-policy"), "{missing}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
