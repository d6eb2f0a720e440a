//! Bearer JWTs through the whole app: verified against a JWKS served by the
//! in-memory platform, bound to `(iss, sub)`, refused with `invalid_token`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)] // test helpers

mod support;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::EncodePrivateKey;
use rsa::rand_core::OsRng;
use sequentum_mcp::edge::http::HttpRequest;
use serde_json::{json, Value};
use support::{json, post_mcp, with_credential, FakePlatform, INITIALIZE};

const ISS: &str = "https://dashboard.sequentum.com";
const JWKS_URL: &str = "https://dashboard.sequentum.com/.well-known/jwks.json";
const PING: &str = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;

struct Key {
    kid: &'static str,
    encoding: EncodingKey,
    jwk: Value,
}

fn key(kid: &'static str) -> Key {
    let secret = p256::SecretKey::random(&mut OsRng);
    let point = secret.public_key().to_encoded_point(false);
    let b64 = |b: &[u8]| URL_SAFE_NO_PAD.encode(b);
    Key {
        kid,
        encoding: EncodingKey::from_ec_der(secret.to_pkcs8_der().unwrap().as_bytes()),
        jwk: json!({"kty": "EC", "crv": "P-256", "kid": kid, "use": "sig",
                    "x": b64(point.x().unwrap()), "y": b64(point.y().unwrap())}),
    }
}

fn jwks(keys: &[&Key]) -> Vec<u8> {
    let keys: Vec<&Value> = keys.iter().map(|k| &k.jwk).collect();
    json!({ "keys": keys }).to_string().into_bytes()
}

fn token(key: &Key, p: &FakePlatform, patch: Value) -> String {
    let now = p.now.get() / 1000;
    let mut claims = json!({
        "iss": ISS, "sub": "user-1", "aud": "http://localhost/mcp",
        "iat": now, "exp": now + 600,
    });
    for (k, v) in patch.as_object().unwrap() {
        claims[k] = v.clone();
    }
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some(key.kid.to_owned());
    jsonwebtoken::encode(&header, &claims, &key.encoding).unwrap()
}

fn with_token(req: HttpRequest, token: &str) -> HttpRequest {
    with_credential(req, "authorization", &format!("Bearer {token}"))
}

fn platform(keys: &[&Key]) -> FakePlatform {
    let p = FakePlatform::new(60_000);
    p.configure(|c| c.jwt_jwks_url = Some(JWKS_URL.into()));
    *p.web.borrow_mut() = Some(jwks(keys));
    p
}

#[test]
fn a_verified_user_keeps_the_session_across_token_refreshes() {
    let k = key("k1");
    let p = platform(&[&k]);
    let first = token(&k, &p, json!({}));
    let reply = p.send(with_token(post_mcp(INITIALIZE), &first));
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(p.last_trace.borrow().principal.as_deref(), Some("jwt"));
    let sid = reply.header("mcp-session-id").unwrap().to_owned();
    assert_eq!(*p.gets.borrow(), [JWKS_URL], "one fetch, then cached");

    p.advance(1_000);
    let refreshed = token(&k, &p, json!({"jti": "second"}));
    assert_ne!(first, refreshed);
    let ping = post_mcp(PING).with_header("mcp-session-id", &sid);
    assert_eq!(p.send(with_token(ping.clone(), &refreshed)).status, 200);
    assert_eq!(p.gets.borrow().len(), 1);

    let someone_else = token(&k, &p, json!({"sub": "user-2"}));
    assert_eq!(p.send(with_token(ping, &someone_else)).status, 404);
}

#[test]
fn refused_tokens_get_invalid_token_and_say_why() {
    let k = key("k1");
    let p = platform(&[&k]);
    let now = p.now.get() / 1000;
    for (patch, why) in [
        (json!({"exp": now - 3_600}), "token has expired"),
        (
            json!({"aud": "https://elsewhere.example/mcp"}),
            "token is not meant for this server",
        ),
        (
            json!({"iss": "https://evil.example"}),
            "token was issued by another issuer",
        ),
    ] {
        let reply = p.send(with_token(post_mcp(PING), &token(&k, &p, patch)));
        assert_eq!(reply.status, 401, "{why}");
        let challenge = reply.header("www-authenticate").unwrap();
        assert!(
            challenge.starts_with(&format!(
                "Bearer error=\"invalid_token\", error_description=\"{why}\""
            )),
            "{challenge}"
        );
        assert_eq!(json(&reply)["error"]["code"], -32001);
    }
    // Signed by a key the issuer never published.
    let stranger = key("k1");
    let reply = p.send(with_token(post_mcp(PING), &token(&stranger, &p, json!({}))));
    assert_eq!(reply.status, 401);
}

#[test]
fn audiences_follow_public_url_or_configuration() {
    let k = key("k1");
    let p = platform(&[&k]);
    p.configure(|c| c.public_url = Some("https://mcp.sequentum.com".into()));
    let for_us = token(
        &k,
        &p,
        json!({"aud": ["x", "https://mcp.sequentum.com/mcp"]}),
    );
    assert_eq!(p.send(with_token(post_mcp(PING), &for_us)).status, 200);
    let local = token(&k, &p, json!({}));
    assert_eq!(p.send(with_token(post_mcp(PING), &local)).status, 401);
    p.configure(|c| c.jwt_audience = Some(vec!["sequentum-mcp".into()]));
    let named = token(&k, &p, json!({"aud": "sequentum-mcp"}));
    assert_eq!(p.send(with_token(post_mcp(PING), &named)).status, 200);
}

#[test]
fn a_rotated_key_is_fetched_once_on_its_unknown_kid() {
    let (old, new) = (key("old"), key("new"));
    let p = platform(&[&old]);
    assert_eq!(
        p.send(with_token(post_mcp(PING), &token(&old, &p, json!({}))))
            .status,
        200
    );
    *p.web.borrow_mut() = Some(jwks(&[&old, &new]));
    assert_eq!(
        p.send(with_token(post_mcp(PING), &token(&new, &p, json!({}))))
            .status,
        200
    );
    assert_eq!(p.gets.borrow().len(), 2);
    // A flood of unknown kids does not hammer the JWKS endpoint: at most one
    // forced refetch per cooldown (the one for "new" just happened).
    let unknown = key("nobody");
    let flood = |p: &FakePlatform| {
        for _ in 0..5 {
            let reply = p.send(with_token(post_mcp(PING), &token(&unknown, p, json!({}))));
            assert_eq!(reply.status, 401);
        }
    };
    flood(&p);
    assert_eq!(p.gets.borrow().len(), 2);
    p.advance(61_000);
    flood(&p);
    assert_eq!(p.gets.borrow().len(), 3);
}

#[test]
fn an_unreachable_jwks_is_503_not_401_and_opaque_tokens_still_pass() {
    let k = key("k1");
    let p = platform(&[&k]);
    *p.web.borrow_mut() = None;
    let reply = p.send(with_token(post_mcp(PING), &token(&k, &p, json!({}))));
    assert_eq!(reply.status, 503);
    assert!(reply.header("retry-after").is_some());
    // Tokens that are not JWTs are opaque even with a JWKS configured.
    assert_eq!(
        p.send(with_token(post_mcp(PING), "opaque-token")).status,
        200
    );
    assert_eq!(p.last_trace.borrow().principal.as_deref(), Some("tok"));
    // The endpoint comes back; after the retry pause the token verifies.
    *p.web.borrow_mut() = Some(jwks(&[&k]));
    p.advance(11_000);
    assert_eq!(
        p.send(with_token(post_mcp(PING), &token(&k, &p, json!({}))))
            .status,
        200
    );
}
