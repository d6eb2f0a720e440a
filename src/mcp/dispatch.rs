//! The one dispatcher. The Durable Object (session-bound requests) and the
//! Worker (stateless requests) both call [`dispatch`]; it does no I/O.

use serde_json::json;

use super::jsonrpc::{ErrorObject, Message, Response};
use crate::session::record::SessionRecord;

/// The method names handled here (MCP 2025-11-25).
pub mod method {
    pub const INITIALIZE: &str = "initialize";
    pub const INITIALIZED: &str = "notifications/initialized";
    pub const CANCELLED: &str = "notifications/cancelled";
    pub const PING: &str = "ping";
}

/// Where a message is being served.
#[derive(Debug)]
pub enum Context<'a> {
    /// Inside a session; the dispatcher may update its record.
    Session(&'a mut SessionRecord),
    /// No session (a client that dropped its session id).
    Stateless,
}

/// Handles one parsed message. `None` means "no response body" (202), as for
/// notifications and responses.
pub fn dispatch(message: &Message, ctx: Context<'_>) -> Option<Response> {
    match message {
        Message::Response { .. } => None,
        Message::Notification(n) => {
            if let (method::INITIALIZED, Context::Session(record)) = (n.method.as_str(), ctx) {
                record.initialized = true;
            }
            // Other notifications (cancelled, unknown ones) need no answer.
            None
        }
        Message::Request(req) => Some(match req.method.as_str() {
            method::PING => Response::result(req.id.clone(), json!({})),
            // A session is initialized exactly once, when it is created.
            method::INITIALIZE => Response::error(
                Some(req.id.clone()),
                ErrorObject::invalid_request("this session is already initialized"),
            ),
            other => Response::error(Some(req.id.clone()), ErrorObject::method_not_found(other)),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mcp::jsonrpc::{parse, Outcome};
    use crate::session::record::sample;

    fn msg(s: &str) -> Message {
        parse(s.as_bytes()).unwrap()
    }

    #[test]
    fn ping_answers_empty_result_in_both_contexts() {
        let m = msg(r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#);
        let mut r = sample(0);
        for ctx in [Context::Session(&mut r), Context::Stateless] {
            let out = dispatch(&m, ctx).unwrap();
            assert_eq!(out.outcome, Outcome::Result(json!({})));
        }
    }

    #[test]
    fn initialized_notification_marks_the_session() {
        let mut r = sample(0);
        assert!(dispatch(
            &msg(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#),
            Context::Session(&mut r)
        )
        .is_none());
        assert!(r.initialized);
    }

    #[test]
    fn unknown_methods_and_reinitialize_are_errors() {
        let mut r = sample(0);
        let out = dispatch(
            &msg(r#"{"jsonrpc":"2.0","id":"a","method":"nope"}"#),
            Context::Session(&mut r),
        )
        .unwrap();
        assert!(matches!(out.outcome, Outcome::Error(ref e) if e.code == -32601));
        let out = dispatch(
            &msg(r#"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{}}"#),
            Context::Session(&mut r),
        )
        .unwrap();
        assert!(matches!(out.outcome, Outcome::Error(ref e) if e.code == -32600));
    }

    #[test]
    fn responses_and_cancellations_get_no_body() {
        assert!(dispatch(
            &msg(r#"{"jsonrpc":"2.0","id":1,"result":{}}"#),
            Context::Stateless
        )
        .is_none());
        assert!(dispatch(
            &msg(
                r#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}"#
            ),
            Context::Stateless
        )
        .is_none());
    }
}
