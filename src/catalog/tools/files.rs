//! File management: a run's output files and a file's download link
//! (spec/tools.md §3.3).

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::params::Id;
use super::{expect_json, passthrough_as, Category, Effect, Output, Tool, ToolError, ToolSpec};
use crate::sequentum::{ApiBody, ApiRequest};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetRunFiles {
    pub agent_id: Id,
    pub run_id: Id,
}

impl Tool for GetRunFiles {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_run_files",
        title: "Get Run Files",
        description: "The output files a run produced (CSV, JSON, Excel, …): id, name, type, \
            size and creation time. Use a file's id with get_file_download_url to fetch it.",
        category: Category::Files,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::get(format!(
            "/api/v1/agent/{}/run/{}/files",
            self.agent_id, self.run_id
        )))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        let files = match body {
            ApiBody::Empty => Vec::new(),
            other => match expect_json(other)? {
                Value::Array(files) => files,
                _ => {
                    return Err(ToolError::UnexpectedAnswer(
                        "the run's file list is not an array".into(),
                    ))
                }
            },
        };
        Ok(Output::keyed(
            "files",
            files.iter().map(file_summary).collect(),
        ))
    }
}

/// The fields of a file worth showing, plus its size in words.
fn file_summary(file: &Value) -> Value {
    let field = |k: &str| file.get(k).cloned().unwrap_or(Value::Null);
    let mut s = Map::new();
    for key in ["id", "name", "fileType", "fileSize"] {
        s.insert(key.into(), field(key));
    }
    let size = file
        .get("fileSize")
        .and_then(Value::as_f64)
        .map_or(Value::Null, |bytes| {
            human_size(bytes).map_or(Value::Null, Value::from)
        });
    s.insert("size".into(), size);
    s.insert("created".into(), field("created"));
    Value::Object(s)
}

/// `512 B`, `1.0 KB`, `2.5 MB`, … (binary multiples, one decimal);
/// `None` for a negative or non-finite count.
pub(super) fn human_size(bytes: f64) -> Option<String> {
    if !bytes.is_finite() || bytes < 0.0 {
        return None;
    }
    if bytes < 1024.0 {
        return Some(format!("{bytes:.0} B"));
    }
    let mut value = bytes / 1024.0;
    for unit in ["KB", "MB", "GB"] {
        // Rounded to one decimal, 1023.96 KB would read "1024.0 KB".
        if value < 1023.95 {
            return Some(format!("{value:.1} {unit}"));
        }
        value /= 1024.0;
    }
    Some(format!("{value:.1} TB"))
}

/// A list answer under `key`; an empty answer is an empty list.
pub(super) fn list_as(body: ApiBody, key: &str) -> Result<Output, ToolError> {
    match body {
        ApiBody::Empty => Ok(Output::keyed(key, Value::Array(Vec::new()))),
        other => passthrough_as(other, key),
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetFileDownloadUrl {
    pub agent_id: Id,
    pub run_id: Id,
    /// A file id from get_run_files.
    pub file_id: Id,
}

impl Tool for GetFileDownloadUrl {
    const SPEC: ToolSpec = ToolSpec {
        name: "get_file_download_url",
        title: "Get File Download URL",
        description: "A short-lived link to download one output file of a run (ids from \
            get_run_files). The link needs no credential and expires soon: hand it to the user \
            or fetch it right away rather than storing it.",
        category: Category::Files,
        effect: Effect::Read,
    };

    fn request(&self, _now: i64) -> Result<ApiRequest, ToolError> {
        Ok(ApiRequest::get(format!(
            "/api/v1/agent/{}/run/{}/file/{}/download",
            self.agent_id, self.run_id, self.file_id
        )))
    }

    fn render(self, body: ApiBody) -> Result<Output, ToolError> {
        let url = match body {
            ApiBody::Redirect(url) => Some(url),
            // Some deployments answer the link as JSON instead of redirecting.
            ApiBody::Json(Value::Object(answer)) => ["url", "downloadUrl", "redirectUrl"]
                .iter()
                .find_map(|k| answer.get(*k).and_then(Value::as_str).map(str::to_owned)),
            _ => None,
        };
        match url.filter(|u| is_absolute_http(u)) {
            Some(url) => Ok(Output::object(json!({
                "fileId": self.file_id.get(),
                "downloadUrl": url,
                "expiresSoon": true,
            }))),
            None => Err(ToolError::UnexpectedAnswer(
                "the Sequentum API did not answer with a download link".into(),
            )),
        }
    }
}

/// An `http(s)://` URL: a relative or other-scheme link is no use to a caller.
fn is_absolute_http(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("https://") && url.len() > 8)
        || (lower.starts_with("http://") && url.len() > 7)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_file_manager() {
        let cases = [
            (0.0, "0 B"),
            (512.0, "512 B"),
            (1023.0, "1023 B"),
            (1024.0, "1.0 KB"),
            (1536.0, "1.5 KB"),
            (1_048_575.0, "1.0 MB"),
            (5.5 * 1024.0 * 1024.0, "5.5 MB"),
            (3.0 * 1024.0 * 1024.0 * 1024.0, "3.0 GB"),
            (2048.0 * 1024.0 * 1024.0 * 1024.0, "2.0 TB"),
        ];
        for (bytes, want) in cases {
            assert_eq!(human_size(bytes).as_deref(), Some(want), "{bytes}");
        }
        assert_eq!(human_size(-1.0), None);
        assert_eq!(human_size(f64::NAN), None);
    }

    #[test]
    fn only_absolute_http_links_are_links() {
        for ok in ["https://s.example.com/f.csv?sig=1", "HTTP://x"] {
            assert!(is_absolute_http(ok), "{ok}");
        }
        for bad in [
            "/api/v1/file",
            "https://",
            "ftp://x",
            "javascript:alert(1)",
            "",
        ] {
            assert!(!is_absolute_http(bad), "{bad}");
        }
    }
}
