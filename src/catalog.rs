//! What the server offers: tools, resources, resource templates and prompts,
//! as declarative data. The lists are empty until the catalog issues land;
//! the `*/list` methods already serve them with pagination.

use serde_json::Value;

pub fn tools() -> Vec<Value> {
    Vec::new()
}

pub fn resources() -> Vec<Value> {
    Vec::new()
}

pub fn resource_templates() -> Vec<Value> {
    Vec::new()
}

pub fn prompts() -> Vec<Value> {
    Vec::new()
}
