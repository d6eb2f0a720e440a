//! Billing and credits: balance, spending, ledger, and cost per agent, per
//! usage type and per run (spec/tools.md §3.6).
//!
//! Dates are checked ISO 8601 and sent as the user wrote them. Where the API
//! requires a range, an absent start is the first day of the current UTC month
//! and an absent end is now; a reversed range is refused either way.

use schemars::JsonSchema;
use serde::Deserialize;

use super::agents::SortOrder;
use super::dates::{format_iso, month_start};
use super::params::{Id, Int, IsoDate};
use super::{passthrough_as, Category, Effect, Output, Tool, ToolError, ToolSpec};
use crate::sequentum::{ApiBody, ApiRequest};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetCreditsBalance {}

impl Tool for GetCreditsBalance {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_credits_balance",
        title: "Get Credits Balance",
        description: "How many Sequentum credits the organization has left right now. Check it \
            before starting many or large runs, or when the user asks about their balance.",
        category: Category::Billing,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::get("/api/v1/billing/credits"))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        passthrough_as(body, "balance")
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetSpendingSummary {
    /// Start of the period: ISO 8601 date or date-time (2026-01-01,
    /// 2026-01-01T00:00:00Z; no zone means UTC). If omitted, the API chooses.
    pub start_date: Option<IsoDate>,
    /// End of the period, same format, not before startDate. If omitted, the
    /// API chooses.
    pub end_date: Option<IsoDate>,
}

impl Tool for GetSpendingSummary {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_spending_summary",
        title: "Get Spending Summary",
        description: "Total credits spent over a period, with the current balance. For which \
            agents the credits went to, use get_agents_usage.",
        category: Category::Billing,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        if let (Some(start), Some(end)) = (&self.start_date, &self.end_date) {
            check_order((start, None), (end, None))?;
        }
        Ok(ApiRequest::get("/api/v1/billing/spending")
            .query_opt("startDate", self.start_date.as_ref().map(|d| &d.text))
            .query_opt("endDate", self.end_date.as_ref().map(|d| &d.text)))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        passthrough_as(body, "spending")
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetCreditHistory {
    /// Page number, from 1. If omitted, the API's first page.
    pub page_index: Option<Id>,
    /// Transactions per page, 1-100. If omitted, the API's default.
    pub records_per_page: Option<Int<1, 100>>,
}

impl Tool for GetCreditHistory {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_credit_history",
        title: "Get Credit History",
        description: "The organization's credit ledger, one page at a time: each purchase, \
            grant, deduction or expiry with its amount, resulting balance and date.",
        category: Category::Billing,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::get("/api/v1/billing/history")
            .query_opt("pageIndex", self.page_index)
            .query_opt("recordsPerPage", self.records_per_page))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        passthrough_as(body, "transactions")
    }
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum UsageSortColumn {
    Name,
    Cost,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetAgentsUsage {
    /// Start of the period: ISO 8601 date or date-time (2026-01-01,
    /// 2026-01-01T00:00:00Z; no zone means UTC). Default: the first day of
    /// the current month, 00:00 UTC.
    pub start_date: Option<IsoDate>,
    /// End of the period, same format, not before startDate. Default: now.
    pub end_date: Option<IsoDate>,
    /// Page number, from 1. If omitted, the API's first page.
    pub page_index: Option<Id>,
    /// Agents per page, 1-1000. If omitted, the API's default.
    pub records_per_page: Option<Int<1, 1000>>,
    /// Sort by agent name or by cost.
    pub sort_column: Option<UsageSortColumn>,
    /// Sort direction: asc or desc (with sortColumn cost, desc puts the most
    /// expensive agents first).
    pub sort_order: Option<SortOrder>,
    /// Only agents whose name contains this text.
    pub name: Option<String>,
    /// Only these usage types, comma-separated, e.g. "Server Time,Export GB"
    /// (others: Agent Inputs, Proxy Data, Export CPM). Default: all.
    pub usage_types: Option<String>,
}

impl Tool for GetAgentsUsage {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_agents_usage",
        title: "Get Agents Usage",
        description: "Credits spent per agent over a period (default: this month so far), with \
            the total. Use it to find the agents that cost most: sortColumn cost, sortOrder \
            desc. Filter by agent name or usage type.",
        category: Category::Billing,
        effect: Effect::Read,
    };

    fn request(&self, now: i64) -> Result<ApiRequest, ToolError> {
        let (start, end) = range(&self.start_date, &self.end_date, now)?;
        Ok(ApiRequest::get("/api/v1/billing/agents")
            .query("startDate", start)
            .query("endDate", end)
            .query_opt("pageIndex", self.page_index)
            .query_opt("recordsPerPage", self.records_per_page)
            .query_opt(
                "sortColumn",
                self.sort_column.map(|c| match c {
                    UsageSortColumn::Name => "name",
                    UsageSortColumn::Cost => "cost",
                }),
            )
            .query_opt("sortOrder", self.sort_order.map(SortOrder::code))
            .query_opt("name", self.name.as_deref())
            .query_opt("usageTypes", usage_types(&self.usage_types)))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        passthrough_as(body, "agents")
    }
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    Day,
    Month,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetAgentCostBreakdown {
    /// The agent's id (from list_agents, search_agents or get_agents_usage).
    pub agent_id: Id,
    /// Start of the period: ISO 8601 date or date-time (2026-01-01,
    /// 2026-01-01T00:00:00Z; no zone means UTC). Default: the first day of
    /// the current month, 00:00 UTC.
    pub start_date: Option<IsoDate>,
    /// End of the period, same format, not before startDate. Default: now.
    pub end_date: Option<IsoDate>,
    /// One data point per day or per month. If omitted, the API's default.
    pub time_unit: Option<TimeUnit>,
    /// Only these usage types, comma-separated, e.g. "Server Time,Export GB"
    /// (others: Agent Inputs, Proxy Data, Export CPM). Default: all.
    pub usage_types: Option<String>,
}

impl Tool for GetAgentCostBreakdown {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_agent_cost_breakdown",
        title: "Get Agent Cost Breakdown",
        description: "One agent's cost split by usage type (server time, exports, proxy data, \
            …) per day or month over a period (default: this month so far): date labels with \
            one aligned series per type, ready to chart, and totals.",
        category: Category::Billing,
        effect: Effect::Read,
    };

    fn request(&self, now: i64) -> Result<ApiRequest, ToolError> {
        let (start, end) = range(&self.start_date, &self.end_date, now)?;
        Ok(
            ApiRequest::get(format!("/api/v1/billing/agents/{}", self.agent_id))
                .query("startDate", start)
                .query("endDate", end)
                .query_opt(
                    "timeUnit",
                    self.time_unit.map(|u| match u {
                        TimeUnit::Day => "day",
                        TimeUnit::Month => "month",
                    }),
                )
                .query_opt("usageTypes", usage_types(&self.usage_types)),
        )
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        passthrough_as(body, "breakdown")
    }
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RunCostSortColumn {
    Date,
    Cost,
    Duration,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetAgentRunsCost {
    /// The agent's id (from list_agents, search_agents or get_agents_usage).
    pub agent_id: Id,
    /// Start of the period: ISO 8601 date or date-time (2026-01-01,
    /// 2026-01-01T00:00:00Z; no zone means UTC). Default: the first day of
    /// the current month, 00:00 UTC.
    pub start_date: Option<IsoDate>,
    /// End of the period, same format, not before startDate. Default: now.
    pub end_date: Option<IsoDate>,
    /// Page number, from 1. If omitted, the API's first page.
    pub page_index: Option<Id>,
    /// Runs per page, 1-1000. If omitted, the API's default.
    pub records_per_page: Option<Int<1, 1000>>,
    /// Sort by run date, cost or duration.
    pub sort_column: Option<RunCostSortColumn>,
    /// Sort direction: asc or desc (with sortColumn cost, desc puts the most
    /// expensive runs first).
    pub sort_order: Option<SortOrder>,
    /// Only these usage types, comma-separated, e.g. "Server Time,Export GB"
    /// (others: Agent Inputs, Proxy Data, Export CPM). Default: all.
    pub usage_types: Option<String>,
}

impl Tool for GetAgentRunsCost {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_agent_runs_cost",
        title: "Get Agent Runs Cost",
        description: "The cost of each run of one agent over a period (default: this month so \
            far), with the total. Use it to find expensive runs: sortColumn cost, sortOrder \
            desc.",
        category: Category::Billing,
        effect: Effect::Read,
    };

    fn request(&self, now: i64) -> Result<ApiRequest, ToolError> {
        let (start, end) = range(&self.start_date, &self.end_date, now)?;
        Ok(
            ApiRequest::get(format!("/api/v1/billing/agents/{}/runs", self.agent_id))
                .query("startDate", start)
                .query("endDate", end)
                .query_opt("pageIndex", self.page_index)
                .query_opt("recordsPerPage", self.records_per_page)
                .query_opt(
                    "sortColumn",
                    self.sort_column.map(|c| match c {
                        RunCostSortColumn::Date => "date",
                        RunCostSortColumn::Cost => "cost",
                        RunCostSortColumn::Duration => "duration",
                    }),
                )
                .query_opt("sortOrder", self.sort_order.map(SortOrder::code))
                .query_opt("usageTypes", usage_types(&self.usage_types)),
        )
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        passthrough_as(body, "runs")
    }
}

/// The `startDate` and `endDate` to send: the given ones, else the first day
/// of `now`'s month (UTC) and `now`; refused when reversed.
fn range(
    start: &Option<IsoDate>,
    end: &Option<IsoDate>,
    now: i64,
) -> Result<(String, String), ToolError> {
    let s = start.clone().unwrap_or_else(|| IsoDate {
        text: format_iso(month_start(now)),
        millis: month_start(now),
    });
    let e = end.clone().unwrap_or_else(|| IsoDate {
        text: format_iso(now),
        millis: now,
    });
    check_order(
        (&s, start.is_none().then_some("the first day of this month")),
        (&e, end.is_none().then_some("now")),
    )?;
    Ok((s.text, e.text))
}

/// Refuses `start` after `end`, naming both (and which one was a default).
fn check_order(
    (start, start_default): (&IsoDate, Option<&str>),
    (end, end_default): (&IsoDate, Option<&str>),
) -> Result<(), ToolError> {
    if start.millis <= end.millis {
        return Ok(());
    }
    let show = |d: &IsoDate, default: Option<&str>| match default {
        Some(what) => format!("{} (default: {what})", d.text),
        None => d.text.clone(),
    };
    Err(ToolError::invalid(format!(
        "startDate {} is after endDate {}; startDate must be on or before endDate",
        show(start, start_default),
        show(end, end_default),
    )))
}

/// A comma-separated list with the blanks around names removed
/// (`"Server Time, Export GB"` → `"Server Time,Export GB"`).
fn usage_types(list: &Option<String>) -> Option<String> {
    list.as_deref().map(|l| {
        l.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(",")
    })
}
