//! How a call authenticates to the Sequentum API (spec/api.md §1). The edge
//! decides it per request from the caller's credential; it lives for that
//! request only and is never stored.

/// The credential sent upstream as `Authorization`.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// No credential (only with `REQUIRE_AUTH=false`): no request is sent.
    None,
    /// An OAuth access token, passed through: `Bearer <token>`.
    Bearer(String),
    /// A Sequentum API key (`sk-…`): `ApiKey <key>`.
    ApiKey(String),
}

impl Auth {
    /// The `Authorization` header value, if there is a credential.
    pub fn header_value(&self) -> Option<String> {
        match self {
            Auth::None => None,
            Auth::Bearer(token) => Some(format!("Bearer {token}")),
            Auth::ApiKey(key) => Some(format!("ApiKey {key}")),
        }
    }
}

/// Never prints the secret (logs and panics may format a caller).
impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Auth::None => "None",
            Auth::Bearer(_) => "Bearer(<redacted>)",
            Auth::ApiKey(_) => "ApiKey(<redacted>)",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_and_redacted_debug() {
        assert_eq!(Auth::None.header_value(), None);
        assert_eq!(
            Auth::Bearer("t0k".into()).header_value().as_deref(),
            Some("Bearer t0k")
        );
        assert_eq!(
            Auth::ApiKey("sk-1".into()).header_value().as_deref(),
            Some("ApiKey sk-1")
        );
        let shown = format!(
            "{:?} {:?}",
            Auth::Bearer("t0k".into()),
            Auth::ApiKey("sk-1".into())
        );
        assert!(!shown.contains("t0k") && !shown.contains("sk-1"), "{shown}");
    }
}
