//! Sessions: the record each `McpSession` Durable Object keeps, its idle
//! expiry, the object's pure decision function and its internal wire contract.
//! Nothing here calls Sequentum or touches platform types.

pub mod id;
pub mod object;
pub mod principal;
pub mod record;
pub mod wire;
