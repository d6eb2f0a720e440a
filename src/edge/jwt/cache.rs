//! When to fetch the JWKS: the per-isolate cache's decisions. The caller
//! owns the storage (one cache per isolate) and does the fetch; this type
//! only holds the set, the times, and says `Use` or `Fetch`.
//!
//! ```text
//! let plan = cache.plan(kid, now_ms);          // may record "fetch started"
//! if plan == Plan::Fetch {
//!     match fetch().and_then(Jwks::parse) {
//!         Ok(jwks) => cache.store(jwks, now_ms),
//!         Err(_) => cache.fetch_failed(now_ms),
//!     }
//! }
//! match cache.current() { Some(jwks) => verify(..), None => /* no keys: 503 */ }
//! ```

use super::Jwks;

/// What the caller does before verifying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Verify with [`JwksCache::current`]. It is `None` only while fetches
    /// keep failing and no set was ever stored: then nothing can verify.
    Use,
    /// Fetch the JWKS, then [`JwksCache::store`] it or report
    /// [`JwksCache::fetch_failed`].
    Fetch,
}

/// The per-isolate JWKS cache's state.
#[derive(Debug, Clone, Default)]
pub struct JwksCache {
    /// The set and when it was stored.
    keys: Option<(Jwks, u64)>,
    /// When a token with an unknown `kid` last caused a fetch.
    last_forced_ms: Option<u64>,
    /// No expiry refresh before this: one is under way, or the last failed.
    quiet_until_ms: u64,
}

impl JwksCache {
    /// How long a fetched set is used before it is refreshed. Issuers publish
    /// a new key before signing with it and the unknown-`kid` refetch covers
    /// those that do not; the TTL bounds how long a key the issuer withdrew
    /// is still trusted, at the cost of one subrequest per isolate per TTL.
    /// Ten minutes is also the `jose` library's default.
    pub const TTL_MS: u64 = 10 * 60 * 1000;
    /// At most one fetch per this interval because of an unknown `kid`, so
    /// tokens with random ids cannot make us hammer the JWKS endpoint.
    pub const UNKNOWN_KID_COOLDOWN_MS: u64 = 60 * 1000;
    /// After a failed fetch, how long requests go on with what we have
    /// (possibly nothing) before the next attempt.
    pub const RETRY_AFTER_FAILURE_MS: u64 = 10 * 1000;
    /// While one request refreshes an expired set, concurrent requests keep
    /// using it for up to this long instead of fetching too.
    pub const REFRESH_IN_FLIGHT_MS: u64 = 10 * 1000;
    /// A set this old is dropped when a refresh fails: a JWKS endpoint that
    /// stays down must not keep a withdrawn key trusted indefinitely.
    pub const MAX_STALE_MS: u64 = 60 * 60 * 1000;

    pub fn new() -> Self {
        Self::default()
    }

    /// Use the cached set, or fetch: when there is none, when it is older
    /// than [`Self::TTL_MS`], or when it lacks the token's `kid` and no fetch
    /// was made for that reason in the last [`Self::UNKNOWN_KID_COOLDOWN_MS`].
    ///
    /// Takes `&mut self` because a decision to fetch is recorded at once:
    /// other requests in the same isolate run while this one awaits the
    /// fetch, and must not all fetch too.
    pub fn plan(&mut self, kid: Option<&str>, now_ms: u64) -> Plan {
        let Some((jwks, fetched_at)) = &self.keys else {
            // Nothing to verify with: every request fetches (a cold isolate's
            // first burst), unless the last attempt just failed.
            return if now_ms >= self.quiet_until_ms {
                Plan::Fetch
            } else {
                Plan::Use
            };
        };
        if elapsed(*fetched_at, now_ms) >= Self::TTL_MS && now_ms >= self.quiet_until_ms {
            self.quiet_until_ms = now_ms.saturating_add(Self::REFRESH_IN_FLIGHT_MS);
            return Plan::Fetch;
        }
        let cooled = self
            .last_forced_ms
            .is_none_or(|at| elapsed(at, now_ms) >= Self::UNKNOWN_KID_COOLDOWN_MS);
        if !jwks.has_key(kid) && cooled {
            self.last_forced_ms = Some(now_ms);
            return Plan::Fetch;
        }
        Plan::Use
    }

    /// Keeps a freshly fetched set.
    pub fn store(&mut self, jwks: Jwks, now_ms: u64) {
        self.keys = Some((jwks, now_ms));
        self.quiet_until_ms = 0;
    }

    /// Records a failed fetch (network, status or [`Jwks::parse`]): the
    /// current set stays in use unless older than [`Self::MAX_STALE_MS`].
    pub fn fetch_failed(&mut self, now_ms: u64) {
        self.quiet_until_ms = now_ms.saturating_add(Self::RETRY_AFTER_FAILURE_MS);
        if self
            .keys
            .as_ref()
            .is_some_and(|(_, at)| elapsed(*at, now_ms) >= Self::MAX_STALE_MS)
        {
            self.keys = None;
        }
    }

    /// The set to verify with.
    pub fn current(&self) -> Option<&Jwks> {
        self.keys.as_ref().map(|(jwks, _)| jwks)
    }
}

/// Milliseconds from `since` to `now`; a clock that went backwards counts as
/// "long ago", which at worst costs one extra fetch.
fn elapsed(since: u64, now: u64) -> u64 {
    now.checked_sub(since).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edge::jwt::jwks::tests::{P256_X, P256_Y};
    use serde_json::json;

    const TTL: u64 = JwksCache::TTL_MS;
    const COOLDOWN: u64 = JwksCache::UNKNOWN_KID_COOLDOWN_MS;
    const RETRY: u64 = JwksCache::RETRY_AFTER_FAILURE_MS;
    const T0: u64 = 1_800_000_000_000;

    fn jwks(kids: &[&str]) -> Jwks {
        let keys: Vec<_> = kids
            .iter()
            .map(|kid| json!({ "kty": "EC", "crv": "P-256", "kid": kid, "x": P256_X, "y": P256_Y }))
            .collect();
        Jwks::parse(json!({ "keys": keys }).to_string().as_bytes()).unwrap()
    }

    fn stored(kids: &[&str]) -> JwksCache {
        let mut cache = JwksCache::new();
        assert_eq!(cache.plan(Some("a"), T0), Plan::Fetch);
        cache.store(jwks(kids), T0);
        cache
    }

    #[test]
    fn empty_fetches_every_time_until_stored() {
        let mut cache = JwksCache::new();
        assert!(cache.current().is_none());
        assert_eq!(cache.plan(Some("a"), T0), Plan::Fetch);
        // A concurrent request in a cold isolate has nothing to use: it fetches too.
        assert_eq!(cache.plan(None, T0), Plan::Fetch);
        cache.store(jwks(&["a"]), T0);
        assert_eq!(cache.plan(Some("a"), T0 + 1), Plan::Use);
        assert!(cache.current().is_some());
    }

    #[test]
    fn fresh_set_is_used_until_the_ttl() {
        let mut cache = stored(&["a", "b"]);
        assert_eq!(cache.plan(Some("a"), T0 + TTL - 1), Plan::Use);
        assert_eq!(cache.plan(Some("b"), T0 + TTL - 1), Plan::Use);
        assert_eq!(cache.plan(Some("a"), T0 + TTL), Plan::Fetch);
    }

    #[test]
    fn expired_set_is_refreshed_once_while_others_use_it() {
        let mut cache = stored(&["a"]);
        assert_eq!(cache.plan(Some("a"), T0 + TTL), Plan::Fetch);
        assert_eq!(cache.plan(Some("a"), T0 + TTL + 5), Plan::Use);
        assert!(cache.current().is_some());
        cache.store(jwks(&["a"]), T0 + TTL + 100);
        assert_eq!(cache.plan(Some("a"), T0 + TTL + 200), Plan::Use);
        assert_eq!(cache.plan(Some("a"), T0 + 2 * TTL + 99), Plan::Use);
        assert_eq!(cache.plan(Some("a"), T0 + 2 * TTL + 100), Plan::Fetch);
    }

    #[test]
    fn a_refresh_that_never_reports_back_is_retried() {
        let mut cache = stored(&["a"]);
        let at = T0 + TTL;
        assert_eq!(cache.plan(Some("a"), at), Plan::Fetch);
        assert_eq!(
            cache.plan(Some("a"), at + JwksCache::REFRESH_IN_FLIGHT_MS - 1),
            Plan::Use
        );
        assert_eq!(
            cache.plan(Some("a"), at + JwksCache::REFRESH_IN_FLIGHT_MS),
            Plan::Fetch
        );
    }

    #[test]
    fn failures_back_off_and_keep_the_stale_set_for_a_while() {
        let mut cache = stored(&["a"]);
        let at = T0 + TTL;
        assert_eq!(cache.plan(Some("a"), at), Plan::Fetch);
        cache.fetch_failed(at);
        assert_eq!(cache.plan(Some("a"), at + RETRY - 1), Plan::Use);
        assert!(cache.current().is_some());
        assert_eq!(cache.plan(Some("a"), at + RETRY), Plan::Fetch);
        // Still failing an hour after the last good fetch: the set goes.
        cache.fetch_failed(T0 + JwksCache::MAX_STALE_MS);
        assert!(cache.current().is_none());
        assert_eq!(
            cache.plan(Some("a"), T0 + JwksCache::MAX_STALE_MS + 1),
            Plan::Use
        );
        assert_eq!(
            cache.plan(Some("a"), T0 + JwksCache::MAX_STALE_MS + RETRY),
            Plan::Fetch
        );
    }

    #[test]
    fn failure_with_nothing_cached_backs_off() {
        let mut cache = JwksCache::new();
        assert_eq!(cache.plan(None, T0), Plan::Fetch);
        cache.fetch_failed(T0);
        assert_eq!(cache.plan(None, T0 + RETRY - 1), Plan::Use);
        assert!(cache.current().is_none());
        assert_eq!(cache.plan(None, T0 + RETRY), Plan::Fetch);
    }

    #[test]
    fn unknown_kid_refetches_once_per_cooldown() {
        let mut cache = stored(&["a"]);
        assert_eq!(cache.plan(Some("new"), T0 + 1), Plan::Fetch);
        // A flood of unknown ids during the cooldown does not fetch again.
        assert_eq!(cache.plan(Some("new"), T0 + 2), Plan::Use);
        assert_eq!(cache.plan(Some("random-1"), T0 + COOLDOWN), Plan::Use);
        cache.store(jwks(&["a", "new"]), T0 + 50);
        assert_eq!(cache.plan(Some("new"), T0 + 60), Plan::Use);
        assert_eq!(cache.plan(Some("random-2"), T0 + COOLDOWN), Plan::Use);
        assert_eq!(cache.plan(Some("random-3"), T0 + 1 + COOLDOWN), Plan::Fetch);
        assert_eq!(cache.plan(Some("random-4"), T0 + 2 + COOLDOWN), Plan::Use);
        // Known ids are unaffected by the cooldown.
        assert_eq!(cache.plan(Some("a"), T0 + 3 + COOLDOWN), Plan::Use);
    }

    #[test]
    fn token_without_kid_needs_a_single_key_set() {
        let mut one = stored(&["a"]);
        assert_eq!(one.plan(None, T0 + 1), Plan::Use);
        let mut two = stored(&["a", "b"]);
        assert_eq!(two.plan(None, T0 + 1), Plan::Fetch);
        assert_eq!(two.plan(None, T0 + 2), Plan::Use);
    }

    #[test]
    fn a_clock_that_goes_backwards_refetches() {
        let mut cache = stored(&["a"]);
        assert_eq!(cache.plan(Some("a"), T0 - 1), Plan::Fetch);
    }
}
