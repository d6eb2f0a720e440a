//! Streamable HTTP request checks that come before any JSON-RPC work
//! (MCP 2025-11-25, basic/transports, "Sending Messages to the Server").

use rmcp::model::ProtocolVersion;

use crate::mcp::lifecycle::SUPPORTED_VERSIONS;

/// Largest accepted POST body. MCP messages are small; anything bigger is
/// refused before it is read into memory.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// `MCP-Protocol-Version` (basic/transports, "Protocol Version Header").
pub const PROTOCOL_VERSION_HEADER: &str = "mcp-protocol-version";
/// What a request without the header is taken to speak (same section).
pub const ASSUMED_VERSION: ProtocolVersion = ProtocolVersion::V_2025_03_26;

/// How the response to a request is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyFormat {
    Json,
    /// One `message` event on a `text/event-stream` response.
    Sse,
}

/// True when `Content-Type` is JSON (parameters such as charset are allowed).
pub fn is_json_content_type(value: Option<&str>) -> bool {
    value.is_some_and(|v| media_type(v).eq_ignore_ascii_case("application/json"))
}

fn media_type(value: &str) -> &str {
    value.split(';').next().unwrap_or("").trim()
}

/// Picks the reply format from `Accept`. JSON is preferred whenever it is
/// acceptable; SSE when only the stream is; `None` means 406. A missing
/// header accepts anything (RFC 9110 §12.5.1).
pub fn reply_format(accept: Option<&str>) -> Option<ReplyFormat> {
    let Some(accept) = accept else {
        return Some(ReplyFormat::Json);
    };
    let (mut json, mut sse) = (false, false);
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        // A range with q=0 means "not acceptable" (RFC 9110 §12.4.2).
        let refused = parts.any(|p| {
            let p = p.trim();
            p.strip_prefix("q=")
                .is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
        });
        if refused {
            continue;
        }
        match media.as_str() {
            "*/*" => (json, sse) = (true, true),
            "application/json" | "application/*" => json = true,
            "text/event-stream" | "text/*" => sse = true,
            _ => {}
        }
    }
    if json {
        Some(ReplyFormat::Json)
    } else if sse {
        Some(ReplyFormat::Sse)
    } else {
        None
    }
}

/// True when `Accept` allows `text/event-stream` (a missing header allows
/// anything).
pub fn accepts_sse(accept: Option<&str>) -> bool {
    let Some(accept) = accept else { return true };
    accept.split(',').any(|range| {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let refused = parts.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
        });
        !refused && matches!(media.as_str(), "text/event-stream" | "text/*" | "*/*")
    })
}

/// Validates `MCP-Protocol-Version`: a version we serve, or absent (then the
/// 2025-03-26 default applies). `None` means 400.
pub fn protocol_version(header: Option<&str>) -> Option<ProtocolVersion> {
    match header.map(str::trim) {
        None => Some(ASSUMED_VERSION),
        Some(v) => SUPPORTED_VERSIONS.into_iter().find(|s| s.as_str() == v),
    }
}

/// Frames one JSON-RPC message as a single SSE event. serde_json's compact
/// output has no raw newlines, so one `data:` line is enough.
pub fn sse_event(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + 24);
    out.extend_from_slice(b"event: message\ndata: ");
    out.extend_from_slice(json);
    out.extend_from_slice(b"\n\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_must_be_json() {
        assert!(is_json_content_type(Some("application/json")));
        assert!(is_json_content_type(Some(
            "Application/JSON; charset=utf-8"
        )));
        for bad in [
            None,
            Some(""),
            Some("text/plain"),
            Some("application/jsonx"),
            Some("multipart/form-data"),
        ] {
            assert!(!is_json_content_type(bad), "{bad:?}");
        }
    }

    #[test]
    fn accept_negotiation() {
        use ReplyFormat::*;
        let cases = [
            (None, Some(Json)),
            (Some("application/json, text/event-stream"), Some(Json)),
            (Some("text/event-stream, application/json"), Some(Json)),
            (Some("application/json"), Some(Json)),
            (Some("*/*"), Some(Json)),
            (Some("application/*"), Some(Json)),
            (Some("text/event-stream"), Some(Sse)),
            (Some("text/*"), Some(Sse)),
            (Some("application/json;q=0, text/event-stream"), Some(Sse)),
            (Some("text/html"), None),
            (Some("application/xml, text/plain"), None),
            (Some("application/json; q=0"), None),
            (Some(""), None),
        ];
        for (accept, want) in cases {
            assert_eq!(reply_format(accept), want, "{accept:?}");
        }
    }

    #[test]
    fn sse_acceptance() {
        for yes in [
            None,
            Some("application/json, text/event-stream"),
            Some("*/*"),
            Some("text/*"),
        ] {
            assert!(accepts_sse(yes), "{yes:?}");
        }
        for no in [
            Some("application/json"),
            Some("text/event-stream;q=0"),
            Some(""),
        ] {
            assert!(!accepts_sse(no), "{no:?}");
        }
    }

    #[test]
    fn protocol_version_header() {
        assert_eq!(protocol_version(None), Some(ProtocolVersion::V_2025_03_26));
        for v in SUPPORTED_VERSIONS {
            assert_eq!(protocol_version(Some(v.as_str())), Some(v.clone()));
        }
        for bad in ["2024-11-05", "2025-11-26", "", "latest"] {
            assert_eq!(protocol_version(Some(bad)), None, "{bad}");
        }
    }

    #[test]
    fn sse_framing() {
        assert_eq!(
            sse_event(br#"{"a":1}"#),
            b"event: message\ndata: {\"a\":1}\n\n".to_vec()
        );
    }
}
