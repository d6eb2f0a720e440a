//! The app as a value: `handle(request) → reply`, with the platform passed in.
//! The Worker's fetch handler is a thin shell around [`handle`].

use serde_json::json;

use super::access_log::Trace;
use super::auth::{credential, Caller, Credential};
use super::cors::{self, OriginCheck};
use super::discovery::{self, Challenge};
use super::http::{HttpRequest, Method, Reply};
use super::jwt;
use super::rate;
use super::route::{route, Route, MCP_PATH};
use super::stream::StreamedCall;
use super::transport::{
    accepts_sse, is_json_content_type, protocol_version, reply_format, sse_event, ReplyFormat,
    ASSUMED_VERSION, MAX_BODY_BYTES, PROTOCOL_VERSION_HEADER,
};
use crate::catalog::tools::Silent;
use crate::config::{Config, ConfigError};
use crate::mcp::calls;
use crate::mcp::dispatch::{method, serve, Context};
use crate::mcp::jsonrpc::{self, ErrorObject, Message, Payload, Response};
use crate::mcp::lifecycle;
use crate::platform::{Platform, PlatformError};
use crate::sequentum::{Client, Settings};
use crate::session::id::SessionId;
use crate::session::wire::{Reply as SessionReply, SessionCall};

/// `Mcp-Session-Id` (MCP 2025-11-25, basic/transports, "Session Management").
pub const SESSION_HEADER: &str = "mcp-session-id";
/// Implementation-defined JSON-RPC server error codes (JSON-RPC 2.0 §5.1),
/// as the original server and the TypeScript SDK use them.
const SERVER_ERROR: i64 = -32000;
const UNAUTHORIZED: i64 = -32001;
const RATE_LIMITED: i64 = -32029;

/// Handles one request: the reply, and what the log line should say.
pub async fn handle<P: Platform>(
    req: &HttpRequest,
    config: &Config,
    platform: &P,
) -> (Reply, Trace) {
    let mut trace = Trace::default();
    let origin = cors::check(req.header("origin"), config);
    let mut reply = route_and_serve(req, config, &origin, platform, &mut trace).await;
    reply.headers.extend(cors::response_headers(&origin));
    // HEAD gets GET's status and headers without the body (RFC 9110 §9.3.2).
    if req.method == Method::Head {
        reply.body.clear();
    }
    (reply, trace)
}

async fn route_and_serve<P: Platform>(
    req: &HttpRequest,
    config: &Config,
    origin: &OriginCheck<'_>,
    platform: &P,
    trace: &mut Trace,
) -> Reply {
    let public = discovery::public_origin(config, &req.base_url);
    let mcp = match route(&req.method, &req.path) {
        Route::Preflight => {
            let mut reply = Reply::empty(204);
            reply.headers.extend(cors::preflight_headers(origin));
            return reply;
        }
        Route::Health => return health(),
        Route::ProtectedResource { mcp } => {
            let resource = if mcp {
                format!("{public}{MCP_PATH}")
            } else {
                public.to_owned()
            };
            return Reply::json(200, &discovery::protected_resource(config, &resource));
        }
        Route::AuthorizationServer => {
            return Reply::json(200, &discovery::authorization_server(config))
        }
        Route::NotFound => {
            return error_reply(404, "not_found", &format!("No route for {}", req.path))
        }
        Route::MethodNotAllowed { allow } => {
            return error_reply(405, "method_not_allowed", "Method not allowed on this path")
                .with_header("allow", allow)
        }
        route @ (Route::McpMessage | Route::McpTerminate) => route,
    };
    // /mcp: origin, then credentials, then the rate limit, then the work.
    if origin.is_denied() {
        let error = ErrorObject::new(SERVER_ERROR, "Forbidden: origin not allowed");
        return rpc_error(403, None, error);
    }
    let caller = match authenticate(req, config, public, platform).await {
        Ok(caller) => caller,
        Err(Refusal::Challenge(challenge)) => return unauthorized(challenge, public),
        Err(Refusal::KeysUnavailable) => {
            let error = ErrorObject::new(
                SERVER_ERROR,
                "Token verification is temporarily unavailable; retry shortly",
            );
            return rpc_error(503, None, error).with_header("retry-after", "10");
        }
    };
    trace.principal = Some(caller.principal.kind().to_owned());
    let key = rate::key(&caller.principal, req.header("cf-connecting-ip"));
    let limit_headers = match platform
        .rate_limit(&key, config.rate_limit_per_minute)
        .await
    {
        Ok(
            verdict @ rate::Verdict::Limited {
                retry_after_secs, ..
            },
        ) => {
            let error = ErrorObject::new(
                RATE_LIMITED,
                format!("Too many requests; retry after {retry_after_secs} s"),
            );
            let mut reply = rpc_error(429, None, error);
            reply.headers.extend(rate::headers(&verdict));
            return reply;
        }
        Ok(verdict) => rate::headers(&verdict),
        // The limiter is a guard, not a dependency: if it fails, serve.
        Err(err) => {
            crate::log::error(&format!("rate limiter unavailable: {err}"));
            Vec::new()
        }
    };
    let mut reply = match mcp {
        Route::McpMessage => mcp_message(req, &caller, config, platform, trace).await,
        _ => mcp_terminate(req, &caller, platform, trace).await,
    };
    reply.headers.extend(limit_headers);
    reply
}

/// Why a request was not let through.
enum Refusal {
    Challenge(Challenge),
    /// A JWT that might be fine, but no key set to check it against (the
    /// JWKS endpoint is down): 503, not 401, so clients keep their token.
    KeysUnavailable,
}

impl From<Challenge> for Refusal {
    fn from(challenge: Challenge) -> Self {
        Refusal::Challenge(challenge)
    }
}

/// Who the request acts for, from its credentials (see [`super::auth`]).
async fn authenticate<P: Platform>(
    req: &HttpRequest,
    config: &Config,
    public_origin: &str,
    platform: &P,
) -> Result<Caller, Refusal> {
    match credential(req.header("authorization"), req.header("x-api-key"))? {
        Credential::None if config.require_auth => Err(Challenge::Missing.into()),
        Credential::None => Ok(Caller::anonymous()),
        Credential::ApiKey(key) => Ok(Caller::api_key(key)),
        Credential::Bearer(token) => match &config.jwt_jwks_url {
            Some(jwks_url) if jwt::looks_like_jwt(token) => {
                verify_jwt(token, jwks_url, config, public_origin, platform).await
            }
            // Without a JWKS, or not a JWT: opaque; the Sequentum API decides.
            _ => Ok(Caller::opaque(token)),
        },
    }
}

/// Verifies a JWT against the configured JWKS (src/edge/jwt), fetching the
/// key set when the per-isolate cache says so.
async fn verify_jwt<P: Platform>(
    token: &str,
    jwks_url: &str,
    config: &Config,
    public_origin: &str,
    platform: &P,
) -> Result<Caller, Refusal> {
    let invalid = |e: jwt::JwtError| Refusal::Challenge(Challenge::InvalidToken(e.description()));
    let kid = jwt::key_id(token).map_err(invalid)?;
    let now_ms = platform.now_ms();
    if platform.with_jwks_cache(|cache| cache.plan(kid.as_deref(), now_ms)) == jwt::Plan::Fetch {
        let fetched = platform
            .get(jwks_url, jwt::MAX_JWKS_BYTES)
            .await
            .and_then(|bytes| {
                jwt::Jwks::parse(&bytes).map_err(|e| PlatformError::Fetch(e.to_string()))
            });
        match fetched {
            Ok(jwks) => platform.with_jwks_cache(|cache| cache.store(jwks, now_ms)),
            Err(err) => {
                crate::log::error(&format!("JWKS fetch failed: {err}"));
                platform.with_jwks_cache(|cache| cache.fetch_failed(now_ms));
            }
        }
    }
    let audiences = config.jwt_audience.clone().unwrap_or_else(|| {
        vec![
            format!("{public_origin}{MCP_PATH}"),
            public_origin.to_owned(),
        ]
    });
    let policy = jwt::Policy::new(config.jwt_issuer.clone(), audiences);
    platform.with_jwks_cache(|cache| match cache.current() {
        None => Err(Refusal::KeysUnavailable),
        Some(jwks) => jwt::verify(token, jwks, &policy, now_ms / 1000)
            .map(|v| Caller::verified(token, &v.issuer, &v.subject))
            .map_err(invalid),
    })
}

/// 401 with the challenge that leads the client to our metadata
/// (MCP 2025-11-25, basic/authorization, "Authorization Server Discovery").
fn unauthorized(challenge: Challenge, public_origin: &str) -> Reply {
    let metadata = discovery::metadata_url(public_origin);
    let message = match challenge {
        Challenge::Missing => {
            format!("Authentication required; authorization metadata: {metadata}")
        }
        Challenge::InvalidToken(why) => {
            format!("Invalid credentials ({why}); authorization metadata: {metadata}")
        }
    };
    let mut error = ErrorObject::new(UNAUTHORIZED, message);
    error.data = Some(json!({ "protectedResourceMetadata": metadata }));
    rpc_error(401, None, error).with_header(
        "www-authenticate",
        discovery::www_authenticate(challenge, public_origin),
    )
}

/// The reply for a configuration that cannot be used. The detail names the
/// variable and the rule, never the value.
pub fn config_error(err: &ConfigError) -> Reply {
    error_reply(
        500,
        "server_misconfigured",
        &format!(
            "configuration variable {} is invalid: {}",
            err.name, err.reason
        ),
    )
}

fn health() -> Reply {
    Reply::json(
        200,
        &json!({
            "status": "ok",
            "version": env!("CARGO_PKG_VERSION"),
            "transport": "streamable-http",
        }),
    )
}

/// A small JSON error body for non-MCP routes.
fn error_reply(status: u16, error: &str, message: &str) -> Reply {
    Reply::json(status, &json!({ "error": error, "message": message }))
}

fn rpc_error(status: u16, id: Option<jsonrpc::RequestId>, error: ErrorObject) -> Reply {
    Reply::json_bytes(status, Response::error(id, error).to_json())
}

fn platform_failure(err: &PlatformError) -> Reply {
    // The detail goes to the log, not to the client.
    crate::log::error(&format!("platform failure: {err}"));
    rpc_error(
        503,
        None,
        ErrorObject::new(SERVER_ERROR, "Service temporarily unavailable"),
    )
}

fn session_not_found() -> Reply {
    // 404 tells the client to start a new session (basic/transports).
    rpc_error(
        404,
        None,
        ErrorObject::new(SERVER_ERROR, "Session not found; initialize a new session"),
    )
}

/// The session id a request names, if any. A malformed id can never be ours,
/// so it is treated exactly like an unknown one.
enum SessionRef {
    None,
    Malformed,
    Id(SessionId),
}

fn session_ref(req: &HttpRequest) -> SessionRef {
    match req.header(SESSION_HEADER) {
        None => SessionRef::None,
        Some(raw) => SessionId::parse(raw.trim()).map_or(SessionRef::Malformed, SessionRef::Id),
    }
}

/// The 200 reply to a request, framed as the client asked (`Accept`).
fn rpc_reply(format: ReplyFormat, json: Vec<u8>) -> Reply {
    match format {
        ReplyFormat::Json => Reply::json_bytes(200, json),
        ReplyFormat::Sse => Reply::empty(200)
            .with_header("content-type", "text/event-stream")
            .with_header("cache-control", "no-cache")
            .with_body(sse_event(&json)),
    }
}

async fn mcp_message<P: Platform>(
    req: &HttpRequest,
    caller: &Caller,
    config: &Config,
    platform: &P,
    trace: &mut Trace,
) -> Reply {
    // Transport checks first (basic/transports): cheap, and no work is wasted
    // on a request the client cannot use the answer to.
    if req.body_oversized || req.body.len() > MAX_BODY_BYTES {
        return rpc_error(
            413,
            None,
            ErrorObject::new(SERVER_ERROR, "Request body exceeds 1 MiB"),
        );
    }
    if !is_json_content_type(req.header("content-type")) {
        let error = ErrorObject::new(SERVER_ERROR, "Content-Type must be application/json");
        return rpc_error(415, None, error);
    }
    let Some(format) = reply_format(req.header("accept")) else {
        let error = ErrorObject::new(
            SERVER_ERROR,
            "Accept must allow application/json or text/event-stream",
        );
        return rpc_error(406, None, error);
    };
    let payload = match jsonrpc::parse_payload(&req.body) {
        Ok(p) => p,
        Err(err) => {
            let id = err.id().cloned();
            return rpc_error(400, id, err.into_error());
        }
    };
    trace.rpc_method = match &payload {
        Payload::One(m) => m.method().map(str::to_owned),
        Payload::Batch(items) => items
            .iter()
            .find_map(|i| i.as_ref().ok().and_then(Message::method))
            .map(|m| format!("batch:{m}")),
    };
    let initialize_request = match &payload {
        Payload::One(Message::Request(r)) if r.method == method::INITIALIZE => Some(r),
        _ => None,
    };
    // initialize negotiates the version itself; everything else must name one
    // we serve, or none (then 2025-03-26 applies).
    let version = match protocol_version(req.header(PROTOCOL_VERSION_HEADER)) {
        Some(v) => v,
        None if initialize_request.is_some() => ASSUMED_VERSION,
        None => {
            let error = ErrorObject::invalid_request("unsupported MCP-Protocol-Version");
            return rpc_error(400, None, error);
        }
    };
    // What the dispatcher answers: in the session's object, or here.
    let answered = match session_ref(req) {
        SessionRef::Malformed => return session_not_found(),
        SessionRef::Id(id) => {
            trace.session_id(id.as_str());
            let call = SessionCall::Message(&req.body, &caller.principal);
            match platform.session(&id, call).await {
                Ok(SessionReply::Json(body)) => Some(body),
                Ok(SessionReply::Accepted) => None,
                Ok(SessionReply::Refused(body)) => return Reply::json_bytes(400, body),
                Ok(SessionReply::Unknown) => return session_not_found(),
                Ok(other) => {
                    return platform_failure(&PlatformError::Session(format!(
                        "unexpected reply {other:?}"
                    )))
                }
                Err(err) => return platform_failure(&err),
            }
        }
        SessionRef::None => match initialize_request {
            Some(r) => return initialize(r, caller, format, platform, trace).await,
            // A client that dropped its session id is served statelessly
            // (../shared/DESIGN.md, "Protocol decisions").
            None => match serve(&payload, Context::Stateless(version)) {
                Ok(outgoing) => outgoing.to_json(),
                Err(error) => return rpc_error(400, None, error),
            },
        },
    };
    // The session vouched for the caller (or there is none): now the
    // requests that reach the Sequentum API.
    let upstream = calls::upstream_requests(&payload);
    if let (Payload::One(_), [request]) = (&payload, upstream.as_slice()) {
        trace.tool = tool_name(request);
        // A call that asked for progress, from a client that takes a stream:
        // answer with SSE and let the shell run it while the events flow.
        if let Some(token) = calls::progress_token(request) {
            if accepts_sse(req.header("accept")) {
                let call = StreamedCall {
                    request: (*request).clone(),
                    progress_token: token,
                    auth: caller.upstream.clone(),
                    base_url: config.sequentum_api_url.clone(),
                    timeout_ms: u64::from(config.upstream_timeout_ms),
                };
                let mut reply = Reply::empty(200)
                    .with_header("content-type", "text/event-stream")
                    .with_header("cache-control", "no-cache");
                reply.stream = Some(Box::new(call));
                return reply;
            }
        }
    }
    let mut served = Vec::with_capacity(upstream.len());
    for request in upstream {
        served.push(serve_upstream(request, caller, config, platform).await);
    }
    match (&payload, answered, served.as_slice()) {
        (_, None, []) => Reply::empty(202),
        (Payload::One(_), Some(body), _) => rpc_reply(format, body),
        (Payload::One(_), None, [one, ..]) => rpc_reply(format, one.to_json()),
        (Payload::Batch(_), answered, served) => {
            rpc_reply(format, merge_batch(answered.as_deref(), served))
        }
    }
}

/// Runs one `tools/call` with the caller's upstream credential.
async fn serve_upstream<P: Platform>(
    request: &jsonrpc::Request,
    caller: &Caller,
    config: &Config,
    platform: &P,
) -> Response {
    let settings = Settings::new(
        &config.sequentum_api_url,
        u64::from(config.upstream_timeout_ms),
    );
    let client = Client::new(platform.upstream(), settings, &caller.upstream);
    calls::serve(request, client, &Silent).await
}

/// The tool a `tools/call` names, for the access log.
fn tool_name(request: &jsonrpc::Request) -> Option<String> {
    let name = request.params.as_ref()?.get("name")?.as_str()?;
    // Only a plausible tool name is logged, never arbitrary client text.
    (name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        .then(|| name.to_owned())
}

/// One batch reply from the dispatcher's part (a JSON array) and the
/// upstream responses. Response order within a batch is free (JSON-RPC 2.0 §6).
fn merge_batch(answered: Option<&[u8]>, served: &[Response]) -> Vec<u8> {
    let mut items: Vec<serde_json::Value> = answered
        .and_then(|body| serde_json::from_slice(body).ok())
        .unwrap_or_default();
    items.extend(served.iter().filter_map(|r| serde_json::to_value(r).ok()));
    serde_json::to_vec(&items).unwrap_or_default()
}

async fn initialize<P: Platform>(
    req: &jsonrpc::Request,
    caller: &Caller,
    format: ReplyFormat,
    platform: &P,
    trace: &mut Trace,
) -> Reply {
    let principal = caller.principal.clone();
    let init = match lifecycle::initialize(req.params.as_ref(), principal, platform.now_ms()) {
        Ok(init) => init,
        Err(error) => {
            return rpc_reply(
                format,
                Response::error(Some(req.id.clone()), error).to_json(),
            )
        }
    };
    let id = match platform.random_id_bytes() {
        Ok(bytes) => SessionId::from_random(bytes),
        Err(err) => return platform_failure(&err),
    };
    trace.session_id(id.as_str());
    match platform.session(&id, SessionCall::Open(&init.record)).await {
        Ok(SessionReply::Opened) => rpc_reply(
            format,
            Response::result_of(req.id.clone(), &init.result).to_json(),
        )
        .with_header("mcp-session-id", id.as_str()),
        Ok(other) => platform_failure(&PlatformError::Session(format!("open answered {other:?}"))),
        Err(err) => platform_failure(&err),
    }
}

async fn mcp_terminate<P: Platform>(
    req: &HttpRequest,
    caller: &Caller,
    platform: &P,
    trace: &mut Trace,
) -> Reply {
    match session_ref(req) {
        SessionRef::None => rpc_error(
            400,
            None,
            ErrorObject::invalid_request("DELETE /mcp needs an Mcp-Session-Id header"),
        ),
        SessionRef::Malformed => session_not_found(),
        SessionRef::Id(id) => {
            trace.session_id(id.as_str());
            match platform
                .session(&id, SessionCall::Close(&caller.principal))
                .await
            {
                Ok(SessionReply::Closed) => Reply::empty(204),
                Ok(SessionReply::Unknown) => session_not_found(),
                Ok(other) => {
                    platform_failure(&PlatformError::Session(format!("close answered {other:?}")))
                }
                Err(err) => platform_failure(&err),
            }
        }
    }
}
