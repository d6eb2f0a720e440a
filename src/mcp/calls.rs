//! Requests that reach the Sequentum API (`tools/call`, `resources/read`,
//! `completion/complete`). They are served by
//! the Worker after the session (if any) has vouched for the caller, never
//! inside the session's Durable Object: the caller's upstream credential
//! stays in the request that carried it, a long call (a synchronous
//! `start_agent`) never holds the session object, and progress streams from
//! where the client's connection is (docs/decisions.md, "Where tools run").

use serde::Deserialize;
use serde_json::{json, Value};

use super::dispatch::{method, RESOURCE_NOT_FOUND};
use super::jsonrpc::{code, decode_params, ErrorObject, Message, Payload, Request, Response};
use crate::catalog::completions::{self, CompleteError, Target};
use crate::catalog::resources::{self, ReadError};
use crate::catalog::tools::{self, call_result, Cx, Progress};
use crate::sequentum::{Client, Transport};
use crate::text::clip;

/// True for the methods served here instead of by the dispatcher.
pub fn is_upstream(method: &str) -> bool {
    matches!(
        method,
        method::TOOLS_CALL | method::RESOURCES_READ | method::COMPLETE
    )
}

/// The requests in `payload` that are served here, in order.
pub fn upstream_requests(payload: &Payload) -> Vec<&Request> {
    fn pick(m: &Message) -> Option<&Request> {
        match m {
            Message::Request(r) if is_upstream(&r.method) => Some(r),
            _ => None,
        }
    }
    match payload {
        Payload::One(m) => pick(m).into_iter().collect(),
        // A batch that mixes in an invalid element still serves its valid
        // requests (JSON-RPC 2.0 §6), except `initialize`, which cannot be here.
        Payload::Batch(items) => items
            .iter()
            .filter_map(|i| i.as_ref().ok().and_then(pick))
            .collect(),
    }
}

/// `tools/call` params (MCP 2025-11-25, server/tools, "Calling Tools").
#[derive(Deserialize)]
struct CallParams {
    name: String,
    arguments: Option<Value>,
}

/// The `progressToken` of a request, if the client asked for progress
/// (basic/utilities/progress).
pub fn progress_token(req: &Request) -> Option<Value> {
    let meta = req.params.as_ref()?.get("_meta")?.as_object()?;
    meta.get("progressToken")
        .filter(|t| t.is_string() || t.is_i64() || t.is_u64())
        .cloned()
}

/// Serves one upstream-bound request. Tool failures are results with
/// `isError`; a failed read, a malformed request or an unknown tool is a
/// JSON-RPC error.
pub async fn serve<T: Transport>(
    req: &Request,
    client: Client<'_, T>,
    progress: &dyn Progress,
) -> Response {
    let outcome = match req.method.as_str() {
        method::TOOLS_CALL => call_tool(req, client, progress).await,
        method::RESOURCES_READ => read_resource(req, &client).await,
        method::COMPLETE => complete(req, &client.single_attempt(completions::TIMEOUT_MS)).await,
        other => Err(ErrorObject::method_not_found(other)),
    };
    match outcome {
        Ok(result) => Response::result(req.id.clone(), result),
        Err(error) => Response::error(Some(req.id.clone()), error),
    }
}

async fn call_tool<T: Transport>(
    req: &Request,
    client: Client<'_, T>,
    progress: &dyn Progress,
) -> Result<Value, ErrorObject> {
    let params: CallParams = decode_params(method::TOOLS_CALL, req.params.as_ref())?;
    let cx = Cx { client, progress };
    match tools::call(&params.name, params.arguments, &cx).await {
        Some(outcome) => Ok(call_result(&outcome)),
        None => Err(ErrorObject::invalid_params(format!(
            "Unknown tool: {}",
            params.name
        ))),
    }
}

/// `resources/read` params (server/resources, "Reading Resources").
#[derive(Deserialize)]
struct ReadParams {
    uri: String,
}

async fn read_resource<T: Transport>(
    req: &Request,
    client: &Client<'_, T>,
) -> Result<Value, ErrorObject> {
    let params: ReadParams = decode_params(method::RESOURCES_READ, req.params.as_ref())?;
    resources::read(&params.uri, client)
        .await
        .map_err(|e| read_error(&params.uri, e))
}

/// A failed read as JSON-RPC: "not found" is -32002 (server/resources,
/// "Error Handling"), whether the URI is not ours or the API has no such
/// item; anything else is -32603 with the same line a tool error shows.
fn read_error(uri: &str, error: ReadError) -> ErrorObject {
    let shown = clip(uri, 200);
    match error {
        ReadError::NotFound { reason } => {
            // The API's own words say what is missing ("Agent 9 not found").
            let message = match &reason {
                Some(reason) => format!("Resource not found: {shown}. {}", clip(reason, 200)),
                None => format!("Resource not found: {shown}"),
            };
            let mut e = ErrorObject::new(RESOURCE_NOT_FOUND, message);
            e.data = Some(match reason {
                Some(reason) => json!({ "uri": uri, "reason": reason }),
                None => json!({ "uri": uri }),
            });
            e
        }
        ReadError::Failed(e) => {
            let mut error = ErrorObject::new(
                code::INTERNAL_ERROR,
                format!("Could not read {shown}. {}", e.text()),
            );
            error.data = Some(json!({ "uri": uri }));
            error
        }
    }
}

/// `completion/complete` params (server/utilities/completion).
#[derive(Deserialize)]
struct CompleteParams {
    #[serde(rename = "ref")]
    target: RefParam,
    argument: ArgumentParam,
    #[serde(default)]
    context: Option<ContextParam>,
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum RefParam {
    #[serde(rename = "ref/prompt")]
    Prompt { name: String },
    #[serde(rename = "ref/resource")]
    Resource { uri: String },
}

#[derive(Deserialize)]
struct ArgumentParam {
    name: String,
    value: String,
}

#[derive(Deserialize)]
struct ContextParam {
    #[serde(default)]
    arguments: Option<serde_json::Map<String, Value>>,
}

async fn complete<T: Transport>(
    req: &Request,
    client: &Client<'_, T>,
) -> Result<Value, ErrorObject> {
    let p: CompleteParams = decode_params(method::COMPLETE, req.params.as_ref())?;
    let target = match &p.target {
        RefParam::Prompt { name } => Target::Prompt(name),
        RefParam::Resource { uri } => Target::Template(uri),
    };
    let chosen = p.context.and_then(|c| c.arguments).unwrap_or_default();
    let context = |name: &str| chosen.get(name).and_then(Value::as_str).map(str::to_owned);
    completions::complete(target, &p.argument.name, &p.argument.value, context, client)
        .await
        .map_err(|e| match e {
            CompleteError::UnknownPrompt(_) | CompleteError::UnknownTemplate(_) => {
                ErrorObject::invalid_params(clip(&e.to_string(), 200))
            }
            CompleteError::Failed { .. } => ErrorObject::new(code::INTERNAL_ERROR, e.to_string()),
        })
}
