// How tools behave when the Sequentum API misbehaves: retries of reads
// (429 with Retry-After, 502/503/504, timeouts), never of POSTs, and error
// results that say what happened without leaking the upstream's HTML. The
// mock's script() queues the faults; the worker runs with a short
// per-attempt timeout so timeouts are quick.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { assertFailure, assertSuccess, callTool, connect, resultText, startStack } from './tool-client.mjs';

const TIMEOUT_MS = 1200;
const AGENT = '/api/v1/agent/101';
const GET_AGENT = ['get_agent', { agentId: 101 }];

const json = (status, body, headers = {}) => ({ status, headers: { 'content-type': 'application/json', ...headers }, body });
const times = (n, answer) => Array.from({ length: n }, () => answer);

describe('upstream faults', () => {
  let stack;
  let client;
  before(async () => {
    stack = await startStack({ UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) });
    client = await connect(stack.base);
  });
  after(async () => {
    await client?.close();
    await stack?.close();
  });
  beforeEach(() => stack.api.reset());

  /** Calls a tool and returns its result, the upstream paths and the time taken. */
  async function call([tool, args]) {
    const began = Date.now();
    const result = await callTool(client, tool, args);
    return { result, seen: stack.api.requests.map((r) => `${r.method} ${r.path}`), ms: Date.now() - began };
  }

  test('a 429 with Retry-After: 1 is waited out and retried once', async () => {
    stack.api.script('GET', AGENT, [json(429, { message: 'Too many requests' }, { 'retry-after': '1' })]);
    const { result, seen, ms } = await call(GET_AGENT);
    const sc = assertSuccess(result, 'get_agent');
    assert.equal(sc.name, 'Competitor Price Tracker');
    assert.deepEqual(seen, [`GET ${AGENT}`, `GET ${AGENT}`]);
    const gap = stack.api.requests[1].receivedAt - stack.api.requests[0].receivedAt;
    assert.ok(gap >= 950, `retried after ${gap} ms, Retry-After asked 1 s`);
    assert.ok(ms < 5000, `took ${ms} ms`);
  });

  test('a 429 asking for longer than the worker waits is given up at once, with the hint', async () => {
    stack.api.script('GET', AGENT, [json(429, { message: 'Slow down' }, { 'retry-after': '30' })]);
    const { result, seen } = await call(GET_AGENT);
    const text = assertFailure(result, 'get_agent');
    assert.match(text, /^Rate limited: .*Retry in 30 seconds\.$/);
    assert.equal(seen.length, 1);
  });

  test('503 four times: four attempts, then an upstream error naming the status', async () => {
    stack.api.script('GET', AGENT, times(4, json(503, { statusCode: 503, statusDescription: 'Service Unavailable', message: 'Scheduled maintenance', severity: 'Error' })));
    const { result, seen } = await call(GET_AGENT);
    const text = assertFailure(result, 'get_agent');
    assert.match(text, /^Upstream error \(HTTP 503\): Scheduled maintenance\./);
    assert.deepEqual(seen, times(4, `GET ${AGENT}`));
  });

  test('500 is a server error but not a transient one: reported after one attempt', async () => {
    stack.api.script('GET', AGENT, [json(500, { message: 'NullReferenceException in AgentService' })]);
    const { result, seen } = await call(GET_AGENT);
    const text = assertFailure(result, 'get_agent');
    assert.match(text, /^Upstream error \(HTTP 500\): /);
    assert.deepEqual(seen, [`GET ${AGENT}`]);
  });

  test('504 twice then 200: a gateway timeout is retried', async () => {
    stack.api.script('GET', AGENT, times(2, json(504, { message: 'Gateway Timeout' })));
    const { result, seen } = await call(GET_AGENT);
    assertSuccess(result, 'get_agent');
    assert.deepEqual(seen, times(3, `GET ${AGENT}`));
  });

  test('503 three times then 200: the fourth attempt succeeds', async () => {
    stack.api.script('GET', AGENT, times(3, json(503, { message: 'busy' })));
    const { result, seen } = await call(GET_AGENT);
    assertSuccess(result, 'get_agent');
    assert.equal(seen.length, 4);
  });

  test('an answer slower than UPSTREAM_TIMEOUT_MS is a timeout, retried before giving up', async () => {
    // Every attempt is held past the timeout (the mock answers normally after 3 s).
    stack.api.script('GET', AGENT, times(4, { delayMs: TIMEOUT_MS + 1800 }));
    const { result, seen, ms } = await call(GET_AGENT);
    const text = assertFailure(result, 'get_agent');
    assert.match(text, /^Upstream timeout: /);
    // Retried like a 503: four attempts (the 45 s budget is far away).
    assert.deepEqual(seen, times(4, `GET ${AGENT}`));
    assert.ok(ms >= 4 * TIMEOUT_MS, `each attempt waited its timeout (${ms} ms in all)`);
  });

  test("a proxy's HTML 502 page becomes a one-line error without any HTML", async () => {
    const page = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.25.3</center></body></html>\n';
    stack.api.script('GET', AGENT, times(4, { status: 502, headers: { 'content-type': 'text/html' }, body: page }));
    const { result, seen } = await call(GET_AGENT);
    const text = assertFailure(result, 'get_agent');
    assert.match(text, /^Upstream error \(HTTP 502\): /);
    assert.doesNotMatch(text, /[<>]|html|nginx/i);
    assert.ok(!text.includes('\n'), 'one line');
    assert.equal(seen.length, 4);
  });

  test('401 is an authentication failure, not retried, and the body is not echoed', async () => {
    stack.api.script('GET', AGENT, [json(401, { message: 'Token e2e-opaque-token expired at 09:14' })]);
    const { result, seen } = await call(GET_AGENT);
    const text = assertFailure(result, 'get_agent');
    assert.match(text, /^Authentication failed: /);
    assert.doesNotMatch(text, /09:14|e2e-opaque-token/);
    assert.equal(seen.length, 1);
  });

  test('a POST answered 503 is never retried (starting a run twice is worse than an error)', async () => {
    for (const [tool, args, path] of [
      ['start_agent', { agentId: 101 }, '/api/v1/agent/101/start'],
      ['stop_agent', { agentId: 103, runId: 5005 }, '/api/v1/agent/103/run/5005/stop'],
    ]) {
      stack.api.reset();
      stack.api.script('POST', path, times(4, json(503, { message: 'Service Unavailable' })));
      const { result, seen } = await call([tool, args]);
      const text = assertFailure(result, tool);
      assert.match(text, /^Upstream error \(HTTP 503\): /, tool);
      assert.deepEqual(seen, [`POST ${path}`], `${tool}: exactly one upstream request`);
    }
  });

  test('a 404 with RFC 7807 problem details reads "Not found: title: detail"', async () => {
    stack.api.script('GET', '/api/v1/agent/999', [{
      status: 404,
      headers: { 'content-type': 'application/problem+json' },
      body: { type: 'https://tools.ietf.org/html/rfc9110#section-15.5.5', title: 'Not Found', status: 404, detail: 'Agent with ID 999 was not found', instance: '/api/v1/agent/999' },
    }]);
    const { result, seen } = await call(['get_agent', { agentId: 999 }]);
    assert.equal(assertFailure(result, 'get_agent'), 'Not found: Not Found: Agent with ID 999 was not found');
    assert.equal(seen.length, 1, '404 is not retried');
  });

  test("the mock's own 404 for an unknown id reaches the caller as Not found", async () => {
    const { result } = await call(['get_agent', { agentId: 4242 }]);
    assert.equal(assertFailure(result, 'get_agent'), 'Not found: Agent 4242 not found');
  });

  test('after all that, the server still serves: a new session lists tools and calls one', async () => {
    const fresh = await connect(stack.base);
    try {
      const { tools } = await fresh.listTools();
      assert.ok(tools.some((t) => t.name === 'get_agent'));
      const sc = assertSuccess(await callTool(fresh, 'get_agent', { agentId: 102 }), 'get_agent');
      assert.equal(sc.name, 'Product Review Collector');
      // And the first session too.
      assert.match(resultText(await callTool(client, 'get_run_status', { agentId: 103, runId: 5005 })), /"status":"Running"/);
    } finally {
      await fresh.close();
    }
  });
});
