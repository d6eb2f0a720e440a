//! Verdicts on real signatures. Keys are generated here, per test run; only
//! their public halves are ever written down (as JWKs).

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{EncodingKey, Header};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::EncodePrivateKey;
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::rand_core::{OsRng, RngCore};
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};

use super::*;

const ISS: &str = "https://dashboard.sequentum.com";
const AUD: &str = "https://mcp.example.com/mcp";
const NOW: u64 = 1_800_000_000;

/// A signing key and its public JWK.
struct TestKey {
    encoding: EncodingKey,
    jwk: Value,
    /// PKCS#1 PEM of an RSA public key: the "secret" of the HMAC confusion attack.
    public_pem: Option<String>,
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn rsa_key(kid: &str) -> TestKey {
    let private = rsa::RsaPrivateKey::new(&mut OsRng, 2048).unwrap();
    let public = private.to_public_key();
    TestKey {
        encoding: EncodingKey::from_rsa_der(private.to_pkcs1_der().unwrap().as_bytes()),
        jwk: json!({ "kty": "RSA", "kid": kid, "use": "sig",
                     "n": b64(&public.n().to_bytes_be()), "e": b64(&public.e().to_bytes_be()) }),
        public_pem: Some(public.to_pkcs1_pem(Default::default()).unwrap()),
    }
}

/// RSA key generation is slow in debug builds: two keys per test run.
fn rsa() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| rsa_key("rsa"))
}

fn other_rsa() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| rsa_key("rsa"))
}

fn p256_key(kid: &str) -> TestKey {
    let secret = p256::SecretKey::random(&mut OsRng);
    let point = secret.public_key().to_encoded_point(false);
    TestKey {
        encoding: EncodingKey::from_ec_der(secret.to_pkcs8_der().unwrap().as_bytes()),
        jwk: json!({ "kty": "EC", "crv": "P-256", "kid": kid,
                     "x": b64(point.x().unwrap()), "y": b64(point.y().unwrap()) }),
        public_pem: None,
    }
}

fn p384_key(kid: &str) -> TestKey {
    let secret = p384::SecretKey::random(&mut OsRng);
    let point = secret.public_key().to_encoded_point(false);
    TestKey {
        encoding: EncodingKey::from_ec_der(secret.to_pkcs8_der().unwrap().as_bytes()),
        jwk: json!({ "kty": "EC", "crv": "P-384", "kid": kid,
                     "x": b64(point.x().unwrap()), "y": b64(point.y().unwrap()) }),
        public_pem: None,
    }
}

fn ed25519_key(kid: &str) -> TestKey {
    let mut seed = [0u8; 32];
    OsRng.fill_bytes(&mut seed);
    let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
    TestKey {
        encoding: EncodingKey::from_ed_der(signing.to_pkcs8_der().unwrap().as_bytes()),
        jwk: json!({ "kty": "OKP", "crv": "Ed25519", "kid": kid,
                     "x": b64(signing.verifying_key().as_bytes()) }),
        public_pem: None,
    }
}

fn set(keys: &[&TestKey]) -> Jwks {
    let keys: Vec<&Value> = keys.iter().map(|k| &k.jwk).collect();
    Jwks::parse(json!({ "keys": keys }).to_string().as_bytes()).unwrap()
}

fn policy() -> Policy {
    Policy::new(ISS, vec![AUD.to_owned()])
}

fn claims() -> Value {
    json!({ "iss": ISS, "sub": "user-42", "aud": AUD, "exp": NOW + 300, "iat": NOW })
}

/// `claims` with `patch` applied: `null` removes a member.
fn with(patch: Value) -> Value {
    let mut claims = claims();
    for (name, value) in patch.as_object().unwrap() {
        if value.is_null() {
            claims.as_object_mut().unwrap().remove(name);
        } else {
            claims[name] = value.clone();
        }
    }
    claims
}

fn sign(key: &TestKey, alg: Algorithm, kid: Option<&str>, claims: &Value) -> String {
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, &key.encoding).unwrap()
}

fn rs256(claims: &Value) -> String {
    sign(rsa(), Algorithm::RS256, Some("rsa"), claims)
}

/// A token from raw JSON parts, for headers jsonwebtoken would not write.
fn raw(header: &Value, claims: &Value, signature: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes()),
        b64(signature)
    )
}

fn check(token: &str, jwks: &Jwks) -> Result<Verified, JwtError> {
    verify(token, jwks, &policy(), NOW)
}

fn principal() -> Verified {
    Verified {
        issuer: ISS.to_owned(),
        subject: "user-42".to_owned(),
    }
}

#[test]
fn valid_rs256_and_es256() {
    let ec = p256_key("ec");
    let jwks = set(&[rsa(), &ec]);
    assert_eq!(check(&rs256(&claims()), &jwks), Ok(principal()));
    let token = sign(&ec, Algorithm::ES256, Some("ec"), &claims());
    assert_eq!(check(&token, &jwks), Ok(principal()));
}

#[test]
fn every_allowed_algorithm_verifies() {
    let (p256, p384, ed) = (p256_key("p256"), p384_key("p384"), ed25519_key("ed"));
    let jwks = set(&[rsa(), &p256, &p384, &ed]);
    for alg in ALLOWED_ALGORITHMS {
        let (key, kid) = match alg {
            Algorithm::ES256 => (&p256, "p256"),
            Algorithm::ES384 => (&p384, "p384"),
            Algorithm::EdDSA => (&ed, "ed"),
            _ => (rsa(), "rsa"),
        };
        let token = sign(key, alg, Some(kid), &claims());
        assert_eq!(check(&token, &jwks), Ok(principal()), "{alg:?}");
    }
}

#[test]
fn expiry_is_checked_against_the_given_clock_with_leeway() {
    let jwks = set(&[rsa()]);
    let leeway = policy().leeway_secs;
    let token = rs256(&with(json!({ "exp": NOW - leeway })));
    assert_eq!(check(&token, &jwks), Err(JwtError::Expired));
    let token = rs256(&with(json!({ "exp": NOW - leeway + 1 })));
    assert_eq!(check(&token, &jwks), Ok(principal()), "within leeway");
    let token = rs256(&with(json!({ "exp": NOW - 3600 })));
    assert_eq!(check(&token, &jwks), Err(JwtError::Expired));
    // The same token is fine an hour earlier: only the injected clock counts.
    assert_eq!(
        verify(&token, &jwks, &policy(), NOW - 3600 - 1),
        Ok(principal())
    );
    let strict = Policy {
        leeway_secs: 0,
        ..policy()
    };
    let token = rs256(&with(json!({ "exp": NOW })));
    assert_eq!(verify(&token, &jwks, &strict, NOW), Err(JwtError::Expired));
    assert_eq!(verify(&token, &jwks, &strict, NOW - 1), Ok(principal()));
}

#[test]
fn fractional_and_missing_exp() {
    let jwks = set(&[rsa()]);
    let strict = Policy {
        leeway_secs: 0,
        ..policy()
    };
    // 0.5 s after NOW is still "before exp" at NOW, but a whole second is not.
    let token = rs256(&with(json!({ "exp": NOW as f64 + 0.5 })));
    assert_eq!(verify(&token, &jwks, &strict, NOW), Err(JwtError::Expired));
    assert_eq!(verify(&token, &jwks, &strict, NOW - 1), Ok(principal()));
    let token = rs256(&with(json!({ "exp": null })));
    assert_eq!(check(&token, &jwks), Err(JwtError::MissingExpiry));
    let token = rs256(&with(json!({ "exp": "tomorrow" })));
    assert_eq!(check(&token, &jwks), Err(JwtError::Malformed));
    let token = rs256(&with(json!({ "exp": -5 })));
    assert_eq!(check(&token, &jwks), Err(JwtError::Expired));
}

#[test]
fn not_before_in_the_future() {
    let jwks = set(&[rsa()]);
    let leeway = policy().leeway_secs;
    let token = rs256(&with(json!({ "nbf": NOW + leeway + 1 })));
    assert_eq!(check(&token, &jwks), Err(JwtError::NotYetValid));
    let token = rs256(&with(json!({ "nbf": NOW + leeway })));
    assert_eq!(check(&token, &jwks), Ok(principal()), "within leeway");
    let token = rs256(&with(json!({ "nbf": NOW as f64 + leeway as f64 + 0.1 })));
    assert_eq!(check(&token, &jwks), Err(JwtError::NotYetValid));
    let token = rs256(&with(json!({ "nbf": NOW - 10 })));
    assert_eq!(check(&token, &jwks), Ok(principal()));
}

#[test]
fn issuer_must_match_exactly() {
    let jwks = set(&[rsa()]);
    for iss in [
        json!("https://evil.example"),
        json!(format!("{ISS}/")),
        json!(ISS.to_uppercase()),
        json!(null),
    ] {
        let token = rs256(&with(json!({ "iss": iss })));
        assert_eq!(check(&token, &jwks), Err(JwtError::WrongIssuer), "{iss}");
    }
}

#[test]
fn audience_string_or_array() {
    let jwks = set(&[rsa()]);
    let ok = [
        json!(AUD),
        json!([AUD]),
        json!(["https://other.example", AUD]),
    ];
    for aud in ok {
        let token = rs256(&with(json!({ "aud": aud })));
        assert_eq!(check(&token, &jwks), Ok(principal()), "{aud}");
    }
    let wrong = [
        json!("https://other.example"),
        json!(["https://other.example", "https://mcp.example.com"]),
        json!([]),
        json!(null),
    ];
    for aud in wrong {
        let token = rs256(&with(json!({ "aud": aud })));
        assert_eq!(check(&token, &jwks), Err(JwtError::WrongAudience), "{aud}");
    }
    // Any one of several accepted audiences will do.
    let two = Policy::new(ISS, vec!["https://mcp.example.com".into(), AUD.into()]);
    let token = rs256(&with(json!({ "aud": "https://mcp.example.com" })));
    assert_eq!(verify(&token, &jwks, &two, NOW), Ok(principal()));
    // A policy without audiences accepts nothing.
    let none = Policy::new(ISS, Vec::new());
    assert_eq!(
        verify(&rs256(&claims()), &jwks, &none, NOW),
        Err(JwtError::WrongAudience)
    );
}

#[test]
fn subject_is_required() {
    let jwks = set(&[rsa()]);
    for sub in [json!(null), json!("")] {
        let token = rs256(&with(json!({ "sub": sub })));
        assert_eq!(check(&token, &jwks), Err(JwtError::MissingSubject), "{sub}");
    }
    let token = rs256(&with(json!({ "sub": 42 })));
    assert_eq!(check(&token, &jwks), Err(JwtError::Malformed));
}

#[test]
fn unsigned_tokens_are_refused() {
    let jwks = set(&[rsa()]);
    for alg in ["none", "None", "NONE"] {
        let token = raw(&json!({ "alg": alg, "typ": "JWT" }), &claims(), b"");
        assert!(looks_like_jwt(&token), "{alg}");
        assert_eq!(
            check(&token, &jwks),
            Err(JwtError::AlgorithmNotAllowed(alg.to_owned()))
        );
    }
}

#[test]
fn hmac_tokens_are_refused_before_any_key_lookup() {
    let jwks = set(&[rsa()]);
    let hs256 = |secret: &[u8], kid: &str| {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(kid.to_owned());
        jsonwebtoken::encode(&header, &claims(), &EncodingKey::from_secret(secret)).unwrap()
    };
    let refused = Err(JwtError::AlgorithmNotAllowed("HS256".into()));
    assert_eq!(check(&hs256(b"shared secret", "rsa"), &jwks), refused);
    assert_eq!(check(&hs256(b"shared secret", "nobody"), &jwks), refused);
    // The confusion attack: HMAC keyed with the RSA public key the verifier
    // holds. Refused by name, whatever the key material.
    let pem = rsa().public_pem.as_deref().unwrap();
    assert_eq!(check(&hs256(pem.as_bytes(), "rsa"), &jwks), refused);
    let n = rsa().jwk["n"].as_str().unwrap();
    assert_eq!(check(&hs256(n.as_bytes(), "rsa"), &jwks), refused);
    for alg in [Algorithm::HS384, Algorithm::HS512] {
        let token = jsonwebtoken::encode(
            &Header::new(alg),
            &claims(),
            &EncodingKey::from_secret(pem.as_bytes()),
        )
        .unwrap();
        assert_eq!(
            check(&token, &jwks),
            Err(JwtError::AlgorithmNotAllowed(format!("{alg:?}")))
        );
    }
    // Even with a symmetric key published in the set (it is skipped).
    let with_oct = Jwks::parse(
        json!({ "keys": [rsa().jwk, { "kty": "oct", "kid": "oct", "k": b64(b"shared secret") }] })
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(check(&hs256(b"shared secret", "oct"), &with_oct), refused);
}

#[test]
fn key_type_must_fit_the_algorithm() {
    let ec = p256_key("ec");
    let jwks = set(&[rsa(), &ec]);
    // Header says RS256 but names the EC key.
    let token = sign(rsa(), Algorithm::RS256, Some("ec"), &claims());
    assert_eq!(check(&token, &jwks), Err(JwtError::KeyMismatch));
    let token = sign(&ec, Algorithm::ES256, Some("rsa"), &claims());
    assert_eq!(check(&token, &jwks), Err(JwtError::KeyMismatch));
    // A P-256 key cannot check ES384.
    let p384 = p384_key("ec");
    let token = sign(&p384, Algorithm::ES384, Some("ec"), &claims());
    assert_eq!(check(&token, &jwks), Err(JwtError::KeyMismatch));
    // A JWK that pins its alg accepts no other algorithm of its type.
    let mut pinned = rsa().jwk.clone();
    pinned["alg"] = json!("RS256");
    let jwks = Jwks::parse(json!({ "keys": [pinned] }).to_string().as_bytes()).unwrap();
    assert_eq!(check(&rs256(&claims()), &jwks), Ok(principal()));
    let token = sign(rsa(), Algorithm::PS256, Some("rsa"), &claims());
    assert_eq!(check(&token, &jwks), Err(JwtError::KeyMismatch));
}

#[test]
fn keys_are_found_by_kid() {
    let ec = p256_key("ec");
    let token = sign(rsa(), Algorithm::RS256, Some("rotated-away"), &claims());
    assert_eq!(
        check(&token, &set(&[rsa(), &ec])),
        Err(JwtError::UnknownKey)
    );
    assert_eq!(key_id(&token), Ok(Some("rotated-away".to_owned())));
    // Without a kid, the single key that fits the algorithm is used.
    let token = sign(rsa(), Algorithm::RS256, None, &claims());
    assert_eq!(key_id(&token), Ok(None));
    assert_eq!(check(&token, &set(&[rsa(), &ec])), Ok(principal()));
    let second_rsa = {
        let mut jwk = other_rsa().jwk.clone();
        jwk["kid"] = json!("rsa-2");
        Jwks::parse(json!({ "keys": [rsa().jwk, jwk] }).to_string().as_bytes()).unwrap()
    };
    assert_eq!(check(&token, &second_rsa), Err(JwtError::UnknownKey));
}

#[test]
fn signatures_are_checked() {
    let jwks = set(&[rsa()]);
    // Another key under the same kid.
    let forged = sign(other_rsa(), Algorithm::RS256, Some("rsa"), &claims());
    assert_eq!(check(&forged, &jwks), Err(JwtError::BadSignature));
    // A valid signature over different claims.
    let good = rs256(&claims());
    let evil = rs256(&with(json!({ "sub": "admin" })));
    let [h, _, s] = segments(&good).unwrap();
    let [_, p, _] = segments(&evil).unwrap();
    assert_eq!(
        check(&format!("{h}.{p}.{s}"), &jwks),
        Err(JwtError::BadSignature)
    );
    // Truncated, empty and garbage signatures.
    let mut short = URL_SAFE_NO_PAD.decode(s).unwrap();
    short.truncate(short.len() - 3);
    assert_eq!(
        check(&format!("{h}.{p}.{}", b64(&short)), &jwks),
        Err(JwtError::BadSignature)
    );
    assert_eq!(
        check(&good[..good.len() - 1], &jwks),
        Err(JwtError::Malformed)
    );
    assert_eq!(
        check(&format!("{h}.{p}."), &jwks),
        Err(JwtError::BadSignature)
    );
    assert!(check(&format!("{h}.{p}.AAAA"), &jwks).is_err());
    // ES256 with a signature of the wrong length.
    let ec = p256_key("ec");
    let jwks = set(&[&ec]);
    let token = sign(&ec, Algorithm::ES256, Some("ec"), &claims());
    let [h, p, s] = segments(&token).unwrap();
    assert_eq!(
        check(&format!("{h}.{p}.{}", &s[..s.len() - 2]), &jwks),
        Err(JwtError::BadSignature)
    );
}

#[test]
fn malformed_tokens() {
    let jwks = set(&[rsa()]);
    let good = rs256(&claims());
    let [h, p, s] = segments(&good).unwrap();
    let cases = [
        String::new(),
        ".".into(),
        "..".into(),
        "a.b".into(),
        format!("{h}.{p}"),
        format!("{h}.{p}.{s}.{s}"),
        format!("{h}..{s}"),
        format!(".{p}.{s}"),
        "!!!.@@@.###".into(),
        format!("{h}=.{p}.{s}"),
        format!("{h} .{p}.{s}"),
        format!("{}.{p}.{s}", b64(b"not json")),
        format!("{}.{p}.{s}", b64(b"{\"typ\":\"JWT\"}")),
        format!("{}.{p}.{s}", b64(b"{\"alg\":256}")),
        format!("{}.{p}.{s}", b64(b"[\"RS256\"]")),
        "sk-live-0123456789".into(),
    ];
    for token in &cases {
        assert!(!looks_like_jwt(token), "{token}");
        assert_eq!(check(token, &jwks), Err(JwtError::Malformed), "{token}");
        assert_eq!(key_id(token), Err(JwtError::Malformed), "{token}");
    }
    // A payload that is not JSON, behind a valid header and signature shape.
    let token = format!("{h}.{}.{s}", b64(b"not json"));
    assert!(looks_like_jwt(&token));
    assert!(check(&token, &jwks).is_err());
    // Huge: the right shape, refused on length before any decoding.
    let huge = format!("{h}.{}.{s}", "A".repeat(MAX_TOKEN_BYTES));
    assert!(looks_like_jwt(&huge));
    assert_eq!(check(&huge, &jwks), Err(JwtError::Malformed));
}

#[test]
fn header_members_that_change_the_rules() {
    let jwks = set(&[rsa()]);
    // RFC 7515 §4.1.11: a critical extension we do not implement.
    let token = raw(
        &json!({ "alg": "RS256", "kid": "rsa", "crit": ["exp"], "exp": 1 }),
        &claims(),
        b"sig",
    );
    assert!(looks_like_jwt(&token));
    assert_eq!(check(&token, &jwks), Err(JwtError::Malformed));
    // A kid that is not a string.
    let token = raw(&json!({ "alg": "RS256", "kid": 7 }), &claims(), b"sig");
    assert!(looks_like_jwt(&token));
    assert_eq!(key_id(&token), Err(JwtError::Malformed));
    assert_eq!(check(&token, &jwks), Err(JwtError::Malformed));
    // An embedded key (jwk) or key URL (jku) is never used: the kid decides.
    let attacker = other_rsa();
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("rsa".into());
    header.jku = Some("https://evil.example/jwks".into());
    header.jwk = serde_json::from_value(attacker.jwk.clone()).ok();
    let token = jsonwebtoken::encode(&header, &claims(), &attacker.encoding).unwrap();
    assert_eq!(check(&token, &jwks), Err(JwtError::BadSignature));
}

#[test]
fn looks_like_jwt_separates_jwts_from_opaque_tokens() {
    assert!(looks_like_jwt(&rs256(&claims())));
    for opaque in [
        "sk-live-abc.def",
        "gho_16C7e42F292c6912E7710c838347Ae178B4a",
        "ya29.a0AfH6SMBx.c2lnbmF0dXJl",
        "a.b.c",
        // JWE compact serialization: five segments.
        "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d",
    ] {
        assert!(!looks_like_jwt(opaque), "{opaque}");
    }
}

#[test]
fn errors_never_contain_the_token() {
    let jwks = set(&[rsa()]);
    let good = rs256(&claims());
    let [h, p, s] = segments(&good).unwrap();
    let odd_alg = "<script>alert(1)</script>";
    let tokens = [
        good[..good.len() - 3].to_owned(),
        rs256(&with(json!({ "iss": "secret-issuer" }))),
        rs256(&with(json!({ "aud": "secret-aud" }))),
        raw(&json!({ "alg": odd_alg }), &claims(), b"x"),
        raw(&json!({ "alg": "A".repeat(64) }), &claims(), b"x"),
        format!("{h}.{p}.{s}x"),
    ];
    for token in &tokens {
        let err = check(token, &jwks).unwrap_err();
        let text = format!("{err} {err:?}");
        for needle in segments(token).unwrap().iter().filter(|s| s.len() > 3) {
            assert!(!text.contains(needle), "{text}");
        }
        for needle in ["secret-issuer", "secret-aud", "script", "AAAAAAAA"] {
            assert!(!text.contains(needle), "{text}");
        }
    }
    assert_eq!(
        check(&tokens[3], &jwks),
        Err(JwtError::AlgorithmNotAllowed("unrecognized".into()))
    );
}

/// Tokens signed outside this code base (Python `cryptography`), one per
/// algorithm family, with the public keys: the verdicts do not rest on
/// jsonwebtoken agreeing with itself, and the wasm32 test below proves each
/// algorithm runs there.
pub(super) mod fixture {
    pub const JWKS: &str = r#"{"keys": [
        {"kty":"RSA","kid":"fx-rsa","use":"sig","n":"z8uG-ZgfaPmNqwR2cf7tV87SnmBVTdGDN_Uic-JycaUkj2Ouf3F6GYViWm-9ApxOfbhmuGC1kanZuBgVnKgruDMn2F-EE7jyAI-67jG6bF7BvnJ5WAnT4v9RWE7D0MYps_B6gTSxBMigABTZdQGj4sMWqysJ2XZ4A5jHnZGU6s-lf-NDCpl-h-J08OEvSlXUbglu5bRuBBOHW55ddrTz9lmh6Y54D_ygrrp507DmODrtRNj_UEgW0eCQoR4CObwA3pS9HmdwlyqqwCTaBkZ4YSQ8G5xkXK_cNVWSe4EqhysIZFG0xa7fZn3ingl_fQv0NpABtreTRokVnQyx3ZmYDQ","e":"AQAB"},
        {"kty":"EC","kid":"fx-p256","alg":"ES256","crv":"P-256","x":"s_TTVEh_DgL2W4kV8x2xLLAeUObiwQebR0SxbzvCm_o","y":"6XtOoPLAcHfGIb6kEB8B5D1fOus1trw4R8gKpDHw2b8"},
        {"kty":"EC","kid":"fx-p384","crv":"P-384","x":"z8OttlWaZhujf4wVdV9qSto0xNuMGMqBhctRTvtlkvtQK_a628hW472HYSmHxDTr","y":"-mcEti1tOdQF57YXEFkTq0cq1GbZlM9afzbAcU6-gU6wM5isg935WxP9py9uBi6a"},
        {"kty":"OKP","kid":"fx-ed","crv":"Ed25519","x":"IliTYH_9S5z5C6vtHQnt6Kgwm-4ZGDUSPS2-JRqgD0Q"}
    ]}"#;
    pub const TOKENS: [(&str, &str); 5] = [
        (
            "RS256",
            "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZ4LXJzYSJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiw\
         ic3ViIjoiZml4dHVyZS11c2VyIiwiYXVkIjpbImh0dHBzOi8vbWNwLmV4YW1wbGUuY29tL21jcCIsIm90aGV\
         yIl0sIm5iZiI6MTg5OTk5OTAwMCwiZXhwIjoxOTAwMDAxMDAwfQ.eJSl_neCO_inuWT6WfliJcItdehGiz_d\
         T7z-8MsCjcQr3hfc5aIIDh45e4042RoSeO8sg9aAnQBsyl3CMjn5fhS12Qg53f5OXLq5T-WJMcPeXo67R7So\
         MH75G0cZFPI-0iIZtRkljpMgYWTrvlGSevpoYEH1NFdXmSiBzoU1hMVEbpgHXugypYcWs620ciVFUWD8WfE5\
         _Q--dY9DqmC0xNz1jThYFNhHnaMCtGRvNBqTy2DL1V5z0C4LxZYKYvAmOn48VMVzfVZPOBOau9eNvU1fx9Mb\
         ViR7FiN5OFXkWeSYdQsE_7tRocTkY65vrOPI17asmBZz-teDcULmmxCfmg",
        ),
        (
            "PS256",
            "eyJhbGciOiJQUzI1NiIsImtpZCI6ImZ4LXJzYSJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiw\
         ic3ViIjoiZml4dHVyZS11c2VyIiwiYXVkIjpbImh0dHBzOi8vbWNwLmV4YW1wbGUuY29tL21jcCIsIm90aGV\
         yIl0sIm5iZiI6MTg5OTk5OTAwMCwiZXhwIjoxOTAwMDAxMDAwfQ.FXTKop1ph6FTehsRd11bHSPcXZoWBG0t\
         K6OXmKBy3VfkRAVNbY6zM4YxNc9krGnQLYYvBLLZQNzotEwSsff_4C8SqFrBbwkkbtfDnCovtXq-7rT_A0LG\
         mLG7UCpVVYl_toWN_8Vfe2gQOujQrTibbap5CQsrgEWh3XWdTUurl96NLHGcVnzRa6C_j2SAWCbl5o9lKthP\
         m0U5lIXN8xIrI9oH6RwfLd05wynlOhYhNRoMMgtMZj_JK3FhmLjOctew3g0FDNtek67SiS_4ukPmNJyEbZf3\
         Z-7luTGDL7Fk7h_XrKFJPI--P_F2o146HYx8IUdW6U5vKAJq8hBHP_jBbw",
        ),
        (
            "ES256",
            "eyJhbGciOiJFUzI1NiIsImtpZCI6ImZ4LXAyNTYifQ.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlI\
         iwic3ViIjoiZml4dHVyZS11c2VyIiwiYXVkIjpbImh0dHBzOi8vbWNwLmV4YW1wbGUuY29tL21jcCIsIm90a\
         GVyIl0sIm5iZiI6MTg5OTk5OTAwMCwiZXhwIjoxOTAwMDAxMDAwfQ.lcxNU_y9SuOmKaikK4kGAU8DtYOHB7\
         JeyQyj0Ay-m5eIci96cV7ndhNMgCYEvmoFFRt8j7cuBGZW4bHLhUXPvQ",
        ),
        (
            "ES384",
            "eyJhbGciOiJFUzM4NCIsImtpZCI6ImZ4LXAzODQifQ.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlI\
         iwic3ViIjoiZml4dHVyZS11c2VyIiwiYXVkIjpbImh0dHBzOi8vbWNwLmV4YW1wbGUuY29tL21jcCIsIm90a\
         GVyIl0sIm5iZiI6MTg5OTk5OTAwMCwiZXhwIjoxOTAwMDAxMDAwfQ.j4fvnI0h4Gvy6tw2TGN-Bf8DHo7W2C\
         m1s1vTM-o9VMgBo7m-0sfKxaHy8QjJmlDLzj91N3WHLm2bfon9t3iFUlco_F4NG2Emm5kDv8bx1vhQzldAKG\
         91UwFbRjnDz1Q7",
        ),
        (
            "EdDSA",
            "eyJhbGciOiJFZERTQSIsImtpZCI6ImZ4LWVkIn0.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwi\
         c3ViIjoiZml4dHVyZS11c2VyIiwiYXVkIjpbImh0dHBzOi8vbWNwLmV4YW1wbGUuY29tL21jcCIsIm90aGVy\
         Il0sIm5iZiI6MTg5OTk5OTAwMCwiZXhwIjoxOTAwMDAxMDAwfQ.lx2RWiCXUSYMtx2hMm8TpWM6gW5o-H1Kb\
         8_wpOcPRBydimpnZQ78jebTpXH20wSUDeRLparZceQc8WkdARcBCg",
        ),
    ];
    pub const ISS: &str = "https://issuer.example";
    pub const AUD: &str = "https://mcp.example.com/mcp";
    pub const SUB: &str = "fixture-user";
    /// Within the tokens' `nbf`..`exp` window (1899999000..1900001000).
    pub const NOW: u64 = 1_900_000_000;
    pub const LATER: u64 = 1_900_001_000;
}

#[test]
fn externally_signed_fixture() {
    let jwks = Jwks::parse(fixture::JWKS.as_bytes()).unwrap();
    assert_eq!(jwks.len(), 4);
    let policy = Policy::new(fixture::ISS, vec![fixture::AUD.to_owned()]);
    let expected = Verified {
        issuer: fixture::ISS.to_owned(),
        subject: fixture::SUB.to_owned(),
    };
    for (alg, token) in fixture::TOKENS {
        assert_eq!(
            verify(token, &jwks, &policy, fixture::NOW),
            Ok(expected.clone()),
            "{alg}"
        );
        let late = fixture::LATER + policy.leeway_secs;
        assert_eq!(
            verify(token, &jwks, &policy, late),
            Err(JwtError::Expired),
            "{alg}"
        );
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    //! The same verdicts inside wasm32 (wasm-bindgen-test under Node): every
    //! algorithm family runs there, with no system clock involved.
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::super::*;
    use super::fixture;

    #[wasm_bindgen_test]
    fn fixture_verifies_on_wasm32() {
        let jwks = Jwks::parse(fixture::JWKS.as_bytes()).unwrap();
        let policy = Policy::new(fixture::ISS, vec![fixture::AUD.to_owned()]);
        for (alg, token) in fixture::TOKENS {
            let verified = verify(token, &jwks, &policy, fixture::NOW);
            assert_eq!(
                verified.map(|v| v.subject).as_deref(),
                Ok(fixture::SUB),
                "{alg}"
            );
            let late = fixture::LATER + policy.leeway_secs;
            assert_eq!(verify(token, &jwks, &policy, late), Err(JwtError::Expired));
            // Flip one signature character (to another canonical one).
            let (body, sig) = token.rsplit_once('.').unwrap();
            let first = if sig.starts_with('A') { "B" } else { "A" };
            let tampered = format!("{body}.{first}{}", &sig[1..]);
            assert_eq!(
                verify(&tampered, &jwks, &policy, fixture::NOW),
                Err(JwtError::BadSignature),
                "{alg}"
            );
        }
        let none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
        assert_eq!(
            verify(none, &jwks, &policy, fixture::NOW),
            Err(JwtError::AlgorithmNotAllowed("none".into()))
        );
    }
}
