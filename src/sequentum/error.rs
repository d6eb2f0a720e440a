//! What an upstream error answer says, in a form fit to show a person
//! (spec/api.md §4). The API answers errors in two shapes:
//! `{statusCode, statusDescription, message, severity}` and RFC 7807 problem
//! details `{type, title, status, detail, instance}`; anything else (an HTML
//! error page from a proxy, plain text) is cut to a short excerpt.

use serde_json::Value;

/// Longest excerpt of a non-JSON body, in characters.
pub const MAX_EXCERPT_CHARS: usize = 300;

/// The message of an error answer: the first non-empty of `message`,
/// `title: detail` (or either alone), `statusDescription`; else an excerpt of
/// the text; else `None` (the caller says "HTTP <status>").
pub fn message(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => {
            let field = |name: &str| {
                map.get(name)
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
            };
            let found = field("message")
                .map(str::to_owned)
                .or_else(|| match (field("title"), field("detail")) {
                    (Some(title), Some(detail)) => Some(format!("{title}: {detail}")),
                    (title, detail) => detail.or(title).map(str::to_owned),
                })
                .or_else(|| field("statusDescription").map(str::to_owned));
            found.map(|m| excerpt(&m))
        }
        // JSON, but not an error object we know: say nothing rather than
        // dump it.
        Ok(_) => None,
        Err(_) if looks_like_html(text) => None,
        Err(_) => Some(excerpt(text)),
    }
}

/// One line of at most [`MAX_EXCERPT_CHARS`] characters, control characters
/// replaced, `…` when cut.
fn excerpt(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    crate::text::clip(&one_line, MAX_EXCERPT_CHARS)
}

/// An HTML error page (a proxy's 502, a login page) says nothing useful in a
/// tool result; the status does.
fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.starts_with("<?xml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_upstream_shapes() {
        assert_eq!(
            message(br#"{"statusCode":400,"statusDescription":"Bad Request","message":"Invalid agentId","severity":"Error"}"#).as_deref(),
            Some("Invalid agentId")
        );
        assert_eq!(
            message(br#"{"type":"x","title":"Validation failed","status":422,"detail":"Name is required"}"#).as_deref(),
            Some("Validation failed: Name is required")
        );
        assert_eq!(
            message(br#"{"title":"Unauthorized","status":401}"#).as_deref(),
            Some("Unauthorized")
        );
        assert_eq!(
            message(br#"{"detail":"Only detail"}"#).as_deref(),
            Some("Only detail")
        );
        assert_eq!(
            message(br#"{"message":"  ","statusDescription":"Not Found"}"#).as_deref(),
            Some("Not Found"),
            "blank members are skipped"
        );
    }

    #[test]
    fn other_bodies() {
        assert_eq!(message(b""), None);
        assert_eq!(message(b"   \n"), None);
        assert_eq!(message(br#"{"unrelated":true}"#), None);
        assert_eq!(message(b"[1,2]"), None);
        assert_eq!(
            message(b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"),
            None
        );
        assert_eq!(message(b"<html><h1>Oops</h1></html>"), None);
        assert_eq!(
            message(b"upstream overloaded\r\ntry later").as_deref(),
            Some("upstream overloaded  try later")
        );
        let long = "é".repeat(1_000);
        let cut = message(long.as_bytes()).unwrap();
        assert_eq!(cut.chars().count(), MAX_EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
        let invalid_utf8 = message(&[0x66, 0xff, 0x6f]).unwrap();
        assert_eq!(invalid_utf8, "f\u{fffd}o");
    }
}
