//! Host test support: an in-memory platform that runs the same session logic
//! the Durable Object runs, with an injected clock and deterministic ids.

#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use sequentum_mcp::config::Config;
use sequentum_mcp::edge::access_log::Trace;
use sequentum_mcp::edge::app;
use sequentum_mcp::edge::http::{HttpRequest, Method, Reply};
use sequentum_mcp::edge::jwt::JwksCache;
use sequentum_mcp::edge::rate::{self, Verdict, Window};
use sequentum_mcp::platform::{Platform, PlatformError};
use sequentum_mcp::sequentum::fake::FakeTransport;
use sequentum_mcp::sequentum::{HttpAnswer, HttpCall, Transport, TransportError};
use sequentum_mcp::session::id::{SessionId, ID_BYTES};
use sequentum_mcp::session::object::{apply, Effect};
use sequentum_mcp::session::record::{on_alarm, AlarmVerdict, SessionRecord};
use sequentum_mcp::session::wire::{self, SessionCall};

pub use sequentum_mcp::sequentum::fake::block_on;

#[derive(Default)]
pub struct FakePlatform {
    pub now: Cell<u64>,
    pub ttl_ms: u64,
    next_id: Cell<u8>,
    /// Stored record and armed alarm per session, as a Durable Object keeps them.
    pub objects: RefCell<HashMap<SessionId, (SessionRecord, u64)>>,
    pub calls: Cell<usize>,
    pub fail_sessions: Cell<bool>,
    pub config: RefCell<Config>,
    /// The shared rate-limit windows, as the limiter objects keep them.
    pub windows: RefCell<HashMap<String, Window>>,
    pub fail_rate_limiter: Cell<bool>,
    pub last_trace: RefCell<Trace>,
    /// What any GET answers (the JWKS endpoint); `None`: unreachable.
    pub web: RefCell<Option<Vec<u8>>>,
    pub gets: RefCell<Vec<String>>,
    pub jwks_cache: RefCell<JwksCache>,
    /// The Sequentum API: scripted answers, and every call it received.
    pub upstream: FakeTransport,
    pub sleeps: RefCell<Vec<u64>>,
    /// Events per streamed reply, in order.
    pub streamed: RefCell<Vec<usize>>,
}

impl FakePlatform {
    pub fn new(ttl_ms: u64) -> Self {
        Self {
            ttl_ms,
            now: Cell::new(1_700_000_000_000),
            ..Self::default()
        }
    }

    pub fn advance(&self, ms: u64) {
        self.now.set(self.now.get() + ms);
    }

    /// Fires every alarm that is due, as the runtime would.
    pub fn run_alarms(&self) {
        let now = self.now.get();
        let mut objects = self.objects.borrow_mut();
        let due: Vec<SessionId> = objects
            .iter()
            .filter(|(_, (_, at))| *at <= now)
            .map(|(id, _)| id.clone())
            .collect();
        for id in due {
            let (record, _) = objects[&id].clone();
            match on_alarm(Some(&record), now, self.ttl_ms) {
                AlarmVerdict::Expire => {
                    objects.remove(&id);
                }
                AlarmVerdict::Reschedule { at_ms } => {
                    objects.get_mut(&id).expect("present").1 = at_ms;
                }
            }
        }
    }

    pub fn send(&self, req: HttpRequest) -> Reply {
        let config = self.config.borrow().clone();
        let (mut reply, trace) = block_on(app::handle(&req, &config, self));
        // What the shell does: stream the call's events as the body.
        if let Some(call) = reply.stream.take() {
            let events = RefCell::new(Vec::new());
            block_on(call.run(self, &|event| events.borrow_mut().push(event)));
            self.streamed.borrow_mut().push(events.borrow().len());
            reply.body = events.into_inner().concat();
        }
        *self.last_trace.borrow_mut() = trace;
        reply
    }

    /// Sends an `initialize` request and returns the new session's id.
    pub fn open_session(&self, req: HttpRequest) -> String {
        let reply = self.send(req);
        assert_eq!(
            reply.status,
            200,
            "initialize: {}",
            String::from_utf8_lossy(&reply.body)
        );
        reply
            .header("mcp-session-id")
            .expect("initialize answers a session id")
            .to_owned()
    }

    pub fn configure(&self, change: impl FnOnce(&mut Config)) {
        change(&mut self.config.borrow_mut());
    }
}

/// The Sequentum API as the fake sees it: `upstream` answers (queue, then
/// route); sleeps move the platform clock.
impl Transport for FakePlatform {
    async fn send(&self, call: &HttpCall) -> Result<HttpAnswer, TransportError> {
        let answer = self.upstream.send(call).await;
        if answer == Err(TransportError::Timeout) {
            self.advance(call.timeout_ms);
        }
        answer
    }

    async fn sleep(&self, ms: u64) {
        self.sleeps.borrow_mut().push(ms);
        self.advance(ms);
    }

    fn now_ms(&self) -> u64 {
        self.now.get()
    }

    fn jitter(&self) -> f64 {
        0.5
    }
}

impl Platform for FakePlatform {
    type Upstream = Self;

    fn upstream(&self) -> &Self {
        self
    }

    fn now_ms(&self) -> u64 {
        self.now.get()
    }

    fn random_id_bytes(&self) -> Result<[u8; ID_BYTES], PlatformError> {
        self.next_id.set(self.next_id.get().wrapping_add(1));
        Ok([self.next_id.get(); ID_BYTES])
    }

    async fn session(
        &self,
        id: &SessionId,
        call: SessionCall<'_>,
    ) -> Result<wire::Reply, PlatformError> {
        self.calls.set(self.calls.get() + 1);
        if self.fail_sessions.get() {
            return Err(PlatformError::Session("injected failure".into()));
        }
        // Through the wire encoding, exactly as the Worker and the object talk.
        let (path, body) = wire::encode_call(call);
        let op =
            wire::decode_call(&path, &body).map_err(|e| PlatformError::Session(e.to_string()))?;
        let stored = self.objects.borrow().get(id).map(|(r, _)| r.clone());
        let (answer, effect) = apply(op, stored, self.now.get(), self.ttl_ms);
        match effect {
            Effect::Nothing => {}
            Effect::Store {
                record,
                alarm_at_ms,
            } => {
                self.objects
                    .borrow_mut()
                    .insert(id.clone(), (record, alarm_at_ms));
            }
            Effect::Erase => {
                self.objects.borrow_mut().remove(id);
            }
        }
        let (status, body) = wire::encode_answer(&answer);
        wire::decode_answer(status, body).map_err(|e| PlatformError::Session(e.to_string()))
    }

    async fn rate_limit(&self, key: &str, limit: u32) -> Result<Verdict, PlatformError> {
        if self.fail_rate_limiter.get() {
            return Err(PlatformError::RateLimiter("injected failure".into()));
        }
        let mut windows = self.windows.borrow_mut();
        let (verdict, window) = rate::admit(windows.get(key).copied(), self.now.get(), limit);
        windows.insert(key.to_owned(), window);
        Ok(verdict)
    }

    async fn get(&self, url: &str, max_bytes: usize) -> Result<Vec<u8>, PlatformError> {
        self.gets.borrow_mut().push(url.to_owned());
        match &*self.web.borrow() {
            Some(body) if body.len() <= max_bytes => Ok(body.clone()),
            Some(_) => Err(PlatformError::Fetch("too large".into())),
            None => Err(PlatformError::Fetch("unreachable".into())),
        }
    }

    fn with_jwks_cache<R>(&self, f: impl FnOnce(&mut JwksCache) -> R) -> R {
        f(&mut self.jwks_cache.borrow_mut())
    }
}

/// The bearer token the request helpers send (an opaque token: no JWKS).
pub const TOKEN: &str = "host-test-token";

/// A POST /mcp with JSON content, both reply formats accepted, and [`TOKEN`].
pub fn post_mcp(body: &str) -> HttpRequest {
    HttpRequest::new(Method::Post, "/mcp")
        .with_header("authorization", &format!("Bearer {TOKEN}"))
        .with_header("content-type", "application/json")
        .with_header("accept", "application/json, text/event-stream")
        .with_body(body.as_bytes().to_vec())
}

/// `req` without its credential (the helpers add [`TOKEN`]).
pub fn without_credentials(mut req: HttpRequest) -> HttpRequest {
    req.headers.retain(|(name, _)| name != "authorization");
    req
}

/// `req` with `header: value` as its only credential.
pub fn with_credential(req: HttpRequest, header: &str, value: &str) -> HttpRequest {
    without_credentials(req).with_header(header, value)
}

/// DELETE /mcp for a session, with [`TOKEN`].
pub fn delete_mcp(session_id: &str) -> HttpRequest {
    HttpRequest::new(Method::Delete, "/mcp")
        .with_header("authorization", &format!("Bearer {TOKEN}"))
        .with_header("mcp-session-id", session_id)
}

pub fn json(reply: &Reply) -> serde_json::Value {
    serde_json::from_slice(&reply.body).expect("JSON body")
}

pub const INITIALIZE: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"host-test","version":"0.0.1"}}}"#;

/// 2026-11-21T12:00:00Z: "now" for date defaults in request-mapping tests.
pub const NOW_MS: i64 = 1_795_262_400_000;

/// The first request tool `name` makes for `args`, or the refusal text.
pub fn plan(
    name: &str,
    args: serde_json::Value,
) -> Result<sequentum_mcp::sequentum::ApiRequest, String> {
    sequentum_mcp::catalog::tools::request_for(name, Some(args), NOW_MS)
        .unwrap_or_else(|| panic!("no tool {name}"))
        .map_err(|e| e.text())
}

/// `METHOD path?query` of the first request, panicking on a refusal.
pub fn line(name: &str, args: serde_json::Value) -> String {
    match plan(name, args.clone()) {
        Ok(request) => request.line(),
        Err(e) => panic!("{name} {args}: {e}"),
    }
}

/// The refusal text for `args`, panicking if a request would be made.
pub fn refusal(name: &str, args: serde_json::Value) -> String {
    match plan(name, args.clone()) {
        Ok(request) => panic!("{name} {args} was not refused: {}", request.line()),
        Err(e) => e,
    }
}

/// Calls a tool through the whole app in a fresh stateless exchange; the
/// `result` member of the JSON-RPC response.
pub fn call_tool(p: &FakePlatform, name: &str, args: serde_json::Value) -> serde_json::Value {
    let body = serde_json::json!({
        "jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": { "name": name, "arguments": args }
    });
    let reply =
        p.send(post_mcp(&body.to_string()).with_header("mcp-protocol-version", "2025-11-25"));
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let out = json(&reply);
    out.get("result")
        .cloned()
        .unwrap_or_else(|| panic!("no result: {out}"))
}

/// A tool result's text.
pub fn result_text(result: &serde_json::Value) -> String {
    result["content"][0]["text"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Sends one request through the whole app, in session `session` or
/// statelessly, and returns the JSON-RPC response.
pub fn rpc(
    p: &FakePlatform,
    session: Option<&str>,
    method: &str,
    params: serde_json::Value,
) -> serde_json::Value {
    let body = serde_json::json!({ "jsonrpc": "2.0", "id": 7, "method": method, "params": params });
    let mut req = post_mcp(&body.to_string()).with_header("mcp-protocol-version", "2025-11-25");
    if let Some(id) = session {
        req = req.with_header("mcp-session-id", id);
    }
    let reply = p.send(req);
    assert_eq!(
        reply.status,
        200,
        "{method}: {}",
        String::from_utf8_lossy(&reply.body)
    );
    json(&reply)
}
