//! Streamable HTTP status codes for POST /mcp, on the host.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use sequentum_mcp::edge::http::{HttpRequest, Method};
use serde_json::json;
use support::{json, post_mcp, FakePlatform, INITIALIZE};

const PING: &str = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;

fn raw(content_type: Option<&str>, accept: Option<&str>, body: &[u8]) -> HttpRequest {
    let mut req = HttpRequest::new(Method::Post, "/mcp")
        .with_header("authorization", &format!("Bearer {}", support::TOKEN))
        .with_body(body.to_vec());
    if let Some(ct) = content_type {
        req = req.with_header("content-type", ct);
    }
    if let Some(a) = accept {
        req = req.with_header("accept", a);
    }
    req
}

#[test]
fn content_type_must_be_json() {
    let p = FakePlatform::new(60_000);
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let reply = p.send(raw(ct, Some("application/json"), PING.as_bytes()));
        assert_eq!(reply.status, 415, "{ct:?}");
        assert_eq!(json(&reply)["error"]["code"], -32000);
    }
    let reply = p.send(raw(
        Some("application/json; charset=utf-8"),
        None,
        PING.as_bytes(),
    ));
    assert_eq!(reply.status, 200);
}

#[test]
fn accept_must_allow_json_or_sse() {
    let p = FakePlatform::new(60_000);
    let reply = p.send(raw(
        Some("application/json"),
        Some("text/html"),
        PING.as_bytes(),
    ));
    assert_eq!(reply.status, 406);
    assert_eq!(json(&reply)["error"]["code"], -32000);
}

#[test]
fn sse_only_clients_get_one_sse_event() {
    let p = FakePlatform::new(60_000);
    let reply = p.send(raw(
        Some("application/json"),
        Some("text/event-stream"),
        PING.as_bytes(),
    ));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("text/event-stream"));
    let text = String::from_utf8(reply.body).unwrap();
    let data = text
        .strip_prefix("event: message\ndata: ")
        .and_then(|t| t.strip_suffix("\n\n"))
        .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(data).unwrap(),
        json!({"jsonrpc":"2.0","id":1,"result":{}})
    );
    // initialize too, with the session header beside the stream.
    let reply = p.send(raw(
        Some("application/json"),
        Some("text/event-stream"),
        INITIALIZE.as_bytes(),
    ));
    assert_eq!(reply.header("content-type"), Some("text/event-stream"));
    assert!(reply.header("mcp-session-id").is_some());
}

#[test]
fn oversize_bodies_are_413() {
    let p = FakePlatform::new(60_000);
    let mut big = br#"{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":""#.to_vec();
    big.extend(std::iter::repeat_n(b'x', 1024 * 1024));
    big.extend(br#""}}"#);
    assert_eq!(
        p.send(post_mcp(std::str::from_utf8(&big).unwrap())).status,
        413
    );
    let mut flagged = post_mcp(PING);
    flagged.body_oversized = true;
    assert_eq!(p.send(flagged).status, 413);
}

#[test]
fn parse_errors_and_invalid_requests() {
    let p = FakePlatform::new(60_000);
    let reply = p.send(post_mcp("{"));
    assert_eq!(
        (reply.status, json(&reply)["error"]["code"].clone()),
        (400, json!(-32700))
    );
    let reply = p.send(post_mcp(r#"{"jsonrpc":"2.0","id":1,"method":7}"#));
    assert_eq!(
        (reply.status, json(&reply)["error"]["code"].clone()),
        (400, json!(-32600))
    );
    assert_eq!(json(&reply)["id"], 1);
    let reply = p.send(post_mcp("[]"));
    assert_eq!(
        (reply.status, json(&reply)["error"]["code"].clone()),
        (400, json!(-32600))
    );
}

/// Batches exist in 2025-03-26 only: served when that is the version in
/// force (the header, or its absence, statelessly; the negotiated version in
/// a session), refused as a whole otherwise.
#[test]
fn batches_only_under_2025_03_26() {
    let p = FakePlatform::new(60_000);
    let batch = format!(
        r#"[{PING},{{"jsonrpc":"2.0","method":"notifications/cancelled","params":{{"requestId":9}}}},{{"jsonrpc":"2.0","id":"b","method":"nope"}},{{"jsonrpc":"2.0","id":3,"method":"initialize","params":{{}}}},5]"#
    );
    // Stateless without MCP-Protocol-Version: a 2025-03-26 client.
    let reply = p.send(post_mcp(&batch));
    assert_eq!(reply.status, 200);
    let codes: Vec<_> = json(&reply)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].clone(), r["error"]["code"].clone()))
        .collect();
    assert_eq!(
        codes,
        [
            (json!(1), json!(null)),
            (json!("b"), json!(-32601)),
            (json!(3), json!(-32600)),
            (json!(null), json!(-32600)),
        ]
    );
    // Only notifications: nothing to answer.
    let notes =
        r#"[{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}]"#;
    assert_eq!(p.send(post_mcp(notes)).status, 202);
    // A later version refuses the body as a whole.
    let reply = p.send(post_mcp(&batch).with_header("mcp-protocol-version", "2025-06-18"));
    assert_eq!(reply.status, 400);
    assert!(json(&reply)["error"]["message"]
        .as_str()
        .unwrap()
        .contains("2025-06-18"));
    // In sessions the negotiated version decides, header or not.
    for (version, status) in [("2025-03-26", 200), ("2025-11-25", 400)] {
        let init = INITIALIZE.replace("2025-11-25", version);
        let id = p.open_session(post_mcp(&init));
        let reply = p.send(post_mcp(&format!("[{PING}]")).with_header("mcp-session-id", &id));
        assert_eq!(reply.status, status, "{version}");
        if status == 200 {
            assert_eq!(json(&reply), json!([{"jsonrpc":"2.0","id":1,"result":{}}]));
        } else {
            assert_eq!(json(&reply)["error"]["code"], -32600);
        }
    }
    // initialize itself can never be batched, session or not.
    let reply = p.send(post_mcp(&format!("[{INITIALIZE}]")));
    assert_eq!(json(&reply)[0]["error"]["code"], -32600);
    assert!(reply.header("mcp-session-id").is_none());
}

#[test]
fn unknown_methods_and_notifications() {
    let p = FakePlatform::new(60_000);
    let reply = p.send(post_mcp(
        r#"{"jsonrpc":"2.0","id":1,"method":"tools/frobnicate"}"#,
    ));
    assert_eq!(
        (reply.status, json(&reply)["error"]["code"].clone()),
        (200, json!(-32601))
    );
    let reply = p.send(post_mcp(
        r#"{"jsonrpc":"2.0","method":"notifications/whatever"}"#,
    ));
    assert_eq!((reply.status, reply.body.len()), (202, 0));
    let reply = p.send(post_mcp(r#"{"jsonrpc":"2.0","id":9,"result":{}}"#));
    assert_eq!((reply.status, reply.body.len()), (202, 0));
}

#[test]
fn protocol_version_header_is_validated_after_initialize() {
    let p = FakePlatform::new(60_000);
    // initialize itself negotiates; the header is not checked there.
    let reply = p.send(post_mcp(INITIALIZE).with_header("mcp-protocol-version", "1999-01-01"));
    assert_eq!(reply.status, 200);
    let sid = reply.header("mcp-session-id").unwrap().to_owned();
    let with = |v: Option<&str>| {
        let req = post_mcp(PING).with_header("mcp-session-id", &sid);
        match v {
            Some(v) => req.with_header("mcp-protocol-version", v),
            None => req,
        }
    };
    assert_eq!(p.send(with(Some("2025-11-25"))).status, 200);
    assert_eq!(p.send(with(None)).status, 200, "missing means 2025-03-26");
    let reply = p.send(with(Some("2031-01-01")));
    assert_eq!(
        (reply.status, json(&reply)["error"]["code"].clone()),
        (400, json!(-32600))
    );
    // Stateless requests are checked the same way.
    assert_eq!(
        p.send(post_mcp(PING).with_header("mcp-protocol-version", "nope"))
            .status,
        400
    );
}

#[test]
fn session_methods_round_trip_through_the_object() {
    let p = FakePlatform::new(60_000);
    let reply = p.send(post_mcp(INITIALIZE));
    let caps = json(&reply)["result"]["capabilities"].clone();
    assert_eq!(caps["logging"], json!({}));
    assert_eq!(caps["tools"]["listChanged"], false);
    let sid = reply.header("mcp-session-id").unwrap().to_owned();
    let send = |body: &str| p.send(post_mcp(body).with_header("mcp-session-id", &sid));
    let reply =
        send(r#"{"jsonrpc":"2.0","id":2,"method":"logging/setLevel","params":{"level":"error"}}"#);
    assert_eq!(json(&reply)["result"], json!({}));
    let level = p.objects.borrow().values().next().unwrap().0.log_level;
    assert_eq!(level, Some(sequentum_mcp::session::record::LogLevel::Error));
    let reply = send(r#"{"jsonrpc":"2.0","id":3,"method":"tools/list","params":{"cursor":"zzz"}}"#);
    assert_eq!(json(&reply)["error"]["code"], -32602);
    let reply = send(r#"{"jsonrpc":"2.0","id":4,"method":"prompts/list"}"#);
    let prompts = json(&reply)["result"]["prompts"].clone();
    assert_eq!(prompts.as_array().map(Vec::len), Some(11));
    assert_eq!(prompts[0]["name"], "debug-agent");
}
