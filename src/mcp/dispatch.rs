//! The one dispatcher. The Durable Object (session-bound requests) and the
//! Worker (stateless requests) both call [`dispatch`]; it does no I/O.

use rmcp::model::{
    ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult, ListToolsResult,
    ProtocolVersion,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::calls;
use super::jsonrpc::{
    decode_params, result_value, ErrorObject, Message, Payload, Request, Response,
};
use super::pagination;
use crate::catalog;
use crate::session::record::{LogLevel, SessionRecord};

/// The method names handled here (MCP 2025-11-25).
pub mod method {
    pub const INITIALIZE: &str = "initialize";
    pub const INITIALIZED: &str = "notifications/initialized";
    pub const CANCELLED: &str = "notifications/cancelled";
    pub const PING: &str = "ping";
    pub const SET_LEVEL: &str = "logging/setLevel";
    pub const TOOLS_LIST: &str = "tools/list";
    pub const RESOURCES_LIST: &str = "resources/list";
    pub const RESOURCE_TEMPLATES_LIST: &str = "resources/templates/list";
    pub const PROMPTS_LIST: &str = "prompts/list";
    pub const TOOLS_CALL: &str = "tools/call";
    pub const RESOURCES_READ: &str = "resources/read";
    pub const PROMPTS_GET: &str = "prompts/get";
    pub const COMPLETE: &str = "completion/complete";
}

/// MCP's "resource not found" (server/resources, "Error Handling").
pub const RESOURCE_NOT_FOUND: i64 = -32002;

/// Where a message is being served.
#[derive(Debug)]
pub enum Context<'a> {
    /// Inside a session; the dispatcher may update its record.
    Session(&'a mut SessionRecord),
    /// No session (a client that dropped its session id), speaking the
    /// version its `MCP-Protocol-Version` header names.
    Stateless(ProtocolVersion),
}

impl Context<'_> {
    fn reborrow(&mut self) -> Context<'_> {
        match self {
            Context::Session(record) => Context::Session(record),
            Context::Stateless(version) => Context::Stateless(version.clone()),
        }
    }

    fn protocol_version(&self) -> &str {
        match self {
            Context::Session(record) => &record.protocol_version,
            Context::Stateless(version) => version.as_str(),
        }
    }
}

/// What goes back for a POST body.
#[derive(Debug, Clone, PartialEq)]
pub enum Outgoing {
    /// Only notifications and responses came in: 202, no body.
    Nothing,
    One(Response),
    Batch(Vec<Response>),
}

impl Outgoing {
    /// The JSON body, or `None` for 202.
    pub fn to_json(&self) -> Option<Vec<u8>> {
        match self {
            Outgoing::Nothing => None,
            Outgoing::One(response) => Some(response.to_json()),
            // Serialising plain data with string keys cannot fail.
            Outgoing::Batch(responses) => Some(serde_json::to_vec(responses).unwrap_or_default()),
        }
    }
}

/// Serves a POST body. A batch is served only under 2025-03-26, the one
/// version that had them (2025-03-26 basic, "Batching"); otherwise the whole
/// body is refused with the returned error (HTTP 400).
pub fn serve(payload: &Payload, mut ctx: Context<'_>) -> Result<Outgoing, ErrorObject> {
    let items = match payload {
        Payload::One(message) => {
            return Ok(dispatch(message, ctx).map_or(Outgoing::Nothing, Outgoing::One))
        }
        Payload::Batch(items) => items,
    };
    let version = ctx.protocol_version();
    if version != ProtocolVersion::V_2025_03_26.as_str() {
        return Err(ErrorObject::invalid_request(format!(
            "JSON-RPC batches are not part of MCP {version}; send one message per request"
        )));
    }
    let responses: Vec<Response> = items
        .iter()
        .filter_map(|item| match item {
            Err(err) => Some(Response::error(err.id().cloned(), err.clone().into_error())),
            // 2025-03-26 basic/lifecycle: initialize MUST NOT be batched.
            Ok(Message::Request(req)) if req.method == method::INITIALIZE => Some(Response::error(
                Some(req.id.clone()),
                ErrorObject::invalid_request("initialize must not be part of a batch"),
            )),
            Ok(message) => dispatch(message, ctx.reborrow()),
        })
        .collect();
    Ok(if responses.is_empty() {
        Outgoing::Nothing
    } else {
        Outgoing::Batch(responses)
    })
}

/// Handles one parsed message. `None` means "no response body" (202), as for
/// notifications and responses.
fn dispatch(message: &Message, ctx: Context<'_>) -> Option<Response> {
    match message {
        Message::Response { .. } => None,
        Message::Notification(n) => {
            if let (method::INITIALIZED, Context::Session(record)) = (n.method.as_str(), ctx) {
                record.initialized = true;
            }
            // Other notifications (cancelled, unknown ones) need no answer.
            None
        }
        // Served by the Worker once the session has vouched for the caller.
        Message::Request(req) if calls::is_upstream(&req.method) => None,
        Message::Request(req) => Some(match handle_request(req, ctx) {
            Ok(result) => Response::result(req.id.clone(), result),
            Err(error) => Response::error(Some(req.id.clone()), error),
        }),
    }
}

fn handle_request(req: &Request, ctx: Context<'_>) -> Result<Value, ErrorObject> {
    let params = req.params.as_ref();
    match req.method.as_str() {
        method::PING => Ok(json!({})),
        // A session is initialized exactly once, when it is created.
        method::INITIALIZE => Err(ErrorObject::invalid_request(
            "this session is already initialized",
        )),
        method::SET_LEVEL => set_level(params, ctx),
        method::TOOLS_LIST => list(&catalog::tools(), params, |tools, next_cursor| {
            ListToolsResult {
                tools,
                next_cursor,
                result_type: None,
                ..ListToolsResult::default()
            }
        }),
        method::RESOURCES_LIST => list(&catalog::resources(), params, |resources, next_cursor| {
            ListResourcesResult {
                resources,
                next_cursor,
                result_type: None,
                ..ListResourcesResult::default()
            }
        }),
        method::RESOURCE_TEMPLATES_LIST => list(
            &catalog::resource_templates(),
            params,
            |resource_templates, next_cursor| ListResourceTemplatesResult {
                resource_templates,
                next_cursor,
                result_type: None,
                ..ListResourceTemplatesResult::default()
            },
        ),
        method::PROMPTS_LIST => list(&catalog::prompts(), params, |prompts, next_cursor| {
            ListPromptsResult {
                prompts,
                next_cursor,
                result_type: None,
                ..ListPromptsResult::default()
            }
        }),
        // server/prompts, "Error Handling": an unknown prompt or a bad
        // argument is -32602.
        method::PROMPTS_GET => {
            let p: GetPromptParams = decode_params(method::PROMPTS_GET, params)?;
            catalog::prompts::get(&p.name, p.arguments.as_ref())
                .map_err(|err| ErrorObject::invalid_params(err.to_string()))
        }
        other => Err(ErrorObject::method_not_found(other)),
    }
}

/// `prompts/get` params; `arguments: null` is no arguments.
#[derive(Deserialize)]
struct GetPromptParams {
    name: String,
    #[serde(default)]
    arguments: Option<Map<String, Value>>,
}

/// One page of a catalog list, shaped by `build` into its result type. The
/// builders clear `resultType` (SEP-2322): it belongs to 2026-07-28, which we
/// do not serve.
fn list<T: Clone, R: Serialize>(
    items: &[T],
    params: Option<&Map<String, Value>>,
    build: impl FnOnce(Vec<T>, Option<String>) -> R,
) -> Result<Value, ErrorObject> {
    let (page, next) = pagination::page(items, params)?;
    result_value(&build(page.to_vec(), next))
}

#[derive(Deserialize)]
struct SetLevelParams {
    level: LogLevel,
}

/// `logging/setLevel` (server/utilities/logging). Remembered per session; a
/// stateless request has nothing to remember it in, but is still validated.
fn set_level(params: Option<&Map<String, Value>>, ctx: Context<'_>) -> Result<Value, ErrorObject> {
    let p: SetLevelParams = decode_params(method::SET_LEVEL, params)?;
    if let Context::Session(record) = ctx {
        record.log_level = Some(p.level);
    }
    Ok(json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mcp::jsonrpc::{parse, Outcome};
    use crate::session::record::sample;

    fn msg(s: &str) -> Message {
        parse(s.as_bytes()).unwrap()
    }

    fn error_code(out: &Response) -> i64 {
        match &out.outcome {
            Outcome::Error(e) => e.code,
            Outcome::Result(r) => panic!("expected an error, got {r}"),
        }
    }

    #[test]
    fn ping_answers_empty_result_in_both_contexts() {
        let m = msg(r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#);
        let mut r = sample(0);
        for ctx in [
            Context::Session(&mut r),
            Context::Stateless(ProtocolVersion::V_2025_11_25),
        ] {
            let out = dispatch(&m, ctx).unwrap();
            assert_eq!(out.outcome, Outcome::Result(json!({})));
        }
    }

    #[test]
    fn initialized_notification_marks_the_session() {
        let mut r = sample(0);
        let n = msg(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#);
        assert!(dispatch(&n, Context::Session(&mut r)).is_none());
        assert!(r.initialized);
    }

    #[test]
    fn unknown_methods_and_reinitialize_are_errors() {
        let mut r = sample(0);
        let out = dispatch(
            &msg(r#"{"jsonrpc":"2.0","id":"a","method":"nope"}"#),
            Context::Session(&mut r),
        );
        assert_eq!(error_code(&out.unwrap()), -32601);
        let init = msg(r#"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{}}"#);
        assert_eq!(
            error_code(&dispatch(&init, Context::Session(&mut r)).unwrap()),
            -32600
        );
    }

    #[test]
    fn responses_and_cancellations_get_no_body() {
        assert!(dispatch(
            &msg(r#"{"jsonrpc":"2.0","id":1,"result":{}}"#),
            Context::Stateless(ProtocolVersion::V_2025_11_25)
        )
        .is_none());
        let cancel =
            msg(r#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}"#);
        assert!(dispatch(&cancel, Context::Stateless(ProtocolVersion::V_2025_11_25)).is_none());
    }

    #[test]
    fn unknown_names_are_their_own_errors() {
        let ctx = || Context::Stateless(ProtocolVersion::V_2025_11_25);
        let call = |m: &str, params: &str| {
            let out = dispatch(
                &msg(&format!(
                    r#"{{"jsonrpc":"2.0","id":1,"method":"{m}","params":{params}}}"#
                )),
                ctx(),
            );
            match out.unwrap().outcome {
                Outcome::Error(e) => e,
                Outcome::Result(r) => panic!("{m}: {r}"),
            }
        };
        let e = call("prompts/get", r#"{"name":"nope"}"#);
        assert_eq!(
            (e.code, e.message.as_str()),
            (-32602, "Invalid params: Unknown prompt: nope")
        );
    }

    #[test]
    fn prompts_get_renders_one_user_message_or_refuses_with_invalid_params() {
        let get = |params: &str| {
            let m = msg(&format!(
                r#"{{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{params}}}"#
            ));
            dispatch(&m, Context::Stateless(ProtocolVersion::V_2025_11_25))
                .unwrap()
                .outcome
        };
        let Outcome::Result(ok) =
            get(r#"{"name":"debug-agent","arguments":{"agentName":" Shop\nPrices "}}"#)
        else {
            panic!("debug-agent")
        };
        let messages = ok["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0]["role"], "user");
        assert_eq!(messages[0]["content"]["type"], "text");
        let text = messages[0]["content"]["text"].as_str().unwrap();
        assert!(text.contains("`Shop Prices`"), "{text}");
        assert!(ok["description"].is_string());
        // No arguments at all, and `arguments: null`, are the same.
        for params in [
            r#"{"name":"spending-report"}"#,
            r#"{"name":"spending-report","arguments":null}"#,
        ] {
            assert!(matches!(get(params), Outcome::Result(_)), "{params}");
        }
        for (params, message) in [
            (
                r#"{"name":"debug-agent"}"#,
                "Missing required argument: agentName",
            ),
            (
                r#"{"name":"debug-agent","arguments":{"agentName":"  "}}"#,
                "Missing required argument: agentName",
            ),
            (
                r#"{"name":"debug-agent","arguments":{"agentName":null}}"#,
                "Missing required argument: agentName",
            ),
            (
                r#"{"name":"debug-agent","arguments":{"agentName":7}}"#,
                "Argument 'agentName' must be a string",
            ),
            (
                r#"{"name":"debug-agent","arguments":{"agentName":"a","x":"b"}}"#,
                "Unknown argument 'x' for this prompt",
            ),
            (r#"{"name":"nope","arguments":{}}"#, "Unknown prompt: nope"),
            // Shapes the params type refuses.
            (r#"{"name":"debug-agent","arguments":[]}"#, "prompts/get"),
            (r#"{"name":5}"#, "prompts/get"),
            ("{}", "prompts/get"),
        ] {
            match get(params) {
                Outcome::Error(e) => {
                    assert_eq!(e.code, -32602, "{params}");
                    assert!(e.message.contains(message), "{params}: {}", e.message);
                }
                Outcome::Result(r) => panic!("{params}: {r}"),
            }
        }
    }

    #[test]
    fn upstream_calls_are_left_to_the_worker() {
        for call in [
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"x"}}"#,
        ] {
            let call = msg(call);
            let mut r = sample(0);
            assert!(dispatch(&call, Context::Session(&mut r)).is_none());
            assert_eq!(r, sample(0));
            assert!(dispatch(&call, Context::Stateless(ProtocolVersion::V_2025_11_25)).is_none());
        }
    }

    #[test]
    fn set_level_is_remembered_and_validated() {
        let mut r = sample(0);
        let ok = msg(
            r#"{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"warning"}}"#,
        );
        let out = dispatch(&ok, Context::Session(&mut r)).unwrap();
        assert_eq!(out.outcome, Outcome::Result(json!({})));
        assert_eq!(r.log_level, Some(LogLevel::Warning));
        for bad in [
            r#"{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"loud"}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"logging/setLevel"}"#,
        ] {
            assert_eq!(
                error_code(&dispatch(&msg(bad), Context::Session(&mut r)).unwrap()),
                -32602,
                "{bad}"
            );
        }
        assert_eq!(
            r.log_level,
            Some(LogLevel::Warning),
            "a bad request changes nothing"
        );
    }

    #[test]
    fn list_methods_answer_with_their_key_and_reject_bad_cursors() {
        for (method, key) in [
            ("tools/list", "tools"),
            ("resources/list", "resources"),
            ("resources/templates/list", "resourceTemplates"),
            ("prompts/list", "prompts"),
        ] {
            let m = msg(&format!(
                r#"{{"jsonrpc":"2.0","id":1,"method":"{method}"}}"#
            ));
            let out = dispatch(&m, Context::Stateless(ProtocolVersion::V_2025_11_25)).unwrap();
            let Outcome::Result(result) = out.outcome else {
                panic!("{method}")
            };
            // Exactly the list, nothing from newer protocol versions.
            let object = result.as_object().unwrap();
            assert_eq!(object.keys().collect::<Vec<_>>(), [key], "{method}");
            assert!(result[key].is_array(), "{method}");
            let bad = msg(&format!(
                r#"{{"jsonrpc":"2.0","id":1,"method":"{method}","params":{{"cursor":"bogus"}}}}"#
            ));
            assert_eq!(
                error_code(
                    &dispatch(&bad, Context::Stateless(ProtocolVersion::V_2025_11_25)).unwrap()
                ),
                -32602,
                "{method}"
            );
        }
    }
}
