//! What the server offers: tools, resources, resource templates and prompts,
//! as declarative data in the official SDK's wire types. The lists are empty
//! until the catalog issues land; the `*/list` methods already serve them with
//! pagination.

use rmcp::model::{Prompt, Resource, ResourceTemplate, Tool};

pub fn tools() -> Vec<Tool> {
    Vec::new()
}

pub fn resources() -> Vec<Resource> {
    Vec::new()
}

pub fn resource_templates() -> Vec<ResourceTemplate> {
    Vec::new()
}

pub fn prompts() -> Vec<Prompt> {
    Vec::new()
}
