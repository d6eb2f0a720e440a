//! Reads configuration variables out of the Worker's `env` object.

use wasm_bindgen::JsValue;

use crate::config::{Config, ConfigError};

/// One variable as a string. `[vars]` may hold strings, numbers or booleans
/// (wrangler passes TOML values through as JSON); secrets are always strings.
pub fn lookup(env: &JsValue, name: &str) -> Option<String> {
    let value = js_sys::Reflect::get(env, &JsValue::from_str(name)).ok()?;
    if let Some(s) = value.as_string() {
        Some(s)
    } else if let Some(n) = value.as_f64() {
        // Whole numbers print without a fraction, so "3600" parses as u32.
        Some(if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            n.to_string()
        })
    } else {
        value.as_bool().map(|b| b.to_string())
    }
}

/// The typed configuration, read once per request.
pub fn config(env: &worker::Env) -> Result<Config, ConfigError> {
    let env: &JsValue = env.as_ref();
    Config::from_lookup(|name| lookup(env, name))
}
