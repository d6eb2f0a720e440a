//! Routing: (method, path) → what to do, decided before any work is done.

use super::http::Method;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Health,
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
const HEALTH_ALLOW: &str = "GET, HEAD";

pub fn route(method: &Method, path: &str) -> Route {
    match (path, method) {
        (HEALTH_PATH, Method::Get | Method::Head) => Route::Health,
        (HEALTH_PATH, _) => Route::MethodNotAllowed {
            allow: HEALTH_ALLOW,
        },
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
    }

    #[test]
    fn wrong_methods_get_allow() {
        assert_eq!(
            route(&Method::Post, "/health"),
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
        ] {
            assert_eq!(route(&Method::Get, p), Route::NotFound, "{p}");
        }
    }
}
