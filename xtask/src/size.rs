//! `cargo xtask size`: the size budget. Builds the release the way the
//! e2e tests do (into target/xtask-size/dist, leaving dist/ alone), then
//! `tools/size.mjs` brotli-compresses every shipped file and prints per-file and
//! the figure before the first chart (all but the lazy wasm chunks) and the total;
//! fails when the first is over 450 KB.

use anyhow::Result;

use crate::procs;
use crate::util::{self, tool};

pub fn run(args: &[String]) -> Result<()> {
    util::header("size");
    let dist = util::target_dir()?.join("xtask-size").join("dist");
    procs::run_ok(tool("trunk").args(["build", "--release", "--dist"]).arg(&dist))?;
    procs::run_ok(tool("node").arg("tools/size.mjs").arg(&dist).args(args))
}
