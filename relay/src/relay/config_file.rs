//! The JSON config file: its format, and the checks that make a bad file a
//! start-up error rather than a relay that quietly does something else. Unknown
//! keys anywhere are errors (a typo must not leave a default in place). File
//! paths inside it (`apiKeyFile`, `secretFile`, `publicKeyFile`) are relative to
//! the file's directory.
//!
//! ```json
//! { "addr": "127.0.0.1:8788", "auth": "token", "audience": "engagement-dashboard",
//!   "maxTokenLifetimeSecs": 3600, "database": "sqlite://relay-views.db",
//!   "tenants": [ { "id": "acme", "issuer": "https://portal.acme.example",
//!     "keys": [ { "kid": "2026-11", "alg": "EdDSA", "publicKeyPem": "-----BEGIN PUBLIC KEY-----\n…" },
//!               { "kid": "legacy", "alg": "HS256", "secretFile": "/run/secrets/acme-hs256" } ],
//!     "upstream": "https://api.vendor.example", "providerId": "1020", "partnerId": "1021",
//!     "apiKeyFile": "/run/secrets/acme-de-key", "allowOrigins": ["https://dashboard.acme.example"] } ] }
//! ```

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::config::{Tenant, Upstream};
use super::origin::Origin;
use crate::auth::keys::{KeyAlg, VerifyKey};

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FileConfig {
    pub addr: Option<String>,
    /// `"token"` or `"none"`.
    pub auth: Option<String>,
    pub audience: Option<String>,
    pub max_token_lifetime_secs: Option<u64>,
    pub database: Option<String>,
    pub tenants: Option<Vec<TenantFile>>,
    // The single tenant of `auth: none`, as before tenants existed.
    pub upstream: Option<String>,
    pub provider_id: Option<String>,
    pub partner_id: Option<String>,
    pub api_key: Option<String>,
    pub api_key_file: Option<String>,
    pub allow_origins: Option<Vec<String>>,
    // Limits.
    pub upstream_timeout_ms: Option<u64>,
    pub max_upstream_bytes: Option<u64>,
    pub header_read_timeout_ms: Option<u64>,
    pub rate_limit_per_second: Option<f64>,
    pub rate_limit_burst: Option<u32>,
    pub failed_auth_per_second: Option<f64>,
    pub failed_auth_burst: Option<u32>,
    /// Where the file was read from: relative paths inside it start there.
    #[serde(skip)]
    pub dir: PathBuf,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TenantFile {
    pub id: String,
    pub issuer: String,
    pub keys: Vec<KeyFile>,
    pub upstream: String,
    pub provider_id: String,
    pub partner_id: String,
    pub api_key: Option<String>,
    pub api_key_file: Option<String>,
    #[serde(default)]
    pub allow_origins: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyFile {
    pub kid: String,
    pub alg: String,
    pub public_key_pem: Option<String>,
    pub public_key_file: Option<String>,
    pub secret: Option<String>,
    pub secret_file: Option<String>,
}

impl FileConfig {
    pub fn read(path: &str) -> Result<FileConfig, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("config file {path}: {e}"))?;
        let mut file: FileConfig = serde_json::from_str(&text).map_err(|e| format!("config file {path}: {e}"))?;
        file.dir = Path::new(path).parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(file)
    }

    /// The single-tenant keys present (they conflict with `tenants`).
    pub fn single_tenant_keys(&self) -> Vec<&'static str> {
        let present = [
            ("upstream", self.upstream.is_some()),
            ("providerId", self.provider_id.is_some()),
            ("partnerId", self.partner_id.is_some()),
            ("apiKey", self.api_key.is_some()),
            ("apiKeyFile", self.api_key_file.is_some()),
            ("allowOrigins", self.allow_origins.is_some()),
        ];
        present.into_iter().filter(|(_, p)| *p).map(|(k, _)| k).collect()
    }
}

/// Read a file the config names; relative to the config file's directory.
pub fn read_secret_file(dir: &Path, path: &str) -> Result<String, String> {
    let full = dir.join(path);
    let text = std::fs::read_to_string(&full).map_err(|e| format!("{}: {e}", full.display()))?;
    Ok(text.trim_end_matches(['\n', '\r']).to_string())
}

/// `http(s)://host[:port]` without query, fragment or credentials.
pub fn upstream_url(s: &str) -> Result<String, String> {
    let s = s.trim();
    if !(s.starts_with("http://") || s.starts_with("https://")) || s.contains(['?', '#', '@']) {
        return Err(format!("{s:?} is not a base URL like https://api.example.com"));
    }
    Ok(s.trim_end_matches('/').to_string())
}

/// Exactly one of an inline value and a file, or neither.
fn one_of(dir: &Path, inline: &Option<String>, file: &Option<String>, names: &str) -> Result<Option<String>, String> {
    match (inline, file) {
        (Some(_), Some(_)) => Err(format!("give {names}, not both")),
        (Some(v), None) => Ok(Some(v.clone())),
        (None, Some(f)) => read_secret_file(dir, f).map(Some),
        (None, None) => Ok(None),
    }
}

fn key(dir: &Path, k: &KeyFile) -> Result<VerifyKey, String> {
    if k.kid.is_empty() {
        return Err("kid is empty".into());
    }
    let alg = KeyAlg::parse(&k.alg).ok_or_else(|| format!("alg {:?}: use EdDSA, ES256, RS256 or HS256", k.alg))?;
    if alg == KeyAlg::HS256 {
        if k.public_key_pem.is_some() || k.public_key_file.is_some() {
            return Err("HS256 takes secret or secretFile, not a public key".into());
        }
        let secret = one_of(dir, &k.secret, &k.secret_file, "secret or secretFile")?
            .ok_or("HS256 needs secret or secretFile")?;
        VerifyKey::hmac(&k.kid, secret.as_bytes())
    } else {
        if k.secret.is_some() || k.secret_file.is_some() {
            return Err(format!("{} takes publicKeyPem or publicKeyFile, not a secret", alg.name()));
        }
        let pem = one_of(dir, &k.public_key_pem, &k.public_key_file, "publicKeyPem or publicKeyFile")?
            .ok_or_else(|| format!("{} needs publicKeyPem or publicKeyFile", alg.name()))?;
        VerifyKey::public_pem(&k.kid, alg, &pem)
    }
}

fn tenant(dir: &Path, t: &TenantFile) -> Result<Tenant, String> {
    let id_ok = !t.id.is_empty() && t.id.len() <= 128 && !t.id.chars().any(char::is_control);
    if !id_ok {
        return Err("id must be 1 to 128 characters".into());
    }
    if t.issuer.trim().is_empty() {
        return Err("issuer is empty".into());
    }
    if t.keys.is_empty() {
        return Err("keys is empty: a tenant needs at least one key".into());
    }
    let mut kids = HashSet::new();
    let mut keys = Vec::new();
    for (i, k) in t.keys.iter().enumerate() {
        if !kids.insert(k.kid.as_str()) {
            return Err(format!("keys[{i}]: duplicate kid {:?}", k.kid));
        }
        keys.push(key(dir, k).map_err(|e| format!("keys[{i}] (kid {:?}): {e}", k.kid))?);
    }
    if t.provider_id.is_empty() || t.partner_id.is_empty() {
        return Err("providerId and partnerId must not be empty".into());
    }
    let mut upstream = Upstream::new(upstream_url(&t.upstream)?, &t.provider_id, &t.partner_id);
    upstream.api_key = one_of(dir, &t.api_key, &t.api_key_file, "apiKey or apiKeyFile")?.filter(|k| !k.is_empty());
    let allow_origins = t
        .allow_origins
        .iter()
        .map(|o| Origin::parse(o))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("allowOrigins: {e}"))?;
    Ok(Tenant { id: t.id.clone(), issuer: t.issuer.clone(), keys, upstream, allow_origins })
}

/// Every tenant of the file, checked: each on its own, then ids and issuers
/// unique across tenants (an issuer shared by two tenants would let one portal's
/// configuration mistake speak for the other).
pub fn tenants(dir: &Path, list: &[TenantFile]) -> Result<Vec<Tenant>, String> {
    if list.is_empty() {
        return Err("tenants is empty".into());
    }
    let mut ids = HashSet::new();
    let mut issuers = HashSet::new();
    let mut out = Vec::new();
    for (i, t) in list.iter().enumerate() {
        let at = format!("tenants[{i}] ({:?})", t.id);
        if !ids.insert(t.id.as_str()) {
            return Err(format!("{at}: duplicate tenant id"));
        }
        if !issuers.insert(t.issuer.as_str()) {
            return Err(format!("{at}: issuer {:?} is already another tenant's", t.issuer));
        }
        out.push(tenant(dir, t).map_err(|e| format!("{at}: {e}"))?);
    }
    Ok(out)
}
