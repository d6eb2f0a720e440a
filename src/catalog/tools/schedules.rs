//! Schedule management: list, create, read, update, delete, enable and
//! disable an agent's schedules, and the upcoming runs of all of them
//! (spec/tools.md §3.5).
//!
//! Create and update take the same optional settings; `schedule_params!`
//! declares them once for both structs (no `#[serde(flatten)]`, which would
//! defeat `deny_unknown_fields`), and [`Settings`] checks and encodes them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::dates::format_iso;
use super::files::list_as;
use super::params::{Id, Int, IsoDate, JsonText, MAX_SAFE};
use super::{passthrough_as, Category, Effect, Output, Tool, ToolError, ToolSpec};
use crate::sequentum::{ApiBody, ApiRequest};

/// How the exports of a run's parallel sets are delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum ParallelExport {
    Combined,
    Separated,
}

/// The least severe run-log messages kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum LogLevel {
    Fatal,
    Error,
    Warning,
    Info,
}

/// What a run's log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum LogMode {
    Text,
    TextAndHtml,
}

/// `scheduleType` codes.
const RUN_ONCE: i64 = 1;
const RUN_EVERY: i64 = 2;
const CRON: i64 = 3;

/// A RunOnce schedule must start at least this far ahead.
const RUN_ONCE_LEAD_MS: i64 = 60_000;

fn schedules_path(agent: Id) -> String {
    format!("/api/v1/agent/{agent}/schedules")
}

fn schedule_path(agent: Id, schedule: Id, tail: &str) -> String {
    format!("/api/v1/agent/{agent}/schedules/{schedule}{tail}")
}

/// Declares a create/update params struct: the given fields, then the
/// settings both tools share, and [`Settings`] over them.
macro_rules! schedule_params {
    ($(#[$meta:meta])* pub struct $name:ident { $($head:tt)* }) => {
        $(#[$meta])*
        #[derive(Debug, Deserialize, JsonSchema)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        pub struct $name {
            $($head)*
            /// When the schedule starts, ISO 8601 (e.g. 2026-12-01T09:00:00Z;
            /// without an offset the time is UTC). RunOnce: required, more than
            /// 1 minute ahead. RunEvery: optional, in the future.
            pub start_time: Option<IsoDate>,
            /// For scheduleType 3: when to run, as a CRON expression, e.g.
            /// "0 9 * * *" (every day at 09:00).
            pub cron_expression: Option<String>,
            /// For scheduleType 2: runs are this many runEveryPeriod units
            /// apart (>= 1).
            pub run_every_count: Option<Int<1, MAX_SAFE>>,
            /// For scheduleType 2: the unit of runEveryCount: 1 minutes,
            /// 2 hours, 3 days, 4 weeks, 5 months.
            pub run_every_period: Option<Int<1, 5>>,
            /// Time zone the schedule's times are read in, e.g. UTC.
            pub timezone: Option<String>,
            /// The agent's inputs for the scheduled runs, as a JSON object
            /// string, e.g. {"query":"shoes"}.
            pub input_parameters: Option<JsonText>,
            /// At most this many parallel sets run at the same time (>= 1).
            pub parallel_max_concurrency: Option<Int<1, MAX_SAFE>>,
            /// Combined: one export for all parallel sets; Separated: one
            /// export per set.
            pub parallel_export: Option<ParallelExport>,
            /// Least severe run-log messages kept: Info (most detail),
            /// Warning, Error or Fatal.
            pub log_level: Option<LogLevel>,
            /// Run-log format: Text, or TextAndHtml (text and HTML).
            pub log_mode: Option<LogMode>,
            /// Run exclusively: no other run of this agent at the same time.
            pub is_exclusive: Option<bool>,
            /// On failure, hold the run in a waiting state instead of ending it.
            pub is_wait_on_failure: Option<bool>,
        }

        impl $name {
            fn settings(&self) -> Settings<'_> {
                Settings {
                    start_time: self.start_time.as_ref(),
                    cron_expression: self.cron_expression.as_deref(),
                    run_every_count: self.run_every_count.map(Int::get),
                    run_every_period: self.run_every_period.map(Int::get),
                    timezone: self.timezone.as_deref(),
                    input_parameters: self.input_parameters.as_ref(),
                    parallel_max_concurrency: self.parallel_max_concurrency.map(Int::get),
                    parallel_export: self.parallel_export,
                    log_level: self.log_level,
                    log_mode: self.log_mode,
                    is_exclusive: self.is_exclusive,
                    is_wait_on_failure: self.is_wait_on_failure,
                }
            }
        }
    };
}

/// The settings create and update share, borrowed from either.
#[derive(Debug)]
struct Settings<'a> {
    start_time: Option<&'a IsoDate>,
    cron_expression: Option<&'a str>,
    run_every_count: Option<i64>,
    run_every_period: Option<i64>,
    timezone: Option<&'a str>,
    input_parameters: Option<&'a JsonText>,
    parallel_max_concurrency: Option<i64>,
    parallel_export: Option<ParallelExport>,
    log_level: Option<LogLevel>,
    log_mode: Option<LogMode>,
    is_exclusive: Option<bool>,
    is_wait_on_failure: Option<bool>,
}

impl Settings<'_> {
    fn has_run_every(&self) -> bool {
        self.run_every_count.is_some() || self.run_every_period.is_some()
    }

    /// A RunOnce start must be more than a minute ahead, a RunEvery start
    /// ahead at all; other kinds do not use it.
    fn check_start_time(&self, kind: Option<i64>, now_ms: i64) -> Result<(), ToolError> {
        let Some(start) = self.start_time else {
            return Ok(());
        };
        let (earliest, rule) = match kind {
            Some(RUN_ONCE) => (
                now_ms.saturating_add(RUN_ONCE_LEAD_MS),
                "a RunOnce (scheduleType 1) start must be more than 1 minute from now",
            ),
            Some(RUN_EVERY) => (
                now_ms,
                "a RunEvery (scheduleType 2) start must be in the future",
            ),
            _ => return Ok(()),
        };
        if start.millis > earliest {
            Ok(())
        } else {
            Err(ToolError::invalid(format!(
                "Invalid parameter 'startTime': {rule} (now is {} UTC), got {}",
                format_iso(now_ms),
                start.text
            )))
        }
    }

    /// Adds the settings that were given, under the API's names.
    fn write(&self, body: &mut Map<String, Value>) {
        let mut put = |key: &str, value: Option<Value>| {
            if let Some(value) = value {
                body.insert(key.to_owned(), value);
            }
        };
        put("CronExpression", self.cron_expression.map(Value::from));
        put(
            "StartTime",
            self.start_time.map(|t| Value::from(t.text.as_str())),
        );
        put("RunEveryCount", self.run_every_count.map(Value::from));
        put("RunEveryPeriod", self.run_every_period.map(Value::from));
        put("Timezone", self.timezone.map(Value::from));
        put(
            "InputParameters",
            self.input_parameters.map(|j| Value::from(j.0.as_str())),
        );
        put(
            "ParallelMaxConcurrency",
            self.parallel_max_concurrency.map(Value::from),
        );
        put("ParallelExport", self.parallel_export.map(|v| json!(v)));
        put("LogLevel", self.log_level.map(|v| json!(v)));
        put("LogMode", self.log_mode.map(|v| json!(v)));
        put("IsExclusive", self.is_exclusive.map(Value::from));
        put("IsWaitOnFailure", self.is_wait_on_failure.map(Value::from));
    }
}

/// A schedule needs a name the dashboard can show.
fn check_name(name: &str) -> Result<(), ToolError> {
    if name.trim().is_empty() {
        Err(ToolError::invalid(
            "Invalid parameter 'name': must not be empty",
        ))
    } else {
        Ok(())
    }
}

/// The schedule the API answered; `done` when it answered nothing.
fn schedule_or(body: ApiBody, done: Value) -> Result<Output, ToolError> {
    match body {
        ApiBody::Empty => Ok(Output::object(done)),
        other => passthrough_as(other, "schedule"),
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListAgentSchedules {
    pub agent_id: Id,
}

impl Tool for ListAgentSchedules {
    const SPEC: ToolSpec = ToolSpec {
        name: "list_agent_schedules",
        title: "List Agent Schedules",
        description: "The schedules attached to one agent: id, name, kind (once, every N \
            units, CRON), timing, time zone, next run and whether each is enabled.",
        category: Category::Schedules,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::get(schedules_path(self.agent_id)))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        list_as(body, "schedules")
    }
}

schedule_params! {
    pub struct CreateAgentSchedule {
        pub agent_id: Id,
        /// The schedule's name, as the dashboard shows it.
        pub name: String,
        /// 1 RunOnce (needs startTime), 2 RunEvery (needs runEveryCount and
        /// runEveryPeriod), 3 CRON (needs cronExpression). Default 3.
        pub schedule_type: Option<Int<1, 3>>,
        /// Whether the schedule is active once created (default true).
        pub is_enabled: Option<bool>,
        /// Parallel sets per scheduled run, 1-50 (default 1).
        pub parallelism: Option<Int<1, 50>>,
    }
}

impl Tool for CreateAgentSchedule {
    const SPEC: ToolSpec = ToolSpec {
        name: "create_agent_schedule",
        title: "Create Agent Schedule",
        description: "Add a schedule that runs an agent automatically. scheduleType 1 RunOnce: \
            one run at startTime (more than a minute ahead). 2 RunEvery: repeats every \
            runEveryCount x runEveryPeriod, e.g. count 6 with period 2 (hours) = every 6 hours, \
            optionally from startTime. 3 CRON (the default): follows cronExpression, e.g. \
            \"30 6 * * 1\" = Mondays at 06:30 in `timezone`. Returns the new schedule.",
        category: Category::Schedules,
        effect: Effect::Write {
            destructive: false,
            open_world: false,
        },
    };

    fn request(&self, now_ms: i64) -> Result<ApiRequest, ToolError> {
        check_name(&self.name)?;
        let settings = self.settings();
        let kind = self.schedule_type.map_or(CRON, Int::get);
        let missing = match kind {
            RUN_ONCE if settings.start_time.is_none() => {
                Some("startTime is required when scheduleType is 1 (RunOnce)")
            }
            RUN_EVERY
                if settings.run_every_count.is_none() || settings.run_every_period.is_none() =>
            {
                Some("runEveryCount and runEveryPeriod are required when scheduleType is 2 (RunEvery)")
            }
            CRON if settings.cron_expression.is_none_or(|c| c.trim().is_empty()) => {
                Some("cronExpression is required when scheduleType is 3 (CRON, the default)")
            }
            _ => None,
        };
        if let Some(message) = missing {
            return Err(ToolError::invalid(message));
        }
        settings.check_start_time(Some(kind), now_ms)?;
        let mut body = Map::new();
        body.insert("Name".into(), Value::from(self.name.as_str()));
        body.insert(
            "IsEnabled".into(),
            Value::from(self.is_enabled.unwrap_or(true)),
        );
        body.insert(
            "Parallelism".into(),
            Value::from(self.parallelism.map_or(1, Int::get)),
        );
        body.insert("ScheduleType".into(), Value::from(kind));
        settings.write(&mut body);
        Ok(ApiRequest::post(schedules_path(self.agent_id)).json(Value::Object(body)))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        schedule_or(
            body,
            json!({ "agentId": self.agent_id.get(), "created": true }),
        )
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteAgentSchedule {
    pub agent_id: Id,
    pub schedule_id: Id,
}

impl Tool for DeleteAgentSchedule {
    const SPEC: ToolSpec = ToolSpec {
        name: "delete_agent_schedule",
        title: "Delete Agent Schedule",
        description: "Permanently remove a schedule from an agent. Cannot be undone; to stop \
            it for a while, use disable_agent_schedule instead.",
        category: Category::Schedules,
        effect: Effect::Write {
            destructive: true,
            open_world: false,
        },
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::delete(schedule_path(
            self.agent_id,
            self.schedule_id,
            "",
        )))
    }

    fn render(self, _: ApiBody) -> Result<Output, ToolError> {
        Ok(Output::object(json!({
            "agentId": self.agent_id.get(),
            "scheduleId": self.schedule_id.get(),
            "deleted": true,
        })))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetAgentSchedule {
    pub agent_id: Id,
    pub schedule_id: Id,
}

impl Tool for GetAgentSchedule {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_agent_schedule",
        title: "Get Agent Schedule",
        description: "All settings of one schedule: kind, timing, time zone, inputs, \
            parallelism, logging, next run and enabled state. Read it before \
            update_agent_schedule.",
        category: Category::Schedules,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::get(schedule_path(
            self.agent_id,
            self.schedule_id,
            "",
        )))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        passthrough_as(body, "schedule")
    }
}

schedule_params! {
    pub struct UpdateAgentSchedule {
        pub agent_id: Id,
        pub schedule_id: Id,
        /// The schedule's name. Required on every update: send the current
        /// name to keep it.
        pub name: String,
        /// 1 RunOnce, 2 RunEvery, 3 CRON. When omitted: 3 if cronExpression
        /// is given, else 2 if runEveryCount or runEveryPeriod is, else not
        /// sent.
        pub schedule_type: Option<Int<1, 3>>,
        /// Turn the schedule on (true) or off (false).
        pub is_enabled: Option<bool>,
        /// Parallel sets per scheduled run, 1-50.
        pub parallelism: Option<Int<1, 50>>,
    }
}

impl Tool for UpdateAgentSchedule {
    const SPEC: ToolSpec = ToolSpec {
        name: "update_agent_schedule",
        title: "Update Agent Schedule",
        description: "Change a schedule's name, timing, inputs or run settings. Read it with \
            get_agent_schedule first: name is always required, and only the fields given are \
            sent. Giving cronExpression or runEvery fields switches the kind unless \
            scheduleType says otherwise; giving both needs scheduleType. Returns the updated \
            schedule.",
        category: Category::Schedules,
        effect: Effect::Write {
            destructive: false,
            open_world: false,
        },
    };

    fn request(&self, now_ms: i64) -> Result<ApiRequest, ToolError> {
        check_name(&self.name)?;
        let settings = self.settings();
        let has_cron = settings.cron_expression.is_some();
        let has_run_every = settings.has_run_every();
        let kind = match self.schedule_type {
            Some(kind) => Some(kind.get()),
            None if has_cron && has_run_every => {
                return Err(ToolError::invalid(
                    "cronExpression and runEveryCount/runEveryPeriod were both given without \
                     scheduleType; set scheduleType to say which applies (2 RunEvery, 3 CRON)",
                ))
            }
            None if has_cron => Some(CRON),
            None if has_run_every => Some(RUN_EVERY),
            None => None,
        };
        settings.check_start_time(kind, now_ms)?;
        let mut body = Map::new();
        body.insert("Name".into(), Value::from(self.name.as_str()));
        if let Some(kind) = kind {
            body.insert("ScheduleType".into(), Value::from(kind));
        }
        if let Some(enabled) = self.is_enabled {
            body.insert("IsEnabled".into(), Value::from(enabled));
        }
        if let Some(parallelism) = self.parallelism {
            body.insert("Parallelism".into(), Value::from(parallelism.get()));
        }
        settings.write(&mut body);
        Ok(
            ApiRequest::put(schedule_path(self.agent_id, self.schedule_id, ""))
                .json(Value::Object(body)),
        )
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        schedule_or(
            body,
            json!({
                "agentId": self.agent_id.get(),
                "scheduleId": self.schedule_id.get(),
                "updated": true,
            }),
        )
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnableAgentSchedule {
    pub agent_id: Id,
    pub schedule_id: Id,
}

impl Tool for EnableAgentSchedule {
    const SPEC: ToolSpec = ToolSpec {
        name: "enable_agent_schedule",
        title: "Enable Agent Schedule",
        description: "Switch a disabled schedule back on; it runs again at its next due time.",
        category: Category::Schedules,
        effect: Effect::Write {
            destructive: false,
            open_world: false,
        },
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::post(schedule_path(
            self.agent_id,
            self.schedule_id,
            "/enable",
        )))
    }

    fn render(self, _: ApiBody) -> Result<Output, ToolError> {
        Ok(Output::object(json!({
            "agentId": self.agent_id.get(),
            "scheduleId": self.schedule_id.get(),
            "enabled": true,
        })))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DisableAgentSchedule {
    pub agent_id: Id,
    pub schedule_id: Id,
}

impl Tool for DisableAgentSchedule {
    const SPEC: ToolSpec = ToolSpec {
        name: "disable_agent_schedule",
        title: "Disable Agent Schedule",
        description: "Pause a schedule without deleting it: no runs start from it until \
            enable_agent_schedule switches it back on.",
        category: Category::Schedules,
        effect: Effect::Write {
            destructive: false,
            open_world: false,
        },
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::post(schedule_path(
            self.agent_id,
            self.schedule_id,
            "/disable",
        )))
    }

    fn render(self, _: ApiBody) -> Result<Output, ToolError> {
        Ok(Output::object(json!({
            "agentId": self.agent_id.get(),
            "scheduleId": self.schedule_id.get(),
            "enabled": false,
        })))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetScheduledRuns {
    /// Start of the window, ISO 8601 (2026-01-01 or 2026-01-01T00:00:00Z).
    pub start_date: Option<IsoDate>,
    /// End of the window, ISO 8601; not before startDate.
    pub end_date: Option<IsoDate>,
}

impl Tool for GetScheduledRuns {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_scheduled_runs",
        title: "Get Scheduled Runs",
        description: "Upcoming scheduled runs across all agents in a time window: agent, \
            schedule, next run time, time zone, enabled. Without dates the API shows the \
            next 7 days.",
        category: Category::Schedules,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        if let (Some(start), Some(end)) = (&self.start_date, &self.end_date) {
            if start.millis > end.millis {
                return Err(ToolError::invalid(format!(
                    "Invalid parameter 'startDate': must not be after endDate ({} > {})",
                    start.text, end.text
                )));
            }
        }
        Ok(ApiRequest::get("/api/v1/analytics/schedules/upcoming")
            .query_opt("startDate", self.start_date.as_ref().map(|d| &d.text))
            .query_opt("endDate", self.end_date.as_ref().map(|d| &d.text)))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        list_as(body, "upcoming")
    }
}
