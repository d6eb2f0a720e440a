//! Account-wide reports: spending, costs, a space, the last day.

use super::text::Workflow;
use super::{ArgSpec, Args, PromptSpec, Suggest};

pub(super) const SPENDING_REPORT: PromptSpec = PromptSpec {
    name: "spending-report",
    title: "Spending Report",
    description: "A report on credit spending: balance, this month's spending, the agents \
        that cost most and recent credit transactions.",
    arguments: &[],
    render: spending_report,
};

fn spending_report(_: &Args) -> String {
    Workflow::new("Prepare a report on this Sequentum account's credit spending.")
        .step("Call `get_credits_balance` for the current balance.")
        .step(
            "Call `get_spending_summary` with startDate the first day of the current month and \
             endDate today, for the month's spending so far.",
        )
        .step(
            "Call `get_agents_usage` with sortColumn cost, sortOrder desc and recordsPerPage 10 \
             for the agents that cost most this month.",
        )
        .step(
            "Call `get_credit_history` with recordsPerPage 20 for recent purchases, grants, \
             deductions and expiries.",
        )
        .step(
            "Report to the user: the balance, spending this month, the top agents by cost with \
             their share of the total, notable transactions, and how long the balance lasts at \
             this rate if the numbers allow an estimate.",
        )
        .finish()
}

pub(super) const COST_ANALYSIS: PromptSpec = PromptSpec {
    name: "cost-analysis",
    title: "Cost Analysis",
    description: "Find what drives credit costs: the most expensive agents, their cost by \
        usage type, outlier runs, and ways to save.",
    arguments: &[],
    render: cost_analysis,
};

fn cost_analysis(_: &Args) -> String {
    Workflow::new("Analyse what drives this Sequentum account's costs and where to save.")
        .step("Call `get_credits_balance` for the current balance.")
        .step(
            "Call `get_agents_usage` with sortColumn cost and sortOrder desc (the default period \
             is this month so far) for the costliest agents.",
        )
        .step(
            "For the top one to three agents, call `get_agent_cost_breakdown` with timeUnit day: \
             which usage types (server time, exports, proxy data, ...) dominate, and on which days \
             costs spiked.",
        )
        .step(
            "For the costliest agent, call `get_agent_runs_cost` with sortColumn cost and \
             sortOrder desc to find runs that cost far more than the rest.",
        )
        .step(
            "Report to the user: the cost drivers per agent, the outliers, and concrete ways to \
             save (run less often, lower parallelism, narrow the scope, fix failing runs that \
             waste credits), with their likely effect where the data shows it.",
        )
        .finish()
}

pub(super) const SPACE_OVERVIEW: PromptSpec = PromptSpec {
    name: "space-overview",
    title: "Space Overview",
    description: "An overview of one space: its agents, their last-run status, the causes \
        of failures and what needs attention.",
    arguments: &[ArgSpec {
        name: "spaceName",
        title: "Space name",
        description: "Name of the space.",
        required: true,
        min_chars: 0,
        max_chars: 200,
        suggest: Suggest::SpaceNames,
    }],
    render: space_overview,
};

fn space_overview(args: &Args) -> String {
    let name = args.required("spaceName");
    Workflow::new(format!("Give an overview of the Sequentum space `{name}`."))
        .step(format!(
            "Call `search_space_by_name` with name `{name}` and use the space's id as spaceId \
             below. If no space matches, `list_spaces` shows the names: offer the closest ones \
             to the user and stop."
        ))
        .step("Call `get_space` for its description and dates.")
        .step(
            "Call `get_space_agents` and group the agents by last-run status code (1 Running, \
             6 Failure, 7 Failed, 8 Stopped, 9 Completed, 10 Success; none: never run).",
        )
        .step(
            "For each agent whose last run failed (6 or 7), call `get_latest_failure`; for more \
             than five, do the five most recently active and list the rest.",
        )
        .step(
            "Report to the user: the space and its number of agents, how many are in each \
             status, each failure with its cause, and the agents that need attention.",
        )
        .finish()
}

pub(super) const DAILY_OPERATIONS_REPORT: PromptSpec = PromptSpec {
    name: "daily-operations-report",
    title: "Daily Operations Report",
    description: "The last 24 hours at a glance: runs and failures, records, credits spent \
        today and the runs scheduled for the next 24 hours.",
    arguments: &[],
    render: daily_operations_report,
};

fn daily_operations_report(_: &Args) -> String {
    Workflow::new("Compile an operations report on the last 24 hours of this Sequentum account.")
        .para("Use the current date and time in UTC; give dates in ISO 8601, e.g. 2026-01-31T09:00:00Z.")
        .step(
            "Call `get_runs_summary` with startDate 24 hours ago, endDate now and includeDetails \
             true for run counts by status and each failure's agent and error.",
        )
        .step("Call `get_records_summary` for the same period: records extracted and exported, errors.")
        .step("Call `get_credits_balance` for the current balance.")
        .step("Call `get_spending_summary` with startDate today at 00:00 UTC and endDate now.")
        .step("Call `get_scheduled_runs` with startDate now and endDate 24 hours from now.")
        .step(
            "Report to the user in short sections: runs (counts, failures with agent and error), \
             data (records, errors), credits (balance, spent today), the next 24 hours (scheduled \
             runs), and anything that needs action.",
        )
        .finish()
}
