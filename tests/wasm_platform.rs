//! The Cloudflare adapters that only exist in wasm, run under Node with
//! wasm-bindgen-test (`cargo test --target wasm32-unknown-unknown`).
#![cfg(target_arch = "wasm32")]
// clippy does not see #[wasm_bindgen_test] functions as tests.
#![allow(clippy::unwrap_used)]

use js_sys::{Object, Reflect};
use sequentum_mcp::config::Config;
use sequentum_mcp::platform::cloudflare::{env, system};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn env_object(entries: &[(&str, JsValue)]) -> JsValue {
    let obj = Object::new();
    for (k, v) in entries {
        Reflect::set(&obj, &JsValue::from_str(k), v).unwrap();
    }
    obj.into()
}

#[wasm_bindgen_test]
fn env_lookup_reads_strings_numbers_and_booleans() {
    let env = env_object(&[
        (
            "SEQUENTUM_API_URL",
            JsValue::from_str("http://127.0.0.1:9999"),
        ),
        ("SESSION_TTL_SECONDS", JsValue::from_f64(120.0)),
        ("REQUIRE_AUTH", JsValue::from_bool(false)),
        ("A_BINDING", Object::new().into()),
    ]);
    assert_eq!(
        env::lookup(&env, "SEQUENTUM_API_URL").as_deref(),
        Some("http://127.0.0.1:9999")
    );
    assert_eq!(
        env::lookup(&env, "SESSION_TTL_SECONDS").as_deref(),
        Some("120")
    );
    assert_eq!(env::lookup(&env, "REQUIRE_AUTH").as_deref(), Some("false"));
    assert_eq!(env::lookup(&env, "A_BINDING"), None);
    assert_eq!(env::lookup(&env, "MISSING"), None);

    let config = Config::from_lookup(|name| env::lookup(&env, name)).unwrap();
    assert_eq!(config.session_ttl_seconds, 120);
    assert!(!config.require_auth);
    assert_eq!(config.sequentum_api_url, "http://127.0.0.1:9999");
}

#[wasm_bindgen_test]
fn random_ids_come_from_the_platform_csprng() {
    let a = system::random_id_bytes().unwrap();
    let b = system::random_id_bytes().unwrap();
    assert_ne!(a, b);
    assert_ne!(a, [0u8; 32]);
}

#[wasm_bindgen_test]
fn clock_reads_epoch_milliseconds() {
    let now = system::now_ms();
    // Later than 2025-01-01 and earlier than 2100-01-01.
    assert!(now > 1_735_689_600_000 && now < 4_102_444_800_000, "{now}");
}
