//! A scripted [`Transport`] for tests: answers from a queue, then from a
//! route function; records every call; a virtual clock that `sleep` and
//! timeouts advance. Compiled always (it is small, and the release build
//! drops it) so integration tests can share it.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use super::transport::{HttpAnswer, HttpCall, Transport, TransportError};

type Route = Box<dyn Fn(&HttpCall) -> Result<HttpAnswer, TransportError>>;

/// See the module docs.
pub struct FakeTransport {
    queue: RefCell<VecDeque<Result<HttpAnswer, TransportError>>>,
    route: RefCell<Option<Route>>,
    calls: RefCell<Vec<HttpCall>>,
    sleeps: RefCell<Vec<u64>>,
    clock: Cell<u64>,
}

impl std::fmt::Debug for FakeTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeTransport")
            .field("calls", &self.calls.borrow().len())
            .field("clock", &self.clock.get())
            .finish()
    }
}

impl Default for FakeTransport {
    fn default() -> Self {
        Self::new(1_700_000_000_000)
    }
}

impl FakeTransport {
    pub fn new(now_ms: u64) -> Self {
        Self {
            queue: RefCell::default(),
            route: RefCell::default(),
            calls: RefCell::default(),
            sleeps: RefCell::default(),
            clock: Cell::new(now_ms),
        }
    }

    /// Queues the next answer.
    pub fn push(&self, answer: Result<HttpAnswer, TransportError>) -> &Self {
        self.queue.borrow_mut().push_back(answer);
        self
    }

    /// Answers calls once the queue is empty (default: 404).
    pub fn route(&self, f: impl Fn(&HttpCall) -> Result<HttpAnswer, TransportError> + 'static) {
        *self.route.borrow_mut() = Some(Box::new(f));
    }

    pub fn calls(&self) -> Vec<HttpCall> {
        self.calls.borrow().clone()
    }

    pub fn sleeps(&self) -> Vec<u64> {
        self.sleeps.borrow().clone()
    }

    pub fn set_now(&self, ms: u64) {
        self.clock.set(ms);
    }
}

impl Transport for FakeTransport {
    async fn send(&self, call: &HttpCall) -> Result<HttpAnswer, TransportError> {
        self.calls.borrow_mut().push(call.clone());
        let next = self.queue.borrow_mut().pop_front();
        let answer = match next {
            Some(answer) => answer,
            None => match &*self.route.borrow() {
                Some(route) => route(call),
                None => Ok(status(404)),
            },
        };
        if answer == Err(TransportError::Timeout) {
            self.clock.set(self.clock.get() + call.timeout_ms);
        }
        answer
    }

    async fn sleep(&self, ms: u64) {
        self.sleeps.borrow_mut().push(ms);
        self.clock.set(self.clock.get() + ms);
    }

    fn now_ms(&self) -> u64 {
        self.clock.get()
    }

    fn jitter(&self) -> f64 {
        0.5
    }
}

/// An answer with a status and no body.
pub fn status(status: u16) -> HttpAnswer {
    HttpAnswer {
        status,
        ..HttpAnswer::default()
    }
}

/// A JSON answer.
pub fn json(status: u16, body: &serde_json::Value) -> HttpAnswer {
    HttpAnswer {
        status,
        content_type: Some("application/json; charset=utf-8".into()),
        body: serde_json::to_vec(body).unwrap_or_default(),
        ..HttpAnswer::default()
    }
}

/// Drives a future that never waits on real I/O (everything here is fake).
pub fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
    }
}
