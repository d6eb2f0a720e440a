//! What the server offers: tools, resources, resource templates and prompts,
//! as declarative data in the official SDK's wire types, plus the handlers
//! behind them.

use rmcp::model::{Prompt, Resource, ResourceTemplate, Tool};

pub mod completions;
pub mod policy;
pub mod prompts;
pub mod resources;
pub mod tools;

thread_local! {
    /// Declared once per isolate: the schemas are derived at first use.
    static TOOLS: Vec<Tool> = tools::declared();
    static PROMPTS: Vec<Prompt> = prompts::declared();
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

/// The `prompts/list` items.
pub fn prompts() -> Vec<Prompt> {
    PROMPTS.with(Clone::clone)
}
