//! The edge: HTTP values, routing, and the app that maps a request to a reply.
//! It knows no tool names and performs I/O only through [`crate::platform::Platform`].

pub mod access_log;
pub mod app;
pub mod auth;
pub mod cors;
pub mod discovery;
pub mod http;
pub mod jwt;
pub mod rate;
pub mod route;
pub mod stream;
pub mod transport;
