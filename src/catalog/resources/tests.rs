use serde_json::json;

use super::*;
use crate::sequentum::fake::{self, block_on, FakeTransport};
use crate::sequentum::{Auth, Settings};

/// 2026-11-21T12:00:00Z
const NOW: i64 = 1_795_262_400_000;

#[test]
fn the_spec_lists_in_order() {
    let names: Vec<_> = FIXED.iter().map(|r| (r.uri, r.name)).collect();
    assert_eq!(
        names,
        [
            ("sequentum://agents", "Agent List"),
            ("sequentum://spaces", "Spaces"),
            ("sequentum://billing/balance", "Credits Balance"),
            ("sequentum://billing/spending", "Monthly Spending"),
            (
                "sequentum://billing/agents-usage",
                "Agent Costs (Current Month)"
            ),
            ("sequentum://analytics/runs", "Recent Runs Summary"),
            (
                "sequentum://analytics/upcoming-schedules",
                "Upcoming Schedules"
            ),
        ]
    );
    let templates: Vec<_> = TEMPLATES.iter().map(|t| t.name).collect();
    assert_eq!(
        templates,
        [
            "Agent Detail",
            "Agent Versions",
            "Agent Schedules",
            "Agent Cost Breakdown",
            "Space Detail",
            "Space Agents",
            "Agent Runs",
            "Run Status",
            "Run Files",
            "Run Diagnostics",
            "Latest Failure",
        ]
    );
    for r in declared() {
        assert_eq!(r.mime_type.as_deref(), Some(MIME_TYPE));
        assert!(r.title.is_some_and(|t| !t.is_empty()));
        assert!(r.description.is_some_and(|d| !d.is_empty()));
    }
    for t in declared_templates() {
        assert_eq!(t.mime_type.as_deref(), Some(MIME_TYPE));
        assert!(t.title.is_some_and(|t| !t.is_empty()));
        assert!(t.description.is_some_and(|d| !d.is_empty()));
    }
}

/// `template` with its variables replaced by `ids`, in order.
fn fill(template: &Template, ids: &[&str]) -> String {
    let mut ids = ids.iter();
    template
        .parts()
        .map(|p| match p {
            Part::Literal(l) => l.to_owned(),
            Part::Variable(_) => (*ids.next().expect("enough ids")).to_owned(),
        })
        .collect()
}

#[test]
fn every_template_parses_its_own_instances_and_only_them() {
    let mut seen = Vec::new();
    for t in &TEMPLATES {
        let vars: Vec<_> = t.variables().collect();
        assert!(!vars.is_empty(), "{}", t.uri_template);
        assert!(
            vars.iter()
                .all(|v| ["agentId", "spaceId", "runId"].contains(v)),
            "{}",
            t.uri_template
        );
        let ids = ["42", "9007199254740991"];
        let uri = fill(t, &ids[..vars.len()]);
        let parsed = parse(&uri).unwrap_or_else(|| panic!("{uri}"));
        // Exactly one template takes it, and it is a different reference
        // from every other template's.
        assert_eq!(
            TEMPLATES
                .iter()
                .filter(|o| o.matches(&uri).is_some())
                .count(),
            1,
            "{uri}"
        );
        assert!(!seen.contains(&parsed), "{uri}");
        seen.push(parsed);
        // Each id lands where the template says.
        let debug = format!("{parsed:?}");
        assert!(debug.contains("42"), "{debug}");
        if vars.len() == 2 {
            assert!(debug.contains("9007199254740991"), "{debug}");
        }
        // A bad id in any position is not found.
        for (i, _) in vars.iter().enumerate() {
            for bad in [
                "0",
                "007",
                "-1",
                "+1",
                "abc",
                "1.5",
                "",
                " 1",
                "9007199254740992",
            ] {
                let mut ids = vec!["7"; vars.len()];
                ids[i] = bad;
                let uri = fill(t, &ids);
                assert_eq!(parse(&uri), None, "{uri}");
            }
        }
    }
    assert_eq!(seen.len(), 11);
}

#[test]
fn the_spec_examples_are_refused() {
    for uri in [
        "sequentum://unknown",
        "sequentum://agents/abc",
        "sequentum://agents/0",
        "sequentum://agents/007",
        "sequentum://agents/-1",
        "sequentum://agents/42/",
        "sequentum://agents/42?x=1",
        "sequentum://agents/42#x",
        "sequentum://AGENTS/42",
        "sequentum://agents/42/runs/0",
        "sequentum://spaces/5/agents/1",
        "sequentum://agents/42/runs/7/files/",
        "sequentum://agents/",
        "sequentum://agents/%34%32",
        "sequentum://agents/４２",
        "https://dashboard.sequentum.com/api/v1/agent/42",
        "sequentum://agents ",
        "",
    ] {
        assert_eq!(parse(uri), None, "{uri:?}");
    }
    assert_eq!(parse("sequentum://agents"), Some(ResourceRef::Agents));
    assert_eq!(
        parse("sequentum://agents/42/runs/100/diagnostics"),
        Some(ResourceRef::RunDiagnostics {
            agent: 42,
            run: 100
        })
    );
}

#[test]
fn each_resource_makes_its_request() {
    let line = |uri: &str| parse(uri).expect(uri).request(NOW).line();
    let month = "startDate=2026-11-01T00%3A00%3A00.000Z&endDate=2026-11-21T12%3A00%3A00.000Z";
    for (uri, expected) in [
        (
            "sequentum://agents",
            "GET /api/v1/agent/all?pageIndex=1&recordsPerPage=50".to_owned(),
        ),
        ("sequentum://spaces", "GET /api/v1/spaces".into()),
        ("sequentum://billing/balance", "GET /api/v1/billing/credits".into()),
        ("sequentum://billing/spending", "GET /api/v1/billing/spending".into()),
        (
            "sequentum://billing/agents-usage",
            format!(
                "GET /api/v1/billing/agents?{month}&pageIndex=1&recordsPerPage=50&sortColumn=cost&sortOrder=1"
            ),
        ),
        ("sequentum://analytics/runs", "GET /api/v1/analytics/runs/summary".into()),
        (
            "sequentum://analytics/upcoming-schedules",
            "GET /api/v1/analytics/schedules/upcoming".into(),
        ),
        ("sequentum://agents/42", "GET /api/v1/agent/42".into()),
        ("sequentum://agents/10/versions", "GET /api/v1/agent/10/versions".into()),
        ("sequentum://agents/10/schedules", "GET /api/v1/agent/10/schedules".into()),
        (
            "sequentum://agents/42/cost-breakdown",
            format!("GET /api/v1/billing/agents/42?{month}&timeUnit=day"),
        ),
        ("sequentum://spaces/5", "GET /api/v1/spaces/5".into()),
        ("sequentum://spaces/5/agents", "GET /api/v1/spaces/5/agents".into()),
        ("sequentum://agents/42/runs", "GET /api/v1/agent/42/runs".into()),
        ("sequentum://agents/42/runs/100", "GET /api/v1/agent/42/run/100/status".into()),
        (
            "sequentum://agents/42/runs/100/files",
            "GET /api/v1/agent/42/run/100/files".into(),
        ),
        (
            "sequentum://agents/42/runs/100/diagnostics",
            "GET /api/v1/analytics/agents/42/runs/100/diagnostics".into(),
        ),
        (
            "sequentum://agents/42/latest-failure",
            "GET /api/v1/analytics/agents/42/latest-failure".into(),
        ),
    ] {
        assert_eq!(line(uri), expected, "{uri}");
    }
}

#[test]
fn the_agent_list_is_trimmed_like_list_agents() {
    let agent = json!({"id": 101, "name": "Prices", "image": "AAAA", "documentation": "long",
        "status": 10, "configType": "Agent", "version": 3, "lastActivity": "2026-11-20T08:00:00Z"});
    for body in [
        json!([agent.clone()]),
        json!({"agents": [agent.clone()], "totalRecordCount": 1}),
    ] {
        let out = ResourceRef::Agents.render(ApiBody::Json(body)).unwrap();
        let first = &out["agents"][0];
        assert_eq!(first["id"], 101);
        assert_eq!(first["name"], "Prices");
        assert!(first.get("image").is_none() && first.get("documentation").is_none());
    }
    // Others pass through; an empty answer is null; text is refused.
    let v = json!({"availableCredits": 12.5});
    assert_eq!(
        ResourceRef::CreditsBalance.render(ApiBody::Json(v.clone())),
        Ok(v)
    );
    assert_eq!(
        ResourceRef::LatestFailure { agent: 1 }.render(ApiBody::Empty),
        Ok(serde_json::Value::Null)
    );
    assert!(ResourceRef::Spaces
        .render(ApiBody::Text("<html>".into()))
        .is_err());
}

fn read_with(t: &FakeTransport, uri: &str) -> Result<serde_json::Value, ReadError> {
    let auth = Auth::ApiKey("sk-test".into());
    let client = Client::new(t, Settings::new("https://api.example.com", 5_000), &auth);
    block_on(read(uri, &client))
}

#[test]
fn a_read_returns_one_json_text_for_the_uri_asked() {
    let t = FakeTransport::default();
    t.push(Ok(fake::json(200, &json!({"id": 5, "name": "Retail"}))));
    let out = read_with(&t, "sequentum://spaces/5").unwrap();
    assert_eq!(
        out,
        json!({"contents": [{
            "uri": "sequentum://spaces/5",
            "mimeType": "application/json",
            "text": r#"{"id":5,"name":"Retail"}"#,
        }]})
    );
    assert_eq!(t.calls()[0].url, "https://api.example.com/api/v1/spaces/5");
    assert_eq!(t.calls()[0].authorization, "ApiKey sk-test");
}

#[test]
fn unknown_uris_are_not_found_without_a_request() {
    let t = FakeTransport::default();
    assert_eq!(
        read_with(&t, "sequentum://agents/0"),
        Err(ReadError::NotFound { reason: None })
    );
    assert!(t.calls().is_empty());
}

#[test]
fn upstream_404_is_not_found_and_other_failures_are_failures() {
    let t = FakeTransport::default();
    t.push(Ok(fake::json(404, &json!({"message": "Agent not found"}))));
    assert_eq!(
        read_with(&t, "sequentum://agents/9"),
        Err(ReadError::NotFound {
            reason: Some("Agent not found".into())
        })
    );
    t.push(Ok(fake::status(401)));
    match read_with(&t, "sequentum://agents/9") {
        Err(ReadError::Failed(e)) => assert!(e.text().starts_with("Authentication failed")),
        other => panic!("{other:?}"),
    }
    let none = FakeTransport::default();
    let client = Client::new(&none, Settings::new("https://x", 5_000), &Auth::None);
    match block_on(read("sequentum://spaces", &client)) {
        Err(ReadError::Failed(e)) => assert!(e.text().starts_with("Authentication required")),
        other => panic!("{other:?}"),
    }
}
