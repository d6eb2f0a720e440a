//! Platform ports and the Cloudflare adapters behind them.
//!
//! [`Platform`] is what pure code may ask of the outside world: the time,
//! random bytes, a session's Durable Object and the Sequentum API. The `cloudflare` module
//! (wasm32 only) is the one place that names `worker::` types; host tests
//! implement the trait with an in-memory fake.

use crate::edge::jwt::JwksCache;
use crate::edge::rate::Verdict;
use crate::sequentum::Transport;
use crate::session::id::{SessionId, ID_BYTES};
use crate::session::wire::{Reply, SessionCall};

#[cfg(target_arch = "wasm32")]
pub mod cloudflare;

/// A platform service failed; the request gets a 5xx, other requests are unaffected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlatformError {
    #[error("random number generator unavailable: {0}")]
    Entropy(String),
    #[error("session storage unavailable: {0}")]
    Session(String),
    #[error("rate limiter unavailable: {0}")]
    RateLimiter(String),
    #[error("outbound request failed: {0}")]
    Fetch(String),
}

/// Outside effects, passed into the app so it can run in a host test.
// Workers are single-threaded; the futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait Platform {
    /// How tools reach the Sequentum API.
    type Upstream: Transport;
    fn upstream(&self) -> &Self::Upstream;
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;
    /// Bytes from a CSPRNG for a new session id.
    fn random_id_bytes(&self) -> Result<[u8; ID_BYTES], PlatformError>;
    /// Sends one call to the session's Durable Object.
    async fn session(&self, id: &SessionId, call: SessionCall<'_>) -> Result<Reply, PlatformError>;
    /// Counts one request under `key` in the shared limiter and decides.
    async fn rate_limit(&self, key: &str, limit: u32) -> Result<Verdict, PlatformError>;
    /// GET `url`; the body of a 200 answer of at most `max_bytes`, else an error.
    async fn get(&self, url: &str, max_bytes: usize) -> Result<Vec<u8>, PlatformError>;
    /// Runs `f` on this isolate's JWKS cache. Never held across an `await`.
    fn with_jwks_cache<R>(&self, f: impl FnOnce(&mut JwksCache) -> R) -> R;
}
