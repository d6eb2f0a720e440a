//! The edge on the host: discovery documents, the 401 challenge, credentials,
//! session binding, CORS and the rate limit, through the whole app.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use sequentum_mcp::edge::http::{HttpRequest, Method};
use sequentum_mcp::session::id::SessionId;
use serde_json::json;
use support::{
    delete_mcp, json, post_mcp, with_credential, without_credentials, FakePlatform, INITIALIZE,
    TOKEN,
};

const TTL: u64 = 60_000;
const PING: &str = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;
const PRM_URL: &str = "https://mcp.example/.well-known/oauth-protected-resource/mcp";

fn unauthenticated(body: &str) -> HttpRequest {
    without_credentials(post_mcp(body)).with_base_url("https://mcp.example")
}

fn get(path: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, path).with_base_url("https://mcp.example")
}

#[test]
fn discovery_documents_name_this_origin_and_the_authorization_server() {
    let p = FakePlatform::new(TTL);
    let prm = json(&p.send(get("/.well-known/oauth-protected-resource/mcp")));
    assert_eq!(prm["resource"], "https://mcp.example/mcp");
    assert_eq!(
        prm["authorization_servers"],
        json!(["https://dashboard.sequentum.com"])
    );
    assert_eq!(prm["bearer_methods_supported"], json!(["header"]));
    let root = json(&p.send(get("/.well-known/oauth-protected-resource")));
    assert_eq!(root["resource"], "https://mcp.example");
    let asm = json(&p.send(get("/.well-known/oauth-authorization-server")));
    assert_eq!(asm["issuer"], "https://dashboard.sequentum.com");
    assert_eq!(asm["code_challenge_methods_supported"], json!(["S256"]));
    // PUBLIC_URL wins over the request's origin.
    p.configure(|c| c.public_url = Some("https://mcp.sequentum.com".into()));
    let prm = json(&p.send(get("/.well-known/oauth-protected-resource/mcp")));
    assert_eq!(prm["resource"], "https://mcp.sequentum.com/mcp");
}

#[test]
fn no_credentials_get_the_challenge_that_leads_to_the_metadata() {
    let p = FakePlatform::new(TTL);
    let reply = p.send(unauthenticated(INITIALIZE));
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.header("www-authenticate"),
        Some(
            format!(
                "Bearer resource_metadata=\"{PRM_URL}\", \
                 scope=\"agents:read runs:read spaces:read agents:write offline_access\""
            )
            .as_str()
        )
    );
    let body = json(&reply);
    assert_eq!(body["error"]["code"], -32001);
    assert!(body["error"]["message"].as_str().unwrap().contains(PRM_URL));
    assert_eq!(body["error"]["data"]["protectedResourceMetadata"], PRM_URL);
    assert_eq!(p.calls.get(), 0, "no session work before authentication");
    // DELETE is authenticated too.
    let del = without_credentials(delete_mcp(&"a".repeat(64)));
    assert_eq!(p.send(del).status, 401);
}

#[test]
fn malformed_credentials_are_invalid_tokens() {
    let p = FakePlatform::new(TTL);
    let req = unauthenticated(PING).with_header("authorization", "Bearer a\"b");
    let reply = p.send(req);
    assert_eq!(reply.status, 401);
    let challenge = reply.header("www-authenticate").unwrap();
    assert!(
        challenge.starts_with("Bearer error=\"invalid_token\""),
        "{challenge}"
    );
    assert!(!challenge.contains("a\"b"));
    let reply = p.send(unauthenticated(PING).with_header("x-api-key", "not-a-key"));
    assert_eq!(reply.status, 401);
}

#[test]
fn require_auth_false_serves_without_credentials() {
    let p = FakePlatform::new(TTL);
    p.configure(|c| c.require_auth = false);
    let reply = p.send(unauthenticated(INITIALIZE));
    assert_eq!(reply.status, 200);
    assert_eq!(p.last_trace.borrow().principal.as_deref(), Some("anon"));
}

#[test]
fn api_keys_and_tokens_become_principals_and_sessions_are_bound_to_them() {
    let p = FakePlatform::new(TTL);
    let with_key = |req| with_credential(req, "x-api-key", "sk-owner-key");
    let sid = p.open_session(with_key(post_mcp(INITIALIZE)));
    assert_eq!(p.last_trace.borrow().principal.as_deref(), Some("key"));
    let stored = p.objects.borrow()[&SessionId::parse(&sid).unwrap()]
        .0
        .principal
        .clone();
    assert_eq!(stored.kind(), "key");
    assert!(
        !stored.as_str().contains("owner"),
        "the key itself is never stored"
    );

    // The same key as a bearer credential is the same principal.
    let same = post_mcp(PING)
        .with_header("mcp-session-id", &sid)
        .with_header("mcp-protocol-version", "2025-11-25");
    let same = with_credential(same, "authorization", "Bearer sk-owner-key");
    assert_eq!(p.send(same).status, 200);

    // Anyone else: the session does not exist, and cannot be ended.
    let hijack = post_mcp(PING).with_header("mcp-session-id", &sid);
    assert_eq!(p.send(hijack).status, 404);
    assert_eq!(p.send(delete_mcp(&sid)).status, 404);
    let owner = with_key(post_mcp(PING).with_header("mcp-session-id", &sid));
    assert_eq!(p.send(owner).status, 200, "still alive for its owner");
}

fn from_origin(req: HttpRequest, origin: &str) -> HttpRequest {
    req.with_header("origin", origin)
}

#[test]
fn cors_allows_listed_origins_and_refuses_others_on_mcp() {
    let p = FakePlatform::new(TTL);
    let ok = p.send(from_origin(post_mcp(PING), "https://claude.ai"));
    assert_eq!(ok.status, 200);
    assert_eq!(
        ok.header("access-control-allow-origin"),
        Some("https://claude.ai")
    );
    assert!(ok
        .header("access-control-expose-headers")
        .unwrap()
        .contains("Mcp-Session-Id"));
    assert_eq!(ok.header("vary"), Some("Origin"));

    let denied = p.send(from_origin(post_mcp(PING), "https://claude.ai.evil.com"));
    assert_eq!(denied.status, 403);
    assert_eq!(json(&denied)["error"]["code"], -32000);
    assert_eq!(denied.header("access-control-allow-origin"), None);
    assert_eq!(denied.header("vary"), Some("Origin"));

    // Not /mcp: served, but without the browser's permission to read it.
    let health = p.send(from_origin(get("/health"), "https://evil.example"));
    assert_eq!(health.status, 200);
    assert_eq!(health.header("access-control-allow-origin"), None);
    assert_eq!(health.header("vary"), Some("Origin"));

    // No Origin: a native client.
    let native = p.send(post_mcp(PING));
    assert_eq!(native.status, 200);
    assert_eq!(native.header("vary"), Some("Origin"));
}

#[test]
fn preflights_answer_204_and_only_allowed_origins_get_permissions() {
    let p = FakePlatform::new(TTL);
    let preflight = |origin: &str| {
        HttpRequest::new(Method::Options, "/mcp")
            .with_header("origin", origin)
            .with_header("access-control-request-method", "POST")
    };
    let ok = p.send(preflight("https://team.claude.ai"));
    assert_eq!(ok.status, 204);
    assert!(ok.body.is_empty());
    assert_eq!(
        ok.header("access-control-allow-origin"),
        Some("https://team.claude.ai")
    );
    assert_eq!(
        ok.header("access-control-allow-methods"),
        Some("GET, POST, DELETE, OPTIONS")
    );
    let allowed_headers = ok.header("access-control-allow-headers").unwrap();
    for h in [
        "Authorization",
        "Content-Type",
        "Accept",
        "Mcp-Session-Id",
        "MCP-Protocol-Version",
        "Last-Event-ID",
        "Mcp-Method",
        "Mcp-Name",
    ] {
        assert!(allowed_headers.contains(h), "{h}");
    }
    assert!(ok.header("access-control-max-age").is_some());
    let denied = p.send(preflight("http://localhost:6274"));
    assert_eq!(denied.status, 204);
    assert_eq!(denied.header("access-control-allow-origin"), None);
    assert_eq!(denied.header("access-control-allow-methods"), None);
    // DEBUG=1 admits local tools such as the MCP Inspector.
    p.configure(|c| c.debug = true);
    let local = p.send(preflight("http://localhost:6274"));
    assert_eq!(
        local.header("access-control-allow-origin"),
        Some("http://localhost:6274")
    );
}

#[test]
fn the_rate_limit_is_per_principal_and_spares_health_and_discovery() {
    let p = FakePlatform::new(TTL);
    p.configure(|c| c.rate_limit_per_minute = 3);
    for remaining in ["2", "1", "0"] {
        let reply = p.send(post_mcp(PING));
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("ratelimit-remaining"), Some(remaining));
    }
    let limited = p.send(post_mcp(PING));
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("retry-after"), Some("60"));
    assert_eq!(json(&limited)["error"]["code"], -32029);
    // Someone else is not affected; neither are health and discovery.
    let other = with_credential(post_mcp(PING), "x-api-key", "sk-other");
    assert_eq!(p.send(other).status, 200);
    assert_eq!(p.send(get("/health")).status, 200);
    assert_eq!(
        p.send(get("/.well-known/oauth-protected-resource/mcp"))
            .status,
        200
    );
    // The window ends.
    p.advance(60_000);
    assert_eq!(p.send(post_mcp(PING)).status, 200);
    // A broken limiter does not take the service down.
    p.fail_rate_limiter.set(true);
    for _ in 0..5 {
        assert_eq!(p.send(post_mcp(PING)).status, 200);
    }
}

#[test]
fn the_trace_names_method_session_and_principal_kind() {
    let p = FakePlatform::new(TTL);
    let sid = p.open_session(post_mcp(INITIALIZE));
    let trace = p.last_trace.borrow().clone();
    assert_eq!(trace.rpc_method.as_deref(), Some("initialize"));
    assert_eq!(trace.session.as_deref(), Some(&sid[..8]));
    assert_eq!(trace.principal.as_deref(), Some("tok"));
    assert!(!format!("{trace:?}").contains(TOKEN));
}
