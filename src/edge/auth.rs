//! Credentials on `/mcp`: which one a request carries, who it names, and how
//! it travels on to Sequentum.
//!
//! - `Authorization: Bearer sk-…` or `X-API-Key: sk-…`: a Sequentum API key,
//!   sent upstream as `Authorization: ApiKey sk-…`.
//! - `Authorization: Bearer <token>`: an OAuth access token, sent upstream
//!   unchanged. With `JWT_JWKS_URL` set, a token that is a JWT is verified
//!   here first (see [`super::jwt`]); any other token is opaque and the
//!   Sequentum API decides.
//!
//! The scheme name is case-insensitive (RFC 9110 §11.1); the token must be
//! RFC 6750 `b64token` characters, so nothing a client sends can smuggle
//! header syntax upstream.

use super::discovery::Challenge;
use crate::session::principal::Principal;

/// The prefix of Sequentum API keys.
pub const API_KEY_PREFIX: &str = "sk-";
/// Longer than any real token or key; a bound on what we hash and forward.
pub const MAX_CREDENTIAL_BYTES: usize = 8 * 1024;

/// What a request presents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential<'a> {
    None,
    ApiKey(&'a str),
    Bearer(&'a str),
}

/// Reads the credential from `Authorization` and `X-API-Key`.
/// `Authorization` wins when both are present.
pub fn credential<'a>(
    authorization: Option<&'a str>,
    x_api_key: Option<&'a str>,
) -> Result<Credential<'a>, Challenge> {
    if let Some(value) = authorization.map(str::trim).filter(|v| !v.is_empty()) {
        let Some((scheme, rest)) = value.split_once(' ') else {
            return Ok(Credential::None);
        };
        // Another scheme (Basic, …) is not ours to judge: ask for a bearer.
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Ok(Credential::None);
        }
        let token = valid_token(rest.trim_start())?;
        return Ok(if token.starts_with(API_KEY_PREFIX) {
            Credential::ApiKey(token)
        } else {
            Credential::Bearer(token)
        });
    }
    match x_api_key.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(Credential::None),
        Some(key) if key.starts_with(API_KEY_PREFIX) => valid_token(key).map(Credential::ApiKey),
        Some(_) => Err(Challenge::InvalidToken(
            "X-API-Key must be a Sequentum API key (sk-...)",
        )),
    }
}

/// RFC 6750 §2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
fn valid_token(token: &str) -> Result<&str, Challenge> {
    let body = token.trim_end_matches('=');
    let ok = !body.is_empty()
        && token.len() <= MAX_CREDENTIAL_BYTES
        && body.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
        });
    if ok {
        Ok(token)
    } else {
        Err(Challenge::InvalidToken("malformed credential"))
    }
}

/// How a request authenticates to the Sequentum API (decided here, used by
/// the client for this request only).
pub use crate::sequentum::Auth as UpstreamAuth;

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub principal: Principal,
    pub upstream: UpstreamAuth,
}

impl Caller {
    pub fn anonymous() -> Self {
        Self {
            principal: Principal::anonymous(),
            upstream: UpstreamAuth::None,
        }
    }

    pub fn api_key(key: &str) -> Self {
        Self {
            principal: Principal::api_key(key),
            upstream: UpstreamAuth::ApiKey(key.to_owned()),
        }
    }

    /// A bearer token nobody verified here.
    pub fn opaque(token: &str) -> Self {
        Self {
            principal: Principal::opaque_token(token),
            upstream: UpstreamAuth::Bearer(token.to_owned()),
        }
    }

    /// A JWT whose signature and claims we checked.
    pub fn verified(token: &str, issuer: &str, subject: &str) -> Self {
        Self {
            principal: Principal::verified(issuer, subject),
            upstream: UpstreamAuth::Bearer(token.to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens_and_api_keys() {
        assert_eq!(
            credential(Some("Bearer abc.def-ghi_~+/=="), None),
            Ok(Credential::Bearer("abc.def-ghi_~+/=="))
        );
        assert_eq!(
            credential(Some("bearer   tok"), None),
            Ok(Credential::Bearer("tok")),
            "scheme is case-insensitive"
        );
        assert_eq!(
            credential(Some("Bearer sk-live-1"), None),
            Ok(Credential::ApiKey("sk-live-1"))
        );
        assert_eq!(
            credential(None, Some(" sk-live-2 ")),
            Ok(Credential::ApiKey("sk-live-2"))
        );
        assert_eq!(
            credential(Some("Bearer tok"), Some("sk-other")),
            Ok(Credential::Bearer("tok")),
            "Authorization wins"
        );
    }

    #[test]
    fn absent_or_foreign_schemes_ask_for_credentials() {
        for auth in [
            None,
            Some(""),
            Some("Basic dXNlcjpwYXNz"),
            Some("Bearer"),
            Some("Token x"),
        ] {
            assert_eq!(credential(auth, None), Ok(Credential::None), "{auth:?}");
        }
    }

    #[test]
    fn malformed_credentials_are_invalid_tokens() {
        let long = format!("Bearer {}", "a".repeat(MAX_CREDENTIAL_BYTES + 1));
        for auth in [
            "Bearer a b",
            "Bearer tok\r\nX-Injected: 1",
            "Bearer =",
            "Bearer tok=en",
            "Bearer \"quoted\"",
            long.as_str(),
        ] {
            assert!(
                matches!(
                    credential(Some(auth), None),
                    Err(Challenge::InvalidToken(_))
                ),
                "{auth:?}"
            );
        }
        assert!(matches!(
            credential(None, Some("not-a-key")),
            Err(Challenge::InvalidToken(_))
        ));
    }

    #[test]
    fn upstream_headers_and_redaction() {
        let key = Caller::api_key("sk-secret-1");
        assert_eq!(
            key.upstream.header_value().as_deref(),
            Some("ApiKey sk-secret-1")
        );
        assert_eq!(key.principal, Principal::api_key("sk-secret-1"));
        let tok = Caller::opaque("tok-secret-2");
        assert_eq!(
            tok.upstream.header_value().as_deref(),
            Some("Bearer tok-secret-2")
        );
        assert_eq!(Caller::anonymous().upstream.header_value(), None);
        let printed = format!("{key:?} {tok:?}");
        assert!(
            !printed.contains("secret"),
            "Debug must not print credentials: {printed}"
        );
    }
}
