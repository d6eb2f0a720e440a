//! The 39 tools (spec/tools.md). Each is one params struct (its input schema
//! is derived from it) implementing [`Tool`]: a [`ToolSpec`], the request it
//! makes, and how the answer is shown. [`registry!`] lists them once, in
//! `tools/list` order; a call is routed by an exhaustive name match.
//!
//! Most tools are one request and one answer, so a handler is two pure
//! functions ([`Tool::request`], [`Tool::render`]) that host tests call
//! directly; a tool that needs more (polling) overrides [`Tool::run`].

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::sequentum::{ApiBody, ApiRequest, Client, Transport};

pub mod dates;
pub mod output;
pub mod params;

mod agents;
mod analytics;
mod billing;
mod builder;
mod files;
mod runs;
mod schedules;
mod spaces;
mod versions;

pub(crate) use agents::summaries as agent_summaries;
pub use builder::{PROMPT_MAX, PROMPT_MIN, SESSION_ID_MAX};
pub use output::{call_result, Output, ToolError};

/// The README and tool reference group tools by these, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    Agents,
    Runs,
    Files,
    Versions,
    Schedules,
    Billing,
    Spaces,
    Analytics,
    Builder,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::Agents,
        Category::Runs,
        Category::Files,
        Category::Versions,
        Category::Schedules,
        Category::Billing,
        Category::Spaces,
        Category::Analytics,
        Category::Builder,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Category::Agents => "Agent Management",
            Category::Runs => "Run Management",
            Category::Files => "File Management",
            Category::Versions => "Version Management",
            Category::Schedules => "Schedule Management",
            Category::Billing => "Billing & Credits",
            Category::Spaces => "Space Management",
            Category::Analytics => "Analytics & Diagnostics",
            Category::Builder => "Agent Builder",
        }
    }
}

/// What a tool does to the world, for the annotations (spec/tools.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Reads only.
    Read,
    /// Changes something. `destructive`: cannot be undone (deletes, kills);
    /// `open_world`: sets off work beyond the call itself (runs, builds).
    Write { destructive: bool, open_world: bool },
}

/// A tool's declaration.
#[derive(Debug, Clone, Copy)]
pub struct ToolSpec {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub category: Category,
    pub effect: Effect,
}

impl ToolSpec {
    /// MCP tool annotations (server/tools, "ToolAnnotations"). Reads carry
    /// only `readOnlyHint`; the other hints are meaningless for them.
    pub fn annotations(&self) -> rmcp::model::ToolAnnotations {
        let base = rmcp::model::ToolAnnotations::with_title(self.title);
        match self.effect {
            Effect::Read => base.read_only(true),
            Effect::Write {
                destructive,
                open_world,
            } => base
                .read_only(false)
                .destructive(destructive)
                .open_world(open_world),
        }
    }
}

/// Something a long call reports while it works (`notifications/progress`).
pub trait Progress {
    fn report(&self, progress: f64, total: Option<f64>, message: &str);
}

/// For calls nobody is listening to.
#[derive(Debug)]
pub struct Silent;

impl Progress for Silent {
    fn report(&self, _: f64, _: Option<f64>, _: &str) {}
}

/// What a handler gets to work with.
pub struct Cx<'a, T> {
    pub client: Client<'a, T>,
    pub progress: &'a dyn Progress,
}

impl<T> std::fmt::Debug for Cx<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cx")
    }
}

impl<T: Transport> Cx<'_, T> {
    pub fn now_ms(&self) -> i64 {
        i64::try_from(self.client.transport().now_ms()).unwrap_or(i64::MAX)
    }
}

/// One tool. Implemented by its params struct.
#[allow(async_fn_in_trait)]
pub trait Tool: DeserializeOwned + JsonSchema + Sized {
    const SPEC: ToolSpec;

    /// The request this call makes, after any checks the types cannot
    /// express. `now_ms` is for date defaults and "in the future" rules.
    fn request(&self, now_ms: i64) -> Result<ApiRequest, ToolError>;

    /// The answer as this tool shows it.
    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        passthrough(body)
    }

    /// The whole call. Overridden only by tools that make more than one request.
    async fn run<T: Transport>(self, cx: &Cx<'_, T>) -> Result<Output, ToolError> {
        let request = self.request(cx.now_ms())?;
        let body = cx.client.send(&request).await?;
        self.render(body)
    }
}

/// An answer shown as the API sent it (arrays under `items`).
pub fn passthrough(body: ApiBody) -> Result<Output, ToolError> {
    passthrough_as(body, "items")
}

/// An answer shown as the API sent it, a non-object under `key`.
pub fn passthrough_as(body: ApiBody, key: &str) -> Result<Output, ToolError> {
    Ok(match body {
        ApiBody::Json(value) => Output::json(value, key),
        ApiBody::Text(text) => Output::keyed(key, Value::String(text)),
        ApiBody::Empty => Output::keyed(key, Value::Null),
        ApiBody::Redirect(url) => Output::keyed("redirectUrl", Value::String(url)),
    })
}

/// The JSON answer, or an error saying what came instead.
pub fn expect_json(body: ApiBody) -> Result<Value, ToolError> {
    match body {
        ApiBody::Json(value) => Ok(value),
        ApiBody::Empty => Err(ToolError::UnexpectedAnswer(
            "the Sequentum API sent an empty answer".into(),
        )),
        ApiBody::Text(_) | ApiBody::Redirect(_) => Err(ToolError::UnexpectedAnswer(
            "the Sequentum API sent something other than JSON".into(),
        )),
    }
}

/// Decodes the arguments and runs the tool.
async fn execute<K: Tool, T: Transport>(
    arguments: Option<Value>,
    cx: &Cx<'_, T>,
) -> Result<Output, ToolError> {
    let tool: K = params::parse(arguments).map_err(ToolError::InvalidInput)?;
    tool.run(cx).await
}

/// Decodes the arguments and builds the first request, without sending it.
fn plan<K: Tool>(arguments: Option<Value>, now_ms: i64) -> Result<ApiRequest, ToolError> {
    let tool: K = params::parse(arguments).map_err(ToolError::InvalidInput)?;
    tool.request(now_ms)
}

/// The input schema of `K`: JSON Schema 2020-12, inlined (no `$ref`), with
/// optional parameters declared by absence from `required` rather than as
/// `type: [X, "null"]`, which some clients cannot read.
pub fn input_schema<K: JsonSchema>() -> Map<String, Value> {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12()
        .with(|s| {
            s.inline_subschemas = true;
            s.meta_schema = None;
        })
        .into_generator();
    let mut schema = generator.root_schema_for::<K>().to_value();
    strip_null(&mut schema);
    let Value::Object(mut map) = schema else {
        return Map::new();
    };
    map.remove("title");
    map.entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    map
}

/// Removes the `null` alternatives schemars adds for `Option` fields.
fn strip_null(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    // Doc comments arrive with their line breaks; a description is one line.
    if let Some(Value::String(d)) = map.get_mut("description") {
        *d = d.replace('\n', " ");
    }
    if let Some(Value::Array(types)) = map.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types.remove(0);
            map.insert("type".into(), only);
        }
    }
    if let Some(Value::Array(values)) = map.get_mut("enum") {
        values.retain(|v| !v.is_null());
    }
    if let Some(Value::Array(options)) = map.get_mut("anyOf") {
        options.retain(|o| o.get("type").and_then(Value::as_str) != Some("null"));
        if options.len() == 1 {
            if let Value::Object(only) = options.remove(0) {
                map.remove("anyOf");
                for (k, v) in only {
                    map.entry(k).or_insert(v);
                }
            }
        }
    }
    for value in map.values_mut() {
        match value {
            Value::Object(_) => strip_null(value),
            Value::Array(items) => items.iter_mut().for_each(strip_null),
            _ => {}
        }
    }
}

fn declare<K: Tool>() -> rmcp::model::Tool {
    let spec = K::SPEC;
    rmcp::model::Tool::new(spec.name, spec.description, input_schema::<K>())
        .with_title(spec.title)
        .with_annotations(spec.annotations())
}

/// Lists every tool once; generates the list, the call router and the
/// request planner from that one list.
macro_rules! registry {
    ($($tool:ty),+ $(,)?) => {
        /// Every tool's declaration, in `tools/list` order.
        pub fn specs() -> Vec<ToolSpec> {
            vec![$(<$tool as Tool>::SPEC),+]
        }

        /// The `tools/list` items.
        pub fn declared() -> Vec<rmcp::model::Tool> {
            vec![$(declare::<$tool>()),+]
        }

        /// Runs tool `name`; `None` if there is no such tool.
        pub async fn call<T: Transport>(
            name: &str,
            arguments: Option<Value>,
            cx: &Cx<'_, T>,
        ) -> Option<Result<Output, ToolError>> {
            $(
                if name == <$tool as Tool>::SPEC.name {
                    return Some(execute::<$tool, T>(arguments, cx).await);
                }
            )+
            None
        }

        /// The first request tool `name` would send for `arguments`.
        pub fn request_for(
            name: &str,
            arguments: Option<Value>,
            now_ms: i64,
        ) -> Option<Result<ApiRequest, ToolError>> {
            $(
                if name == <$tool as Tool>::SPEC.name {
                    return Some(plan::<$tool>(arguments, now_ms));
                }
            )+
            None
        }

        /// The input schema of tool `name`.
        pub fn schema_of(name: &str) -> Option<Map<String, Value>> {
            $(
                if name == <$tool as Tool>::SPEC.name {
                    return Some(input_schema::<$tool>());
                }
            )+
            None
        }
    };
}

registry![
    agents::ListAgents,
    agents::GetAgent,
    agents::SearchAgents,
    runs::GetAgentRuns,
    runs::GetRunStatus,
    runs::StartAgent,
    runs::StopAgent,
    runs::KillAgent,
    runs::DeleteRun,
    files::GetRunFiles,
    files::GetFileDownloadUrl,
    versions::GetAgentVersions,
    versions::RestoreAgentVersion,
    schedules::ListAgentSchedules,
    schedules::CreateAgentSchedule,
    schedules::DeleteAgentSchedule,
    schedules::GetAgentSchedule,
    schedules::UpdateAgentSchedule,
    schedules::EnableAgentSchedule,
    schedules::DisableAgentSchedule,
    schedules::GetScheduledRuns,
    billing::GetCreditsBalance,
    billing::GetSpendingSummary,
    billing::GetCreditHistory,
    billing::GetAgentsUsage,
    billing::GetAgentCostBreakdown,
    billing::GetAgentRunsCost,
    spaces::ListSpaces,
    spaces::GetSpace,
    spaces::GetSpaceAgents,
    spaces::SearchSpaceByName,
    spaces::RunSpaceAgents,
    analytics::GetRunsSummary,
    analytics::GetRecordsSummary,
    analytics::GetRunDiagnostics,
    analytics::GetLatestFailure,
    builder::StartAgentBuild,
    builder::GetAgentBuildStatus,
    builder::StopAgentBuild,
];

#[cfg(test)]
mod tests;
