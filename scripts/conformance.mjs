// The official MCP conformance suite (@modelcontextprotocol/conformance, pinned
// in package.json) against the worker under `wrangler dev`: every server
// scenario of one requirement set, judged against the committed baseline
// tests/conformance/expected-failures.yml. Fails when a check fails that the
// baseline does not list, or when a baseline entry now passes (the baseline
// only ever shrinks). See docs/conformance.md.
//
// Run through scripts/conformance.sh, `make conformance` or scripts/test.sh:
// they source scripts/env.sh (Node 22, offline wrangler settings, build tools).
// `--verbose` streams the suite's own output.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REQUIREMENTS = '2025-11-25';
const BASELINE = path.join(ROOT, 'tests/conformance/expected-failures.yml');
const CLI = path.join(ROOT, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const WRANGLER = path.join(ROOT, 'node_modules/.bin/wrangler');
// wrangler dev builds first ([build] in wrangler.toml): seconds when target/ is
// warm, a few minutes from a cold target/ on two cores.
const START_TIMEOUT_MS = Number(process.env.CONFORMANCE_START_TIMEOUT_MS ?? 600_000);
const RUN_TIMEOUT_MS = 15 * 60_000; // the suite itself times out each scenario after 30 s
const VERBOSE = process.argv.includes('--verbose');

const started = Date.now();
const log = (msg) => console.log(`conformance: ${msg}`);
function die(msg) {
  console.error(`conformance: ${msg}`);
  process.exit(1);
}

if (!process.env.ROOT || !existsSync(process.env.ROOT) || realpathSync(process.env.ROOT) !== realpathSync(ROOT)) {
  die('run me through scripts/conformance.sh, `make conformance` or scripts/test.sh (they source scripts/env.sh)');
}
if (Number(process.versions.node.split('.')[0]) < 22) {
  die(`the suite needs Node >= 22, this is ${process.version}; run \`make setup\``);
}
const suiteVersion = JSON.parse(
  readFileSync(path.join(ROOT, 'node_modules/@modelcontextprotocol/conformance/package.json'), 'utf8'),
).version;

// ---------------------------------------------------------------- cleanup ---

let work; // the run's temporary directory
const groups = []; // process groups we started; killing a finished one is harmless
function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone
  }
}
process.on('exit', () => groups.forEach((child) => killGroup(child, 'SIGKILL')));
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    console.error(`conformance: ${signal}, stopping`);
    groups.forEach((child) => killGroup(child, 'SIGTERM'));
    if (work) rmSync(work, { recursive: true, force: true });
    process.exit(code);
  });
}

/**
 * Starts `command` as the leader of a new process group. Its output is kept in
 * `child.output` and written to `logFile`; `child.exited` resolves with its
 * exit code, `child.closed` once its output ended (grandchildren may hold it).
 */
function startGroup(command, args, { env = process.env, logFile, echo = false }) {
  const child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  groups.push(child);
  const out = createWriteStream(logFile);
  child.output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      child.output += chunk;
      out.write(chunk);
      if (echo) process.stdout.write(chunk);
    });
  }
  child.exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal));
    child.on('error', (err) => {
      child.output += `\n${err}\n`;
      resolve(-1);
    });
  });
  child.closed = new Promise((resolve) => {
    child.on('close', resolve);
    child.on('error', resolve);
  }).then(() => out.end());
  return child;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for `promise`, but no longer than `ms` (leaving no timer behind). */
async function within(promise, ms) {
  let timer;
  await Promise.race([promise, new Promise((resolve) => { timer = setTimeout(resolve, ms); })]);
  clearTimeout(timer);
}

/** SIGTERM to the whole group, SIGKILL to whatever is left after 5 s. */
async function stopGroup(child) {
  killGroup(child, 'SIGTERM');
  await within(child.exited, 5000);
  // Grandchildren (workerd) share the group: none may outlive the leader.
  killGroup(child, 'SIGKILL');
  await within(child.closed, 2000);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// --------------------------------------------------------------- baseline ---

/**
 * Reads the baseline: the suite's expected-failures YAML, restricted to what
 * this project writes (a `server:` list of `<scenario>` or
 * `<scenario>:<check-id>` strings, comments anywhere). The suite parses the
 * same file with a full YAML parser; anything outside the subset is refused
 * here rather than read differently.
 */
function readBaseline(file) {
  const entries = [];
  let section = null;
  readFileSync(file, 'utf8').split('\n').forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trimEnd();
    if (line.trim() === '') return;
    const where = `${path.relative(ROOT, file)}:${i + 1}`;
    if (/^\S/.test(line)) {
      if (line !== 'server:') die(`${where}: only a 'server:' list is supported, got '${line}'`);
      section = 'server';
      return;
    }
    const item = /^\s+-\s+(\S+)$/.exec(line);
    if (!section || !item) die(`${where}: expected '  - <scenario>' or '  - <scenario>:<check-id>', got '${raw}'`);
    const text = item[1];
    const colon = text.indexOf(':');
    const entry = colon === -1
      ? { scenario: text, text }
      : { scenario: text.slice(0, colon), checkId: text.slice(colon + 1), text };
    if (entry.checkId === '' || entry.scenario === '') die(`${where}: '${text}' needs both sides of the colon`);
    if (entries.some((e) => e.text === text)) die(`${where}: '${text}' is listed twice`);
    entries.push(entry);
  });
  for (const e of entries) {
    if (e.checkId && entries.some((w) => !w.checkId && w.scenario === e.scenario)) {
      die(`${path.relative(ROOT, file)}: '${e.scenario}' is baselined wholesale, so '${e.text}' is redundant`);
    }
  }
  return entries;
}

// -------------------------------------------------------------- scenarios ---

/** The server scenarios the requirement set runs: required, then not scored. */
function listScenarios() {
  const run = spawnSync(process.execPath, [CLI, 'list', '--requirements', REQUIREMENTS], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) die(`\`conformance list --requirements ${REQUIREMENTS}\` failed:\n${run.stdout}${run.stderr}`);
  const scenarios = [];
  let inServer = false;
  for (const line of run.stdout.split('\n')) {
    if (/^Server scenarios/.test(line)) inServer = true;
    else if (/^\S/.test(line) || line.trim() === '') inServer = false;
    let m;
    if (inServer && (m = /^ {2}- (\S+)$/.exec(line))) scenarios.push({ name: m[1], scored: true });
    else if ((m = /^\s+- (\S+) \[server\]$/.exec(line))) scenarios.push({ name: m[1], scored: false });
  }
  if (scenarios.length === 0) die(`found no server scenarios in \`conformance list --requirements ${REQUIREMENTS}\`:\n${run.stdout}`);
  return scenarios;
}

/** checks.json of every scenario the suite saved, by scenario name. */
function readResults(dir) {
  const results = new Map();
  if (!existsSync(dir)) return results;
  for (const name of readdirSync(dir)) {
    const m = /^server-(.+)-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/.exec(name);
    const file = path.join(dir, name, 'checks.json');
    if (m && existsSync(file)) results.set(m[1], JSON.parse(readFileSync(file, 'utf8')));
  }
  return results;
}

const isFailing = (check) => check.status === 'FAILURE' || check.status === 'WARNING';
const SEVERITY = { FAILURE: 3, WARNING: 2, SUCCESS: 1 };

/** One verdict per check id, the most severe occurrence (as the suite does). */
function collapse(checks) {
  const verdicts = new Map();
  for (const check of checks) {
    if (check.status === 'INFO') continue;
    const seen = verdicts.get(check.id);
    if (!seen || (SEVERITY[check.status] ?? 0) >= (SEVERITY[seen.status] ?? 0)) verdicts.set(check.id, check);
  }
  return [...verdicts.values()];
}

/**
 * Judges one scenario against the baseline with the suite's own rules
 * (README "Expected Failures"): a wholesale entry expects some check to fail;
 * a per-check entry excuses that check only, is stale once it succeeds, and is
 * tolerated when the check did not run.
 */
function judge(scenario, checks, baseline) {
  const verdicts = collapse(checks);
  const failing = verdicts.filter(isFailing);
  const wholesale = baseline.find((e) => e.scenario === scenario && !e.checkId);
  const perCheck = baseline.filter((e) => e.scenario === scenario && e.checkId);
  const out = { expected: [], unexpected: [], stale: [], passed: verdicts.filter((c) => c.status === 'SUCCESS').length };
  if (wholesale) {
    if (failing.length > 0) out.expected.push(...failing);
    else out.stale.push(wholesale.text);
    return out;
  }
  for (const check of failing) {
    (perCheck.some((e) => e.checkId === check.id) ? out.expected : out.unexpected).push(check);
  }
  for (const entry of perCheck) {
    if (verdicts.find((c) => c.id === entry.checkId)?.status === 'SUCCESS') out.stale.push(entry.text);
  }
  return out;
}

// ------------------------------------------------------------------- main ---

const baseline = readBaseline(BASELINE);
const scenarios = listScenarios();
for (const entry of baseline) {
  if (!scenarios.some((s) => s.name === entry.scenario)) {
    die(`baseline entry ${entry.text} names a scenario requirement set ${REQUIREMENTS} does not run: remove it`);
  }
}

work = mkdtempSync(path.join(tmpdir(), 'sequentum-mcp-conformance-'));
const resultsDir = path.join(work, 'results');
const [port, inspectorPort] = [await freePort(), await freePort()];
const base = `http://127.0.0.1:${port}`;

// Every configuration variable is set (empty means unset), so a developer's
// .dev.vars cannot change the outcome.
const vars = {
  SEQUENTUM_API_URL: 'http://127.0.0.1:9', // nothing listens there: no call leaves the machine
  ALLOWED_ORIGINS: base, // the Origin the suite sends on its well-behaved requests
  DEBUG: '',
  REQUIRE_AUTH: 'false', // the suite has no token to present
  PUBLIC_URL: '',
  JWT_JWKS_URL: '',
  JWT_ISSUER: '',
  JWT_AUDIENCE: '',
  SESSION_TTL_SECONDS: '',
  RATE_LIMIT_PER_MINUTE: '1000000', // one client sends every scenario's requests within seconds
  UPSTREAM_TIMEOUT_MS: '',
};
const wranglerArgs = [
  'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort),
  '--persist-to', path.join(work, 'state'), '--show-interactive-dev-session=false',
  ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
];
log(`@modelcontextprotocol/conformance ${suiteVersion}, requirement set ${REQUIREMENTS}, ${scenarios.length} server scenarios`);
log(`starting wrangler dev on ${base} (work dir ${work})`);
const wrangler = startGroup(WRANGLER, wranglerArgs, {
  env: { ...process.env, WASM_OPT: '0' },
  logFile: path.join(work, 'wrangler.log'),
});

async function waitForHealth() {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exited = false;
  wrangler.exited.then(() => { exited = true; });
  while (Date.now() < deadline && !exited) {
    try {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return null;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  return exited
    ? `wrangler dev exited (${await wrangler.exited}) before GET /health answered 200`
    : `GET ${base}/health did not answer 200 within ${START_TIMEOUT_MS / 1000} s`;
}

const startError = await waitForHealth();
if (startError) {
  await stopGroup(wrangler);
  console.error(`--- wrangler dev output ---\n${wrangler.output}--- end of wrangler dev output ---`);
  die(`${startError}; work dir kept: ${work}`);
}
const ready = Date.now();
log(`worker up after ${((ready - started) / 1000).toFixed(1)} s; running the suite`);

const cli = startGroup(process.execPath, [
  CLI, 'server', '--url', `${base}/mcp`, '--requirements', REQUIREMENTS,
  '--expected-failures', BASELINE, '--output-dir', resultsDir,
], { logFile: path.join(work, 'conformance.log'), echo: VERBOSE });
const cliTimer = setTimeout(() => {
  cli.output += `\n[conformance.mjs: killed after ${RUN_TIMEOUT_MS / 1000} s]\n`;
  stopGroup(cli);
}, RUN_TIMEOUT_MS);
const cliExit = await cli.exited;
await cli.closed;
clearTimeout(cliTimer);
const ran = Date.now();
await stopGroup(wrangler);

// ---------------------------------------------------------------- verdict ---

const results = readResults(resultsDir);
const problems = [];
const rows = [];
const counts = { pass: 0, expected: 0, fail: 0 };
for (const { name, scored } of scenarios) {
  const checks = results.get(name) ?? [{
    id: name, status: 'FAILURE', errorMessage: 'no results saved: the scenario did not complete (see conformance.log)',
  }];
  const v = judge(name, checks, baseline);
  let status = 'pass';
  let note = v.passed > 0 ? `${v.passed} check${v.passed === 1 ? '' : 's'} passed` : 'nothing scored (informational checks only)';
  if (v.unexpected.length > 0) {
    status = 'FAIL';
    note = v.unexpected.map((c) => c.id).join(', ');
    for (const c of v.unexpected) {
      problems.push(`${name}: check ${c.id} ${c.status} (not in the baseline): ${c.errorMessage ?? c.description ?? ''}`);
    }
  } else if (v.expected.length > 0) {
    status = 'expected';
    note = `fails as baselined: ${v.expected.map((c) => c.id).join(', ')}`;
  }
  for (const entry of v.stale) {
    status = 'STALE';
    problems.push(`baseline entry ${entry} now passes: remove it`);
  }
  counts[status === 'pass' ? 'pass' : status === 'expected' ? 'expected' : 'fail'] += 1;
  rows.push(`  ${status.padEnd(8)} ${(name + (scored ? '' : ' (not scored)')).padEnd(44)} ${note}`);
}
for (const name of results.keys()) {
  if (!scenarios.some((s) => s.name === name)) problems.push(`${name}: results for a scenario the requirement set does not list`);
}

console.log(rows.join('\n'));
// The suite judges the scored scenarios against the same file; it must agree.
const unexplained = cliExit !== 0 && problems.length === 0;
if (unexplained) problems.push(`the conformance CLI exited ${cliExit} although every result matches the baseline`);
log(`${counts.pass} pass, ${counts.expected} fail as expected, ${counts.fail} unexpected or stale; `
  + `start ${((ready - started) / 1000).toFixed(1)} s, suite ${((ran - ready) / 1000).toFixed(1)} s`);
if (problems.length > 0) {
  if (!VERBOSE && (unexplained || results.size === 0)) console.log(`--- conformance CLI output ---\n${cli.output}--- end ---`);
  for (const p of problems) console.error(`conformance: ${p}`);
  die(`failed; results, wrangler.log and conformance.log kept in ${work}`);
}
rmSync(work, { recursive: true, force: true });
