//! Verdicts on real signatures. Keys are generated here, per test run; only
//! their public halves are ever written down (as JWKs).

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{EncodingKey, Header};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::EncodePrivateKey;
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::rand_core::OsRng;
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

/// Signs with jsonwebtoken's RustCrypto signers, reached through our
/// provider, which must be installed before jsonwebtoken's first use.
fn encode(header: &Header, claims: &Value, key: &EncodingKey) -> String {
    assert!(crypto::install(), "our CryptoProvider is not the default");
    jsonwebtoken::encode(header, claims, key).unwrap()
}

fn sign(key: &TestKey, alg: Algorithm, kid: Option<&str>, claims: &Value) -> String {
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    encode(&header, claims, &key.encoding)
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
    let ec = p256_key("ec");
    let jwks = set(&[rsa(), &ec]);
    for alg in ALLOWED_ALGORITHMS {
        let (key, kid) = match alg {
            Algorithm::ES256 => (&ec, "ec"),
            _ => (rsa(), "rsa"),
        };
        let token = sign(key, alg, Some(kid), &claims());
        assert_eq!(check(&token, &jwks), Ok(principal()), "{alg:?}");
    }
}

#[test]
fn other_algorithms_are_refused_by_name() {
    let jwks = set(&[rsa()]);
    for alg in [
        "ES384", "ES512", "EdDSA", "Ed25519", "RS1", "rs256", "RSA-OAEP", "",
    ] {
        let token = raw(&json!({ "alg": alg, "kid": "rsa" }), &claims(), b"sig");
        assert_eq!(
            check(&token, &jwks),
            Err(JwtError::AlgorithmNotAllowed(alg.to_owned())),
            "{alg}"
        );
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
        encode(&header, &claims(), &EncodingKey::from_secret(secret))
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
        let token = encode(
            &Header::new(alg),
            &claims(),
            &EncodingKey::from_secret(pem.as_bytes()),
        );
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
    let token = encode(&header, &claims(), &attacker.encoding);
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

/// Tokens signed outside this code base (Python `cryptography`) with their
/// public keys: the verdicts do not rest on jsonwebtoken agreeing with itself,
/// and the wasm32 test below runs the same checks there. The P-384 and Ed25519
/// keys are skipped and their tokens refused by name.
pub(super) mod fixture {
    pub const JWKS: &str = r#"{"keys": [
        {"kty":"RSA","kid":"fx-rsa","use":"sig","n":"wI80ekBDIoIUbjjeE3Zj73xuKzAlQ6swXb03EOK8fhNVLl20HepKwASrtwQOEBSOkpC6roWxB9Vyga2QOCQUxVRaCTnuB1pYJev-nmVxLN8sudylYnoLtGMTHtFJjhadrXy8nUYxt5b0qORFWls9mArvVYBJeyqZqpzd9bz3VTwn58KBoyNzgXuD2lLV7S6c6IJmue8kSIC58ThKRKFZrvHqxaWOIT6No426xnhOyArBbO4CFJuVKHf0x2DHnxaL0zkNbOU7tBcdTbtulSbkdduDyu1CVH8kCkJCDwcbVRX7GBCxqGOND-g-2hEAciYnvmsG2LEyc1lX4zO8CeHRNQ","e":"AQAB"},
        {"kty":"EC","kid":"fx-p256","alg":"ES256","crv":"P-256","x":"TMni8N3HGgFkTtT9My9OBamco0g24azBLP9goqkmKsI","y":"Cr1grnHsbaMM2PaAm0H9MhmCVbEWGiq77EKJLE4gr_o"},
        {"kty":"EC","kid":"fx-p384","crv":"P-384","x":"LweFgpftDQ34Dp1HcHO6oIvfLTAhl6qQHZdXJz3mhbF1-Sw-rgMHhGpEU83H7tft","y":"AYDKBXr8dmH9rvJD0zga39IEPVN4X2f8RoB8Ts9cGNmrC3VVaxEq8wAC_J8WS2Hp"},
        {"kty":"OKP","kid":"fx-ed","crv":"Ed25519","x":"ecUtMjGErFV49JuSvIgVNfEbK3Yq-eTyzrrr9u0pmfs"}
    ]}"#;
    pub const TOKENS: [(&str, &str); 7] = [
        (
            "RS256",
            "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZ4LXJzYSJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiw\
         ic3ViIjoiZml4dHVyZS11c2VyIiwiYXVkIjpbImh0dHBzOi8vbWNwLmV4YW1wbGUuY29tL21jcCIsIm90aGV\
         yIl0sIm5iZiI6MTg5OTk5OTAwMCwiZXhwIjoxOTAwMDAxMDAwfQ.PoOHdPhdrtbOMVgYz0dj9zoMoT7FOJTZ\
         KmRmpgrbN7KKKfQyP5rUT5dgFvZe-p6Bjd_l3KBhJu_o45ho5nL8Ez-Ie_u-qHKZMZzzZZfbSlCnNpBr8KVE\
         ewXfGDG641yzRiOh4WqpveoxzFMxxvBWaJU01RiFMVhB9CJnKj87cbCtdSOs-uaTq9dEGzOM3hH646YcqLmO\
         r3NZayscHwKw9ydCmZiy0kOI21Cm4xDGzs0aCRq55LNxKcDnYTmWPWsUD8b1eIq16MTw7kUKQS320o-bzinv\
         ADZm94fs8JlviGJlQ3BTGgis2k1z0nFKr2dZ8DzT33_CvJOaiDMvOhRu1g",
        ),
        (
            "RS512",
            "eyJhbGciOiJSUzUxMiIsImtpZCI6ImZ4LXJzYSJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiw\
         ic3ViIjoiZml4dHVyZS11c2VyIiwiYXVkIjpbImh0dHBzOi8vbWNwLmV4YW1wbGUuY29tL21jcCIsIm90aGV\
         yIl0sIm5iZiI6MTg5OTk5OTAwMCwiZXhwIjoxOTAwMDAxMDAwfQ.Qem085n-p_TAD5mGvjnnk_Y6kGUVfHTn\
         lM04R251l_PjHb5KZ3lyZ0lyMkxKv9t8e4aLYQmCBS6bUDOjuI7M-riweLCGQS328Q8vKRiVXWK995XVfplj\
         een7XBHcz53Ww5mQSIJDakD720Sdt5SOJmU0sChfoqYKlDEP8Xb8XTkBUcspozlgAfUKP-Df6pdmSFuHZxuL\
         YASdMl2zTlkTjMooJtrosgTAR1dp3lXq1cmNcywBgiV_yL3t133WF2xo_kJGnttZFH03NHs4QbKXzTLG0kSc\
         xrttvLKxSbx6L62i1cRMZEadKUfkFtzJuxv7r9GPxssxRgUB20-U9usfeQ",
        ),
        (
            "PS256",
            "eyJhbGciOiJQUzI1NiIsImtpZCI6ImZ4LXJzYSJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiw\
         ic3ViIjoiZml4dHVyZS11c2VyIiwiYXVkIjpbImh0dHBzOi8vbWNwLmV4YW1wbGUuY29tL21jcCIsIm90aGV\
         yIl0sIm5iZiI6MTg5OTk5OTAwMCwiZXhwIjoxOTAwMDAxMDAwfQ.F4bB9CM9ETANKhvxaoi9sD6Hwk8IdJyc\
         C1niu71-hwpizyBT9Mu7h-Cl_ZWizBMrcemUdd3e8bCIY9dSOjBClSOYw_AvKqiWf6OusePJ9j34AFAbWGvN\
         hpQwAo3fSVnobkNsst6F7QiXhqB9Qf_b0qCnNBco_FRefqJ0MbD9obtBVW7dAj8c0SfKN1optN6whfIovs2x\
         wWM4bVV2Wr4BOD7qi7e36bTeekQ52ovsWFbjHNR4ZDaMwDRv-vo6gjDJ6OBpeEAE3GvC98kLAZKjoWxuYXnF\
         fQMKMoqY7FnM_TT_mXSfWZAXmQNARqT0tWBwCXGEbQ1RFlKkF_-SE-d9Zg",
        ),
        (
            "PS384",
            "eyJhbGciOiJQUzM4NCIsImtpZCI6ImZ4LXJzYSJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiw\
         ic3ViIjoiZml4dHVyZS11c2VyIiwiYXVkIjpbImh0dHBzOi8vbWNwLmV4YW1wbGUuY29tL21jcCIsIm90aGV\
         yIl0sIm5iZiI6MTg5OTk5OTAwMCwiZXhwIjoxOTAwMDAxMDAwfQ.kYo9FioKCw5MEI_wSf96t-HOf2QeF1Tz\
         3Z9_n5X6zL7JLxlma6J0g9qgmdAUxhniZQVD99PnwMsIjISgwkTxCoVAA_7I3jAaefwFS6GzNXSEfslcb1D8\
         Ln4rv-dCLbv96PyHZq1MgHx6Ejfwb9VD685wcjhQCvazbE00omoGnXZVGK3Dl9xCUWsB_QEzwrBfGdkqyuVG\
         TffcFmxgPI0s3sGLKdKGZT6vRkp1tqlcRap0jfFLxVkjcMONo40FDu4Rh2jVfhwEkgE2moi4m7aiRRjzh34q\
         k9Bq5-LAGDbq03L7cCrYJ2ViqPu2ZNbEc7jLTaPUCiN5I8e2mW3HHO3RWw",
        ),
        (
            "ES256",
            "eyJhbGciOiJFUzI1NiIsImtpZCI6ImZ4LXAyNTYifQ.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlI\
         iwic3ViIjoiZml4dHVyZS11c2VyIiwiYXVkIjpbImh0dHBzOi8vbWNwLmV4YW1wbGUuY29tL21jcCIsIm90a\
         GVyIl0sIm5iZiI6MTg5OTk5OTAwMCwiZXhwIjoxOTAwMDAxMDAwfQ.DGTT2zNimOHF03OHm2e1F9tvGJCJme\
         nFcRvJWIoidlXQilrv-NJ6vlnVGz-0p3RRDj9zgol8rffKSdBHcOqxMw",
        ),
        (
            "ES384",
            "eyJhbGciOiJFUzM4NCIsImtpZCI6ImZ4LXAzODQifQ.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlI\
         iwic3ViIjoiZml4dHVyZS11c2VyIiwiYXVkIjpbImh0dHBzOi8vbWNwLmV4YW1wbGUuY29tL21jcCIsIm90a\
         GVyIl0sIm5iZiI6MTg5OTk5OTAwMCwiZXhwIjoxOTAwMDAxMDAwfQ.Z4NsdjU2gqntrybbZCZ6cH2p4LNdQE\
         IPD6Hki66cVj6HTldNfzKEMrkeWWaPleSWq7rCXK7uaQhwxkDSZGZU22-dUVJHMD7GeU4kthDSZRYTS0b6yv\
         56TgoS6HATqD-D",
        ),
        (
            "EdDSA",
            "eyJhbGciOiJFZERTQSIsImtpZCI6ImZ4LWVkIn0.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwi\
         c3ViIjoiZml4dHVyZS11c2VyIiwiYXVkIjpbImh0dHBzOi8vbWNwLmV4YW1wbGUuY29tL21jcCIsIm90aGVy\
         Il0sIm5iZiI6MTg5OTk5OTAwMCwiZXhwIjoxOTAwMDAxMDAwfQ.Fh_j2arYISpUIQ8OVEShDkwQ5NWxgdsNo\
         NiCe_vwekKFCZbUkrQrQSoHNonyN3BF2F9M_m4_-ye6IdN-kYZ2DA",
        ),
    ];
    /// The algorithms of TOKENS we verify.
    pub const ACCEPTED: [&str; 5] = ["RS256", "RS512", "PS256", "PS384", "ES256"];
    pub const ISS: &str = "https://issuer.example";
    pub const AUD: &str = "https://mcp.example.com/mcp";
    pub const SUB: &str = "fixture-user";
    /// Within the tokens' `nbf`..`exp` window (1899999000..1900001000).
    pub const NOW: u64 = 1_900_000_000;
    pub const LATER: u64 = 1_900_001_000;

    use super::super::*;

    /// The checks both the host and the wasm32 test make.
    pub fn check_all() {
        let jwks = Jwks::parse(JWKS.as_bytes()).unwrap();
        assert_eq!(jwks.len(), 2);
        let policy = Policy::new(ISS, vec![AUD.to_owned()]);
        for (alg, token) in TOKENS {
            if !ACCEPTED.contains(&alg) {
                let refused = Err(JwtError::AlgorithmNotAllowed(alg.to_owned()));
                assert_eq!(verify(token, &jwks, &policy, NOW), refused);
                continue;
            }
            let verified = verify(token, &jwks, &policy, NOW);
            assert_eq!(verified.map(|v| v.subject).as_deref(), Ok(SUB), "{alg}");
            let late = LATER + policy.leeway_secs;
            assert_eq!(verify(token, &jwks, &policy, late), Err(JwtError::Expired));
            // Flip the first signature character (to another base64url one).
            let (body, sig) = token.rsplit_once('.').unwrap();
            let first = if sig.starts_with('A') { "B" } else { "A" };
            let tampered = format!("{body}.{first}{}", &sig[1..]);
            let verdict = verify(&tampered, &jwks, &policy, NOW);
            assert_eq!(verdict, Err(JwtError::BadSignature), "{alg}");
        }
        let none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
        let refused = Err(JwtError::AlgorithmNotAllowed("none".into()));
        assert_eq!(verify(none, &jwks, &policy, NOW), refused);
    }
}

#[test]
fn externally_signed_fixture() {
    fixture::check_all();
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    //! The fixture's verdicts inside wasm32 (wasm-bindgen-test under Node):
    //! the verifiers run there, with no system clock involved.
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn fixture_verifies_on_wasm32() {
        super::fixture::check_all();
    }
}
