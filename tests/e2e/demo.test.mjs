// The demo path a newcomer follows (README, `make demo`): the mock Sequentum
// API started from its command line, the built worker pointed at it with the
// demo's settings, and scripts/try.mjs run as a separate process with its
// default token. Checks that the pieces fit, not every tool (tools.test.mjs).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { ROOT, startWorker } from './harness.mjs';

const MOCK = path.join(ROOT, 'mock/sequentum-api.mjs');
const TRY = path.join(ROOT, 'scripts/try.mjs');

/** Runs a Node script to its end: exit code and both outputs. */
function runNode(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Starts `node mock/sequentum-api.mjs --port 0` and resolves with the URL it
 * prints once listening; rejects if it exits first.
 */
function startMockCli() {
  const child = spawn(process.execPath, [MOCK, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => reject(new Error(`the mock exited (${code ?? signal}) before listening: ${stderr}`)));
  });
}

let mock;
let mf;
let endpoint;
/** What the worker logged: with DEBUG=1, every request's headers and body. */
const logged = [];
before(async () => {
  mock = await startMockCli();
  mf = await startWorker({
    host: '127.0.0.1',
    port: 0,
    vars: { SEQUENTUM_API_URL: mock.url, DEBUG: '1' },
    onLog: (line) => logged.push(line),
  });
  endpoint = new URL('/mcp', await mf.ready).href;
});
after(async () => {
  await mf?.dispose();
  if (mock && mock.child.exitCode === null) {
    const exited = new Promise((resolve) => mock.child.once('exit', resolve));
    mock.child.kill('SIGTERM');
    await exited;
  }
});

const tryCli = (...args) => runNode([TRY, '--url', endpoint, ...args]);

test('try.mjs lists the tools', async () => {
  const { code, stdout, stderr } = await tryCli('tools');
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^\d+ tools\n/);
  assert.match(stdout, /list_agents\s+List Agents\s+read-only/);
  assert.match(stdout, /kill_agent\s+Kill Agent\s+writes, destructive/);
});

test('try.mjs calls list_agents with the demo token, answered by the mock account', async () => {
  const { code, stdout, stderr } = await tryCli('call', 'list_agents', '{}');
  assert.equal(code, 0, stderr);
  assert.match(stdout, /"name": "Competitor Price Tracker"/);
  assert.match(stdout, /"name": "Job Board Crawler"/);
});

test('try.mjs passes key=value arguments as JSON values', async () => {
  const { code, stdout, stderr } = await tryCli('call', 'get_agent', 'agentId=101');
  assert.equal(code, 0, stderr);
  assert.match(stdout, /"id": 101/);
});

test('a tool error is printed on stderr with exit status 1', async () => {
  const { code, stdout, stderr } = await tryCli('call', 'get_agent', '{"agentId":999}');
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.match(stderr, /^Not found: /);
});

test('the listing commands answer whatever the catalog holds', async () => {
  for (const command of ['resources', 'templates', 'prompts']) {
    const { code, stderr } = await tryCli(command);
    assert.equal(code, 0, `${command}: ${stderr}`);
  }
});

test('without a token the worker asks for one, and try.mjs says so', async () => {
  const { code, stderr } = await tryCli('--token', '', 'tools');
  assert.equal(code, 1);
  assert.match(stderr, /HTTP 401/);
});

test('a usage mistake is exit status 2, before any connection', async () => {
  const { code, stderr } = await runNode([TRY, '--url', 'http://127.0.0.1:9/mcp', 'call', 'get_agent', '{not json']);
  assert.equal(code, 2);
  assert.match(stderr, /not valid JSON/);
});

test('the verbose log shows requests but never the demo token', async () => {
  assert.equal((await tryCli('call', 'list_spaces', '{}')).code, 0);
  assert.ok(logged.some((line) => line.includes('"authorization":"[REDACTED]"')), 'headers are logged, redacted');
  assert.ok(!logged.some((line) => /Bearer demo/.test(line)), 'the token never appears');
});
