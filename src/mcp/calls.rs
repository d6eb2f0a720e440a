//! Requests that reach the Sequentum API (`tools/call`). They are served by
//! the Worker after the session (if any) has vouched for the caller, never
//! inside the session's Durable Object: the caller's upstream credential
//! stays in the request that carried it, a long call (a synchronous
//! `start_agent`) never holds the session object, and progress streams from
//! where the client's connection is (docs/decisions.md, "Where tools run").

use serde::Deserialize;
use serde_json::Value;

use super::dispatch::method;
use super::jsonrpc::{decode_params, ErrorObject, Message, Payload, Request, Response};
use crate::catalog::tools::{self, call_result, Cx, Progress};
use crate::sequentum::{Client, Transport};

/// True for the methods served here instead of by the dispatcher.
pub fn is_upstream(method: &str) -> bool {
    method == method::TOOLS_CALL
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
/// `isError`; only a malformed request or an unknown tool is a JSON-RPC error.
pub async fn serve<T: Transport>(
    req: &Request,
    client: Client<'_, T>,
    progress: &dyn Progress,
) -> Response {
    let params: CallParams = match decode_params(method::TOOLS_CALL, req.params.as_ref()) {
        Ok(p) => p,
        Err(error) => return Response::error(Some(req.id.clone()), error),
    };
    let cx = Cx { client, progress };
    match tools::call(&params.name, params.arguments, &cx).await {
        Some(outcome) => Response::result(req.id.clone(), call_result(&outcome)),
        None => Response::error(
            Some(req.id.clone()),
            ErrorObject::invalid_params(format!("Unknown tool: {}", params.name)),
        ),
    }
}
