// End to end: the built worker in Miniflare (workerd) with its real Durable
// Object. Run after `scripts/build.sh` (scripts/test.sh does both).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MCP_HEADERS, ROOT, openSession, postMcp, startWorker, storedKeys } from './harness.mjs';

const crateVersion = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8'))[1];
const PING = { jsonrpc: '2.0', id: 'p', method: 'ping' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('HTTP surface', () => {
  let mf;
  before(async () => { mf = await startWorker(); });
  after(async () => { await mf?.dispose(); });

  test('GET /health reports status, crate version and transport', async () => {
    const res = await mf.dispatchFetch('http://localhost/health');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(await res.json(), { status: 'ok', version: crateVersion, transport: 'streamable-http' });
  });

  test('unknown paths answer 404 with a JSON body', async () => {
    const res = await mf.dispatchFetch('http://localhost/nope');
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error, 'not_found');
  });

  test('wrong methods answer 405 with Allow', async () => {
    let res = await mf.dispatchFetch('http://localhost/mcp');
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST, DELETE');
    await res.arrayBuffer();
    res = await mf.dispatchFetch('http://localhost/health', { method: 'POST', body: '{}' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
    await res.arrayBuffer();
  });

  test('a session lives in its Durable Object until DELETE', async () => {
    const sid = await openSession(mf);
    assert.match(sid, /^[0-9a-f]{64}$/);
    assert.deepEqual(await storedKeys(mf, sid), ['record']);

    const res = await postMcp(mf, PING, { 'mcp-session-id': sid });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { jsonrpc: '2.0', id: 'p', result: {} });

    const del = await mf.dispatchFetch('http://localhost/mcp', { method: 'DELETE', headers: { authorization: MCP_HEADERS.authorization, 'mcp-session-id': sid } });
    assert.equal(del.status, 204);
    assert.deepEqual(await storedKeys(mf, sid), []);
    const gone = await postMcp(mf, PING, { 'mcp-session-id': sid });
    assert.equal(gone.status, 404);
    await gone.arrayBuffer();
  });

  test('a malformed body is refused and the server keeps serving', async () => {
    const res = await postMcp(mf, '{"jsonrpc":');
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.code, -32700);
    const ok = await mf.dispatchFetch('http://localhost/health');
    assert.equal(ok.status, 200);
    await ok.arrayBuffer();
  });

  test('a bad configuration value is a clear 500 that names the variable', async () => {
    const bad = await startWorker({ vars: { SESSION_TTL_SECONDS: 'soon' } });
    try {
      const res = await bad.dispatchFetch('http://localhost/health');
      assert.equal(res.status, 500);
      const body = await res.json();
      assert.equal(body.error, 'server_misconfigured');
      assert.match(body.message, /SESSION_TTL_SECONDS/);
    } finally {
      await bad.dispose();
    }
  });
});

describe('persistence and expiry', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sequentum-mcp-e2e-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a session record survives a restart on persisted storage', async () => {
    const first = await startWorker({ persistDir: dir });
    const sid = await openSession(first);
    await first.dispose();

    const second = await startWorker({ persistDir: dir });
    try {
      assert.deepEqual(await storedKeys(second, sid), ['record']);
      const res = await postMcp(second, PING, { 'mcp-session-id': sid });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { jsonrpc: '2.0', id: 'p', result: {} });
    } finally {
      await second.dispose();
    }
  });

  test('the idle alarm deletes the session storage', async () => {
    // TTL of one second: the alarm is real, only the configured time is short.
    const mf = await startWorker({ vars: { SESSION_TTL_SECONDS: '1' } });
    try {
      const sid = await openSession(mf);
      assert.deepEqual(await storedKeys(mf, sid), ['record']);
      // Poll the storage itself (not /mcp, which would touch the session).
      let keys = ['record'];
      for (let i = 0; i < 50 && keys.length > 0; i++) {
        await sleep(100);
        keys = await storedKeys(mf, sid);
      }
      assert.deepEqual(keys, [], 'alarm fired and erased the record');
      const res = await postMcp(mf, PING, { 'mcp-session-id': sid });
      assert.equal(res.status, 404);
      await res.arrayBuffer();
    } finally {
      await mf.dispose();
    }
  });
});
