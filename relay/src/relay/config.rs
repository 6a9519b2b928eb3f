//! What a running relay is configured with (built by `cli`/`config_file` from
//! flags, env and the JSON file, or directly by tests): its tenants, how callers
//! authenticate, and the limits.

use std::sync::Arc;
use std::time::Duration;

use super::access_log::{self, LogSink};
use super::origin::Origin;
use super::ratelimit::RateLimit;
use super::upstream_cache::CacheConfig;
use crate::auth::keys::VerifyKey;
use crate::auth::TokenPolicy;

/// Where a tenant's calls go, and the credentials the relay adds to them.
#[derive(Clone)]
pub struct Upstream {
    /// Base URL of the vendor (or the mock), without a trailing slash.
    pub base: String,
    pub provider_id: String,
    pub partner_id: String,
    pub api_key: Option<String>,
}

impl Upstream {
    pub fn new(base: impl Into<String>, provider_id: impl Into<String>, partner_id: impl Into<String>) -> Self {
        Upstream {
            base: base.into().trim_end_matches('/').to_string(),
            provider_id: provider_id.into(),
            partner_id: partner_id.into(),
            api_key: None,
        }
    }
}

impl std::fmt::Debug for Upstream {
    // Hand-written so the key can never end up in a log through `{:?}`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upstream")
            .field("base", &self.base)
            .field("provider_id", &self.provider_id)
            .field("partner_id", &self.partner_id)
            .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
            .finish()
    }
}

/// One tenant: a partner customer with its own vendor credentials, token keys
/// and dashboard origins.
#[derive(Clone, Debug)]
pub struct Tenant {
    /// The token's `tid`.
    pub id: String,
    /// The token's `iss` must equal this.
    pub issuer: String,
    pub keys: Vec<VerifyKey>,
    pub upstream: Upstream,
    /// Origins whose pages may call with this tenant's tokens.
    pub allow_origins: Vec<Origin>,
}

impl Tenant {
    pub fn allows(&self, origin: &Origin) -> bool {
        self.allow_origins.contains(origin)
    }
}

/// How callers prove who they are.
#[derive(Clone, Debug, PartialEq)]
pub enum Auth {
    /// No token: one tenant, the `Origin` allowlist only. Written explicitly or not at all.
    None,
    /// Every data call carries `Authorization: Bearer <embed token>`.
    Token(TokenPolicy),
}

/// The id of the single tenant of an `auth: none` relay.
pub const UNAUTHENTICATED_TENANT: &str = "default";
pub const DEFAULT_DATABASE: &str = "sqlite://relay-views.db";
/// An upstream answer over this is a 502, never passed on (a Messages answer of
/// 10,000 messages is a few MB).
pub const DEFAULT_MAX_UPSTREAM_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Clone)]
pub struct RelayConfig {
    pub auth: Auth,
    /// Exactly one with `Auth::None`; any number with `Auth::Token`.
    pub tenants: Vec<Arc<Tenant>>,
    /// The saved-views store (`sqlite://PATH` or `postgres://…`).
    pub database: String,
    pub upstream_timeout: Duration,
    pub max_upstream_bytes: u64,
    /// A client that has not sent its request headers within this is cut off.
    pub header_read_timeout: Duration,
    /// ... and one that has not sent its (16 KB at most) body within this gets 408.
    pub body_read_timeout: Duration,
    /// Per (tenant, `sub`) with tokens, per origin (or address) without; `None` = unlimited.
    pub rate_limit: Option<RateLimit>,
    /// Failed authentications per client address; `None` = unlimited.
    pub failed_auth_limit: Option<RateLimit>,
    /// Where the JSON log lines go.
    pub log: LogSink,
    /// Sharing identical upstream calls and keeping settled answers.
    pub cache: CacheConfig,
}

impl RelayConfig {
    /// `auth: none` with one tenant: defaults for everything but the upstream
    /// (no key, no origin allowed, 30 s timeout, the default rate limit, logs to stderr).
    pub fn new(upstream: impl Into<String>, provider_id: impl Into<String>, partner_id: impl Into<String>) -> Self {
        let tenant = Tenant {
            id: UNAUTHENTICATED_TENANT.into(),
            issuer: String::new(),
            keys: Vec::new(),
            upstream: Upstream::new(upstream, provider_id, partner_id),
            allow_origins: Vec::new(),
        };
        Self::with(Auth::None, vec![tenant])
    }

    /// Token auth over `tenants`, with the policy's audience and lifetime cap.
    pub fn with_tenants(policy: TokenPolicy, tenants: Vec<Tenant>) -> Self {
        Self::with(Auth::Token(policy), tenants)
    }

    fn with(auth: Auth, tenants: Vec<Tenant>) -> Self {
        RelayConfig {
            auth,
            tenants: tenants.into_iter().map(Arc::new).collect(),
            database: DEFAULT_DATABASE.into(),
            upstream_timeout: Duration::from_secs(30),
            max_upstream_bytes: DEFAULT_MAX_UPSTREAM_BYTES,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(10),
            rate_limit: Some(RateLimit::default()),
            failed_auth_limit: Some(RateLimit::FAILED_AUTH),
            log: access_log::stderr_sink(),
            cache: CacheConfig::default(),
        }
    }

    /// The single tenant of an `auth: none` relay, to adjust in place (tests,
    /// the flag-built config). Panics if there are several tenants.
    pub fn only_tenant(&mut self) -> &mut Tenant {
        assert_eq!(self.tenants.len(), 1, "only_tenant on a relay with {} tenants", self.tenants.len());
        Arc::make_mut(&mut self.tenants[0])
    }

    /// Every API key (for scrubbing log lines).
    pub fn api_keys(&self) -> Vec<String> {
        self.tenants.iter().filter_map(|t| t.upstream.api_key.clone()).collect()
    }
}

impl std::fmt::Debug for RelayConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayConfig")
            .field("auth", &self.auth)
            .field("tenants", &self.tenants)
            // A postgres:// URL may hold a password: the scheme only.
            .field("database", &format!("{}://…", self.database.split("://").next().unwrap_or("")))
            .field("upstream_timeout", &self.upstream_timeout)
            .field("max_upstream_bytes", &self.max_upstream_bytes)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("rate_limit", &self.rate_limit)
            .field("failed_auth_limit", &self.failed_auth_limit)
            .field("cache", &self.cache)
            .finish()
    }
}
