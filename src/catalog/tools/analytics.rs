//! Analytics and diagnostics: run and record totals over a period, and why a
//! run failed (spec/tools.md §3.8).
//!
//! The summaries take optional ISO 8601 dates, checked and ordered here; with
//! none, the API picks its own default period (we add none).

use schemars::JsonSchema;
use serde::Deserialize;

use super::params::{Id, IsoDate};
use super::{Category, Effect, Tool, ToolError, ToolSpec};
use crate::sequentum::ApiRequest;

/// A run's status, as the API names it (spec/api.md `RunStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum RunStatus {
    Unknown,
    Queuing,
    Queued,
    Starting,
    Running,
    Stopping,
    Stopped,
    Completed,
    CompletedWithErrors,
    Failed,
    FailedToStart,
    WaitingOnFailure,
}

/// Refuses a period that ends before it starts.
fn check_period(start: Option<&IsoDate>, end: Option<&IsoDate>) -> Result<(), ToolError> {
    match (start, end) {
        (Some(start), Some(end)) if start.millis > end.millis => Err(ToolError::invalid(format!(
            "Invalid parameter 'startDate': must be on or before endDate, got startDate {} \
             and endDate {}",
            start.text, end.text
        ))),
        _ => Ok(()),
    }
}

fn text(date: Option<&IsoDate>) -> Option<&str> {
    date.map(|d| d.text.as_str())
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetRunsSummary {
    /// Period start, ISO 8601 (2026-01-01 or 2026-01-01T00:00:00Z).
    pub start_date: Option<IsoDate>,
    /// Period end, ISO 8601; not before startDate.
    pub end_date: Option<IsoDate>,
    /// Count only runs with this status (the exact word, e.g. Failed).
    pub status: Option<RunStatus>,
    /// Also list each failed run with its agent and error message.
    pub include_details: Option<bool>,
}

impl Tool for GetRunsSummary {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_runs_summary",
        title: "Get Runs Summary",
        description: "How many runs completed, failed, completed with errors, are running, \
            queued or stopped across all agents in a period; with includeDetails, also which \
            runs failed and why. Without dates the API uses its default period.",
        category: Category::Analytics,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        check_period(self.start_date.as_ref(), self.end_date.as_ref())?;
        Ok(ApiRequest::get("/api/v1/analytics/runs/summary")
            .query_opt("startDate", text(self.start_date.as_ref()))
            .query_opt("endDate", text(self.end_date.as_ref()))
            .query_opt("status", self.status.map(|s| format!("{s:?}")))
            .query_opt("includeDetails", self.include_details))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetRecordsSummary {
    /// Period start, ISO 8601 (2026-01-01 or 2026-01-01T00:00:00Z).
    pub start_date: Option<IsoDate>,
    /// Period end, ISO 8601; not before startDate.
    pub end_date: Option<IsoDate>,
    /// Only this agent's runs (default: all agents).
    pub agent_id: Option<Id>,
}

impl Tool for GetRecordsSummary {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_records_summary",
        title: "Get Records Summary",
        description: "Totals for a period, for all agents or one: records extracted and \
            exported, errors, page loads and number of runs. Without dates the API uses its \
            default period.",
        category: Category::Analytics,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        check_period(self.start_date.as_ref(), self.end_date.as_ref())?;
        Ok(ApiRequest::get("/api/v1/analytics/records/summary")
            .query_opt("startDate", text(self.start_date.as_ref()))
            .query_opt("endDate", text(self.end_date.as_ref()))
            .query_opt("agentId", self.agent_id))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetRunDiagnostics {
    pub agent_id: Id,
    pub run_id: Id,
}

impl Tool for GetRunDiagnostics {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_run_diagnostics",
        title: "Get Run Diagnostics",
        description: "Why one run went wrong: its status, error message, runtime and counts, \
            with likely causes and suggested fixes.",
        category: Category::Analytics,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::get(format!(
            "/api/v1/analytics/agents/{}/runs/{}/diagnostics",
            self.agent_id, self.run_id
        )))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetLatestFailure {
    pub agent_id: Id,
}

impl Tool for GetLatestFailure {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_latest_failure",
        title: "Get Latest Failure",
        description: "Diagnostics (error, likely causes, suggested fixes) of an agent's most \
            recent failed run, without looking up its run id first. Answers 'Not found' when \
            the agent has no failed run.",
        category: Category::Analytics,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::get(format!(
            "/api/v1/analytics/agents/{}/latest-failure",
            self.agent_id
        )))
    }
}
