//! Plain HTTP values: what the platform shell decodes a request into and what
//! it encodes a reply from. No platform types here.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Post,
    Delete,
    Options,
    Other(String),
}

impl Method {
    pub fn parse(raw: &str) -> Self {
        match raw {
            "GET" => Self::Get,
            "HEAD" => Self::Head,
            "POST" => Self::Post,
            "DELETE" => Self::Delete,
            "OPTIONS" => Self::Options,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The method's name, as [`Method::parse`] read it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Get => "GET",
            Self::Head => "HEAD",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Other(other) => other,
        }
    }
}

/// A decoded request. Header names are lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    /// `scheme://host[:port]` the request was made to.
    pub base_url: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The platform refused to read a body over the size limit.
    pub body_oversized: bool,
}

impl HttpRequest {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            base_url: "http://localhost".to_owned(),
            path: path.into(),
            headers: Vec::new(),
            body: Vec::new(),
            body_oversized: false,
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    pub fn with_base_url(mut self, base_url: &str) -> Self {
        self.base_url = base_url.to_owned();
        self
    }

    /// First value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// `scheme://authority` of an absolute URL, as the runtime hands it over
/// (already normalised by the WHATWG URL parser: lower-case scheme and host,
/// default port dropped).
pub fn base_url(url: &str) -> &str {
    let Some(scheme_end) = url.find("://") else {
        return url;
    };
    let authority_start = scheme_end + 3;
    let end = url[authority_start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| authority_start + i);
    &url[..end]
}

/// A reply, ready for the platform shell to encode.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    /// When set, the body is this call's event stream, produced by the shell
    /// after the headers are sent (`body` is then empty).
    pub stream: Option<Box<StreamedCall>>,
}

use super::stream::StreamedCall;

pub const CONTENT_TYPE_JSON: &str = "application/json";

impl Reply {
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            stream: None,
        }
    }

    /// A JSON body from already-serialised bytes.
    pub fn json_bytes(status: u16, body: Vec<u8>) -> Self {
        Self::empty(status)
            .with_header("content-type", CONTENT_TYPE_JSON)
            .with_body(body)
    }

    pub fn json(status: u16, value: &impl Serialize) -> Self {
        Self::json_bytes(status, serde_json::to_vec(value).unwrap_or_default())
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn with_body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_round_trip() {
        for name in ["GET", "HEAD", "POST", "DELETE", "OPTIONS", "PATCH"] {
            assert_eq!(Method::parse(name).as_str(), name);
        }
    }

    #[test]
    fn base_url_is_scheme_and_authority() {
        for (url, base) in [
            ("https://mcp.example/mcp", "https://mcp.example"),
            ("http://127.0.0.1:8787/mcp?x=1", "http://127.0.0.1:8787"),
            ("https://mcp.example", "https://mcp.example"),
            ("https://mcp.example?q", "https://mcp.example"),
            ("http://[::1]:9/#f", "http://[::1]:9"),
        ] {
            assert_eq!(base_url(url), base, "{url}");
        }
    }
}
