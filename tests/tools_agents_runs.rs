//! Agent and run tools: request mapping, validation, rendering, and the
//! synchronous start's polling, through the whole app where it matters.

mod support;

use sequentum_mcp::sequentum::fake;
use serde_json::{json, Value};
use support::*;

#[test]
fn list_agents_maps_filters_in_order_with_page_defaults() {
    assert_eq!(
        line("list_agents", json!({})),
        "GET /api/v1/agent/all?pageIndex=1&recordsPerPage=50"
    );
    assert_eq!(
        line(
            "list_agents",
            json!({"status": 1, "spaceId": 5, "search": "test agent", "configType": "Agent",
                   "sortColumn": "lastActivity", "sortOrder": "desc", "pageIndex": 2, "recordsPerPage": 20})
        ),
        "GET /api/v1/agent/all?status=1&spaceId=5&name=test%20agent&configType=Agent\
         &sortColumn=lastActivity&sortOrder=1&pageIndex=2&recordsPerPage=20"
    );
    // An empty search is no filter.
    assert_eq!(
        line("list_agents", json!({"search": ""})),
        "GET /api/v1/agent/all?pageIndex=1&recordsPerPage=50"
    );
}

#[test]
fn list_agents_refuses_bad_filters_by_name() {
    for (args, says) in [
        (
            json!({"status": 13}),
            "Invalid input: Invalid parameter 'status': must be <= 12, got 13",
        ),
        (
            json!({"recordsPerPage": 0}),
            "Invalid input: Invalid parameter 'recordsPerPage': must be >= 1, got 0",
        ),
        (
            json!({"sortOrder": "ASC"}),
            "Invalid input: Invalid parameter 'sortOrder': 'ASC' is not one of: asc, desc",
        ),
        (
            json!({"configType": "Robot"}),
            "Invalid input: Invalid parameter 'configType': 'Robot' is not one of",
        ),
        (
            json!({"spaceId": "5; DROP"}),
            "Invalid input: Invalid parameter 'spaceId': expected an integer",
        ),
        (
            json!({"page": 2}),
            "Invalid input: Unknown parameter 'page'; this tool takes: ",
        ),
    ] {
        let e = refusal("list_agents", args.clone());
        assert!(e.starts_with(says), "{args}: {e}");
    }
}

#[test]
fn ids_that_are_not_positive_integers_never_reach_a_path() {
    for bad in [
        json!("1/../admin"),
        json!(-1),
        json!(0),
        json!("1?x=2"),
        json!(1.5),
        json!(null),
    ] {
        for tool in ["get_agent", "get_agent_runs"] {
            let e = refusal(tool, json!({ "agentId": bad }));
            assert!(e.starts_with("Invalid input: "), "{tool} {bad}: {e}");
            assert!(e.contains("agentId"), "{tool} {bad}: {e}");
        }
        let e = refusal("get_run_status", json!({"agentId": 1, "runId": bad}));
        assert!(e.contains("runId"), "{bad}: {e}");
    }
}

#[test]
fn agent_and_run_paths() {
    let cases = [
        ("get_agent", json!({"agentId": 42}), "GET /api/v1/agent/42"),
        (
            "search_agents",
            json!({"query": "price tracker"}),
            "GET /api/v1/agent/search?query=price%20tracker",
        ),
        (
            "search_agents",
            json!({"query": "x", "maxRecords": 1000}),
            "GET /api/v1/agent/search?query=x&maxRecords=1000",
        ),
        (
            "get_agent_runs",
            json!({"agentId": 42}),
            "GET /api/v1/agent/42/runs",
        ),
        (
            "get_agent_runs",
            json!({"agentId": 42, "maxRecords": 5}),
            "GET /api/v1/agent/42/runs?maxRecords=5",
        ),
        (
            "get_run_status",
            json!({"agentId": 42, "runId": 5201}),
            "GET /api/v1/agent/42/run/5201/status",
        ),
        (
            "stop_agent",
            json!({"agentId": 42, "runId": 5201}),
            "POST /api/v1/agent/42/run/5201/stop",
        ),
        (
            "kill_agent",
            json!({"agentId": 42, "runId": 5201}),
            "POST /api/v1/agent/42/run/5201/kill",
        ),
        (
            "delete_run",
            json!({"agentId": 42, "runId": 5201}),
            "DELETE /api/v1/agent/42/run/5201",
        ),
        (
            "delete_run",
            json!({"agentId": 42, "runId": 5201, "removeMethod": "RemoveAllFilesAndAgentInput"}),
            "DELETE /api/v1/agent/42/run/5201?removeMethod=RemoveAllFilesAndAgentInput",
        ),
        (
            "start_agent",
            json!({"agentId": 42}),
            "POST /api/v1/agent/42/start",
        ),
    ];
    for (tool, args, want) in cases {
        assert_eq!(line(tool, args.clone()), want, "{tool} {args}");
    }
    assert!(
        refusal("search_agents", json!({"query": "   "})).contains("'query': must not be empty")
    );
    assert!(
        refusal("search_agents", json!({"query": "x", "maxRecords": 1001})).contains("maxRecords")
    );
    assert!(refusal(
        "delete_run",
        json!({"agentId": 1, "runId": 2, "removeMethod": "All"})
    )
    .contains("removeMethod"));
}

#[test]
fn start_agent_body_has_the_api_defaults_and_input_as_json_text() {
    let body = plan("start_agent", json!({"agentId": 42}))
        .unwrap()
        .body
        .unwrap();
    assert_eq!(
        body.to_string(),
        r#"{"IsExclusive":true,"IsRunSynchronously":false,"IsWaitOnFailure":false,"LogLevel":"Info","LogMode":"Text","ParallelExport":"Combined","ParallelMaxConcurrency":1,"Parallelism":1,"Timeout":60}"#
    );
    let body = plan(
        "start_agent",
        json!({"agentId": 42, "inputParameters": {"q": "shoes"}, "parallelism": 3, "timeout": 600}),
    )
    .unwrap()
    .body
    .unwrap();
    assert_eq!(body["InputParameters"], r#"{"q":"shoes"}"#);
    assert_eq!(
        (body["Parallelism"].clone(), body["Timeout"].clone()),
        (json!(3), json!(600))
    );
    for (args, param) in [
        (
            json!({"agentId": 1, "inputParameters": "{not json"}),
            "inputParameters",
        ),
        (json!({"agentId": 1, "timeout": 3601}), "timeout"),
        (json!({"agentId": 1, "parallelism": 51}), "parallelism"),
        (
            json!({"agentId": 1, "isRunSynchronously": "yes"}),
            "isRunSynchronously",
        ),
    ] {
        assert!(
            refusal("start_agent", args.clone()).contains(param),
            "{args}"
        );
    }
}

fn agents_page() -> Value {
    json!({
        "agents": [
            {"id": 1, "name": "Prices", "description": "d", "status": 10, "configType": "Agent",
             "version": 3, "lastActivity": "2026-11-20T10:00:00Z", "documentation": "long…", "inputParameters": {"a": "b"}},
            {"id": 2, "name": "New", "status": null, "configType": "Api", "version": 1},
            {"id": 3, "name": "Odd", "status": 99, "configType": "Agent", "version": 1}
        ],
        "totalRecordCount": 3
    })
}

#[test]
fn list_agents_through_the_app_summarises_and_paginates() {
    let p = FakePlatform::new(60_000);
    p.upstream.push(Ok(fake::json(200, &agents_page())));
    let result = call_tool(&p, "list_agents", json!({"recordsPerPage": 10}));
    let calls = p.upstream.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].url,
        "https://dashboard.sequentum.com/api/v1/agent/all?pageIndex=1&recordsPerPage=10"
    );
    // The caller's own credential, passed through.
    assert_eq!(calls[0].authorization, format!("Bearer {TOKEN}"));
    let s = &result["structuredContent"];
    assert_eq!(
        s["pagination"],
        json!({"totalRecordCount": 3, "pageIndex": 1, "recordsPerPage": 10})
    );
    let statuses: Vec<_> = s["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].clone())
        .collect();
    assert_eq!(
        statuses,
        [json!("Success"), json!("Never Run"), json!("Unknown (99)")]
    );
    // Summaries only: no documentation or inputs in a list.
    assert!(s["agents"][0].get("documentation").is_none());
    // The text is the compact serialization of the same object.
    let text: Value = serde_json::from_str(&result_text(&result)).unwrap();
    assert_eq!(&text, s);
    assert!(!result_text(&result).contains(": "), "no padding");
}

#[test]
fn invalid_input_is_an_error_result_and_nothing_goes_upstream() {
    let p = FakePlatform::new(60_000);
    let result = call_tool(&p, "get_agent", json!({"agentId": "1/../admin"}));
    assert_eq!(result["isError"], true);
    assert!(result_text(&result).starts_with("Invalid input: Invalid parameter 'agentId'"));
    assert!(p.upstream.calls().is_empty());
}

#[test]
fn upstream_failures_become_error_results() {
    let p = FakePlatform::new(60_000);
    p.upstream
        .push(Ok(fake::json(404, &json!({"message": "Agent not found"}))));
    let result = call_tool(&p, "get_agent", json!({"agentId": 9}));
    assert_eq!(result["isError"], true);
    assert_eq!(result_text(&result), "Not found: Agent not found");
    // A proxy's HTML page is not shown; the status is.
    p.upstream.push(Ok(sequentum_mcp::sequentum::HttpAnswer {
        status: 500,
        content_type: Some("text/html".into()),
        body: b"<html><body>Internal error at /srv/app.js:12</body></html>".to_vec(),
        ..Default::default()
    }));
    let text = result_text(&call_tool(&p, "get_agent", json!({"agentId": 9})));
    assert_eq!(
        text,
        "Upstream error (HTTP 500): the Sequentum API failed. Try again later."
    );
}

#[test]
fn unknown_tools_are_invalid_params() {
    let p = FakePlatform::new(60_000);
    let body = json!({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"nope"}});
    let reply = p.send(post_mcp(&body.to_string()));
    let out = json(&reply);
    assert_eq!(out["error"]["code"], -32602);
    assert!(out["error"]["message"].as_str().unwrap().contains("nope"));
}

fn run(status: &str) -> Value {
    json!({"id": 5201, "configId": 42, "status": status, "recordsExtracted": 10})
}

#[test]
fn asynchronous_start_returns_the_queued_run_without_polling() {
    let p = FakePlatform::new(60_000);
    p.upstream.push(Ok(fake::json(200, &run("Queuing"))));
    let result = call_tool(&p, "start_agent", json!({"agentId": 42}));
    assert_eq!(result["structuredContent"]["id"], 5201);
    assert_eq!(p.upstream.calls().len(), 1);
}

#[test]
fn synchronous_start_polls_with_backoff_until_the_run_ends() {
    let p = FakePlatform::new(60_000);
    p.upstream.push(Ok(fake::json(200, &run("Queuing"))));
    p.upstream.push(Ok(fake::json(200, &run("Running"))));
    p.upstream.push(Ok(fake::json(200, &run("Running"))));
    p.upstream.push(Ok(fake::json(200, &run("Completed"))));
    p.upstream
        .push(Ok(fake::json(200, &json!([{"id": 1, "name": "out.csv"}]))));
    let result = call_tool(
        &p,
        "start_agent",
        json!({"agentId": 42, "isRunSynchronously": true}),
    );
    let s = &result["structuredContent"];
    assert_eq!(s["finished"], true);
    assert_eq!(s["run"]["status"], "Completed");
    assert_eq!(s["files"][0]["name"], "out.csv");
    let urls: Vec<String> = p
        .upstream
        .calls()
        .iter()
        .map(|c| c.url.replace("https://dashboard.sequentum.com", ""))
        .collect();
    assert_eq!(
        urls,
        [
            "/api/v1/agent/42/start",
            "/api/v1/agent/42/run/5201/status",
            "/api/v1/agent/42/run/5201/status",
            "/api/v1/agent/42/run/5201/status",
            "/api/v1/agent/42/run/5201/files",
        ]
    );
    assert_eq!(*p.sleeps.borrow(), [2_000, 3_000, 4_500]);
}

#[test]
fn synchronous_start_stops_waiting_at_its_timeout_but_not_the_run() {
    let p = FakePlatform::new(60_000);
    p.upstream.push(Ok(fake::json(200, &run("Queuing"))));
    p.upstream.route(|_| Ok(fake::json(200, &run("Running"))));
    let result = call_tool(
        &p,
        "start_agent",
        json!({"agentId": 42, "isRunSynchronously": true, "timeout": 10}),
    );
    let s = &result["structuredContent"];
    assert_eq!(s["finished"], false);
    assert!(s["message"].as_str().unwrap().contains("get_run_status"));
    assert!(result.get("isError").is_none());
    // Waited exactly the timeout, never past it.
    assert_eq!(p.sleeps.borrow().iter().sum::<u64>(), 10_000);
    // Never a second start.
    let starts = p
        .upstream
        .calls()
        .iter()
        .filter(|c| c.url.ends_with("/start"))
        .count();
    assert_eq!(starts, 1);
}

#[test]
fn write_tools_say_what_they_did() {
    let p = FakePlatform::new(60_000);
    p.upstream.route(|_| Ok(fake::status(204)));
    let s = call_tool(&p, "stop_agent", json!({"agentId": 42, "runId": 7}))["structuredContent"]
        .clone();
    assert_eq!(s, json!({"agentId": 42, "runId": 7, "stopRequested": true}));
    let s = call_tool(
        &p,
        "delete_run",
        json!({"agentId": 42, "runId": 7, "removeMethod": "RemoveAllFiles"}),
    )["structuredContent"]
        .clone();
    assert_eq!(
        s,
        json!({"agentId": 42, "runId": 7, "removed": "RemoveAllFiles", "runRecordKept": true})
    );
    // POSTs are not retried: a 503 on kill is reported, not repeated.
    let p = FakePlatform::new(60_000);
    p.upstream.route(|_| Ok(fake::status(503)));
    let result = call_tool(&p, "kill_agent", json!({"agentId": 42, "runId": 7}));
    assert_eq!(result["isError"], true);
    assert_eq!(p.upstream.calls().len(), 1);
}

/// The `data:` payloads of an SSE body.
fn sse_messages(body: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(body)
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|d| serde_json::from_str(d).expect("each event is JSON"))
        .collect()
}

fn start_and_wait(
    progress_token: Option<Value>,
    accept: &str,
) -> (FakePlatform, sequentum_mcp::edge::http::Reply) {
    let p = FakePlatform::new(60_000);
    p.upstream.push(Ok(fake::json(200, &run("Queuing"))));
    p.upstream.push(Ok(fake::json(200, &run("Running"))));
    p.upstream.push(Ok(fake::json(200, &run("Completed"))));
    p.upstream.push(Ok(fake::json(200, &json!([]))));
    let mut params =
        json!({"name": "start_agent", "arguments": {"agentId": 42, "isRunSynchronously": true}});
    if let Some(token) = progress_token {
        params["_meta"] = json!({ "progressToken": token });
    }
    let body = json!({"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": params});
    let mut req = post_mcp(&body.to_string()).with_header("mcp-protocol-version", "2025-11-25");
    req.headers.retain(|(name, _)| name != "accept");
    let req = req.with_header("accept", accept);
    let reply = p.send(req);
    (p, reply)
}

#[test]
fn a_waiting_start_streams_progress_then_the_result_when_asked() {
    let (p, reply) = start_and_wait(Some(json!("tok-1")), "application/json, text/event-stream");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("text/event-stream"));
    let messages = sse_messages(&reply.body);
    let (progress, last) = messages.split_at(messages.len() - 1);
    assert_eq!(progress.len(), 2, "{messages:?}");
    let mut previous = -1.0;
    for n in progress {
        assert_eq!(n["method"], "notifications/progress");
        assert_eq!(n["params"]["progressToken"], "tok-1");
        assert_eq!(n["params"]["total"], 60.0);
        let value = n["params"]["progress"].as_f64().unwrap();
        assert!(value > previous, "progress must increase");
        previous = value;
        assert!(n["params"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Run 5201: "));
    }
    assert_eq!(last[0]["id"], 9);
    assert_eq!(last[0]["result"]["structuredContent"]["finished"], true);
    assert_eq!(*p.streamed.borrow(), [3]);
}

#[test]
fn without_a_token_or_sse_the_same_call_answers_plain_json() {
    for (token, accept) in [
        (None, "application/json, text/event-stream"),
        (Some(json!(5)), "application/json"),
    ] {
        let (p, reply) = start_and_wait(token, accept);
        assert_eq!(reply.header("content-type"), Some("application/json"));
        assert_eq!(
            json(&reply)["result"]["structuredContent"]["finished"],
            true
        );
        assert!(p.streamed.borrow().is_empty());
    }
}
