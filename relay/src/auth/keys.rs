//! A tenant's keys. Each key has exactly one algorithm, fixed when it is
//! configured: a token is checked with the algorithm of the key its `kid` names,
//! never the one its header asks for, so an RS/ES/Ed public key can never be used
//! as an HMAC secret (the classic JWT algorithm confusion).

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};

/// The four algorithms of the contract. `none` and everything else are refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyAlg {
    EdDSA,
    ES256,
    RS256,
    HS256,
}

/// HS256 secrets shorter than this are a start-up error (RFC 7518 3.2: at least
/// the hash size).
pub const MIN_HMAC_SECRET_BYTES: usize = 32;

impl KeyAlg {
    pub const ALL: [KeyAlg; 4] = [KeyAlg::EdDSA, KeyAlg::ES256, KeyAlg::RS256, KeyAlg::HS256];

    /// Exact JOSE spelling (`EdDSA`, `ES256`, `RS256`, `HS256`).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == s)
    }

    pub fn name(self) -> &'static str {
        match self {
            KeyAlg::EdDSA => "EdDSA",
            KeyAlg::ES256 => "ES256",
            KeyAlg::RS256 => "RS256",
            KeyAlg::HS256 => "HS256",
        }
    }

    pub fn jwt(self) -> Algorithm {
        match self {
            KeyAlg::EdDSA => Algorithm::EdDSA,
            KeyAlg::ES256 => Algorithm::ES256,
            KeyAlg::RS256 => Algorithm::RS256,
            KeyAlg::HS256 => Algorithm::HS256,
        }
    }
}

/// A key the relay verifies tokens with.
#[derive(Clone)]
pub struct VerifyKey {
    pub kid: String,
    pub alg: KeyAlg,
    key: DecodingKey,
}

impl std::fmt::Debug for VerifyKey {
    // Never the key material (an HMAC secret is a secret).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyKey").field("kid", &self.kid).field("alg", &self.alg).finish()
    }
}

impl VerifyKey {
    /// An EdDSA (Ed25519), ES256 (P-256) or RS256 public key in PEM (SPKI
    /// `PUBLIC KEY`, or `RSA PUBLIC KEY` for RS256).
    pub fn public_pem(kid: impl Into<String>, alg: KeyAlg, pem: &str) -> Result<Self, String> {
        let parse = match alg {
            KeyAlg::HS256 => return Err("HS256 takes a secret (secret or secretFile), not a public key".into()),
            KeyAlg::EdDSA => DecodingKey::from_ed_pem,
            KeyAlg::ES256 => DecodingKey::from_ec_pem,
            KeyAlg::RS256 => DecodingKey::from_rsa_pem,
        };
        if pem.contains("PRIVATE KEY") {
            return Err("the PEM holds a PRIVATE key: give the relay the public key only".into());
        }
        let key = parse(pem.as_bytes()).map_err(|e| format!("not a {} public key in PEM ({e})", alg.name()))?;
        Ok(VerifyKey { kid: kid.into(), alg, key })
    }

    /// An HS256 secret of at least [`MIN_HMAC_SECRET_BYTES`].
    pub fn hmac(kid: impl Into<String>, secret: &[u8]) -> Result<Self, String> {
        if secret.len() < MIN_HMAC_SECRET_BYTES {
            return Err(format!("HS256 secret is {} bytes; at least {MIN_HMAC_SECRET_BYTES} are needed", secret.len()));
        }
        let key = DecodingKey::from_secret(secret).map_err(|e| format!("HS256 secret: {e}"))?;
        Ok(VerifyKey { kid: kid.into(), alg: KeyAlg::HS256, key })
    }

    pub(crate) fn decoding_key(&self) -> &DecodingKey {
        &self.key
    }
}

/// A key that signs tokens: what a portal backend holds. Here for `relay
/// mint-token`, the dev portal and tests; the relay itself never signs.
#[derive(Clone)]
pub struct SigningKey {
    pub kid: Option<String>,
    pub alg: KeyAlg,
    key: EncodingKey,
}

impl SigningKey {
    /// A PKCS#8 private key in PEM (`PRIVATE KEY`; `RSA PRIVATE KEY` for RS256).
    pub fn private_pem(kid: Option<String>, alg: KeyAlg, pem: &str) -> Result<Self, String> {
        let parse = match alg {
            KeyAlg::HS256 => return Err("HS256 signs with a secret, not a PEM key".into()),
            KeyAlg::EdDSA => EncodingKey::from_ed_pem,
            KeyAlg::ES256 => EncodingKey::from_ec_pem,
            KeyAlg::RS256 => EncodingKey::from_rsa_pem,
        };
        let key = parse(pem.as_bytes()).map_err(|e| format!("not a {} private key in PEM ({e})", alg.name()))?;
        Ok(SigningKey { kid, alg, key })
    }

    pub fn hmac(kid: Option<String>, secret: &[u8]) -> Result<Self, String> {
        let key = EncodingKey::from_secret(secret).map_err(|e| format!("HS256 secret: {e}"))?;
        Ok(SigningKey { kid, alg: KeyAlg::HS256, key })
    }

    /// Sign `claims` as a compact JWS with this key's `alg` and `kid`.
    pub fn sign(&self, claims: &serde_json::Value) -> Result<String, String> {
        let mut header = jsonwebtoken::Header::new(self.alg.jwt());
        header.kid = self.kid.clone();
        jsonwebtoken::encode(&header, claims, &self.key).map_err(|e| e.to_string())
    }
}

/// A fresh Ed25519 key pair as (PKCS#8 v1 private PEM, SPKI public PEM): the dev
/// tenant's key (`relay gen-key`). Written out by hand (fixed DER prefixes around
/// the 32-byte seed and public key): PKCS#8 v1 is what every tool reads (OpenSSL
/// 3, hence Node, refuses the v2 form with the public key inside).
pub fn generate_ed25519() -> Result<(String, String), String> {
    use base64::Engine as _;
    const PRIVATE_PREFIX: [u8; 16] =
        [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
    const PUBLIC_PREFIX: [u8; 12] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| format!("no randomness: {e}"))?;
    let public = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key().to_bytes();
    let pem = |label: &str, der: Vec<u8>| {
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        format!("-----BEGIN {label}-----\n{b64}\n-----END {label}-----\n")
    };
    Ok((
        pem("PRIVATE KEY", [&PRIVATE_PREFIX[..], &seed].concat()),
        pem("PUBLIC KEY", [&PUBLIC_PREFIX[..], &public].concat()),
    ))
}
