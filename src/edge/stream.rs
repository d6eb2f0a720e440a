//! A `tools/call` answered as a stream: `notifications/progress` events while
//! the tool works, then its response, on the POST's own SSE stream (MCP
//! 2025-11-25, basic/transports "Sending Messages to the Server" and
//! basic/utilities/progress). Chosen when the request carries a
//! `progressToken` and the client accepts `text/event-stream`.
//!
//! The app only decides; the call is packed into a [`StreamedCall`] that owns
//! everything it needs, so the platform shell can run it after the response
//! headers have gone out.

use serde_json::{json, Value};

use super::transport::sse_event;
use crate::catalog::tools::Progress;
use crate::mcp::calls;
use crate::mcp::jsonrpc::Request;
use crate::sequentum::{Auth, Client, Settings, Transport};

/// A tool call to run while the response streams.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamedCall {
    pub request: Request,
    pub progress_token: Value,
    pub auth: Auth,
    pub base_url: String,
    pub timeout_ms: u64,
}

impl StreamedCall {
    /// Runs the call; every SSE event (progress, then the response) goes to
    /// `emit` as soon as it exists.
    pub async fn run<T: Transport>(&self, transport: &T, emit: &dyn Fn(Vec<u8>)) {
        let settings = Settings::new(&self.base_url, self.timeout_ms);
        let client = Client::new(transport, settings, &self.auth);
        let progress = Emitter {
            token: &self.progress_token,
            emit,
            last: std::cell::Cell::new(f64::NEG_INFINITY),
        };
        let response = calls::serve(&self.request, client, &progress).await;
        emit(sse_event(&response.to_json()));
    }
}

struct Emitter<'a> {
    token: &'a Value,
    emit: &'a dyn Fn(Vec<u8>),
    /// Progress must increase with each notification (basic/utilities/progress).
    last: std::cell::Cell<f64>,
}

impl Progress for Emitter<'_> {
    fn report(&self, progress: f64, total: Option<f64>, message: &str) {
        if progress <= self.last.get() {
            return;
        }
        self.last.set(progress);
        let mut params = json!({
            "progressToken": self.token,
            "progress": progress,
            "message": message,
        });
        if let Some(total) = total {
            params["total"] = json!(total);
        }
        let notification = json!({
            "jsonrpc": "2.0",
            "method": "notifications/progress",
            "params": params,
        });
        (self.emit)(sse_event(notification.to_string().as_bytes()));
    }
}
