//! The MCP lifecycle: `initialize` and version negotiation
//! (MCP 2025-11-25, basic/lifecycle).

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::jsonrpc::{decode_params, ErrorObject};
use crate::session::record::{ClientInfo, SessionRecord};

/// Protocol versions served with sessions, newest first.
pub const SUPPORTED_VERSIONS: [&str; 3] = ["2025-11-25", "2025-06-18", "2025-03-26"];
pub const LATEST_VERSION: &str = SUPPORTED_VERSIONS[0];

pub const SERVER_NAME: &str = "sequentum-mcp";
pub const SERVER_TITLE: &str = "Sequentum";
pub const SERVER_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What the model reads once per session; our own wording.
pub const INSTRUCTIONS: &str = "Sequentum runs web-scraping agents in the cloud. \
Use this server to find agents, start and watch their runs, fetch the files they produce, \
and read usage and billing. Identify agents by numeric id; look one up by name first when the user gives a name.";

/// Negotiation (basic/lifecycle, "Version Negotiation"): echo a version we
/// support, otherwise answer with our latest and let the client decide.
pub fn negotiate(requested: &str) -> &'static str {
    SUPPORTED_VERSIONS
        .into_iter()
        .find(|v| *v == requested)
        .unwrap_or(LATEST_VERSION)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InitializeParams {
    protocol_version: String,
    #[serde(default)]
    capabilities: Map<String, Value>,
    client_info: ClientInfo,
}

/// The outcome of a valid `initialize`: the result to send and the record the
/// new session starts from.
#[derive(Debug, Clone, PartialEq)]
pub struct Initialized {
    pub result: Value,
    pub record: SessionRecord,
}

/// Handles `initialize` params.
pub fn initialize(
    params: Option<&Map<String, Value>>,
    now_ms: u64,
) -> Result<Initialized, ErrorObject> {
    let p: InitializeParams = decode_params("initialize", params)?;
    let version = negotiate(&p.protocol_version);
    let result = json!({
        "protocolVersion": version,
        // Only what we really serve. The lists are complete in one response
        // and never change during a session, hence listChanged: false.
        "capabilities": {
            "logging": {},
            "tools": { "listChanged": false },
            "resources": { "listChanged": false },
            "prompts": { "listChanged": false },
        },
        "serverInfo": { "name": SERVER_NAME, "title": SERVER_TITLE, "version": SERVER_VERSION },
        "instructions": INSTRUCTIONS,
    });
    let record = SessionRecord {
        protocol_version: version.to_owned(),
        client_info: p.client_info,
        client_capabilities: p.capabilities,
        initialized: false,
        log_level: None,
        created_at_ms: now_ms,
        last_seen_ms: now_ms,
    };
    Ok(Initialized { result, record })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn negotiation_echoes_supported_and_falls_back_to_latest() {
        for v in SUPPORTED_VERSIONS {
            assert_eq!(negotiate(v), v);
        }
        assert_eq!(negotiate("2024-11-05"), LATEST_VERSION);
        assert_eq!(negotiate("2099-01-01"), LATEST_VERSION);
        assert_eq!(negotiate(""), LATEST_VERSION);
    }

    #[test]
    fn initialize_builds_result_and_record() {
        let p = params(json!({
            "protocolVersion": "2025-06-18",
            "capabilities": {"roots": {}},
            "clientInfo": {"name": "c", "version": "2", "title": "C"}
        }));
        let out = initialize(Some(&p), 77).unwrap();
        assert_eq!(out.result["protocolVersion"], "2025-06-18");
        assert_eq!(out.result["serverInfo"]["name"], SERVER_NAME);
        assert_eq!(out.result["serverInfo"]["version"], SERVER_VERSION);
        assert!(out.result["instructions"].as_str().unwrap().len() > 20);
        assert_eq!(out.record.protocol_version, "2025-06-18");
        assert_eq!(out.record.client_info.title.as_deref(), Some("C"));
        assert!(out.record.client_capabilities.contains_key("roots"));
        assert_eq!(
            (out.record.created_at_ms, out.record.last_seen_ms),
            (77, 77)
        );
    }

    #[test]
    fn initialize_rejects_bad_params() {
        assert_eq!(initialize(None, 0).unwrap_err().code, -32602);
        let missing = params(json!({"protocolVersion": "2025-11-25", "capabilities": {}}));
        let err = initialize(Some(&missing), 0).unwrap_err();
        assert_eq!(err.code, -32602);
        assert!(err.message.contains("clientInfo"), "{}", err.message);
        let wrong = params(json!({"protocolVersion": 5, "clientInfo": {"name":"c","version":"1"}}));
        assert_eq!(initialize(Some(&wrong), 0).unwrap_err().code, -32602);
    }
}
