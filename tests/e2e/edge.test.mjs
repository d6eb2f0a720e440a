// The edge through workerd: discovery, the 401 challenge, CORS, session
// binding, the shared rate limit, and what the log never contains.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { INITIALIZE, MCP_HEADERS, postMcp, startWorker } from './harness.mjs';

const PING = { jsonrpc: '2.0', id: 1, method: 'ping' };
const BASE = 'https://mcp.example';

function post(mf, message, headers) {
  return mf.dispatchFetch(`${BASE}/mcp`, {
    method: 'POST',
    headers,
    body: JSON.stringify(message),
  });
}

function unauthenticated() {
  const { authorization, ...rest } = MCP_HEADERS;
  return rest;
}

describe('default configuration', () => {
  let mf;
  before(async () => { mf = await startWorker(); });
  after(async () => { await mf?.dispose(); });

  test('401 → protected-resource metadata → authorization server → token accepted', async () => {
    const res = await post(mf, INITIALIZE, unauthenticated());
    assert.equal(res.status, 401);
    const challenge = res.headers.get('www-authenticate');
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    assert.equal(metadataUrl, `${BASE}/.well-known/oauth-protected-resource/mcp`);
    assert.match(challenge, /scope="agents:read runs:read spaces:read agents:write offline_access"/);
    const body = await res.json();
    assert.equal(body.error.code, -32001);
    assert.equal(body.error.data.protectedResourceMetadata, metadataUrl);

    const prm = await (await mf.dispatchFetch(metadataUrl)).json();
    assert.equal(prm.resource, `${BASE}/mcp`);
    assert.deepEqual(prm.bearer_methods_supported, ['header']);
    const [issuer] = prm.authorization_servers;
    assert.equal(issuer, 'http://127.0.0.1:9');
    const asm = await (await mf.dispatchFetch(`${BASE}/.well-known/oauth-authorization-server`)).json();
    assert.equal(asm.issuer, issuer);
    assert.deepEqual(asm.code_challenge_methods_supported, ['S256']);
    assert.equal(asm.registration_endpoint, `${issuer}/api/oauth/register`);

    // With a token (opaque: no JWKS configured) the same request is served.
    const ok = await post(mf, INITIALIZE, { ...unauthenticated(), authorization: 'Bearer obtained-token' });
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('mcp-session-id'), /^[0-9a-f]{64}$/);
    await ok.arrayBuffer();
  });

  test('CORS: preflight, allowed origin, refused origin', async () => {
    const preflight = await mf.dispatchFetch(`${BASE}/mcp`, {
      method: 'OPTIONS',
      headers: { origin: 'https://connectors.us.claude.ai', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://connectors.us.claude.ai');
    assert.match(preflight.headers.get('access-control-allow-headers'), /Mcp-Session-Id/);
    assert.match(preflight.headers.get('access-control-allow-methods'), /DELETE/);
    assert.ok(Number(preflight.headers.get('access-control-max-age')) > 0);
    assert.equal(preflight.headers.get('vary'), 'Origin');

    const evilPreflight = await mf.dispatchFetch(`${BASE}/mcp`, { method: 'OPTIONS', headers: { origin: 'https://claude.ai.evil.com' } });
    assert.equal(evilPreflight.status, 204);
    assert.equal(evilPreflight.headers.get('access-control-allow-origin'), null);

    const allowed = await post(mf, PING, { ...MCP_HEADERS, origin: 'https://chatgpt.com' });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://chatgpt.com');
    assert.match(allowed.headers.get('access-control-expose-headers'), /Mcp-Session-Id/);
    await allowed.arrayBuffer();

    const refused = await post(mf, PING, { ...MCP_HEADERS, origin: 'https://chat.openai.com' });
    assert.equal(refused.status, 403);
    assert.equal((await refused.json()).error.code, -32000);
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
    assert.equal(refused.headers.get('vary'), 'Origin');
  });

  test('a session answers 404 to anyone but the principal that created it', async () => {
    const owner = { ...unauthenticated(), 'x-api-key': 'sk-owner-key' };
    const init = await post(mf, INITIALIZE, owner);
    assert.equal(init.status, 200);
    await init.arrayBuffer();
    const sid = init.headers.get('mcp-session-id');
    const thief = { ...MCP_HEADERS, 'mcp-session-id': sid };
    const stolen = await post(mf, PING, thief);
    assert.equal(stolen.status, 404);
    await stolen.arrayBuffer();
    const del = await mf.dispatchFetch(`${BASE}/mcp`, { method: 'DELETE', headers: thief });
    assert.equal(del.status, 404);
    await del.arrayBuffer();
    const mine = await post(mf, PING, { ...owner, 'mcp-session-id': sid });
    assert.equal(mine.status, 200);
    assert.deepEqual(await mine.json(), { jsonrpc: '2.0', id: 1, result: {} });
  });
});

describe('RATE_LIMIT_PER_MINUTE=3', () => {
  let mf;
  before(async () => { mf = await startWorker({ vars: { RATE_LIMIT_PER_MINUTE: '3' } }); });
  after(async () => { await mf?.dispose(); });

  test('the fourth request in a minute is 429 with Retry-After; others and /health are unaffected', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await postMcp(mf, PING);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('ratelimit-remaining'), String(2 - i));
      await res.arrayBuffer();
    }
    const limited = await postMcp(mf, PING);
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal((await limited.json()).error.code, -32029);

    const other = await postMcp(mf, PING, { authorization: 'Bearer someone-else' });
    assert.equal(other.status, 200);
    await other.arrayBuffer();
    for (let i = 0; i < 5; i++) {
      const health = await mf.dispatchFetch('http://localhost/health');
      assert.equal(health.status, 200);
      await health.arrayBuffer();
    }
  });
});

describe('DEBUG=1 logging', () => {
  const lines = [];
  let mf;
  before(async () => { mf = await startWorker({ vars: { DEBUG: '1' }, onLog: (line) => lines.push(line) }); });
  after(async () => { await mf?.dispose(); });

  test('headers and bodies are logged, credentials never', async () => {
    const secrets = ['sk-live-secret-key-1', 'opaque-secret-token-2', 'cookie-secret-3', 'password-secret-4'];
    const res = await post(mf, { ...PING, params: { password: secrets[3], note: `Bearer ${secrets[1]}` } }, {
      ...unauthenticated(),
      authorization: `Bearer ${secrets[1]}`,
      'x-api-key': secrets[0],
      cookie: `sid=${secrets[2]}`,
      'user-agent': 'edge-e2e',
    });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const line = lines.find((l) => l.includes('edge-e2e'));
    assert.ok(line, `the request was logged: ${lines.join('\n')}`);
    const entry = JSON.parse(line);
    assert.equal(entry.status, 200);
    assert.equal(entry.rpc, 'ping');
    assert.equal(entry.principal, 'tok');
    assert.equal(entry.headers.authorization, '[REDACTED]');
    const all = lines.join('\n');
    for (const secret of secrets) assert.ok(!all.includes(secret), `${secret} leaked into the log`);
  });
});
