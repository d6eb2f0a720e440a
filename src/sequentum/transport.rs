//! The port through which the client reaches the network, the clock and
//! randomness. The Worker implements it with `fetch` and timers; host tests
//! with a scripted fake.

use super::request::HttpMethod;

/// One HTTP attempt, fully resolved.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpCall {
    pub method: HttpMethod,
    pub url: String,
    /// The `Authorization` value. A secret: never logged (see `Debug`).
    pub authorization: String,
    /// A JSON body, if any.
    pub body: Option<Vec<u8>>,
    /// Abandon the attempt after this long.
    pub timeout_ms: u64,
}

impl std::fmt::Debug for HttpCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpCall")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("authorization", &"<redacted>")
            .field("body_bytes", &self.body.as_ref().map(Vec::len))
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

/// What came back. Redirects are not followed: a 3xx arrives as itself, with
/// its `Location` (a download link is the answer, not the file behind it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpAnswer {
    pub status: u16,
    pub content_type: Option<String>,
    pub retry_after: Option<String>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

/// The attempt produced no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    #[error("no answer within the timeout")]
    Timeout,
    #[error("connection failed: {0}")]
    Network(String),
    #[error("answer larger than {0} bytes")]
    TooLarge(usize),
}

/// Largest upstream answer body read into memory.
pub const MAX_ANSWER_BYTES: usize = 8 * 1024 * 1024;

/// Outside effects the client needs.
// Workers are single-threaded; the futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// Sends one attempt; at most [`MAX_ANSWER_BYTES`] of body are read.
    async fn send(&self, call: &HttpCall) -> Result<HttpAnswer, TransportError>;
    /// Waits `ms` milliseconds.
    async fn sleep(&self, ms: u64);
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;
    /// Uniform in [0, 1), for backoff jitter (not for secrets).
    fn jitter(&self) -> f64;
}
