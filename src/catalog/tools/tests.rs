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
