//! What the `McpSession` Durable Object decides, as a pure function over
//! (operation, stored record, now, ttl). The Durable Object shell loads the
//! record, calls [`apply`], performs the [`Effect`] and encodes the [`Answer`].
//!
//! Durable Objects run one event at a time per object and gate input while
//! storage writes are pending, so load → apply → store in one event has no
//! lost updates (Cloudflare docs, "Durable Objects: input and output gates").

use super::principal::Principal;
use super::record::{touch_interval_ms, SessionRecord};
use crate::mcp::dispatch::{serve, Context, Outgoing};
use crate::mcp::jsonrpc::{ErrorObject, Payload};

/// An operation on one session.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionOp {
    /// Create the session after a successful `initialize`.
    Open(SessionRecord),
    /// Serve a POST body (one message, or a 2025-03-26 batch) inside the
    /// session, on behalf of a principal.
    Message(Payload, Principal),
    /// End the session (HTTP DELETE), on behalf of a principal.
    Close(Principal),
}

/// What the caller learns.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Opened,
    /// An id collision; with 256 random bits this means a broken RNG.
    Conflict,
    /// No such session, it expired, or it belongs to another principal
    /// (indistinguishable on purpose).
    Unknown,
    /// What the dispatcher sends back.
    Reply(Outgoing),
    /// The body as a whole is refused (a batch under a version without them).
    Refused(ErrorObject),
    Closed,
}

/// What must happen to storage.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Nothing,
    /// Write the record and (re)arm the idle alarm.
    Store {
        record: SessionRecord,
        alarm_at_ms: u64,
    },
    /// Delete everything the object stores, alarm included.
    Erase,
}

pub fn apply(
    op: SessionOp,
    stored: Option<SessionRecord>,
    now_ms: u64,
    ttl_ms: u64,
) -> (Answer, Effect) {
    // An expired record is as good as none; erase it on the way.
    let (live, stale) = match stored {
        Some(r) if r.is_expired(now_ms, ttl_ms) => (None, true),
        other => (other, false),
    };
    let erase_if_stale = if stale {
        Effect::Erase
    } else {
        Effect::Nothing
    };
    // Someone else's session does not exist for this caller.
    let live = live.filter(|record| match &op {
        SessionOp::Message(_, principal) | SessionOp::Close(principal) => {
            record.principal == *principal
        }
        SessionOp::Open(_) => true,
    });
    match (op, live) {
        (SessionOp::Open(record), None) => {
            let alarm_at_ms = record.expires_at_ms(ttl_ms);
            (
                Answer::Opened,
                Effect::Store {
                    record,
                    alarm_at_ms,
                },
            )
        }
        (SessionOp::Open(_), Some(_)) => (Answer::Conflict, Effect::Nothing),
        (SessionOp::Message(..) | SessionOp::Close(_), None) => (Answer::Unknown, erase_if_stale),
        (SessionOp::Message(payload, _), Some(mut record)) => {
            let before = record.clone();
            let reply = match serve(&payload, Context::Session(&mut record)) {
                Ok(outgoing) => Answer::Reply(outgoing),
                Err(error) => return (Answer::Refused(error), erase_if_stale),
            };
            // Nothing but the clock moved, and not by much: no write.
            let recently_stored =
                now_ms.saturating_sub(before.last_seen_ms) < touch_interval_ms(ttl_ms);
            if record == before && recently_stored {
                return (reply, Effect::Nothing);
            }
            record.touch(now_ms);
            let alarm_at_ms = record.expires_at_ms(ttl_ms);
            (
                reply,
                Effect::Store {
                    record,
                    alarm_at_ms,
                },
            )
        }
        (SessionOp::Close(_), Some(_)) => (Answer::Closed, Effect::Erase),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mcp::jsonrpc::parse_payload;
    use crate::session::record::sample;

    const TTL: u64 = 1_000;

    fn ping() -> SessionOp {
        SessionOp::Message(
            parse_payload(br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#).unwrap(),
            Principal::anonymous(),
        )
    }

    #[test]
    fn open_stores_and_arms_the_alarm() {
        let (a, e) = apply(SessionOp::Open(sample(10)), None, 10, TTL);
        assert_eq!(a, Answer::Opened);
        assert_eq!(
            e,
            Effect::Store {
                record: sample(10),
                alarm_at_ms: 1_010
            }
        );
        let (a, e) = apply(SessionOp::Open(sample(10)), Some(sample(5)), 10, TTL);
        assert_eq!((a, e), (Answer::Conflict, Effect::Nothing));
    }

    #[test]
    fn a_message_touches_the_record_and_pushes_the_alarm() {
        let (a, e) = apply(ping(), Some(sample(0)), 600, TTL);
        assert!(matches!(a, Answer::Reply(Outgoing::One(_))));
        let Effect::Store {
            record,
            alarm_at_ms,
        } = e
        else {
            panic!("{e:?}")
        };
        assert_eq!(record.last_seen_ms, 600);
        assert_eq!(alarm_at_ms, 1_600);
    }

    #[test]
    fn busy_sessions_write_only_when_something_changed_or_the_touch_is_due() {
        // TTL 1 s: the touch interval is 100 ms.
        let (a, e) = apply(ping(), Some(sample(0)), 99, TTL);
        assert!(matches!(a, Answer::Reply(Outgoing::One(_))));
        assert_eq!(e, Effect::Nothing, "a ping 99 ms after the last write");
        let (_, e) = apply(ping(), Some(sample(0)), 100, TTL);
        assert!(matches!(e, Effect::Store { .. }), "the touch is due");
        let level = SessionOp::Message(
            parse_payload(
                br#"{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"info"}}"#,
            )
            .unwrap(),
            Principal::anonymous(),
        );
        let (_, e) = apply(level, Some(sample(0)), 1, TTL);
        let Effect::Store { record, .. } = e else {
            panic!("a changed record is always stored: {e:?}")
        };
        assert_eq!(record.last_seen_ms, 1);
    }

    #[test]
    fn expired_or_missing_sessions_are_unknown() {
        assert_eq!(
            apply(ping(), None, 0, TTL),
            (Answer::Unknown, Effect::Nothing)
        );
        assert_eq!(
            apply(ping(), Some(sample(0)), TTL, TTL),
            (Answer::Unknown, Effect::Erase)
        );
        assert_eq!(
            apply(
                SessionOp::Close(Principal::anonymous()),
                Some(sample(0)),
                TTL + 1,
                TTL
            ),
            (Answer::Unknown, Effect::Erase)
        );
        // A stale record does not block reuse of its id.
        let (a, _) = apply(SessionOp::Open(sample(5_000)), Some(sample(0)), 5_000, TTL);
        assert_eq!(a, Answer::Opened);
    }

    #[test]
    fn batches_follow_the_negotiated_version() {
        let batch = || {
            SessionOp::Message(
                parse_payload(
                    br#"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","id":2,"method":"ping"}]"#,
                )
                .unwrap(),
                Principal::anonymous(),
            )
        };
        let mut old = sample(0);
        old.protocol_version = "2025-03-26".into();
        let (a, e) = apply(batch(), Some(old), 5, TTL);
        let Answer::Reply(Outgoing::Batch(responses)) = a else {
            panic!("{a:?}")
        };
        assert_eq!(responses.len(), 2, "the notification gets no response");
        let Effect::Store { record, .. } = e else {
            panic!("{e:?}")
        };
        assert!(record.initialized, "batched notifications take effect");
        // Any later version: the whole body is refused and nothing changes.
        let (a, e) = apply(batch(), Some(sample(0)), 5, TTL);
        assert!(
            matches!(a, Answer::Refused(ref err) if err.code == -32600),
            "{a:?}"
        );
        assert_eq!(e, Effect::Nothing);
    }

    #[test]
    fn another_principal_sees_no_session() {
        let mallory = Principal::api_key("sk-mallory");
        let ping = SessionOp::Message(
            parse_payload(br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#).unwrap(),
            mallory.clone(),
        );
        assert_eq!(
            apply(ping, Some(sample(0)), 1, TTL),
            (Answer::Unknown, Effect::Nothing)
        );
        assert_eq!(
            apply(SessionOp::Close(mallory), Some(sample(0)), 1, TTL),
            (Answer::Unknown, Effect::Nothing),
            "nor can they end it"
        );
    }

    #[test]
    fn close_erases() {
        assert_eq!(
            apply(
                SessionOp::Close(Principal::anonymous()),
                Some(sample(0)),
                1,
                TTL
            ),
            (Answer::Closed, Effect::Erase)
        );
    }
}
