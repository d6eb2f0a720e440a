//! [`Transport`] over the Workers runtime: `fetch` with an abort timer,
//! `setTimeout` sleeps, `Math.random` jitter.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use worker::{
    AbortController, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect,
};

use super::system;
use crate::sequentum::transport::MAX_ANSWER_BYTES;
use crate::sequentum::{HttpAnswer, HttpCall, HttpMethod, TransportError};

/// Sends one attempt; the whole exchange (headers and body) must finish
/// within the call's timeout, else the request is aborted.
pub async fn send(call: &HttpCall) -> Result<HttpAnswer, TransportError> {
    let controller = AbortController::default();
    let signal = controller.signal();
    let exchange = async {
        let request = build(call).map_err(network)?;
        let mut response = Fetch::Request(request)
            .send_with_signal(&signal)
            .await
            .map_err(network)?;
        let header = |name: &str| response.headers().get(name).ok().flatten();
        let declared = header("content-length").and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > MAX_ANSWER_BYTES) {
            return Err(TransportError::TooLarge(MAX_ANSWER_BYTES));
        }
        let (content_type, retry_after, location) = (
            header("content-type"),
            header("retry-after"),
            header("location"),
        );
        let body = response.bytes().await.map_err(network)?;
        if body.len() > MAX_ANSWER_BYTES {
            return Err(TransportError::TooLarge(MAX_ANSWER_BYTES));
        }
        Ok(HttpAnswer {
            status: response.status_code(),
            content_type,
            retry_after,
            location,
            body,
        })
    };
    match race(
        exchange,
        Delay::from(Duration::from_millis(call.timeout_ms)),
    )
    .await
    {
        Some(result) => result,
        None => {
            controller.abort();
            Err(TransportError::Timeout)
        }
    }
}

fn build(call: &HttpCall) -> worker::Result<Request> {
    let headers = Headers::new();
    headers.set("authorization", &call.authorization)?;
    headers.set("accept", "application/json")?;
    let mut init = RequestInit::new();
    init.with_method(match call.method {
        HttpMethod::Get => Method::Get,
        HttpMethod::Post => Method::Post,
        HttpMethod::Put => Method::Put,
        HttpMethod::Delete => Method::Delete,
    })
    // A redirect is an answer here (a download link), not a hop to follow.
    .with_redirect(RequestRedirect::Manual);
    if let Some(body) = &call.body {
        headers.set("content-type", "application/json")?;
        init.with_body(Some(js_sys::Uint8Array::from(body.as_slice()).into()));
    }
    init.with_headers(headers);
    Request::new_with_init(&call.url, &init)
}

/// The error text of the runtime may name the URL; it is kept out of
/// anything a client sees (the catalog renders only "could not be reached").
fn network(e: worker::Error) -> TransportError {
    TransportError::Network(e.to_string())
}

/// `work`'s output, or `None` if `timer` fires first.
async fn race<T>(work: impl Future<Output = T>, timer: impl Future<Output = ()>) -> Option<T> {
    let mut work = pin!(work);
    let mut timer = pin!(timer);
    poll_fn(|cx| {
        if let Poll::Ready(out) = work.as_mut().poll(cx) {
            return Poll::Ready(Some(out));
        }
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    })
    .await
}

pub async fn sleep(ms: u64) {
    Delay::from(Duration::from_millis(ms)).await;
}

pub fn now_ms() -> u64 {
    system::now_ms()
}

pub fn jitter() -> f64 {
    js_sys::Math::random()
}
