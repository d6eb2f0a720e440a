//! One Sequentum API request as data: method, path, query, JSON body.
//! Catalog handlers build these; only the [`super::client`] sends them.
//!
//! Paths are assembled from typed values only: integers, and percent-encoded
//! segments for the agent-builder session ids, so no client string can add
//! a path segment (`"1/../admin"` never reaches a URL).

use serde_json::Value;

/// The methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Delete,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// A request relative to the API base URL.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiRequest {
    pub method: HttpMethod,
    /// Starts with `/api/v1/`; already percent-encoded.
    pub path: String,
    /// In order; values are raw and encoded by [`ApiRequest::path_and_query`].
    pub query: Vec<(&'static str, String)>,
    pub body: Option<Value>,
}

impl ApiRequest {
    pub fn new(method: HttpMethod, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
        }
    }

    pub fn get(path: impl Into<String>) -> Self {
        Self::new(HttpMethod::Get, path)
    }

    pub fn post(path: impl Into<String>) -> Self {
        Self::new(HttpMethod::Post, path)
    }

    pub fn put(path: impl Into<String>) -> Self {
        Self::new(HttpMethod::Put, path)
    }

    pub fn delete(path: impl Into<String>) -> Self {
        Self::new(HttpMethod::Delete, path)
    }

    /// Adds `name=value`.
    pub fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// Adds `name=value` when there is a value. Empty strings count as none:
    /// the API treats `?name=` as a filter for the empty name.
    pub fn query_opt<T: ToString>(self, name: &'static str, value: Option<T>) -> Self {
        match value.map(|v| v.to_string()).filter(|v| !v.is_empty()) {
            Some(v) => self.query(name, v),
            None => self,
        }
    }

    pub fn json(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// `path?query`, each name and value percent-encoded (RFC 3986 unreserved
    /// characters kept; a space is `%20`, which the API decodes as it does `+`).
    pub fn path_and_query(&self) -> String {
        let mut out = self.path.clone();
        for (i, (name, value)) in self.query.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(&percent_encode(name));
            out.push('=');
            out.push_str(&percent_encode(value));
        }
        out
    }

    /// `METHOD path?query`, as tests and docs show a request.
    pub fn line(&self) -> String {
        format!("{} {}", self.method.as_str(), self.path_and_query())
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so the
/// result is safe as a path segment or a query component.
pub fn percent_encode(raw: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 0xF)] as char);
        }
    }
    out
}

/// `raw` as one path segment, or `None` when no encoding can make it one:
/// URL parsers resolve `.` and `..` (and `%2e%2e`) as dot segments (WHATWG
/// URL, "double-dot path segment"), and an empty segment changes the route.
pub fn path_segment(raw: &str) -> Option<String> {
    match raw {
        "" | "." | ".." => None,
        _ => Some(percent_encode(raw)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_encoded_in_order_and_empty_values_are_dropped() {
        let r = ApiRequest::get("/api/v1/billing/agents")
            .query("startDate", "2024-01-01T00:00:00Z")
            .query_opt("name", Some("Test & Demo"))
            .query_opt("sortColumn", None::<&str>)
            .query_opt("usageTypes", Some("Server Time,Export GB"))
            .query_opt("search", Some(""))
            .query("pageIndex", 2);
        assert_eq!(
            r.line(),
            "GET /api/v1/billing/agents?startDate=2024-01-01T00%3A00%3A00Z\
             &name=Test%20%26%20Demo&usageTypes=Server%20Time%2CExport%20GB&pageIndex=2"
        );
    }

    #[test]
    fn percent_encoding_keeps_only_unreserved() {
        assert_eq!(percent_encode("sess/with/slashes"), "sess%2Fwith%2Fslashes");
        assert_eq!(percent_encode("../admin?x=1#f"), "..%2Fadmin%3Fx%3D1%23f");
        assert_eq!(percent_encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(percent_encode("é"), "%C3%A9");
    }

    #[test]
    fn dot_segments_cannot_be_path_segments() {
        for bad in ["", ".", ".."] {
            assert_eq!(path_segment(bad), None, "{bad:?}");
        }
        assert_eq!(path_segment("...").as_deref(), Some("..."));
        assert_eq!(path_segment("a/b").as_deref(), Some("a%2Fb"));
    }
}
