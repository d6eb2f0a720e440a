//! Prompts about one agent: debug it, check its health, run it, schedule
//! it, compare its runs.

use super::text::{find_agent, Workflow};
use super::{ArgSpec, Args, PromptSpec, Suggest};

/// The `agentName` argument every prompt here takes.
pub(super) const AGENT_NAME: ArgSpec = ArgSpec {
    name: "agentName",
    title: "Agent name",
    description: "Name of the agent, or part of it.",
    required: true,
    min_chars: 0,
    max_chars: 200,
    suggest: Suggest::AgentNames,
};

pub(super) const DEBUG_AGENT: PromptSpec = PromptSpec {
    name: "debug-agent",
    title: "Debug an Agent",
    description: "Find out why an agent's runs fail: recent runs, the latest failure's \
        diagnostics, the root cause and how to fix it.",
    arguments: &[AGENT_NAME],
    render: debug_agent,
};

fn debug_agent(args: &Args) -> String {
    let name = args.required("agentName");
    Workflow::new(format!(
        "Find out why the Sequentum agent `{name}` fails and how to fix it."
    ))
    .step(find_agent(name))
    .step(
        "Call `get_agent_runs` with maxRecords 20. Note each run's status, records and error \
         message, when the failures started, and whether they happen every time or now and then.",
    )
    .step(
        "Call `get_latest_failure` for the diagnostics of the most recent failed run. If it \
         answers 'Not found', the agent has no failed run: summarize the recent runs and stop.",
    )
    .step(
        "If older failures show other errors, call `get_run_diagnostics` (agentId, runId) for \
         up to three of them.",
    )
    .step(
        "Report to the user: the root cause, backed by the error messages; since when it \
         happens; and concrete fixes, most likely first.",
    )
    .finish()
}

pub(super) const AGENT_HEALTH_CHECK: PromptSpec = PromptSpec {
    name: "agent-health-check",
    title: "Agent Health Check",
    description: "A health summary of one agent: configuration, success rate, recent \
        failures, schedules and recent changes.",
    arguments: &[AGENT_NAME],
    render: agent_health_check,
};

fn agent_health_check(args: &Args) -> String {
    let name = args.required("agentName");
    Workflow::new(format!(
        "Check the health of the Sequentum agent `{name}`."
    ))
    .step(find_agent(name))
    .step("Call `get_agent` for its configuration, last-run status and last activity.")
    .step(
        "Call `get_agent_runs` with maxRecords 50. Work out the success rate, the trend in \
         records per run, and the errors of recent failures.",
    )
    .step("Call `list_agent_schedules`: which schedules exist, which are enabled, when each runs next.")
    .step(
        "Call `get_agent_versions` to see recent changes (date, author, note), and whether \
         failures began after one of them.",
    )
    .step(
        "Report to the user: a verdict (healthy, degraded or failing), the success rate, recent \
         failures, the schedules, recent changes, and what to do about any problem.",
    )
    .finish()
}

pub(super) const RUN_AND_MONITOR: PromptSpec = PromptSpec {
    name: "run-and-monitor",
    title: "Run and Monitor an Agent",
    description: "Start a run of an agent, follow it to the end, then list its output files \
        or diagnose its failure.",
    arguments: &[AGENT_NAME],
    render: run_and_monitor,
};

fn run_and_monitor(args: &Args) -> String {
    let name = args.required("agentName");
    Workflow::new(format!(
        "Run the Sequentum agent `{name}` and follow the run to its end."
    ))
    .step(find_agent(name))
    .step(
        "Call `get_agent` and read its input parameters. If a run needs input values the user \
         has not given, ask for them; never invent inputs.",
    )
    .step(
        "Call `start_agent` with agentId, inputParameters (a JSON object string) if needed, \
         isRunSynchronously true and timeout 45: it waits up to 45 seconds for the run to end \
         and returns it, with its files if it finished.",
    )
    .step(
        "If the answer says finished false, the run goes on: call `get_run_status` (agentId, \
         runId) every 15 to 30 seconds until the status is Completed, CompletedWithErrors, \
         Failed, FailedToStart or Stopped. On a long run, tell the user how it is going.",
    )
    .step(
        "If it completed, list its output with `get_run_files` (unless the answer already had \
         the files); `get_file_download_url` gives a link to a file the user wants. If it failed, \
         call `get_run_diagnostics` for the cause.",
    )
    .step(
        "Report to the user: the run id, final status, duration, records extracted, and the \
         files, or the cause of the failure and a fix.",
    )
    .finish()
}

pub(super) const SCHEDULE_AGENT: PromptSpec = PromptSpec {
    name: "schedule-agent",
    title: "Schedule an Agent",
    description: "Add a schedule to an agent from a plain-language description, after \
        reviewing the schedules it already has.",
    arguments: &[
        AGENT_NAME,
        ArgSpec {
            name: "scheduleDescription",
            title: "Schedule",
            description: "When the agent should run, in plain words, e.g. \"every Monday at \
                9:00 UTC\". If omitted, the user is asked.",
            required: false,
            min_chars: 0,
            max_chars: 500,
            suggest: Suggest::Choices(&[
                "every day at 9:00 UTC",
                "every weekday at 8:00 UTC",
                "every Monday at 9:00 UTC",
                "every 6 hours",
                "once, tomorrow at 12:00 UTC",
            ]),
        },
    ],
    render: schedule_agent,
};

fn schedule_agent(args: &Args) -> String {
    let name = args.required("agentName");
    let wanted = match args.get("scheduleDescription") {
        Some(schedule) => format!(
            "The user wants this schedule: `{schedule}`. Translate it into the settings below; \
             if it is ambiguous (no time of day, no time zone), ask the user."
        ),
        None => "Ask the user what schedule they want (for example every day at 9:00 UTC, \
                 or every 6 hours) and wait for the answer."
            .to_owned(),
    };
    Workflow::new(format!(
        "Create a schedule for the Sequentum agent `{name}`."
    ))
    .step(find_agent(name))
    .step("Call `get_agent` and note any input parameters the scheduled runs need.")
    .step(
        "Call `list_agent_schedules` and summarize the existing schedules for the user, so the \
         new one does not duplicate or clash with them.",
    )
    .step(wanted)
    .step(
        "Choose the kind: scheduleType 3 (CRON) for calendar patterns, with cronExpression \
         (minute hour day-of-month month day-of-week, e.g. \"0 9 * * 1-5\" = weekdays at 9:00); \
         2 (RunEvery) for fixed intervals, with runEveryCount and runEveryPeriod (1 minutes, \
         2 hours, 3 days, 4 weeks, 5 months); 1 (RunOnce) for a single run, with startTime \
         (ISO 8601, more than a minute ahead). Set timezone, UTC unless the user said otherwise.",
    )
    .step(
        "Call `create_agent_schedule` with agentId, a short descriptive name, scheduleType and \
         its settings, and inputParameters if the agent needs them.",
    )
    .step(
        "Report to the user: the new schedule's id, name and timing in plain words, its next \
         run and whether it is enabled.",
    )
    .finish()
}

pub(super) const COMPARE_RUNS: PromptSpec = PromptSpec {
    name: "compare-runs",
    title: "Compare Runs",
    description: "Compare an agent's last successful run with its last failed run to find \
        what changed and the likely cause.",
    arguments: &[AGENT_NAME],
    render: compare_runs,
};

fn compare_runs(args: &Args) -> String {
    let name = args.required("agentName");
    Workflow::new(format!(
        "Compare a successful and a failed run of the Sequentum agent `{name}` to find out \
         what went wrong."
    ))
    .step(find_agent(name))
    .step(
        "Call `get_agent_runs` with maxRecords 50. Pick the most recent successful run \
         (Completed) and the most recent failed one (Failed, FailedToStart or \
         CompletedWithErrors). If either is missing, tell the user what there is and stop.",
    )
    .step("Call `get_run_diagnostics` (agentId, runId) for the failed run.")
    .step(
        "Compare the two side by side: start time, duration, records extracted and exported, \
         errors, and anything else that differs.",
    )
    .step(
        "Report to the user: a short comparison table, the differences that matter, the most \
         likely cause and a next step (e.g. `get_agent_versions` shows whether the agent \
         changed between the two runs).",
    )
    .finish()
}
