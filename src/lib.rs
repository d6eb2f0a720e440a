//! # Layout
//!
//! Sequentum MCP server: MCP over Streamable HTTP on Cloudflare Workers.
//! A request enters at the platform shell and flows inward; each layer only
//! calls the ones below it:
//!
//! ```text
//! platform::cloudflare   #[event(fetch)] and the McpSession Durable Object:
//!   │                    decode → call one function → encode (wasm32 only)
//!   ▼
//! edge                   routing, CORS, credentials and JWT checks, rate
//!   │                    limit, discovery documents, access log, HTTP status
//!   │                    mapping, the app as a value
//!   ▼
//! session                session record and the principal it is bound to,
//!   │                    idle expiry, the Durable Object's pure decision
//!   │                    function and its wire contract
//!   ▼
//! mcp                    JSON-RPC envelopes, lifecycle, the shared dispatcher,
//!   │                    and `calls`: tool calls, resource reads and
//!   │                    completions, which the Worker runs itself
//!   ▼
//! catalog                the tools (params types → schemas, requests,
//!   │                    rendering), resources (URIs → typed references),
//!   │                    prompts (checked arguments → text), completions
//!   ▼
//! sequentum              the typed REST client: requests as data, the
//!                        caller's credential, timeouts, retries, error bodies
//! ```
//!
//! `config` (typed configuration) and `log` are used from every layer.
//! `platform` also defines the [`platform::Platform`] port through which pure
//! code reaches the clock, randomness, Durable Objects (sessions, the rate
//! limiter), outbound GETs, the Sequentum API ([`sequentum::Transport`]) and
//! the per-isolate JWKS cache, so everything but `platform::cloudflare`
//! compiles and is tested on the host.

pub mod catalog;
pub mod config;
pub mod edge;
pub mod log;
pub mod mcp;
pub mod platform;
pub mod sequentum;
pub mod session;
pub mod text;
