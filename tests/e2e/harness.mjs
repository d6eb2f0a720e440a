// Loads the built worker (build/, from worker-build) into Miniflare with the
// real McpSession Durable Object binding, as wrangler.toml declares it.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WORKER_NAME = 'sequentum-mcp';
const wranglerToml = readFileSync(path.join(ROOT, 'wrangler.toml'), 'utf8');
const compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(wranglerToml)[1];

/**
 * Starts the worker. `vars` are configuration variables; `onLog` receives
 * each line the worker logs (and its level: `log`, `error`, …). Storage always lives
 * on disk, as under `wrangler dev`: in `persistDir`, or a fresh temporary one.
 */
export async function startWorker({
  vars = {},
  persistDir = mkdtempSync(path.join(tmpdir(), 'sequentum-mcp-e2e-')),
  host,
  port,
  onLog,
} = {}) {
  const options = convertV4MiniflareOptions({
    name: WORKER_NAME,
    // worker-build emits an ES module that imports its wasm (TOOLCHAIN pitfall 11).
    modules: [
      { type: 'ESModule', path: path.join(ROOT, 'build/index.js') },
      { type: 'CompiledWasm', path: path.join(ROOT, 'build/index_bg.wasm') },
    ],
    modulesRoot: path.join(ROOT, 'build'),
    compatibilityDate,
    durableObjects: {
      MCP_SESSIONS: { className: 'McpSession', useSQLite: true },
      RATE_LIMITER: { className: 'RateLimiter', useSQLite: true },
    },
    bindings: { SEQUENTUM_API_URL: 'http://127.0.0.1:9', ...vars },
    cf: false,
  });
  options.resourcePersistencePath = persistDir;
  // Every console line of the worker, e.g. to prove what never gets logged.
  if (onLog) options.handleStructuredLogs = ({ message, level }) => onLog(message, level);
  // A real loopback socket for clients that speak HTTP themselves (the SDK).
  if (host !== undefined) Object.assign(options, { host, port });
  const mf = new Miniflare(options);
  await mf.ready;
  mf.persistDir = persistDir;
  return mf;
}

/** The bearer token the helpers send: opaque (no JWKS configured). */
export const TOKEN = 'e2e-opaque-token';

export const MCP_HEADERS = {
  authorization: `Bearer ${TOKEN}`,
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'e2e', version: '0.0.1' },
  },
};

/** POSTs one JSON-RPC message to /mcp. */
export function postMcp(mf, message, headers = {}) {
  return mf.dispatchFetch('http://localhost/mcp', {
    method: 'POST',
    headers: { ...MCP_HEADERS, ...headers },
    body: typeof message === 'string' ? message : JSON.stringify(message),
  });
}

/** Opens a session and returns its id. */
export async function openSession(mf) {
  const res = await postMcp(mf, INITIALIZE);
  if (res.status !== 200) throw new Error(`initialize answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
  return res.headers.get('mcp-session-id');
}

/**
 * Keys a session's Durable Object has stored, read straight from its SQLite
 * file (workers-rs objects do not extend `DurableObject`, so Miniflare's RPC
 * storage inspection cannot reach them). Reading a live WAL database is safe.
 */
export async function storedKeys(mf, sessionId) {
  const ns = await mf.getDurableObjectNamespace('MCP_SESSIONS');
  const id = ns.idFromName(sessionId).toString();
  const file = path.join(mf.persistDir, 'do', `${WORKER_NAME}-McpSession`, `${id}.sqlite`);
  if (!existsSync(file)) return [];
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE name = '_cf_KV'").get();
    return table ? db.prepare('SELECT key FROM _cf_KV ORDER BY key').all().map((r) => r.key) : [];
  } finally {
    db.close();
  }
}
