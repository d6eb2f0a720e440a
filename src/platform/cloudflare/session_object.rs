//! The `McpSession` Durable Object: one per MCP session, addressed by the
//! session id. A thin shell over [`crate::session::object::apply`].

use wasm_bindgen::JsValue;
use worker::{durable_object, DurableObject, Env, Request, Response, Result, ScheduledTime, State};

use super::{env, fetch::encode, system};
use crate::edge::http::Reply;
use crate::session::object::{self, Effect};
use crate::session::record::{on_alarm, AlarmVerdict, SessionRecord};
use crate::session::wire;

/// Storage key of the session record (stored as JSON text).
const RECORD_KEY: &str = "record";

#[durable_object]
pub struct McpSession {
    state: State,
    env: Env,
}

impl std::fmt::Debug for McpSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("McpSession").finish_non_exhaustive()
    }
}

impl DurableObject for McpSession {
    fn new(state: State, env: Env) -> Self {
        Self { state, env }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let ttl_ms = match env::config(&self.env) {
            Ok(config) => config.session_ttl_ms(),
            Err(err) => return encode(crate::edge::app::config_error(&err)),
        };
        let body = req.bytes().await.unwrap_or_default();
        let op = match wire::decode_call(&req.path(), &body) {
            Ok(op) => op,
            Err(err) => {
                crate::log::error(&format!("McpSession: {err}"));
                return encode(Reply::empty(400));
            }
        };
        let stored = self.load().await?;
        let (answer, effect) = object::apply(op, stored, system::now_ms(), ttl_ms);
        self.perform(effect).await?;
        let (status, body) = wire::encode_answer(&answer);
        encode(Reply::json_bytes(status, body))
    }

    async fn alarm(&self) -> Result<Response> {
        let ttl_ms = env::config(&self.env)
            .map(|c| c.session_ttl_ms())
            .unwrap_or_else(|_| crate::config::Config::default().session_ttl_ms());
        let stored = self.load().await?;
        match on_alarm(stored.as_ref(), system::now_ms(), ttl_ms) {
            AlarmVerdict::Expire => self.perform(Effect::Erase).await?,
            AlarmVerdict::Reschedule { at_ms } => self.arm(at_ms).await?,
        }
        Response::empty()
    }
}

impl McpSession {
    async fn load(&self) -> Result<Option<SessionRecord>> {
        let text: Option<String> = self.state.storage().get(RECORD_KEY).await?;
        // A record we cannot read is treated as absent: the client re-initializes.
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }

    async fn arm(&self, at_ms: u64) -> Result<()> {
        let when = js_sys::Date::new(&JsValue::from_f64(at_ms as f64));
        self.state
            .storage()
            .set_alarm(ScheduledTime::new(when))
            .await
    }

    async fn perform(&self, effect: Effect) -> Result<()> {
        let storage = self.state.storage();
        match effect {
            Effect::Nothing => Ok(()),
            Effect::Store {
                record,
                alarm_at_ms,
            } => {
                let text = serde_json::to_string(&record)
                    .map_err(|e| worker::Error::RustError(e.to_string()))?;
                storage.put(RECORD_KEY, text).await?;
                self.arm(alarm_at_ms).await
            }
            Effect::Erase => {
                storage.delete_alarm().await?;
                storage.delete_all().await
            }
        }
    }
}
