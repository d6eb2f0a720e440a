//! Version management: an agent's configuration history and rolling back
//! to an earlier version (spec/tools.md §3.4).

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use super::files::list_as;
use super::params::Id;
use super::{Category, Effect, Output, Tool, ToolError, ToolSpec};
use crate::sequentum::{ApiBody, ApiRequest};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetAgentVersions {
    pub agent_id: Id,
}

impl Tool for GetAgentVersions {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_agent_versions",
        title: "Get Agent Versions",
        description: "An agent's saved configuration versions: number, author, date, note and \
            size. Use it to see what changed when, or to pick a version for \
            restore_agent_version.",
        category: Category::Versions,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::get(format!(
            "/api/v1/agent/{}/versions",
            self.agent_id
        )))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        list_as(body, "versions")
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RestoreAgentVersion {
    pub agent_id: Id,
    /// The version to bring back, as listed by get_agent_versions.
    pub version_number: Id,
    /// Why the agent is rolled back. Required: it becomes the note of the
    /// new version the restore creates, shown in the version history.
    pub comments: String,
}

impl Tool for RestoreAgentVersion {
    const SPEC: ToolSpec = ToolSpec {
        name: "restore_agent_version",
        title: "Restore Agent Version",
        description: "Roll an agent back to an earlier configuration. Nothing is overwritten: \
            the old version is copied into a new latest version, with `comments` as its note. \
            Confirm the version number with get_agent_versions first.",
        category: Category::Versions,
        effect: Effect::Write {
            destructive: false,
            open_world: false,
        },
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::post(format!(
            "/api/v1/agent/{}/version/{}/restore",
            self.agent_id, self.version_number
        ))
        .json(json!({ "content": self.comments })))
    }

    fn render(self, _: ApiBody) -> Result<Output, ToolError> {
        Ok(Output::object(json!({
            "agentId": self.agent_id.get(),
            "restoredVersion": self.version_number.get(),
            "newVersionCreated": true,
        })))
    }
}
