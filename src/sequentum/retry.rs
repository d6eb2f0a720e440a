//! When to try an upstream request again, as a pure function of what just
//! happened (spec/api.md §5, with our own limits).
//!
//! - POST is never retried: starting an agent twice is worse than an error.
//! - Other methods retry 429, 502, 503, 504 and timeouts; never 401/403,
//!   other statuses or network errors.
//! - The delay honours `Retry-After` (seconds or an HTTP date, RFC 9110
//!   §10.2.3), else grows exponentially with jitter; each delay is capped.
//! - A total budget bounds the whole call, so a tool call stays well under a
//!   minute: a retry happens only if it can start in the budget, and its
//!   timeout is shortened to what is left.

/// Limits; [`RetryPolicy::default`] is what the client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included.
    pub max_attempts: u32,
    pub base_delay_ms: u64,
    pub max_delay_ms: u64,
    /// Everything (attempts and waits) ends within this.
    pub budget_ms: u64,
    /// A retry that could not get at least this long is not worth starting.
    pub min_attempt_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay_ms: 500,
            max_delay_ms: 8_000,
            budget_ms: 45_000,
            min_attempt_ms: 2_000,
        }
    }
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt<'a> {
    /// An HTTP answer, with its `Retry-After` header if any.
    Status {
        status: u16,
        retry_after: Option<&'a str>,
    },
    /// No answer within the attempt's timeout.
    Timeout,
    /// The connection failed: not retried (the request may have arrived).
    Network,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait `after_ms`, then try again with this timeout.
    Retry {
        after_ms: u64,
        timeout_ms: u64,
    },
    GiveUp,
}

/// What the caller knows when an attempt has ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct State {
    pub is_post: bool,
    /// Attempts made so far, this one included (1 after the first).
    pub attempts: u32,
    /// Since the first attempt started.
    pub elapsed_ms: u64,
    pub now_ms: u64,
    /// The configured per-attempt timeout (`UPSTREAM_TIMEOUT_MS`).
    pub attempt_timeout_ms: u64,
    /// Uniform in [0, 1): the caller's randomness, so tests can fix it.
    pub jitter: f64,
}

pub fn decide(policy: &RetryPolicy, state: &State, attempt: Attempt<'_>) -> Decision {
    let retryable = match attempt {
        Attempt::Status { status, .. } => matches!(status, 429 | 502 | 503 | 504),
        Attempt::Timeout => true,
        Attempt::Network => false,
    };
    if state.is_post || !retryable || state.attempts >= policy.max_attempts {
        return Decision::GiveUp;
    }
    let asked = match attempt {
        Attempt::Status {
            retry_after: Some(value),
            ..
        } => retry_after_ms(value, state.now_ms),
        _ => None,
    };
    let after_ms = match asked {
        // The server asked for a wait we will not make: don't retry early.
        Some(ms) if ms > policy.max_delay_ms => return Decision::GiveUp,
        Some(ms) if ms > 0 => ms,
        _ => backoff_ms(policy, state.attempts, state.jitter),
    };
    let left = policy
        .budget_ms
        .saturating_sub(state.elapsed_ms)
        .saturating_sub(after_ms);
    let timeout_ms = state.attempt_timeout_ms.min(left);
    // A configured timeout shorter than `min_attempt_ms` is what every
    // attempt gets, so it is enough for a retry too.
    if timeout_ms < policy.min_attempt_ms.min(state.attempt_timeout_ms) {
        return Decision::GiveUp;
    }
    Decision::Retry {
        after_ms,
        timeout_ms,
    }
}

/// `base × 2^(attempts-1)`, times a jitter factor in [0.75, 1.25), capped.
fn backoff_ms(policy: &RetryPolicy, attempts: u32, jitter: f64) -> u64 {
    let exp = policy
        .base_delay_ms
        .saturating_mul(1u64 << attempts.saturating_sub(1).min(20));
    let factor = 0.75 + 0.5 * jitter.clamp(0.0, 0.999_999);
    ((exp as f64 * factor) as u64).min(policy.max_delay_ms)
}

/// `Retry-After` as milliseconds from `now_ms`: delta-seconds or an HTTP
/// date (RFC 9110 §10.2.3, §5.6.7). A date in the past is 0.
pub fn retry_after_ms(value: &str, now_ms: u64) -> Option<u64> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(secs.saturating_mul(1000));
    }
    let at_secs = http_date_secs(value)?;
    Some((at_secs.saturating_mul(1000)).saturating_sub(now_ms))
}

/// Seconds since the epoch of an HTTP date in any of the three formats a
/// recipient must accept (RFC 9110 §5.6.7): IMF-fixdate
/// `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT`,
/// asctime `Sun Nov  6 08:49:37 1994`.
pub fn http_date_secs(value: &str) -> Option<u64> {
    let parts: Vec<&str> = value.split_whitespace().collect();
    let (day, month, year, time) = match parts.as_slice() {
        [_, d, m, y, t, "GMT"] => (d.parse().ok()?, month(m)?, y.parse().ok()?, *t),
        [_, dmy, t, "GMT"] => {
            let mut f = dmy.split('-');
            let (d, m, y) = (f.next()?, f.next()?, f.next()?);
            let yy: u64 = y.parse().ok()?;
            // RFC 9110: a two-digit year more than 50 years ahead is in the past.
            let year = if yy < 70 { 2000 + yy } else { 1900 + yy };
            (d.parse().ok()?, month(m)?, year, *t)
        }
        [_, m, d, t, y] => (d.parse().ok()?, month(m)?, y.parse().ok()?, *t),
        _ => return None,
    };
    let mut hms = time.split(':').map(|p| p.parse::<u64>().ok());
    let (h, mi, s) = (hms.next()??, hms.next()??, hms.next()??);
    if !(1..=31).contains(&day) || h > 23 || mi > 59 || s > 60 || year < 1970 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + mi * 60 + s)
}

fn month(name: &str) -> Option<u64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    MONTHS.iter().position(|m| *m == name).map(|i| i as u64 + 1)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`), for years from 1970 on.
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(attempts: u32, elapsed_ms: u64) -> State {
        State {
            is_post: false,
            attempts,
            elapsed_ms,
            now_ms: 1_700_000_000_000,
            attempt_timeout_ms: 10_000,
            jitter: 0.5,
        }
    }

    fn status(status: u16) -> Attempt<'static> {
        Attempt::Status {
            status,
            retry_after: None,
        }
    }

    const P: RetryPolicy = RetryPolicy {
        max_attempts: 4,
        base_delay_ms: 500,
        max_delay_ms: 8_000,
        budget_ms: 45_000,
        min_attempt_ms: 2_000,
    };

    #[test]
    fn only_transient_failures_of_non_posts_are_retried() {
        for s in [429, 502, 503, 504] {
            assert!(
                matches!(decide(&P, &state(1, 0), status(s)), Decision::Retry { .. }),
                "{s}"
            );
        }
        for s in [400, 401, 403, 404, 409, 422, 500, 501] {
            assert_eq!(decide(&P, &state(1, 0), status(s)), Decision::GiveUp, "{s}");
        }
        assert!(matches!(
            decide(&P, &state(1, 0), Attempt::Timeout),
            Decision::Retry { .. }
        ));
        assert_eq!(decide(&P, &state(1, 0), Attempt::Network), Decision::GiveUp);
        let post = State {
            is_post: true,
            ..state(1, 0)
        };
        for a in [status(503), status(429), Attempt::Timeout] {
            assert_eq!(decide(&P, &post, a), Decision::GiveUp, "POST {a:?}");
        }
    }

    #[test]
    fn backoff_grows_with_jitter_and_stops_after_four_attempts() {
        let delays: Vec<u64> = (1..=3)
            .map(|n| match decide(&P, &state(n, 0), status(503)) {
                Decision::Retry { after_ms, .. } => after_ms,
                Decision::GiveUp => panic!("attempt {n}"),
            })
            .collect();
        assert_eq!(delays, [500, 1_000, 2_000], "jitter 0.5 is the midpoint");
        assert_eq!(decide(&P, &state(4, 0), status(503)), Decision::GiveUp);
        let low = State {
            jitter: 0.0,
            ..state(1, 0)
        };
        let high = State {
            jitter: 0.999_999,
            ..state(1, 0)
        };
        assert_eq!(
            decide(&P, &low, status(503)),
            Decision::Retry {
                after_ms: 375,
                timeout_ms: 10_000
            }
        );
        assert!(matches!(
            decide(&P, &high, status(503)),
            Decision::Retry { after_ms: 624, .. }
        ));
        let big = RetryPolicy {
            max_attempts: 40,
            ..P
        };
        assert!(
            matches!(
                decide(&big, &state(30, 0), status(503)),
                Decision::Retry {
                    after_ms: 8_000,
                    ..
                }
            ),
            "capped"
        );
    }

    #[test]
    fn retry_after_is_honoured_in_seconds_or_as_a_date() {
        let s = state(1, 0);
        let with = |v: &'static str| Attempt::Status {
            status: 429,
            retry_after: Some(v),
        };
        assert_eq!(
            decide(&P, &s, with("3")),
            Decision::Retry {
                after_ms: 3_000,
                timeout_ms: 10_000
            }
        );
        // 0 or garbage: our own backoff.
        assert_eq!(
            decide(&P, &s, with("0")),
            Decision::Retry {
                after_ms: 500,
                timeout_ms: 10_000
            }
        );
        assert_eq!(
            decide(&P, &s, with("soon")),
            Decision::Retry {
                after_ms: 500,
                timeout_ms: 10_000
            }
        );
        // Longer than we would ever wait: give up rather than retry early.
        assert_eq!(decide(&P, &s, with("120")), Decision::GiveUp);
        // 1_700_000_000 s = Tue, 14 Nov 2023 22:13:20 GMT.
        assert_eq!(
            decide(&P, &s, with("Tue, 14 Nov 2023 22:13:25 GMT")),
            Decision::Retry {
                after_ms: 5_000,
                timeout_ms: 10_000
            }
        );
    }

    #[test]
    fn a_configured_timeout_below_the_minimum_still_allows_retries() {
        // UPSTREAM_TIMEOUT_MS=1200: every attempt gets 1.2 s, retries included.
        let short = |attempts, elapsed_ms| State {
            attempt_timeout_ms: 1_200,
            ..state(attempts, elapsed_ms)
        };
        for a in [status(503), Attempt::Timeout] {
            assert_eq!(
                decide(&P, &short(1, 1_200), a),
                Decision::Retry {
                    after_ms: 500,
                    timeout_ms: 1_200
                },
                "{a:?}"
            );
        }
        // Near the end of the budget a shorter timeout is still refused.
        assert_eq!(decide(&P, &short(1, 44_000), status(503)), Decision::GiveUp);
    }

    #[test]
    fn the_budget_bounds_the_whole_call() {
        // 40 s in, 0.5 s wait: 4.5 s left, so the retry gets a 4.5 s timeout.
        assert_eq!(
            decide(&P, &state(1, 40_000), status(503)),
            Decision::Retry {
                after_ms: 500,
                timeout_ms: 4_500
            }
        );
        // Less than the minimum left: stop.
        assert_eq!(decide(&P, &state(1, 43_000), status(503)), Decision::GiveUp);
        // A timeout at the default 30 s still leaves one shortened retry.
        let slow = State {
            attempt_timeout_ms: 30_000,
            ..state(1, 30_000)
        };
        assert_eq!(
            decide(&P, &slow, Attempt::Timeout),
            Decision::Retry {
                after_ms: 500,
                timeout_ms: 14_500
            }
        );
        // Worst case: every attempt times out; the total stays within budget.
        let mut elapsed = 0;
        let mut attempts = 0;
        let mut timeout = 30_000;
        loop {
            elapsed += timeout;
            attempts += 1;
            let st = State {
                attempt_timeout_ms: 30_000,
                ..state(attempts, elapsed)
            };
            match decide(&P, &st, Attempt::Timeout) {
                Decision::Retry {
                    after_ms,
                    timeout_ms,
                } => {
                    elapsed += after_ms;
                    timeout = timeout_ms;
                }
                Decision::GiveUp => break,
            }
        }
        assert!(elapsed <= P.budget_ms, "{elapsed}");
    }

    #[test]
    fn http_dates_in_all_three_formats() {
        let t = 784_111_777; // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example)
        assert_eq!(http_date_secs("Sun, 06 Nov 1994 08:49:37 GMT"), Some(t));
        assert_eq!(http_date_secs("Sunday, 06-Nov-94 08:49:37 GMT"), Some(t));
        assert_eq!(http_date_secs("Sun Nov  6 08:49:37 1994"), Some(t));
        assert_eq!(http_date_secs("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            http_date_secs("Tue, 29 Feb 2028 12:00:00 GMT"),
            Some(1_835_438_400)
        );
        for bad in [
            "",
            "yesterday",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 25:00:00 GMT",
        ] {
            assert_eq!(http_date_secs(bad), None, "{bad:?}");
        }
        assert_eq!(
            retry_after_ms("Thu, 01 Jan 1970 00:00:00 GMT", 5_000),
            Some(0),
            "past dates mean now"
        );
        assert_eq!(retry_after_ms(" 7 ", 0), Some(7_000));
        assert_eq!(retry_after_ms("-1", 0), None);
    }
}
