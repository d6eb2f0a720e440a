//! The 11 prompts (spec/prompts.md §2): workflows a user picks in their
//! client, rendered as one user message that tells the model which tools to
//! call in which order. Each is a [`PromptSpec`] (data) with a pure render
//! function; [`get`] checks the arguments ([`Args::parse`]) and renders.
//!
//! The texts are our own. Tools are named in backticks, and a test checks
//! that every such name is a tool in the catalog.

use rmcp::model::{Prompt, PromptArgument};
use serde_json::{json, Map, Value};

mod agents;
mod args;
mod builder;
mod reports;
mod text;

pub use args::{sanitize, Args, PromptError};

/// A prompt's declaration and its text.
#[derive(Debug, Clone, Copy)]
pub struct PromptSpec {
    pub name: &'static str,
    /// Display name.
    pub title: &'static str,
    pub description: &'static str,
    pub arguments: &'static [ArgSpec],
    /// The one user message's text, from checked arguments.
    pub render: fn(&Args) -> String,
}

/// A prompt argument. Values are strings (MCP `PromptArgument`); limits are
/// counted in characters after [`sanitize`].
#[derive(Debug, Clone, Copy)]
pub struct ArgSpec {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub required: bool,
    /// Shortest value accepted (0: no minimum).
    pub min_chars: usize,
    /// Longest value accepted; a longer one is refused, not truncated.
    pub max_chars: usize,
    /// What `completion/complete` offers for it.
    pub suggest: Suggest,
}

/// Completion suggestions for an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suggest {
    Nothing,
    /// Names of the caller's agents.
    AgentNames,
    /// Names of the caller's spaces.
    SpaceNames,
    /// These fixed values.
    Choices(&'static [&'static str]),
}

/// Every prompt, in `prompts/list` order (spec/prompts.md §2).
static SPECS: [PromptSpec; 11] = [
    agents::DEBUG_AGENT,
    agents::AGENT_HEALTH_CHECK,
    reports::SPENDING_REPORT,
    reports::COST_ANALYSIS,
    agents::RUN_AND_MONITOR,
    reports::SPACE_OVERVIEW,
    reports::DAILY_OPERATIONS_REPORT,
    agents::SCHEDULE_AGENT,
    agents::COMPARE_RUNS,
    builder::BUILD_AGENT_FROM_PROMPT,
    builder::INSPECT_AGENT_DRAFT,
];

/// Every prompt, in `prompts/list` order.
pub fn specs() -> &'static [PromptSpec] {
    &SPECS
}

/// The prompt called `name`.
pub fn find(name: &str) -> Option<&'static PromptSpec> {
    SPECS.iter().find(|s| s.name == name)
}

/// The `prompts/list` items.
pub fn declared() -> Vec<Prompt> {
    SPECS
        .iter()
        .map(|spec| {
            let arguments = spec
                .arguments
                .iter()
                .map(|a| {
                    PromptArgument::new(a.name)
                        .with_title(a.title)
                        .with_description(a.description)
                        .with_required(a.required)
                })
                .collect();
            Prompt::new(spec.name, Some(spec.description), Some(arguments)).with_title(spec.title)
        })
        .collect()
}

/// The `prompts/get` result (MCP 2025-11-25, server/prompts,
/// `GetPromptResult`): the description and exactly one user text message.
/// `arguments` is `None` when the request had none (or `null`).
pub fn get(name: &str, arguments: Option<&Map<String, Value>>) -> Result<Value, PromptError> {
    let spec = find(name).ok_or_else(|| PromptError::unknown_prompt(name))?;
    let args = Args::parse(spec, arguments)?;
    Ok(json!({
        "description": spec.description,
        "messages": [{
            "role": "user",
            "content": { "type": "text", "text": (spec.render)(&args) },
        }],
    }))
}

/// The spans of `text` between pairs of backticks.
pub fn backticked(text: &str) -> impl Iterator<Item = &str> {
    text.split('`').skip(1).step_by(2)
}

/// The catalog tools `spec`'s text names, in order of first mention, over
/// both the fullest and the barest rendering.
pub fn tools_used(spec: &PromptSpec) -> Vec<&'static str> {
    let tools = super::tools::specs();
    let all: Vec<(&'static str, &str)> = spec
        .arguments
        .iter()
        .map(|a| (a.name, "Example value"))
        .collect();
    let required: Vec<_> = spec
        .arguments
        .iter()
        .filter(|a| a.required)
        .map(|a| (a.name, "Example value"))
        .collect();
    let mut used = Vec::new();
    for pairs in [all, required] {
        let text = (spec.render)(&Args::from_pairs(&pairs));
        for span in backticked(&text) {
            if let Some(tool) = tools.iter().find(|t| t.name == span) {
                if !used.contains(&tool.name) {
                    used.push(tool.name);
                }
            }
        }
    }
    used
}

#[cfg(test)]
mod tests;
