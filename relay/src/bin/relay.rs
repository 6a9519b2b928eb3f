//! `relay`: see `relay::relay` and `relay --help`.
//!
//! SIGTERM or Ctrl-C: stop accepting, let the requests in flight finish (at most
//! the upstream timeout plus 5 s), then exit 0.

use std::time::Duration;

use clap::Parser;
use relay::relay::access_log::Logger;
use relay::relay::cli::{Command, RelayCli};
use relay::relay::Auth;
use serde_json::json;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = RelayCli::parse();
    match &cli.command {
        None => serve(cli).await,
        Some(Command::CheckConfig { file }) => {
            let check = RelayCli { config: Some(file.clone()), ..RelayCli::default() };
            match check.settings() {
                Ok(s) => {
                    print!("{file}: OK\n{}", relay::relay::cli::describe(&s));
                    std::process::ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{file}: {e}");
                    std::process::ExitCode::from(2)
                }
            }
        }
        Some(Command::MintToken(args)) => match args.mint() {
            Ok(token) => {
                println!("{token}");
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("relay mint-token: {e}");
                std::process::ExitCode::from(2)
            }
        },
        Some(Command::GenKey { out_dir, name }) => match gen_key(out_dir, name) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("relay gen-key: {e}");
                std::process::ExitCode::FAILURE
            }
        },
    }
}

fn gen_key(dir: &str, name: &str) -> Result<(), String> {
    let (private, public) = relay::auth::keys::generate_ed25519()?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{dir}: {e}"))?;
    let private_path = std::path::Path::new(dir).join(format!("{name}.pem"));
    let public_path = std::path::Path::new(dir).join(format!("{name}.pub.pem"));
    write_private(&private_path, &private).map_err(|e| format!("{}: {e}", private_path.display()))?;
    std::fs::write(&public_path, public).map_err(|e| format!("{}: {e}", public_path.display()))?;
    println!("{}\n{}", private_path.display(), public_path.display());
    Ok(())
}

/// The private key readable by its owner only.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)?.write_all(text.as_bytes())
}

async fn serve(cli: RelayCli) -> std::process::ExitCode {
    let settings = match cli.settings() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("relay: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let cfg = settings.relay;
    let log = Logger::new(cfg.log.clone(), cfg.api_keys());
    if cfg.auth == Auth::None {
        log.event(json!({ "event": "warning", "message": "auth none: no embed token is checked; anyone who can reach this relay and send an allowed Origin reads the data" }));
    }
    for t in cfg.tenants.iter().filter(|t| t.upstream.api_key.is_none()) {
        log.event(json!({ "event": "warning", "tid": t.id, "message": "no API key configured (apiKey, apiKeyFile or RELAY_API_KEY); forwarding without one" }));
    }
    for t in cfg.tenants.iter().filter(|t| t.allow_origins.is_empty()) {
        log.event(json!({ "event": "warning", "tid": t.id, "message": "allowOrigins is empty: no browser page can call with this tenant's tokens" }));
    }
    // The saved-views API: its store is opened (created, migrated) before we
    // listen, so a bad `database` is a start-up error rather than 503s later.
    // Served only with auth token (there is no user without one).
    let views = if cfg.auth == Auth::None {
        None
    } else {
        match relay::views::open(&cfg.database).await {
            Ok(store) => {
                log.event(json!({ "event": "views", "backend": store.backend(),
                                  "database": relay::views::redact_url(&cfg.database) }));
                Some(relay::views::routes(store))
            }
            Err(e) => {
                eprintln!("relay: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    };
    let (listener, addr) = match relay::bind(&settings.addr).await {
        Ok(x) => x,
        Err(e) => {
            eprintln!("relay: cannot listen on {}: {e}", settings.addr);
            return std::process::ExitCode::FAILURE;
        }
    };
    let tenants: Vec<_> = cfg
        .tenants
        .iter()
        .map(|t| {
            let origins: Vec<&str> = t.allow_origins.iter().map(|o| o.as_str()).collect();
            json!({ "tid": t.id, "upstream": t.upstream.base, "allowOrigins": origins })
        })
        .collect();
    let auth = if cfg.auth == Auth::None { "none" } else { "token" };
    log.event(json!({ "event": "start", "addr": addr.to_string(), "auth": auth, "tenants": tenants,
                      "rateLimit": cfg.rate_limit.map(|r| json!({ "perSecond": r.per_second, "burst": r.burst })) }));
    // Scripts and tests parse this exact line.
    println!("relay listening on http://{addr}");

    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let drain = cfg.upstream_timeout + Duration::from_secs(5);
    let server = tokio::spawn(relay::relay::serve_with_views(listener, cfg, views, async {
        let _ = rx.await;
    }));
    shutdown_signal().await;
    log.event(json!({ "event": "shutdown", "message": "stopped accepting; finishing requests in flight" }));
    let _ = tx.send(());
    match tokio::time::timeout(drain, server).await {
        Ok(Ok(Ok(()))) => {
            log.event(json!({ "event": "stopped" }));
            std::process::ExitCode::SUCCESS
        }
        Ok(Ok(Err(e))) => {
            eprintln!("relay: {e}");
            std::process::ExitCode::FAILURE
        }
        Ok(Err(e)) => {
            eprintln!("relay: {e}");
            std::process::ExitCode::FAILURE
        }
        Err(_) => {
            log.event(
                json!({ "event": "stopped", "message": "requests still in flight after the drain time were dropped" }),
            );
            std::process::ExitCode::FAILURE
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}
