//! The internal HTTP contract between the Worker and the `McpSession`
//! Durable Object. Both sides use these functions, so they cannot drift.
//!
//! | call    | request                              | answers                          |
//! |---------|--------------------------------------|----------------------------------|
//! | open    | `POST /open`, record JSON            | 201 opened · 409 conflict        |
//! | message | `POST /message/<principal>`, the body | 200 JSON reply · 202 · 400 · 404 |
//! | close   | `POST /close/<principal>`            | 204 closed · 404                 |
//!
//! Principal ids are `kind:hex` or `anon` (see [`Principal`]), safe in a path.

use super::object::{Answer, SessionOp};
use super::principal::Principal;
use super::record::SessionRecord;
use crate::mcp::jsonrpc::{self, Response};

/// A call as the Worker sends it: the message stays in its original bytes.
#[derive(Debug, Clone, Copy)]
pub enum SessionCall<'a> {
    Open(&'a SessionRecord),
    Message(&'a [u8], &'a Principal),
    Close(&'a Principal),
}

/// The internal request could not be understood (a bug, not client input).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("unknown session operation {0:?}")]
    UnknownPath(String),
    #[error("bad session operation body: {0}")]
    BadBody(String),
    #[error("unexpected session answer: status {0}")]
    BadAnswer(u16),
}

/// Encodes a call as (path, body).
pub fn encode_call(call: SessionCall<'_>) -> (String, Vec<u8>) {
    match call {
        SessionCall::Open(record) => (
            "/open".to_owned(),
            serde_json::to_vec(record).unwrap_or_default(),
        ),
        SessionCall::Message(bytes, principal) => {
            (format!("/message/{}", principal.as_str()), bytes.to_vec())
        }
        SessionCall::Close(principal) => (format!("/close/{}", principal.as_str()), Vec::new()),
    }
}

/// Decodes a call inside the Durable Object.
pub fn decode_call(path: &str, body: &[u8]) -> Result<SessionOp, WireError> {
    let unknown = || WireError::UnknownPath(path.to_owned());
    let principal = |raw: &str| Principal::parse(raw).ok_or_else(unknown);
    if path == "/open" {
        return serde_json::from_slice(body)
            .map(SessionOp::Open)
            .map_err(|e| WireError::BadBody(e.to_string()));
    }
    if let Some(raw) = path.strip_prefix("/message/") {
        let payload =
            jsonrpc::parse_payload(body).map_err(|e| WireError::BadBody(format!("{e:?}")))?;
        return Ok(SessionOp::Message(payload, principal(raw)?));
    }
    if let Some(raw) = path.strip_prefix("/close/") {
        return Ok(SessionOp::Close(principal(raw)?));
    }
    Err(unknown())
}

/// Encodes an answer as (status, body).
pub fn encode_answer(answer: &Answer) -> (u16, Vec<u8>) {
    match answer {
        Answer::Opened => (201, Vec::new()),
        Answer::Conflict => (409, Vec::new()),
        Answer::Unknown => (404, Vec::new()),
        Answer::Reply(outgoing) => match outgoing.to_json() {
            Some(json) => (200, json),
            None => (202, Vec::new()),
        },
        Answer::Refused(error) => (400, Response::error(None, error.clone()).to_json()),
        Answer::Closed => (204, Vec::new()),
    }
}

/// The Worker's view of an answer: a reply body stays as bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Opened,
    Conflict,
    Unknown,
    /// A JSON-RPC response (or batch of them), serialised by the Durable Object.
    Json(Vec<u8>),
    /// The body was refused as a whole; a serialised JSON-RPC error response.
    Refused(Vec<u8>),
    Accepted,
    Closed,
}

pub fn decode_answer(status: u16, body: Vec<u8>) -> Result<Reply, WireError> {
    Ok(match status {
        201 => Reply::Opened,
        409 => Reply::Conflict,
        404 => Reply::Unknown,
        200 => Reply::Json(body),
        400 => Reply::Refused(body),
        202 => Reply::Accepted,
        204 => Reply::Closed,
        other => return Err(WireError::BadAnswer(other)),
    })
}

/// Convenience for in-process use (host tests): the reply as the Worker sees it.
pub fn to_reply(answer: &Answer) -> Reply {
    let (status, body) = encode_answer(answer);
    decode_answer(status, body).unwrap_or(Reply::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mcp::dispatch::Outgoing;
    use crate::mcp::jsonrpc::ErrorObject;
    use crate::session::record::sample;

    #[test]
    fn calls_round_trip() {
        let record = sample(3);
        let (path, body) = encode_call(SessionCall::Open(&record));
        assert_eq!(decode_call(&path, &body), Ok(SessionOp::Open(record)));
        let who = Principal::api_key("sk-9");
        let (path, body) = encode_call(SessionCall::Message(
            br#"{"jsonrpc":"2.0","method":"x"}"#,
            &who,
        ));
        assert!(matches!(
            decode_call(&path, &body),
            Ok(SessionOp::Message(_, ref p)) if *p == who
        ));
        let (path, body) = encode_call(SessionCall::Close(&who));
        assert_eq!(decode_call(&path, &body), Ok(SessionOp::Close(who)));
        for bad in ["/nope", "/message", "/message/", "/close/key:zz", "/close"] {
            assert!(decode_call(bad, b"{}").is_err(), "{bad}");
        }
        assert!(decode_call("/open", b"{}").is_err());
    }

    #[test]
    fn answers_round_trip() {
        for (answer, reply) in [
            (Answer::Opened, Reply::Opened),
            (Answer::Conflict, Reply::Conflict),
            (Answer::Unknown, Reply::Unknown),
            (Answer::Reply(Outgoing::Nothing), Reply::Accepted),
            (Answer::Closed, Reply::Closed),
        ] {
            assert_eq!(to_reply(&answer), reply);
        }
        let Reply::Refused(body) = to_reply(&Answer::Refused(ErrorObject::invalid_request("x")))
        else {
            panic!("refusal must survive the wire")
        };
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["error"]["code"], -32600);
        assert_eq!(decode_answer(500, vec![]), Err(WireError::BadAnswer(500)));
    }
}
