//! The Cloudflare shell: the only module that names `worker::` types.
//! Each entry point decodes, calls one pure function and encodes.

pub mod console;
pub mod env;
mod fetch;
pub mod rate_limiter;
pub mod session_object;
pub mod system;
mod upstream;
