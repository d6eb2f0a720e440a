//! The typed Sequentum API client (spec/api.md): resolves a request against
//! the base URL, adds the caller's credential, sends it with a per-attempt
//! timeout, retries what [`retry::decide`] allows, and turns the answer into
//! a body or an [`ApiError`].

use serde_json::Value;

use super::auth::Auth;
use super::error;
use super::request::{ApiRequest, HttpMethod};
use super::retry::{self, Attempt, Decision, RetryPolicy, State};
use super::transport::{HttpAnswer, HttpCall, Transport, TransportError};

/// A successful answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiBody {
    /// 2xx with no body (204, or an empty 200).
    Empty,
    /// 2xx with a JSON body.
    Json(Value),
    /// 2xx with another content type (a synchronous run's scraped data).
    Text(String),
    /// 3xx: where the API sends the caller (a file's download link).
    Redirect(String),
}

/// Why a request failed. Rendered for people by the catalog; carries no URL,
/// header or credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("no credential to call the Sequentum API with")]
    NoCredentials,
    /// The API answered with an error status.
    #[error("HTTP {status}")]
    Status {
        status: u16,
        /// From the error body (spec/api.md §4), if it said anything useful.
        message: Option<String>,
        /// `Retry-After` in whole seconds (429/503).
        retry_after_secs: Option<u64>,
    },
    /// No answer within the per-attempt timeout (after any retries).
    #[error("no answer within {timeout_ms} ms")]
    Timeout { timeout_ms: u64 },
    #[error("the Sequentum API could not be reached")]
    Network,
    #[error("answer larger than {0} bytes")]
    TooLarge(usize),
    /// A 2xx whose JSON body does not parse.
    #[error("the Sequentum API sent malformed JSON")]
    MalformedJson,
}

/// Client settings that come from configuration.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    /// `SEQUENTUM_API_URL`, without a trailing `/`.
    pub base_url: &'a str,
    /// `UPSTREAM_TIMEOUT_MS`.
    pub timeout_ms: u64,
    pub retry: RetryPolicy,
}

impl<'a> Settings<'a> {
    /// The configured base URL and timeout, with the default retry policy.
    pub fn new(base_url: &'a str, timeout_ms: u64) -> Self {
        Self {
            base_url,
            timeout_ms,
            retry: RetryPolicy::default(),
        }
    }
}

/// A client for one caller: it lives for one MCP request.
#[derive(Debug)]
pub struct Client<'a, T> {
    transport: &'a T,
    settings: Settings<'a>,
    auth: &'a Auth,
}

impl<'a, T: Transport> Client<'a, T> {
    pub fn new(transport: &'a T, settings: Settings<'a>, auth: &'a Auth) -> Self {
        Self {
            transport,
            settings,
            auth,
        }
    }

    pub fn transport(&self) -> &'a T {
        self.transport
    }

    /// This client for someone waiting on every keystroke (completions):
    /// one attempt, no retry, at most `timeout_ms`.
    #[must_use]
    pub fn single_attempt(mut self, timeout_ms: u64) -> Self {
        self.settings.retry.max_attempts = 1;
        self.settings.timeout_ms = self.settings.timeout_ms.min(timeout_ms);
        self
    }

    /// Sends `request`, retrying as the policy allows.
    pub async fn send(&self, request: &ApiRequest) -> Result<ApiBody, ApiError> {
        let authorization = self.auth.header_value().ok_or(ApiError::NoCredentials)?;
        let mut call = HttpCall {
            method: request.method,
            url: format!(
                "{}{}",
                self.settings.base_url.trim_end_matches('/'),
                request.path_and_query()
            ),
            authorization,
            body: request
                .body
                .as_ref()
                .map(|b| serde_json::to_vec(b).unwrap_or_default()),
            timeout_ms: self.settings.timeout_ms,
        };
        let started = self.transport.now_ms();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let result = self.transport.send(&call).await;
            let attempt = match &result {
                Ok(answer) if answer.status < 400 => return finish(answer),
                Ok(answer) => Attempt::Status {
                    status: answer.status,
                    retry_after: answer.retry_after.as_deref(),
                },
                Err(TransportError::Timeout) => Attempt::Timeout,
                Err(_) => Attempt::Network,
            };
            let now_ms = self.transport.now_ms();
            let state = State {
                is_post: request.method == HttpMethod::Post,
                attempts,
                elapsed_ms: now_ms.saturating_sub(started),
                now_ms,
                attempt_timeout_ms: self.settings.timeout_ms,
                jitter: self.transport.jitter(),
            };
            match retry::decide(&self.settings.retry, &state, attempt) {
                Decision::Retry {
                    after_ms,
                    timeout_ms,
                } => {
                    self.transport.sleep(after_ms).await;
                    call.timeout_ms = timeout_ms;
                }
                Decision::GiveUp => return Err(failure(result, call.timeout_ms, now_ms)),
            }
        }
    }
}

/// A 2xx or 3xx answer as a body.
fn finish(answer: &HttpAnswer) -> Result<ApiBody, ApiError> {
    if (300..400).contains(&answer.status) {
        return match &answer.location {
            Some(location) => Ok(ApiBody::Redirect(location.clone())),
            None => Err(ApiError::Status {
                status: answer.status,
                message: Some("redirect without a Location".into()),
                retry_after_secs: None,
            }),
        };
    }
    if answer.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(ApiBody::Empty);
    }
    let is_json = answer
        .content_type
        .as_deref()
        .is_some_and(|t| t.to_ascii_lowercase().contains("json"));
    if is_json {
        serde_json::from_slice(&answer.body)
            .map(ApiBody::Json)
            .map_err(|_| ApiError::MalformedJson)
    } else {
        Ok(ApiBody::Text(
            String::from_utf8_lossy(&answer.body).into_owned(),
        ))
    }
}

/// The error for the last attempt.
fn failure(result: Result<HttpAnswer, TransportError>, timeout_ms: u64, now_ms: u64) -> ApiError {
    match result {
        Ok(answer) => ApiError::Status {
            status: answer.status,
            message: error::message(&answer.body),
            retry_after_secs: answer
                .retry_after
                .as_deref()
                .and_then(|v| retry::retry_after_ms(v, now_ms))
                .map(|ms| ms.div_ceil(1000)),
        },
        Err(TransportError::Timeout) => ApiError::Timeout { timeout_ms },
        Err(TransportError::TooLarge(n)) => ApiError::TooLarge(n),
        Err(TransportError::Network(_)) => ApiError::Network,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::sequentum::fake::{self, block_on, FakeTransport};

    const SETTINGS: Settings<'static> = Settings {
        base_url: "https://api.example.com/",
        timeout_ms: 10_000,
        retry: RetryPolicy {
            max_attempts: 4,
            base_delay_ms: 500,
            max_delay_ms: 8_000,
            budget_ms: 45_000,
            min_attempt_ms: 2_000,
        },
    };

    fn send(t: &FakeTransport, auth: &Auth, r: &ApiRequest) -> Result<ApiBody, ApiError> {
        block_on(Client::new(t, SETTINGS, auth).send(r))
    }

    fn key() -> Auth {
        Auth::ApiKey("sk-test".into())
    }

    #[test]
    fn builds_the_url_and_sends_the_credential_and_body() {
        let t = FakeTransport::default();
        t.push(Ok(fake::json(200, &json!({"id": 7}))));
        let r = ApiRequest::post("/api/v1/agent/7/start")
            .query("x", "a b")
            .json(json!({"Timeout": 60}));
        assert_eq!(send(&t, &key(), &r), Ok(ApiBody::Json(json!({"id": 7}))));
        let call = &t.calls()[0];
        assert_eq!(
            call.url,
            "https://api.example.com/api/v1/agent/7/start?x=a%20b"
        );
        assert_eq!(call.authorization, "ApiKey sk-test");
        assert_eq!(call.body.as_deref(), Some(&br#"{"Timeout":60}"#[..]));
        assert_eq!(call.timeout_ms, 10_000);
        assert!(!format!("{call:?}").contains("sk-test"));
    }

    #[test]
    fn no_credential_means_no_request() {
        let t = FakeTransport::default();
        let r = ApiRequest::get("/api/v1/spaces");
        assert_eq!(send(&t, &Auth::None, &r), Err(ApiError::NoCredentials));
        assert!(t.calls().is_empty());
    }

    #[test]
    fn bodies_by_content_type_and_redirects() {
        let t = FakeTransport::default();
        let text = HttpAnswer {
            status: 200,
            content_type: Some("text/csv".into()),
            body: b"a,b\n1,2".to_vec(),
            ..HttpAnswer::default()
        };
        let redirect = HttpAnswer {
            status: 302,
            location: Some("https://storage.example.com/f.csv?sig=1".into()),
            ..HttpAnswer::default()
        };
        let bad_json = HttpAnswer {
            status: 200,
            content_type: Some("application/json".into()),
            body: b"{nope".to_vec(),
            ..HttpAnswer::default()
        };
        t.push(Ok(text))
            .push(Ok(fake::status(204)))
            .push(Ok(redirect))
            .push(Ok(bad_json))
            .push(Ok(fake::status(302)));
        let r = ApiRequest::get("/x");
        assert_eq!(send(&t, &key(), &r), Ok(ApiBody::Text("a,b\n1,2".into())));
        assert_eq!(send(&t, &key(), &r), Ok(ApiBody::Empty));
        assert_eq!(
            send(&t, &key(), &r),
            Ok(ApiBody::Redirect(
                "https://storage.example.com/f.csv?sig=1".into()
            ))
        );
        assert_eq!(send(&t, &key(), &r), Err(ApiError::MalformedJson));
        assert!(matches!(
            send(&t, &key(), &r),
            Err(ApiError::Status { status: 302, .. })
        ));
    }

    #[test]
    fn get_retries_429_with_retry_after_then_succeeds() {
        let t = FakeTransport::default();
        let limited = HttpAnswer {
            retry_after: Some("2".into()),
            ..fake::status(429)
        };
        t.push(Ok(limited))
            .push(Ok(fake::status(503)))
            .push(Ok(fake::json(200, &json!([]))));
        let r = ApiRequest::get("/api/v1/spaces");
        assert_eq!(send(&t, &key(), &r), Ok(ApiBody::Json(json!([]))));
        assert_eq!(t.calls().len(), 3);
        // Retry-After first, then exponential backoff (500 ms × 2 × jitter 1.0).
        assert_eq!(t.sleeps(), vec![2_000, 1_000]);
    }

    #[test]
    fn post_is_never_retried() {
        for answer in [
            Ok(fake::status(503)),
            Ok(fake::status(429)),
            Err(TransportError::Timeout),
        ] {
            let t = FakeTransport::default();
            t.push(answer).push(Ok(fake::status(200)));
            let r = ApiRequest::post("/api/v1/agent/1/start");
            assert!(send(&t, &key(), &r).is_err());
            assert_eq!(t.calls().len(), 1);
            assert!(t.sleeps().is_empty());
        }
    }

    #[test]
    fn gives_up_after_the_attempts_with_the_last_answer() {
        let t = FakeTransport::default();
        for i in 0..4 {
            t.push(Ok(fake::json(
                502,
                &json!({"message": format!("bad gateway {i}")}),
            )));
        }
        let r = ApiRequest::delete("/api/v1/agent/1/run/2");
        assert_eq!(
            send(&t, &key(), &r),
            Err(ApiError::Status {
                status: 502,
                message: Some("bad gateway 3".into()),
                retry_after_secs: None,
            })
        );
        assert_eq!(t.calls().len(), 4);
    }

    #[test]
    fn timeouts_are_retried_within_the_budget() {
        let t = FakeTransport::default();
        for _ in 0..4 {
            t.push(Err(TransportError::Timeout));
        }
        let r = ApiRequest::get("/api/v1/spaces");
        let Err(ApiError::Timeout { timeout_ms }) = send(&t, &key(), &r) else {
            panic!("expected a timeout")
        };
        let calls = t.calls();
        // 10 s, then what the 45 s budget leaves after the waits.
        assert_eq!(calls[0].timeout_ms, 10_000);
        assert!(calls.len() >= 3, "{}", calls.len());
        assert!(calls.iter().all(|c| c.timeout_ms >= 2_000));
        assert_eq!(timeout_ms, calls.last().map(|c| c.timeout_ms).unwrap_or(0));
        let spent: u64 =
            calls.iter().map(|c| c.timeout_ms).sum::<u64>() + t.sleeps().iter().sum::<u64>();
        assert!(spent <= 45_000, "{spent}");
    }

    #[test]
    fn errors_carry_the_parsed_message_and_retry_hint_never_retried_statuses() {
        for status in [400, 401, 403, 404, 409, 500] {
            let t = FakeTransport::default();
            t.push(Ok(fake::json(
                status,
                &json!({"title": "Nope", "detail": "gone"}),
            )));
            let r = ApiRequest::get("/api/v1/agent/1");
            assert_eq!(
                send(&t, &key(), &r),
                Err(ApiError::Status {
                    status,
                    message: Some("Nope: gone".into()),
                    retry_after_secs: None
                })
            );
            assert_eq!(t.calls().len(), 1, "{status} must not be retried");
        }
        // A 429 asking for longer than we wait is given up at once, with the hint.
        let t = FakeTransport::default();
        t.push(Ok(HttpAnswer {
            retry_after: Some("120".into()),
            ..fake::status(429)
        }));
        assert_eq!(
            send(&t, &key(), &ApiRequest::get("/x")),
            Err(ApiError::Status {
                status: 429,
                message: None,
                retry_after_secs: Some(120)
            })
        );
        let t = FakeTransport::default();
        t.push(Err(TransportError::Network("refused".into())))
            .push(Ok(fake::status(200)));
        assert_eq!(
            send(&t, &key(), &ApiRequest::get("/x")),
            Err(ApiError::Network)
        );
        assert_eq!(t.calls().len(), 1);
    }
}
