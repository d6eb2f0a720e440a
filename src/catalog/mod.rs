//! What the server offers: tools, resources, resource templates and prompts,
//! as declarative data in the official SDK's wire types, plus the handlers
//! behind them.

use rmcp::model::{Prompt, Resource, ResourceTemplate, Tool};

pub mod policy;
pub mod resources;
pub mod tools;

thread_local! {
    /// Declared once per isolate: the schemas are derived at first use.
    static TOOLS: Vec<Tool> = tools::declared();
}

/// The `tools/list` items.
pub fn tools() -> Vec<Tool> {
    TOOLS.with(Clone::clone)
}

pub fn resources() -> Vec<Resource> {
    resources::declared()
}

pub fn resource_templates() -> Vec<ResourceTemplate> {
    resources::declared_templates()
}

pub fn prompts() -> Vec<Prompt> {
    Vec::new()
}
