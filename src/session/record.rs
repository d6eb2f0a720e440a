//! The session record a Durable Object keeps for one MCP session, and the
//! idle-expiry arithmetic around it.
//!
//! Times are milliseconds since the Unix epoch, passed in by the caller: pure
//! code never reads a clock (`SystemTime::now()` panics on wasm32).

use serde::{Deserialize, Serialize};

use super::principal::Principal;

/// `clientInfo` from `initialize` (MCP 2025-11-25, `Implementation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientInfo {
    pub name: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// What a session remembers between requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionRecord {
    /// The protocol version negotiated at `initialize`.
    pub protocol_version: String,
    /// Who created the session; only they may use it.
    pub principal: Principal,
    pub client_info: ClientInfo,
    /// Client capabilities as sent; kept for later feature checks.
    #[serde(default)]
    pub client_capabilities: serde_json::Map<String, serde_json::Value>,
    /// Set once the client sent `notifications/initialized`.
    #[serde(default)]
    pub initialized: bool,
    /// Minimum level for `notifications/message`, set by `logging/setLevel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<LogLevel>,
    pub created_at_ms: u64,
    pub last_seen_ms: u64,
}

/// Syslog severities as MCP names them (server/utilities/logging).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    Debug,
    Info,
    Notice,
    Warning,
    Error,
    Critical,
    Alert,
    Emergency,
}

/// What an alarm should do with a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlarmVerdict {
    /// Idle for the whole TTL (or nothing stored): delete all storage.
    Expire,
    /// Used since the alarm was set: fire again at this time.
    Reschedule { at_ms: u64 },
}

impl SessionRecord {
    /// Marks activity. Never moves `last_seen_ms` backwards, so a request that
    /// carries a stale clock reading cannot shorten another's lease.
    pub fn touch(&mut self, now_ms: u64) {
        self.last_seen_ms = self.last_seen_ms.max(now_ms);
    }

    /// When the session expires if nothing touches it again.
    pub fn expires_at_ms(&self, ttl_ms: u64) -> u64 {
        self.last_seen_ms.saturating_add(ttl_ms)
    }

    pub fn is_expired(&self, now_ms: u64, ttl_ms: u64) -> bool {
        now_ms >= self.expires_at_ms(ttl_ms)
    }
}

/// How stale the stored `last_seen_ms` may get before a message must write
/// it: a tenth of the TTL, at most a minute. Skipping the write for the
/// messages in between spares a storage write (and its fsync) per request;
/// the price is that an idle session may expire up to this much early.
pub fn touch_interval_ms(ttl_ms: u64) -> u64 {
    (ttl_ms / 10).min(60_000)
}

/// Decides what a fired alarm does. Alarms may fire late or, after a touch
/// that raced the alarm, early; both cases are handled here.
pub fn on_alarm(record: Option<&SessionRecord>, now_ms: u64, ttl_ms: u64) -> AlarmVerdict {
    match record {
        Some(r) if !r.is_expired(now_ms, ttl_ms) => AlarmVerdict::Reschedule {
            at_ms: r.expires_at_ms(ttl_ms),
        },
        _ => AlarmVerdict::Expire,
    }
}

#[cfg(test)]
pub(crate) fn sample(now_ms: u64) -> SessionRecord {
    SessionRecord {
        protocol_version: "2025-11-25".into(),
        principal: Principal::anonymous(),
        client_info: ClientInfo {
            name: "test-client".into(),
            version: "1.0.0".into(),
            title: None,
        },
        client_capabilities: serde_json::Map::new(),
        initialized: false,
        log_level: None,
        created_at_ms: now_ms,
        last_seen_ms: now_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TTL: u64 = 3_600_000;

    #[test]
    fn expiry_is_last_activity_plus_ttl() {
        let mut r = sample(1_000);
        assert_eq!(r.expires_at_ms(TTL), 3_601_000);
        assert!(!r.is_expired(3_600_999, TTL));
        assert!(r.is_expired(3_601_000, TTL));
        r.touch(2_000_000);
        assert_eq!(r.expires_at_ms(TTL), 5_600_000);
        assert!(!r.is_expired(3_601_000, TTL));
    }

    #[test]
    fn touch_never_goes_backwards() {
        let mut r = sample(5_000);
        r.touch(4_000);
        assert_eq!(r.last_seen_ms, 5_000);
        assert_eq!(r.created_at_ms, 5_000);
    }

    #[test]
    fn expiry_saturates_instead_of_overflowing() {
        let r = sample(u64::MAX - 10);
        assert_eq!(r.expires_at_ms(TTL), u64::MAX);
    }

    #[test]
    fn alarm_expires_idle_sessions_and_reschedules_busy_ones() {
        let r = sample(0);
        assert_eq!(on_alarm(Some(&r), TTL, TTL), AlarmVerdict::Expire);
        assert_eq!(on_alarm(Some(&r), TTL + 5, TTL), AlarmVerdict::Expire);
        // Touched after the alarm was armed: the alarm is early now.
        let mut busy = sample(0);
        busy.touch(1_000);
        assert_eq!(
            on_alarm(Some(&busy), TTL, TTL),
            AlarmVerdict::Reschedule { at_ms: TTL + 1_000 }
        );
        assert_eq!(on_alarm(None, 0, TTL), AlarmVerdict::Expire);
    }

    #[test]
    fn touch_interval_is_a_tenth_of_the_ttl_capped_at_a_minute() {
        assert_eq!(touch_interval_ms(1_000), 100);
        assert_eq!(touch_interval_ms(300_000), 30_000);
        assert_eq!(touch_interval_ms(3_600_000), 60_000);
    }

    #[test]
    fn record_round_trips_through_json() {
        let mut r = sample(42);
        r.client_info.title = Some("Test".into());
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"protocolVersion\":\"2025-11-25\""));
        let back: SessionRecord = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
    }
}
