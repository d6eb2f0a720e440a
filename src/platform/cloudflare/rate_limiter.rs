//! The `RateLimiter` Durable Object: one per rate-limit key, so every isolate
//! counts against the same window. A thin shell over [`crate::edge::rate::admit`].
//! The window lives in memory only (see the module docs of `edge::rate`).

use std::cell::Cell;

use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};

use super::{fetch::encode, system};
use crate::edge::http::Reply;
use crate::edge::rate::{self, Window};

#[durable_object]
pub struct RateLimiter {
    window: Cell<Option<Window>>,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter").finish_non_exhaustive()
    }
}

impl DurableObject for RateLimiter {
    fn new(_state: State, _env: Env) -> Self {
        Self {
            window: Cell::new(None),
        }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        let Some(limit) = rate::parse_hit_path(&req.path()) else {
            crate::log::error("RateLimiter: bad request path");
            return encode(Reply::empty(400));
        };
        let (verdict, window) = rate::admit(self.window.get(), system::now_ms(), limit);
        self.window.set(Some(window));
        encode(Reply::json(200, &verdict))
    }
}
