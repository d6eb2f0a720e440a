//! Run management: history, status, start (optionally waiting for the end),
//! stop, kill, delete (spec/tools.md §3.2).

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};

use super::params::{Id, Int, JsonText};
use super::{expect_json, passthrough_as, Category, Cx, Effect, Output, Tool, ToolError, ToolSpec};
use crate::sequentum::{ApiBody, ApiRequest, Transport};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetAgentRuns {
    /// The agent's id (list_agents or search_agents find it).
    pub agent_id: Id,
    /// At most this many runs, newest first, 1-1000.
    pub max_records: Option<Int<1, 1000>>,
}

impl Tool for GetAgentRuns {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_agent_runs",
        title: "Get Agent Runs",
        description: "An agent's past runs with status, start and end times, records extracted \
            and exported, and error messages.",
        category: Category::Runs,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(
            ApiRequest::get(format!("/api/v1/agent/{}/runs", self.agent_id))
                .query_opt("maxRecords", self.max_records),
        )
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        passthrough_as(body, "runs")
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetRunStatus {
    /// The agent's id (list_agents or search_agents find it).
    pub agent_id: Id,
    /// The run's id (get_agent_runs lists them; start_agent returns one).
    pub run_id: Id,
}

impl Tool for GetRunStatus {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_run_status",
        title: "Get Run Status",
        description: "The current status of one run (Queuing, Running, Completed, Failed, …) \
            with its counts and error. Use it to follow a run started asynchronously.",
        category: Category::Runs,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::get(run_path(
            self.agent_id,
            self.run_id,
            "/status",
        )))
    }
}

fn run_path(agent: Id, run: Id, tail: &str) -> String {
    format!("/api/v1/agent/{agent}/run/{run}{tail}")
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StartAgent {
    /// The agent's id (list_agents or search_agents find it).
    pub agent_id: Id,
    /// The agent's inputs as a JSON object string, e.g. {"query":"shoes"}.
    pub input_parameters: Option<JsonText>,
    /// Wait for the run to finish (up to `timeout`) and return its final
    /// status and files, instead of returning as soon as it is queued.
    pub is_run_synchronously: Option<bool>,
    /// Seconds to wait in synchronous mode, 1-3600 (default 60).
    pub timeout: Option<Int<1, 3600>>,
    /// Parallel sets to run, 1-50 (default 1; keep 1 when waiting).
    pub parallelism: Option<Int<1, 50>>,
}

/// Synchronous waits poll the run's status: first after this long, then
/// 1.5× longer each time up to [`POLL_MAX_MS`].
const POLL_FIRST_MS: u64 = 2_000;
const POLL_MAX_MS: u64 = 15_000;
const DEFAULT_WAIT_SECS: i64 = 60;

impl StartAgent {
    fn wait_secs(&self) -> i64 {
        self.timeout.map_or(DEFAULT_WAIT_SECS, Int::get)
    }
}

impl Tool for StartAgent {
    const SPEC: ToolSpec = ToolSpec {
        name: "start_agent",
        title: "Start Agent",
        description: "Start a run of an agent. By default returns at once with the run id \
            (follow it with get_run_status). With isRunSynchronously, waits up to `timeout` \
            seconds for the run to end and returns its final status and output files.",
        category: Category::Runs,
        effect: Effect::Write {
            destructive: false,
            open_world: true,
        },
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        // The run is always started asynchronously: a synchronous wait is
        // ours (polling), so no single HTTP request has to outlive the
        // upstream timeout (docs/tools.md, "start_agent").
        let mut body = json!({
            "Parallelism": self.parallelism.map_or(1, Int::get),
            "ParallelMaxConcurrency": 1,
            "ParallelExport": "Combined",
        });
        if let Some(JsonText(input)) = &self.input_parameters {
            body["InputParameters"] = Value::String(input.clone());
        }
        body["Timeout"] = json!(self.wait_secs());
        body["IsExclusive"] = json!(true);
        body["IsWaitOnFailure"] = json!(false);
        body["IsRunSynchronously"] = json!(false);
        body["LogLevel"] = json!("Info");
        body["LogMode"] = json!("Text");
        Ok(ApiRequest::post(format!("/api/v1/agent/{}/start", self.agent_id)).json(body))
    }

    async fn run<T: Transport>(self, cx: &Cx<'_, T>) -> Result<Output, ToolError> {
        let started = cx.client.send(&self.request(cx.now_ms())?).await?;
        let run = match started {
            ApiBody::Json(run) => run,
            other => return passthrough_as(other, "result"),
        };
        let run_id = run.get("id").and_then(Value::as_i64).filter(|id| *id >= 1);
        let (true, Some(run_id)) = (self.is_run_synchronously == Some(true), run_id) else {
            return Ok(Output::json(run, "run"));
        };
        wait_for_run(cx, self.agent_id, Int(run_id), self.wait_secs(), run).await
    }
}

/// Run statuses after which nothing more happens (spec/api.md `RunStatus`,
/// and the numeric `AgentRunStatus` some answers use).
pub fn is_terminal(status: &Value) -> bool {
    match status {
        Value::String(s) => matches!(
            s.as_str(),
            "Completed" | "CompletedWithErrors" | "Failed" | "FailedToStart" | "Stopped"
        ),
        Value::Number(n) => matches!(n.as_u64(), Some(0 | 6..=11)),
        _ => false,
    }
}

/// Polls the run until it ends or `wait_secs` pass, reporting progress.
async fn wait_for_run<T: Transport>(
    cx: &Cx<'_, T>,
    agent: Id,
    run_id: Id,
    wait_secs: i64,
    mut run: Value,
) -> Result<Output, ToolError> {
    let transport = cx.client.transport();
    let begun = transport.now_ms();
    let deadline = begun.saturating_add(wait_secs.unsigned_abs() * 1000);
    let status_request = ApiRequest::get(run_path(agent, run_id, "/status"));
    let mut delay = POLL_FIRST_MS;
    loop {
        let status = run.get("status").cloned().unwrap_or(Value::Null);
        if is_terminal(&status) {
            break;
        }
        let now = transport.now_ms();
        if now >= deadline {
            return Ok(Output::object(json!({
                "finished": false,
                "run": run,
                "message": format!(
                    "Run {run_id} is still {} after {wait_secs} s; it keeps going. \
                     Follow it with get_run_status.",
                    status.as_str().unwrap_or("running")
                ),
            })));
        }
        let elapsed = (now - begun) as f64 / 1000.0;
        cx.progress.report(
            elapsed,
            Some(wait_secs as f64),
            &format!("Run {run_id}: {}", status.as_str().unwrap_or("waiting")),
        );
        transport.sleep(delay.min(deadline - now)).await;
        delay = (delay * 3 / 2).min(POLL_MAX_MS);
        match cx
            .client
            .send(&status_request)
            .await
            .map_err(ToolError::from)
            .and_then(expect_json)
        {
            Ok(latest) => run = latest,
            // The run exists; say so rather than fail the whole call.
            Err(e) => {
                return Ok(Output::object(json!({
                    "finished": false,
                    "run": run,
                    "message": format!(
                        "Run {run_id} was started, but its status could not be read: {} \
                         Follow it with get_run_status.",
                        e.text()
                    ),
                })))
            }
        }
    }
    // Finished: the files are what the user came for.
    let files = ApiRequest::get(run_path(agent, run_id, "/files"));
    let files = match cx.client.send(&files).await {
        Ok(ApiBody::Json(list)) => list,
        _ => Value::Null,
    };
    Ok(Output::object(
        json!({ "finished": true, "run": run, "files": files }),
    ))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StopAgent {
    /// The agent's id (list_agents or search_agents find it).
    pub agent_id: Id,
    /// The run's id (get_agent_runs lists them; start_agent returns one).
    pub run_id: Id,
}

impl Tool for StopAgent {
    const SPEC: ToolSpec = ToolSpec {
        name: "stop_agent",
        title: "Stop Agent",
        description: "Ask a running run to stop gracefully; data gathered so far is kept. \
            If it does not stop, use kill_agent.",
        category: Category::Runs,
        effect: Effect::Write {
            destructive: false,
            open_world: false,
        },
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::post(run_path(
            self.agent_id,
            self.run_id,
            "/stop",
        )))
    }

    fn render(self, _: ApiBody) -> Result<Output, ToolError> {
        Ok(Output::object(json!({
            "agentId": self.agent_id.get(),
            "runId": self.run_id.get(),
            "stopRequested": true,
        })))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KillAgent {
    /// The agent's id (list_agents or search_agents find it).
    pub agent_id: Id,
    /// The run's id (get_agent_runs lists them; start_agent returns one).
    pub run_id: Id,
}

impl Tool for KillAgent {
    const SPEC: ToolSpec = ToolSpec {
        name: "kill_agent",
        title: "Kill Agent",
        description: "Force a run to end when stop_agent did not work. The first call asks it \
            to stop; a second call on a run that is already stopping terminates it at once.",
        category: Category::Runs,
        effect: Effect::Write {
            destructive: true,
            open_world: false,
        },
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::post(run_path(
            self.agent_id,
            self.run_id,
            "/kill",
        )))
    }

    fn render(self, _: ApiBody) -> Result<Output, ToolError> {
        Ok(Output::object(json!({
            "agentId": self.agent_id.get(),
            "runId": self.run_id.get(),
            "killRequested": true,
            "note": "If the run was running it is now stopping; kill again to terminate it at once.",
        })))
    }
}

/// What `delete_run` removes (the API's names).
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum RemoveMethod {
    RemoveEntireRun,
    RemoveAllFiles,
    RemoveAllFilesAndAgentInput,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteRun {
    /// The agent's id (list_agents or search_agents find it).
    pub agent_id: Id,
    /// The run's id (get_agent_runs lists them; start_agent returns one).
    pub run_id: Id,
    /// RemoveEntireRun (default): the run and its files; RemoveAllFiles:
    /// only the files; RemoveAllFilesAndAgentInput: the files and the run's
    /// input data. The last two keep the run record.
    pub remove_method: Option<RemoveMethod>,
}

impl Tool for DeleteRun {
    const SPEC: ToolSpec = ToolSpec {
        name: "delete_run",
        title: "Delete Run",
        description: "Permanently delete a run and its files, or only its files (and input \
            data), e.g. to remove personal data. Cannot be undone.",
        category: Category::Runs,
        effect: Effect::Write {
            destructive: true,
            open_world: false,
        },
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::delete(run_path(self.agent_id, self.run_id, ""))
            .query_opt("removeMethod", self.remove_method.map(|m| format!("{m:?}"))))
    }

    fn render(self, _: ApiBody) -> Result<Output, ToolError> {
        let method = self.remove_method.unwrap_or(RemoveMethod::RemoveEntireRun);
        Ok(Output::object(json!({
            "agentId": self.agent_id.get(),
            "runId": self.run_id.get(),
            "removed": format!("{method:?}"),
            "runRecordKept": method != RemoveMethod::RemoveEntireRun,
        })))
    }
}
