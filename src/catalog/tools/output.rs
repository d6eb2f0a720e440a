//! What a tool call returns (MCP 2025-11-25, server/tools, "Tool Result"):
//! the useful JSON as `structuredContent` and its compact serialization as
//! the text block; failures as `isError` results whose text starts with what
//! kind of failure it is. Rendered here, once.

use serde_json::{json, Map, Value};

use crate::sequentum::ApiError;

/// A successful result's structured content (always a JSON object, as
/// `structuredContent` must be).
#[derive(Debug, Clone, PartialEq)]
pub struct Output(pub Map<String, Value>);

impl Output {
    /// An object answer as it is; any other answer under `key`.
    pub fn json(value: Value, key: &str) -> Self {
        match value {
            Value::Object(map) => Output(map),
            other => Self::keyed(key, other),
        }
    }

    /// `{ key: value }`.
    pub fn keyed(key: &str, value: Value) -> Self {
        let mut map = Map::new();
        map.insert(key.to_owned(), value);
        Output(map)
    }

    /// Builds from a `json!` object literal.
    pub fn object(value: Value) -> Self {
        Self::json(value, "result")
    }
}

/// Why a tool call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ToolError {
    /// The arguments were refused before anything was sent upstream.
    #[error("{0}")]
    InvalidInput(String),
    /// The Sequentum API call failed.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The API answered 2xx with something this tool cannot use.
    #[error("{0}")]
    UnexpectedAnswer(String),
}

impl ToolError {
    pub fn invalid(message: impl Into<String>) -> Self {
        ToolError::InvalidInput(message.into())
    }

    /// The one line a person (and the model) reads. Never an internal URL,
    /// a header or a stack trace.
    pub fn text(&self) -> String {
        match self {
            ToolError::InvalidInput(m) => format!("Invalid input: {m}"),
            ToolError::UnexpectedAnswer(m) => format!("Upstream error: {m}"),
            ToolError::Api(e) => api_text(e),
        }
    }
}

fn api_text(e: &ApiError) -> String {
    match e {
        ApiError::NoCredentials => "Authentication required: this connection carries no Sequentum \
             credential. Connect with OAuth or an API key (sk-…)."
            .into(),
        ApiError::Status { status: 401, .. } => {
            "Authentication failed: the Sequentum API did not accept the credential (expired or \
             revoked). Sign in again or use a valid API key."
                .into()
        }
        ApiError::Status {
            status: 403,
            message,
            ..
        } => format!(
            "Access denied: {}",
            message
                .as_deref()
                .unwrap_or("this Sequentum account may not perform this action.")
        ),
        ApiError::Status {
            status: 404,
            message,
            ..
        } => format!(
            "Not found: {}",
            message
                .as_deref()
                .unwrap_or("the Sequentum API has no such item.")
        ),
        ApiError::Status {
            status: 429,
            retry_after_secs,
            ..
        } => match retry_after_secs {
            Some(n) if *n > 0 => {
                format!(
                    "Rate limited: the Sequentum API asks to slow down. Retry in {n} second{}.",
                    if *n == 1 { "" } else { "s" }
                )
            }
            _ => "Rate limited: the Sequentum API asks to slow down. Wait a moment, then retry."
                .into(),
        },
        ApiError::Status {
            status, message, ..
        } if *status >= 500 => format!(
            "Upstream error (HTTP {status}): {} Try again later.",
            message
                .as_deref()
                .map_or("the Sequentum API failed.".to_owned(), sentence)
        ),
        ApiError::Status {
            status, message, ..
        } => format!(
            "Rejected by the Sequentum API (HTTP {status}): {}",
            message.as_deref().unwrap_or("no reason given.")
        ),
        ApiError::Timeout { timeout_ms } => format!(
            "Upstream timeout: the Sequentum API did not answer within {} s. Try again later.",
            timeout_ms.div_ceil(1000)
        ),
        ApiError::Network => {
            "Upstream unreachable: the Sequentum API could not be reached. Try again later.".into()
        }
        ApiError::TooLarge(n) => format!(
            "Upstream error: the answer was larger than {} MiB.",
            n / (1024 * 1024)
        ),
        ApiError::MalformedJson => "Upstream error: the Sequentum API sent malformed JSON.".into(),
    }
}

/// Ends `s` with a full stop so the advice that follows reads well.
fn sentence(s: &str) -> String {
    if s.ends_with(['.', '!', '?', '…']) {
        s.to_owned()
    } else {
        format!("{s}.")
    }
}

/// The `CallToolResult` for an outcome.
pub fn call_result(outcome: &Result<Output, ToolError>) -> Value {
    match outcome {
        Ok(Output(map)) => {
            // Compact: every byte of padding is a token someone pays for.
            let text = serde_json::to_string(map).unwrap_or_default();
            json!({
                "content": [{ "type": "text", "text": text }],
                "structuredContent": map,
            })
        }
        Err(e) => json!({
            "content": [{ "type": "text", "text": e.text() }],
            "isError": true,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16, message: Option<&str>, retry: Option<u64>) -> ToolError {
        ToolError::Api(ApiError::Status {
            status,
            message: message.map(str::to_owned),
            retry_after_secs: retry,
        })
    }

    #[test]
    fn success_is_structured_plus_compact_text() {
        let r = call_result(&Ok(Output::json(serde_json::json!([1, 2]), "items")));
        assert_eq!(r["structuredContent"], serde_json::json!({"items": [1, 2]}));
        assert_eq!(r["content"][0]["text"], r#"{"items":[1,2]}"#);
        assert!(r.get("isError").is_none());
    }

    #[test]
    fn every_failure_kind_has_its_prefix() {
        let cases = [
            (
                ToolError::invalid("Missing required parameter: agentId"),
                "Invalid input: Missing required parameter: agentId",
            ),
            (
                ToolError::Api(ApiError::NoCredentials),
                "Authentication required: ",
            ),
            (
                status(401, Some("token expired at 10:00"), None),
                "Authentication failed: ",
            ),
            (status(403, None, None), "Access denied: "),
            (
                status(404, Some("Agent not found"), None),
                "Not found: Agent not found",
            ),
            (
                status(429, None, Some(7)),
                "Rate limited: the Sequentum API asks to slow down. Retry in 7 seconds.",
            ),
            (status(429, None, None), "Rate limited: "),
            (
                status(503, Some("Maintenance"), None),
                "Upstream error (HTTP 503): Maintenance. Try again later.",
            ),
            (
                status(502, None, None),
                "Upstream error (HTTP 502): the Sequentum API failed. Try again later.",
            ),
            (
                status(422, Some("Name taken"), None),
                "Rejected by the Sequentum API (HTTP 422): Name taken",
            ),
            (
                ToolError::Api(ApiError::Timeout { timeout_ms: 30_000 }),
                "Upstream timeout: the Sequentum API did not answer within 30 s.",
            ),
            (ToolError::Api(ApiError::Network), "Upstream unreachable: "),
        ];
        for (error, prefix) in cases {
            let r = call_result(&Err(error.clone()));
            assert_eq!(r["isError"], true);
            let text = r["content"][0]["text"].as_str().unwrap();
            assert!(text.starts_with(prefix), "{error:?}: {text}");
            // 401 bodies may echo token details; they are not repeated.
            assert!(!text.contains("10:00"));
        }
    }
}
