//! File, version and schedule tools: request mapping, validation (ids,
//! ranges, enums, dates, cross-field rules), and rendering through the app.

mod support;

use sequentum_mcp::catalog::tools::{specs, Effect};
use sequentum_mcp::sequentum::{fake, HttpAnswer};
use serde_json::{json, Value};
use support::*;

const FAMILY: [&str; 12] = [
    "get_run_files",
    "get_file_download_url",
    "get_agent_versions",
    "restore_agent_version",
    "list_agent_schedules",
    "create_agent_schedule",
    "delete_agent_schedule",
    "get_agent_schedule",
    "update_agent_schedule",
    "enable_agent_schedule",
    "disable_agent_schedule",
    "get_scheduled_runs",
];

/// Valid arguments for each tool of the family.
fn valid(tool: &str) -> Value {
    match tool {
        "get_run_files" => json!({"agentId": 42, "runId": 5201}),
        "get_file_download_url" => json!({"agentId": 42, "runId": 5201, "fileId": 7}),
        "get_agent_versions" | "list_agent_schedules" => json!({"agentId": 42}),
        "restore_agent_version" => {
            json!({"agentId": 42, "versionNumber": 3, "comments": "undo selector change"})
        }
        "create_agent_schedule" => {
            json!({"agentId": 42, "name": "Daily", "cronExpression": "0 9 * * *"})
        }
        "update_agent_schedule" => json!({"agentId": 42, "scheduleId": 10, "name": "Daily"}),
        "get_scheduled_runs" => json!({}),
        _ => json!({"agentId": 42, "scheduleId": 10}),
    }
}

/// `valid(tool)` with `changes` (an object) applied.
fn with(tool: &str, changes: Value) -> Value {
    let mut args = valid(tool);
    if let (Value::Object(args), Value::Object(changes)) = (&mut args, changes) {
        args.extend(changes);
    }
    args
}

/// The refusal for `valid(tool)` with `changes` applied.
fn refused_with(tool: &str, changes: Value) -> String {
    refusal(tool, with(tool, changes))
}

#[test]
fn titles_and_annotations_follow_the_table_in_spec_order() {
    let specs = specs();
    let names: Vec<_> = specs.iter().map(|s| s.name).collect();
    let at = names
        .iter()
        .position(|n| *n == "delete_run")
        .expect("delete_run");
    assert_eq!(&names[at + 1..at + 13], FAMILY);
    let destructive = |d: bool| Effect::Write {
        destructive: d,
        open_world: false,
    };
    let want = [
        ("Get Run Files", Effect::Read),
        ("Get File Download URL", Effect::Read),
        ("Get Agent Versions", Effect::Read),
        ("Restore Agent Version", destructive(false)),
        ("List Agent Schedules", Effect::Read),
        ("Create Agent Schedule", destructive(false)),
        ("Delete Agent Schedule", destructive(true)),
        ("Get Agent Schedule", Effect::Read),
        ("Update Agent Schedule", destructive(false)),
        ("Enable Agent Schedule", destructive(false)),
        ("Disable Agent Schedule", destructive(false)),
        ("Get Scheduled Runs", Effect::Read),
    ];
    for (spec, (title, effect)) in specs[at + 1..at + 13].iter().zip(want) {
        assert_eq!((spec.title, spec.effect), (title, effect), "{}", spec.name);
    }
}

#[test]
fn every_tool_maps_to_its_request_line() {
    let cases = [
        (
            "get_run_files",
            "GET /api/v1/agent/42/run/5201/files".to_owned(),
        ),
        (
            "get_file_download_url",
            "GET /api/v1/agent/42/run/5201/file/7/download".into(),
        ),
        ("get_agent_versions", "GET /api/v1/agent/42/versions".into()),
        (
            "restore_agent_version",
            "POST /api/v1/agent/42/version/3/restore".into(),
        ),
        (
            "list_agent_schedules",
            "GET /api/v1/agent/42/schedules".into(),
        ),
        (
            "create_agent_schedule",
            "POST /api/v1/agent/42/schedules".into(),
        ),
        (
            "delete_agent_schedule",
            "DELETE /api/v1/agent/42/schedules/10".into(),
        ),
        (
            "get_agent_schedule",
            "GET /api/v1/agent/42/schedules/10".into(),
        ),
        (
            "update_agent_schedule",
            "PUT /api/v1/agent/42/schedules/10".into(),
        ),
        (
            "enable_agent_schedule",
            "POST /api/v1/agent/42/schedules/10/enable".into(),
        ),
        (
            "disable_agent_schedule",
            "POST /api/v1/agent/42/schedules/10/disable".into(),
        ),
        (
            "get_scheduled_runs",
            "GET /api/v1/analytics/schedules/upcoming".into(),
        ),
    ];
    assert_eq!(cases.len(), FAMILY.len());
    for (tool, want) in cases {
        assert_eq!(line(tool, valid(tool)), want, "{tool}");
    }
    // Requests without a body carry none.
    for tool in FAMILY {
        let has_body = plan(tool, valid(tool)).unwrap().body.is_some();
        let wants_body = matches!(
            tool,
            "restore_agent_version" | "create_agent_schedule" | "update_agent_schedule"
        );
        assert_eq!(has_body, wants_body, "{tool}");
    }
}

#[test]
fn scheduled_runs_pass_the_window_as_given() {
    assert_eq!(
        line(
            "get_scheduled_runs",
            json!({"startDate": "2026-11-21", "endDate": "2026-11-28T23:59:59Z"})
        ),
        "GET /api/v1/analytics/schedules/upcoming?startDate=2026-11-21&endDate=2026-11-28T23%3A59%3A59Z"
    );
    assert_eq!(
        line("get_scheduled_runs", json!({"endDate": "2026-11-28"})),
        "GET /api/v1/analytics/schedules/upcoming?endDate=2026-11-28"
    );
    // The same instant at both ends is a valid (empty) window.
    assert_eq!(
        line(
            "get_scheduled_runs",
            json!({"startDate": "2026-11-21", "endDate": "2026-11-21T00:00:00Z"})
        ),
        "GET /api/v1/analytics/schedules/upcoming?startDate=2026-11-21&endDate=2026-11-21T00%3A00%3A00Z"
    );
    for (args, says) in [
        (
            json!({"startDate": "2026-13-01"}),
            "Invalid input: Invalid parameter 'startDate': expected an ISO 8601 date",
        ),
        (
            json!({"endDate": "next week"}),
            "Invalid input: Invalid parameter 'endDate': expected an ISO 8601 date",
        ),
        (
            json!({"startDate": 20261121}),
            "Invalid input: Invalid parameter 'startDate': expected an ISO 8601 date string",
        ),
        (
            json!({"startDate": "2026-11-28", "endDate": "2026-11-21"}),
            "Invalid input: Invalid parameter 'startDate': must not be after endDate",
        ),
        (
            json!({"from": "2026-11-28"}),
            "Invalid input: Unknown parameter 'from'",
        ),
    ] {
        let e = refusal("get_scheduled_runs", args.clone());
        assert!(e.starts_with(says), "{args}: {e}");
    }
}

#[test]
fn ids_that_are_not_positive_integers_are_refused_by_name() {
    for tool in FAMILY {
        let args = valid(tool);
        let ids: Vec<String> = args
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| k.ends_with("Id") || *k == "versionNumber")
            .cloned()
            .collect();
        for id in ids {
            for bad in [json!("1/../admin"), json!(-1), json!(0), json!(2.5)] {
                let e = refused_with(tool, json!({ id.clone(): bad }));
                assert!(
                    e.starts_with(&format!("Invalid input: Invalid parameter '{id}': ")),
                    "{tool} {id}={bad}: {e}"
                );
            }
            let mut args = valid(tool);
            args.as_object_mut().unwrap().remove(&id);
            assert_eq!(
                refusal(tool, args),
                format!("Invalid input: Missing required parameter: {id}"),
                "{tool}"
            );
        }
    }
}

#[test]
fn restore_sends_the_comment_as_the_version_note() {
    let request = plan("restore_agent_version", valid("restore_agent_version")).unwrap();
    assert_eq!(
        request.body,
        Some(json!({"content": "undo selector change"}))
    );
    // An empty note is the caller's choice; a missing one is refused.
    let request = plan(
        "restore_agent_version",
        with("restore_agent_version", json!({"comments": ""})),
    )
    .unwrap();
    assert_eq!(request.body, Some(json!({"content": ""})));
    assert_eq!(
        refusal(
            "restore_agent_version",
            json!({"agentId": 42, "versionNumber": 3})
        ),
        "Invalid input: Missing required parameter: comments"
    );
    assert!(
        refused_with("restore_agent_version", json!({"comments": 5}))
            .starts_with("Invalid input: Invalid parameter 'comments': expected a string")
    );
}

#[test]
fn create_defaults_to_an_enabled_cron_schedule_with_one_set() {
    let body = plan("create_agent_schedule", valid("create_agent_schedule"))
        .unwrap()
        .body
        .unwrap();
    assert_eq!(
        body,
        json!({"Name": "Daily", "IsEnabled": true, "Parallelism": 1, "ScheduleType": 3,
               "CronExpression": "0 9 * * *"})
    );
}

#[test]
fn create_sends_every_setting_under_the_api_names() {
    let body = plan(
        "create_agent_schedule",
        json!({
            "agentId": 42, "name": "Every 6 hours", "scheduleType": 2,
            "startTime": "2026-11-22T08:00:00Z", "runEveryCount": 6, "runEveryPeriod": 2,
            "timezone": "UTC", "inputParameters": {"query": "shoes"}, "isEnabled": false,
            "parallelism": 4, "parallelMaxConcurrency": 2, "parallelExport": "Separated",
            "logLevel": "Warning", "logMode": "TextAndHtml", "isExclusive": true,
            "isWaitOnFailure": false
        }),
    )
    .unwrap()
    .body
    .unwrap();
    assert_eq!(
        body,
        json!({
            "Name": "Every 6 hours", "IsEnabled": false, "Parallelism": 4, "ScheduleType": 2,
            "StartTime": "2026-11-22T08:00:00Z", "RunEveryCount": 6, "RunEveryPeriod": 2,
            "Timezone": "UTC", "InputParameters": "{\"query\":\"shoes\"}",
            "ParallelMaxConcurrency": 2, "ParallelExport": "Separated", "LogLevel": "Warning",
            "LogMode": "TextAndHtml", "IsExclusive": true, "IsWaitOnFailure": false
        })
    );
    let body = plan(
        "create_agent_schedule",
        json!({"agentId": 42, "name": "Once", "scheduleType": 1,
               "startTime": "2026-11-21T13:00:00+01:00:00"}),
    );
    assert!(body.is_err(), "a malformed offset is not a date");
    let body = plan(
        "create_agent_schedule",
        json!({"agentId": 42, "name": "Once", "scheduleType": 1,
               "startTime": "2026-11-21T14:00:00+01:00"}),
    )
    .unwrap()
    .body
    .unwrap();
    assert_eq!(
        body,
        json!({"Name": "Once", "IsEnabled": true, "Parallelism": 1, "ScheduleType": 1,
               "StartTime": "2026-11-21T14:00:00+01:00"})
    );
}

#[test]
fn create_requires_the_fields_of_its_kind() {
    for (changes, says) in [
        (
            json!({"cronExpression": null}),
            "Invalid input: cronExpression is required when scheduleType is 3",
        ),
        (
            json!({"cronExpression": "  "}),
            "Invalid input: cronExpression is required when scheduleType is 3",
        ),
        (
            json!({"scheduleType": 1}),
            "Invalid input: startTime is required when scheduleType is 1 (RunOnce)",
        ),
        (
            json!({"scheduleType": 2, "runEveryCount": 6}),
            "Invalid input: runEveryCount and runEveryPeriod are required when scheduleType is 2 (RunEvery)",
        ),
        (
            json!({"scheduleType": 2, "runEveryPeriod": 2}),
            "Invalid input: runEveryCount and runEveryPeriod are required when scheduleType is 2 (RunEvery)",
        ),
        (
            json!({"name": " "}),
            "Invalid input: Invalid parameter 'name': must not be empty",
        ),
    ] {
        let e = refused_with("create_agent_schedule", changes.clone());
        assert!(e.starts_with(says), "{changes}: {e}");
    }
    let mut args = valid("create_agent_schedule");
    args.as_object_mut().unwrap().remove("name");
    assert_eq!(
        refusal("create_agent_schedule", args),
        "Invalid input: Missing required parameter: name"
    );
    // A RunEvery schedule needs no cronExpression, a RunOnce one no runEvery.
    assert!(plan(
        "create_agent_schedule",
        json!({"agentId": 1, "name": "n", "scheduleType": 2, "runEveryCount": 1, "runEveryPeriod": 5})
    )
    .is_ok());
}

#[test]
fn schedule_settings_are_range_and_enum_checked() {
    for tool in ["create_agent_schedule", "update_agent_schedule"] {
        for (changes, says) in [
            (
                json!({"scheduleType": 4}),
                "Invalid parameter 'scheduleType': must be <= 3, got 4",
            ),
            (
                json!({"scheduleType": 0}),
                "Invalid parameter 'scheduleType': must be >= 1, got 0",
            ),
            (
                json!({"runEveryPeriod": 6}),
                "Invalid parameter 'runEveryPeriod': must be <= 5, got 6",
            ),
            (
                json!({"runEveryCount": 0}),
                "Invalid parameter 'runEveryCount': must be >= 1, got 0",
            ),
            (
                json!({"parallelism": 51}),
                "Invalid parameter 'parallelism': must be <= 50, got 51",
            ),
            (
                json!({"parallelMaxConcurrency": 0}),
                "Invalid parameter 'parallelMaxConcurrency': must be >= 1, got 0",
            ),
            (
                json!({"parallelExport": "Separate"}),
                "Invalid parameter 'parallelExport': 'Separate' is not one of: Combined, Separated",
            ),
            (
                json!({"logLevel": "Debug"}),
                "Invalid parameter 'logLevel': 'Debug' is not one of: Fatal, Error, Warning, Info",
            ),
            (
                json!({"logMode": "Json"}),
                "Invalid parameter 'logMode': 'Json' is not one of: Text, TextAndHtml",
            ),
            (
                json!({"inputParameters": "{query:"}),
                "Invalid parameter 'inputParameters': must be a valid JSON string",
            ),
            (
                json!({"isEnabled": "yes"}),
                "Invalid parameter 'isEnabled': expected a boolean",
            ),
            (
                json!({"startTime": "tomorrow 9am"}),
                "Invalid parameter 'startTime': expected an ISO 8601 date",
            ),
            (
                json!({"startTime": "2026-02-30T10:00:00Z"}),
                "Invalid parameter 'startTime': expected an ISO 8601 date",
            ),
            (
                json!({"proxyPoolId": 3}),
                "Unknown parameter 'proxyPoolId'; this tool takes: ",
            ),
        ] {
            let e = refused_with(tool, changes.clone());
            assert!(
                e.starts_with(&format!("Invalid input: {says}")),
                "{tool} {changes}: {e}"
            );
        }
    }
}

#[test]
fn start_times_must_be_ahead_of_now_for_run_once_and_run_every() {
    // NOW_MS is 2026-11-21T12:00:00Z.
    let once = |start: &str| {
        plan(
            "create_agent_schedule",
            json!({"agentId": 1, "name": "n", "scheduleType": 1, "startTime": start}),
        )
    };
    assert!(once("2026-11-21T12:01:00.001Z").is_ok());
    assert!(once("2026-11-21T13:01:01+01:00").is_ok());
    for too_soon in [
        "2026-11-21T12:01:00Z",
        "2026-11-21T12:00:30Z",
        "2026-11-21T13:00:59+01:00",
        "2025-01-01",
    ] {
        let e = once(too_soon).unwrap_err();
        assert_eq!(
            e,
            format!(
                "Invalid input: Invalid parameter 'startTime': a RunOnce (scheduleType 1) start \
                 must be more than 1 minute from now (now is 2026-11-21T12:00:00.000Z UTC), \
                 got {too_soon}"
            )
        );
    }
    let every = |start: &str| {
        plan(
            "create_agent_schedule",
            json!({"agentId": 1, "name": "n", "scheduleType": 2, "runEveryCount": 1,
                   "runEveryPeriod": 3, "startTime": start}),
        )
    };
    assert!(every("2026-11-21T12:00:00.001Z").is_ok());
    let e = every("2026-11-21T12:00:00Z").unwrap_err();
    assert!(
        e.starts_with(
            "Invalid input: Invalid parameter 'startTime': a RunEvery (scheduleType 2) start \
             must be in the future"
        ),
        "{e}"
    );
    // A CRON schedule does not use startTime; a past one is passed on.
    assert!(plan(
        "create_agent_schedule",
        with(
            "create_agent_schedule",
            json!({"startTime": "2020-01-01T00:00:00Z"})
        )
    )
    .is_ok());
}

#[test]
fn update_sends_only_what_was_given() {
    let body = plan("update_agent_schedule", valid("update_agent_schedule"))
        .unwrap()
        .body
        .unwrap();
    assert_eq!(body, json!({"Name": "Daily"}));
    let body = plan(
        "update_agent_schedule",
        with(
            "update_agent_schedule",
            json!({"isEnabled": false, "parallelism": 2, "timezone": "UTC",
                   "logLevel": "Error", "logMode": "Text", "parallelExport": "Combined",
                   "inputParameters": "{}", "isExclusive": false, "isWaitOnFailure": true,
                   "parallelMaxConcurrency": 2}),
        ),
    )
    .unwrap()
    .body
    .unwrap();
    assert_eq!(
        body,
        json!({"Name": "Daily", "IsEnabled": false, "Parallelism": 2, "Timezone": "UTC",
               "LogLevel": "Error", "LogMode": "Text", "ParallelExport": "Combined",
               "InputParameters": "{}", "IsExclusive": false, "IsWaitOnFailure": true,
               "ParallelMaxConcurrency": 2})
    );
}

#[test]
fn update_infers_the_kind_from_the_timing_fields() {
    let body = |changes: Value| {
        plan(
            "update_agent_schedule",
            with("update_agent_schedule", changes),
        )
        .unwrap()
        .body
        .unwrap()
    };
    assert_eq!(
        body(json!({"cronExpression": "0 6 * * *"})),
        json!({"Name": "Daily", "ScheduleType": 3, "CronExpression": "0 6 * * *"})
    );
    assert_eq!(
        body(json!({"runEveryCount": 2})),
        json!({"Name": "Daily", "ScheduleType": 2, "RunEveryCount": 2})
    );
    assert_eq!(
        body(json!({"runEveryPeriod": 4})),
        json!({"Name": "Daily", "ScheduleType": 2, "RunEveryPeriod": 4})
    );
    // An explicit kind settles a mix of fields.
    assert_eq!(
        body(json!({"scheduleType": 2, "cronExpression": "", "runEveryCount": 2})),
        json!({"Name": "Daily", "ScheduleType": 2, "CronExpression": "", "RunEveryCount": 2})
    );
    let e = refused_with(
        "update_agent_schedule",
        json!({"cronExpression": "0 6 * * *", "runEveryPeriod": 2}),
    );
    assert!(
        e.starts_with(
            "Invalid input: cronExpression and runEveryCount/runEveryPeriod were both given \
             without scheduleType"
        ),
        "{e}"
    );
    // An inferred RunEvery checks startTime like an explicit one.
    let e = refused_with(
        "update_agent_schedule",
        json!({"runEveryCount": 2, "startTime": "2026-11-21T11:00:00Z"}),
    );
    assert!(e.contains("'startTime': a RunEvery"), "{e}");
    let e = refused_with(
        "update_agent_schedule",
        json!({"scheduleType": 1, "startTime": "2026-11-21T12:00:10Z"}),
    );
    assert!(e.contains("'startTime': a RunOnce"), "{e}");
    // With no kind given or implied, startTime is passed on unchecked.
    assert_eq!(
        body(json!({"startTime": "2026-11-20T00:00:00Z"})),
        json!({"Name": "Daily", "StartTime": "2026-11-20T00:00:00Z"})
    );
    // Name stays required and non-blank.
    assert_eq!(
        refusal(
            "update_agent_schedule",
            json!({"agentId": 42, "scheduleId": 10})
        ),
        "Invalid input: Missing required parameter: name"
    );
    assert!(refused_with("update_agent_schedule", json!({"name": ""}))
        .starts_with("Invalid input: Invalid parameter 'name': must not be empty"));
}

#[test]
fn schedule_schema_documents_codes_and_enums() {
    let schema = sequentum_mcp::catalog::tools::schema_of("create_agent_schedule").expect("schema");
    let props = &schema["properties"];
    assert_eq!(
        schema["required"],
        json!(["agentId", "name"]),
        "only ids and name are required"
    );
    assert_eq!(
        props["logLevel"]["enum"],
        json!(["Fatal", "Error", "Warning", "Info"])
    );
    assert_eq!(
        props["parallelExport"]["enum"],
        json!(["Combined", "Separated"])
    );
    assert_eq!(props["logMode"]["enum"], json!(["Text", "TextAndHtml"]));
    assert_eq!(
        (
            props["scheduleType"]["minimum"].clone(),
            props["scheduleType"]["maximum"].clone()
        ),
        (json!(1), json!(3))
    );
    let period = props["runEveryPeriod"]["description"].as_str().unwrap();
    assert!(
        period.contains("2 hours") && period.contains("5 months"),
        "{period}"
    );
    assert!(props["scheduleType"]["description"]
        .as_str()
        .unwrap()
        .contains("Default 3"));
    let update = sequentum_mcp::catalog::tools::schema_of("update_agent_schedule").unwrap();
    assert_eq!(update["required"], json!(["agentId", "scheduleId", "name"]));
    assert!(update["properties"]["cronExpression"].is_object());
}

fn redirect(location: &str) -> HttpAnswer {
    HttpAnswer {
        status: 302,
        location: Some(location.into()),
        ..HttpAnswer::default()
    }
}

#[test]
fn run_files_are_summarised_with_readable_sizes() {
    let p = FakePlatform::new(60_000);
    p.upstream.push(Ok(fake::json(
        200,
        &json!([
            {"id": 1, "name": "output.csv", "fileType": "csv", "fileSize": 1024,
             "created": "2026-11-20T10:00:00Z", "regionId": 3},
            {"id": 2, "name": "big.xlsx", "fileType": "xlsx", "fileSize": 5_767_168,
             "created": "2026-11-20T10:01:00Z"},
            {"id": 3, "name": "empty.json", "fileType": "json", "fileSize": 0, "created": null},
        ]),
    )));
    let result = call_tool(&p, "get_run_files", valid("get_run_files"));
    assert_eq!(
        p.upstream.calls()[0].url,
        "https://dashboard.sequentum.com/api/v1/agent/42/run/5201/files"
    );
    assert_eq!(
        result["structuredContent"],
        json!({"files": [
            {"id": 1, "name": "output.csv", "fileType": "csv", "fileSize": 1024, "size": "1.0 KB",
             "created": "2026-11-20T10:00:00Z"},
            {"id": 2, "name": "big.xlsx", "fileType": "xlsx", "fileSize": 5_767_168,
             "size": "5.5 MB", "created": "2026-11-20T10:01:00Z"},
            {"id": 3, "name": "empty.json", "fileType": "json", "fileSize": 0, "size": "0 B",
             "created": null},
        ]})
    );
    // No files: an empty list, not a sentence.
    p.upstream.push(Ok(fake::json(200, &json!([]))));
    let result = call_tool(&p, "get_run_files", valid("get_run_files"));
    assert_eq!(result["structuredContent"], json!({"files": []}));
    assert_eq!(result_text(&result), r#"{"files":[]}"#);
    p.upstream.push(Ok(fake::status(204)));
    let result = call_tool(&p, "get_run_files", valid("get_run_files"));
    assert_eq!(result["structuredContent"], json!({"files": []}));
    // Something else than a list is an error, not a guess.
    p.upstream
        .push(Ok(fake::json(200, &json!({"error": "later"}))));
    let result = call_tool(&p, "get_run_files", valid("get_run_files"));
    assert_eq!(result["isError"], true);
    assert!(result_text(&result).starts_with("Upstream error: "));
}

#[test]
fn download_links_come_from_the_redirect_and_are_not_followed() {
    let p = FakePlatform::new(60_000);
    let url = "https://storage.example.com/file.csv?token=abc";
    p.upstream.push(Ok(redirect(url)));
    let result = call_tool(&p, "get_file_download_url", valid("get_file_download_url"));
    assert_eq!(
        result["structuredContent"],
        json!({"fileId": 7, "downloadUrl": url, "expiresSoon": true})
    );
    // One call: the storage URL itself is never fetched.
    let calls = p.upstream.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].url,
        "https://dashboard.sequentum.com/api/v1/agent/42/run/5201/file/7/download"
    );
    // A JSON answer carrying the link is accepted too.
    p.upstream.push(Ok(fake::json(
        200,
        &json!({"url": "https://s.example.com/x"}),
    )));
    let result = call_tool(&p, "get_file_download_url", valid("get_file_download_url"));
    assert_eq!(
        result["structuredContent"]["downloadUrl"],
        "https://s.example.com/x"
    );
    // Anything else is an upstream error, never "undefined".
    for answer in [
        fake::status(200),
        fake::json(200, &json!({"name": "file.csv"})),
        fake::json(200, &json!({"url": "/relative/path"})),
        HttpAnswer {
            status: 200,
            content_type: Some("text/csv".into()),
            body: b"a,b\n1,2".to_vec(),
            ..HttpAnswer::default()
        },
        redirect("/api/v1/login"),
    ] {
        p.upstream.push(Ok(answer.clone()));
        let result = call_tool(&p, "get_file_download_url", valid("get_file_download_url"));
        assert_eq!(result["isError"], true, "{answer:?}");
        assert_eq!(
            result_text(&result),
            "Upstream error: the Sequentum API did not answer with a download link"
        );
    }
}

#[test]
fn versions_and_restores_render_as_objects() {
    let p = FakePlatform::new(60_000);
    let versions = json!([{"version": 3, "userName": "user1", "created": "2024-01-03",
                           "comments": "fix", "fileSize": 2048}]);
    p.upstream.push(Ok(fake::json(200, &versions)));
    let result = call_tool(&p, "get_agent_versions", valid("get_agent_versions"));
    assert_eq!(result["structuredContent"], json!({ "versions": versions }));
    p.upstream.push(Ok(fake::status(204)));
    let result = call_tool(&p, "restore_agent_version", valid("restore_agent_version"));
    assert_eq!(
        result["structuredContent"],
        json!({"agentId": 42, "restoredVersion": 3, "newVersionCreated": true})
    );
    let call = &p.upstream.calls()[1];
    assert_eq!(call.method.as_str(), "POST");
    assert_eq!(
        serde_json::from_slice::<Value>(call.body.as_deref().unwrap()).unwrap(),
        json!({"content": "undo selector change"})
    );
}

#[test]
fn schedules_render_as_lists_schedule_objects_and_flags() {
    let p = FakePlatform::new(60_000);
    let schedule = json!({"id": 10, "configId": 42, "name": "Daily Run",
                          "schedule": "0 9 * * *", "isEnabled": true});
    p.upstream.push(Ok(fake::json(200, &json!([schedule]))));
    let s = call_tool(&p, "list_agent_schedules", valid("list_agent_schedules"));
    assert_eq!(s["structuredContent"], json!({ "schedules": [schedule] }));

    p.upstream.push(Ok(fake::json(200, &schedule)));
    let s = call_tool(&p, "get_agent_schedule", valid("get_agent_schedule"));
    assert_eq!(s["structuredContent"], schedule);

    p.upstream.push(Ok(fake::json(201, &schedule)));
    let s = call_tool(&p, "create_agent_schedule", valid("create_agent_schedule"));
    assert_eq!(s["structuredContent"], schedule);
    p.upstream.push(Ok(fake::json(200, &schedule)));
    let s = call_tool(&p, "update_agent_schedule", valid("update_agent_schedule"));
    assert_eq!(s["structuredContent"], schedule);
    let methods: Vec<String> = p
        .upstream
        .calls()
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c.method.as_str(),
                c.url.replace("https://dashboard.sequentum.com", "")
            )
        })
        .collect();
    assert_eq!(
        methods[2..],
        [
            "POST /api/v1/agent/42/schedules",
            "PUT /api/v1/agent/42/schedules/10"
        ]
    );

    // Write tools that answer nothing say what they did.
    p.upstream.route(|_| Ok(fake::status(204)));
    for (tool, want) in [
        (
            "delete_agent_schedule",
            json!({"agentId": 42, "scheduleId": 10, "deleted": true}),
        ),
        (
            "enable_agent_schedule",
            json!({"agentId": 42, "scheduleId": 10, "enabled": true}),
        ),
        (
            "disable_agent_schedule",
            json!({"agentId": 42, "scheduleId": 10, "enabled": false}),
        ),
        (
            "create_agent_schedule",
            json!({"agentId": 42, "created": true}),
        ),
        (
            "update_agent_schedule",
            json!({"agentId": 42, "scheduleId": 10, "updated": true}),
        ),
        ("get_scheduled_runs", json!({"upcoming": []})),
    ] {
        let s = call_tool(&p, tool, valid(tool));
        assert_eq!(s["structuredContent"], want, "{tool}");
    }

    let p = FakePlatform::new(60_000);
    let upcoming = json!([{"scheduleId": 10, "agentId": 42, "agentName": "Prices",
                           "nextRunTime": "2026-11-22T09:00:00Z", "isEnabled": true}]);
    p.upstream.push(Ok(fake::json(200, &upcoming)));
    let s = call_tool(
        &p,
        "get_scheduled_runs",
        json!({"startDate": "2026-11-21", "endDate": "2026-11-28"}),
    );
    assert_eq!(s["structuredContent"], json!({ "upcoming": upcoming }));
    assert_eq!(
        p.upstream.calls()[0].url,
        "https://dashboard.sequentum.com/api/v1/analytics/schedules/upcoming\
         ?startDate=2026-11-21&endDate=2026-11-28"
    );
}

#[test]
fn upstream_errors_reach_the_caller_in_every_family() {
    let p = FakePlatform::new(60_000);
    for (tool, message) in [
        ("get_run_files", "Run not found"),
        ("get_file_download_url", "File not found"),
        ("get_agent_versions", "Agent not found"),
        ("get_agent_schedule", "Schedule not found"),
        ("enable_agent_schedule", "Schedule not found"),
    ] {
        p.upstream
            .push(Ok(fake::json(404, &json!({ "message": message }))));
        let result = call_tool(&p, tool, valid(tool));
        assert_eq!(result["isError"], true, "{tool}");
        assert_eq!(result_text(&result), format!("Not found: {message}"));
    }
    // A rejected schedule is the API's reason, and a POST is not retried.
    let p = FakePlatform::new(60_000);
    p.upstream.push(Ok(fake::json(
        400,
        &json!({"message": "Invalid cron expression"}),
    )));
    let result = call_tool(&p, "create_agent_schedule", valid("create_agent_schedule"));
    assert_eq!(
        result_text(&result),
        "Rejected by the Sequentum API (HTTP 400): Invalid cron expression"
    );
    assert_eq!(p.upstream.calls().len(), 1);
    // Refused input never goes upstream.
    let result = call_tool(
        &p,
        "create_agent_schedule",
        json!({"agentId": 42, "name": "x", "scheduleType": 1}),
    );
    assert_eq!(result["isError"], true);
    assert_eq!(p.upstream.calls().len(), 1);
}
