//! The `relay` binary's own commands: check-config's report and exit codes,
//! mint-token's tokens accepted by a relay, and no start without tenants or an
//! explicit `--auth none`.

use std::process::Command;

use serde_json::json;

use super::tokens::*;

fn relay_bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_relay"))
}

fn scratch(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("relay-bin-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn check_config_lists_tenants_and_no_secret() {
    let dir = scratch("check");
    std::fs::write(dir.join("hs.secret"), "an-hs256-secret-of-32-bytes-or-more").unwrap();
    let config = json!({ "tenants": [{
        "id": "acme", "issuer": ACME_ISS, "upstream": "https://vendor.example", "providerId": "1020", "partnerId": "1021",
        "apiKey": ACME_KEY, "allowOrigins": [ACME_ORIGIN],
        "keys": [{ "kid": "ed", "alg": "EdDSA", "publicKeyPem": fixture("ed25519.pub.pem") },
                 { "kid": "hs", "alg": "HS256", "secretFile": "hs.secret" }] }] });
    std::fs::write(dir.join("ok.json"), config.to_string()).unwrap();
    let out = relay_bin().arg("check-config").arg(dir.join("ok.json")).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("acme") && text.contains("ed (EdDSA)") && text.contains("hs (HS256)"), "{text}");
    for secret in [ACME_KEY, "an-hs256-secret", "BEGIN PUBLIC KEY"] {
        assert!(!text.contains(secret), "{secret}: {text}");
    }
    let mut bad = config.clone();
    bad["tenants"][0]["keys"][1]["kid"] = json!("ed");
    std::fs::write(dir.join("bad.json"), bad.to_string()).unwrap();
    let out = relay_bin().arg("check-config").arg(dir.join("bad.json")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("duplicate kid"));
    // Flags alone (no tenants) without --auth none: no relay.
    let out = relay_bin().args(["--provider-id", "1", "--partner-id", "2", "--addr", "127.0.0.1:0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--auth none"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn minted_tokens_are_accepted() {
    let relay = spawn(two_tenants().await).await;
    let out = relay_bin()
        .args(["mint-token", "--kid", "ed", "--tid", "acme", "--iss", ACME_ISS, "--sub", "cli-user", "--key-file"])
        .arg(format!("{}/tests/http/keys/ed25519.pem", env!("CARGO_MANIFEST_DIR")))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let r = call_as(&relay, "Messages", Some(&token), Some(ACME_ORIGIN)).await;
    assert_eq!(r.0, 200, "default scope of mint-token: counts messages; {}", r.2);
}
