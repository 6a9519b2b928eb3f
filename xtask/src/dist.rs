//! `cargo xtask dist [--out DIR]`: the deployable build (default `dist/`).
//!
//! `trunk build --release` gives content-hashed assets (filehash) but boots the
//! wasm from an INLINE `<script type="module">` in index.html, which a strict
//! Content-Security-Policy (`script-src 'self' 'wasm-unsafe-eval'`, no
//! 'unsafe-inline') blocks. This moves that script into `boot-<hash>.js` beside the
//! other assets, referenced with a Subresource Integrity hash, then checks that
//! index.html has nothing else CSP would block (inline scripts or styles, `style=`
//! or `on*=` attributes, `javascript:` URLs) and that every `integrity` attribute
//! matches its file. Caching (docs/deploy.md): every file but `index.html` and
//! `config.json` has its content hash in its name and can be cached forever.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use base64::Engine as _;
use sha2::{Digest, Sha256, Sha384};

use crate::procs;
use crate::util::{root, tool};

pub fn run(args: &[String]) -> Result<()> {
    let mut out = root().join("dist");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => out = PathBuf::from(it.next().context("--out needs a directory")?),
            other => bail!("unknown option `{other}` (usage: cargo xtask dist [--out DIR])"),
        }
    }
    build(&out)?;
    println!("\n{} is ready to deploy:", out.display());
    let mut files: Vec<_> =
        std::fs::read_dir(&out)?.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().to_string()).collect();
    files.sort();
    for f in files {
        let policy = match f.as_str() {
            "index.html" => "Cache-Control: no-cache (revalidate: it names the current assets)",
            "config.json" => "Cache-Control: no-cache (replace with this deployment's config)",
            _ => "Cache-Control: public, max-age=31536000, immutable (hashed name)",
        };
        println!("  {f:<50} {policy}");
    }
    println!("\nServe it with the Content-Security-Policy of docs/deploy.md; put this deployment's config.json beside index.html.");
    Ok(())
}

/// `trunk build --release` into `out`, then make its index.html CSP-clean.
pub fn build(out: &Path) -> Result<()> {
    procs::run_ok(tool("trunk").args(["build", "--release", "--dist"]).arg(out))?;
    anyhow::ensure!(out.join("index.html").exists(), "trunk build produced no index.html in {}", out.display());
    let boot = externalize_boot(out)?;
    println!("dist: boot script moved to {boot}; index.html is free of inline script and style");
    Ok(())
}

fn sri(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes)))
}

fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The value of attribute `name` in a start tag's text (`<script a="b" ...>`).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at > 0 && lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = &tag[at + name.len()..];
        if !before_ok || !rest.trim_start().starts_with('=') {
            continue;
        }
        let v = rest.trim_start()[1..].trim_start();
        return match v.chars().next() {
            Some(q @ ('"' | '\'')) => v[1..].split(q).next(),
            _ => v.split(|c: char| c.is_ascii_whitespace() || c == '>').next(),
        };
    }
    None
}

/// Moves the inline module script of `dir/index.html` into `boot-<hash>.js`;
/// returns that file name. Idempotent: an index.html without one is only checked.
pub fn externalize_boot(dir: &Path) -> Result<String> {
    let index = dir.join("index.html");
    let mut html = std::fs::read_to_string(&index).with_context(|| format!("reading {}", index.display()))?;
    let mut boot_name = None;
    let mut search = 0;
    while let Some(i) = html[search..].to_ascii_lowercase().find("<script") {
        let start = search + i;
        let tag_end = start + html[start..].find('>').context("unterminated <script> tag")? + 1;
        let tag = html[start..tag_end].to_string();
        let close =
            tag_end + html[tag_end..].to_ascii_lowercase().find("</script>").context("<script> without </script>")?;
        let end = close + "</script>".len();
        if attr(&tag, "src").is_some() {
            search = end;
            continue;
        }
        if attr(&tag, "type") != Some("module") || boot_name.is_some() {
            bail!("index.html has an inline script trunk's boot is not known to emit: {tag}");
        }
        let code = html[tag_end..close].trim().to_string() + "\n";
        let name = format!("boot-{}.js", short_hash(code.as_bytes()));
        std::fs::write(dir.join(&name), &code)?;
        let external =
            format!(r#"<script type="module" src="./{name}" integrity="{}"></script>"#, sri(code.as_bytes()));
        html.replace_range(start..end, &external);
        search = start + external.len();
        boot_name = Some(name);
    }
    check_csp_clean(&html)?;
    check_integrity(dir, &html)?;
    std::fs::write(&index, &html)?;
    match boot_name {
        Some(n) => Ok(n),
        None => {
            let existing = std::fs::read_dir(dir)?
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .find(|n| n.starts_with("boot-") && n.ends_with(".js"));
            existing.context("index.html has no boot script at all")
        }
    }
}

/// Fails on anything in the page a CSP without 'unsafe-inline' would block.
pub fn check_csp_clean(html: &str) -> Result<()> {
    let lower = html.to_ascii_lowercase();
    if lower.contains("<style") {
        bail!("index.html has an inline <style> element");
    }
    if lower.contains("javascript:") {
        bail!("index.html has a javascript: URL");
    }
    let mut rest = lower.as_str();
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if tag.starts_with('!') || tag.starts_with('/') {
            continue;
        }
        if tag.starts_with("script") && attr(tag, "src").is_none() {
            bail!("index.html has an inline script: <{tag}>");
        }
        for word in tag.split(|c: char| c.is_ascii_whitespace()).skip(1) {
            let name = word.split('=').next().unwrap_or("");
            if name == "style" || (name.starts_with("on") && name.len() > 2 && word.contains('=')) {
                bail!("index.html has an inline `{name}` attribute in <{tag}>");
            }
        }
    }
    Ok(())
}

/// Every `integrity="sha384-…"` must match the file its `src`/`href` names.
fn check_integrity(dir: &Path, html: &str) -> Result<()> {
    let mut rest = html;
    let mut checked = 0;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        let (Some(integrity), Some(url)) = (attr(tag, "integrity"), attr(tag, "src").or_else(|| attr(tag, "href")))
        else {
            continue;
        };
        let file = dir.join(url.trim_start_matches("./").trim_start_matches('/'));
        let bytes = std::fs::read(&file).with_context(|| format!("{} (named in index.html)", file.display()))?;
        if !integrity.starts_with("sha384-") {
            bail!("unexpected integrity algorithm in <{tag}>");
        }
        if sri(&bytes) != integrity {
            bail!("integrity of {url} does not match the file");
        }
        checked += 1;
    }
    anyhow::ensure!(checked > 0, "index.html has no integrity attributes: is filehash/SRI off?");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_INDEX: &str = r#"<!doctype html>
<html lang="en"><head>
<link rel="stylesheet" href="./main-1.css" integrity="INTEGRITY_CSS"/>
<script src="./echarts.min-2.js" integrity="INTEGRITY_JS"></script>
<script type="module">
import init, * as bindings from './app-3.js';
const wasm = await init({ module_or_path: './app-3_bg.wasm' });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));
</script>
</head><body></body></html>"#;

    #[test]
    fn moves_the_boot_script_out_with_a_valid_integrity() {
        let dir = std::env::temp_dir().join(format!("xtask-dist-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("main-1.css"), "body{}").unwrap();
        std::fs::write(dir.join("echarts.min-2.js"), "var echarts;").unwrap();
        let html = TRUNK_INDEX.replace("INTEGRITY_CSS", &sri(b"body{}")).replace("INTEGRITY_JS", &sri(b"var echarts;"));
        std::fs::write(dir.join("index.html"), &html).unwrap();

        let name = externalize_boot(&dir).unwrap();
        let out = std::fs::read_to_string(dir.join("index.html")).unwrap();
        let boot = std::fs::read(dir.join(&name)).unwrap();
        assert!(String::from_utf8_lossy(&boot).starts_with("import init"));
        assert!(
            out.contains(&format!(r#"<script type="module" src="./{name}" integrity="{}"></script>"#, sri(&boot))),
            "{out}"
        );
        check_csp_clean(&out).unwrap();
        // Idempotent.
        assert_eq!(externalize_boot(&dir).unwrap(), name);
        assert_eq!(std::fs::read_to_string(dir.join("index.html")).unwrap(), out);
        // A stale integrity is caught.
        std::fs::write(dir.join("echarts.min-2.js"), "tampered").unwrap();
        assert!(externalize_boot(&dir).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn flags_what_csp_blocks() {
        assert!(check_csp_clean(r#"<body><script src="./a.js"></script></body>"#).is_ok());
        assert!(check_csp_clean(r#"<body data-onload="x"><p class="onx">on</p></body>"#).is_ok());
        for bad in [
            "<script>alert(1)</script>",
            "<style>p{}</style>",
            r#"<div style="color:red"></div>"#,
            r#"<img src="x" onerror="alert(1)">"#,
            r#"<a href="javascript:alert(1)">x</a>"#,
        ] {
            assert!(check_csp_clean(bad).is_err(), "{bad}");
        }
    }
}
