//! Project automation, run as `cargo xtask <command>` (alias in `.cargo/config.toml`).
//!
//! - `setup`: check and install the toolchain pieces (idempotent).
//! - `dev`:   mock API + relay + `trunk serve`, Ctrl-C stops everything.
//! - `test`:  lint gate (rustfmt, leptosfmt, clippy), native tests, wasm component tests, end-to-end tests.
//! - `serve`: the static server used by the e2e tests, for manual use.
//! - `dist`:  the deployable build: hashed assets, index.html clean for a strict CSP.
//! - `size`:  first-load size (brotli) of a release build against its budget.

mod bench;
mod bench_fetch;
mod bench_first_chart;
mod bench_refresh;
mod dev;
mod dev_auth;
mod dist;
mod pg;
mod procs;
mod serve;
mod setup;
mod size;
mod test;
mod test_auth;
mod tz_files;
mod util;
mod wasm_split;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  setup                 check and install what the build and tests need
  dev                   run mock API (:8787), relay (:8788), trunk serve (:8080), example portal (:8090)
  test [options]        run the test stages: lint, native, wasm, e2e (all by default)
      --lint              only the lint gate: rustfmt and leptosfmt --check, clippy -D warnings (native + wasm32)
      --native            only `cargo test --workspace`
      --wasm              only the wasm component tests in headless Chromium
      --e2e               only the end-to-end tests (trunk build + node --test)
      --e2e-filter PAT    run only e2e tests whose name matches PAT
      --skip-setup        do not run `setup` first
  bench [views]         print the benchmark figures (fetch engine, explorer, views API; `views`: that one only;
                        `--first-chart [--base REV]`: time to first chart against the previous release)
  size [--budget-kb N]  release build, brotli size per file, before the first chart (budget 450 KB) and in total
  dist [--out DIR]      release build for a CDN (default dist/): hashed assets, no inline script (strict CSP)
  wasm-split            (trunk's post_build hook) split the wasm into lazily loaded chunks
  tz-files              (trunk's pre_build hook) one TZif file per time zone in target/tz/
  serve DIR [options]   serve DIR statically (what the e2e tests use)
      --port N            port (default 0: any free port)
      --header 'K: V'     extra response header, repeatable (e.g. a CSP)
";

fn main() -> ExitCode {
    // Before any thread exists: route SIGINT/SIGTERM/SIGHUP to a thread that stops
    // every child we started (no orphans), then exits.
    procs::install_signal_handler();

    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match cmd.as_str() {
        "setup" => setup::run(),
        "bench" => bench::run(rest),
        "dev" => dev::run(rest),
        "dist" => dist::run(rest),
        "test" => test::run(rest),
        "serve" => serve::run_cli(rest),
        "size" => size::run(rest),
        "wasm-split" => wasm_split::run(rest),
        "tz-files" => tz_files::run(),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => {
            eprintln!("unknown command `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    procs::kill_all();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
