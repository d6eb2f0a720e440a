//! Typed configuration, read once per request from the Worker's `[vars]`,
//! secrets and `.dev.vars`.
//!
//! The variable names are a contract with operators (../shared/DESIGN.md,
//! "Configuration"); [`names`] spells each one once. A set but malformed value
//! is an error that names the variable, never a silent fallback to a default:
//! a typo in `SESSION_TTL_SECONDS` must not quietly mean one hour.

use thiserror::Error;

/// The configuration variable names, exactly as operators set them.
pub mod names {
    pub const SEQUENTUM_API_URL: &str = "SEQUENTUM_API_URL";
    pub const ALLOWED_ORIGINS: &str = "ALLOWED_ORIGINS";
    pub const DEBUG: &str = "DEBUG";
    pub const REQUIRE_AUTH: &str = "REQUIRE_AUTH";
    pub const PUBLIC_URL: &str = "PUBLIC_URL";
    pub const JWT_JWKS_URL: &str = "JWT_JWKS_URL";
    pub const JWT_ISSUER: &str = "JWT_ISSUER";
    pub const JWT_AUDIENCE: &str = "JWT_AUDIENCE";
    pub const SESSION_TTL_SECONDS: &str = "SESSION_TTL_SECONDS";
    pub const RATE_LIMIT_PER_MINUTE: &str = "RATE_LIMIT_PER_MINUTE";
    pub const UPSTREAM_TIMEOUT_MS: &str = "UPSTREAM_TIMEOUT_MS";

    /// Every name, for adapters that copy variables out of the environment.
    pub const ALL: [&str; 11] = [
        SEQUENTUM_API_URL,
        ALLOWED_ORIGINS,
        DEBUG,
        REQUIRE_AUTH,
        PUBLIC_URL,
        JWT_JWKS_URL,
        JWT_ISSUER,
        JWT_AUDIENCE,
        SESSION_TTL_SECONDS,
        RATE_LIMIT_PER_MINUTE,
        UPSTREAM_TIMEOUT_MS,
    ];
}

pub const DEFAULT_SEQUENTUM_API_URL: &str = "https://dashboard.sequentum.com";
pub const DEFAULT_SESSION_TTL_SECONDS: u32 = 3600;
pub const DEFAULT_RATE_LIMIT_PER_MINUTE: u32 = 100;
pub const DEFAULT_UPSTREAM_TIMEOUT_MS: u32 = 30_000;

/// Upper bounds that keep arithmetic and platform limits sane.
const MAX_SESSION_TTL_SECONDS: u32 = 30 * 24 * 3600;
const MAX_RATE_LIMIT_PER_MINUTE: u32 = 1_000_000;
const MIN_UPSTREAM_TIMEOUT_MS: u32 = 100;
const MAX_UPSTREAM_TIMEOUT_MS: u32 = 300_000;

/// A variable that is set but cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("configuration variable {name} is invalid: {reason} (got {value:?})")]
pub struct ConfigError {
    pub name: &'static str,
    pub value: String,
    pub reason: &'static str,
}

/// The server's configuration; see ../shared/DESIGN.md for each field's meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Upstream API base, without a trailing slash.
    pub sequentum_api_url: String,
    /// Extra exact origins for the CORS allowlist.
    pub allowed_origins: Vec<String>,
    pub debug: bool,
    pub require_auth: bool,
    /// Canonical origin of this server; `None` means "derive from the request".
    pub public_url: Option<String>,
    pub jwt_jwks_url: Option<String>,
    /// Expected `iss`; defaults to the upstream API URL.
    pub jwt_issuer: String,
    /// Accepted `aud` values; `None` means "derive from the public origin".
    pub jwt_audience: Option<Vec<String>>,
    pub session_ttl_seconds: u32,
    pub rate_limit_per_minute: u32,
    pub upstream_timeout_ms: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self::from_lookup(|_| None).expect("defaults are valid")
    }
}

impl Config {
    /// Builds the configuration from a variable lookup. Unset and empty
    /// variables take their defaults.
    pub fn from_lookup<F>(lookup: F) -> Result<Self, ConfigError>
    where
        F: Fn(&str) -> Option<String>,
    {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };

        let sequentum_api_url = match get(names::SEQUENTUM_API_URL) {
            Some(v) => base_url(names::SEQUENTUM_API_URL, &v)?,
            None => DEFAULT_SEQUENTUM_API_URL.to_owned(),
        };
        let public_url = get(names::PUBLIC_URL)
            .map(|v| origin(names::PUBLIC_URL, &v))
            .transpose()?;
        let allowed_origins = get(names::ALLOWED_ORIGINS)
            .map(|v| {
                list(&v)
                    .map(|o| origin(names::ALLOWED_ORIGINS, o))
                    .collect()
            })
            .transpose()?
            .unwrap_or_default();
        let jwt_jwks_url = get(names::JWT_JWKS_URL)
            .map(|v| base_url(names::JWT_JWKS_URL, &v))
            .transpose()?;
        let jwt_issuer = get(names::JWT_ISSUER).unwrap_or_else(|| sequentum_api_url.clone());
        let jwt_audience = get(names::JWT_AUDIENCE).map(|v| list(&v).map(str::to_owned).collect());

        Ok(Self {
            allowed_origins,
            debug: flag(names::DEBUG, get(names::DEBUG), false)?,
            require_auth: flag(names::REQUIRE_AUTH, get(names::REQUIRE_AUTH), true)?,
            public_url,
            jwt_jwks_url,
            jwt_issuer,
            jwt_audience,
            session_ttl_seconds: number(
                names::SESSION_TTL_SECONDS,
                get(names::SESSION_TTL_SECONDS),
                DEFAULT_SESSION_TTL_SECONDS,
                1..=MAX_SESSION_TTL_SECONDS,
            )?,
            rate_limit_per_minute: number(
                names::RATE_LIMIT_PER_MINUTE,
                get(names::RATE_LIMIT_PER_MINUTE),
                DEFAULT_RATE_LIMIT_PER_MINUTE,
                1..=MAX_RATE_LIMIT_PER_MINUTE,
            )?,
            upstream_timeout_ms: number(
                names::UPSTREAM_TIMEOUT_MS,
                get(names::UPSTREAM_TIMEOUT_MS),
                DEFAULT_UPSTREAM_TIMEOUT_MS,
                MIN_UPSTREAM_TIMEOUT_MS..=MAX_UPSTREAM_TIMEOUT_MS,
            )?,
            sequentum_api_url,
        })
    }

    /// Idle time after which a session is forgotten, in milliseconds.
    pub fn session_ttl_ms(&self) -> u64 {
        u64::from(self.session_ttl_seconds) * 1000
    }
}

fn invalid(name: &'static str, value: &str, reason: &'static str) -> ConfigError {
    ConfigError {
        name,
        value: value.to_owned(),
        reason,
    }
}

/// Comma-separated list; empty items are skipped.
fn list(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim).filter(|s| !s.is_empty())
}

fn flag(name: &'static str, value: Option<String>, default: bool) -> Result<bool, ConfigError> {
    match value.as_deref() {
        None => Ok(default),
        Some("1" | "true" | "TRUE" | "True" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "FALSE" | "False" | "no" | "off") => Ok(false),
        Some(other) => Err(invalid(name, other, "expected true/false or 1/0")),
    }
}

fn number(
    name: &'static str,
    value: Option<String>,
    default: u32,
    range: std::ops::RangeInclusive<u32>,
) -> Result<u32, ConfigError> {
    let Some(value) = value else {
        return Ok(default);
    };
    let n: u32 = value
        .parse()
        .map_err(|_| invalid(name, &value, "expected a whole number"))?;
    if range.contains(&n) {
        Ok(n)
    } else {
        Err(invalid(name, &value, "out of the accepted range"))
    }
}

/// Splits `scheme://authority[/path]` and checks the parts we rely on.
/// Deliberately small: we only accept absolute http(s) URLs without
/// credentials, query or fragment (a full URL parser would ship to the edge).
fn split_http_url(name: &'static str, value: &str) -> Result<(usize, usize), ConfigError> {
    let scheme_end = if value.starts_with("https://") {
        8
    } else if value.starts_with("http://") {
        7
    } else {
        return Err(invalid(name, value, "expected an http:// or https:// URL"));
    };
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid(name, value, "URL contains whitespace"));
    }
    if value.contains(['?', '#']) {
        return Err(invalid(
            name,
            value,
            "URL must not have a query or fragment",
        ));
    }
    let rest = &value[scheme_end..];
    let authority_len = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_len];
    if authority.is_empty() || authority.contains('@') {
        return Err(invalid(name, value, "URL needs a host and no credentials"));
    }
    Ok((scheme_end, scheme_end + authority_len))
}

/// An absolute base URL; a trailing slash is dropped so paths can be appended.
fn base_url(name: &'static str, value: &str) -> Result<String, ConfigError> {
    split_http_url(name, value)?;
    Ok(value.trim_end_matches('/').to_owned())
}

/// An origin: scheme and authority only (a single trailing slash is tolerated).
fn origin(name: &'static str, value: &str) -> Result<String, ConfigError> {
    let trimmed = value.strip_suffix('/').unwrap_or(value);
    let (_, authority_end) = split_http_url(name, trimmed)?;
    if authority_end != trimmed.len() {
        return Err(invalid(name, value, "expected an origin without a path"));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_follow_the_design_card() {
        let c = parse(&[]).unwrap();
        assert_eq!(c.sequentum_api_url, "https://dashboard.sequentum.com");
        assert!(c.allowed_origins.is_empty());
        assert!(!c.debug);
        assert!(c.require_auth);
        assert_eq!(c.public_url, None);
        assert_eq!(c.jwt_jwks_url, None);
        assert_eq!(c.jwt_issuer, c.sequentum_api_url);
        assert_eq!(c.jwt_audience, None);
        assert_eq!(c.session_ttl_seconds, 3600);
        assert_eq!(c.session_ttl_ms(), 3_600_000);
        assert_eq!(c.rate_limit_per_minute, 100);
        assert_eq!(c.upstream_timeout_ms, 30_000);
    }

    #[test]
    fn empty_values_mean_unset() {
        let c = parse(&[(names::SESSION_TTL_SECONDS, "  "), (names::DEBUG, "")]).unwrap();
        assert_eq!(c.session_ttl_seconds, 3600);
        assert!(!c.debug);
    }

    #[test]
    fn values_are_parsed_and_normalised() {
        let c = parse(&[
            (names::SEQUENTUM_API_URL, "http://127.0.0.1:9999/"),
            (
                names::ALLOWED_ORIGINS,
                " https://a.example , https://b.example:8443/,",
            ),
            (names::DEBUG, "1"),
            (names::REQUIRE_AUTH, "false"),
            (names::PUBLIC_URL, "https://mcp.example.com/"),
            (names::JWT_AUDIENCE, "x, y"),
            (names::SESSION_TTL_SECONDS, "2"),
            (names::RATE_LIMIT_PER_MINUTE, "7"),
            (names::UPSTREAM_TIMEOUT_MS, "1500"),
        ])
        .unwrap();
        assert_eq!(c.sequentum_api_url, "http://127.0.0.1:9999");
        assert_eq!(c.jwt_issuer, "http://127.0.0.1:9999");
        assert_eq!(
            c.allowed_origins,
            ["https://a.example", "https://b.example:8443"]
        );
        assert!(c.debug);
        assert!(!c.require_auth);
        assert_eq!(c.public_url.as_deref(), Some("https://mcp.example.com"));
        assert_eq!(c.jwt_audience, Some(vec!["x".into(), "y".into()]));
        assert_eq!(c.session_ttl_ms(), 2000);
        assert_eq!(c.rate_limit_per_minute, 7);
        assert_eq!(c.upstream_timeout_ms, 1500);
    }

    #[test]
    fn bad_values_name_the_variable() {
        let cases: &[(&str, &str)] = &[
            (names::SESSION_TTL_SECONDS, "abc"),
            (names::SESSION_TTL_SECONDS, "0"),
            (names::SESSION_TTL_SECONDS, "-5"),
            (names::SESSION_TTL_SECONDS, "99999999999"),
            (names::RATE_LIMIT_PER_MINUTE, "0"),
            (names::UPSTREAM_TIMEOUT_MS, "5"),
            (names::DEBUG, "maybe"),
            (names::REQUIRE_AUTH, "nope"),
            (names::SEQUENTUM_API_URL, "dashboard.sequentum.com"),
            (names::SEQUENTUM_API_URL, "ftp://x"),
            (names::SEQUENTUM_API_URL, "https://user:pw@x"),
            (names::SEQUENTUM_API_URL, "https://x/?q=1"),
            (names::PUBLIC_URL, "https://mcp.example.com/mcp"),
            (names::ALLOWED_ORIGINS, "https://ok.example, *"),
            (names::JWT_JWKS_URL, "not a url"),
        ];
        for (name, value) in cases {
            let err = parse(&[(name, value)]).expect_err(value);
            assert_eq!(err.name, *name, "{value}");
            let text = err.to_string();
            assert!(text.contains(name), "{text}");
        }
    }
}
