//! Browser origins: who may call us from a web page, and the CORS headers
//! that say so (Fetch standard, "CORS protocol"; the 1.3.0 allowlist of
//! ../shared/spec/http.md §8.2).
//!
//! Matching is exact and case-sensitive on the serialised origin
//! (`scheme://host[:port]`): browsers send origins already normalised, so
//! anything else (upper case, a trailing slash, a path) is not an origin we
//! trust. A missing `Origin` is a native client (Cursor, Claude Desktop,
//! Claude Code) and is allowed; the MCP transport spec asks servers to check
//! `Origin` against DNS rebinding, which is what refusing unknown ones does.

use crate::config::Config;

/// Exact origins always allowed.
const EXACT: [&str; 6] = [
    "https://claude.ai",
    "https://claude.com",
    "https://chatgpt.com",
    "https://platform.openai.com",
    "https://dashboard.sequentum.com",
    "https://mcp.sequentum.com",
];

/// Apexes whose https subdomains, at any depth, are allowed. Not the apex of
/// anything else: `https://claude.ai.evil.com` has the apex `evil.com`.
const SUBDOMAIN_APEXES: [&str; 3] = ["claude.ai", "claude.com", "chatgpt.com"];

/// Loopback hosts allowed over http on any port, with `DEBUG=1` only.
const DEBUG_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

pub const ALLOW_METHODS: &str = "GET, POST, DELETE, OPTIONS";
pub const ALLOW_HEADERS: &str = "Authorization, Content-Type, Accept, Mcp-Session-Id, \
MCP-Protocol-Version, Last-Event-ID, Mcp-Method, Mcp-Name, X-API-Key";
/// What a browser client may read from our responses.
pub const EXPOSE_HEADERS: &str = "Mcp-Session-Id, MCP-Protocol-Version, WWW-Authenticate, \
Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset";
/// How long a browser may cache a preflight (seconds). Chromium caps at 7200.
pub const MAX_AGE_SECONDS: &str = "7200";

/// What the `Origin` header says about a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginCheck<'a> {
    /// No `Origin`: not a browser, nothing to check.
    Absent,
    Allowed(&'a str),
    Denied,
}

impl OriginCheck<'_> {
    pub fn is_denied(&self) -> bool {
        matches!(self, OriginCheck::Denied)
    }
}

pub fn check<'a>(origin: Option<&'a str>, config: &Config) -> OriginCheck<'a> {
    match origin {
        None => OriginCheck::Absent,
        Some(o) if is_allowed(o, config) => OriginCheck::Allowed(o),
        Some(_) => OriginCheck::Denied,
    }
}

pub fn is_allowed(origin: &str, config: &Config) -> bool {
    EXACT.contains(&origin)
        || config.allowed_origins.iter().any(|o| o == origin)
        || origin
            .strip_prefix("https://")
            .is_some_and(is_allowed_subdomain)
        || (config.debug && is_loopback(origin))
}

/// `host` is `<label>.(…).<apex>` for one of our apexes, every label
/// lower-case letters, digits or hyphens, and nothing after the apex (no port,
/// no path).
fn is_allowed_subdomain(host: &str) -> bool {
    SUBDOMAIN_APEXES.iter().any(|apex| {
        host.strip_suffix(apex)
            .and_then(|rest| rest.strip_suffix('.'))
            .is_some_and(|labels| labels.split('.').all(is_label))
    })
}

fn is_label(label: &str) -> bool {
    !label.is_empty()
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `http://<loopback>` with an optional numeric port.
fn is_loopback(origin: &str) -> bool {
    let Some(rest) = origin.strip_prefix("http://") else {
        return false;
    };
    DEBUG_HOSTS
        .iter()
        .any(|host| match rest.strip_prefix(host) {
            Some("") => true,
            Some(port) => port.strip_prefix(':').is_some_and(|digits| {
                !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
            }),
            None => false,
        })
}

/// Headers every response carries for this origin. `Vary: Origin` always,
/// because the answer depends on it even when we allow nothing.
pub fn response_headers(check: &OriginCheck<'_>) -> Vec<(&'static str, String)> {
    let mut headers = vec![("vary", "Origin".to_owned())];
    if let OriginCheck::Allowed(origin) = check {
        headers.push(("access-control-allow-origin", (*origin).to_owned()));
        headers.push(("access-control-expose-headers", EXPOSE_HEADERS.to_owned()));
    }
    headers
}

/// Extra headers of a preflight (`OPTIONS`) answer. A denied origin gets
/// none of them, so the browser blocks the real request.
pub fn preflight_headers(check: &OriginCheck<'_>) -> Vec<(&'static str, String)> {
    match check {
        OriginCheck::Allowed(_) => vec![
            ("access-control-allow-methods", ALLOW_METHODS.to_owned()),
            ("access-control-allow-headers", ALLOW_HEADERS.to_owned()),
            ("access-control-max-age", MAX_AGE_SECONDS.to_owned()),
        ],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(debug: bool, extra: &[&str]) -> Config {
        Config {
            debug,
            allowed_origins: extra.iter().map(|s| (*s).to_owned()).collect(),
            ..Config::default()
        }
    }

    #[test]
    fn built_in_origins_and_their_subdomains() {
        let c = config(false, &[]);
        for origin in [
            "https://claude.ai",
            "https://claude.com",
            "https://chatgpt.com",
            "https://platform.openai.com",
            "https://dashboard.sequentum.com",
            "https://mcp.sequentum.com",
            "https://team.claude.ai",
            "https://app.claude.com",
            "https://connectors.us.claude.ai",
            "https://connectors.us.claude.com",
            "https://connector.chatgpt.com",
            "https://api.connector.chatgpt.com",
            "https://-.claude.ai",
        ] {
            assert!(is_allowed(origin, &c), "{origin}");
        }
    }

    /// The adversarial cases of spec/http.md §8.2 and spec/tests.md §D.
    #[test]
    fn lookalikes_and_non_origins_are_denied() {
        let c = config(false, &[]);
        for origin in [
            "https://chat.openai.com",
            "https://openai.com",
            "https://x.openai.com",
            "https://claude.ai.evil.com",
            "https://chatgpt.com.evil.com",
            "https://notclaude.ai",
            "https://x.notclaude.ai",
            "https://notchatgpt.com",
            "http://claude.ai",
            "https://CLAUDE.AI",
            "https://Team.claude.ai",
            "https://claude.ai/",
            "https://claude.ai:443",
            "https://team.claude.ai:8443",
            "https://.claude.ai",
            "https://a..claude.ai",
            "https://team_x.claude.ai",
            "https://claude.ai.",
            "https://evil.com/https://claude.ai",
            "https://dashboard.sequentum.com.evil.com",
            "null",
            "",
            "http://localhost:3000",
            "http://[::1]:8080",
        ] {
            assert!(!is_allowed(origin, &c), "{origin:?}");
        }
    }

    #[test]
    fn loopback_only_with_debug() {
        let debug = config(true, &[]);
        for origin in [
            "http://localhost:3000",
            "http://localhost",
            "http://127.0.0.1:8080",
            "http://[::1]:8080",
            "http://[::1]",
        ] {
            assert!(is_allowed(origin, &debug), "{origin}");
            assert!(!is_allowed(origin, &config(false, &[])), "{origin}");
        }
        for origin in [
            "https://localhost",
            "http://localhost:",
            "http://localhost:80a",
            "http://localhost.evil.com",
            "http://127.0.0.1.nip.io",
            "http://localhost:3000/",
        ] {
            assert!(!is_allowed(origin, &debug), "{origin}");
        }
    }

    #[test]
    fn configured_origins_are_exact() {
        let c = config(false, &["https://example.com", "https://b.example:8443"]);
        assert!(is_allowed("https://example.com", &c));
        assert!(is_allowed("https://b.example:8443", &c));
        assert!(is_allowed("https://claude.ai", &c), "defaults kept");
        for origin in [
            "https://sub.example.com",
            "http://example.com",
            "https://b.example",
        ] {
            assert!(!is_allowed(origin, &c), "{origin}");
        }
    }

    #[test]
    fn headers_follow_the_verdict() {
        let c = config(false, &[]);
        let allowed = check(Some("https://claude.ai"), &c);
        assert_eq!(allowed, OriginCheck::Allowed("https://claude.ai"));
        let h = response_headers(&allowed);
        assert!(h.contains(&("vary", "Origin".into())));
        assert!(h.contains(&("access-control-allow-origin", "https://claude.ai".into())));
        assert!(preflight_headers(&allowed)
            .iter()
            .any(|(n, v)| *n == "access-control-allow-headers" && v.contains("Mcp-Session-Id")));
        let denied = check(Some("https://evil.example"), &c);
        assert!(denied.is_denied());
        assert_eq!(response_headers(&denied), vec![("vary", "Origin".into())]);
        assert!(preflight_headers(&denied).is_empty());
        assert_eq!(check(None, &c), OriginCheck::Absent);
        assert_eq!(response_headers(&OriginCheck::Absent).len(), 1);
    }
}
