//! The Sequentum REST client layer (../shared/spec/api.md). It knows HTTP and
//! the Sequentum API, nothing of MCP.
//!
//! - [`request`]: one request as data (typed path, ordered query, JSON body);
//! - [`client`]: sends it with the caller's credential, a per-attempt
//!   timeout and the retries [`retry`] allows, and reads the answer;
//! - [`error`]: what an error answer says;
//! - [`transport`]: the port to the network and the clock ([`fake`] for tests).

pub mod auth;
pub mod client;
pub mod error;
pub mod fake;
pub mod request;
pub mod retry;
pub mod transport;

pub use auth::Auth;
pub use client::{ApiBody, ApiError, Client, Settings};
pub use request::{ApiRequest, HttpMethod};
pub use transport::{HttpAnswer, HttpCall, Transport, TransportError};
