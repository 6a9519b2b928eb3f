//! `mock-de`: see the `mock_de` crate and `mock-de --help`.

use clap::Parser;
use mock_de::cli::MockCli;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let cli = MockCli::parse();
    let (listener, addr) = mock_de::bind(&cli.addr).await?;
    // Scripts and tests parse this exact line.
    println!("mock-de listening on http://{addr}");
    mock_de::serve(listener, cli.config()).await
}
