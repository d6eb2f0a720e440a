//! Whole exchanges through the app, on the host, with the in-memory platform.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use sequentum_mcp::edge::http::{HttpRequest, Method};
use serde_json::json;
use support::{delete_mcp, json, post_mcp, FakePlatform, INITIALIZE};

const TTL: u64 = 60_000;

#[test]
fn health_reports_version_and_transport() {
    let p = FakePlatform::new(TTL);
    let reply = p.send(HttpRequest::new(Method::Get, "/health"));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(
        json(&reply),
        json!({"status":"ok","version":env!("CARGO_PKG_VERSION"),"transport":"streamable-http"})
    );
    let head = p.send(HttpRequest::new(Method::Head, "/health"));
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn unknown_paths_and_wrong_methods() {
    let p = FakePlatform::new(TTL);
    let reply = p.send(HttpRequest::new(Method::Get, "/nope"));
    assert_eq!(reply.status, 404);
    assert_eq!(json(&reply)["error"], "not_found");

    let reply = p.send(HttpRequest::new(Method::Get, "/mcp"));
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), Some("POST, DELETE"));
    let reply = p.send(HttpRequest::new(Method::Delete, "/health"));
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), Some("GET, HEAD"));
    assert_eq!(
        p.calls.get(),
        0,
        "no Durable Object call for rejected requests"
    );
}

#[test]
fn initialize_ping_terminate_then_404() {
    let p = FakePlatform::new(TTL);
    let reply = p.send(post_mcp(INITIALIZE));
    assert_eq!(reply.status, 200);
    let body = json(&reply);
    assert_eq!(body["id"], 1);
    assert_eq!(body["result"]["protocolVersion"], "2025-11-25");
    assert_eq!(body["result"]["serverInfo"]["name"], "sequentum-mcp");
    let sid = reply
        .header("mcp-session-id")
        .expect("session id")
        .to_owned();
    assert_eq!(sid.len(), 64);
    assert_eq!(p.objects.borrow().len(), 1);

    let with_sid = |body: &str| post_mcp(body).with_header("Mcp-Session-Id", &sid);
    let reply = p.send(with_sid(
        r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
    ));
    assert_eq!((reply.status, reply.body.len()), (202, 0));
    assert!(p.objects.borrow().values().all(|(r, _)| r.initialized));

    // Past the touch interval (a tenth of the TTL), a ping is written.
    p.advance(TTL / 10);
    let reply = p.send(with_sid(r#"{"jsonrpc":"2.0","id":"p","method":"ping"}"#));
    assert_eq!(reply.status, 200);
    assert_eq!(json(&reply), json!({"jsonrpc":"2.0","id":"p","result":{}}));
    // The ping touched the record and pushed the alarm out.
    let (record, alarm) = p.objects.borrow().values().next().cloned().unwrap();
    assert_eq!(record.last_seen_ms, p.now.get());
    assert_eq!(alarm, p.now.get() + TTL);

    let reply = p.send(delete_mcp(&sid));
    assert_eq!(reply.status, 204);
    assert!(p.objects.borrow().is_empty());

    let reply = p.send(with_sid(r#"{"jsonrpc":"2.0","id":2,"method":"ping"}"#));
    assert_eq!(reply.status, 404);
    let reply = p.send(delete_mcp(&sid));
    assert_eq!(reply.status, 404);
}

#[test]
fn idle_sessions_expire_by_alarm_and_busy_ones_do_not() {
    let p = FakePlatform::new(TTL);
    let idle = p.open_session(post_mcp(INITIALIZE));
    let busy = p.open_session(post_mcp(INITIALIZE));
    assert_ne!(idle, busy);

    p.advance(TTL / 2);
    let ping = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;
    assert_eq!(
        p.send(post_mcp(ping).with_header("mcp-session-id", &busy))
            .status,
        200
    );
    p.advance(TTL / 2);
    p.run_alarms();

    assert_eq!(
        p.send(post_mcp(ping).with_header("mcp-session-id", &idle))
            .status,
        404
    );
    assert_eq!(
        p.send(post_mcp(ping).with_header("mcp-session-id", &busy))
            .status,
        200
    );
}

#[test]
fn an_expired_session_is_unknown_even_before_its_alarm_runs() {
    let p = FakePlatform::new(TTL);
    let sid = p.open_session(post_mcp(INITIALIZE));
    p.advance(TTL);
    let ping = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;
    assert_eq!(
        p.send(post_mcp(ping).with_header("mcp-session-id", &sid))
            .status,
        404
    );
    assert!(p.objects.borrow().is_empty(), "the stale record was erased");
}

#[test]
fn sessionless_requests_are_served_statelessly() {
    let p = FakePlatform::new(TTL);
    let reply = p.send(post_mcp(r#"{"jsonrpc":"2.0","id":5,"method":"ping"}"#));
    assert_eq!(json(&reply), json!({"jsonrpc":"2.0","id":5,"result":{}}));
    let reply = p.send(post_mcp(r#"{"jsonrpc":"2.0","id":6,"method":"no/such"}"#));
    assert_eq!(json(&reply)["error"]["code"], -32601);
    assert_eq!(
        p.calls.get(),
        0,
        "stateless requests skip the Durable Object"
    );
}

#[test]
fn malformed_ids_and_bodies_are_refused_without_storage_calls() {
    let p = FakePlatform::new(TTL);
    let reply = p.send(
        post_mcp(r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
            .with_header("mcp-session-id", "../x"),
    );
    assert_eq!(reply.status, 404);
    let reply = p.send(post_mcp("{oops"));
    assert_eq!(
        (reply.status, json(&reply)["error"]["code"].clone()),
        (400, json!(-32700))
    );
    let reply = p.send(post_mcp(r#"{"jsonrpc":"2.0","id":1}"#));
    assert_eq!(
        (reply.status, json(&reply)["error"]["code"].clone()),
        (400, json!(-32600))
    );
    let reply = p.send(
        HttpRequest::new(Method::Delete, "/mcp")
            .with_header("authorization", &format!("Bearer {}", support::TOKEN)),
    );
    assert_eq!(reply.status, 400);
    assert_eq!(p.calls.get(), 0);
}

#[test]
fn storage_failure_is_a_503_without_details() {
    let p = FakePlatform::new(TTL);
    p.fail_sessions.set(true);
    let reply = p.send(post_mcp(INITIALIZE));
    assert_eq!(reply.status, 503);
    assert!(!String::from_utf8_lossy(&reply.body).contains("injected"));
}
