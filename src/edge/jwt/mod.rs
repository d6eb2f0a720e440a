//! Bearer JWT verification against a JWK Set: the decisions only.
//!
//! MCP 2025-11-25 (basic/authorization, "Token Handling") makes the server
//! validate access tokens and check that they were issued for it; RFC 8725
//! (JWT Best Current Practices) says how: an algorithm allowlist, keys chosen
//! by the verifier and never by the token, and every claim checked. Nothing
//! here performs I/O: the JWKS bytes, the clock and the policy are passed in,
//! and [`JwksCache`] only decides when the caller should fetch.
//!
//! A request's token flows like this:
//!
//! ```text
//! looks_like_jwt? ── no ──▶ opaque: forwarded unverified
//!       │ yes
//! key_id → JwksCache::plan → (caller fetches, Jwks::parse, store) → verify
//! ```

mod cache;
mod crypto;
mod jwks;
#[cfg(test)]
mod tests;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, Validation};
use serde::Deserialize;

pub use cache::{JwksCache, Plan};
pub use jwks::{Jwks, MAX_JWKS_BYTES};

/// Longest token we look at. Real access tokens are a few KB; the bound keeps
/// base64 and JSON work small for whatever a client puts in the header.
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// Default clock-skew allowance for `exp` and `nbf` (RFC 7519 §4.1.4: "some
/// small leeway, usually no more than a few minutes").
pub const DEFAULT_LEEWAY_SECS: u64 = 60;

/// The algorithms we verify (RFC 7518 §3.1). Asymmetric only: an HMAC key
/// would be a secret shared with every verifier, and an HMAC token checked
/// against a public key is the classic algorithm-confusion forgery; `none` is
/// never a signature. RSA (PKCS#1 v1.5 and PSS) and ES256 are what
/// authorization servers sign access tokens with; ES384 and EdDSA also work on
/// wasm32 but would add ~41 KB gzip to the Worker (docs/decisions.md).
pub const ALLOWED_ALGORITHMS: [Algorithm; 7] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
];

/// What a verified token proves: the principal sessions are bound to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Verified {
    pub issuer: String,
    pub subject: String,
}

/// What a token must say to be accepted here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The exact `iss` (`JWT_ISSUER`).
    pub issuer: String,
    /// Accepted `aud` values; a token must name at least one. Empty accepts
    /// nothing.
    pub audiences: Vec<String>,
    /// Clock skew allowed on `exp` and `nbf`, in seconds; keep it small.
    pub leeway_secs: u64,
}

impl Policy {
    /// A policy with the default leeway.
    pub fn new(issuer: impl Into<String>, audiences: Vec<String>) -> Self {
        Self {
            issuer: issuer.into(),
            audiences,
            leeway_secs: DEFAULT_LEEWAY_SECS,
        }
    }
}

/// Why a token or key set was refused. The text is safe to log: it never
/// contains the token, a claim value or key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    /// Not three base64url segments with a JSON header naming `alg`, too
    /// long, undecodable claims, or a `crit` header (we implement no
    /// extensions, so RFC 7515 §4.1.11 requires rejecting it).
    #[error("token is not a well-formed JWT")]
    Malformed,
    /// The header's `alg` is not in [`ALLOWED_ALGORITHMS`]. Holds the name
    /// when it is short and plain, `"unrecognized"` otherwise.
    #[error("token algorithm {0} is not allowed")]
    AlgorithmNotAllowed(String),
    /// No key in the set has the token's `kid`, or the token has no `kid` and
    /// the set has not exactly one key for its algorithm.
    #[error("no key in the JWKS matches the token")]
    UnknownKey,
    /// The key named by `kid` is of another type, curve or `alg` than the
    /// token's algorithm.
    #[error("the key named by the token does not fit its algorithm")]
    KeyMismatch,
    #[error("token signature does not verify")]
    BadSignature,
    #[error("token has no exp claim")]
    MissingExpiry,
    #[error("token has expired")]
    Expired,
    #[error("token is not valid yet")]
    NotYetValid,
    #[error("token issuer is not the expected one")]
    WrongIssuer,
    #[error("token audience does not include this server")]
    WrongAudience,
    #[error("token has no subject")]
    MissingSubject,
    /// The key set cannot be used; the reason is one of ours, never input.
    #[error("JWKS is unusable: {0}")]
    BadJwks(&'static str),
}

impl JwtError {
    /// The fixed `error_description` for the 401 challenge (RFC 6750 §3).
    pub fn description(&self) -> &'static str {
        match self {
            JwtError::Malformed => "token is not a well-formed JWT",
            JwtError::AlgorithmNotAllowed(_) => "token algorithm is not allowed",
            JwtError::UnknownKey | JwtError::KeyMismatch => "token was not signed by a known key",
            JwtError::BadSignature => "token signature does not verify",
            JwtError::MissingExpiry => "token has no expiry",
            JwtError::Expired => "token has expired",
            JwtError::NotYetValid => "token is not valid yet",
            JwtError::WrongIssuer => "token was issued by another issuer",
            JwtError::WrongAudience => "token is not meant for this server",
            JwtError::MissingSubject => "token has no subject",
            JwtError::BadJwks(_) => "token cannot be verified",
        }
    }
}

/// The protected header members we act on. `jku`, `jwk`, `x5u` and `x5c`
/// are deliberately ignored: the token does not get to pick its own key.
#[derive(Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    kid: Option<serde_json::Value>,
    #[serde(default)]
    crit: Option<serde::de::IgnoredAny>,
}

/// The three segments of a JWS compact serialization (RFC 7515 §7.1). The
/// signature may be empty so that unsigned (`alg: none`) tokens are still
/// recognised as JWTs and refused rather than passed on as opaque.
fn segments(token: &str) -> Option<[&str; 3]> {
    let mut parts = token.split('.');
    let segments = [parts.next()?, parts.next()?, parts.next()?];
    let base64url = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let ok = parts.next().is_none()
        && !segments[0].is_empty()
        && !segments[1].is_empty()
        && segments.iter().all(|s| base64url(s));
    ok.then_some(segments)
}

fn header(token: &str) -> Result<Header, JwtError> {
    let [header, _, _] = segments(token).ok_or(JwtError::Malformed)?;
    let json = URL_SAFE_NO_PAD
        .decode(header)
        .map_err(|_| JwtError::Malformed)?;
    // A JSON object (RFC 7515 §4); serde would also read a struct from an array.
    if json.trim_ascii_start().first() != Some(&b'{') {
        return Err(JwtError::Malformed);
    }
    serde_json::from_slice(&json).map_err(|_| JwtError::Malformed)
}

/// True when the bearer token has the shape of a signed JWT: three base64url
/// segments whose header is JSON with a string `alg`. Anything else (an
/// opaque token, an API key, a five-segment JWE) is not ours to verify.
pub fn looks_like_jwt(token: &str) -> bool {
    header(token).is_ok()
}

/// The header's `kid`, so the caller can tell whether its cached key set
/// knows the key before verifying (and refetch it once if not).
pub fn key_id(token: &str) -> Result<Option<String>, JwtError> {
    kid(header(token)?)
}

fn kid(header: Header) -> Result<Option<String>, JwtError> {
    match header.kid {
        None => Ok(None),
        Some(serde_json::Value::String(kid)) => Ok(Some(kid)),
        Some(_) => Err(JwtError::Malformed),
    }
}

/// Maps a header `alg` (its exact JWS name) to an algorithm we accept.
fn allowed_algorithm(name: &str) -> Option<Algorithm> {
    let alg: Algorithm = name.parse().ok()?;
    ALLOWED_ALGORITHMS.contains(&alg).then_some(alg)
}

/// The refused `alg` as it may appear in a log line.
fn refused(name: &str) -> JwtError {
    let plain = name.len() <= 16 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    JwtError::AlgorithmNotAllowed(if plain { name } else { "unrecognized" }.to_owned())
}

/// Verifies a bearer JWT: signature with a key from `jwks`, then `exp`,
/// `nbf`, `iss`, `aud` and `sub` against `policy` at `now_secs` (Unix time).
pub fn verify(
    token: &str,
    jwks: &Jwks,
    policy: &Policy,
    now_secs: u64,
) -> Result<Verified, JwtError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(JwtError::Malformed);
    }
    let header = header(token)?;
    // The allowlist comes first, before any key is looked at (RFC 8725 §3.1).
    let alg = allowed_algorithm(&header.alg).ok_or_else(|| refused(&header.alg))?;
    if header.crit.is_some() {
        return Err(JwtError::Malformed);
    }
    let key = jwks.select(kid(header)?.as_deref(), alg)?;

    let ours = crypto::install();
    debug_assert!(
        ours,
        "jsonwebtoken was used before our provider was installed"
    );

    // jsonwebtoken checks the signature with exactly this algorithm and key.
    // Its own claim checks are off: its exp/nbf read the system clock, and
    // ours below give each failure its own error.
    let mut validation = Validation::new(alg);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    let claims = jsonwebtoken::decode::<Claims>(token, key, &validation)
        .map_err(|e| decode_error(&e))?
        .claims;
    claims.check(policy, now_secs)
}

fn decode_error(err: &jsonwebtoken::errors::Error) -> JwtError {
    use jsonwebtoken::errors::ErrorKind;
    match err.kind() {
        ErrorKind::InvalidSignature => JwtError::BadSignature,
        // Neither happens after Jwks::parse and Jwks::select; named anyway.
        ErrorKind::InvalidKeyFormat => JwtError::BadJwks("a key in the set is invalid"),
        ErrorKind::InvalidAlgorithm => JwtError::KeyMismatch,
        // Undecodable signature or claims (base64, JSON, claim types).
        _ => JwtError::Malformed,
    }
}

/// The registered claims we check (RFC 7519 §4.1). A member of the wrong
/// type makes the whole token malformed.
#[derive(Deserialize)]
struct Claims {
    iss: Option<String>,
    sub: Option<String>,
    aud: Option<Audience>,
    exp: Option<serde_json::Number>,
    nbf: Option<serde_json::Number>,
}

/// `aud` is a string or an array of strings (RFC 7519 §4.1.3).
#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Claims {
    fn check(self, policy: &Policy, now: u64) -> Result<Verified, JwtError> {
        let leeway = policy.leeway_secs;
        // "The current date/time MUST be before the expiration date/time"
        // (§4.1.4). Access tokens must carry one (RFC 9068 §2.2): without it
        // a token would be good forever.
        let exp = self.exp.as_ref().ok_or(JwtError::MissingExpiry)?;
        if now >= seconds(exp, false).saturating_add(leeway) {
            return Err(JwtError::Expired);
        }
        // "... MUST be after or equal to the not-before date/time" (§4.1.5).
        if let Some(nbf) = &self.nbf {
            if now.saturating_add(leeway) < seconds(nbf, true) {
                return Err(JwtError::NotYetValid);
            }
        }
        // RFC 8725 §3.8 and §3.9: exact issuer, and this server as audience.
        let issuer = self
            .iss
            .filter(|iss| *iss == policy.issuer)
            .ok_or(JwtError::WrongIssuer)?;
        let accepted = |aud: &String| policy.audiences.contains(aud);
        let audience_ok = match &self.aud {
            None => false,
            Some(Audience::One(aud)) => accepted(aud),
            Some(Audience::Many(auds)) => auds.iter().any(accepted),
        };
        if !audience_ok {
            return Err(JwtError::WrongAudience);
        }
        let subject = self
            .sub
            .filter(|sub| !sub.is_empty())
            .ok_or(JwtError::MissingSubject)?;
        Ok(Verified { issuer, subject })
    }
}

/// A NumericDate (RFC 7519 §2) as whole seconds, rounded the strict way:
/// down for `exp`, up for `nbf`. Negative times clamp to 0.
fn seconds(date: &serde_json::Number, round_up: bool) -> u64 {
    if let Some(secs) = date.as_u64() {
        return secs;
    }
    let secs = date.as_f64().unwrap_or(0.0);
    let secs = if round_up { secs.ceil() } else { secs.floor() };
    // `as` saturates: negative → 0, beyond u64 → u64::MAX.
    secs as u64
}
