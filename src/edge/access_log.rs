//! One structured log line per request. With `DEBUG=1` the line also carries
//! the request headers and body, with every credential redacted: header
//! values of `Authorization`, `Cookie`, `X-API-Key` and friends, JSON members
//! whose names say token/secret/password/key (and the free-text `prompt` and
//! `comments` a user may paste secrets into), and any string that looks like
//! a credential wherever it appears.

use serde_json::{json, Map, Value};

use super::http::{HttpRequest, Reply};

pub const REDACTED: &str = "[REDACTED]";

/// What the app learned while serving a request, for the log line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trace {
    /// The JSON-RPC method (the first one, for a batch).
    pub rpc_method: Option<String>,
    /// The tool of a single `tools/call` (a name from a fixed alphabet).
    pub tool: Option<String>,
    /// The first 8 characters of the session id: enough to follow a session
    /// through the log, not enough to use it.
    pub session: Option<String>,
    /// `jwt`, `key`, `tok` or `anon`.
    pub principal: Option<String>,
}

impl Trace {
    pub fn session_id(&mut self, id: &str) {
        self.session = Some(id.chars().take(8).collect());
    }
}

const SECRET_HEADERS: [&str; 6] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "mcp-session-id",
];

/// The log line.
pub fn line(req: &HttpRequest, reply: &Reply, ms: u64, trace: &Trace, debug: bool) -> String {
    let mut entry = json!({
        // A client-chosen method name is cut short: it is free text.
        "method": req.method.as_str().chars().take(16).collect::<String>(),
        "path": req.path,
        "status": reply.status,
        "ms": ms,
    });
    let fields = [
        ("rpc", &trace.rpc_method),
        ("tool", &trace.tool),
        ("session", &trace.session),
        ("principal", &trace.principal),
    ];
    for (key, value) in fields {
        if let Some(v) = value {
            entry[key] = Value::String(v.clone());
        }
    }
    if debug {
        entry["headers"] = Value::Object(redact_headers(&req.headers));
        if !req.body.is_empty() {
            entry["body"] = redact_body(&req.body);
        }
    }
    entry.to_string()
}

pub fn redact_headers(headers: &[(String, String)]) -> Map<String, Value> {
    headers
        .iter()
        .map(|(name, value)| {
            let shown = if SECRET_HEADERS.contains(&name.as_str()) || looks_secret(value) {
                REDACTED.to_owned()
            } else {
                value.clone()
            };
            (name.clone(), Value::String(shown))
        })
        .collect()
}

/// A JSON body with secrets replaced; a non-JSON body is only measured.
pub fn redact_body(body: &[u8]) -> Value {
    match serde_json::from_slice::<Value>(body) {
        Ok(mut value) => {
            redact_value(&mut value);
            value
        }
        Err(_) => Value::String(format!("<{} bytes, not JSON>", body.len())),
    }
}

fn redact_value(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if is_secret_key(key) {
                    *v = Value::String(REDACTED.to_owned());
                } else {
                    redact_value(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_value),
        Value::String(s) if looks_secret(s) => *s = REDACTED.to_owned(),
        _ => {}
    }
}

/// Member names that hold credentials or free text a user may paste them into.
fn is_secret_key(key: &str) -> bool {
    let k: String = key
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    [
        "token",
        "secret",
        "password",
        "passwd",
        "apikey",
        "authorization",
        "cookie",
        "credential",
    ]
    .iter()
    .any(|needle| k.contains(needle))
        || matches!(
            k.as_str(),
            "key" | "prompt" | "comments" | "inputparameters" | "code" | "codeverifier"
        )
}

/// Strings that are credentials whatever member they sit in: API keys,
/// `Bearer …`/`ApiKey …` header values, and JWTs.
fn looks_secret(s: &str) -> bool {
    let t = s.trim();
    t.starts_with("sk-")
        || t.get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("bearer "))
        || t.get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("apikey "))
        || (t.starts_with("eyJ") && t.matches('.').count() == 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edge::http::Method;

    const SECRETS: [&str; 6] = [
        "sk-live-0123456789",
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl",
        "opaque-token-abc",
        "session-cookie-value",
        "hunter2-password",
        "my-client-secret",
    ];

    fn request() -> HttpRequest {
        let body = json!({
            "jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {
                "name": "start_agent",
                "arguments": {
                    "agentId": 5,
                    "apiKey": SECRETS[0],
                    "nested": [{"access_token": SECRETS[2]}, {"note": SECRETS[1]}],
                    "password": SECRETS[4],
                    "clientSecret": SECRETS[5],
                    "prompt": "use key sk-live-0123456789 please",
                }
            }
        });
        HttpRequest::new(Method::Post, "/mcp")
            .with_header("authorization", &format!("Bearer {}", SECRETS[2]))
            .with_header("x-api-key", SECRETS[0])
            .with_header("cookie", &format!("sid={}", SECRETS[3]))
            .with_header("x-custom", &format!("Bearer {}", SECRETS[1]))
            .with_header("user-agent", "test-agent/1")
            .with_body(body.to_string())
    }

    #[test]
    fn no_secret_reaches_the_debug_line() {
        let mut trace = Trace {
            rpc_method: Some("tools/call".into()),
            principal: Some("key".into()),
            ..Trace::default()
        };
        trace.session_id("0123456789abcdef");
        let line = line(&request(), &Reply::empty(200), 12, &trace, true);
        for secret in SECRETS {
            assert!(!line.contains(secret), "{secret} leaked: {line}");
        }
        let parsed: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(parsed["headers"]["user-agent"], "test-agent/1");
        assert_eq!(parsed["body"]["params"]["arguments"]["agentId"], 5);
        assert_eq!(parsed["body"]["params"]["name"], "start_agent");
        assert_eq!(parsed["session"], "01234567");
        assert_eq!(parsed["rpc"], "tools/call");
    }

    #[test]
    fn the_plain_line_has_no_headers_or_body() {
        let line = line(&request(), &Reply::empty(401), 3, &Trace::default(), false);
        let parsed: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            parsed,
            json!({"method": "POST", "path": "/mcp", "status": 401, "ms": 3})
        );
    }

    #[test]
    fn non_json_bodies_are_only_measured() {
        assert_eq!(
            redact_body(b"token=sk-abc"),
            Value::String("<12 bytes, not JSON>".into())
        );
    }
}
