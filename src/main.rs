//! The dashboard's entry point: in the browser it mounts the app; natively there
//! is nothing to run (the native build exists for `cargo test` of the pure parts).

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(engagement_dashboard::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The dashboard runs in a browser: use `cargo xtask dev`.");
}
