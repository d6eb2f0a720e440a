//! JSON-RPC 2.0 envelopes as MCP uses them (MCP 2025-11-25, basic/index).
//!
//! Parsing is two-step: bytes → [`Message`] (shape only), then the method's
//! params are decoded by whoever handles the method. Ids round-trip exactly:
//! numbers keep their JSON text (integers, big numbers, fractions) and strings
//! stay strings.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Error codes (JSON-RPC 2.0 §5.1).
pub mod code {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const INVALID_PARAMS: i64 = -32602;
    pub const INTERNAL_ERROR: i64 = -32603;
}

/// A request id: a string or a number (JSON-RPC 2.0 §4; MCP forbids null).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RequestId {
    Number(serde_json::Number),
    String(String),
}

/// One incoming JSON-RPC message, classified by shape.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Request(Request),
    Notification(Notification),
    /// A response to a server-initiated request; acknowledged and otherwise ignored.
    Response {
        id: RequestId,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub id: RequestId,
    pub method: String,
    pub params: Option<Map<String, Value>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub method: String,
    pub params: Option<Map<String, Value>>,
}

impl Message {
    pub fn method(&self) -> Option<&str> {
        match self {
            Message::Request(r) => Some(&r.method),
            Message::Notification(n) => Some(&n.method),
            Message::Response { .. } => None,
        }
    }
}

/// A POST body: one message, or a JSON-RPC batch. Batches were part of MCP
/// 2025-03-26 only (removed in 2025-06-18); whether one is served depends on
/// the negotiated version, so parsing accepts them and dispatch decides.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    One(Message),
    /// Each element parsed on its own: an invalid element gets its own error
    /// response without spoiling the rest (JSON-RPC 2.0 §6).
    Batch(Vec<Result<Message, ParseError>>),
}

/// Why bytes are not a JSON-RPC message.
#[derive(Debug, Clone, PartialEq)]
pub enum ParseError {
    /// Not JSON at all (-32700).
    Json(String),
    /// JSON, but not a valid message (-32600). Carries the id when one could
    /// be recovered, so the error can still be correlated.
    Invalid {
        id: Option<RequestId>,
        reason: &'static str,
    },
}

impl ParseError {
    pub fn into_error(self) -> ErrorObject {
        match self {
            ParseError::Json(detail) => {
                ErrorObject::new(code::PARSE_ERROR, format!("Parse error: {detail}"))
            }
            ParseError::Invalid { reason, .. } => {
                ErrorObject::new(code::INVALID_REQUEST, format!("Invalid request: {reason}"))
            }
        }
    }

    pub fn id(&self) -> Option<&RequestId> {
        match self {
            ParseError::Invalid { id, .. } => id.as_ref(),
            ParseError::Json(_) => None,
        }
    }
}

/// The wire shape, before classification. Unknown members are ignored.
#[derive(Deserialize)]
struct Raw {
    jsonrpc: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    id: Option<Value>,
    method: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    params: Option<Value>,
    result: Option<Value>,
    error: Option<Value>,
}

/// Distinguishes `"id": null` (present, invalid for MCP) from a missing id.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// Parses a single JSON value as one JSON-RPC message.
pub fn parse_value(value: Value) -> Result<Message, ParseError> {
    let invalid = |id, reason| ParseError::Invalid { id, reason };
    if value.is_array() {
        // JSON-RPC batches were removed from MCP in 2025-06-18.
        return Err(invalid(
            None,
            "batch requests are not supported; send one message per request",
        ));
    }
    if !value.is_object() {
        return Err(invalid(None, "expected a JSON object"));
    }
    let raw: Raw = serde_json::from_value(value).map_err(|_| invalid(None, "malformed message"))?;
    let id = match raw.id {
        None => None,
        Some(v) => Some(
            serde_json::from_value::<RequestId>(v)
                .map_err(|_| invalid(None, "id must be a string or a number"))?,
        ),
    };
    if raw.jsonrpc.as_ref().and_then(Value::as_str) != Some("2.0") {
        return Err(invalid(id, "jsonrpc must be \"2.0\""));
    }
    let params = match raw.params {
        None => None,
        Some(Value::Object(map)) => Some(map),
        // MCP params are always objects; positional params are not used.
        Some(_) => return Err(invalid(id, "params must be an object")),
    };
    match (raw.method, id) {
        (Some(Value::String(method)), Some(id)) => {
            Ok(Message::Request(Request { id, method, params }))
        }
        (Some(Value::String(method)), None) => {
            Ok(Message::Notification(Notification { method, params }))
        }
        (Some(_), id) => Err(invalid(id, "method must be a string")),
        (None, Some(id)) if raw.result.is_some() != raw.error.is_some() => {
            Ok(Message::Response { id })
        }
        (None, id) => Err(invalid(id, "missing method")),
    }
}

/// Decodes a request's params into the method's typed params. Absent params
/// decode like `{}`, so required members are reported by name; any mismatch
/// is -32602 naming the method.
pub fn decode_params<T: serde::de::DeserializeOwned>(
    method: &str,
    params: Option<&Map<String, Value>>,
) -> Result<T, ErrorObject> {
    let object = Value::Object(params.cloned().unwrap_or_default());
    serde_json::from_value(object)
        .map_err(|e| ErrorObject::invalid_params(format!("{method}: {e}")))
}

/// Parses bytes as one JSON-RPC message (a batch is an error): shorthand for tests.
#[cfg(test)]
pub fn parse(bytes: &[u8]) -> Result<Message, ParseError> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| ParseError::Json(e.to_string()))?;
    parse_value(value)
}

/// Parses a POST body: one message or a non-empty batch.
pub fn parse_payload(bytes: &[u8]) -> Result<Payload, ParseError> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| ParseError::Json(e.to_string()))?;
    match value {
        // JSON-RPC 2.0 §6: an empty array is one Invalid Request.
        Value::Array(items) if items.is_empty() => Err(ParseError::Invalid {
            id: None,
            reason: "empty batch",
        }),
        Value::Array(items) => Ok(Payload::Batch(
            items
                .into_iter()
                .map(|item| match item {
                    Value::Object(_) => parse_value(item),
                    _ => Err(ParseError::Invalid {
                        id: None,
                        reason: "batch elements must be JSON objects",
                    }),
                })
                .collect(),
        )),
        single => parse_value(single).map(Payload::One),
    }
}

/// A typed result as JSON. Our result types serialise to objects with string
/// keys, so this cannot fail in practice; if it ever did, the client gets
/// -32603 rather than a truncated reply, and the detail goes to the log.
pub fn result_value<T: Serialize>(result: &T) -> Result<Value, ErrorObject> {
    serde_json::to_value(result).map_err(|err| {
        crate::log::error(&format!("result serialisation failed: {err}"));
        ErrorObject::internal()
    })
}

/// A JSON-RPC error object (JSON-RPC 2.0 §5.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorObject {
    pub code: i64,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

impl ErrorObject {
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            data: None,
        }
    }

    pub fn method_not_found(method: &str) -> Self {
        Self::new(
            code::METHOD_NOT_FOUND,
            format!("Method not found: {method}"),
        )
    }

    pub fn invalid_params(detail: impl std::fmt::Display) -> Self {
        Self::new(code::INVALID_PARAMS, format!("Invalid params: {detail}"))
    }

    pub fn invalid_request(detail: impl std::fmt::Display) -> Self {
        Self::new(code::INVALID_REQUEST, format!("Invalid request: {detail}"))
    }

    /// A fault of ours. Callers log the detail; the client never sees it.
    pub fn internal() -> Self {
        Self::new(code::INTERNAL_ERROR, "Internal error")
    }
}

/// An outgoing response. `id` is `None` only for errors about a message whose
/// id could not be read (serialised as `null`, JSON-RPC 2.0 §5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    jsonrpc: &'static str,
    pub id: Option<RequestId>,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Result(Value),
    Error(ErrorObject),
}

impl Response {
    pub fn result(id: RequestId, result: Value) -> Self {
        Self {
            jsonrpc: "2.0",
            id: Some(id),
            outcome: Outcome::Result(result),
        }
    }

    /// A typed result (see [`result_value`]).
    pub fn result_of<T: Serialize>(id: RequestId, result: &T) -> Self {
        match result_value(result) {
            Ok(value) => Self::result(id, value),
            Err(error) => Self::error(Some(id), error),
        }
    }

    pub fn error(id: Option<RequestId>, error: ErrorObject) -> Self {
        Self {
            jsonrpc: "2.0",
            id,
            outcome: Outcome::Error(error),
        }
    }

    pub fn to_json(&self) -> Vec<u8> {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(v: Value) -> Request {
        match parse(v.to_string().as_bytes()).unwrap() {
            Message::Request(r) => r,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ids_round_trip_exactly() {
        for id in [
            json!(1),
            json!(0),
            json!(-7),
            json!(9007199254740993_u64),
            json!(1.5),
            json!("abc"),
            json!(""),
        ] {
            let r = request(json!({"jsonrpc":"2.0","id":id,"method":"ping"}));
            let out: Value =
                serde_json::from_slice(&Response::result(r.id, json!({})).to_json()).unwrap();
            assert_eq!(out["id"], id);
        }
        // Exact text of a big integer survives (no f64 rounding).
        let r = request(json!({"jsonrpc":"2.0","id":9007199254740993_u64,"method":"ping"}));
        let text = String::from_utf8(Response::result(r.id, json!({})).to_json()).unwrap();
        assert!(text.contains("\"id\":9007199254740993"), "{text}");
    }

    #[test]
    fn classifies_requests_notifications_and_responses() {
        let n = parse(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#).unwrap();
        assert!(
            matches!(n, Message::Notification(ref n) if n.method == "notifications/initialized")
        );
        let r = parse(br#"{"jsonrpc":"2.0","id":"x","result":{}}"#).unwrap();
        assert_eq!(
            r,
            Message::Response {
                id: RequestId::String("x".into())
            }
        );
        let r = request(
            json!({"jsonrpc":"2.0","id":3,"method":"tools/list","params":{"cursor":"c"},"extra":true}),
        );
        assert_eq!(r.params.unwrap()["cursor"], "c");
    }

    #[test]
    fn payloads_are_one_message_or_a_non_empty_batch() {
        let one = parse_payload(br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#).unwrap();
        assert!(matches!(one, Payload::One(Message::Request(_))));
        let batch = parse_payload(
            br#"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"n"},7,[],{"id":4}]"#,
        )
        .unwrap();
        let Payload::Batch(items) = batch else {
            panic!("{batch:?}")
        };
        assert!(matches!(items[0], Ok(Message::Request(_))));
        assert!(matches!(items[1], Ok(Message::Notification(_))));
        for bad in &items[2..] {
            let err = bad.clone().expect_err("invalid element");
            assert_eq!(err.into_error().code, code::INVALID_REQUEST);
        }
        // The id of an invalid element is kept when readable.
        assert_eq!(
            items[4].clone().unwrap_err().id(),
            Some(&RequestId::Number(4.into()))
        );
        let empty = parse_payload(b"[]").unwrap_err();
        assert_eq!(empty.into_error().code, code::INVALID_REQUEST);
        assert!(matches!(parse_payload(b"[1,"), Err(ParseError::Json(_))));
    }

    #[test]
    fn rejects_what_is_not_a_message() {
        assert!(matches!(parse(b"{not json"), Err(ParseError::Json(_))));
        assert!(matches!(parse(b""), Err(ParseError::Json(_))));
        let invalid = [
            json!([]),
            json!("ping"),
            json!({"id":1,"method":"ping"}),
            json!({"jsonrpc":"1.0","id":1,"method":"ping"}),
            json!({"jsonrpc":"2.0","id":null,"method":"ping"}),
            json!({"jsonrpc":"2.0","id":{},"method":"ping"}),
            json!({"jsonrpc":"2.0","id":1,"method":5}),
            json!({"jsonrpc":"2.0","id":1,"method":"x","params":[1]}),
            json!({"jsonrpc":"2.0","id":1}),
            json!({"jsonrpc":"2.0","id":1,"result":{},"error":{}}),
        ];
        for v in invalid {
            let err = parse(v.to_string().as_bytes()).expect_err(&v.to_string());
            assert_eq!(err.clone().into_error().code, code::INVALID_REQUEST, "{v}");
        }
        // The id survives into the error when it was readable.
        let err = parse(br#"{"jsonrpc":"1.0","id":9,"method":"ping"}"#).unwrap_err();
        assert_eq!(err.id(), Some(&RequestId::Number(9.into())));
    }

    #[test]
    fn error_response_shape() {
        let out: Value = serde_json::from_slice(
            &Response::error(None, ErrorObject::method_not_found("x/y")).to_json(),
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"jsonrpc":"2.0","id":null,"error":{"code":-32601,"message":"Method not found: x/y"}})
        );
    }
}
