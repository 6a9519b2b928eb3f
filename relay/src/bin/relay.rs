//! `relay`: see `relay::relay` and `relay --help`.
//!
//! SIGTERM or Ctrl-C: stop accepting, let the requests in flight finish (at most
//! the upstream timeout plus 5 s), then exit 0.

use std::time::Duration;

use clap::Parser;
use relay::relay::access_log::Logger;
use relay::relay::cli::RelayCli;
use serde_json::json;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = RelayCli::parse();
    let settings = match cli.settings() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("relay: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let cfg = settings.relay;
    let log = Logger::new(cfg.log.clone(), cfg.api_key.clone());
    if cfg.api_key.is_none() {
        log.event(json!({ "event": "warning", "message": "no API key configured (RELAY_API_KEY or apiKeyFile); forwarding without one" }));
    }
    let (listener, addr) = match relay::bind(&settings.addr).await {
        Ok(x) => x,
        Err(e) => {
            eprintln!("relay: cannot listen on {}: {e}", settings.addr);
            return std::process::ExitCode::FAILURE;
        }
    };
    let origins: Vec<&str> = cfg.allow_origins.iter().filter_map(|o| o.to_str().ok()).collect();
    log.event(json!({ "event": "start", "addr": addr.to_string(), "upstream": cfg.upstream, "allowOrigins": origins,
                      "rateLimit": cfg.rate_limit.map(|r| json!({ "perSecond": r.per_second, "burst": r.burst })) }));
    // Scripts and tests parse this exact line.
    println!("relay listening on http://{addr}");

    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let drain = cfg.upstream_timeout + Duration::from_secs(5);
    let server = tokio::spawn(relay::relay::serve_until(listener, cfg, async {
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
