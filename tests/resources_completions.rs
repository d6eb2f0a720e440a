//! Resources and completions through the whole app: the lists, reads and
//! completions on the session and the stateless paths, and every way they
//! fail.

mod support;

use sequentum_mcp::sequentum::fake;
use serde_json::json;
use support::*;

#[test]
fn lists_declare_every_resource_and_template() {
    let p = FakePlatform::new(60_000);
    let list = rpc(&p, None, "resources/list", json!({}));
    let resources = list["result"]["resources"].as_array().expect("resources");
    assert_eq!(resources.len(), 7);
    assert_eq!(
        resources[0],
        json!({
            "uri": "sequentum://agents", "name": "Agent List", "title": "Agents",
            "description": resources[0]["description"], "mimeType": "application/json"
        })
    );
    let templates = rpc(&p, None, "resources/templates/list", json!({}));
    let templates = templates["result"]["resourceTemplates"]
        .as_array()
        .expect("templates");
    assert_eq!(templates.len(), 11);
    assert_eq!(
        templates[7]["uriTemplate"],
        "sequentum://agents/{agentId}/runs/{runId}"
    );
    assert_eq!(templates[7]["name"], "Run Status");
    assert_eq!(templates[7]["mimeType"], "application/json");
}

#[test]
fn a_read_works_in_a_session_and_statelessly_with_the_callers_credential() {
    let p = FakePlatform::new(60_000);
    let session = p.open_session(post_mcp(INITIALIZE));
    for session in [Some(session.as_str()), None] {
        p.upstream.push(Ok(fake::json(
            200,
            &json!([{"runId": 5001, "status": "Completed"}]),
        )));
        let out = rpc(
            &p,
            session,
            "resources/read",
            json!({"uri": "sequentum://agents/101/runs"}),
        );
        assert_eq!(
            out["result"],
            json!({"contents": [{
                "uri": "sequentum://agents/101/runs",
                "mimeType": "application/json",
                "text": r#"[{"runId":5001,"status":"Completed"}]"#,
            }]}),
            "{session:?}"
        );
        let call = p.upstream.calls().pop().expect("one upstream call");
        assert!(call.url.ends_with("/api/v1/agent/101/runs"), "{}", call.url);
        assert_eq!(call.authorization, format!("Bearer {TOKEN}"));
    }
    assert_eq!(p.upstream.calls().len(), 2);
}

#[test]
fn unknown_uris_are_32002_and_never_reach_the_api() {
    let p = FakePlatform::new(60_000);
    for uri in [
        "sequentum://agents/0",
        "sequentum://agents/42/",
        "sequentum://agents/1%2F..%2Fadmin",
        "file:///etc/passwd",
    ] {
        let out = rpc(&p, None, "resources/read", json!({ "uri": uri }));
        assert_eq!(out["error"]["code"], -32002, "{uri}: {out}");
        assert_eq!(
            out["error"]["message"],
            format!("Resource not found: {uri}")
        );
        assert_eq!(out["error"]["data"], json!({ "uri": uri }));
    }
    // A long URI is cut in the message, kept whole in `data`.
    let long = format!("sequentum://{}", "x".repeat(500));
    let out = rpc(&p, None, "resources/read", json!({ "uri": long }));
    assert!(out["error"]["message"].as_str().unwrap().len() < 260);
    assert_eq!(out["error"]["data"]["uri"], long);
    // No uri, or not a string: bad params.
    for params in [json!({}), json!({"uri": 42})] {
        let out = rpc(&p, None, "resources/read", params);
        assert_eq!(out["error"]["code"], -32602, "{out}");
    }
    assert!(p.upstream.calls().is_empty());
}

#[test]
fn upstream_failures_are_errors_that_say_what_happened() {
    let p = FakePlatform::new(60_000);
    p.upstream.push(Ok(fake::json(
        404,
        &json!({"message": "Agent 999 not found"}),
    )));
    let out = rpc(
        &p,
        None,
        "resources/read",
        json!({"uri": "sequentum://agents/999"}),
    );
    assert_eq!(out["error"]["code"], -32002);
    assert_eq!(
        out["error"]["message"],
        "Resource not found: sequentum://agents/999. Agent 999 not found"
    );
    assert_eq!(
        out["error"]["data"],
        json!({"uri": "sequentum://agents/999", "reason": "Agent 999 not found"})
    );
    p.upstream.push(Ok(fake::status(403)));
    let out = rpc(
        &p,
        None,
        "resources/read",
        json!({"uri": "sequentum://spaces"}),
    );
    assert_eq!(out["error"]["code"], -32603);
    assert_eq!(
        out["error"]["message"],
        "Could not read sequentum://spaces. Access denied: this Sequentum account may not \
         perform this action."
    );
    // A 500 is reported after one attempt (reads retry only 429/502/503/504).
    let before = p.upstream.calls().len();
    p.upstream.push(Ok(fake::status(500)));
    let out = rpc(
        &p,
        None,
        "resources/read",
        json!({"uri": "sequentum://billing/balance"}),
    );
    assert_eq!(out["error"]["code"], -32603);
    assert!(out["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Upstream error (HTTP 500)"));
    assert_eq!(p.upstream.calls().len(), before + 1);
}

#[test]
fn a_read_without_a_credential_says_so() {
    let p = FakePlatform::new(60_000);
    p.configure(|c| c.require_auth = false);
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "resources/read",
        "params": {"uri": "sequentum://spaces"}});
    let reply = p.send(without_credentials(
        post_mcp(&body.to_string()).with_header("mcp-protocol-version", "2025-11-25"),
    ));
    let out = json(&reply);
    assert_eq!(out["error"]["code"], -32603);
    assert!(out["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Authentication required"));
    assert!(p.upstream.calls().is_empty());
}

#[test]
fn a_batch_mixes_reads_with_other_requests() {
    let p = FakePlatform::new(60_000);
    p.upstream
        .push(Ok(fake::json(200, &json!({"availableCredits": 3}))));
    let body = json!([
        {"jsonrpc": "2.0", "id": 1, "method": "ping"},
        {"jsonrpc": "2.0", "id": 2, "method": "resources/read", "params": {"uri": "sequentum://billing/balance"}},
        {"jsonrpc": "2.0", "id": 3, "method": "resources/read", "params": {"uri": "sequentum://nope"}},
    ]);
    let reply =
        p.send(post_mcp(&body.to_string()).with_header("mcp-protocol-version", "2025-03-26"));
    let out = json(&reply);
    let by_id = |id: i64| {
        out.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no {id} in {out}"))
    };
    assert_eq!(by_id(1)["result"], json!({}));
    assert_eq!(
        by_id(2)["result"]["contents"][0]["text"],
        r#"{"availableCredits":3}"#
    );
    assert_eq!(by_id(3)["error"]["code"], -32002);
}

#[test]
fn completions_work_in_a_session_and_statelessly_with_one_request() {
    let p = FakePlatform::new(60_000);
    let init = json(&p.send(post_mcp(INITIALIZE)));
    assert_eq!(init["result"]["capabilities"]["completions"], json!({}));
    let session = p.open_session(post_mcp(INITIALIZE));
    for session in [Some(session.as_str()), None] {
        p.upstream.push(Ok(fake::json(
            200,
            &json!([{"id": 1, "name": "Retail & Pricing"}, {"id": 2, "name": "Real Estate"}, {"id": 3, "name": "Market Research"}]),
        )));
        let out = rpc(
            &p,
            session,
            "completion/complete",
            json!({"ref": {"type": "ref/prompt", "name": "space-overview"},
                   "argument": {"name": "spaceName", "value": "RE"}}),
        );
        assert_eq!(
            out["result"],
            json!({"completion": {
                "values": ["Retail & Pricing", "Real Estate", "Market Research"],
                "total": 3, "hasMore": false
            }}),
            "{session:?}"
        );
    }
    assert_eq!(p.upstream.calls().len(), 2);
    // Run ids use the agent already chosen.
    p.upstream
        .push(Ok(fake::json(200, &json!([{"id": 5001}, {"id": 4990}]))));
    let out = rpc(
        &p,
        None,
        "completion/complete",
        json!({"ref": {"type": "ref/resource", "uri": "sequentum://agents/{agentId}/runs/{runId}/files"},
               "argument": {"name": "runId", "value": "50"},
               "context": {"arguments": {"agentId": "101"}}}),
    );
    assert_eq!(out["result"]["completion"]["values"], json!(["5001"]));
    assert!(p.upstream.calls()[2]
        .url
        .ends_with("/api/v1/agent/101/runs?maxRecords=100"));
}

#[test]
fn bad_completion_requests_are_refused_without_a_request() {
    let p = FakePlatform::new(60_000);
    for params in [
        json!({"ref": {"type": "ref/prompt", "name": "nope"}, "argument": {"name": "a", "value": ""}}),
        json!({"ref": {"type": "ref/resource", "uri": "sequentum://agents/1"}, "argument": {"name": "agentId", "value": ""}}),
        json!({"ref": {"type": "ref/tool", "name": "list_agents"}, "argument": {"name": "a", "value": ""}}),
        json!({"ref": {"type": "ref/prompt", "name": "debug-agent"}}),
        json!({"ref": {"type": "ref/prompt", "name": "debug-agent"}, "argument": {"name": "agentName", "value": 7}}),
        json!({}),
    ] {
        let out = rpc(&p, None, "completion/complete", params.clone());
        assert_eq!(out["error"]["code"], -32602, "{params}: {out}");
    }
    // Arguments without suggestions answer an empty list, also without a request.
    let out = rpc(
        &p,
        None,
        "completion/complete",
        json!({"ref": {"type": "ref/prompt", "name": "inspect-agent-draft"},
               "argument": {"name": "sessionId", "value": "bld"}}),
    );
    assert_eq!(
        out["result"],
        json!({"completion": {"values": [], "total": 0, "hasMore": false}})
    );
    assert!(p.upstream.calls().is_empty());
}

#[test]
fn a_failed_completion_is_one_attempt_and_says_why() {
    let p = FakePlatform::new(60_000);
    p.upstream.push(Ok(fake::status(503)));
    p.upstream.push(Ok(fake::json(200, &json!([]))));
    let out = rpc(
        &p,
        None,
        "completion/complete",
        json!({"ref": {"type": "ref/prompt", "name": "debug-agent"},
               "argument": {"name": "agentName", "value": "x"}}),
    );
    assert_eq!(out["error"]["code"], -32603);
    assert!(out["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("Could not complete agentName. Upstream error (HTTP 503)"));
    assert_eq!(p.upstream.calls().len(), 1);
    assert_eq!(p.upstream.calls()[0].timeout_ms, 5_000);
}
