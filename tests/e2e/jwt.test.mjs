// Bearer JWTs verified inside workerd against a JWKS served by a real local
// HTTP server: the worker fetches the keys itself, caches them per isolate,
// and binds sessions to the token's (iss, sub).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { generateKeyPairSync, sign } from 'node:crypto';
import { after, before, test } from 'node:test';
import { INITIALIZE, startWorker } from './harness.mjs';

const ISSUER = 'https://auth.example';
const BASE = 'https://mcp.example';
const PING = { jsonrpc: '2.0', id: 1, method: 'ping' };

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const JWK = { ...publicKey.export({ format: 'jwk' }), kid: 'e2e-1', alg: 'ES256', use: 'sig' };

function b64url(value) {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

function jwt(claims = {}) {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url({ alg: 'ES256', typ: 'JWT', kid: 'e2e-1' });
  const payload = b64url({ iss: ISSUER, sub: 'user-1', aud: `${BASE}/mcp`, iat: now, exp: now + 300, ...claims });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

let jwksServer;
let jwksHits = 0;
let mf;

before(async () => {
  jwksServer = createServer((req, res) => {
    jwksHits += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [JWK] }));
  });
  await new Promise((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const { port } = jwksServer.address();
  mf = await startWorker({ vars: { JWT_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, JWT_ISSUER: ISSUER } });
});
after(async () => {
  await mf?.dispose();
  jwksServer?.close();
});

function post(message, token, extra = {}) {
  return mf.dispatchFetch(`${BASE}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...extra,
    },
    body: JSON.stringify(message),
  });
}

test('a signed token is verified against the JWKS and binds the session to its subject', async () => {
  // The client's discovery: 401 → protected-resource metadata → issuer.
  const challenge = await post(INITIALIZE);
  assert.equal(challenge.status, 401);
  await challenge.arrayBuffer();
  const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge.headers.get('www-authenticate'))[1];
  const metadata = await (await mf.dispatchFetch(metadataUrl)).json();
  assert.equal(metadata.resource, `${BASE}/mcp`);
  assert.ok(metadata.authorization_servers.length === 1);

  const init = await post(INITIALIZE, jwt());
  assert.equal(init.status, 200, await init.clone().text());
  await init.arrayBuffer();
  const sid = init.headers.get('mcp-session-id');

  // A refreshed token for the same user keeps the session; another user does not get it.
  const refreshed = await post(PING, jwt({ jti: 'refresh' }), { 'mcp-session-id': sid });
  assert.equal(refreshed.status, 200);
  await refreshed.arrayBuffer();
  const other = await post(PING, jwt({ sub: 'user-2' }), { 'mcp-session-id': sid });
  assert.equal(other.status, 404);
  await other.arrayBuffer();
  assert.equal(jwksHits, 1, 'the key set is fetched once and cached');
});

test('expired, foreign and tampered tokens are invalid_token', async () => {
  const now = Math.floor(Date.now() / 1000);
  const tampered = jwt().replace(/\.([^.]+)\./, (_, p) => `.${b64url({ ...JSON.parse(Buffer.from(p, 'base64url')), sub: 'admin' })}.`);
  const hs256 = `${b64url({ alg: 'HS256', typ: 'JWT', kid: 'e2e-1' })}.${b64url({ iss: ISSUER, sub: 'x', aud: `${BASE}/mcp`, exp: now + 60 })}.c2ln`;
  for (const [token, why] of [
    [jwt({ exp: now - 3600 }), 'token has expired'],
    [jwt({ iss: 'https://evil.example' }), 'token was issued by another issuer'],
    [jwt({ aud: 'https://other.example/mcp' }), 'token is not meant for this server'],
    [tampered, 'token signature does not verify'],
    [hs256, 'token algorithm is not allowed'],
  ]) {
    const res = await post(PING, token);
    assert.equal(res.status, 401, why);
    const header = res.headers.get('www-authenticate');
    assert.ok(header.startsWith(`Bearer error="invalid_token", error_description="${why}"`), header);
    assert.match(header, /resource_metadata="https:\/\/mcp\.example\/\.well-known\/oauth-protected-resource\/mcp"/);
    await res.arrayBuffer();
  }
});
