//! `mock-de`: see `relay::mock` and `mock-de --help`.

use clap::Parser;
use relay::mock::cli::MockCli;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let cli = MockCli::parse();
    let (listener, addr) = relay::bind(&cli.addr).await?;
    // Scripts and tests parse this exact line.
    println!("mock-de listening on http://{addr}");
    relay::mock::serve(listener, cli.config()).await
}
