//! The Worker's fetch entry point and the [`Platform`] implementation it
//! hands to the app.

use std::cell::RefCell;

use futures_util::StreamExt;

use worker::{event, Context, Env, Fetch, Headers, Method, Request, RequestInit, Response, Result};

use super::{env, system, upstream};
use crate::edge::access_log::{self, Trace};
use crate::edge::app;
use crate::edge::http::{self, HttpRequest, Reply};
use crate::edge::jwt::JwksCache;
use crate::edge::rate::{self, Verdict};
use crate::edge::transport::MAX_BODY_BYTES;
use crate::platform::{Platform, PlatformError};
use crate::sequentum::{HttpAnswer, HttpCall, Transport, TransportError};
use crate::session::id::{SessionId, ID_BYTES};
use crate::session::wire::{self, SessionCall};

/// The Durable Object namespace bindings (wrangler.toml).
pub const SESSIONS_BINDING: &str = "MCP_SESSIONS";
pub const RATE_LIMITER_BINDING: &str = "RATE_LIMITER";

/// Bodies declared up to this size are read (and dropped when over
/// [`MAX_BODY_BYTES`]) so the client gets its 413; larger ones are not read.
const DRAIN_LIMIT_BYTES: u64 = 8 * 1024 * 1024;

#[event(fetch)]
pub async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let started = system::now_ms();
    let request = decode(req).await?;
    let (reply, trace, debug) = match env::config(&env) {
        Err(err) => {
            crate::log::error(&err.to_string());
            (app::config_error(&err), Trace::default(), false)
        }
        Ok(config) => {
            let (reply, trace) =
                app::handle(&request, &config, &WorkerPlatform { env: &env }).await;
            (reply, trace, config.debug)
        }
    };
    let ms = system::now_ms().saturating_sub(started);
    crate::log::info(&access_log::line(&request, &reply, ms, &trace, debug));
    encode(reply)
}

async fn decode(mut req: Request) -> Result<HttpRequest> {
    let headers: Vec<(String, String)> = req.headers().entries().collect();
    // A declared length over the limit is refused (413) without keeping the
    // body; a chunked body is read and measured by the app. A moderately
    // oversized body is still read and dropped: answering before the client
    // has finished sending makes the connection reset under it, so it would
    // see a network error instead of the 413. Huge ones are not read at all.
    let declared = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<u64>().ok());
    let body_oversized = declared.is_some_and(|n| n > MAX_BODY_BYTES as u64);
    let body = match declared {
        Some(n) if n > DRAIN_LIMIT_BYTES => Vec::new(),
        _ => req.bytes().await.unwrap_or_default(),
    };
    let body = if body_oversized { Vec::new() } else { body };
    // Not `req.url()`: parsing with the `url` crate pulls in IDNA tables
    // (+114 KB gzip) for a prefix the runtime has already normalised.
    let raw_url = req.inner().url();
    Ok(HttpRequest {
        method: http::Method::parse(req.method().as_ref()),
        base_url: http::base_url(&raw_url).to_owned(),
        path: req.path(),
        headers,
        body,
        body_oversized,
    })
}

/// Encodes a reply. An empty body is sent as no body at all: 204 and 202
/// responses must not carry one. A streamed call's events are fed to the
/// body by a task that runs the call after the headers are sent.
pub fn encode(mut reply: Reply) -> Result<Response> {
    let headers = Headers::new();
    for (name, value) in &reply.headers {
        headers.set(name, value)?;
    }
    let response = if let Some(call) = reply.stream.take() {
        let (events, body) = futures_channel::mpsc::unbounded::<Vec<u8>>();
        wasm_bindgen_futures::spawn_local(async move {
            // A send fails only when the client has gone; the call still ends.
            call.run(&UpstreamTransport, &|event| {
                let _ = events.unbounded_send(event);
            })
            .await;
        });
        Response::from_stream(body.map(Ok::<Vec<u8>, worker::Error>))?
    } else if reply.body.is_empty() {
        Response::empty()?
    } else {
        Response::from_bytes(reply.body)?
    };
    Ok(response.with_status(reply.status).with_headers(headers))
}

thread_local! {
    /// One per isolate: every request this isolate serves shares it.
    static JWKS_CACHE: RefCell<JwksCache> = RefCell::new(JwksCache::new());
}

struct WorkerPlatform<'a> {
    env: &'a Env,
}

/// The Sequentum API through the runtime's `fetch`: needs nothing from the
/// environment, so the platform and a streamed call share it.
struct UpstreamTransport;

impl Transport for UpstreamTransport {
    async fn send(&self, call: &HttpCall) -> std::result::Result<HttpAnswer, TransportError> {
        upstream::send(call).await
    }

    async fn sleep(&self, ms: u64) {
        upstream::sleep(ms).await;
    }

    fn now_ms(&self) -> u64 {
        upstream::now_ms()
    }

    fn jitter(&self) -> f64 {
        upstream::jitter()
    }
}

impl Platform for WorkerPlatform<'_> {
    type Upstream = UpstreamTransport;

    fn upstream(&self) -> &UpstreamTransport {
        &UpstreamTransport
    }

    fn now_ms(&self) -> u64 {
        system::now_ms()
    }

    fn random_id_bytes(&self) -> std::result::Result<[u8; ID_BYTES], PlatformError> {
        system::random_id_bytes()
    }

    async fn session(
        &self,
        id: &SessionId,
        call: SessionCall<'_>,
    ) -> std::result::Result<wire::Reply, PlatformError> {
        let failed = |e: worker::Error| PlatformError::Session(e.to_string());
        let stub = self
            .env
            .durable_object(SESSIONS_BINDING)
            .and_then(|ns| ns.get_by_name(id.as_str()))
            .map_err(failed)?;
        let (path, body) = wire::encode_call(call);
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_body(Some(js_sys::Uint8Array::from(body.as_slice()).into()));
        // The host is never resolved: a stub's fetch goes straight to the object.
        let request =
            Request::new_with_init(&format!("https://session{path}"), &init).map_err(failed)?;
        let mut response = stub.fetch_with_request(request).await.map_err(failed)?;
        let bytes = response.bytes().await.map_err(failed)?;
        wire::decode_answer(response.status_code(), bytes)
            .map_err(|e| PlatformError::Session(e.to_string()))
    }

    async fn rate_limit(
        &self,
        key: &str,
        limit: u32,
    ) -> std::result::Result<Verdict, PlatformError> {
        let failed = |e: worker::Error| PlatformError::RateLimiter(e.to_string());
        let stub = self
            .env
            .durable_object(RATE_LIMITER_BINDING)
            .and_then(|ns| ns.get_by_name(key))
            .map_err(failed)?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post);
        let url = format!("https://limiter{}", rate::hit_path(limit));
        let request = Request::new_with_init(&url, &init).map_err(failed)?;
        let mut response = stub.fetch_with_request(request).await.map_err(failed)?;
        if response.status_code() != 200 {
            return Err(PlatformError::RateLimiter(format!(
                "status {}",
                response.status_code()
            )));
        }
        let bytes = response.bytes().await.map_err(failed)?;
        serde_json::from_slice(&bytes).map_err(|e| PlatformError::RateLimiter(e.to_string()))
    }

    async fn get(
        &self,
        url: &str,
        max_bytes: usize,
    ) -> std::result::Result<Vec<u8>, PlatformError> {
        let failed = |e: worker::Error| PlatformError::Fetch(e.to_string());
        let request = Request::new(url, Method::Get).map_err(failed)?;
        let mut response = Fetch::Request(request).send().await.map_err(failed)?;
        if response.status_code() != 200 {
            return Err(PlatformError::Fetch(format!(
                "status {}",
                response.status_code()
            )));
        }
        let declared = response
            .headers()
            .get("content-length")
            .ok()
            .flatten()
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > max_bytes) {
            return Err(PlatformError::Fetch("body too large".into()));
        }
        let bytes = response.bytes().await.map_err(failed)?;
        if bytes.len() > max_bytes {
            return Err(PlatformError::Fetch("body too large".into()));
        }
        Ok(bytes)
    }

    fn with_jwks_cache<R>(&self, f: impl FnOnce(&mut JwksCache) -> R) -> R {
        JWKS_CACHE.with(|cache| f(&mut cache.borrow_mut()))
    }
}
