//! Billing and space tools: request mapping (with the date defaults),
//! validation, rendering and upstream errors.

mod support;

use sequentum_mcp::sequentum::fake;
use serde_json::json;
use support::*;

/// The defaults for [`NOW_MS`] (2026-11-21T12:00:00Z), as sent.
const MONTH_START: &str = "startDate=2026-11-01T00%3A00%3A00.000Z";
const NOW: &str = "endDate=2026-11-21T12%3A00%3A00.000Z";

#[test]
fn billing_requests_without_dates_cover_this_month_so_far() {
    let cases = [
        (
            "get_credits_balance",
            json!({}),
            "GET /api/v1/billing/credits".to_owned(),
        ),
        // The API keeps its own defaults here.
        (
            "get_spending_summary",
            json!({}),
            "GET /api/v1/billing/spending".to_owned(),
        ),
        (
            "get_credit_history",
            json!({}),
            "GET /api/v1/billing/history".to_owned(),
        ),
        (
            "get_agents_usage",
            json!({}),
            format!("GET /api/v1/billing/agents?{MONTH_START}&{NOW}"),
        ),
        (
            "get_agent_cost_breakdown",
            json!({"agentId": 123}),
            format!("GET /api/v1/billing/agents/123?{MONTH_START}&{NOW}"),
        ),
        (
            "get_agent_runs_cost",
            json!({"agentId": 123}),
            format!("GET /api/v1/billing/agents/123/runs?{MONTH_START}&{NOW}"),
        ),
        // One date given, the other defaulted.
        (
            "get_agents_usage",
            json!({"startDate": "2026-10-15"}),
            format!("GET /api/v1/billing/agents?startDate=2026-10-15&{NOW}"),
        ),
        (
            "get_agents_usage",
            json!({"endDate": "2026-11-02", "startDate": null}),
            format!("GET /api/v1/billing/agents?{MONTH_START}&endDate=2026-11-02"),
        ),
    ];
    for (tool, args, want) in cases {
        assert_eq!(line(tool, args.clone()), want, "{tool} {args}");
    }
}

#[test]
fn billing_requests_map_every_parameter_in_order() {
    let cases = [
        (
            "get_spending_summary",
            json!({"startDate": "2026-01-01", "endDate": "2026-01-31T23:59:59Z"}),
            "GET /api/v1/billing/spending?startDate=2026-01-01&endDate=2026-01-31T23%3A59%3A59Z",
        ),
        (
            "get_spending_summary",
            json!({"endDate": "2026-01-31"}),
            "GET /api/v1/billing/spending?endDate=2026-01-31",
        ),
        (
            "get_credit_history",
            json!({"recordsPerPage": 100, "pageIndex": 2}),
            "GET /api/v1/billing/history?pageIndex=2&recordsPerPage=100",
        ),
        (
            "get_agents_usage",
            json!({"usageTypes": "Server Time, Export GB,", "name": "Test & Demo",
                   "sortOrder": "desc", "sortColumn": "cost", "recordsPerPage": 1000,
                   "pageIndex": 2, "endDate": "2024-01-31T23:59:59Z",
                   "startDate": "2024-01-01T00:00:00Z"}),
            "GET /api/v1/billing/agents?startDate=2024-01-01T00%3A00%3A00Z\
             &endDate=2024-01-31T23%3A59%3A59Z&pageIndex=2&recordsPerPage=1000\
             &sortColumn=cost&sortOrder=1&name=Test%20%26%20Demo\
             &usageTypes=Server%20Time%2CExport%20GB",
        ),
        (
            "get_agents_usage",
            json!({"sortColumn": "name", "sortOrder": "asc", "name": "", "usageTypes": "",
                   "startDate": "2026-11-01", "endDate": "2026-11-01"}),
            "GET /api/v1/billing/agents?startDate=2026-11-01&endDate=2026-11-01\
             &sortColumn=name&sortOrder=0",
        ),
        (
            "get_agent_cost_breakdown",
            json!({"agentId": "123", "usageTypes": "Server Time", "timeUnit": "month",
                   "startDate": "2024-02-01", "endDate": "2024-02-28T23:59:59Z"}),
            "GET /api/v1/billing/agents/123?startDate=2024-02-01\
             &endDate=2024-02-28T23%3A59%3A59Z&timeUnit=month&usageTypes=Server%20Time",
        ),
        (
            "get_agent_cost_breakdown",
            json!({"agentId": 123, "timeUnit": "day"}),
            &format!("GET /api/v1/billing/agents/123?{MONTH_START}&{NOW}&timeUnit=day"),
        ),
        (
            "get_agent_runs_cost",
            json!({"agentId": 123, "usageTypes": "Proxy Data", "sortOrder": "desc",
                   "sortColumn": "duration", "recordsPerPage": 5, "pageIndex": 3}),
            &format!(
                "GET /api/v1/billing/agents/123/runs?{MONTH_START}&{NOW}&pageIndex=3\
                 &recordsPerPage=5&sortColumn=duration&sortOrder=1&usageTypes=Proxy%20Data"
            ),
        ),
        (
            "get_agent_runs_cost",
            json!({"agentId": 123, "sortColumn": "date", "startDate": "2026-11-20T08:00:00+02:00"}),
            &format!(
                "GET /api/v1/billing/agents/123/runs?startDate=2026-11-20T08%3A00%3A00%2B02%3A00\
                 &{NOW}&sortColumn=date"
            ),
        ),
    ];
    for (tool, args, want) in cases {
        assert_eq!(line(tool, args.clone()), want, "{tool} {args}");
    }
}

#[test]
fn billing_refuses_bad_parameters_by_name() {
    let cases = [
        (
            "get_agents_usage",
            json!({"sortColumn": "spend"}),
            "Invalid input: Invalid parameter 'sortColumn': 'spend' is not one of: name, cost",
        ),
        (
            "get_agents_usage",
            json!({"sortOrder": 1}),
            "Invalid input: Invalid parameter 'sortOrder': ",
        ),
        (
            "get_agents_usage",
            json!({"recordsPerPage": 1001}),
            "Invalid input: Invalid parameter 'recordsPerPage': must be <= 1000, got 1001",
        ),
        (
            "get_agents_usage",
            json!({"pageIndex": 0}),
            "Invalid input: Invalid parameter 'pageIndex': must be >= 1, got 0",
        ),
        (
            "get_agents_usage",
            json!({"startDate": ""}),
            "Invalid input: Invalid parameter 'startDate': expected an ISO 8601 date",
        ),
        (
            "get_agents_usage",
            json!({"endDate": "last week"}),
            "Invalid input: Invalid parameter 'endDate': expected an ISO 8601 date",
        ),
        (
            "get_agents_usage",
            json!({"usageTypes": ["Server Time"]}),
            "Invalid input: Invalid parameter 'usageTypes': expected a string",
        ),
        (
            "get_credit_history",
            json!({"recordsPerPage": 101}),
            "Invalid input: Invalid parameter 'recordsPerPage': must be <= 100, got 101",
        ),
        (
            "get_credit_history",
            json!({"pageIndex": -1}),
            "Invalid input: Invalid parameter 'pageIndex': must be >= 1, got -1",
        ),
        (
            "get_spending_summary",
            json!({"startDate": "2026-02-30"}),
            "Invalid input: Invalid parameter 'startDate': expected an ISO 8601 date",
        ),
        (
            "get_credits_balance",
            json!({"organizationId": 1}),
            "Invalid input: Unknown parameter 'organizationId'; this tool takes no parameters",
        ),
        (
            "get_agent_cost_breakdown",
            json!({"agentId": 1, "timeUnit": "week"}),
            "Invalid input: Invalid parameter 'timeUnit': 'week' is not one of: day, month",
        ),
        (
            "get_agent_cost_breakdown",
            json!({"agentId": 1, "timeUnit": "Month"}),
            "Invalid input: Invalid parameter 'timeUnit': 'Month' is not one of: day, month",
        ),
        (
            "get_agent_runs_cost",
            json!({"agentId": 1, "sortColumn": "name"}),
            "Invalid input: Invalid parameter 'sortColumn': 'name' is not one of: date, cost, duration",
        ),
        (
            "get_agent_runs_cost",
            json!({"agentId": 1, "recordsPerPage": 0}),
            "Invalid input: Invalid parameter 'recordsPerPage': must be >= 1, got 0",
        ),
        (
            "get_agent_runs_cost",
            json!({}),
            "Invalid input: Missing required parameter: agentId",
        ),
    ];
    for (tool, args, says) in cases {
        let e = refusal(tool, args.clone());
        assert!(e.starts_with(says), "{tool} {args}: {e}");
    }
}

#[test]
fn reversed_ranges_are_refused_naming_both_dates() {
    for (tool, takes_agent) in [
        ("get_agents_usage", false),
        ("get_agent_cost_breakdown", true),
        ("get_agent_runs_cost", true),
        ("get_spending_summary", false),
    ] {
        let mut args = json!({"startDate": "2026-03-01", "endDate": "2026-02-28T23:59:59Z"});
        if takes_agent {
            args["agentId"] = json!(1);
        }
        let e = refusal(tool, args);
        assert_eq!(
            e,
            "Invalid input: startDate 2026-03-01 is after endDate 2026-02-28T23:59:59Z; \
             startDate must be on or before endDate",
            "{tool}"
        );
    }
    // Against a default, the default is named as such.
    assert_eq!(
        refusal("get_agents_usage", json!({"startDate": "2026-12-01"})),
        "Invalid input: startDate 2026-12-01 is after endDate 2026-11-21T12:00:00.000Z \
         (default: now); startDate must be on or before endDate"
    );
    assert_eq!(
        refusal(
            "get_agent_runs_cost",
            json!({"agentId": 1, "endDate": "2026-10-31"})
        ),
        "Invalid input: startDate 2026-11-01T00:00:00.000Z (default: the first day of this \
         month) is after endDate 2026-10-31; startDate must be on or before endDate"
    );
    // Compared as instants, not as text: 10:00+02:00 is 08:00Z.
    assert!(plan(
        "get_agents_usage",
        json!({"startDate": "2026-01-01T10:00:00+02:00", "endDate": "2026-01-01T08:00:00Z"})
    )
    .is_ok());
    assert!(refusal(
        "get_agents_usage",
        json!({"startDate": "2026-01-01T10:00:00+02:00", "endDate": "2026-01-01T07:59:59Z"})
    )
    .contains("is after endDate"));
}

#[test]
fn ids_that_are_not_positive_integers_never_reach_a_path() {
    for bad in [
        json!("1/../admin"),
        json!(-1),
        json!(0),
        json!(1.5),
        json!(null),
    ] {
        for (tool, param) in [
            ("get_agent_cost_breakdown", "agentId"),
            ("get_agent_runs_cost", "agentId"),
            ("get_space", "spaceId"),
            ("get_space_agents", "spaceId"),
            ("run_space_agents", "spaceId"),
        ] {
            let e = refusal(tool, json!({ param: bad }));
            assert!(e.starts_with("Invalid input: "), "{tool} {bad}: {e}");
            assert!(e.contains(param), "{tool} {bad}: {e}");
        }
    }
    assert_eq!(
        refusal("get_space", json!({"spaceId": "1/../admin"})),
        r#"Invalid input: Invalid parameter 'spaceId': expected an integer, got "1/../admin""#
    );
    assert_eq!(
        refusal("get_agent_runs_cost", json!({"agentId": -1})),
        "Invalid input: Invalid parameter 'agentId': must be >= 1, got -1"
    );
}

#[test]
fn space_requests() {
    let cases = [
        ("list_spaces", json!({}), "GET /api/v1/spaces"),
        ("get_space", json!({"spaceId": 7}), "GET /api/v1/spaces/7"),
        (
            "get_space_agents",
            json!({"spaceId": 7}),
            "GET /api/v1/spaces/7/agents",
        ),
        (
            "search_space_by_name",
            json!({"name": "Bot Blocking"}),
            "GET /api/v1/spaces/search?name=Bot%20Blocking",
        ),
        (
            "search_space_by_name",
            json!({"name": "Test & Demo"}),
            "GET /api/v1/spaces/search?name=Test%20%26%20Demo",
        ),
        (
            "search_space_by_name",
            json!({"name": "../x?y=1#z"}),
            "GET /api/v1/spaces/search?name=..%2Fx%3Fy%3D1%23z",
        ),
        (
            "run_space_agents",
            json!({"spaceId": 7}),
            "POST /api/v1/spaces/7/run-all",
        ),
    ];
    for (tool, args, want) in cases {
        assert_eq!(line(tool, args.clone()), want, "{tool} {args}");
    }
    for (args, says) in [
        (json!({}), "Invalid input: Missing required parameter: name"),
        (
            json!({"name": "  "}),
            "Invalid input: Invalid parameter 'name': must not be blank",
        ),
        (
            json!({"name": ""}),
            "Invalid input: Invalid parameter 'name': must not be blank",
        ),
        (
            json!({"name": 5}),
            "Invalid input: Invalid parameter 'name': expected a string",
        ),
    ] {
        let e = refusal("search_space_by_name", args.clone());
        assert!(e.starts_with(says), "{args}: {e}");
    }
    assert!(refusal("list_spaces", json!({"spaceId": 1})).contains("Unknown parameter 'spaceId'"));
}

#[test]
fn run_space_agents_sends_the_inputs_as_json_text_or_an_empty_object() {
    let body = |args| {
        plan("run_space_agents", args)
            .unwrap()
            .body
            .unwrap()
            .to_string()
    };
    assert_eq!(body(json!({"spaceId": 7})), "{}");
    assert_eq!(
        body(json!({"spaceId": 7, "inputParameters": r#"{"query": "shoes"}"#})),
        r#"{"InputParameters":"{\"query\": \"shoes\"}"}"#
    );
    // An object is accepted and sent as its JSON text.
    assert_eq!(
        body(json!({"spaceId": 7, "inputParameters": {"query": "shoes"}})),
        r#"{"InputParameters":"{\"query\":\"shoes\"}"}"#
    );
    assert_eq!(body(json!({"spaceId": 7, "inputParameters": null})), "{}");
    let e = refusal(
        "run_space_agents",
        json!({"spaceId": 7, "inputParameters": "{query: shoes}"}),
    );
    assert!(
        e.starts_with("Invalid input: Invalid parameter 'inputParameters': must be a valid JSON"),
        "{e}"
    );
}

#[test]
fn list_spaces_through_the_app_puts_the_array_under_spaces() {
    let p = FakePlatform::new(60_000);
    let spaces = json!([
        {"id": 1, "name": "Default", "organizationId": 9, "isDefaultAccess": true},
        {"id": 2, "name": "Bot Blocking", "organizationId": 9, "isDefaultAccess": false}
    ]);
    p.upstream.push(Ok(fake::json(200, &spaces)));
    let result = call_tool(&p, "list_spaces", json!({}));
    let calls = p.upstream.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].url,
        "https://dashboard.sequentum.com/api/v1/spaces"
    );
    assert!(result.get("isError").is_none());
    assert_eq!(result["structuredContent"], json!({ "spaces": spaces }));
    assert_eq!(
        result_text(&result),
        serde_json::to_string(&json!({ "spaces": spaces })).unwrap()
    );
}

#[test]
fn get_agents_usage_through_the_app_defaults_to_the_platform_month() {
    let p = FakePlatform::new(60_000); // now: 2023-11-14T22:13:20Z
    let usage = json!({
        "agents": [{"agentId": 42, "agentName": "Prices", "cost": 12.5, "spaceId": null}],
        "totalRecordCount": 1,
        "totalCost": 12.5,
        "startDate": "2023-11-01T00:00:00Z",
        "endDate": "2023-11-14T22:13:20Z"
    });
    p.upstream.push(Ok(fake::json(200, &usage)));
    let result = call_tool(
        &p,
        "get_agents_usage",
        json!({"sortColumn": "cost", "sortOrder": "desc"}),
    );
    let calls = p.upstream.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].url,
        "https://dashboard.sequentum.com/api/v1/billing/agents\
         ?startDate=2023-11-01T00%3A00%3A00.000Z&endDate=2023-11-14T22%3A13%3A20.000Z\
         &sortColumn=cost&sortOrder=1"
    );
    assert_eq!(result["structuredContent"], usage);
    // A refused range never goes upstream.
    let refused = call_tool(&p, "get_agents_usage", json!({"startDate": "2023-12-01"}));
    assert_eq!(refused["isError"], true);
    assert!(result_text(&refused).contains("(default: now)"));
    assert_eq!(p.upstream.calls().len(), 1);
}

#[test]
fn run_space_agents_through_the_app_shows_the_api_answer() {
    let p = FakePlatform::new(60_000);
    let started = json!({
        "spaceId": 7, "spaceName": "Bot Blocking", "totalAgents": 2,
        "agentsStarted": 1, "agentsFailed": 1,
        "results": [
            {"agentId": 1, "agentName": "A", "success": true, "runId": 5201},
            {"agentId": 2, "agentName": "B", "success": false, "errorMessage": "No credits"}
        ]
    });
    p.upstream.push(Ok(fake::json(200, &started)));
    let result = call_tool(
        &p,
        "run_space_agents",
        json!({"spaceId": 7, "inputParameters": {"q": "x"}}),
    );
    assert_eq!(result["structuredContent"], started);
    let calls = p.upstream.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].url,
        "https://dashboard.sequentum.com/api/v1/spaces/7/run-all"
    );
}

#[test]
fn upstream_failures_become_error_results() {
    // Billing: a 403 is not retried and says why.
    let p = FakePlatform::new(60_000);
    p.upstream.push(Ok(fake::json(
        403,
        &json!({"message": "Billing is visible to administrators only"}),
    )));
    let result = call_tool(&p, "get_credits_balance", json!({}));
    assert_eq!(result["isError"], true);
    assert_eq!(
        result_text(&result),
        "Access denied: Billing is visible to administrators only"
    );
    assert_eq!(p.upstream.calls().len(), 1);
    // Spaces: an unknown space.
    let p = FakePlatform::new(60_000);
    p.upstream
        .push(Ok(fake::json(404, &json!({"message": "Space not found"}))));
    let result = call_tool(&p, "search_space_by_name", json!({"name": "Nope"}));
    assert_eq!(result["isError"], true);
    assert_eq!(result_text(&result), "Not found: Space not found");
    // A POST is sent once, even when the API fails.
    let p = FakePlatform::new(60_000);
    p.upstream.route(|_| Ok(fake::status(503)));
    let result = call_tool(&p, "run_space_agents", json!({"spaceId": 7}));
    assert_eq!(result["isError"], true);
    assert!(result_text(&result).starts_with("Upstream error (HTTP 503)"));
    assert_eq!(p.upstream.calls().len(), 1);
}

#[test]
fn titles_and_annotations_follow_the_table() {
    let specs = sequentum_mcp::catalog::tools::declared();
    let find = |name: &str| {
        specs
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no tool {name}"))
    };
    for (name, title) in [
        ("get_credits_balance", "Get Credits Balance"),
        ("get_spending_summary", "Get Spending Summary"),
        ("get_credit_history", "Get Credit History"),
        ("get_agents_usage", "Get Agents Usage"),
        ("get_agent_cost_breakdown", "Get Agent Cost Breakdown"),
        ("get_agent_runs_cost", "Get Agent Runs Cost"),
        ("list_spaces", "List Spaces"),
        ("get_space", "Get Space"),
        ("get_space_agents", "Get Space Agents"),
        ("search_space_by_name", "Search Space by Name"),
    ] {
        let tool = find(name);
        assert_eq!(tool.title.as_deref(), Some(title), "{name}");
        let a = tool.annotations.as_ref().unwrap();
        assert_eq!(a.read_only_hint, Some(true), "{name}");
        assert_eq!(a.destructive_hint, None, "{name}");
    }
    let run = find("run_space_agents");
    assert_eq!(run.title.as_deref(), Some("Run Space Agents"));
    let a = run.annotations.as_ref().unwrap();
    assert_eq!(
        (a.read_only_hint, a.destructive_hint, a.open_world_hint),
        (Some(false), Some(false), Some(true))
    );
    // The enumerations are declared, so a model sees the choices.
    let schema = sequentum_mcp::catalog::tools::schema_of("get_agent_runs_cost").unwrap();
    assert_eq!(
        schema["properties"]["sortColumn"]["enum"],
        json!(["date", "cost", "duration"])
    );
    assert_eq!(
        schema["properties"]["sortOrder"]["enum"],
        json!(["asc", "desc"])
    );
    assert_eq!(schema["required"], json!(["agentId"]));
}
