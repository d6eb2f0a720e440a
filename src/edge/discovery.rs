//! OAuth discovery documents and the 401 challenge that points to them
//! (MCP 2025-11-25, basic/authorization; RFC 9728, RFC 8414, RFC 6750).
//!
//! The Sequentum dashboard is the authorization server; we are the protected
//! resource. A client that gets our 401 reads `resource_metadata` from the
//! challenge, fetches that document, and finds the authorization server there.

use serde_json::{json, Value};

use crate::config::Config;

pub const PRM_PATH: &str = "/.well-known/oauth-protected-resource";
pub const PRM_MCP_PATH: &str = "/.well-known/oauth-protected-resource/mcp";
pub const AS_METADATA_PATH: &str = "/.well-known/oauth-authorization-server";

/// The scopes Sequentum grants (spec/http.md §10).
pub const SCOPES: [&str; 5] = [
    "agents:read",
    "runs:read",
    "spaces:read",
    "agents:write",
    "offline_access",
];

/// Our canonical origin: `PUBLIC_URL` when set, else the origin the request
/// was made to (https behind Cloudflare; http on a local `wrangler dev`).
pub fn public_origin<'a>(config: &'a Config, request_origin: &'a str) -> &'a str {
    config.public_url.as_deref().unwrap_or(request_origin)
}

/// RFC 9728 protected-resource metadata for `resource`.
pub fn protected_resource(config: &Config, resource: &str) -> Value {
    json!({
        "resource": resource,
        "authorization_servers": [config.sequentum_api_url],
        "scopes_supported": SCOPES,
        "bearer_methods_supported": ["header"],
        "resource_name": "Sequentum MCP server",
    })
}

/// RFC 8414 metadata of the Sequentum authorization server, for clients that
/// look for it on the resource's origin (MCP 2025-03-26 did).
pub fn authorization_server(config: &Config) -> Value {
    let api = &config.sequentum_api_url;
    json!({
        "issuer": api,
        "authorization_endpoint": format!("{api}/api/oauth/authorize"),
        "token_endpoint": format!("{api}/api/oauth/token"),
        "registration_endpoint": format!("{api}/api/oauth/register"),
        "token_endpoint_auth_methods_supported": ["none"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "response_types_supported": ["code"],
        "scopes_supported": SCOPES,
        "code_challenge_methods_supported": ["S256"],
        "service_documentation": "https://docs.sequentum.com/api",
        "resource_indicators_supported": true,
        "client_id_metadata_document_supported": true,
    })
}

/// The metadata URL a 401 on `/mcp` points to.
pub fn metadata_url(origin: &str) -> String {
    format!("{origin}{PRM_MCP_PATH}")
}

/// Why a request was not authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Challenge {
    /// No usable credentials: tell the client where to get some.
    Missing,
    /// Credentials that we refuse (RFC 6750 §3.1 `invalid_token`). The
    /// description is ours and fixed: it never echoes the token.
    InvalidToken(&'static str),
}

/// The `WWW-Authenticate` value (RFC 6750 §3, RFC 9728 §5.1).
pub fn www_authenticate(challenge: Challenge, origin: &str) -> String {
    let common = format!(
        "resource_metadata=\"{}\", scope=\"{}\"",
        metadata_url(origin),
        SCOPES.join(" ")
    );
    match challenge {
        Challenge::Missing => format!("Bearer {common}"),
        Challenge::InvalidToken(why) => {
            format!("Bearer error=\"invalid_token\", error_description=\"{why}\", {common}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_origin_prefers_configuration() {
        let mut c = Config::default();
        assert_eq!(
            public_origin(&c, "http://127.0.0.1:8787"),
            "http://127.0.0.1:8787"
        );
        c.public_url = Some("https://mcp.sequentum.com".into());
        assert_eq!(
            public_origin(&c, "http://127.0.0.1:8787"),
            "https://mcp.sequentum.com"
        );
    }

    #[test]
    fn protected_resource_document() {
        let c = Config::default();
        let doc = protected_resource(&c, "https://mcp.example/mcp");
        assert_eq!(doc["resource"], "https://mcp.example/mcp");
        assert_eq!(
            doc["authorization_servers"],
            json!(["https://dashboard.sequentum.com"])
        );
        assert_eq!(doc["bearer_methods_supported"], json!(["header"]));
        assert_eq!(doc["scopes_supported"].as_array().unwrap().len(), 5);
    }

    #[test]
    fn authorization_server_document() {
        let c = Config {
            sequentum_api_url: "https://api.example.com".into(),
            ..Config::default()
        };
        let doc = authorization_server(&c);
        assert_eq!(doc["issuer"], "https://api.example.com");
        assert_eq!(
            doc["registration_endpoint"],
            "https://api.example.com/api/oauth/register"
        );
        assert_eq!(
            doc["token_endpoint"],
            "https://api.example.com/api/oauth/token"
        );
        assert_eq!(
            doc["authorization_endpoint"],
            "https://api.example.com/api/oauth/authorize"
        );
        assert_eq!(doc["code_challenge_methods_supported"], json!(["S256"]));
        assert_eq!(
            doc["token_endpoint_auth_methods_supported"],
            json!(["none"])
        );
        assert_eq!(
            doc["grant_types_supported"],
            json!(["authorization_code", "refresh_token"])
        );
        assert_eq!(doc["resource_indicators_supported"], true);
        assert_eq!(doc["client_id_metadata_document_supported"], true);
    }

    #[test]
    fn challenges() {
        let o = "https://mcp.example";
        assert_eq!(
            www_authenticate(Challenge::Missing, o),
            "Bearer resource_metadata=\"https://mcp.example/.well-known/oauth-protected-resource/mcp\", \
             scope=\"agents:read runs:read spaces:read agents:write offline_access\""
        );
        let invalid = www_authenticate(Challenge::InvalidToken("token expired"), o);
        assert!(invalid.starts_with("Bearer error=\"invalid_token\", error_description=\"token expired\", resource_metadata="), "{invalid}");
    }
}
