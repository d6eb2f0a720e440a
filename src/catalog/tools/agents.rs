//! Agent management: list, get, search (spec/tools.md §3.1).

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::params::{Id, Int};
use super::{expect_json, Category, Effect, Output, Tool, ToolError, ToolSpec};
use crate::sequentum::{ApiBody, ApiRequest};

// An agent's kind.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
pub enum ConfigType {
    Agent,
    Command,
    Api,
    Shared,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum AgentSortColumn {
    Name,
    LastActivity,
    Created,
    Updated,
    Status,
    ConfigType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    Asc,
    Desc,
}

impl SortOrder {
    /// The API's encoding.
    pub fn code(self) -> u8 {
        match self {
            SortOrder::Asc => 0,
            SortOrder::Desc => 1,
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListAgents {
    /// Last-run status code: 0 Invalid, 1 Running, 2 Exporting, 3 Starting,
    /// 4 Queuing, 5 Stopping, 6 Failure, 7 Failed, 8 Stopped, 9 Completed,
    /// 10 Success, 11 Skipped, 12 Waiting.
    pub status: Option<Int<0, 12>>,
    /// Only agents in this space.
    pub space_id: Option<Id>,
    /// Only agents whose name contains this text.
    pub search: Option<String>,
    /// Only agents of this kind.
    pub config_type: Option<ConfigType>,
    /// Sort by this field.
    pub sort_column: Option<AgentSortColumn>,
    /// Sort direction (default: the API's order).
    pub sort_order: Option<SortOrder>,
    /// Page number, from 1 (default 1).
    pub page_index: Option<Id>,
    /// Agents per page, 1-100 (default 50).
    pub records_per_page: Option<Int<1, 100>>,
}

const DEFAULT_PAGE_SIZE: i64 = 50;

impl Tool for ListAgents {
    const SPEC: ToolSpec = ToolSpec {
        name: "list_agents",
        title: "List Agents",
        description: "List the account's agents (web scrapers), one page at a time, each with \
            id, name, type, version and last-run status. Start here to find an agent's id; \
            filter by status, space or name.",
        category: Category::Agents,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::get("/api/v1/agent/all")
            .query_opt("status", self.status)
            .query_opt("spaceId", self.space_id)
            .query_opt("name", self.search.as_deref())
            .query_opt(
                "configType",
                self.config_type.as_ref().map(|c| format!("{c:?}")),
            )
            .query_opt("sortColumn", self.sort_column.map(sort_column_name))
            .query_opt("sortOrder", self.sort_order.map(SortOrder::code))
            .query("pageIndex", self.page_index.map_or(1, Id::get))
            .query(
                "recordsPerPage",
                self.records_per_page.map_or(DEFAULT_PAGE_SIZE, Int::get),
            ))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        match expect_json(body)? {
            Value::Array(agents) => Ok(Output::keyed("agents", summaries(&agents))),
            Value::Object(page) => {
                let Some(Value::Array(agents)) = page.get("agents") else {
                    return Err(ToolError::UnexpectedAnswer(
                        "the agent list has no `agents` array".into(),
                    ));
                };
                Ok(Output::object(json!({
                    "agents": summaries(agents),
                    "pagination": {
                        "totalRecordCount": page.get("totalRecordCount").cloned().unwrap_or(Value::Null),
                        "pageIndex": self.page_index.map_or(1, Id::get),
                        "recordsPerPage": self.records_per_page.map_or(DEFAULT_PAGE_SIZE, Int::get),
                    }
                })))
            }
            _ => Err(ToolError::UnexpectedAnswer(
                "the agent list is neither an array nor a page".into(),
            )),
        }
    }
}

fn sort_column_name(c: AgentSortColumn) -> &'static str {
    match c {
        AgentSortColumn::Name => "name",
        AgentSortColumn::LastActivity => "lastActivity",
        AgentSortColumn::Created => "created",
        AgentSortColumn::Updated => "updated",
        AgentSortColumn::Status => "status",
        AgentSortColumn::ConfigType => "configType",
    }
}

/// The last-run status of an agent as a word (spec/api.md, `AgentRunStatus`).
pub fn status_label(status: &Value) -> Value {
    const LABELS: [&str; 13] = [
        "Invalid",
        "Running",
        "Exporting",
        "Starting",
        "Queuing",
        "Stopping",
        "Failure",
        "Failed",
        "Stopped",
        "Completed",
        "Success",
        "Skipped",
        "Waiting",
    ];
    match status {
        Value::Null => "Never Run".into(),
        Value::Number(n) => match n.as_u64().and_then(|i| LABELS.get(i as usize)) {
            Some(label) => (*label).into(),
            None => format!("Unknown ({n})").into(),
        },
        // Already a word.
        other => other.clone(),
    }
}

/// The fields of an agent worth a model's tokens in a list.
pub(crate) fn summaries(agents: &[Value]) -> Value {
    agents
        .iter()
        .map(|agent| {
            let field = |k: &str| agent.get(k).cloned().unwrap_or(Value::Null);
            let mut s = Map::new();
            for key in ["id", "name", "description"] {
                s.insert(key.into(), field(key));
            }
            s.insert("status".into(), status_label(&field("status")));
            for key in ["configType", "version", "lastActivity"] {
                s.insert(key.into(), field(key));
            }
            Value::Object(s)
        })
        .collect()
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetAgent {
    /// The agent's id (list_agents or search_agents find it).
    pub agent_id: Id,
}

impl Tool for GetAgent {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_agent",
        title: "Get Agent",
        description: "Everything about one agent: configuration, input parameters, start URL, \
            documentation and last-run status.",
        category: Category::Agents,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::get(format!("/api/v1/agent/{}", self.agent_id)))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SearchAgents {
    /// Text to find in agent names and descriptions.
    pub query: String,
    /// At most this many matches, 1-1000 (the API's default is 50).
    pub max_records: Option<Int<1, 1000>>,
}

impl Tool for SearchAgents {
    const SPEC: ToolSpec = ToolSpec {
        name: "search_agents",
        title: "Search Agents",
        description: "Find agents by name or description text. Quicker than paging through \
            list_agents when the user names an agent.",
        category: Category::Agents,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        if self.query.trim().is_empty() {
            return Err(ToolError::invalid(
                "Invalid parameter 'query': must not be empty",
            ));
        }
        Ok(ApiRequest::get("/api/v1/agent/search")
            .query("query", &self.query)
            .query_opt("maxRecords", self.max_records))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        match expect_json(body)? {
            Value::Array(agents) => Ok(Output::keyed("agents", summaries(&agents))),
            other => Ok(Output::json(other, "agents")),
        }
    }
}
