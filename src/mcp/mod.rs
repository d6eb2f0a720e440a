//! MCP protocol: JSON-RPC envelopes, lifecycle and the shared dispatcher.
//! No I/O happens here.

pub mod calls;
pub mod dispatch;
pub mod jsonrpc;
pub mod lifecycle;
pub mod pagination;
