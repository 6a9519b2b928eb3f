//! `relay`: see `relay::relay` and `relay --help`.

use clap::Parser;
use relay::relay::cli::RelayCli;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let cli = RelayCli::parse();
    let cfg = cli.config();
    if cfg.api_key.is_none() {
        eprintln!("relay: warning: no API key configured (--api-key or RELAY_API_KEY); forwarding without one");
    }
    let (listener, addr) = relay::bind(&cli.addr).await?;
    // Scripts and tests parse this exact line.
    println!("relay listening on http://{addr}");
    relay::relay::serve(listener, cfg).await
}
