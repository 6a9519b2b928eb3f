//! With the `split` feature on wasm32, the dashboard binary is linked with
//! `--emit-relocs`: the wasm splitter (`cargo xtask wasm-split`) needs the
//! relocations to move functions into lazily loaded chunks. A link argument for
//! this binary only (not RUSTFLAGS), so no dependency is rebuilt for it.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32");
    if wasm && std::env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
