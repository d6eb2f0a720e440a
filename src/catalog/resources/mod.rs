//! The 18 read-only resources (spec/resources.md): 7 fixed URIs and 11 URI
//! templates (RFC 6570 level 1), each declared once below. A URI is parsed
//! into a [`ResourceRef`] whose ids are integers, so nothing a client typed
//! reaches an upstream path; a URI that does not parse is "not found" before
//! anything is sent. Reads go through the same client as the tools.

use rmcp::model::{Resource, ResourceTemplate};
use serde_json::{json, Value};

use super::tools::dates::{format_iso, month_start};
use super::tools::params::MAX_SAFE;
use super::tools::{agent_summaries, expect_json, ToolError};
use crate::sequentum::{ApiBody, ApiRequest, Client, Transport};

#[cfg(test)]
mod tests;

/// Every resource is JSON.
pub const MIME_TYPE: &str = "application/json";

/// A resource, with its ids parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceRef {
    Agents,
    Spaces,
    CreditsBalance,
    MonthlySpending,
    AgentCosts,
    RecentRuns,
    UpcomingSchedules,
    Agent { agent: u64 },
    AgentVersions { agent: u64 },
    AgentSchedules { agent: u64 },
    AgentCostBreakdown { agent: u64 },
    Space { space: u64 },
    SpaceAgents { space: u64 },
    AgentRuns { agent: u64 },
    Run { agent: u64, run: u64 },
    RunFiles { agent: u64, run: u64 },
    RunDiagnostics { agent: u64, run: u64 },
    LatestFailure { agent: u64 },
}

/// A fixed-URI resource.
#[derive(Debug, Clone, Copy)]
pub struct Fixed {
    pub uri: &'static str,
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub target: ResourceRef,
}

/// A URI template: literal text and `{variable}`s, each variable a whole
/// path segment holding an id.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    pub uri_template: &'static str,
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// The reference for the template's ids, in the order they appear.
    build: fn(&[u64]) -> Option<ResourceRef>,
}

use ResourceRef as R;

/// `resources/list`, in spec order.
pub const FIXED: [Fixed; 7] = [
    Fixed {
        uri: "sequentum://agents",
        name: "Agent List",
        title: "Agents",
        description: "The first 50 agents of the account: id, name, status, kind, version and \
            last activity. For more, or to filter, use the list_agents tool.",
        target: R::Agents,
    },
    Fixed {
        uri: "sequentum://spaces",
        name: "Spaces",
        title: "Spaces",
        description: "Every space (folder of agents) with its id, name and description.",
        target: R::Spaces,
    },
    Fixed {
        uri: "sequentum://billing/balance",
        name: "Credits Balance",
        title: "Credits balance",
        description: "The organization's available credits right now.",
        target: R::CreditsBalance,
    },
    Fixed {
        uri: "sequentum://billing/spending",
        name: "Monthly Spending",
        title: "Spending this month",
        description: "Credits spent so far this calendar month, and the current balance.",
        target: R::MonthlySpending,
    },
    Fixed {
        uri: "sequentum://billing/agents-usage",
        name: "Agent Costs (Current Month)",
        title: "Agent costs this month",
        description: "This month's cost per agent, most expensive first (first 50 agents), \
            with the total.",
        target: R::AgentCosts,
    },
    Fixed {
        uri: "sequentum://analytics/runs",
        name: "Recent Runs Summary",
        title: "Runs in the last 24 hours",
        description: "How many runs completed, failed, are running or queued in the last 24 \
            hours.",
        target: R::RecentRuns,
    },
    Fixed {
        uri: "sequentum://analytics/upcoming-schedules",
        name: "Upcoming Schedules",
        title: "Scheduled runs, next 7 days",
        description: "Runs scheduled in the next 7 days: agent, schedule and next run time.",
        target: R::UpcomingSchedules,
    },
];

/// `resources/templates/list`, in spec order.
pub const TEMPLATES: [Template; 11] = [
    Template {
        uri_template: "sequentum://agents/{agentId}",
        name: "Agent Detail",
        title: "Agent",
        description: "One agent's configuration: name, status, start URL, input parameters, \
            version and space.",
        build: |ids| match ids {
            [agent] => Some(R::Agent { agent: *agent }),
            _ => None,
        },
    },
    Template {
        uri_template: "sequentum://agents/{agentId}/versions",
        name: "Agent Versions",
        title: "Agent versions",
        description: "An agent's saved versions: number, author, date and comment.",
        build: |ids| match ids {
            [agent] => Some(R::AgentVersions { agent: *agent }),
            _ => None,
        },
    },
    Template {
        uri_template: "sequentum://agents/{agentId}/schedules",
        name: "Agent Schedules",
        title: "Agent schedules",
        description: "An agent's schedules: timing, next run and whether each is enabled.",
        build: |ids| match ids {
            [agent] => Some(R::AgentSchedules { agent: *agent }),
            _ => None,
        },
    },
    Template {
        uri_template: "sequentum://agents/{agentId}/cost-breakdown",
        name: "Agent Cost Breakdown",
        title: "Agent cost this month, per day",
        description: "An agent's cost this month, per day and per usage type (server time, \
            exports, proxies, ...).",
        build: |ids| match ids {
            [agent] => Some(R::AgentCostBreakdown { agent: *agent }),
            _ => None,
        },
    },
    Template {
        uri_template: "sequentum://spaces/{spaceId}",
        name: "Space Detail",
        title: "Space",
        description: "One space's name, description and dates.",
        build: |ids| match ids {
            [space] => Some(R::Space { space: *space }),
            _ => None,
        },
    },
    Template {
        uri_template: "sequentum://spaces/{spaceId}/agents",
        name: "Space Agents",
        title: "Agents in a space",
        description: "The agents in one space, with their status and last activity.",
        build: |ids| match ids {
            [space] => Some(R::SpaceAgents { space: *space }),
            _ => None,
        },
    },
    Template {
        uri_template: "sequentum://agents/{agentId}/runs",
        name: "Agent Runs",
        title: "Recent runs of an agent",
        description: "An agent's most recent runs (up to 50): status, times, records and \
            errors.",
        build: |ids| match ids {
            [agent] => Some(R::AgentRuns { agent: *agent }),
            _ => None,
        },
    },
    Template {
        uri_template: "sequentum://agents/{agentId}/runs/{runId}",
        name: "Run Status",
        title: "Run status",
        description: "One run's status, times and record counts.",
        build: |ids| match ids {
            [agent, run] => Some(R::Run {
                agent: *agent,
                run: *run,
            }),
            _ => None,
        },
    },
    Template {
        uri_template: "sequentum://agents/{agentId}/runs/{runId}/files",
        name: "Run Files",
        title: "Files of a run",
        description: "The files a run produced: id, name, type, size in bytes and date.",
        build: |ids| match ids {
            [agent, run] => Some(R::RunFiles {
                agent: *agent,
                run: *run,
            }),
            _ => None,
        },
    },
    Template {
        uri_template: "sequentum://agents/{agentId}/runs/{runId}/diagnostics",
        name: "Run Diagnostics",
        title: "Run diagnostics",
        description: "Why a run ended as it did: error, statistics, possible causes and \
            suggested fixes.",
        build: |ids| match ids {
            [agent, run] => Some(R::RunDiagnostics {
                agent: *agent,
                run: *run,
            }),
            _ => None,
        },
    },
    Template {
        uri_template: "sequentum://agents/{agentId}/latest-failure",
        name: "Latest Failure",
        title: "Latest failed run",
        description: "Diagnostics of an agent's most recent failed run.",
        build: |ids| match ids {
            [agent] => Some(R::LatestFailure { agent: *agent }),
            _ => None,
        },
    },
];

/// The `resources/list` items.
pub fn declared() -> Vec<Resource> {
    FIXED
        .iter()
        .map(|r| {
            Resource::new(r.uri, r.name)
                .with_title(r.title)
                .with_description(r.description)
                .with_mime_type(MIME_TYPE)
        })
        .collect()
}

/// The `resources/templates/list` items.
pub fn declared_templates() -> Vec<ResourceTemplate> {
    TEMPLATES
        .iter()
        .map(|t| {
            ResourceTemplate::new(t.uri_template, t.name)
                .with_title(t.title)
                .with_description(t.description)
                .with_mime_type(MIME_TYPE)
        })
        .collect()
}

/// A piece of a URI template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part<'a> {
    Literal(&'a str),
    Variable(&'a str),
}

impl Template {
    /// The template's literal text and variables, in order.
    pub fn parts(&self) -> impl Iterator<Item = Part<'static>> {
        let mut rest = self.uri_template;
        std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            if let Some(var) = rest.strip_prefix('{') {
                let end = var.find('}').unwrap_or(var.len());
                rest = var.get(end + 1..).unwrap_or("");
                return Some(Part::Variable(&var[..end]));
            }
            let end = rest.find('{').unwrap_or(rest.len());
            let (literal, tail) = rest.split_at(end);
            rest = tail;
            Some(Part::Literal(literal))
        })
    }

    /// The variable names, in order.
    pub fn variables(&self) -> impl Iterator<Item = &'static str> {
        self.parts().filter_map(|p| match p {
            Part::Variable(v) => Some(v),
            Part::Literal(_) => None,
        })
    }

    /// The reference `uri` names, if it is an instance of this template.
    fn matches(&self, uri: &str) -> Option<ResourceRef> {
        let mut ids = Vec::with_capacity(2);
        let mut rest = uri;
        for part in self.parts() {
            match part {
                Part::Literal(text) => rest = rest.strip_prefix(text)?,
                Part::Variable(_) => {
                    let end = rest.find('/').unwrap_or(rest.len());
                    ids.push(parse_id(&rest[..end])?);
                    rest = &rest[end..];
                }
            }
        }
        if rest.is_empty() {
            (self.build)(&ids)
        } else {
            None
        }
    }

    pub fn find(uri_template: &str) -> Option<&'static Template> {
        TEMPLATES.iter().find(|t| t.uri_template == uri_template)
    }
}

/// An id as a URI writes it: decimal digits, no sign, no leading zero, at
/// least 1 and at most 2^53 - 1 (what the API's JSON numbers can carry).
pub fn parse_id(text: &str) -> Option<u64> {
    if text.starts_with('0') || text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let id: u64 = text.parse().ok()?;
    (id <= MAX_SAFE.unsigned_abs()).then_some(id)
}

/// Parses a `resources/read` URI. Fixed URIs compare exactly (case and
/// all); templates match whole segments.
pub fn parse(uri: &str) -> Option<ResourceRef> {
    FIXED
        .iter()
        .find(|r| r.uri == uri)
        .map(|r| r.target)
        .or_else(|| TEMPLATES.iter().find_map(|t| t.matches(uri)))
}

impl ResourceRef {
    /// The one request that reads this resource. `now_ms` dates the
    /// "this month" resources.
    pub fn request(self, now_ms: i64) -> ApiRequest {
        let this_month = |request: ApiRequest| {
            request
                .query("startDate", format_iso(month_start(now_ms)))
                .query("endDate", format_iso(now_ms))
        };
        match self {
            R::Agents => ApiRequest::get("/api/v1/agent/all")
                .query("pageIndex", 1)
                .query("recordsPerPage", 50),
            R::Spaces => ApiRequest::get("/api/v1/spaces"),
            R::CreditsBalance => ApiRequest::get("/api/v1/billing/credits"),
            // The API's default period is the current month.
            R::MonthlySpending => ApiRequest::get("/api/v1/billing/spending"),
            R::AgentCosts => this_month(ApiRequest::get("/api/v1/billing/agents"))
                .query("pageIndex", 1)
                .query("recordsPerPage", 50)
                .query("sortColumn", "cost")
                .query("sortOrder", 1),
            // The API's defaults: the last 24 hours, the next 7 days.
            R::RecentRuns => ApiRequest::get("/api/v1/analytics/runs/summary"),
            R::UpcomingSchedules => ApiRequest::get("/api/v1/analytics/schedules/upcoming"),
            R::Agent { agent } => ApiRequest::get(format!("/api/v1/agent/{agent}")),
            R::AgentVersions { agent } => {
                ApiRequest::get(format!("/api/v1/agent/{agent}/versions"))
            }
            R::AgentSchedules { agent } => {
                ApiRequest::get(format!("/api/v1/agent/{agent}/schedules"))
            }
            R::AgentCostBreakdown { agent } => {
                this_month(ApiRequest::get(format!("/api/v1/billing/agents/{agent}")))
                    .query("timeUnit", "day")
            }
            R::Space { space } => ApiRequest::get(format!("/api/v1/spaces/{space}")),
            R::SpaceAgents { space } => ApiRequest::get(format!("/api/v1/spaces/{space}/agents")),
            R::AgentRuns { agent } => ApiRequest::get(format!("/api/v1/agent/{agent}/runs")),
            R::Run { agent, run } => {
                ApiRequest::get(format!("/api/v1/agent/{agent}/run/{run}/status"))
            }
            R::RunFiles { agent, run } => {
                ApiRequest::get(format!("/api/v1/agent/{agent}/run/{run}/files"))
            }
            R::RunDiagnostics { agent, run } => ApiRequest::get(format!(
                "/api/v1/analytics/agents/{agent}/runs/{run}/diagnostics"
            )),
            R::LatestFailure { agent } => {
                ApiRequest::get(format!("/api/v1/analytics/agents/{agent}/latest-failure"))
            }
        }
    }

    /// The resource's JSON from the API's answer. The agent list is trimmed
    /// to what `list_agents` shows (no icons or documentation); everything
    /// else is the API's JSON as sent. An empty answer (nothing to show, such
    /// as no failure yet) is `null`.
    pub fn render(self, body: ApiBody) -> Result<Value, ToolError> {
        if body == ApiBody::Empty {
            return Ok(Value::Null);
        }
        let value = expect_json(body)?;
        Ok(match (self, value) {
            (R::Agents, Value::Array(agents)) => json!({ "agents": agent_summaries(&agents) }),
            (R::Agents, Value::Object(page)) => json!({
                "agents": page.get("agents").and_then(Value::as_array)
                    .map_or(Value::Null, |a| agent_summaries(a)),
                "totalRecordCount": page.get("totalRecordCount").cloned().unwrap_or(Value::Null),
            }),
            (_, value) => value,
        })
    }
}

/// Why a read failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    /// Not one of our URIs, or the API has no such item.
    NotFound { reason: Option<String> },
    /// The API call failed otherwise.
    Failed(ToolError),
}

/// The `resources/read` contents of `uri`: one JSON text item.
pub async fn read<T: Transport>(uri: &str, client: &Client<'_, T>) -> Result<Value, ReadError> {
    let target = parse(uri).ok_or(ReadError::NotFound { reason: None })?;
    let now = i64::try_from(client.transport().now_ms()).unwrap_or(i64::MAX);
    let value = match client.send(&target.request(now)).await {
        Ok(body) => target.render(body).map_err(ReadError::Failed)?,
        Err(crate::sequentum::ApiError::Status {
            status: 404,
            message,
            ..
        }) => return Err(ReadError::NotFound { reason: message }),
        Err(e) => return Err(ReadError::Failed(ToolError::Api(e))),
    };
    Ok(json!({
        "contents": [{
            "uri": uri,
            "mimeType": MIME_TYPE,
            "text": value.to_string(),
        }]
    }))
}
