//! The JWK Set (RFC 7517 §5), reduced at parse time to the keys that can
//! verify one of our algorithms, and the choice of a key for a token.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::Deserialize;

use super::crypto::PublicKey;
use super::{allowed_algorithm, JwtError};

/// Largest key set we parse. Real ones are a few KB (tens with `x5c`
/// certificate chains).
pub const MAX_JWKS_BYTES: usize = 256 * 1024;

/// RSA modulus sizes we accept: RFC 7518 §3.3 requires at least 2048 bits;
/// the `rsa` crate refuses more than 4096.
const RSA_MIN_BYTES: usize = 2048 / 8;
const RSA_MAX_BYTES: usize = 4096 / 8;

/// A parsed key set: only public signature keys of a type, curve and size we
/// verify, each checked to be a valid key. Everything else in the document is
/// skipped, not an error, so one exotic key does not take the issuer's other
/// keys down with it.
#[derive(Debug, Clone)]
pub struct Jwks {
    keys: Vec<Key>,
}

#[derive(Debug, Clone)]
struct Key {
    kid: Option<String>,
    /// The JWK's own `alg`, when it pins one.
    alg: Option<Algorithm>,
    kind: KeyKind,
    decoding: DecodingKey,
}

/// Key type and curve; each fits a fixed set of algorithms, which is what
/// makes algorithm confusion impossible (an RSA key never checks ES256).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Rsa,
    P256,
}

impl KeyKind {
    fn fits(self, alg: Algorithm) -> bool {
        use Algorithm::*;
        match self {
            Self::Rsa => matches!(alg, RS256 | RS384 | RS512 | PS256 | PS384 | PS512),
            Self::P256 => alg == ES256,
        }
    }
}

#[derive(Deserialize)]
struct RawSet {
    keys: Vec<serde_json::Value>,
}

/// The JWK members we read (RFC 7517 §4, RFC 7518 §6).
#[derive(Deserialize)]
struct RawKey {
    kty: String,
    kid: Option<String>,
    #[serde(rename = "use")]
    use_: Option<String>,
    key_ops: Option<Vec<String>>,
    alg: Option<String>,
    crv: Option<String>,
    n: Option<String>,
    e: Option<String>,
    x: Option<String>,
    y: Option<String>,
}

impl Jwks {
    /// Parses a JWKS document. Fails when it is not a JWK Set or holds no key
    /// we can use, so a caller can keep its previous set instead.
    pub fn parse(bytes: &[u8]) -> Result<Jwks, JwtError> {
        if bytes.len() > MAX_JWKS_BYTES {
            return Err(JwtError::BadJwks("larger than 256 KiB"));
        }
        let set: RawSet =
            serde_json::from_slice(bytes).map_err(|_| JwtError::BadJwks("not a JWK Set"))?;
        let keys: Vec<Key> = set.keys.iter().filter_map(Key::from_json).collect();
        if keys.is_empty() {
            return Err(JwtError::BadJwks("no usable signature keys"));
        }
        Ok(Jwks { keys })
    }

    /// Whether a token with this `kid` can find its key here: a key with that
    /// id, or, for a token without one, a set of exactly one key.
    pub fn has_key(&self, kid: Option<&str>) -> bool {
        match kid {
            Some(kid) => self.keys.iter().any(|k| k.kid.as_deref() == Some(kid)),
            None => self.keys.len() == 1,
        }
    }

    /// Number of usable keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Always false for a parsed set; here for completeness.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The key for a token: by `kid` when the token names one, else the only
    /// key that fits the algorithm. The key's type, curve and own `alg` must
    /// fit the token's algorithm.
    pub(super) fn select(
        &self,
        kid: Option<&str>,
        alg: Algorithm,
    ) -> Result<&DecodingKey, JwtError> {
        let fits = |k: &&Key| k.kind.fits(alg) && k.alg.is_none_or(|a| a == alg);
        match kid {
            Some(kid) => {
                let mut named = self
                    .keys
                    .iter()
                    .filter(|k| k.kid.as_deref() == Some(kid))
                    .peekable();
                if named.peek().is_none() {
                    return Err(JwtError::UnknownKey);
                }
                named
                    .find(fits)
                    .map(|k| &k.decoding)
                    .ok_or(JwtError::KeyMismatch)
            }
            None => {
                let mut fitting = self.keys.iter().filter(fits);
                match (fitting.next(), fitting.next()) {
                    (Some(key), None) => Ok(&key.decoding),
                    _ => Err(JwtError::UnknownKey),
                }
            }
        }
    }
}

impl Key {
    /// A usable verification key, or `None` for anything we skip: a `use`
    /// other than `sig`, `key_ops` without `verify`, symmetric (`oct`) keys,
    /// types and curves we do not verify (P-384, P-521, OKP), RSA under 2048
    /// bits, invalid keys, and an `alg` we do not allow or that does not fit.
    fn from_json(value: &serde_json::Value) -> Option<Key> {
        let raw = RawKey::deserialize(value).ok()?;
        if raw.use_.as_deref().is_some_and(|u| u != "sig") {
            return None;
        }
        if let Some(ops) = &raw.key_ops {
            if !ops.iter().any(|op| op == "verify") {
                return None;
            }
        }
        let (kind, decoding) = match (raw.kty.as_str(), raw.crv.as_deref()) {
            ("RSA", _) => {
                let n = member(raw.n.as_deref())?;
                let e = member(raw.e.as_deref())?;
                let bytes = n.iter().skip_while(|b| **b == 0).count();
                if !(RSA_MIN_BYTES..=RSA_MAX_BYTES).contains(&bytes) {
                    return None;
                }
                PublicKey::rsa(&n, &e)?;
                (KeyKind::Rsa, DecodingKey::from_rsa_raw_components(&n, &e))
            }
            ("EC", Some("P-256")) => {
                let x = member(raw.x.as_deref()).filter(|x| x.len() == 32)?;
                let y = member(raw.y.as_deref()).filter(|y| y.len() == 32)?;
                // An uncompressed SEC1 point, as DecodingKey::from_ec_components
                // builds it and crypto.rs reads it back.
                let point = [&[0x04][..], &x, &y].concat();
                PublicKey::p256(&point)?;
                (KeyKind::P256, DecodingKey::from_ec_der(&point))
            }
            _ => return None,
        };
        let alg = match raw.alg.as_deref() {
            None => None,
            Some(name) => Some(allowed_algorithm(name).filter(|a| kind.fits(*a))?),
        };
        Some(Key {
            kid: raw.kid,
            alg,
            kind,
            decoding,
        })
    }
}

/// A base64url key member (RFC 7518 §6: unpadded; padding is tolerated).
fn member(value: Option<&str>) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(value?.trim_end_matches('=')).ok()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use serde_json::json;

    /// The P-256 base point (SEC 2 §2.4.2): a valid public key anyone can
    /// write down.
    pub const P256_X: &str = "axfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpY";
    pub const P256_Y: &str = "T-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU";

    fn b64(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn rsa(kid: &str, modulus_bytes: usize) -> serde_json::Value {
        let mut n = vec![0xc5; modulus_bytes];
        n[modulus_bytes - 1] = 0x01;
        json!({ "kty": "RSA", "kid": kid, "n": b64(&n), "e": "AQAB" })
    }

    fn ec(kid: &str) -> serde_json::Value {
        json!({ "kty": "EC", "kid": kid, "crv": "P-256", "x": P256_X, "y": P256_Y })
    }

    fn parse(keys: serde_json::Value) -> Result<Jwks, JwtError> {
        Jwks::parse(json!({ "keys": keys }).to_string().as_bytes())
    }

    fn kids(jwks: &Jwks) -> Vec<&str> {
        jwks.keys.iter().filter_map(|k| k.kid.as_deref()).collect()
    }

    #[test]
    fn garbage_and_empty_sets_are_refused() {
        for bytes in [
            &b""[..],
            b"not json",
            b"[]",
            b"{}",
            b"{\"keys\":{}}",
            b"\xff\xfe",
        ] {
            assert!(
                matches!(Jwks::parse(bytes), Err(JwtError::BadJwks(_))),
                "{bytes:?}"
            );
        }
        assert_eq!(
            parse(json!([])).unwrap_err(),
            JwtError::BadJwks("no usable signature keys")
        );
        let huge = vec![b' '; MAX_JWKS_BYTES + 1];
        assert!(matches!(Jwks::parse(&huge), Err(JwtError::BadJwks(_))));
    }

    #[test]
    fn unusable_keys_are_skipped_not_fatal() {
        let n = b64(&[0xc5; 256]);
        let jwks = parse(json!([
            { "kty": "oct", "kid": "hmac", "k": "c2VjcmV0" },
            { "kty": "EC", "kid": "p384", "crv": "P-384", "x": b64(&[1; 48]), "y": b64(&[2; 48]) },
            { "kty": "EC", "kid": "p521", "crv": "P-521", "x": "AA", "y": "AA" },
            { "kty": "OKP", "kid": "ed25519", "crv": "Ed25519", "x": b64(&[1; 32]) },
            { "kty": "OKP", "kid": "x25519", "crv": "X25519", "x": b64(&[1; 32]) },
            { "kty": "RSA-ish", "kid": "odd" },
            { "kty": 7, "kid": "wrong-type" },
            "not an object",
            rsa("weak", 128),
            { "kty": "RSA", "kid": "enc", "use": "enc", "n": n, "e": "AQAB" },
            { "kty": "RSA", "kid": "sign-only", "key_ops": ["sign"], "n": n, "e": "AQAB" },
            { "kty": "RSA", "kid": "rsa-oaep", "alg": "RSA-OAEP", "n": n, "e": "AQAB" },
            { "kty": "RSA", "kid": "rsa-hs", "alg": "HS256", "n": n, "e": "AQAB" },
            { "kty": "RSA", "kid": "bad-b64", "n": "!!!", "e": "AQAB" },
            { "kty": "RSA", "kid": "no-e", "n": n },
            { "kty": "RSA", "kid": "e-one", "n": n, "e": "AQ" },
            { "kty": "EC", "kid": "ec-rs", "alg": "RS256", "crv": "P-256", "x": P256_X, "y": P256_Y },
            { "kty": "EC", "kid": "short", "crv": "P-256", "x": b64(&[1; 31]), "y": P256_Y },
            { "kty": "EC", "kid": "off-curve", "crv": "P-256", "x": b64(&[1; 32]), "y": b64(&[2; 32]) },
            rsa("good-rsa", 256),
            ec("good-ec"),
            { "kty": "RSA", "kid": "good-pinned", "alg": "PS256", "use": "sig", "key_ops": ["verify"],
               "n": n, "e": "AQAB" },
        ]))
        .unwrap();
        assert_eq!(kids(&jwks), ["good-rsa", "good-ec", "good-pinned"]);
        assert_eq!(jwks.len(), 3);
        assert!(!jwks.is_empty());
    }

    #[test]
    fn rsa_sizes_and_padding() {
        // 4096 bits is the ceiling; a leading zero octet does not count.
        let mut padded = vec![0u8];
        padded.extend([0xc5; 256]);
        let jwks = parse(json!([
            rsa("max", 512),
            rsa("too-big", 513),
            { "kty": "RSA", "kid": "zero-led", "n": b64(&padded), "e": "AQAB" },
            { "kty": "RSA", "kid": "padded", "n": format!("{}==", b64(&[0xc5; 257])), "e": "AQAB" },
        ]))
        .unwrap();
        assert_eq!(kids(&jwks), ["max", "zero-led", "padded"]);
    }

    #[test]
    fn has_key_by_kid_or_single_key() {
        let two = parse(json!([rsa("a", 256), ec("b")])).unwrap();
        assert!(two.has_key(Some("a")));
        assert!(two.has_key(Some("b")));
        assert!(!two.has_key(Some("c")));
        assert!(!two.has_key(None));
        let one = parse(json!([rsa("a", 256)])).unwrap();
        assert!(one.has_key(None));
    }

    #[test]
    fn selection_by_kid_then_type() {
        let jwks = parse(json!([
            rsa("r", 256),
            ec("e"),
            { "kty": "RSA", "kid": "pinned", "alg": "PS256", "n": b64(&[9; 256]), "e": "AQAB" },
        ]))
        .unwrap();
        let err = |kid, alg| jwks.select(kid, alg).unwrap_err();
        assert!(jwks.select(Some("r"), Algorithm::RS256).is_ok());
        assert!(jwks.select(Some("r"), Algorithm::PS512).is_ok());
        assert_eq!(err(Some("r"), Algorithm::ES256), JwtError::KeyMismatch);
        assert_eq!(err(Some("e"), Algorithm::RS256), JwtError::KeyMismatch);
        assert_eq!(err(Some("e"), Algorithm::ES384), JwtError::KeyMismatch);
        assert!(jwks.select(Some("pinned"), Algorithm::PS256).is_ok());
        assert_eq!(err(Some("pinned"), Algorithm::RS256), JwtError::KeyMismatch);
        assert_eq!(err(Some("x"), Algorithm::RS256), JwtError::UnknownKey);
        // Without a kid: the one EC key fits ES256; two RSA keys fit PS256.
        assert!(jwks.select(None, Algorithm::ES256).is_ok());
        assert_eq!(err(None, Algorithm::PS256), JwtError::UnknownKey);
        assert_eq!(err(None, Algorithm::EdDSA), JwtError::UnknownKey);
    }

    #[test]
    fn duplicate_kids_pick_the_fitting_key() {
        let jwks = parse(json!([rsa("same", 256), ec("same")])).unwrap();
        assert!(jwks.select(Some("same"), Algorithm::ES256).is_ok());
        assert!(jwks.select(Some("same"), Algorithm::RS256).is_ok());
    }

    #[test]
    fn errors_do_not_echo_input() {
        let secret = "c2VjcmV0LWtleS1tYXRlcmlhbA";
        let doc = format!("{{\"keys\": [{{\"kty\": \"oct\", \"k\": \"{secret}\"}}]}}");
        let err = Jwks::parse(doc.as_bytes()).unwrap_err();
        assert!(!err.to_string().contains(secret));
        let err = Jwks::parse(format!("{{\"keys\": \"{secret}\"}}").as_bytes()).unwrap_err();
        assert!(!err.to_string().contains(secret));
    }
}
