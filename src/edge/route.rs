//! Routing: (method, path) → what to do, decided before any work is done.

use super::discovery::{AS_METADATA_PATH, PRM_MCP_PATH, PRM_PATH};
use super::http::Method;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `OPTIONS` on any path: a CORS preflight.
    Preflight,
    Health,
    /// RFC 9728 metadata for `/mcp` (`mcp: true`) or for the origin.
    ProtectedResource {
        mcp: bool,
    },
    /// RFC 8414 metadata of the Sequentum authorization server.
    AuthorizationServer,
    /// `POST /mcp`: one JSON-RPC message.
    McpMessage,
    /// `DELETE /mcp`: end a session (MCP 2025-11-25, basic/transports).
    McpTerminate,
    NotFound,
    MethodNotAllowed {
        allow: &'static str,
    },
}

pub const HEALTH_PATH: &str = "/health";
pub const MCP_PATH: &str = "/mcp";

/// `GET /mcp` opens a server-to-client SSE stream in the spec; we answer 405
/// until resumable streams exist, which the spec allows.
const MCP_ALLOW: &str = "POST, DELETE";
const READ_ALLOW: &str = "GET, HEAD";

pub fn route(method: &Method, path: &str) -> Route {
    let read = matches!(method, Method::Get | Method::Head);
    match (path, method) {
        (_, Method::Options) => Route::Preflight,
        (HEALTH_PATH, _) if read => Route::Health,
        (PRM_MCP_PATH, _) if read => Route::ProtectedResource { mcp: true },
        (PRM_PATH, _) if read => Route::ProtectedResource { mcp: false },
        (AS_METADATA_PATH, _) if read => Route::AuthorizationServer,
        (HEALTH_PATH | PRM_MCP_PATH | PRM_PATH | AS_METADATA_PATH, _) => {
            Route::MethodNotAllowed { allow: READ_ALLOW }
        }
        (MCP_PATH, Method::Post) => Route::McpMessage,
        (MCP_PATH, Method::Delete) => Route::McpTerminate,
        (MCP_PATH, _) => Route::MethodNotAllowed { allow: MCP_ALLOW },
        _ => Route::NotFound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_paths_and_methods() {
        assert_eq!(route(&Method::Get, "/health"), Route::Health);
        assert_eq!(route(&Method::Head, "/health"), Route::Health);
        assert_eq!(route(&Method::Post, "/mcp"), Route::McpMessage);
        assert_eq!(route(&Method::Delete, "/mcp"), Route::McpTerminate);
        assert_eq!(
            route(&Method::Get, "/.well-known/oauth-protected-resource/mcp"),
            Route::ProtectedResource { mcp: true }
        );
        assert_eq!(
            route(&Method::Head, "/.well-known/oauth-protected-resource"),
            Route::ProtectedResource { mcp: false }
        );
        assert_eq!(
            route(&Method::Get, "/.well-known/oauth-authorization-server"),
            Route::AuthorizationServer
        );
        for p in ["/mcp", "/health", "/anything"] {
            assert_eq!(route(&Method::Options, p), Route::Preflight, "{p}");
        }
    }

    #[test]
    fn wrong_methods_get_allow() {
        assert_eq!(
            route(&Method::Post, "/health"),
            Route::MethodNotAllowed { allow: "GET, HEAD" }
        );
        assert_eq!(
            route(&Method::Post, "/.well-known/oauth-authorization-server"),
            Route::MethodNotAllowed { allow: "GET, HEAD" }
        );
        for m in [Method::Get, Method::Head, Method::Other("PATCH".into())] {
            assert_eq!(
                route(&m, "/mcp"),
                Route::MethodNotAllowed {
                    allow: "POST, DELETE"
                }
            );
        }
    }

    #[test]
    fn everything_else_is_not_found() {
        for p in [
            "/",
            "",
            "/mcp/",
            "/MCP",
            "/health/x",
            "/mcp?x",
            "//mcp",
            "/.well-known/x",
            "/.well-known/oauth-protected-resource/",
            "/.well-known/oauth-protected-resource/other",
        ] {
            assert_eq!(route(&Method::Get, p), Route::NotFound, "{p}");
        }
    }
}
