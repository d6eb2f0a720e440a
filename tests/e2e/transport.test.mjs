// Raw HTTP against the built worker: every status code of the Streamable HTTP
// transport rules, through workerd and the real Durable Object.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { INITIALIZE, MCP_HEADERS, openSession, postMcp, startWorker } from './harness.mjs';

const PING = { jsonrpc: '2.0', id: 1, method: 'ping' };
let mf;
before(async () => { mf = await startWorker(); });
after(async () => { await mf?.dispose(); });

async function expectRpcError(res, status, code) {
  assert.equal(res.status, status);
  const body = await res.json();
  assert.equal(body.jsonrpc, '2.0');
  assert.equal(body.error.code, code);
  return body;
}

test('415 for a non-JSON Content-Type', async () => {
  const res = await postMcp(mf, PING, { 'content-type': 'text/plain' });
  await expectRpcError(res, 415, -32000);
});

test('406 when Accept allows neither JSON nor SSE', async () => {
  const res = await postMcp(mf, PING, { accept: 'text/html' });
  await expectRpcError(res, 406, -32000);
});

test('413 for a body over 1 MiB, and the worker keeps serving', async () => {
  const pad = 'x'.repeat(1024 * 1024);
  const res = await postMcp(mf, { ...PING, params: { pad } });
  await expectRpcError(res, 413, -32000);
  const ok = await postMcp(mf, PING);
  assert.equal(ok.status, 200);
  await ok.arrayBuffer();
});

test('400 with -32700 for malformed JSON and -32600 for invalid messages', async () => {
  await expectRpcError(await postMcp(mf, '{"jsonrpc":'), 400, -32700);
  const invalid = await expectRpcError(await postMcp(mf, { jsonrpc: '2.0', id: 7 }), 400, -32600);
  assert.equal(invalid.id, 7);
  await expectRpcError(await postMcp(mf, []), 400, -32600);
});

test('batches are served under 2025-03-26 only, stateless and in a session', async () => {
  const batch = [PING, { jsonrpc: '2.0', method: 'notifications/initialized' }, { ...PING, id: 'two' }];
  const stateless = await postMcp(mf, batch);
  assert.equal(stateless.status, 200);
  assert.deepEqual(await stateless.json(), [
    { jsonrpc: '2.0', id: 1, result: {} },
    { jsonrpc: '2.0', id: 'two', result: {} },
  ]);
  const refused = await expectRpcError(await postMcp(mf, batch, { 'mcp-protocol-version': '2025-11-25' }), 400, -32600);
  assert.match(refused.error.message, /batch/);
  for (const [version, status] of [['2025-03-26', 200], ['2025-06-18', 400]]) {
    const init = await postMcp(mf, { ...INITIALIZE, params: { ...INITIALIZE.params, protocolVersion: version } });
    assert.equal(init.status, 200);
    await init.arrayBuffer();
    const headers = { 'mcp-session-id': init.headers.get('mcp-session-id') };
    const res = await postMcp(mf, batch, headers);
    assert.equal(res.status, status, version);
    const body = await res.json();
    if (status === 200) assert.equal(body.length, 2);
    else assert.equal(body.error.code, -32600);
  }
});

test('-32601 for an unknown method; 202 with no body for notifications and responses', async () => {
  await expectRpcError(await postMcp(mf, { jsonrpc: '2.0', id: 2, method: 'no/such' }), 200, -32601);
  for (const msg of [{ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } }, { jsonrpc: '2.0', id: 3, result: {} }]) {
    const res = await postMcp(mf, msg);
    assert.equal(res.status, 202);
    assert.equal(await res.text(), '');
  }
});

test('a client that accepts only SSE gets the reply as one SSE event', async () => {
  const res = await postMcp(mf, PING, { accept: 'text/event-stream' });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  assert.equal(await res.text(), 'event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n');
});

test('MCP-Protocol-Version: unknown → 400, missing → accepted', async () => {
  const sid = await openSession(mf);
  await expectRpcError(await postMcp(mf, PING, { 'mcp-session-id': sid, 'mcp-protocol-version': '2099-01-01' }), 400, -32600);
  const res = await postMcp(mf, PING, { 'mcp-session-id': sid });
  assert.equal(res.status, 200);
  await res.arrayBuffer();
});

test('GET /mcp → 405 with Allow; DELETE ends the session and the id then gets 404', async () => {
  const get = await mf.dispatchFetch('http://localhost/mcp', { headers: { authorization: MCP_HEADERS.authorization, accept: 'text/event-stream' } });
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST, DELETE');
  await get.arrayBuffer();

  const sid = await openSession(mf);
  const del = await mf.dispatchFetch('http://localhost/mcp', { method: 'DELETE', headers: { authorization: MCP_HEADERS.authorization, 'mcp-session-id': sid } });
  assert.equal(del.status, 204);
  await expectRpcError(await postMcp(mf, PING, { 'mcp-session-id': sid, ...MCP_HEADERS }), 404, -32000);
  const again = await mf.dispatchFetch('http://localhost/mcp', { method: 'DELETE', headers: { authorization: MCP_HEADERS.authorization, 'mcp-session-id': sid } });
  assert.equal(again.status, 404);
  await again.arrayBuffer();
});
