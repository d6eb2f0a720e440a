//! The MCP lifecycle: `initialize` and version negotiation
//! (MCP 2025-11-25, basic/lifecycle).

use rmcp::model::{
    Implementation, InitializeResult, PromptsCapability, ProtocolVersion, ResourcesCapability,
    ServerCapabilities, ToolsCapability,
};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::jsonrpc::{decode_params, ErrorObject};
use crate::catalog::policy::sufficiency_policy;
use crate::session::principal::Principal;
use crate::session::record::{ClientInfo, SessionRecord};

/// Protocol versions served with sessions, newest first. 2026-07-28 drops
/// `initialize` altogether and is not served yet.
pub const SUPPORTED_VERSIONS: [ProtocolVersion; 3] = [
    ProtocolVersion::V_2025_11_25,
    ProtocolVersion::V_2025_06_18,
    ProtocolVersion::V_2025_03_26,
];
pub const LATEST_VERSION: ProtocolVersion = ProtocolVersion::V_2025_11_25;

pub const SERVER_NAME: &str = "sequentum-mcp";
pub const SERVER_TITLE: &str = "Sequentum";
pub const SERVER_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What the model reads once per session; our own wording. Ends with the
/// sufficiency policy (spec/tools.md §4, 1.3.0).
pub const INSTRUCTIONS: &str = concat!(
    "Sequentum runs web-scraping agents in the cloud. \
Use this server to find agents, start and watch their runs, fetch the files they produce, \
diagnose failed runs, read usage and billing, and build new agents from a plain-language request. \
Identify agents by numeric id; look one up by name first when the user gives a name.\n\n",
    sufficiency_policy!()
);

/// Negotiation (basic/lifecycle, "Version Negotiation"): echo a version we
/// support, otherwise answer with our latest and let the client decide.
pub fn negotiate(requested: &str) -> ProtocolVersion {
    SUPPORTED_VERSIONS
        .into_iter()
        .find(|v| v.as_str() == requested)
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
    pub result: InitializeResult,
    pub record: SessionRecord,
}

/// Handles `initialize` params.
pub fn initialize(
    params: Option<&Map<String, Value>>,
    principal: Principal,
    now_ms: u64,
) -> Result<Initialized, ErrorObject> {
    let p: InitializeParams = decode_params("initialize", params)?;
    let version = negotiate(&p.protocol_version);
    let result = InitializeResult::new(capabilities())
        .with_protocol_version(version.clone())
        .with_server_info(Implementation::new(SERVER_NAME, SERVER_VERSION).with_title(SERVER_TITLE))
        .with_instructions(INSTRUCTIONS);
    let record = SessionRecord {
        protocol_version: version.as_str().to_owned(),
        principal,
        client_info: p.client_info,
        client_capabilities: p.capabilities,
        initialized: false,
        log_level: None,
        created_at_ms: now_ms,
        last_seen_ms: now_ms,
    };
    Ok(Initialized { result, record })
}

/// Only what we really serve. The lists are complete in one response and
/// never change during a session, hence `listChanged: false`.
fn capabilities() -> ServerCapabilities {
    let mut tools = ToolsCapability::default();
    tools.list_changed = Some(false);
    let mut resources = ResourcesCapability::default();
    resources.list_changed = Some(false);
    let mut prompts = PromptsCapability::default();
    prompts.list_changed = Some(false);
    let mut caps = ServerCapabilities::default();
    caps.logging = Some(Map::new());
    // server/utilities/completion: prompt arguments and template variables.
    caps.completions = Some(Map::new());
    caps.tools = Some(tools);
    caps.resources = Some(resources);
    caps.prompts = Some(prompts);
    caps
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn negotiation_echoes_supported_and_falls_back_to_latest() {
        for v in SUPPORTED_VERSIONS {
            assert_eq!(negotiate(v.as_str()), v);
        }
        assert_eq!(SUPPORTED_VERSIONS[0], LATEST_VERSION);
        // Newer than we serve: answer with ours and let the client decide.
        assert_eq!(negotiate("2026-07-28"), LATEST_VERSION);
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
        let out = initialize(Some(&p), Principal::api_key("sk-1"), 77).unwrap();
        let result = serde_json::to_value(&out.result).unwrap();
        assert_eq!(result["protocolVersion"], "2025-06-18");
        assert_eq!(
            result["serverInfo"],
            json!({"name": SERVER_NAME, "title": SERVER_TITLE, "version": SERVER_VERSION})
        );
        // The overview, then the sufficiency policy (1.3.0).
        let instructions = result["instructions"].as_str().unwrap();
        assert_eq!(instructions, INSTRUCTIONS);
        assert!(instructions.starts_with("Sequentum runs web-scraping agents"));
        assert!(instructions.ends_with(crate::catalog::policy::SUFFICIENCY_POLICY));
        // Exactly the capabilities we serve: no subscriptions.
        assert_eq!(
            result["capabilities"],
            json!({
                "logging": {},
                "completions": {},
                "tools": {"listChanged": false},
                "resources": {"listChanged": false},
                "prompts": {"listChanged": false},
            })
        );
        assert_eq!(out.record.protocol_version, "2025-06-18");
        assert_eq!(out.record.principal, Principal::api_key("sk-1"));
        assert_eq!(out.record.client_info.title.as_deref(), Some("C"));
        assert!(out.record.client_capabilities.contains_key("roots"));
        assert_eq!(
            (out.record.created_at_ms, out.record.last_seen_ms),
            (77, 77)
        );
    }

    #[test]
    fn initialize_rejects_bad_params() {
        assert_eq!(
            initialize(None, Principal::anonymous(), 0)
                .unwrap_err()
                .code,
            -32602
        );
        let missing = params(json!({"protocolVersion": "2025-11-25", "capabilities": {}}));
        let err = initialize(Some(&missing), Principal::anonymous(), 0).unwrap_err();
        assert_eq!(err.code, -32602);
        assert!(err.message.contains("clientInfo"), "{}", err.message);
        let wrong = params(json!({"protocolVersion": 5, "clientInfo": {"name":"c","version":"1"}}));
        assert_eq!(
            initialize(Some(&wrong), Principal::anonymous(), 0)
                .unwrap_err()
                .code,
            -32602
        );
    }
}
