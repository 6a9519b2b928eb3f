//! `cargo xtask wasm-split`: trunk's `post_build` hook (Trunk.toml) that makes the
//! dashboard's wasm load in parts: what the first chart needs, then `#[lazy]`
//! chunks (src/app/lazy.rs) when they are first used.
//!
//! Why a hook: the split must run on the wasm cargo links (with `--emit-relocs`,
//! set by build.rs for the `split` feature) *before* wasm-bindgen, and trunk 0.21
//! runs cargo, wasm-bindgen and wasm-opt as one step. So trunk builds as usual
//! (index.html asks for the `split` feature and no wasm-opt), and this hook then
//! takes cargo's raw artifact, splits it (`wasm_split_cli_support`, as
//! `cargo leptos --split` does), runs wasm-bindgen on the main part and wasm-opt
//! on every part, and replaces trunk's wasm and JS in the staging directory: all
//! parts go into one directory named by the hash of their contents
//! (`wasm-<hash>/`: the parts refer to each other by relative names, so the
//! directory, not each file, carries the hash), and index.html's references and
//! their integrity hashes are rewritten.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use base64::Engine as _;
use sha2::{Digest, Sha256, Sha384};

use crate::procs;
use crate::util::{self, tool};

/// The crate's binary: cargo's artifact and the start of trunk's output names.
const BIN: &str = "engagement-dashboard";
/// Names inside `wasm-<hash>/` (stable: the parts import each other by them).
const MAIN_JS: &str = "app.js";
const MAIN_WASM: &str = "app_bg.wasm";
const LINK_JS: &str = "__wasm_split.js";

pub fn run(_args: &[String]) -> Result<()> {
    let staging = PathBuf::from(std::env::var_os("TRUNK_STAGING_DIR").context(
        "TRUNK_STAGING_DIR is not set: `cargo xtask wasm-split` runs as trunk's post_build hook (Trunk.toml)",
    )?);
    let release = std::env::var("TRUNK_PROFILE").as_deref() == Ok("release");
    let profile = if release { "release" } else { "debug" };
    let target = util::target_dir()?;
    let raw = target.join("wasm32-unknown-unknown").join(profile).join(format!("{BIN}.wasm"));
    let work = target.join("wasm-split").join(profile);
    let parts = split_and_bind(&raw, &work, release)?;
    let dir = install(&parts, &staging)?;
    println!("wasm-split: {} parts in {dir}/", std::fs::read_dir(staging.join(&dir))?.count());
    Ok(())
}

/// Splits `raw`, binds and (in release) optimises the parts into `work/out`.
fn split_and_bind(raw: &Path, work: &Path, release: bool) -> Result<PathBuf> {
    let input = std::fs::read(raw).with_context(|| format!("reading cargo's wasm {}", raw.display()))?;
    if work.exists() {
        std::fs::remove_dir_all(work)?;
    }
    let out = work.join("out");
    std::fs::create_dir_all(&out)?;
    let main_split = work.join("main.wasm");
    let link_name = format!("./{LINK_JS}");
    let main_module = format!("./{MAIN_JS}");
    let split = {
        let mut opts = wasm_split_cli_support::Options::new(&input);
        opts.output_dir = &out;
        opts.main_out_path = &main_split;
        opts.link_name = &link_name;
        opts.main_module = &main_module;
        wasm_split_cli_support::transform(opts).map_err(|e| anyhow::anyhow!("splitting the wasm: {e:?}"))?
    };
    procs::run_ok(
        tool("wasm-bindgen")
            .args(["--target", "web", "--keep-lld-exports", "--no-demangle", "--no-typescript"])
            .args(["--out-name", MAIN_JS.trim_end_matches(".js")])
            .arg("--out-dir")
            .arg(&out)
            .arg(&main_split),
    )?;
    if release {
        let mut wasm = vec![out.join(MAIN_WASM)];
        wasm.extend(split.split_modules.iter().cloned());
        for file in wasm {
            procs::run_ok(
                tool("wasm-opt")
                    .args(["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext"])
                    .args(["--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue"])
                    .arg(&file)
                    .arg("-o")
                    .arg(&file),
            )?;
        }
    }
    Ok(out)
}

fn sri(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes)))
}

/// Copies the parts into `staging/wasm-<hash>/` in place of trunk's wasm and JS,
/// and points index.html at them. Returns the directory's name.
fn install(parts: &Path, staging: &Path) -> Result<String> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(parts)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .map(|name| std::fs::read(parts.join(&name)).map(|bytes| (name, bytes)))
        .collect::<std::io::Result<_>>()?;
    files.sort();
    for need in [MAIN_JS, MAIN_WASM, LINK_JS] {
        anyhow::ensure!(files.iter().any(|(n, _)| n == need), "the split produced no {need}");
    }
    let mut hasher = Sha256::new();
    for (name, bytes) in &files {
        hasher.update(name.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    let dir: String =
        format!("wasm-{}", hasher.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect::<String>());
    std::fs::create_dir_all(staging.join(&dir))?;
    for (name, bytes) in &files {
        std::fs::write(staging.join(&dir).join(name), bytes)?;
    }

    // trunk's own output for the binary: `engagement-dashboard-<hash>.js` and
    // `..._bg.wasm` (or without the hash when filehash is off).
    let mut trunk_js = None;
    let mut trunk_wasm = None;
    for entry in std::fs::read_dir(staging)? {
        let name = entry?.file_name().to_string_lossy().to_string();
        if !name.starts_with(BIN) {
            continue;
        }
        if name.ends_with("_bg.wasm") {
            trunk_wasm = Some(name);
        } else if name.ends_with(".js") {
            trunk_js = Some(name);
        }
    }
    let (Some(trunk_js), Some(trunk_wasm)) = (trunk_js, trunk_wasm) else {
        bail!("no {BIN}*.js / {BIN}*_bg.wasm from trunk in {}", staging.display());
    };
    let index = staging.join("index.html");
    let html = std::fs::read_to_string(&index).with_context(|| format!("reading {}", index.display()))?;
    let html = retarget(&html, &trunk_js, &format!("{dir}/{MAIN_JS}"), &trunk_wasm, &format!("{dir}/{MAIN_WASM}"))?;
    let html = fix_integrity(&html, |url| {
        std::fs::read(staging.join(url.trim_start_matches("./").trim_start_matches('/'))).ok()
    })?;
    std::fs::write(&index, html)?;
    std::fs::remove_file(staging.join(&trunk_js))?;
    std::fs::remove_file(staging.join(&trunk_wasm))?;
    Ok(dir)
}

/// index.html with trunk's JS and wasm names replaced by ours.
fn retarget(html: &str, old_js: &str, new_js: &str, old_wasm: &str, new_wasm: &str) -> Result<String> {
    anyhow::ensure!(html.contains(old_js), "index.html does not name {old_js}");
    // The wasm name contains the JS stem: replace it first.
    Ok(html.replace(old_wasm, new_wasm).replace(old_js, new_js))
}

/// Rewrites every `integrity="…"` attribute whose tag names a file `read` finds
/// to that file's sha384 (the tags of the parts we replaced).
fn fix_integrity(html: &str, read: impl Fn(&str) -> Option<Vec<u8>>) -> Result<String> {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find('>').map(|e| e + 1).unwrap_or(rest.len());
        let tag = &rest[..end];
        out.push_str(&fix_tag(tag, &read));
        rest = &rest[end..];
    }
    out.push_str(rest);
    Ok(out)
}

fn fix_tag(tag: &str, read: &impl Fn(&str) -> Option<Vec<u8>>) -> String {
    let url = attr_value(tag, "href").or_else(|| attr_value(tag, "src"));
    let (Some(url), Some((start, end))) = (url, attr_span(tag, "integrity")) else {
        return tag.to_string();
    };
    if !url.contains("/wasm-") && !url.starts_with("wasm-") {
        return tag.to_string();
    }
    match read(url) {
        Some(bytes) => format!("{}{}{}", &tag[..start], sri(&bytes), &tag[end..]),
        None => tag.to_string(),
    }
}

/// Byte range of a double-quoted attribute's value in `tag`.
fn attr_span(tag: &str, name: &str) -> Option<(usize, usize)> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = start + tag[start..].find('"')?;
    Some((start, end))
}

fn attr_value<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    attr_span(tag, name).map(|(s, e)| &tag[s..e])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retargets_trunks_names_and_their_integrity() {
        let html = r#"<link rel="modulepreload" href="./engagement-dashboard-ab12.js" crossorigin="anonymous" integrity="sha384-OLD">
<link rel="preload" href="./engagement-dashboard-ab12_bg.wasm" crossorigin="anonymous" integrity="sha384-OLD2" as="fetch" type="application/wasm">
<link rel="stylesheet" href="./main-1.css" integrity="sha384-CSS"/>
<script type="module">
import init, * as bindings from './engagement-dashboard-ab12.js';
const wasm = await init({ module_or_path: './engagement-dashboard-ab12_bg.wasm' });
</script>"#;
        let out = retarget(
            html,
            "engagement-dashboard-ab12.js",
            "wasm-ff/app.js",
            "engagement-dashboard-ab12_bg.wasm",
            "wasm-ff/app_bg.wasm",
        )
        .unwrap();
        let out = fix_integrity(&out, |url| match url {
            "./wasm-ff/app.js" => Some(b"js".to_vec()),
            "./wasm-ff/app_bg.wasm" => Some(b"wasm".to_vec()),
            _ => Some(b"other".to_vec()),
        })
        .unwrap();
        assert!(!out.contains("engagement-dashboard"), "{out}");
        assert!(out.contains(&format!(r#"href="./wasm-ff/app.js" crossorigin="anonymous" integrity="{}""#, sri(b"js"))));
        assert!(out.contains(&format!(r#"integrity="{}" as="fetch""#, sri(b"wasm"))));
        assert!(out.contains(r#"integrity="sha384-CSS""#), "other assets keep theirs");
        assert!(out.contains("from './wasm-ff/app.js'") && out.contains("'./wasm-ff/app_bg.wasm'"));
    }
}
