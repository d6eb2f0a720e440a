//! Analytics and agent-builder tools: request mapping, validation, the
//! build-status rendering, and the 1.3.0 policies in the instructions and
//! descriptions.

mod support;

use sequentum_mcp::catalog::policy::{PROMPT_HANDLING_POLICY, SUFFICIENCY_POLICY};
use sequentum_mcp::catalog::tools::{schema_of, specs, Category, Effect};
use sequentum_mcp::mcp::lifecycle::INSTRUCTIONS;
use sequentum_mcp::sequentum::fake;
use serde_json::{json, Value};
use support::*;

const OURS: [&str; 7] = [
    "get_runs_summary",
    "get_records_summary",
    "get_run_diagnostics",
    "get_latest_failure",
    "start_agent_build",
    "get_agent_build_status",
    "stop_agent_build",
];

fn body(tool: &str, args: Value) -> String {
    plan(tool, args)
        .expect("a request")
        .body
        .map(|b| b.to_string())
        .unwrap_or_default()
}

#[test]
fn titles_effects_and_categories_follow_the_table() {
    let all = specs();
    let ours: Vec<_> = all.iter().filter(|s| OURS.contains(&s.name)).collect();
    let names: Vec<_> = ours.iter().map(|s| s.name).collect();
    assert_eq!(names, OURS, "spec order");
    // Last in tools/list, as in the spec table.
    assert_eq!(
        all[all.len() - 7..]
            .iter()
            .map(|s| s.name)
            .collect::<Vec<_>>(),
        OURS
    );
    let read = Effect::Read;
    let expected = [
        ("Get Runs Summary", Category::Analytics, read),
        ("Get Records Summary", Category::Analytics, read),
        ("Get Run Diagnostics", Category::Analytics, read),
        ("Get Latest Failure", Category::Analytics, read),
        (
            "Build Agent from Prompt",
            Category::Builder,
            Effect::Write {
                destructive: false,
                open_world: true,
            },
        ),
        ("Get Agent Build Status", Category::Builder, read),
        (
            "Stop Agent Build",
            Category::Builder,
            Effect::Write {
                destructive: false,
                open_world: false,
            },
        ),
    ];
    for (spec, (title, category, effect)) in ours.iter().zip(expected) {
        assert_eq!(spec.title, title, "{}", spec.name);
        assert_eq!(spec.category, category, "{}", spec.name);
        assert_eq!(spec.effect, effect, "{}", spec.name);
    }
}

#[test]
fn analytics_requests() {
    let cases = [
        (
            "get_runs_summary",
            json!({}),
            "GET /api/v1/analytics/runs/summary",
        ),
        (
            "get_runs_summary",
            json!({"startDate": "2024-01-01", "endDate": "2024-01-31", "status": "Failed",
                   "includeDetails": true}),
            "GET /api/v1/analytics/runs/summary?startDate=2024-01-01&endDate=2024-01-31\
             &status=Failed&includeDetails=true",
        ),
        (
            "get_runs_summary",
            json!({"startDate": " 2024-01-01T00:00:00Z ", "includeDetails": false}),
            "GET /api/v1/analytics/runs/summary?startDate=2024-01-01T00%3A00%3A00Z\
             &includeDetails=false",
        ),
        (
            "get_runs_summary",
            json!({"endDate": "2024-01-31T23:59:59+01:00", "status": "CompletedWithErrors"}),
            "GET /api/v1/analytics/runs/summary?endDate=2024-01-31T23%3A59%3A59%2B01%3A00\
             &status=CompletedWithErrors",
        ),
        (
            "get_records_summary",
            json!({}),
            "GET /api/v1/analytics/records/summary",
        ),
        (
            "get_records_summary",
            json!({"startDate": "2024-01-01", "endDate": "2024-01-31", "agentId": 42}),
            "GET /api/v1/analytics/records/summary?startDate=2024-01-01&endDate=2024-01-31\
             &agentId=42",
        ),
        (
            "get_records_summary",
            json!({"agentId": "7"}),
            "GET /api/v1/analytics/records/summary?agentId=7",
        ),
        (
            "get_run_diagnostics",
            json!({"agentId": 42, "runId": 5201}),
            "GET /api/v1/analytics/agents/42/runs/5201/diagnostics",
        ),
        (
            "get_latest_failure",
            json!({"agentId": 42}),
            "GET /api/v1/analytics/agents/42/latest-failure",
        ),
    ];
    for (tool, args, want) in cases {
        assert_eq!(line(tool, args.clone()), want, "{tool} {args}");
        assert_eq!(body(tool, args), "", "{tool}: a GET has no body");
    }
    // The same instant twice is a valid (empty) period.
    assert_eq!(
        line(
            "get_records_summary",
            json!({"startDate": "2024-01-01T00:00:00Z", "endDate": "2024-01-01"})
        ),
        "GET /api/v1/analytics/records/summary?startDate=2024-01-01T00%3A00%3A00Z\
         &endDate=2024-01-01"
    );
}

#[test]
fn analytics_refusals_name_the_parameter() {
    let cases = [
        (
            "get_runs_summary",
            json!({"startDate": "2024-13-01"}),
            "Invalid input: Invalid parameter 'startDate': expected an ISO 8601 date",
        ),
        (
            "get_runs_summary",
            json!({"endDate": "last week"}),
            "Invalid input: Invalid parameter 'endDate': expected an ISO 8601 date",
        ),
        (
            "get_runs_summary",
            json!({"startDate": "2024-02-01", "endDate": "2024-01-31"}),
            "Invalid input: Invalid parameter 'startDate': must be on or before endDate, \
             got startDate 2024-02-01 and endDate 2024-01-31",
        ),
        (
            "get_runs_summary",
            json!({"status": "failed"}),
            "Invalid input: Invalid parameter 'status': 'failed' is not one of: Unknown, \
             Queuing, Queued, Starting, Running, Stopping, Stopped, Completed, \
             CompletedWithErrors, Failed, FailedToStart, WaitingOnFailure",
        ),
        (
            "get_runs_summary",
            json!({"includeDetails": "yes"}),
            "Invalid input: Invalid parameter 'includeDetails': expected a boolean",
        ),
        (
            "get_records_summary",
            json!({"startDate": "2024-01-02T00:00:00Z", "endDate": "2024-01-01T23:59:59Z"}),
            "Invalid input: Invalid parameter 'startDate': must be on or before endDate",
        ),
        (
            "get_records_summary",
            json!({"endDate": "2024-02-30"}),
            "Invalid input: Invalid parameter 'endDate': expected an ISO 8601 date",
        ),
        (
            "get_records_summary",
            json!({"agentId": 0}),
            "Invalid input: Invalid parameter 'agentId': must be >= 1, got 0",
        ),
        (
            "get_records_summary",
            json!({"from": "2024-01-01"}),
            "Invalid input: Unknown parameter 'from'; this tool takes: ",
        ),
        (
            "get_run_diagnostics",
            json!({"agentId": 42}),
            "Invalid input: Missing required parameter: runId",
        ),
        (
            "get_run_diagnostics",
            json!({"agentId": "1/../admin", "runId": 1}),
            "Invalid input: Invalid parameter 'agentId': expected an integer",
        ),
        (
            "get_run_diagnostics",
            json!({"agentId": 1, "runId": -5}),
            "Invalid input: Invalid parameter 'runId': must be >= 1, got -5",
        ),
        (
            "get_latest_failure",
            json!({}),
            "Invalid input: Missing required parameter: agentId",
        ),
        (
            "get_latest_failure",
            json!({"agentId": 1.5}),
            "Invalid input: Invalid parameter 'agentId': expected an integer, got 1.5",
        ),
    ];
    for (tool, args, want) in cases {
        let e = refusal(tool, args.clone());
        assert!(e.starts_with(want), "{tool} {args}: {e}");
    }
}

#[test]
fn runs_summary_declares_the_status_words() {
    let schema = Value::Object(schema_of("get_runs_summary").unwrap());
    let words = schema["properties"]["status"]["enum"].as_array().unwrap();
    assert_eq!(words.len(), 12);
    assert!(words.contains(&json!("Failed")) && words.contains(&json!("Completed")));
    assert_eq!(schema["properties"]["includeDetails"]["type"], "boolean");
    assert!(schema["required"].as_array().is_none_or(Vec::is_empty));
}

#[test]
fn latest_failure_without_a_failure_is_not_found() {
    let p = FakePlatform::new(60_000);
    p.upstream.push(Ok(fake::json(
        404,
        &json!({"message": "No failed runs found for agent 42"}),
    )));
    let result = call_tool(&p, "get_latest_failure", json!({"agentId": 42}));
    assert_eq!(result["isError"], true);
    assert_eq!(
        result_text(&result),
        "Not found: No failed runs found for agent 42"
    );
    let calls = p.upstream.calls();
    assert_eq!(calls.len(), 1, "a 404 is not retried");
    assert_eq!(
        calls[0].url,
        "https://dashboard.sequentum.com/api/v1/analytics/agents/42/latest-failure"
    );
}

#[test]
fn diagnostics_pass_through() {
    let p = FakePlatform::new(60_000);
    let diagnostics = json!({
        "runId": 5201, "agentId": 42, "agentName": "Prices", "status": "Failed",
        "errorMessage": "Timeout", "possibleCauses": ["slow site"], "suggestedActions": ["raise timeout"]
    });
    p.upstream.push(Ok(fake::json(200, &diagnostics)));
    let result = call_tool(
        &p,
        "get_run_diagnostics",
        json!({"agentId": 42, "runId": 5201}),
    );
    assert_eq!(result["structuredContent"], diagnostics);
}

#[test]
fn start_agent_build_sends_the_trimmed_prompt() {
    let args = json!({"prompt": "  Scrape prices from https://example.com/shoes \n"});
    let request = plan("start_agent_build", args.clone()).unwrap();
    assert_eq!(request.line(), "POST /api/v1/agent-builder/start");
    assert_eq!(
        body("start_agent_build", args),
        r#"{"prompt":"Scrape prices from https://example.com/shoes"}"#
    );
    let args = json!({"prompt": "Scrape prices from example.com", "spaceId": 7});
    assert_eq!(
        line("start_agent_build", args.clone()),
        "POST /api/v1/agent-builder/start"
    );
    assert_eq!(
        body("start_agent_build", args),
        r#"{"prompt":"Scrape prices from example.com","spaceId":7}"#
    );
    // Exactly 10 and exactly 5000 characters after trimming are accepted.
    assert_eq!(
        body("start_agent_build", json!({"prompt": " 0123456789 "})),
        r#"{"prompt":"0123456789"}"#
    );
    let longest = "x".repeat(5000);
    assert!(plan("start_agent_build", json!({ "prompt": longest })).is_ok());
}

#[test]
fn start_agent_build_refusals() {
    let cases = [
        (
            json!({"prompt": "   short   "}),
            "Invalid input: Invalid parameter 'prompt': must be at least 10 characters \
             (leading and trailing spaces not counted), got 5",
        ),
        (
            json!({"prompt": "          "}),
            "Invalid input: Invalid parameter 'prompt': must be at least 10 characters \
             (leading and trailing spaces not counted), got 0",
        ),
        (
            json!({ "prompt": "y".repeat(5001) }),
            "Invalid input: Invalid parameter 'prompt': must be at most 5000 characters, got 5001",
        ),
        (
            json!({}),
            "Invalid input: Missing required parameter: prompt",
        ),
        (
            json!({"prompt": null}),
            "Invalid input: Missing required parameter: prompt",
        ),
        (
            json!({"prompt": 12345678901_u64}),
            "Invalid input: Invalid parameter 'prompt': expected a string, got a number",
        ),
        (
            json!({"prompt": "Scrape prices from example.com", "spaceId": 0}),
            "Invalid input: Invalid parameter 'spaceId': must be >= 1, got 0",
        ),
        (
            json!({"prompt": "Scrape prices from example.com", "spaceId": "5/.."}),
            "Invalid input: Invalid parameter 'spaceId': expected an integer, got \"5/..\"",
        ),
        (
            json!({"prompt": "Scrape prices from example.com", "url": "https://x"}),
            "Invalid input: Unknown parameter 'url'; this tool takes: prompt, spaceId",
        ),
    ];
    for (args, want) in cases {
        let e = refusal("start_agent_build", args.clone());
        assert_eq!(e, want, "{args}");
    }
    // Lengths count UTF-16 units, as the API does: an emoji is two.
    let e = refusal(
        "start_agent_build",
        json!({ "prompt": format!("{}😀", "z".repeat(4999)) }),
    );
    assert!(
        e.ends_with("must be at most 5000 characters, got 5001"),
        "{e}"
    );
}

#[test]
fn session_paths_are_one_encoded_segment() {
    let cases = [
        (
            "get_agent_build_status",
            json!({"sessionId": "sess-abc-123"}),
            "GET /api/v1/agent-builder/sess-abc-123/status",
        ),
        (
            "get_agent_build_status",
            json!({"sessionId": "sess/with/slashes"}),
            "GET /api/v1/agent-builder/sess%2Fwith%2Fslashes/status",
        ),
        (
            "get_agent_build_status",
            json!({"sessionId": "../admin?x=1#f"}),
            "GET /api/v1/agent-builder/..%2Fadmin%3Fx%3D1%23f/status",
        ),
        (
            "stop_agent_build",
            json!({"sessionId": "sess-abc-123"}),
            "POST /api/v1/agent-builder/sess-abc-123/stop",
        ),
        (
            "stop_agent_build",
            json!({"sessionId": "sess/with/slashes"}),
            "POST /api/v1/agent-builder/sess%2Fwith%2Fslashes/stop",
        ),
    ];
    for (tool, args, want) in cases {
        assert_eq!(line(tool, args.clone()), want, "{tool} {args}");
        assert_eq!(body(tool, args), "", "{tool}: no body");
    }
    let longest = "s".repeat(256);
    assert_eq!(
        line("stop_agent_build", json!({ "sessionId": longest })),
        format!("POST /api/v1/agent-builder/{longest}/stop")
    );
}

#[test]
fn unusable_session_ids_are_refused() {
    for tool in ["get_agent_build_status", "stop_agent_build"] {
        for (args, want) in [
            (
                json!({"sessionId": ""}),
                "Invalid input: Invalid parameter 'sessionId': must not be empty",
            ),
            (
                json!({"sessionId": ".."}),
                "Invalid input: Invalid parameter 'sessionId': \"..\" is not a session id",
            ),
            (
                json!({"sessionId": "."}),
                "Invalid input: Invalid parameter 'sessionId': \".\" is not a session id",
            ),
            (
                json!({ "sessionId": "s".repeat(257) }),
                "Invalid input: Invalid parameter 'sessionId': must be at most 256 characters, \
                 got 257",
            ),
            (
                json!({"sessionId": 42}),
                "Invalid input: Invalid parameter 'sessionId': expected a string, got a number",
            ),
            (
                json!({}),
                "Invalid input: Missing required parameter: sessionId",
            ),
            (
                json!({"sessionId": null}),
                "Invalid input: Missing required parameter: sessionId",
            ),
        ] {
            let e = refusal(tool, args.clone());
            assert!(e.starts_with(want), "{tool} {args}: {e}");
        }
    }
}

#[test]
fn build_start_through_the_app() {
    let p = FakePlatform::new(60_000);
    p.upstream
        .push(Ok(fake::json(200, &json!({"sessionId": "sess-abc-123"}))));
    let result = call_tool(
        &p,
        "start_agent_build",
        json!({"prompt": " Scrape prices from example.com ", "spaceId": 3}),
    );
    assert_eq!(
        result["structuredContent"],
        json!({"sessionId": "sess-abc-123"})
    );
    let calls = p.upstream.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].url,
        "https://dashboard.sequentum.com/api/v1/agent-builder/start"
    );
    assert_eq!(
        String::from_utf8(calls[0].body.clone().unwrap()).unwrap(),
        r#"{"prompt":"Scrape prices from example.com","spaceId":3}"#
    );
    // A POST is never retried.
    let p = FakePlatform::new(60_000);
    p.upstream.route(|_| Ok(fake::status(503)));
    let result = call_tool(
        &p,
        "start_agent_build",
        json!({"prompt": "Scrape prices from example.com"}),
    );
    assert_eq!(result["isError"], true);
    assert_eq!(p.upstream.calls().len(), 1);
}

fn build_status(answer: Value) -> Value {
    let p = FakePlatform::new(60_000);
    p.upstream.push(Ok(fake::json(200, &answer)));
    let result = call_tool(&p, "get_agent_build_status", json!({"sessionId": "sess/1"}));
    assert_eq!(
        p.upstream.calls()[0].url,
        "https://dashboard.sequentum.com/api/v1/agent-builder/sess%2F1/status"
    );
    result
}

#[test]
fn build_status_drops_the_error_member_unless_the_build_failed() {
    let result = build_status(json!({"status": "processing", "agentId": null, "error": null}));
    assert!(result.get("isError").is_none());
    assert_eq!(
        result["structuredContent"],
        json!({"status": "processing", "agentId": null})
    );
    assert!(!result_text(&result).contains("error"));

    let ready = json!({"status": "ready", "agentId": 42, "agentName": "Amazon Price Scraper",
                       "error": "stale text", "extra": [1]});
    let result = build_status(ready);
    assert_eq!(
        result["structuredContent"],
        json!({"status": "ready", "agentId": 42, "agentName": "Amazon Price Scraper",
               "extra": [1]})
    );
}

#[test]
fn a_failed_build_shows_our_sentence_not_the_backends() {
    let secret = "NullReferenceException at Builder.Run() in /src/builder.cs:line 42";
    let result = build_status(json!({"status": "error", "error": secret, "agentId": null}));
    assert!(
        result.get("isError").is_none(),
        "a failed build is a status"
    );
    let s = &result["structuredContent"];
    assert_eq!(s["status"], "error");
    let sentence = s["error"].as_str().unwrap();
    assert!(sentence.contains("start_agent_build"), "{sentence}");
    assert_eq!(s.as_object().unwrap().len(), 3);
    let whole = result.to_string();
    for leak in ["NullReference", "builder.cs", "line 42"] {
        assert!(!whole.contains(leak), "{leak} leaked: {whole}");
    }
    // No error text at all from the backend: ours is still given.
    let result = build_status(json!({"status": "error"}));
    assert_eq!(result["structuredContent"]["error"], sentence);
}

#[test]
fn stop_agent_build_says_what_it_did() {
    let p = FakePlatform::new(60_000);
    p.upstream.push(Ok(fake::status(204)));
    let result = call_tool(
        &p,
        "stop_agent_build",
        json!({"sessionId": "sess/with/slashes"}),
    );
    assert_eq!(
        result["structuredContent"],
        json!({"stopped": true, "sessionId": "sess/with/slashes"})
    );
    let calls = p.upstream.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].url,
        "https://dashboard.sequentum.com/api/v1/agent-builder/sess%2Fwith%2Fslashes/stop"
    );
    assert!(calls[0].body.is_none());
}

#[test]
fn the_policies_are_where_the_model_reads_them() {
    assert!(INSTRUCTIONS.contains(SUFFICIENCY_POLICY));
    assert!(INSTRUCTIONS.starts_with("Sequentum runs web-scraping agents"));
    let start = specs()
        .into_iter()
        .find(|s| s.name == "start_agent_build")
        .unwrap();
    assert!(start.description.ends_with(PROMPT_HANDLING_POLICY));
    assert!(start.description.contains("sufficiency policy"));
    let status = specs()
        .into_iter()
        .find(|s| s.name == "get_agent_build_status")
        .unwrap();
    for word in [
        "completed",
        "ready",
        "error",
        "cancelled",
        "5 seconds",
        "30 seconds",
    ] {
        assert!(status.description.contains(word), "{word}");
    }
    // What a client sees: the instructions from initialize, the description
    // from tools/list.
    let p = FakePlatform::new(60_000);
    let reply = p.send(post_mcp(INITIALIZE));
    let init = json(&reply);
    assert_eq!(init["result"]["instructions"], INSTRUCTIONS);
    let list = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"});
    let reply =
        p.send(post_mcp(&list.to_string()).with_header("mcp-protocol-version", "2025-11-25"));
    let tools = json(&reply)["result"]["tools"].clone();
    let start = tools
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "start_agent_build")
        .unwrap()
        .clone();
    assert!(start["description"]
        .as_str()
        .unwrap()
        .ends_with(PROMPT_HANDLING_POLICY));
    assert_eq!(start["title"], "Build Agent from Prompt");
    assert_eq!(
        start["annotations"],
        json!({"title": "Build Agent from Prompt", "readOnlyHint": false,
               "destructiveHint": false, "openWorldHint": true})
    );
    assert_eq!(
        start["inputSchema"]["properties"]["prompt"]["maxLength"],
        5000
    );
}
