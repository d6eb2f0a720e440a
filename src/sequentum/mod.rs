//! The Sequentum REST client layer (../shared/spec/api.md). It knows HTTP and
//! the Sequentum API, nothing of MCP.
//!
//! So far: the pure decisions every request goes through — whether and when
//! to retry ([`retry`]) and what an error answer says ([`error`]). The typed
//! client and its endpoints build on them.

pub mod error;
pub mod retry;
