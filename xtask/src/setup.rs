//! `cargo xtask setup`: check each tool at the version the project needs and
//! install only what is missing or wrong. One line per step: `ok: …` or
//! `installing: …`. Safe to run any number of times; `dev` and `test` run it first.

use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::procs;
use crate::util::{self, root, tool};

pub const TRUNK_VERSION: &str = "0.21.14";
/// The formatter of `view!` bodies (rustfmt leaves macro bodies alone); pinned so
/// every machine formats alike. Its settings are in leptosfmt.toml.
pub const LEPTOSFMT_VERSION: &str = "0.1.33";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

pub fn run() -> Result<()> {
    util::header("setup");
    rust_target()?;
    trunk()?;
    leptosfmt()?;
    wasm_bindgen()?;
    node_modules()?;
    chromium()?;
    Ok(())
}

/// First line of `program args…` stdout (with the tool PATH), or None if it
/// cannot run or fails.
fn version_of(program: &str, args: &[&str]) -> Option<String> {
    let out = tool(program).args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    Some(line.to_string())
}

fn found(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "not found".into())
}

fn rust_target() -> Result<()> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .context("running rustup (is rustup installed?)")?;
    let installed = String::from_utf8_lossy(&out.stdout);
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        println!("ok: rustup target {WASM_TARGET}");
        return Ok(());
    }
    println!("installing: rustup target {WASM_TARGET}");
    procs::run_ok(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

fn trunk() -> Result<()> {
    let want = format!("trunk {TRUNK_VERSION}");
    let have = version_of("trunk", &["--version"]);
    if have.as_deref() == Some(want.as_str()) {
        println!("ok: {want}");
        return Ok(());
    }
    println!("installing: {want} (found: {})", found(&have));
    procs::run_ok(util::cargo().args(["install", "trunk", "--version", TRUNK_VERSION, "--locked", "--force"]))?;
    check("trunk", &["--version"], &want)
}

fn leptosfmt() -> Result<()> {
    let want = format!("leptosfmt {LEPTOSFMT_VERSION}");
    let have = version_of("leptosfmt", &["--version"]);
    if have.as_deref() == Some(want.as_str()) {
        println!("ok: {want}");
        return Ok(());
    }
    println!("installing: {want} (found: {})", found(&have));
    procs::run_ok(util::cargo().args(["install", "leptosfmt", "--version", LEPTOSFMT_VERSION, "--locked", "--force"]))?;
    check("leptosfmt", &["--version"], &want)
}

/// The wasm-bindgen version in Cargo.lock: the CLI (and its test runner) must match
/// the crate exactly.
pub fn locked_wasm_bindgen() -> Result<String> {
    let lock_path = root().join("Cargo.lock");
    if !lock_path.exists() {
        procs::run_ok(util::cargo().arg("generate-lockfile"))?;
    }
    let lock = std::fs::read_to_string(&lock_path).context("reading Cargo.lock")?;
    let mut versions: Vec<String> = Vec::new();
    for block in lock.split("[[package]]") {
        let mut lines = block.lines().map(str::trim);
        if lines.any(|l| l == "name = \"wasm-bindgen\"") {
            if let Some(v) = block.lines().map(str::trim).find_map(|l| l.strip_prefix("version = \"")) {
                versions.push(v.trim_end_matches('"').to_string());
            }
        }
    }
    match versions.as_slice() {
        [v] => Ok(v.clone()),
        [] => bail!("Cargo.lock has no wasm-bindgen package"),
        many => bail!("Cargo.lock has several wasm-bindgen versions {many:?}; the CLI can match only one"),
    }
}

fn wasm_bindgen() -> Result<()> {
    let v = locked_wasm_bindgen()?;
    let want = format!("wasm-bindgen {v}");
    let want_runner = format!("wasm-bindgen-test-runner {v}");
    let have = version_of("wasm-bindgen", &["--version"]);
    let have_runner = version_of("wasm-bindgen-test-runner", &["--version"]);
    if have.as_deref() == Some(want.as_str()) && have_runner.as_deref() == Some(want_runner.as_str()) {
        println!("ok: {want} (+ test runner)");
        return Ok(());
    }
    println!("installing: wasm-bindgen-cli {v} (found: {}, runner: {})", found(&have), found(&have_runner));
    // No --locked: wasm-bindgen-cli 0.2.100's own lockfile no longer builds.
    procs::run_ok(util::cargo().args(["install", "wasm-bindgen-cli", "--version", &v, "--force"]))?;
    check("wasm-bindgen", &["--version"], &want)?;
    check("wasm-bindgen-test-runner", &["--version"], &want_runner)
}

fn check(program: &str, args: &[&str], want: &str) -> Result<()> {
    let have = version_of(program, args);
    if have.as_deref() != Some(want) {
        bail!("after installing, `{program} {}` says {} (wanted {want})", args.join(" "), found(&have));
    }
    println!("ok: {want}");
    Ok(())
}

/// Why node_modules does not match package-lock.json (None = it matches).
fn node_modules_stale() -> Result<Option<String>> {
    let nm = root().join("node_modules");
    if !nm.is_dir() {
        return Ok(Some("node_modules missing".into()));
    }
    let lock: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(root().join("package-lock.json"))?)
        .context("parsing package-lock.json")?;
    let Some(packages) = lock["packages"].as_object() else {
        return Ok(Some("package-lock.json has no `packages` (lockfileVersion < 2)".into()));
    };
    for (path, meta) in packages {
        if path.is_empty() || !path.starts_with("node_modules/") || !for_this_platform(meta) {
            continue;
        }
        let Some(want) = meta["version"].as_str() else {
            continue;
        };
        let manifest = root().join(path).join("package.json");
        let have = std::fs::read_to_string(&manifest)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|v| v["version"].as_str().map(String::from));
        if have.as_deref() != Some(want) {
            return Ok(Some(format!("{path}: want {want}, have {}", have.as_deref().unwrap_or("none"))));
        }
    }
    // package.json changed without the lockfile being updated?
    let pkg: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(root().join("package.json"))?)?;
    let root_entry = &packages.get("").cloned().unwrap_or_default();
    for section in ["dependencies", "devDependencies"] {
        if pkg[section] != root_entry[section] && !(pkg[section].is_null() && root_entry[section].is_null()) {
            return Ok(Some(format!("package.json {section} differ from package-lock.json")));
        }
    }
    Ok(None)
}

/// npm installs an optional package (e.g. esbuild's `@esbuild/linux-x64`) only
/// where its `os` and `cpu` lists allow; required packages everywhere.
fn for_this_platform(meta: &serde_json::Value) -> bool {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        other => other,
    };
    let cpu = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        "x86" => "ia32",
        other => other,
    };
    let allows = |field: &str, value: &str| match meta[field].as_array() {
        None => true,
        Some(list) => {
            let names: Vec<&str> = list.iter().filter_map(|v| v.as_str()).collect();
            let denied = names.iter().any(|n| n.strip_prefix('!') == Some(value));
            let positive: Vec<&&str> = names.iter().filter(|n| !n.starts_with('!')).collect();
            !denied && (positive.is_empty() || positive.iter().any(|n| **n == value))
        }
    };
    if meta["optional"] != true {
        return true;
    }
    meta["os"].is_array() && meta["cpu"].is_array() && allows("os", os) && allows("cpu", cpu)
}

fn node_modules() -> Result<()> {
    for t in ["node", "npm"] {
        if version_of(t, &["--version"]).is_none() {
            bail!("`{t}` not found: install Node.js >= 20 with npm (the e2e tests and wasm-opt need them)");
        }
    }
    let has_lock = root().join("package-lock.json").exists();
    if has_lock {
        match node_modules_stale()? {
            None => println!("ok: node_modules matches package-lock.json"),
            Some(why) => {
                println!("installing: npm ci ({why})");
                procs::run_ok(tool("npm").args(["ci", "--no-audit", "--no-fund"]))?;
            }
        }
    } else {
        println!("installing: npm install (no package-lock.json)");
        procs::run_ok(tool("npm").args(["install", "--no-audit", "--no-fund"]))?;
    }
    let wasm_opt = root().join("node_modules/.bin/wasm-opt");
    let v = version_of(&wasm_opt.to_string_lossy(), &["--version"]);
    match v {
        Some(v) if v.contains("version 132") => {
            println!("ok: {v} (node_modules/.bin, first on PATH for trunk)")
        }
        other => bail!("node_modules/.bin/wasm-opt is not binaryen 132: {}", found(&other)),
    }
    Ok(())
}

fn major(v: &str) -> Option<String> {
    v.split_whitespace()
        .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .and_then(|w| w.split('.').next())
        .map(String::from)
}

fn chromium() -> Result<()> {
    let (chromium, driver) = (util::chromium(), util::chromedriver());
    let status = || {
        let b = version_of(&chromium, &["--version"]);
        let d = version_of(&driver, &["--version"]);
        let same = matches!((&b, &d), (Some(b), Some(d)) if major(b) == major(d));
        (b, d, same)
    };
    let (b, d, same) = status();
    if same {
        println!("ok: {} / {}", b.unwrap(), d.unwrap());
        return Ok(());
    }
    let what = format!("chromium + chromium-driver (found: {} / {})", found(&b), found(&d));
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        bail!(
            "missing {what}.\n  Install them as root:  sudo apt-get update && sudo apt-get install -y chromium chromium-driver\n  \
             (or set CHROMIUM and CHROMEDRIVER to a matching pair)"
        );
    }
    println!("installing: {what}");
    procs::run_ok(Command::new("apt-get").arg("update").env("DEBIAN_FRONTEND", "noninteractive"))?;
    procs::run_ok(
        Command::new("apt-get")
            .args(["install", "-y", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    let (b, d, same) = status();
    if !same {
        bail!("after apt-get install: chromium {} / chromedriver {}", found(&b), found(&d));
    }
    println!("ok: {} / {}", b.unwrap(), d.unwrap());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majors_of_browser_and_driver_match() {
        assert_eq!(major("Chromium 156.0.8078.79 built on Debian").as_deref(), Some("156"));
        assert_eq!(major("ChromeDriver 156.0.8078.79 (a21ce95c)").as_deref(), Some("156"));
        assert_eq!(major("no digits here"), None);
    }

    #[test]
    fn optional_packages_count_only_on_their_platform() {
        let here = serde_json::json!({ "optional": true, "os": [std::env::consts::OS], "cpu": ["x64", "arm64"] });
        let elsewhere = serde_json::json!({ "optional": true, "os": ["aix"], "cpu": ["ppc64"] });
        let required = serde_json::json!({ "version": "1.0.0" });
        let anywhere_optional = serde_json::json!({ "optional": true });
        assert!(for_this_platform(&required));
        assert!(!for_this_platform(&elsewhere));
        assert!(!for_this_platform(&anywhere_optional));
        if cfg!(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))) {
            assert!(for_this_platform(&here));
        }
    }

    #[test]
    fn lockfile_has_exactly_one_wasm_bindgen() {
        let v = locked_wasm_bindgen().unwrap();
        assert!(v.starts_with("0.2."), "{v}");
    }
}
