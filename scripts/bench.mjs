// Load figures for the built worker (build/, from scripts/build.sh) on local
// workerd: requests/s, p50/p99 latency and error counts for nine kinds of
// request, among them a tool call, a resource read and a completion (against
// a local stand-in for the Sequentum API that answers at once, measured on
// its own too) and a prompt, plus the
// tools/list size and the bundle size. A bench, not a test: it prints what it measured and never judges
// a time. It fails only when the setup is broken (no build, a preflight
// request answered wrongly). See docs/performance.md.
//
//   node scripts/bench.mjs [--duration S] [--connections N] [--warmup S]
//                          [--init-max N] [--only a,b,c,d] [--state-dir DIR] [--wrangler]
//
// Defaults: 10 s per scenario, 10 connections, 2 s warm-up (not counted).
// Environment: BENCH_DURATION, BENCH_CONNECTIONS, BENCH_WARMUP, BENCH_INIT_MAX,
// BENCH_STATE_DIR.
import { spawn, execFileSync } from 'node:child_process';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { INITIALIZE, MCP_HEADERS, ROOT, startWorker } from '../tests/e2e/harness.mjs';

const USAGE = `usage: node scripts/bench.mjs [options]
  --duration S      measured seconds per scenario (BENCH_DURATION, default 10)
  --connections N   concurrent keep-alive connections (BENCH_CONNECTIONS, default 10)
  --warmup S        unmeasured warm-up seconds before each scenario (BENCH_WARMUP, default 2)
  --init-max N      cap on measured initialize requests, i.e. new sessions (BENCH_INIT_MAX, default 2000, at most 3000)
  --only LIST       scenarios to run, e.g. a,c (default: all, a-i)
  --state-dir DIR   where the temporary Durable Object storage goes (BENCH_STATE_DIR, default the OS temp dir)
  --wrangler        also measure against \`wrangler dev\` (prebuilt build/, no rebuild)
  -h, --help        this text`;

// ---------------------------------------------------------------- settings

function settings() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      warmup: { type: 'string' },
      'init-max': { type: 'string' },
      only: { type: 'string' },
      'state-dir': { type: 'string' },
      wrangler: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const num = (flag, env, fallback, min, max) => {
    const raw = values[flag] ?? process.env[env] ?? String(fallback);
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new Error(`--${flag} / ${env}: '${raw}' is not a number in ${min}..${max}`);
    }
    return n;
  };
  const only = (values.only ?? 'a,b,c,d,e,f,g,h,i').split(',').map((s) => s.trim()).filter(Boolean);
  for (const key of only) {
    if (!SCENARIOS.some((s) => s.key === key)) throw new Error(`--only: unknown scenario '${key}'`);
  }
  return {
    duration: num('duration', 'BENCH_DURATION', 10, 1, 600),
    connections: Math.trunc(num('connections', 'BENCH_CONNECTIONS', 10, 1, 1000)),
    warmup: num('warmup', 'BENCH_WARMUP', 2, 0, 60),
    initMax: Math.trunc(num('init-max', 'BENCH_INIT_MAX', 2000, 1, 3000)),
    only,
    stateDir: path.resolve(values['state-dir'] ?? process.env.BENCH_STATE_DIR ?? os.tmpdir()),
    wrangler: values.wrangler,
  };
}

// --------------------------------------------------------------- scenarios

const PROTOCOL_VERSION = INITIALIZE.params.protocolVersion;
const INIT_BODY = JSON.stringify({
  ...INITIALIZE,
  params: { ...INITIALIZE.params, clientInfo: { name: 'bench', version: '0.0.0' } },
});
const SESSION_HEADERS = { ...MCP_HEADERS, 'mcp-protocol-version': PROTOCOL_VERSION };
// MCP_HEADERS carry the harness's opaque bearer token, so every /mcp request
// is one principal and counts against one RateLimiter object. The limit is
// raised past what a run can reach (~3,500/s); the default 100/min would
// answer 429 within the first second.
const VARS = { RATE_LIMIT_PER_MINUTE: '1000000' };
// Initialize warm-up: enough to warm the path, few enough to keep sessions bounded.
const INIT_WARMUP_REQUESTS = 100;

/** What counts as a correct answer: a JSON body with the expected shape. */
const rpcResult = (check) => (body) => body.jsonrpc === '2.0' && !body.error && check(body.result ?? {});

const SCENARIOS = [
  {
    key: 'a',
    name: 'GET /health',
    method: 'GET',
    path: '/health',
    headers: () => ({}),
    expect: (body) => body.status === 'ok',
  },
  {
    key: 'b',
    name: 'POST /mcp initialize (new session each)',
    method: 'POST',
    path: '/mcp',
    headers: () => MCP_HEADERS,
    body: INIT_BODY,
    createsSessions: true,
    expect: rpcResult((r) => r.protocolVersion === PROTOCOL_VERSION),
  },
  {
    key: 'c',
    name: 'POST /mcp tools/list (one session)',
    method: 'POST',
    path: '/mcp',
    headers: (sessionId) => ({ ...SESSION_HEADERS, 'mcp-session-id': sessionId }),
    body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    needsSession: true,
    expect: rpcResult((r) => Array.isArray(r.tools)),
  },
  {
    key: 'd',
    name: 'POST /mcp ping (stateless)',
    method: 'POST',
    path: '/mcp',
    headers: () => SESSION_HEADERS,
    body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping' }),
    expect: rpcResult(() => true),
  },
  {
    key: 'e',
    name: 'POST /mcp tools/call list_agents (one session)',
    method: 'POST',
    path: '/mcp',
    headers: (sessionId) => ({ ...SESSION_HEADERS, 'mcp-session-id': sessionId }),
    body: JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'list_agents', arguments: {} } }),
    needsSession: true,
    expect: rpcResult((r) => !r.isError && r.structuredContent?.agents?.length === UPSTREAM_AGENTS),
  },
  {
    key: 'g',
    name: 'POST /mcp resources/read sequentum://agents (one session)',
    method: 'POST',
    path: '/mcp',
    headers: (sessionId) => ({ ...SESSION_HEADERS, 'mcp-session-id': sessionId }),
    body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'resources/read', params: { uri: 'sequentum://agents' } }),
    needsSession: true,
    expect: rpcResult((r) => JSON.parse(r.contents?.[0]?.text ?? '{}').agents?.length === UPSTREAM_AGENTS),
  },
  {
    key: 'h',
    name: 'POST /mcp completion/complete agentName "agent 1" (one session)',
    method: 'POST',
    path: '/mcp',
    headers: (sessionId) => ({ ...SESSION_HEADERS, 'mcp-session-id': sessionId }),
    body: JSON.stringify({
      jsonrpc: '2.0', id: 6, method: 'completion/complete',
      params: { ref: { type: 'ref/prompt', name: 'debug-agent' }, argument: { name: 'agentName', value: 'agent 1' } },
    }),
    needsSession: true,
    // "Agent 1" and "Agent 10" … "Agent 19" of the stand-in's page.
    expect: rpcResult((r) => r.completion?.values?.length === 11),
  },
  {
    key: 'i',
    name: 'POST /mcp prompts/get debug-agent (one session)',
    method: 'POST',
    path: '/mcp',
    headers: (sessionId) => ({ ...SESSION_HEADERS, 'mcp-session-id': sessionId }),
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'prompts/get', params: { name: 'debug-agent', arguments: { agentName: 'Agent 1' } } }),
    needsSession: true,
    expect: rpcResult((r) => r.messages?.length === 1),
  },
  {
    key: 'f',
    name: 'GET the stand-in API directly (what e, g and h call)',
    method: 'GET',
    path: '/api/v1/agent/all?pageIndex=1&recordsPerPage=50',
    headers: () => ({ authorization: MCP_HEADERS.authorization }),
    onUpstream: true,
    expect: (body) => body.agents?.length === UPSTREAM_AGENTS,
  },
];
// initialize runs last: the thousands of Durable Objects it creates stay
// open in workerd and must not sit under the other scenarios.
const RUN_ORDER = ['a', 'd', 'c', 'i', 'e', 'g', 'h', 'f', 'b'];

// --------------------------------------------------- the stand-in upstream

const UPSTREAM_AGENTS = 50;

/**
 * A stand-in for the Sequentum API that answers the agent list at once with
 * a fixed page of 50 agents (the tool's default page size), and 404 to
 * anything else. It runs in this process, so its cost is shared with the
 * load generator, as scenario f shows.
 */
function startUpstream() {
  const page = Buffer.from(JSON.stringify({
    agents: Array.from({ length: UPSTREAM_AGENTS }, (_, i) => ({
      id: 1000 + i,
      name: `Agent ${i + 1}`,
      description: 'Collects product prices from a retailer catalogue every night.',
      documentation: 'Long documentation that the list summaries leave out. '.repeat(4),
      status: i % 13,
      configType: 'Agent',
      version: 1 + (i % 7),
      spaceId: 10 + (i % 3),
      lastActivity: '2026-11-20T03:15:00Z',
      created: '2025-02-01T09:00:00Z',
      updated: '2026-11-01T09:00:00Z',
    })),
    totalRecordCount: 240,
  }));
  const server = http.createServer((req, res) => {
    req.resume();
    if (req.method === 'GET' && req.url.startsWith('/api/v1/agent/all')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': page.length });
      res.end(page);
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"not found"}');
    }
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() });
    });
  });
}

// ------------------------------------------------------------ measurement

// What a Ctrl-C must clean up, and what it can still report.
const live = { persistDirs: new Set(), wranglerGroup: undefined, label: '', rows: [] };

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** One autocannon run; latencies are kept exactly (ms, fractional). */
function cannon(base, sc, sessionId, { seconds, amount, connections }) {
  const latencies = [];
  let last = 0;
  let status = 0; // of the response whose body verifyBody sees next
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const opts = {
      url: base + sc.path,
      method: sc.method,
      headers: sc.headers(sessionId),
      body: sc.body,
      connections: amount ? Math.min(connections, amount) : connections,
      duration: seconds,
      // autocannon notices the end of a run at its next sample; sample
      // often so that a run lasts its duration, not up to a second more.
      sampleInt: 100,
      timeout: 10,
      // Checks 2xx bodies only; a non-2xx answer is already counted as such.
      verifyBody: (text) => {
        if (status < 200 || status > 299) return true;
        const body = parseJson(text);
        return body !== undefined && sc.expect(body) === true;
      },
    };
    if (amount) opts.amount = amount; // autocannon then ignores duration
    const instance = autocannon(opts, (err, result) => {
      clearTimeout(timer);
      if (err) return reject(err);
      // The clients stop in the sample that ends the run, right before this
      // callback; a run that reached its amount ended at its last response.
      const end = amount && latencies.length >= amount ? last : performance.now();
      const seconds = latencies.length ? (end - started) / 1000 : 0;
      resolve({ result, latencies, seconds });
    });
    // With `amount`, stop at the duration too, whichever comes first.
    const timer = amount ? setTimeout(() => instance.stop(), seconds * 1000) : undefined;
    // Emitted right before verifyBody runs for the same response.
    instance.on('response', (_client, code, _bytes, ms) => {
      status = code;
      latencies.push(ms);
      last = performance.now();
    });
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summarize(sc, { result, latencies, seconds }) {
  const sorted = Float64Array.from(latencies).sort();
  const codes = Object.entries(result.statusCodeStats).map(([code, { count }]) => `${code}×${count}`);
  return {
    key: sc.key,
    name: sc.name,
    requests: latencies.length,
    rps: seconds > 0 ? latencies.length / seconds : 0,
    seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    errors: result.errors, // socket errors, timeouts included
    timeouts: result.timeouts,
    badBodies: result.mismatches, // 2xx answers without the expected body
    non2xx: result.non2xx,
    codes: codes.join(' '),
  };
}

/** One request outside autocannon, to fail loudly before measuring. */
async function preflight(base, sc, sessionId) {
  const res = await fetch(base + sc.path, { method: sc.method, headers: sc.headers(sessionId), body: sc.body });
  const text = await res.text();
  const body = parseJson(text);
  if (res.status !== 200 || body === undefined || sc.expect(body) !== true) {
    throw new Error(`preflight for '${sc.name}' answered ${res.status}: ${text.slice(0, 300)}`);
  }
  if (sc.createsSessions && !/^[0-9a-f]{64}$/.test(res.headers.get('mcp-session-id') ?? '')) {
    throw new Error(`preflight for '${sc.name}' gave no Mcp-Session-Id`);
  }
}

/** A session for scenario c: initialize, then notifications/initialized. */
async function openBenchSession(base) {
  const init = await fetch(`${base}/mcp`, { method: 'POST', headers: MCP_HEADERS, body: INIT_BODY });
  await init.arrayBuffer();
  const sessionId = init.headers.get('mcp-session-id');
  if (init.status !== 200 || !sessionId) throw new Error(`initialize answered ${init.status}`);
  const note = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: { ...SESSION_HEADERS, 'mcp-session-id': sessionId },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  await note.arrayBuffer();
  if (note.status !== 202) throw new Error(`notifications/initialized answered ${note.status}`);
  return sessionId;
}

/** Runs the chosen scenarios against one server; returns rows in a..d order. */
async function runAll(target, cfg, log) {
  const { base } = target;
  const rows = [];
  live.rows = rows;
  let sessionId;
  let sessions = 0;
  for (const key of RUN_ORDER.filter((k) => cfg.only.includes(k))) {
    const sc = SCENARIOS.find((s) => s.key === key);
    if (sc.needsSession) {
      sessionId = await openBenchSession(base);
      sessions += 1;
    }
    const scBase = sc.onUpstream ? target.upstream : base;
    await preflight(scBase, sc, sessionId);
    if (sc.createsSessions) sessions += 1;
    log(`  ${sc.key}. ${sc.name}: warm-up…`);
    const warm = sc.createsSessions
      ? { seconds: cfg.warmup, amount: INIT_WARMUP_REQUESTS }
      : { seconds: cfg.warmup };
    if (cfg.warmup > 0) {
      const w = await cannon(scBase, sc, sessionId, { ...warm, connections: cfg.connections });
      if (sc.createsSessions) sessions += w.result['2xx'];
    }
    log(`  ${sc.key}. ${sc.name}: measuring…`);
    const run = { seconds: cfg.duration, amount: sc.createsSessions ? cfg.initMax : 0 };
    const cpuBefore = serverCpuSeconds(target.serverPids());
    const measured = await cannon(scBase, sc, sessionId, { ...run, connections: cfg.connections });
    const cpu = serverCpuSeconds(target.serverPids()) - cpuBefore;
    if (sc.createsSessions) sessions += measured.result['2xx'];
    rows.push({ ...summarize(sc, measured), cpuMsPerRequest: (cpu * 1000) / measured.latencies.length });
  }
  return { rows: [...rows].sort((x, y) => x.key.localeCompare(y.key)), sessions, sizes: await sizes(base) };
}

// ----------------------------------------------------------------- output

/** The tools/list answer (a stateless request) and the shipped bundle, in bytes. */
async function sizes(base) {
  const res = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: SESSION_HEADERS,
    body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/list' }),
  });
  const body = Buffer.from(await res.arrayBuffer());
  const tools = JSON.parse(body).result?.tools?.length ?? 0;
  const bundle = ['build/index.js', 'build/index_bg.wasm'].map((f) => readFileSync(path.join(ROOT, f)));
  return {
    toolsListBytes: body.length,
    toolsListGzipBytes: gzipSync(body, { level: 9 }).length,
    tools,
    bundleBytes: bundle.reduce((n, b) => n + b.length, 0),
    bundleGzipBytes: bundle.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0),
  };
}

const ms = (v) => (Number.isFinite(v) ? v.toFixed(1) : '–');
const cpuMs = (v) => (Number.isFinite(v) ? v.toFixed(2) : '–');

function table(rows) {
  const lines = [
    '| scenario | requests/s | p50 ms | p99 ms | errors/non-2xx | requests |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const errors = r.errors + r.badBodies;
    lines.push(`| ${r.key}. ${r.name} | ${Math.round(r.rps)} | ${ms(r.p50)} | ${ms(r.p99)} | ${errors} / ${r.non2xx} | ${r.requests} |`);
  }
  return lines.join('\n');
}

function details(rows) {
  return rows
    .map((r) =>
      `  ${r.key}. ${r.requests} responses in ${r.seconds.toFixed(2)} s; status ${r.codes || 'none'}; ` +
      `max ${ms(r.max)} ms; server CPU ${cpuMs(r.cpuMsPerRequest)} ms/request; ` +
      `socket errors ${r.errors - r.timeouts}, timeouts ${r.timeouts}, unexpected bodies ${r.badBodies}`)
    .join('\n');
}

function git(...args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** ' (ext2/ext3)', ' (tmpfs)', …: a new SQLite file per session makes this matter. */
function fsType(dir) {
  try {
    const type = execFileSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return type ? ` (${type})` : '';
  } catch {
    return '';
  }
}

function packageVersion(name) {
  const file = path.join(ROOT, 'node_modules', name, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : 'not installed';
}

function machineInfo() {
  const cpus = os.cpus();
  const commit = git('rev-parse', '--short', 'HEAD') || 'unknown';
  const dirty = git('status', '--porcelain', '--untracked-files=no') ? ' (uncommitted changes)' : '';
  const wasm = path.join(ROOT, 'build/index_bg.wasm');
  const built = statSync(wasm);
  return [
    `date: ${new Date().toISOString()}`,
    `machine: ${cpus[0]?.model?.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}; ` +
      `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    `versions: node ${process.version}, workerd ${packageVersion('workerd')}, ` +
      `miniflare ${packageVersion('miniflare')}, wrangler ${packageVersion('wrangler')}, autocannon ${packageVersion('autocannon')}`,
    `commit: ${commit}${dirty}; build/index_bg.wasm ${built.size} bytes, built ${built.mtime.toISOString()}`,
  ].join('\n');
}

// ---------------------------------------------------------------- targets

/** Miniflare through the e2e harness: real Durable Objects, on-disk SQLite. */
async function miniflareTarget(persistDir) {
  const logs = { count: 0, errors: [] };
  const mf = await startWorker({
    host: '127.0.0.1',
    port: 0,
    persistDir,
    vars: VARS,
    // One JSON line per request from the worker; counted, not printed.
    onLog: (message, level) => {
      logs.count += 1;
      if (level === 'error' && logs.errors.length < 5) logs.errors.push(message);
    },
  });
  const base = String(await mf.ready).replace(/\/$/, '');
  return {
    base,
    logs,
    // Miniflare's workerd is a child of this process.
    serverPids: () => processes().filter((p) => p.ppid === process.pid && p.comm === 'workerd').map((p) => p.pid),
    stop: () => withTimeout(mf.dispose(), 30_000, 'Miniflare dispose'),
  };
}

// ------------------------------------------------- server CPU (Linux /proc)

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) || 100;
  } catch {
    return 100;
  }
})();

/** Processes as {pid, comm, ppid, pgrp}; empty where there is no /proc. */
function processes() {
  if (!existsSync('/proc/self/stat')) return [];
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(name);
    if (stat) out.push({ pid: Number(name), comm: stat.comm, ppid: stat.fields[1], pgrp: stat.fields[2] });
  }
  return out;
}

/** /proc/<pid>/stat: the command name and the numeric fields after it (state is fields[0]). */
function procStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const fields = text.slice(close + 2).split(' ').map((f, i) => (i === 0 ? f : Number(f)));
    return { comm: text.slice(text.indexOf('(') + 1, close), fields };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** User + system CPU seconds the given processes have used; NaN without /proc. */
function serverCpuSeconds(pids) {
  if (pids.length === 0) return NaN;
  let ticks = 0;
  for (const pid of pids) {
    const stat = procStat(pid);
    if (stat) ticks += stat.fields[11] + stat.fields[12]; // utime, stime
  }
  return ticks / CLOCK_TICKS;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * `wrangler dev` on the prebuilt build/: a copy of wrangler.toml without its
 * [build] table (which would rebuild with wasm-opt) under .state/bench/.
 */
async function wranglerTarget(persistDir) {
  const dir = path.join(ROOT, '.state/bench');
  mkdirSync(dir, { recursive: true });
  const config = readFileSync(path.join(ROOT, 'wrangler.toml'), 'utf8')
    .replace(/^(?:#.*\n)*\[build\]\n(?:(?!\[).*\n)*/m, '')
    .replace(/^main\s*=.*$/m, `main = ${JSON.stringify(path.join(ROOT, 'build/index.js'))}`);
  writeFileSync(path.join(dir, 'wrangler.toml'), `# Written by scripts/bench.mjs: wrangler.toml without [build].\n${config}`);
  const port = await freePort();
  const logFile = path.join(dir, 'wrangler.log');
  const out = openSync(logFile, 'w');
  const child = spawn(
    path.join(ROOT, 'node_modules/.bin/wrangler'),
    ['dev', '-c', path.join(dir, 'wrangler.toml'), '--ip', '127.0.0.1', '--port', String(port),
      '--persist-to', persistDir, '--log-level', 'warn', '--show-interactive-dev-session=false',
      ...Object.entries(VARS).map(([name, value]) => `--var=${name}:${value}`)],
    {
      cwd: ROOT,
      detached: true, // its own process group, so wrangler and its workerd stop together
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        CI: '1',
        WRANGLER_SEND_METRICS: 'false',
        WRANGLER_SEND_ERROR_REPORTS: 'false',
        WRANGLER_HIDE_BANNER: 'true',
        CLOUDFLARE_CF_FETCH_ENABLED: 'false',
        WRANGLER_LOG_PATH: path.join(ROOT, '.state/wrangler-logs'),
        XDG_CONFIG_HOME: path.join(ROOT, '.state/xdg-config'),
      },
    },
  );
  live.wranglerGroup = child.pid;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    live.wranglerGroup = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    const gone = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!gone) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}); see ${logFile}`);
    try {
      const res = await fetch(`${base}/health`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not answer /health within 60 s; see ${logFile}`);
    }
    await sleep(250);
  }
  // wrangler's own Node process and both of its workerd processes.
  const serverPids = () => processes().filter((p) => p.pgrp === child.pid).map((p) => p.pid);
  return { base, logs: { count: NaN, errors: [] }, stop, logFile, serverPids };
}

// Unref'd: a pending sleep never keeps the process alive.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} took over ${ms / 1000} s`)), ms); }),
  ]);
}

// ------------------------------------------------------------------- main

async function benchTarget(label, start, cfg, upstreamUrl) {
  const persistDir = mkdtempSync(path.join(cfg.stateDir, 'sequentum-mcp-bench-'));
  live.persistDirs.add(persistDir);
  live.label = label;
  const log = (line) => console.error(line);
  log(`${label}: starting (Durable Object storage in ${persistDir})`);
  let target;
  try {
    target = await start(persistDir);
    target.upstream = upstreamUrl;
    log(`${label}: serving on ${target.base}`);
    const { rows, sessions, sizes } = await runAll(target, cfg, log);
    return { label, rows, sessions, sizes, target };
  } finally {
    if (target) {
      await target.stop().catch((err) => log(`${label}: ${err.message}`));
    }
    rmSync(persistDir, { recursive: true, force: true });
    live.persistDirs.delete(persistDir);
  }
}

function report({ label, rows, sessions, sizes: z, target }) {
  console.log(`\n### ${label}\n`);
  console.log(table(rows));
  console.log(`\n  tools/list: ${z.tools} tools, ${z.toolsListBytes} bytes (${z.toolsListGzipBytes} gzip -9); ` +
    `bundle build/index.js + index_bg.wasm: ${z.bundleBytes} bytes (${z.bundleGzipBytes} gzip -9)`);
  console.log(`\n${details(rows)}`);
  console.log(`  Durable Objects created: ${sessions} sessions, each its own SQLite database on disk`);
  if (Number.isFinite(target.logs.count)) console.log(`  worker log lines: ${target.logs.count} (counted, not printed)`);
  for (const line of target.logs.errors) console.log(`  worker error log: ${line}`);
  if (target.logFile) console.log(`  wrangler output: ${path.relative(ROOT, target.logFile)}`);
}

async function main() {
  const cfg = settings();
  for (const file of ['build/index.js', 'build/index_bg.wasm']) {
    if (!existsSync(path.join(ROOT, file))) {
      throw new Error(`${file} is missing: run 'sh scripts/build.sh' (or 'make bench') first`);
    }
  }
  // Registered before Miniflare's own exit hook, so this runs first; that
  // hook then stops workerd when we exit.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);

  console.log('## sequentum-mcp bench (local workerd, loopback)\n');
  console.log(machineInfo());
  console.log(
    `settings: ${cfg.duration} s measured per scenario after ${cfg.warmup} s warm-up, ` +
      `${cfg.connections} keep-alive connection${cfg.connections === 1 ? '' : 's'} (autocannon, closed loop, in this Node process); ` +
      `run order ${RUN_ORDER.filter((k) => cfg.only.includes(k)).join(', ')}`,
  );
  console.log(`storage: a fresh directory under ${cfg.stateDir}${fsType(cfg.stateDir)}, removed afterwards`);
  console.log(
    `configuration: defaults except ${Object.entries(VARS).map(([k, v]) => `${k}=${v}`).join(', ')}; ` +
      `/mcp requests carry one opaque bearer token (one principal, one rate-limiter object)`,
  );
  if (cfg.only.includes('b')) {
    console.log(
      `bound: initialize stops at ${cfg.initMax} requests or ${cfg.duration} s, whichever comes first ` +
        `(warm-up: ${INIT_WARMUP_REQUESTS} requests or ${cfg.warmup} s); every request creates a Durable Object, ` +
        `and workerd with on-disk storage fails (SQLITE_NOMEM) after ~4,800 live ones. ` +
        `SESSION_TTL_SECONDS is left at its default (3600 s), so no alarm fires during the run.`,
    );
  }

  const upstream = await startUpstream();
  VARS.SEQUENTUM_API_URL = upstream.url;
  const targets = [['Miniflare (harness startWorker)', miniflareTarget]];
  if (cfg.wrangler) targets.push(['wrangler dev', wranglerTarget]);
  for (const [label, start] of targets) {
    const outcome = await benchTarget(label, start, cfg, upstream.url);
    report(outcome);
  }
  upstream.close();
}

/**
 * Ctrl-C: report the scenarios that finished, then clean up synchronously
 * (a terminal's SIGINT reaches Miniflare's workerd too, so there is nothing
 * left to wind down gracefully) and exit. Miniflare's exit hook stops its
 * workerd; wrangler runs in its own process group, which gets SIGTERM.
 */
function onSignal(signal) {
  if (live.wranglerGroup !== undefined) {
    try { process.kill(-live.wranglerGroup, 'SIGTERM'); } catch { /* already gone */ }
  }
  for (const dir of live.persistDirs) rmSync(dir, { recursive: true, force: true });
  const done = [...live.rows].sort((x, y) => x.key.localeCompare(y.key));
  console.log(`\n${signal}: interrupted during ${live.label || 'startup'}; ` +
    (done.length ? `scenarios finished there so far:\n\n${table(done)}` : 'no scenario finished there'));
  process.exit(130);
}

main().catch((err) => {
  console.error(`bench: ${err.message}`);
  process.exitCode = 1;
});
