//! Spaces (folders that group agents): list, get, their agents, lookup by
//! name, and starting every agent in one (spec/tools.md §3.7).

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};

use super::params::{Id, JsonText};
use super::{passthrough_as, Category, Effect, Output, Tool, ToolError, ToolSpec};
use crate::sequentum::{ApiBody, ApiRequest};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListSpaces {}

impl Tool for ListSpaces {
    const SPEC: ToolSpec = ToolSpec {
        name: "list_spaces",
        title: "List Spaces",
        description: "All spaces of the organization (folders that group agents) with their \
            ids, names and descriptions. Use it to find a space's id.",
        category: Category::Spaces,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::get("/api/v1/spaces"))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        passthrough_as(body, "spaces")
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetSpace {
    /// The space's id (from list_spaces or search_space_by_name).
    pub space_id: Id,
}

impl Tool for GetSpace {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_space",
        title: "Get Space",
        description: "One space's details: name, description, creation and update times, and \
            whether it is the default-access space.",
        category: Category::Spaces,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::get(format!("/api/v1/spaces/{}", self.space_id)))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        passthrough_as(body, "space")
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetSpaceAgents {
    /// The space's id (from list_spaces or search_space_by_name).
    pub space_id: Id,
}

impl Tool for GetSpaceAgents {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_space_agents",
        title: "Get Space Agents",
        description: "The agents in one space, each with id, name, type, validation state, \
            last-run status code (as in list_agents) and last activity.",
        category: Category::Spaces,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::get(format!(
            "/api/v1/spaces/{}/agents",
            self.space_id
        )))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        passthrough_as(body, "agents")
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SearchSpaceByName {
    /// The space's name, as the user gave it. Must not be blank: to see
    /// every space, use list_spaces.
    pub name: String,
}

impl Tool for SearchSpaceByName {
    const SPEC: ToolSpec = ToolSpec {
        name: "search_space_by_name",
        title: "Search Space by Name",
        description: "Look up a space by its name to get its id and details. Use it when the \
            user names a space; list_spaces shows every space when the name is uncertain.",
        category: Category::Spaces,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        if self.name.trim().is_empty() {
            return Err(ToolError::invalid(
                "Invalid parameter 'name': must not be blank; to see every space, use list_spaces",
            ));
        }
        Ok(ApiRequest::get("/api/v1/spaces/search").query("name", &self.name))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        passthrough_as(body, "spaces")
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunSpaceAgents {
    /// The space's id (from list_spaces or search_space_by_name).
    pub space_id: Id,
    /// Inputs given to every agent's run, as a JSON object string, e.g.
    /// {"query":"shoes"}. If omitted, each agent runs with its own defaults.
    pub input_parameters: Option<JsonText>,
}

impl Tool for RunSpaceAgents {
    const SPEC: ToolSpec = ToolSpec {
        name: "run_space_agents",
        title: "Run Space Agents",
        description: "Start a run of every agent in a space at once; each run spends credits. \
            Returns, per agent, whether it started and its run id (follow one with \
            get_run_status) or why it failed.",
        category: Category::Spaces,
        effect: Effect::Write {
            destructive: false,
            open_world: true,
        },
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        let body = match &self.input_parameters {
            Some(JsonText(input)) => json!({ "InputParameters": input }),
            None => Value::Object(Default::default()),
        };
        Ok(ApiRequest::post(format!("/api/v1/spaces/{}/run-all", self.space_id)).json(body))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        passthrough_as(body, "result")
    }
}
