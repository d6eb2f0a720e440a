//! Registry-wide checks; each family's mapping tests live in tests/tools_*.rs.

use std::collections::HashSet;

use super::*;

#[test]
fn names_are_unique_and_every_tool_is_routed() {
    let specs = specs();
    let names: HashSet<_> = specs.iter().map(|s| s.name).collect();
    assert_eq!(names.len(), specs.len());
    for spec in &specs {
        assert!(schema_of(spec.name).is_some(), "{}", spec.name);
        assert!(request_for(spec.name, None, 0).is_some(), "{}", spec.name);
        assert!(
            !spec.title.is_empty() && spec.description.len() > 20,
            "{}",
            spec.name
        );
    }
    assert!(request_for("nope", None, 0).is_none());
}

#[test]
fn schemas_are_plain_objects_without_null_types_or_refs() {
    for spec in specs() {
        let schema = Value::Object(schema_of(spec.name).unwrap_or_default());
        assert_eq!(schema["type"], "object", "{}", spec.name);
        assert!(schema["properties"].is_object(), "{}", spec.name);
        let text = schema.to_string();
        for banned in ["\"null\"", "$ref", "$defs", "$schema"] {
            assert!(!text.contains(banned), "{}: {banned} in {text}", spec.name);
        }
    }
}

/// spec/tools.md §2: the 39 tools in `tools/list` order.
const SPEC_ORDER: [&str; 39] = [
    "list_agents",
    "get_agent",
    "search_agents",
    "get_agent_runs",
    "get_run_status",
    "start_agent",
    "stop_agent",
    "kill_agent",
    "delete_run",
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
    "get_credits_balance",
    "get_spending_summary",
    "get_credit_history",
    "get_agents_usage",
    "get_agent_cost_breakdown",
    "get_agent_runs_cost",
    "list_spaces",
    "get_space",
    "get_space_agents",
    "search_space_by_name",
    "run_space_agents",
    "get_runs_summary",
    "get_records_summary",
    "get_run_diagnostics",
    "get_latest_failure",
    "start_agent_build",
    "get_agent_build_status",
    "stop_agent_build",
];

#[test]
fn the_catalog_is_the_spec_list_in_order_with_its_annotations() {
    let specs = specs();
    let names: Vec<_> = specs.iter().map(|s| s.name).collect();
    assert_eq!(names, SPEC_ORDER);
    let destructive = ["kill_agent", "delete_run", "delete_agent_schedule"];
    let open_world = ["start_agent", "start_agent_build", "run_space_agents"];
    let mut writes = 0;
    for spec in &specs {
        let a = spec.annotations();
        assert_eq!(a.title.as_deref(), Some(spec.title), "{}", spec.name);
        match spec.effect {
            Effect::Read => {
                assert_eq!(a.read_only_hint, Some(true), "{}", spec.name);
                assert_eq!(
                    (a.destructive_hint, a.open_world_hint),
                    (None, None),
                    "{}",
                    spec.name
                );
            }
            Effect::Write {
                destructive: d,
                open_world: o,
            } => {
                writes += 1;
                assert_eq!(a.read_only_hint, Some(false), "{}", spec.name);
                assert_eq!(d, destructive.contains(&spec.name), "{}", spec.name);
                assert_eq!(o, open_world.contains(&spec.name), "{}", spec.name);
            }
        }
        // Every category in the reference has its tools together.
        assert!(Category::ALL.contains(&spec.category));
    }
    assert_eq!(writes, 13);
    let mut categories: Vec<_> = specs.iter().map(|s| s.category).collect();
    let sorted = {
        let mut c = categories.clone();
        c.sort();
        c
    };
    assert_eq!(
        categories, sorted,
        "tools are grouped by category, in category order"
    );
    categories.dedup();
    assert_eq!(categories, Category::ALL);
}
