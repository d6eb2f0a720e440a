//! Rate limiting on `/mcp`: `RATE_LIMIT_PER_MINUTE` requests per principal
//! (per client IP when there is none) in fixed one-minute windows.
//!
//! The count lives in one `RateLimiter` Durable Object per key, so every
//! isolate everywhere sees the same count. The object keeps the window in
//! memory only: if it is evicted the window restarts, which can only let a
//! caller through early, never lock one out.

use serde::{Deserialize, Serialize};

pub const WINDOW_MS: u64 = 60_000;

/// The current window of one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub started_ms: u64,
    pub count: u32,
}

/// The answer for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "camelCase")]
pub enum Verdict {
    Allowed {
        limit: u32,
        remaining: u32,
        reset_secs: u64,
    },
    Limited {
        limit: u32,
        retry_after_secs: u64,
    },
}

/// Counts one request against `window` and decides.
pub fn admit(window: Option<Window>, now_ms: u64, limit: u32) -> (Verdict, Window) {
    let current = match window {
        // A clock that went backwards also starts a fresh window.
        Some(w) if now_ms >= w.started_ms && now_ms - w.started_ms < WINDOW_MS => w,
        _ => Window {
            started_ms: now_ms,
            count: 0,
        },
    };
    let left_ms = (current.started_ms + WINDOW_MS).saturating_sub(now_ms);
    let reset_secs = left_ms.div_ceil(1000).max(1);
    if current.count >= limit {
        // Refused requests are not counted: waiting out the window works.
        let verdict = Verdict::Limited {
            limit,
            retry_after_secs: reset_secs,
        };
        return (verdict, current);
    }
    let next = Window {
        count: current.count + 1,
        ..current
    };
    let verdict = Verdict::Allowed {
        limit,
        remaining: limit - next.count,
        reset_secs,
    };
    (verdict, next)
}

/// The key a request is counted under. Principal ids are digests, so the key
/// never carries a credential.
pub fn key(principal: &crate::session::principal::Principal, client_ip: Option<&str>) -> String {
    if principal.kind() == "anon" {
        format!("ip:{}", client_ip.unwrap_or("unknown"))
    } else {
        principal.as_str().to_owned()
    }
}

/// The internal request path that counts one hit against `limit`; the
/// limiter object answers the [`Verdict`] as JSON.
pub fn hit_path(limit: u32) -> String {
    format!("/hit/{limit}")
}

/// The limit a hit path carries (inside the limiter object).
pub fn parse_hit_path(path: &str) -> Option<u32> {
    path.strip_prefix("/hit/")?.parse().ok().filter(|n| *n > 0)
}

/// `RateLimit-*` response headers (draft-ietf-httpapi-ratelimit-headers),
/// plus `Retry-After` (RFC 9110 §10.2.3) when limited.
pub fn headers(verdict: &Verdict) -> Vec<(&'static str, String)> {
    match *verdict {
        Verdict::Allowed {
            limit,
            remaining,
            reset_secs,
        } => vec![
            ("ratelimit-limit", limit.to_string()),
            ("ratelimit-remaining", remaining.to_string()),
            ("ratelimit-reset", reset_secs.to_string()),
        ],
        Verdict::Limited {
            limit,
            retry_after_secs,
        } => vec![
            ("retry-after", retry_after_secs.to_string()),
            ("ratelimit-limit", limit.to_string()),
            ("ratelimit-remaining", "0".to_owned()),
            ("ratelimit-reset", retry_after_secs.to_string()),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::principal::Principal;

    #[test]
    fn counts_up_to_the_limit_then_refuses_until_the_window_ends() {
        let mut w = None;
        for i in 1..=3 {
            let (v, next) = admit(w, 1_000, 3);
            assert_eq!(
                v,
                Verdict::Allowed {
                    limit: 3,
                    remaining: 3 - i,
                    reset_secs: 60
                }
            );
            w = Some(next);
        }
        let (v, next) = admit(w, 30_500, 3);
        assert_eq!(
            v,
            Verdict::Limited {
                limit: 3,
                retry_after_secs: 31
            }
        );
        assert_eq!(next.count, 3, "refusals are not counted");
        let (v, next) = admit(Some(next), 60_999, 3);
        assert_eq!(
            v,
            Verdict::Limited {
                limit: 3,
                retry_after_secs: 1
            }
        );
        let (v, next) = admit(Some(next), 61_000, 3);
        assert!(matches!(v, Verdict::Allowed { remaining: 2, .. }));
        assert_eq!(next.started_ms, 61_000);
    }

    #[test]
    fn a_clock_going_backwards_restarts_the_window() {
        let w = Window {
            started_ms: 50_000,
            count: 9,
        };
        let (v, next) = admit(Some(w), 10_000, 9);
        assert!(matches!(v, Verdict::Allowed { .. }));
        assert_eq!(next.started_ms, 10_000);
    }

    #[test]
    fn hit_paths_round_trip() {
        assert_eq!(parse_hit_path(&hit_path(100)), Some(100));
        for bad in ["/hit/", "/hit/0", "/hit/-1", "/hit/x", "/other/5"] {
            assert_eq!(parse_hit_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn keys_and_headers() {
        assert_eq!(
            key(&Principal::anonymous(), Some("203.0.113.9")),
            "ip:203.0.113.9"
        );
        assert_eq!(key(&Principal::anonymous(), None), "ip:unknown");
        let p = Principal::api_key("sk-x");
        assert_eq!(key(&p, Some("203.0.113.9")), p.as_str());
        let limited = headers(&Verdict::Limited {
            limit: 5,
            retry_after_secs: 12,
        });
        assert!(limited.contains(&("retry-after", "12".into())));
        let v = Verdict::Allowed {
            limit: 5,
            remaining: 4,
            reset_secs: 60,
        };
        assert_eq!(
            serde_json::from_str::<Verdict>(&serde_json::to_string(&v).unwrap()).unwrap(),
            v
        );
    }
}
