// Every tool end to end: the official SDK client → the built worker in
// Miniflare → the mock Sequentum API (mock/sequentum-api.mjs). Checks the
// tools/list declarations against spec/tools.md §2, then calls each of the
// 39 tools once and compares the upstream requests the mock saw with the
// ones spec/tools.md §3 prescribes (our encoding: every non-unreserved
// character percent-encoded, space = %20; parameters in the spec's order).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TOKEN } from './harness.mjs';
import { assertFailure, assertSuccess, callTool, sharedSession } from './tool-client.mjs';

// ---------------------------------------------------------------------------
// spec/tools.md §2: name, title, and for write tools the hints.

const READ = { readOnly: true };
const write = (destructive, openWorld) => ({ readOnly: false, destructive, openWorld });

const DECLARED = [
  ['list_agents', 'List Agents', READ],
  ['get_agent', 'Get Agent', READ],
  ['search_agents', 'Search Agents', READ],
  ['get_agent_runs', 'Get Agent Runs', READ],
  ['get_run_status', 'Get Run Status', READ],
  ['start_agent', 'Start Agent', write(false, true)],
  ['stop_agent', 'Stop Agent', write(false, false)],
  ['kill_agent', 'Kill Agent', write(true, false)],
  ['delete_run', 'Delete Run', write(true, false)],
  ['get_run_files', 'Get Run Files', READ],
  ['get_file_download_url', 'Get File Download URL', READ],
  ['get_agent_versions', 'Get Agent Versions', READ],
  ['restore_agent_version', 'Restore Agent Version', write(false, false)],
  ['list_agent_schedules', 'List Agent Schedules', READ],
  ['create_agent_schedule', 'Create Agent Schedule', write(false, false)],
  ['delete_agent_schedule', 'Delete Agent Schedule', write(true, false)],
  ['get_agent_schedule', 'Get Agent Schedule', READ],
  ['update_agent_schedule', 'Update Agent Schedule', write(false, false)],
  ['enable_agent_schedule', 'Enable Agent Schedule', write(false, false)],
  ['disable_agent_schedule', 'Disable Agent Schedule', write(false, false)],
  ['get_scheduled_runs', 'Get Scheduled Runs', READ],
  ['get_credits_balance', 'Get Credits Balance', READ],
  ['get_spending_summary', 'Get Spending Summary', READ],
  ['get_credit_history', 'Get Credit History', READ],
  ['get_agents_usage', 'Get Agents Usage', READ],
  ['get_agent_cost_breakdown', 'Get Agent Cost Breakdown', READ],
  ['get_agent_runs_cost', 'Get Agent Runs Cost', READ],
  ['list_spaces', 'List Spaces', READ],
  ['get_space', 'Get Space', READ],
  ['get_space_agents', 'Get Space Agents', READ],
  ['search_space_by_name', 'Search Space by Name', READ],
  ['run_space_agents', 'Run Space Agents', write(false, true)],
  ['get_runs_summary', 'Get Runs Summary', READ],
  ['get_records_summary', 'Get Records Summary', READ],
  ['get_run_diagnostics', 'Get Run Diagnostics', READ],
  ['get_latest_failure', 'Get Latest Failure', READ],
  ['start_agent_build', 'Build Agent from Prompt', write(false, true)],
  ['get_agent_build_status', 'Get Agent Build Status', READ],
  ['stop_agent_build', 'Stop Agent Build', write(false, false)],
];

// ---------------------------------------------------------------------------
// The expected upstream requests. `path` is exact (string) or, where the
// worker fills in "now", a RegExp. `body` is the parsed JSON body; null =
// the request carries none.

const GET = (path) => ({ method: 'GET', path, body: null });
const DELETE = (path) => ({ method: 'DELETE', path, body: null });
const POST = (path, body = null) => ({ method: 'POST', path, body });
const PUT = (path, body) => ({ method: 'PUT', path, body });

const DAY = 86_400_000;
const day = (offset = 0) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const TODAY = day(0);
const IN_A_WEEK = day(7);
const A_MONTH_AGO = day(-30);

/** Billing defaults: startDate = the first of this UTC month, endDate = now (toISOString). */
function defaultRange() {
  const now = new Date();
  const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  return `startDate=${month}-01T00%3A00%3A00\\.000Z&endDate=\\d{4}-\\d{2}-\\d{2}T\\d{2}%3A\\d{2}%3A\\d{2}\\.\\d{3}Z`;
}
const withDefaultRange = (prefix, rest = '') => new RegExp(`^${prefix.replace(/[?.]/g, '\\$&')}\\?${defaultRange()}${rest}$`);

/** The body start_agent always sends (spec/api.md #6), with `over` applied. */
const startBody = (over = {}) => ({
  Parallelism: 1, ParallelMaxConcurrency: 1, ParallelExport: 'Combined', Timeout: 60,
  IsExclusive: true, IsWaitOnFailure: false, IsRunSynchronously: false, LogLevel: 'Info', LogMode: 'Text',
  ...over,
});

// Ids are those of the mock's account: agents 101–105, spaces 1–3, runs
// 5001–5006, files 9001–9008, schedules 301–304, build sessions bld-….
// `shows`: text the result must contain (it comes from the mock's answer).
const CALLS = [
  // Agent management
  { tool: 'list_agents', args: { search: 'price tracker', sortColumn: 'name', sortOrder: 'asc', recordsPerPage: 10 },
    expect: [GET('/api/v1/agent/all?name=price%20tracker&sortColumn=name&sortOrder=0&pageIndex=1&recordsPerPage=10')],
    shows: ['Competitor Price Tracker'] },
  { tool: 'get_agent', args: { agentId: 101 },
    expect: [GET('/api/v1/agent/101')], shows: ['https://shop.example.com/catalog/laptops'] },
  { tool: 'search_agents', args: { query: 'customer reviews', maxRecords: 5 },
    expect: [GET('/api/v1/agent/search?query=customer%20reviews&maxRecords=5')], shows: ['Product Review Collector'] },
  // Run management
  { tool: 'get_agent_runs', args: { agentId: 101, maxRecords: 2 },
    expect: [GET('/api/v1/agent/101/runs?maxRecords=2')], shows: ['5001', '5002'] },
  { tool: 'get_run_status', args: { agentId: 103, runId: 5005 },
    expect: [GET('/api/v1/agent/103/run/5005/status')], shows: ['Running'] },
  { tool: 'start_agent', args: { agentId: 105, inputParameters: '{"city":"Leeds"}', parallelism: 2 },
    expect: [POST('/api/v1/agent/105/start', startBody({ Parallelism: 2, InputParameters: '{"city":"Leeds"}' }))],
    shows: ['5101', 'Queuing'] },
  { tool: 'stop_agent', args: { agentId: 103, runId: 5005 },
    expect: [POST('/api/v1/agent/103/run/5005/stop')], shows: ['5005'] },
  { tool: 'kill_agent', args: { agentId: 103, runId: 5005 },
    expect: [POST('/api/v1/agent/103/run/5005/kill')], shows: ['5005'] },
  { tool: 'delete_run', args: { agentId: 101, runId: 5002, removeMethod: 'RemoveAllFiles' },
    expect: [DELETE('/api/v1/agent/101/run/5002?removeMethod=RemoveAllFiles')], shows: ['5002'] },
  // File management
  { tool: 'get_run_files', args: { agentId: 101, runId: 5001 },
    expect: [GET('/api/v1/agent/101/run/5001/files')], shows: ['competitor-prices.csv', 'competitor-prices.json'] },
  // The API answers 302; the link is the answer (the worker does not follow it).
  { tool: 'get_file_download_url', args: { agentId: 101, runId: 5001, fileId: 9001 },
    expect: [GET('/api/v1/agent/101/run/5001/file/9001/download')],
    shows: ['https://files.example.com/exports/org-7001/run-5001/competitor-prices.csv?expires='] },
  // Version management
  { tool: 'get_agent_versions', args: { agentId: 101 },
    expect: [GET('/api/v1/agent/101/versions')], shows: ['maria.lopez', 'Add shop C'] },
  { tool: 'restore_agent_version', args: { agentId: 101, versionNumber: 6, comments: 'Back to before the pagination change' },
    expect: [POST('/api/v1/agent/101/version/6/restore', { content: 'Back to before the pagination change' })] },
  // Schedule management
  { tool: 'list_agent_schedules', args: { agentId: 101 },
    expect: [GET('/api/v1/agent/101/schedules')], shows: ['Daily price check'] },
  { tool: 'create_agent_schedule', args: { agentId: 101, name: 'Weekday mornings', cronExpression: '0 7 * * 1-5', timezone: 'Europe/London' },
    expect: [POST('/api/v1/agent/101/schedules', { Name: 'Weekday mornings', IsEnabled: true, Parallelism: 1, ScheduleType: 3, CronExpression: '0 7 * * 1-5', Timezone: 'Europe/London' })],
    shows: ['Weekday mornings', '401'] },
  { tool: 'delete_agent_schedule', args: { agentId: 105, scheduleId: 303 },
    expect: [DELETE('/api/v1/agent/105/schedules/303')] },
  { tool: 'get_agent_schedule', args: { agentId: 101, scheduleId: 301 },
    expect: [GET('/api/v1/agent/101/schedules/301')], shows: ['0 6 * * *'] },
  // No scheduleType: a cronExpression makes it 3 (CRON).
  { tool: 'update_agent_schedule', args: { agentId: 101, scheduleId: 301, name: 'Early price check', cronExpression: '0 5 * * *' },
    expect: [PUT('/api/v1/agent/101/schedules/301', { Name: 'Early price check', ScheduleType: 3, CronExpression: '0 5 * * *' })],
    shows: ['Early price check'] },
  { tool: 'enable_agent_schedule', args: { agentId: 105, scheduleId: 303 },
    expect: [POST('/api/v1/agent/105/schedules/303/enable')] },
  { tool: 'disable_agent_schedule', args: { agentId: 101, scheduleId: 301 },
    expect: [POST('/api/v1/agent/101/schedules/301/disable')] },
  { tool: 'get_scheduled_runs', args: { startDate: TODAY, endDate: IN_A_WEEK },
    expect: [GET(`/api/v1/analytics/schedules/upcoming?startDate=${TODAY}&endDate=${IN_A_WEEK}`)],
    shows: ['Daily price check', 'Hourly rentals sweep'] },
  // Billing & credits
  { tool: 'get_credits_balance', args: {},
    expect: [GET('/api/v1/billing/credits')], shows: ['1284.55'] },
  { tool: 'get_spending_summary', args: { startDate: '2026-01-01', endDate: '2026-01-31' },
    expect: [GET('/api/v1/billing/spending?startDate=2026-01-01&endDate=2026-01-31')], shows: ['totalSpent'] },
  { tool: 'get_credit_history', args: { pageIndex: 1, recordsPerPage: 3 },
    expect: [GET('/api/v1/billing/history?pageIndex=1&recordsPerPage=3')], shows: ['Loyalty bonus'] },
  { tool: 'get_agents_usage', args: { sortColumn: 'cost', sortOrder: 'desc', usageTypes: 'Server Time,Export GB' },
    expect: [GET(withDefaultRange('/api/v1/billing/agents', '&sortColumn=cost&sortOrder=1&usageTypes=Server%20Time%2CExport%20GB'))],
    shows: ['Rental Listings Monitor'] },
  { tool: 'get_agent_cost_breakdown',
    args: { agentId: 101, startDate: '2026-01-01T00:00:00Z', endDate: '2026-01-07T23:59:59Z', timeUnit: 'day', usageTypes: 'Server Time' },
    expect: [GET('/api/v1/billing/agents/101?startDate=2026-01-01T00%3A00%3A00Z&endDate=2026-01-07T23%3A59%3A59Z&timeUnit=day&usageTypes=Server%20Time')],
    shows: ['Server Time', '2026-01-07'] },
  { tool: 'get_agent_runs_cost', args: { agentId: 101, recordsPerPage: 5, sortColumn: 'cost', sortOrder: 'desc' },
    expect: [GET(withDefaultRange('/api/v1/billing/agents/101/runs', '&recordsPerPage=5&sortColumn=cost&sortOrder=1'))],
    shows: ['Competitor Price Tracker'] },
  // Space management
  { tool: 'list_spaces', args: {},
    expect: [GET('/api/v1/spaces')], shows: ['Retail & Pricing', 'Real Estate'] },
  { tool: 'get_space', args: { spaceId: 2 },
    expect: [GET('/api/v1/spaces/2')], shows: ['Real Estate'] },
  { tool: 'get_space_agents', args: { spaceId: 1 },
    expect: [GET('/api/v1/spaces/1/agents')], shows: ['Competitor Price Tracker', 'Product Review Collector'] },
  { tool: 'search_space_by_name', args: { name: 'Retail & Pricing' },
    expect: [GET('/api/v1/spaces/search?name=Retail%20%26%20Pricing')], shows: ['Competitor prices, stock levels'] },
  { tool: 'run_space_agents', args: { spaceId: 1, inputParameters: '{"region":"EU"}' },
    expect: [POST('/api/v1/spaces/1/run-all', { InputParameters: '{"region":"EU"}' })], shows: ['agentsStarted'] },
  // Analytics & diagnostics
  { tool: 'get_runs_summary', args: { status: 'Failed', includeDetails: true },
    expect: [GET('/api/v1/analytics/runs/summary?status=Failed&includeDetails=true')], shows: ['5003'] },
  { tool: 'get_records_summary', args: { startDate: A_MONTH_AGO, endDate: TODAY, agentId: 101 },
    expect: [GET(`/api/v1/analytics/records/summary?startDate=${A_MONTH_AGO}&endDate=${TODAY}&agentId=101`)],
    shows: ['totalRecordsExtracted'] },
  { tool: 'get_run_diagnostics', args: { agentId: 102, runId: 5003 },
    expect: [GET('/api/v1/analytics/agents/102/runs/5003/diagnostics')], shows: ['.review-list'] },
  { tool: 'get_latest_failure', args: { agentId: 102 },
    expect: [GET('/api/v1/analytics/agents/102/latest-failure')], shows: ['5003', 'suggestedActions'] },
  // Agent builder: the prompt is sent trimmed.
  { tool: 'start_agent_build', args: { prompt: '  Collect the opening hours of every store on https://stores.example.com/locations\n', spaceId: 1 },
    expect: [POST('/api/v1/agent-builder/start', { prompt: 'Collect the opening hours of every store on https://stores.example.com/locations', spaceId: 1 })],
    shows: ['bld-0001-'] },
  { tool: 'get_agent_build_status', args: { sessionId: 'bld-51d0e6aa' },
    expect: [GET('/api/v1/agent-builder/bld-51d0e6aa/status')], shows: ['completed', 'News Headlines API'] },
  { tool: 'stop_agent_build', args: { sessionId: 'bld-7f3a9c2e' },
    expect: [POST('/api/v1/agent-builder/bld-7f3a9c2e/stop')], shows: ['bld-7f3a9c2e'] },
];

/** Asserts the mock saw exactly `expected`, each with the caller's token. */
function assertUpstream(seen, expected, label) {
  const lines = (list) => list.map((r) => `${r.method} ${r.path}`);
  assert.equal(seen.length, expected.length,
    `${label}: expected ${expected.length} upstream request(s), the mock saw:\n  ${lines(seen).join('\n  ') || '(none)'}`);
  expected.forEach((want, i) => {
    const got = seen[i];
    assert.equal(got.method, want.method, `${label}: request ${i + 1} method`);
    if (want.path instanceof RegExp) assert.match(got.path, want.path, `${label}: request ${i + 1} path`);
    else assert.equal(got.path, want.path, `${label}: request ${i + 1} path`);
    assert.deepEqual(got.body, want.body, `${label}: request ${i + 1} body`);
    assert.equal(got.authorization, `Bearer ${TOKEN}`, `${label}: request ${i + 1} carries the caller's token`);
  });
}

describe('tools against the mock Sequentum API', () => {
  const shared = sharedSession();

  test('the mock refuses a request without a credential (so the token checks below mean something)', async () => {
    const res = await fetch(new URL('/api/v1/agent/101', shared.stack.api.url));
    assert.equal(res.status, 401);
    await res.arrayBuffer();
  });

  test('tools/list declares the 39 tools of spec/tools.md §2, in order', async () => {
    const { tools } = await shared.client.listTools();
    const names = tools.map((t) => t.name);
    const wanted = DECLARED.map(([name]) => name);
    const missing = wanted.filter((n) => !names.includes(n));
    const extra = names.filter((n) => !wanted.includes(n));
    assert.deepEqual(names, wanted,
      `tools/list has ${names.length} tools; missing: ${missing.join(', ') || 'none'}; unexpected: ${extra.join(', ') || 'none'}`);
  });

  test('every declared tool has a title, a read-only hint, an object schema and the §2 write hints', async () => {
    const { tools } = await shared.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const [name, title, hints] of DECLARED) {
      const t = byName.get(name);
      if (!t) continue; // Reported by the test above.
      assert.equal(t.title, title, `${name} title`);
      assert.equal(t.annotations?.title, title, `${name} annotations.title`);
      assert.equal(t.annotations?.readOnlyHint, hints.readOnly, `${name} readOnlyHint`);
      assert.equal(t.annotations?.destructiveHint, hints.destructive, `${name} destructiveHint`);
      assert.equal(t.annotations?.openWorldHint, hints.openWorld, `${name} openWorldHint`);
      assert.equal(t.inputSchema?.type, 'object', `${name} inputSchema.type`);
      assert.ok(t.description?.length > 20, `${name} has a description`);
    }
  });

  describe('each tool makes the upstream requests of spec/tools.md §3', () => {
    test('the table covers every declared tool once', () => {
      assert.deepEqual(CALLS.map((c) => c.tool), DECLARED.map(([name]) => name));
    });

    for (const { tool, args, expect, shows = [] } of CALLS) {
      test(`${tool} ${JSON.stringify(args)}`, async () => {
        const result = await callTool(shared.client, tool, args);
        const sc = assertSuccess(result, tool);
        assertUpstream(shared.stack.api.requests, expect, tool);
        const text = JSON.stringify(sc);
        for (const fragment of shows) {
          assert.ok(text.includes(JSON.stringify(fragment).slice(1, -1)), `${tool}: the result shows ${JSON.stringify(fragment)}: ${text}`);
        }
      });
    }
  });

  test('start_agent with isRunSynchronously polls the run to its end, then lists its files', async () => {
    const began = Date.now();
    const result = await callTool(shared.client, 'start_agent', { agentId: 101, isRunSynchronously: true, timeout: 30 });
    const sc = assertSuccess(result, 'start_agent (sync)');
    const seen = shared.stack.api.requests;
    // Started asynchronously upstream; the wait is the worker's own polling.
    assertUpstream(seen, [
      POST('/api/v1/agent/101/start', startBody({ Timeout: 30 })),
      GET('/api/v1/agent/101/run/5101/status'), // → Running
      GET('/api/v1/agent/101/run/5101/status'), // → Completed
      GET('/api/v1/agent/101/run/5101/files'),
    ], 'start_agent (sync)');
    // Backoff: about 2 s before the first poll, 3 s before the second.
    const gap = (i) => seen[i].receivedAt - seen[i - 1].receivedAt;
    assert.ok(gap(1) >= 1900 && gap(1) < 2900, `first poll after ${gap(1)} ms`);
    assert.ok(gap(2) >= 2900 && gap(2) < 4400, `second poll after ${gap(2)} ms`);
    assert.equal(sc.finished, true, JSON.stringify(sc));
    assert.equal(sc.run?.id, 5101);
    assert.equal(sc.run?.status, 'Completed');
    assert.deepEqual(sc.files?.map((f) => f.name), ['competitor-price-tracker.csv']);
    assert.ok(Date.now() - began < 15_000, 'finished well within the test budget');
  });

  test('a waiting start_agent streams progress notifications to the SDK client', async () => {
    const updates = [];
    const result = await shared.client.callTool(
      { name: 'start_agent', arguments: { agentId: 102, isRunSynchronously: true, timeout: 30 } },
      undefined,
      { onprogress: (p) => updates.push(p), timeout: 30_000 },
    );
    const sc = assertSuccess(result, 'start_agent (sync, progress)');
    assert.equal(sc.finished, true, JSON.stringify(sc));
    // One notification per poll that found the run still going, in order.
    assert.ok(updates.length >= 1, 'at least one progress notification');
    for (const [i, u] of updates.entries()) {
      assert.equal(u.total, 30);
      assert.match(u.message, /^Run \d+: /);
      if (i > 0) assert.ok(u.progress > updates[i - 1].progress, 'progress increases');
    }
  });

  test('an id that is not a positive integer is refused before anything goes upstream', async () => {
    const result = await callTool(shared.client, 'get_agent', { agentId: '1/../admin' });
    const text = assertFailure(result, 'get_agent');
    assert.match(text, /^Invalid input: /);
    assert.match(text, /agentId/);
    assert.deepEqual(shared.stack.api.requests, []);
  });
});
