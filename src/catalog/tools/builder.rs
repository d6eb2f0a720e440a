//! Agent builder (1.3.0): start an AI build of a new agent from the user's
//! words, follow it, stop it (spec/tools.md §3.9).
//!
//! Session ids are the only client strings that go into a path; they are
//! percent-encoded as one segment and `""`, `.` and `..` are refused
//! ([`path_segment`]).

use std::borrow::Cow;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserializer, Unexpected};
use serde::Deserialize;
use serde_json::{json, Value};

use super::params::Id;
use super::{expect_json, passthrough_as, Category, Effect, Output, Tool, ToolError, ToolSpec};
use crate::catalog::policy::prompt_handling_policy;
use crate::sequentum::request::path_segment;
use crate::sequentum::{ApiBody, ApiRequest};

/// Prompt length bounds, after trimming (the API's own limits).
pub const PROMPT_MIN: usize = 10;
pub const PROMPT_MAX: usize = 5000;
/// Longest session id accepted.
pub const SESSION_ID_MAX: usize = 256;

/// Shown instead of the backend's own text when a build fails: that text
/// is internal (stack traces, model output) and not for the user.
pub const BUILD_FAILED: &str = "The build failed. Check that the prompt names a reachable \
    website and says which data to extract, then start a new build with start_agent_build.";

/// Lengths as JavaScript and .NET count them (UTF-16 code units), so the
/// limits here are the API's limits.
fn length(s: &str) -> usize {
    s.encode_utf16().count()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Reads a string parameter; `null` is "missing".
fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(s),
        Value::Null => Err(de::Error::invalid_type(Unexpected::Unit, &"a string")),
        Value::Bool(_) => Err(de::Error::custom("expected a string, got a boolean")),
        Value::Number(_) => Err(de::Error::custom("expected a string, got a number")),
        Value::Array(_) => Err(de::Error::custom("expected a string, got an array")),
        Value::Object(_) => Err(de::Error::custom("expected a string, got an object")),
    }
}

/// A build prompt: trimmed, then 10 to 5000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt(pub String);

impl<'de> Deserialize<'de> for Prompt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = string(d)?;
        // JavaScript's trim also drops the byte-order mark.
        let trimmed = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        let n = length(trimmed);
        if n < PROMPT_MIN {
            Err(de::Error::custom(format!(
                "must be at least {PROMPT_MIN} characters (leading and trailing spaces not \
                 counted), got {n}"
            )))
        } else if n > PROMPT_MAX {
            Err(de::Error::custom(format!(
                "must be at most {PROMPT_MAX} characters, got {n}"
            )))
        } else {
            Ok(Prompt(trimmed.to_owned()))
        }
    }
}

impl JsonSchema for Prompt {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "Prompt".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "minLength": PROMPT_MIN, "maxLength": PROMPT_MAX })
    }
}

/// A build session id: 1 to 256 characters, not `.` or `..`; kept as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionId(pub String);

impl SessionId {
    /// The id as one path segment.
    fn segment(&self) -> Result<String, ToolError> {
        path_segment(&self.0).ok_or_else(|| {
            ToolError::invalid("Invalid parameter 'sessionId': not a usable session id")
        })
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SessionId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = string(d)?;
        let n = length(&raw);
        if raw.is_empty() {
            Err(de::Error::custom(
                "must not be empty; use the sessionId that start_agent_build returned",
            ))
        } else if n > SESSION_ID_MAX {
            Err(de::Error::custom(format!(
                "must be at most {SESSION_ID_MAX} character{}, got {n}",
                plural(SESSION_ID_MAX)
            )))
        } else if path_segment(&raw).is_none() {
            Err(de::Error::custom(format!(
                "{} is not a session id; use the sessionId that start_agent_build returned",
                Value::from(raw)
            )))
        } else {
            Ok(SessionId(raw))
        }
    }
}

impl JsonSchema for SessionId {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "SessionId".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "minLength": 1, "maxLength": SESSION_ID_MAX })
    }
}

fn session_path(id: &SessionId, action: &str) -> Result<String, ToolError> {
    Ok(format!("/api/v1/agent-builder/{}/{action}", id.segment()?))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StartAgentBuild {
    /// What the agent should do, in the user's own words: the website, the
    /// data to extract and the scope (10-5000 characters).
    pub prompt: Prompt,
    /// Save the new agent in this space (default: the account's default).
    pub space_id: Option<Id>,
}

impl Tool for StartAgentBuild {
    const SPEC: ToolSpec = ToolSpec {
        name: "start_agent_build",
        title: "Build Agent from Prompt",
        description: concat!(
            "Start building a new agent with AI from a plain-language request; returns at \
             once with a sessionId. Follow the build with get_agent_build_status until it \
             ends; the finished agent is saved to the account and can then be run with \
             start_agent. Before calling, apply the sufficiency policy in the server \
             instructions: the website, the data to extract and the scope must be clear, \
             otherwise ask the user one clarifying question first. ",
            prompt_handling_policy!()
        ),
        category: Category::Builder,
        effect: Effect::Write {
            destructive: false,
            open_world: true,
        },
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        let mut body = json!({ "prompt": self.prompt.0 });
        if let Some(space) = self.space_id {
            body["spaceId"] = json!(space.get());
        }
        Ok(ApiRequest::post("/api/v1/agent-builder/start").json(body))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        passthrough_as(body, "result")
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetAgentBuildStatus {
    /// The sessionId start_agent_build returned.
    pub session_id: SessionId,
}

impl Tool for GetAgentBuildStatus {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_agent_build_status",
        title: "Get Agent Build Status",
        description: "The status of an agent build: processing, ready, completed, error or \
            cancelled, with the new agent's id and name once it exists. Polling: if the user \
            asked for a cadence, follow it; otherwise wait about 5 seconds before the first \
            check and lengthen the wait each time up to about 30 seconds. Stop polling once \
            the status is completed, ready, error or cancelled.",
        category: Category::Builder,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::get(session_path(&self.session_id, "status")?))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        let Value::Object(mut status) = expect_json(body)? else {
            return Err(ToolError::UnexpectedAnswer(
                "the build status is not a JSON object".into(),
            ));
        };
        // The backend's error text never reaches the model.
        if status.get("status").and_then(Value::as_str) == Some("error") {
            status.insert("error".into(), Value::from(BUILD_FAILED));
        } else {
            status.remove("error");
        }
        Ok(Output(status))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StopAgentBuild {
    /// The sessionId start_agent_build returned.
    pub session_id: SessionId,
}

impl Tool for StopAgentBuild {
    const SPEC: ToolSpec = ToolSpec {
        name: "stop_agent_build",
        title: "Stop Agent Build",
        description: "Cancel an agent build that is still in progress. Does nothing to a build \
            that has already ended; an agent it already saved is kept.",
        category: Category::Builder,
        effect: Effect::Write {
            destructive: false,
            open_world: false,
        },
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::post(session_path(&self.session_id, "stop")?))
    }

    fn render(self, _: ApiBody) -> Result<Output, ToolError> {
        Ok(Output::object(json!({
            "stopped": true,
            "sessionId": self.session_id.0,
        })))
    }
}
