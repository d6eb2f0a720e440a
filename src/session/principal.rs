//! Who a request acts for, as far as the edge can tell, reduced to an id that
//! is safe to store, log and compare: a kind and a SHA-256 digest, never the
//! credential itself.
//!
//! A session remembers the principal that created it; a request under any
//! other principal is answered as if the session did not exist (MCP 2025-11-25,
//! security best practices, "Session Hijacking": bind sessions to the user).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Principal(String);

impl Principal {
    /// A JWT verified against the configured JWKS: `(iss, sub)` names the user.
    pub fn verified(issuer: &str, subject: &str) -> Self {
        // Length-prefixed so ("ab", "c") and ("a", "bc") differ.
        let material = format!("{}:{issuer}{subject}", issuer.len());
        Self::digest("jwt", material.as_bytes())
    }

    /// A Sequentum API key (`sk-…`).
    pub fn api_key(key: &str) -> Self {
        Self::digest("key", key.as_bytes())
    }

    /// A bearer token we cannot verify: the token is all we know. A refreshed
    /// token is a new principal, so its client starts a new session (404).
    pub fn opaque_token(token: &str) -> Self {
        Self::digest("tok", token.as_bytes())
    }

    /// No credentials (only with `REQUIRE_AUTH=false`).
    pub fn anonymous() -> Self {
        Self("anon".to_owned())
    }

    /// The kind alone (`jwt`, `key`, `tok`, `anon`), for logs.
    pub fn kind(&self) -> &str {
        self.0.split(':').next().unwrap_or("")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses an id produced by the constructors above (the Durable Object
    /// receives it over the internal wire).
    pub fn parse(raw: &str) -> Option<Self> {
        let valid = raw == "anon"
            || raw.split_once(':').is_some_and(|(kind, hex)| {
                matches!(kind, "jwt" | "key" | "tok")
                    && hex.len() == 64
                    && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            });
        valid.then(|| Self(raw.to_owned()))
    }

    fn digest(kind: &str, material: &[u8]) -> Self {
        let hash = Sha256::digest(material);
        let mut id = String::with_capacity(kind.len() + 1 + 64);
        id.push_str(kind);
        id.push(':');
        for byte in hash {
            id.push_str(&format!("{byte:02x}"));
        }
        Self(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_never_contain_the_credential() {
        let key = "sk-live-abcdef0123456789";
        let p = Principal::api_key(key);
        assert!(!p.as_str().contains("abcdef"), "{p:?}");
        assert_eq!(p.kind(), "key");
        assert_eq!(p.as_str().len(), 4 + 64);
        let t = Principal::opaque_token("eyJ.secret.token");
        assert!(!t.as_str().contains("secret"));
        assert_eq!(t.kind(), "tok");
    }

    #[test]
    fn same_credential_same_principal_and_kinds_never_collide() {
        assert_eq!(Principal::api_key("sk-1"), Principal::api_key("sk-1"));
        assert_ne!(Principal::api_key("sk-1"), Principal::api_key("sk-2"));
        assert_ne!(Principal::api_key("x"), Principal::opaque_token("x"));
        assert_ne!(
            Principal::verified("ab", "c"),
            Principal::verified("a", "bc")
        );
        assert_eq!(
            Principal::verified("https://iss", "u1"),
            Principal::verified("https://iss", "u1")
        );
    }

    #[test]
    fn parse_accepts_only_our_ids() {
        for p in [
            Principal::anonymous(),
            Principal::api_key("k"),
            Principal::opaque_token("t"),
            Principal::verified("i", "s"),
        ] {
            assert_eq!(Principal::parse(p.as_str()), Some(p));
        }
        for bad in [
            "",
            "anon:",
            "key:",
            "key:XYZ",
            "usr:0000",
            &format!("key:{}", "A".repeat(64)),
        ] {
            assert_eq!(Principal::parse(bad), None, "{bad}");
        }
    }
}
