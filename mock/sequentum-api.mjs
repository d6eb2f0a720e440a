// A mock of the Sequentum REST API (../shared/spec/api.md): all 39 endpoints
// the MCP server calls, over a small fictional account, "Northwind Market
// Intelligence" (organization 7001): five agents in three spaces, their runs,
// output files, versions and schedules, billing figures that add up, run
// diagnostics, and agent-builder sessions.
//
// Used by the end-to-end tests (startMockApi) and, run directly, as a local
// upstream for demos:
//
//     node mock/sequentum-api.mjs --port 8788     # serves until killed
//
// Behaviour worth knowing:
// - Every request needs an Authorization header (any `Bearer …` or
//   `ApiKey …` value is accepted); without one the answer is 401.
// - Unknown ids answer 404 `{"message": "Agent 999 not found"}`.
// - A run started with POST …/start moves one step per status poll:
//   Queuing → Running → Completed (its files appear when it completes).
// - An agent-builder session moves one step per status poll:
//   processing → ready (the new agent is saved) → completed.
// - File downloads answer 302 with a storage link in `Location`.
// - Tests can queue one-off answers with script() (faults, delays) and read
//   every request from `requests`.
import http from 'node:http';
import { pathToFileURL } from 'node:url';

const ORG = 7001;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

const iso = (ms) => new Date(ms).toISOString();
/** `fields` first (id, name… read best on top), then the defaults it lacks. */
const withDefaults = (fields, defaults) => ({ ...fields, ...Object.fromEntries(Object.entries(defaults).filter(([k]) => !(k in fields))) });
const round2 = (n) => Math.round(n * 100) / 100;

// ---------------------------------------------------------------------------
// The account. Times are relative to when the data is (re)seeded, so a demo
// always shows "yesterday's" runs and upcoming schedules in the future.

function seed(now = Date.now()) {
  // Whole minutes keep the timestamps readable.
  const t0 = Math.floor(now / MINUTE) * MINUTE;
  const at = (daysAgo, hour = 0, minute = 0) => {
    const d = new Date(t0 - daysAgo * DAY);
    d.setUTCHours(hour, minute, 0, 0);
    return d.getTime();
  };

  const spaces = [
    { id: 1, name: 'Retail & Pricing', description: 'Competitor prices, stock levels and product reviews', organizationId: ORG, created: iso(at(400, 9)), updated: iso(at(12, 16, 5)), isDefaultAccess: true },
    { id: 2, name: 'Real Estate', description: 'Rental and sale listings in the cities we cover', organizationId: ORG, created: iso(at(310, 11)), updated: iso(at(3, 8, 40)), isDefaultAccess: false },
    { id: 3, name: 'Market Research', description: 'News, job postings and other market signals', organizationId: ORG, created: iso(at(200, 14)), updated: iso(at(30, 10)), isDefaultAccess: false },
  ];

  const runningSince = t0 - 25 * MINUTE;
  const failedAt = t0 - 5 * HOUR;
  const agent = (a) => withDefaults(a, {
    icon: null,
    image: null,
    proxyPoolId: null,
    userId: 42,
    validationStatus: 'Valid',
    agentTemplates: null,
  });
  const agents = [
    agent({
      id: 101, name: 'Competitor Price Tracker', spaceId: 1, configType: 'Agent', version: 7, status: 9,
      description: 'Collects laptop prices and stock status from three competitor web shops.',
      documentation: 'Input `category` picks the shop category (default "laptops"). One row per product: sku, title, price, currency, inStock, url.',
      startUrl: 'https://shop.example.com/catalog/laptops',
      inputParameters: { category: 'laptops', maxPages: '20' },
      created: iso(at(380, 10)), updated: iso(at(6, 15, 20)), lastActivity: iso(at(1, 6, 18)),
    }),
    agent({
      id: 102, name: 'Product Review Collector', spaceId: 1, configType: 'Agent', version: 3, status: 7,
      description: 'Gathers customer reviews and star ratings for our own products.',
      documentation: 'Input `productUrl` is a product page; follows the review pagination to the end.',
      startUrl: 'https://reviews.example.com/p/42',
      inputParameters: { productUrl: 'https://reviews.example.com/p/42' },
      validationStatus: 'Warning',
      created: iso(at(150, 13)), updated: iso(at(40, 9)), lastActivity: iso(failedAt),
    }),
    agent({
      id: 103, name: 'Rental Listings Monitor', spaceId: 2, configType: 'Agent', version: 12, status: 1,
      description: 'Tracks new rental listings and price changes every hour.',
      documentation: 'Input `city` selects the listing region.',
      startUrl: 'https://homes.example.com/rentals?city=leeds',
      inputParameters: { city: 'leeds' },
      created: iso(at(300, 12)), updated: iso(at(3, 8, 40)), lastActivity: iso(runningSince),
    }),
    agent({
      id: 104, name: 'News Headlines API', spaceId: 3, configType: 'Api', version: 1, status: null,
      description: 'Returns the latest industry headlines as JSON on request.',
      documentation: 'Call with input `topic`; answers up to 50 headlines.',
      startUrl: 'https://news.example.com/industry',
      inputParameters: { topic: 'retail' },
      created: iso(at(9, 17)), updated: iso(at(9, 17)), lastActivity: null,
    }),
    agent({
      id: 105, name: 'Job Board Crawler', spaceId: 3, configType: 'Agent', version: 5, status: 10,
      description: 'Counts data-engineering job postings per city, weekly.',
      documentation: 'No inputs. One row per posting: title, company, city, salary, postedAt.',
      startUrl: 'https://jobs.example.com/search?q=data+engineer',
      inputParameters: {},
      created: iso(at(190, 9)), updated: iso(at(60, 12)), lastActivity: iso(at(2, 4, 35)),
    }),
  ];

  const run = (r) => withDefaults(r, {
    organizationId: ORG,
    startedBy: 'Scheduler',
    errorMessage: null,
    parallelism: 1,
    parallelSet: 0,
    logLevel: 'Info',
    logMode: 'Text',
  });
  const runs = [
    run({ id: 5001, configId: 101, status: 'Completed', startTime: iso(at(1, 6, 0)), endTime: iso(at(1, 6, 18)), recordsExtracted: 1842, recordsExported: 1842 }),
    run({ id: 5002, configId: 101, status: 'Completed', startTime: iso(at(2, 6, 0)), endTime: iso(at(2, 6, 21)), recordsExtracted: 1839, recordsExported: 1839 }),
    run({ id: 5004, configId: 101, status: 'CompletedWithErrors', startTime: iso(at(3, 6, 0)), endTime: iso(at(3, 6, 26)), recordsExtracted: 1610, recordsExported: 1610, errorMessage: '12 product pages answered HTTP 503 and were skipped.' }),
    run({ id: 5003, configId: 102, status: 'Failed', startedBy: 'maria.lopez@northwind.example', startTime: iso(failedAt - 12 * MINUTE), endTime: iso(failedAt), recordsExtracted: 0, recordsExported: 0, errorMessage: "Timed out after 30 s waiting for selector '.review-list' on https://reviews.example.com/p/42" }),
    run({ id: 4990, configId: 102, status: 'Completed', startedBy: 'maria.lopez@northwind.example', startTime: iso(at(7, 3, 0)), endTime: iso(at(7, 3, 9)), recordsExtracted: 356, recordsExported: 356 }),
    run({ id: 5005, configId: 103, status: 'Running', startTime: iso(runningSince), endTime: null, recordsExtracted: 214, recordsExported: 0 }),
    run({ id: 5000, configId: 103, status: 'Completed', startTime: iso(t0 - 85 * MINUTE), endTime: iso(t0 - 71 * MINUTE), recordsExtracted: 631, recordsExported: 631 }),
    run({ id: 5006, configId: 105, status: 'Completed', startTime: iso(at(2, 4, 0)), endTime: iso(at(2, 4, 35)), recordsExtracted: 977, recordsExported: 977 }),
  ];

  const file = (id, runId, name, fileType, fileSize, created) => ({ id, runId, name, fileType, fileSize, created, regionId: 1 });
  const files = [
    file(9001, 5001, 'competitor-prices.csv', 'csv', 284_611, runs[0].endTime),
    file(9002, 5001, 'competitor-prices.json', 'json', 611_204, runs[0].endTime),
    file(9003, 5002, 'competitor-prices.csv', 'csv', 283_990, runs[1].endTime),
    file(9004, 5004, 'competitor-prices.csv', 'csv', 248_120, runs[2].endTime),
    file(9005, 5004, 'skipped-pages.log', 'log', 2_048, runs[2].endTime),
    file(9006, 4990, 'reviews.csv', 'csv', 96_512, runs[4].endTime),
    file(9007, 5000, 'rental-listings.csv', 'csv', 120_333, runs[6].endTime),
    file(9008, 5006, 'data-engineering-jobs.xlsx', 'xlsx', 154_880, runs[7].endTime),
  ];

  const versions = {
    101: [
      { version: 7, userName: 'maria.lopez', created: iso(at(6, 15, 20)), comments: 'Follow the new "Load more" pagination on shop B', fileSize: 18_944 },
      { version: 6, userName: 'maria.lopez', created: iso(at(35, 11, 2)), comments: 'Export the currency column', fileSize: 18_203 },
      { version: 5, userName: 'sam.okafor', created: iso(at(90, 9, 47)), comments: 'Add shop C', fileSize: 17_660 },
    ],
    102: [
      { version: 3, userName: 'maria.lopez', created: iso(at(40, 9)), comments: 'Read star ratings from the aria-label', fileSize: 9_120 },
      { version: 2, userName: 'maria.lopez', created: iso(at(100, 16, 30)), comments: 'Paginate reviews', fileSize: 8_734 },
      { version: 1, userName: 'maria.lopez', created: iso(at(150, 13)), comments: 'First version', fileSize: 7_051 },
    ],
    103: [{ version: 12, userName: 'sam.okafor', created: iso(at(3, 8, 40)), comments: 'Track price drops', fileSize: 12_402 }],
    104: [{ version: 1, userName: 'sam.okafor', created: iso(at(9, 17)), comments: 'First version', fileSize: 4_400 }],
    105: [{ version: 5, userName: 'li.chen', created: iso(at(60, 12)), comments: 'Salary ranges as numbers', fileSize: 10_980 }],
  };

  const nextDaily = (hour) => {
    const d = new Date(t0);
    d.setUTCHours(hour, 0, 0, 0);
    if (d.getTime() <= t0) d.setTime(d.getTime() + DAY);
    return iso(d.getTime());
  };
  const schedule = (s) => withDefaults(s, {
    localSchedule: null, startTime: null, runEveryCount: null, runEveryPeriod: null, inputParameters: null,
    parallelism: 1, parallelMaxConcurrency: 1, parallelExport: 'Combined', proxyPoolId: null,
    logLevel: 'Info', logMode: 'Text',
  });
  const schedules = [
    schedule({ id: 301, configId: 101, name: 'Daily price check', scheduleType: 'CRON', schedule: '0 6 * * *', timezone: 'UTC', nextRunTime: nextDaily(6), isEnabled: true, inputParameters: '{"category":"laptops"}', created: iso(at(120, 10)), updated: iso(at(6, 15, 25)) }),
    schedule({ id: 302, configId: 103, name: 'Hourly rentals sweep', scheduleType: 'RunEvery', runEveryCount: 1, runEveryPeriod: 2, timezone: 'Europe/London', nextRunTime: iso(Math.ceil((t0 + 1) / HOUR) * HOUR), isEnabled: true, created: iso(at(60, 8)), updated: iso(at(3, 8, 45)) }),
    schedule({ id: 303, configId: 105, name: 'Weekly jobs digest', scheduleType: 'CRON', schedule: '30 4 * * 1', timezone: 'UTC', nextRunTime: null, isEnabled: false, created: iso(at(150, 9)), updated: iso(at(20, 9, 30)) }),
    schedule({ id: 304, configId: 102, name: 'Nightly reviews', scheduleType: 'CRON', schedule: '0 3 * * *', timezone: 'UTC', nextRunTime: nextDaily(3), isEnabled: true, created: iso(at(100, 17)), updated: iso(at(40, 9, 5)) }),
  ];

  const transactions = [
    { id: 8805, transactionType: 'Usage', amount: -41.37, created: iso(at(1, 23, 59)), message: 'Daily usage' },
    { id: 8804, transactionType: 'Usage', amount: -38.92, created: iso(at(2, 23, 59)), message: 'Daily usage' },
    { id: 8803, transactionType: 'Bonus', amount: 100, created: iso(at(5, 12)), expiresAt: iso(at(-85, 12)), message: 'Loyalty bonus' },
    { id: 8802, transactionType: 'Usage', amount: -44.1, created: iso(at(6, 23, 59)), message: 'Daily usage' },
    { id: 8801, transactionType: 'Purchase', amount: 1000, created: iso(at(20, 9, 14)), expiresAt: iso(at(-345, 9, 14)), message: 'Credit pack (1,000 credits)' },
    { id: 8800, transactionType: 'Usage', amount: -29.4, created: iso(at(21, 23, 59)), message: 'Daily usage' },
  ];
  // Running balance, newest first.
  let balance = 1_284.55;
  for (const tx of transactions) {
    tx.balance = round2(balance);
    balance -= tx.amount;
  }

  const builds = new Map([
    // A build that is still working (polls move it on).
    ['bld-7f3a9c2e', { prompt: 'Collect the weekly opening hours of every store listed on https://stores.example.com', spaceId: 1, steps: ['processing', 'ready', 'completed'], status: 'processing', agentId: null, agentName: 'Store Opening Hours' }],
    // A finished build.
    ['bld-51d0e6aa', { prompt: 'Return the latest retail industry headlines from https://news.example.com/industry as JSON', spaceId: 3, steps: [], status: 'completed', agentId: 104, agentName: 'News Headlines API' }],
  ]);

  return {
    now: t0,
    spaces, agents, runs, files, versions, schedules, transactions, builds,
    credits: transactions[0].balance,
    nextRunId: 5101, nextFileId: 9101, nextScheduleId: 401, nextAgentId: 106, nextBuild: 1,
  };
}

// ---------------------------------------------------------------------------
// Billing figures: one deterministic cost per agent, usage type and day, so
// breakdowns, per-agent usage and the spending summary add up.

const USAGE_TYPES = ['Server Time', 'Export GB', 'Agent Inputs', 'Proxy Data', 'Export CPM'];
const DAILY_RATE = {
  101: [6.4, 1.2, 0.3, 2.1, 0.4],
  102: [1.1, 0.2, 0.1, 0.6, 0],
  103: [9.8, 0.9, 0.2, 3.4, 0.6],
  104: [0.3, 0, 0.05, 0, 0],
  105: [2.2, 0.5, 0, 0.8, 0.1],
};

function dailyCost(agentId, typeIndex, dayMs) {
  const rate = DAILY_RATE[agentId]?.[typeIndex] ?? 0;
  const day = Math.floor(dayMs / DAY);
  // A gentle weekly rhythm around the rate.
  return round2(rate * (1 + 0.25 * Math.sin(day * 0.9 + agentId + typeIndex)));
}

/** Day starts (UTC midnight) from `start` to `end`, at most a year of them. */
function daysIn(startMs, endMs) {
  const days = [];
  for (let d = Math.floor(startMs / DAY) * DAY; d <= endMs && days.length < 366; d += DAY) days.push(d);
  return days;
}

function agentCost(agentId, startMs, endMs, types = USAGE_TYPES) {
  let total = 0;
  for (const d of daysIn(startMs, endMs)) {
    USAGE_TYPES.forEach((type, i) => { if (types.includes(type)) total += dailyCost(agentId, i, d); });
  }
  return round2(total);
}

// ---------------------------------------------------------------------------
// HTTP plumbing.

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}
const notFound = (what) => new HttpError(404, `${what} not found`);
const badRequest = (message) => new HttpError(400, message);

const json = (body, status = 200) => ({ status, body });
const noContent = () => ({ status: 204 });

function monthStart(ms) {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** `name` from the query as a date, `fallback` when absent. */
function dateParam(query, name, fallback) {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw badRequest(`Invalid ${name}: '${raw}' is not a date`);
  return ms;
}

function intParam(query, name, fallback) {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw badRequest(`The value '${raw}' is not valid for ${name}.`);
  return Number(raw);
}

function page(items, query, defaultSize = 50) {
  const pageIndex = Math.max(1, intParam(query, 'pageIndex', 1));
  const recordsPerPage = Math.max(1, intParam(query, 'recordsPerPage', defaultSize));
  return { pageIndex, recordsPerPage, items: items.slice((pageIndex - 1) * recordsPerPage, pageIndex * recordsPerPage) };
}

function sortBy(items, column, descending) {
  if (!column) return items;
  const key = (x) => x[column] ?? '';
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return descending ? sorted.reverse() : sorted;
}

const ids = (s) => Number(s);

// ---------------------------------------------------------------------------
// The endpoints (api.md §2), in its order. Each handler gets
// { params, query, body, db, now } and returns { status, body?, headers? }.

const RUN_TERMINAL = new Set(['Completed', 'CompletedWithErrors', 'Failed', 'FailedToStart', 'Stopped']);
const RUN_STATUS_CODE = { Queuing: 4, Queued: 4, Starting: 3, Running: 1, Stopping: 5, Stopped: 8, Completed: 9, CompletedWithErrors: 9, Failed: 7, FailedToStart: 7 };

function findAgent(db, id) {
  const a = db.agents.find((x) => x.id === ids(id));
  if (!a) throw notFound(`Agent ${id}`);
  return a;
}

function findRun(db, agentId, runId) {
  findAgent(db, agentId);
  const r = db.runs.find((x) => x.id === ids(runId) && x.configId === ids(agentId));
  if (!r) throw notFound(`Run ${runId} of agent ${agentId}`);
  return r;
}

function findSchedule(db, agentId, scheduleId) {
  findAgent(db, agentId);
  const s = db.schedules.find((x) => x.id === ids(scheduleId) && x.configId === ids(agentId));
  if (!s) throw notFound(`Schedule ${scheduleId} of agent ${agentId}`);
  return s;
}

function findSpace(db, id) {
  const s = db.spaces.find((x) => x.id === ids(id));
  if (!s) throw notFound(`Space ${id}`);
  return s;
}

function setRunStatus(db, r, status, now) {
  r.status = status;
  const agent = db.agents.find((a) => a.id === r.configId);
  if (agent) {
    agent.status = RUN_STATUS_CODE[status] ?? agent.status;
    agent.lastActivity = iso(now);
  }
  if (RUN_TERMINAL.has(status)) {
    r.endTime = iso(now);
    r.steps = [];
  }
  if (status === 'Running') r.recordsExtracted = 120;
  if (status === 'Completed') {
    r.recordsExtracted = 250;
    r.recordsExported = 250;
    const base = (agent?.name ?? 'output').toLowerCase().replace(/[^a-z0-9]+/g, '-');
    db.files.push({ id: db.nextFileId++, runId: r.id, name: `${base}.csv`, fileType: 'csv', fileSize: 38_912, created: iso(now), regionId: 1 });
  }
}

/** Starts a run of `agent` as the API does: queued, moving on with each status poll. */
function startRun(db, agent, body, now) {
  const active = db.runs.find((r) => r.configId === agent.id && !RUN_TERMINAL.has(r.status));
  if (active && body?.IsExclusive !== false) return { error: `Agent ${agent.id} is already running (run ${active.id})` };
  const r = {
    id: db.nextRunId++, configId: agent.id, organizationId: ORG, status: 'Queuing',
    startTime: iso(now), endTime: null, startedBy: 'API', errorMessage: null,
    recordsExtracted: 0, recordsExported: 0,
    parallelism: body?.Parallelism ?? 1, parallelSet: 0,
    logLevel: body?.LogLevel ?? 'Info', logMode: body?.LogMode ?? 'Text',
    steps: ['Running', 'Completed'],
  };
  db.runs.push(r);
  agent.status = 4;
  agent.lastActivity = iso(now);
  return { run: r };
}

/** A run as the API shows it (without the mock's own bookkeeping). */
const showRun = ({ steps, ...r }) => r;
const showFile = ({ runId, ...f }) => f;
const showSession = (s) => ({ status: s.status, agentId: s.agentId, agentName: s.status === 'processing' ? null : s.agentName, error: s.error ?? null });

function diagnostics(db, r) {
  const agent = db.agents.find((a) => a.id === r.configId);
  const end = r.endTime ? Date.parse(r.endTime) : null;
  const failed = r.status === 'Failed' || r.status === 'FailedToStart';
  const withErrors = r.status === 'CompletedWithErrors';
  return {
    runId: r.id,
    agentId: r.configId,
    agentName: agent?.name ?? null,
    status: r.status,
    errorMessage: r.errorMessage,
    startTime: r.startTime,
    endTime: r.endTime,
    runtimeSeconds: end ? Math.round((end - Date.parse(r.startTime)) / 1000) : null,
    stats: {
      dataCount: r.recordsExtracted ?? 0,
      inputCount: 1,
      errorCount: failed ? 1 : withErrors ? 12 : 0,
      pageCount: failed ? 1 : Math.ceil((r.recordsExtracted ?? 0) / 24) + 1,
      exportCount: r.recordsExported ?? 0,
      traffic: failed ? 182_340 : (r.recordsExtracted ?? 0) * 5_120,
    },
    possibleCauses: failed
      ? ["The page layout changed and '.review-list' no longer matches the reviews", 'The site answered slowly or blocked the request']
      : withErrors ? ['The site rate-limited some product pages (HTTP 503)'] : [],
    suggestedActions: failed
      ? ['Open the product page and check the selector of the review list', 'Increase the wait timeout, or run through a residential proxy pool', 'Compare with the last successful run (get_agent_runs)']
      : withErrors ? ['Lower the request rate or add a proxy pool, then re-run the skipped pages'] : [],
  };
}

function scheduleFromBody(s, b) {
  const map = {
    Name: 'name', ScheduleType: 'scheduleType', CronExpression: 'schedule', LocalSchedule: 'localSchedule',
    StartTime: 'startTime', RunEveryCount: 'runEveryCount', RunEveryPeriod: 'runEveryPeriod', Timezone: 'timezone',
    InputParameters: 'inputParameters', IsEnabled: 'isEnabled', Parallelism: 'parallelism',
    ParallelMaxConcurrency: 'parallelMaxConcurrency', ParallelExport: 'parallelExport', ProxyPoolId: 'proxyPoolId',
    LogLevel: 'logLevel', LogMode: 'logMode', IsExclusive: 'isExclusive', IsWaitOnFailure: 'isWaitOnFailure',
  };
  for (const [from, to] of Object.entries(map)) if (b[from] !== undefined) s[to] = b[from];
  if (typeof s.scheduleType === 'number') s.scheduleType = { 1: 'RunOnce', 2: 'RunEvery', 3: 'CRON' }[s.scheduleType] ?? String(s.scheduleType);
  return s;
}

const ROUTES = [
  // 1
  ['GET', '/api/v1/agent/all', ({ db, query }) => {
    let list = db.agents;
    const status = intParam(query, 'status', null);
    if (status !== null) list = list.filter((a) => a.status === status);
    const spaceId = intParam(query, 'spaceId', null);
    if (spaceId !== null) list = list.filter((a) => a.spaceId === spaceId);
    const name = query.get('name')?.toLowerCase();
    if (name) list = list.filter((a) => a.name.toLowerCase().includes(name));
    const configType = query.get('configType');
    if (configType) list = list.filter((a) => a.configType === configType);
    list = sortBy(list, query.get('sortColumn'), query.get('sortOrder') === '1');
    if (!query.has('pageIndex') && !query.has('recordsPerPage')) return json(list);
    return json({ agents: page(list, query).items, totalRecordCount: list.length });
  }],
  // 3
  ['GET', '/api/v1/agent/search', ({ db, query }) => {
    if (!query.has('query')) throw badRequest('The query field is required.');
    const q = query.get('query').trim().toLowerCase();
    const max = intParam(query, 'maxRecords', 50);
    const hits = db.agents.filter((a) => `${a.name} ${a.description}`.toLowerCase().includes(q));
    return json(hits.slice(0, max));
  }],
  // 2
  ['GET', '/api/v1/agent/:agentId', ({ db, params }) => json(findAgent(db, params.agentId))],
  // 4
  ['GET', '/api/v1/agent/:agentId/runs', ({ db, params, query }) => {
    findAgent(db, params.agentId);
    const max = intParam(query, 'maxRecords', 0) || 100;
    const runs = db.runs.filter((r) => r.configId === ids(params.agentId)).sort((a, b) => b.startTime.localeCompare(a.startTime) || b.id - a.id);
    return json(runs.slice(0, max).map(showRun));
  }],
  // 5
  ['GET', '/api/v1/agent/:agentId/run/:runId/status', ({ db, params, now }) => {
    const r = findRun(db, params.agentId, params.runId);
    // A started run moves on one step per look, so pollers see it progress.
    if (r.steps?.length) setRunStatus(db, r, r.steps.shift(), now);
    return json(showRun(r));
  }],
  // 6
  ['POST', '/api/v1/agent/:agentId/start', ({ db, params, body, now }) => {
    const agent = findAgent(db, params.agentId);
    if (body?.InputParameters !== undefined && body.InputParameters !== null) {
      try { JSON.parse(body.InputParameters); } catch { throw badRequest('InputParameters must be a JSON object string.'); }
    }
    const { run, error } = startRun(db, agent, body, now);
    if (error) throw new HttpError(409, error);
    return json(showRun(run));
  }],
  // 7
  ['POST', '/api/v1/agent/:agentId/run/:runId/stop', ({ db, params, now }) => {
    const r = findRun(db, params.agentId, params.runId);
    if (!RUN_TERMINAL.has(r.status)) {
      setRunStatus(db, r, 'Stopping', now);
      r.steps = ['Stopped'];
    }
    return noContent();
  }],
  // 8
  ['POST', '/api/v1/agent/:agentId/run/:runId/kill', ({ db, params, now }) => {
    const r = findRun(db, params.agentId, params.runId);
    if (r.status === 'Stopping') setRunStatus(db, r, 'Stopped', now);
    else if (!RUN_TERMINAL.has(r.status)) {
      setRunStatus(db, r, 'Stopping', now);
      r.steps = ['Stopped'];
    }
    return noContent();
  }],
  // 9
  ['DELETE', '/api/v1/agent/:agentId/run/:runId', ({ db, params, query }) => {
    const r = findRun(db, params.agentId, params.runId);
    const method = query.get('removeMethod') ?? 'RemoveEntireRun';
    if (!['RemoveEntireRun', 'RemoveAllFiles', 'RemoveAllFilesAndAgentInput'].includes(method)) throw badRequest(`Unknown removeMethod '${method}'.`);
    if (!RUN_TERMINAL.has(r.status)) throw badRequest('Run is currently active and cannot be deleted');
    db.files = db.files.filter((f) => f.runId !== r.id);
    if (method === 'RemoveEntireRun') db.runs = db.runs.filter((x) => x !== r);
    return noContent();
  }],
  // 10
  ['GET', '/api/v1/agent/:agentId/run/:runId/files', ({ db, params }) => {
    const r = findRun(db, params.agentId, params.runId);
    return json(db.files.filter((f) => f.runId === r.id).map(showFile));
  }],
  // 11
  ['GET', '/api/v1/agent/:agentId/run/:runId/file/:fileId/download', ({ db, params, now }) => {
    const r = findRun(db, params.agentId, params.runId);
    const f = db.files.find((x) => x.id === ids(params.fileId) && x.runId === r.id);
    if (!f) throw notFound(`File ${params.fileId} of run ${params.runId}`);
    const expires = Math.floor(now / 1000) + 900;
    const location = `https://files.example.com/exports/org-${ORG}/run-${r.id}/${encodeURIComponent(f.name)}?expires=${expires}&signature=9c1f0b7e4d2a`;
    return { status: 302, headers: { location }, body: '' };
  }],
  // 12
  ['GET', '/api/v1/agent/:agentId/versions', ({ db, params }) => {
    findAgent(db, params.agentId);
    return json(db.versions[ids(params.agentId)] ?? []);
  }],
  // 13
  ['POST', '/api/v1/agent/:agentId/version/:versionNumber/restore', ({ db, params, body, now }) => {
    const agent = findAgent(db, params.agentId);
    const list = (db.versions[agent.id] ??= []);
    const old = list.find((v) => v.version === ids(params.versionNumber));
    if (!old) throw notFound(`Version ${params.versionNumber} of agent ${params.agentId}`);
    const version = Math.max(...list.map((v) => v.version)) + 1;
    list.unshift({ version, userName: 'api', created: iso(now), comments: body?.content || `Restored version ${old.version}`, fileSize: old.fileSize });
    agent.version = version;
    agent.updated = iso(now);
    return noContent();
  }],
  // 14
  ['GET', '/api/v1/agent/:agentId/schedules', ({ db, params }) => {
    findAgent(db, params.agentId);
    return json(db.schedules.filter((s) => s.configId === ids(params.agentId)));
  }],
  // 15
  ['POST', '/api/v1/agent/:agentId/schedules', ({ db, params, body, now }) => {
    findAgent(db, params.agentId);
    if (!body?.Name) throw badRequest('The Name field is required.');
    const s = scheduleFromBody({
      id: db.nextScheduleId++, configId: ids(params.agentId), name: null, schedule: null, localSchedule: null,
      timezone: 'UTC', nextRunTime: iso(now + DAY), startTime: null, scheduleType: 'CRON', isEnabled: true,
      runEveryCount: null, runEveryPeriod: null, inputParameters: null, parallelism: 1, parallelMaxConcurrency: 1,
      parallelExport: 'Combined', proxyPoolId: null, logLevel: 'Info', logMode: 'Text', created: iso(now), updated: iso(now),
    }, body);
    db.schedules.push(s);
    return json(s);
  }],
  // 16
  ['DELETE', '/api/v1/agent/:agentId/schedules/:scheduleId', ({ db, params }) => {
    const s = findSchedule(db, params.agentId, params.scheduleId);
    db.schedules = db.schedules.filter((x) => x !== s);
    return noContent();
  }],
  // 17
  ['GET', '/api/v1/agent/:agentId/schedules/:scheduleId', ({ db, params }) => json(findSchedule(db, params.agentId, params.scheduleId))],
  // 18
  ['PUT', '/api/v1/agent/:agentId/schedules/:scheduleId', ({ db, params, body, now }) => {
    const s = findSchedule(db, params.agentId, params.scheduleId);
    if (!body?.Name) throw badRequest('The Name field is required.');
    scheduleFromBody(s, body);
    s.updated = iso(now);
    return json(s);
  }],
  // 19
  ['POST', '/api/v1/agent/:agentId/schedules/:scheduleId/enable', ({ db, params, now }) => {
    const s = findSchedule(db, params.agentId, params.scheduleId);
    s.isEnabled = true;
    s.nextRunTime ??= iso(now + DAY);
    s.updated = iso(now);
    return noContent();
  }],
  // 20
  ['POST', '/api/v1/agent/:agentId/schedules/:scheduleId/disable', ({ db, params, now }) => {
    const s = findSchedule(db, params.agentId, params.scheduleId);
    s.isEnabled = false;
    s.nextRunTime = null;
    s.updated = iso(now);
    return noContent();
  }],
  // 21
  ['GET', '/api/v1/analytics/schedules/upcoming', ({ db, query, now }) => {
    const start = dateParam(query, 'startDate', now);
    const end = dateParam(query, 'endDate', now + 7 * DAY);
    const upcoming = db.schedules
      .filter((s) => s.isEnabled && s.nextRunTime)
      .filter((s) => { const t = Date.parse(s.nextRunTime); return t >= start && t <= end + DAY - 1; })
      .sort((a, b) => a.nextRunTime.localeCompare(b.nextRunTime))
      .map((s) => ({ scheduleId: s.id, agentId: s.configId, agentName: db.agents.find((a) => a.id === s.configId)?.name ?? null, scheduleName: s.name, nextRunTime: s.nextRunTime, timezone: s.timezone, isEnabled: s.isEnabled }));
    return json(upcoming);
  }],
  // 22
  ['GET', '/api/v1/billing/credits', ({ db, now }) => json({ availableCredits: db.credits, organizationId: ORG, retrievedAt: iso(now) })],
  // 23
  ['GET', '/api/v1/billing/spending', ({ db, query, now }) => {
    const start = dateParam(query, 'startDate', monthStart(now));
    const end = dateParam(query, 'endDate', now);
    if (start > end) throw badRequest('startDate must be before endDate');
    const totalSpent = round2(db.agents.reduce((sum, a) => sum + agentCost(a.id, start, end), 0));
    return json({ totalSpent, startDate: iso(start), endDate: iso(end), organizationId: ORG, currentBalance: db.credits });
  }],
  // 24
  ['GET', '/api/v1/billing/history', ({ db, query }) => {
    const p = page(db.transactions, query, 20);
    return json({ transactions: p.items, totalCount: db.transactions.length, pageIndex: p.pageIndex, recordsPerPage: p.recordsPerPage });
  }],
  // 25
  ['GET', '/api/v1/billing/agents', ({ db, query }) => {
    const { start, end, types } = billingRange(query);
    let rows = db.agents.map((a) => ({ agentId: a.id, agentName: a.name, cost: agentCost(a.id, start, end, types), spaceId: a.spaceId ?? null }));
    const name = query.get('name')?.toLowerCase();
    if (name) rows = rows.filter((r) => r.agentName.toLowerCase().includes(name));
    const column = { name: 'agentName', cost: 'cost' }[query.get('sortColumn')] ?? 'cost';
    rows = sortBy(rows, column, query.has('sortOrder') ? query.get('sortOrder') === '1' : column === 'cost');
    const totalCost = round2(rows.reduce((s, r) => s + r.cost, 0));
    return json({ agents: page(rows, query).items, totalRecordCount: rows.length, totalCost, startDate: iso(start), endDate: iso(end) });
  }],
  // 26
  ['GET', '/api/v1/billing/agents/:agentId', ({ db, params, query }) => {
    const agent = findAgent(db, params.agentId);
    const { start, end, types } = billingRange(query);
    const timeUnit = query.get('timeUnit') ?? 'day';
    if (!['day', 'month'].includes(timeUnit)) throw badRequest(`Invalid timeUnit '${timeUnit}'.`);
    const days = daysIn(start, end);
    const bucket = (d) => (timeUnit === 'month' ? iso(d).slice(0, 7) : iso(d).slice(0, 10));
    const labels = [...new Set(days.map(bucket))];
    const usageTypes = USAGE_TYPES.map((type, i) => ({ type, i }))
      .filter(({ type }) => types.includes(type))
      .map(({ type, i }) => {
        const data = labels.map(() => 0);
        for (const d of days) data[labels.indexOf(bucket(d))] += dailyCost(agent.id, i, d);
        const rounded = data.map(round2);
        return { type, data: rounded, totalCost: round2(rounded.reduce((s, x) => s + x, 0)) };
      })
      .filter((u) => u.totalCost > 0);
    const totalCost = round2(usageTypes.reduce((s, u) => s + u.totalCost, 0));
    return json({ agentId: agent.id, agentName: agent.name, labels, usageTypes, totalCost, startDate: iso(start), endDate: iso(end) });
  }],
  // 27
  ['GET', '/api/v1/billing/agents/:agentId/runs', ({ db, params, query }) => {
    const agent = findAgent(db, params.agentId);
    const { start, end } = billingRange(query);
    let rows = db.runs
      .filter((r) => r.configId === agent.id && Date.parse(r.startTime) >= start && Date.parse(r.startTime) <= end)
      .map((r) => {
        const endMs = r.endTime ? Date.parse(r.endTime) : Date.parse(r.startTime) + 10 * MINUTE;
        const minutes = (endMs - Date.parse(r.startTime)) / MINUTE;
        return { runId: r.id, date: r.startTime, startTime: r.startTime, endTime: r.endTime, cost: round2(0.35 * minutes + (r.recordsExported ?? 0) / 1000), billingType: 'Standard', duration: minutes };
      });
    const column = query.get('sortColumn') ?? 'date';
    rows = sortBy(rows, column, query.has('sortOrder') ? query.get('sortOrder') === '1' : true).map(({ duration, ...r }) => r);
    const totalCost = round2(rows.reduce((s, r) => s + r.cost, 0));
    return json({ runs: page(rows, query).items, totalRecordCount: rows.length, totalCost, agentId: agent.id, agentName: agent.name });
  }],
  // 28
  ['GET', '/api/v1/spaces', ({ db }) => json(db.spaces)],
  // 31 (a literal, before :spaceId)
  ['GET', '/api/v1/spaces/search', ({ db, query }) => {
    if (!query.has('name')) throw badRequest('The name field is required.');
    const name = query.get('name').trim().toLowerCase();
    const space = db.spaces.find((s) => s.name.toLowerCase() === name);
    if (!space) throw notFound(`Space '${query.get('name')}'`);
    return json(space);
  }],
  // 29
  ['GET', '/api/v1/spaces/:spaceId', ({ db, params }) => json(findSpace(db, params.spaceId))],
  // 30
  ['GET', '/api/v1/spaces/:spaceId/agents', ({ db, params }) => {
    const space = findSpace(db, params.spaceId);
    return json(db.agents.filter((a) => a.spaceId === space.id).map((a) => ({
      id: a.id, name: a.name, description: a.description, configType: a.configType,
      status: a.status, validationStatus: a.validationStatus, lastActivity: a.lastActivity,
    })));
  }],
  // 32
  ['POST', '/api/v1/spaces/:spaceId/run-all', ({ db, params, body, now }) => {
    const space = findSpace(db, params.spaceId);
    const results = db.agents.filter((a) => a.spaceId === space.id && a.configType === 'Agent').map((a) => {
      const { run, error } = startRun(db, a, { InputParameters: body?.InputParameters }, now);
      return run
        ? { agentId: a.id, agentName: a.name, success: true, runId: run.id, errorMessage: null }
        : { agentId: a.id, agentName: a.name, success: false, runId: null, errorMessage: error };
    });
    const started = results.filter((r) => r.success).length;
    return json({ spaceId: space.id, spaceName: space.name, totalAgents: results.length, agentsStarted: started, agentsFailed: results.length - started, results });
  }],
  // 33
  ['GET', '/api/v1/analytics/runs/summary', ({ db, query, now }) => {
    const start = dateParam(query, 'startDate', now - 30 * DAY);
    const end = dateParam(query, 'endDate', now);
    const status = query.get('status');
    let runs = db.runs.filter((r) => { const t = Date.parse(r.startTime); return t >= start && t <= end + DAY - 1; });
    if (status) runs = runs.filter((r) => r.status === status);
    const count = (...s) => runs.filter((r) => s.includes(r.status)).length;
    const summary = {
      startDate: iso(start), endDate: iso(end), totalRuns: runs.length,
      completedRuns: count('Completed'), failedRuns: count('Failed', 'FailedToStart'),
      completedWithErrorsRuns: count('CompletedWithErrors'), runningRuns: count('Running', 'Starting', 'Stopping'),
      queuedRuns: count('Queuing', 'Queued'), stoppedRuns: count('Stopped'),
    };
    if (query.get('includeDetails') === 'true') {
      summary.failedRunDetails = runs.filter((r) => r.status === 'Failed' || r.status === 'FailedToStart').map((r) => {
        const agent = db.agents.find((a) => a.id === r.configId);
        const space = db.spaces.find((s) => s.id === agent?.spaceId);
        return { runId: r.id, agentId: r.configId, agentName: agent?.name ?? null, startTime: r.startTime, endTime: r.endTime, status: r.status, errorMessage: r.errorMessage, spaceId: space?.id ?? null, spaceName: space?.name ?? null };
      });
    }
    return json(summary);
  }],
  // 34
  ['GET', '/api/v1/analytics/records/summary', ({ db, query, now }) => {
    const start = dateParam(query, 'startDate', now - 30 * DAY);
    const end = dateParam(query, 'endDate', now);
    const agentId = intParam(query, 'agentId', null);
    if (agentId !== null) findAgent(db, agentId);
    const runs = db.runs.filter((r) => (agentId === null || r.configId === agentId) && Date.parse(r.startTime) >= start && Date.parse(r.startTime) <= end + DAY - 1);
    const sum = (f) => runs.reduce((s, r) => s + f(r), 0);
    const stats = runs.map((r) => diagnostics(db, r).stats);
    return json({
      startDate: iso(start), endDate: iso(end),
      totalRecordsExtracted: sum((r) => r.recordsExtracted ?? 0), totalRecordsExported: sum((r) => r.recordsExported ?? 0),
      totalErrors: stats.reduce((s, x) => s + x.errorCount, 0), totalPageLoads: stats.reduce((s, x) => s + x.pageCount, 0),
      runCount: runs.length, agentId,
    });
  }],
  // 35
  ['GET', '/api/v1/analytics/agents/:agentId/runs/:runId/diagnostics', ({ db, params }) => json(diagnostics(db, findRun(db, params.agentId, params.runId)))],
  // 36
  ['GET', '/api/v1/analytics/agents/:agentId/latest-failure', ({ db, params }) => {
    const agent = findAgent(db, params.agentId);
    const failed = db.runs
      .filter((r) => r.configId === agent.id && ['Failed', 'FailedToStart'].includes(r.status))
      .sort((a, b) => b.startTime.localeCompare(a.startTime))[0];
    if (!failed) throw notFound(`Failed run for agent ${agent.id}`);
    return json(diagnostics(db, failed));
  }],
  // 37
  ['POST', '/api/v1/agent-builder/start', ({ db, body }) => {
    const prompt = typeof body?.prompt === 'string' ? body.prompt.trim() : '';
    if (prompt.length < 10) throw badRequest('The prompt must be at least 10 characters.');
    if (body.spaceId !== undefined) findSpace(db, body.spaceId);
    const sessionId = `bld-${String(db.nextBuild++).padStart(4, '0')}-${Math.random().toString(16).slice(2, 10)}`;
    const words = prompt.replace(/https?:\/\/\S+/g, '').split(/\s+/).filter((w) => w.length > 3).slice(0, 4);
    const agentName = words.map((w) => w[0].toUpperCase() + w.slice(1)).join(' ') || 'New Agent';
    db.builds.set(sessionId, { prompt, spaceId: body.spaceId ?? null, steps: ['processing', 'ready', 'completed'], status: 'processing', agentId: null, agentName });
    return json({ sessionId });
  }],
  // 38
  ['GET', '/api/v1/agent-builder/:sessionId/status', ({ db, params, now }) => {
    const s = db.builds.get(params.sessionId);
    if (!s) throw notFound(`Agent build session ${params.sessionId}`);
    // One step per look: processing → ready → completed.
    if (s.steps.length) s.status = s.steps.shift();
    if (s.status !== 'processing' && s.agentId === null) {
      s.agentId = db.nextAgentId++;
      db.agents.push({
        id: s.agentId, name: s.agentName, spaceId: s.spaceId, configType: 'Agent', version: 1, status: null,
        description: s.prompt.slice(0, 200), documentation: null, startUrl: /https?:\/\/\S+/.exec(s.prompt)?.[0] ?? null,
        inputParameters: {}, icon: null, image: null, proxyPoolId: null, userId: 42, validationStatus: 'Valid',
        agentTemplates: null, created: iso(now), updated: iso(now), lastActivity: null,
      });
    }
    return json(showSession(s));
  }],
  // 39
  ['POST', '/api/v1/agent-builder/:sessionId/stop', ({ db, params }) => {
    const s = db.builds.get(params.sessionId);
    if (!s) throw notFound(`Agent build session ${params.sessionId}`);
    if (s.status === 'processing') {
      s.status = 'cancelled';
      s.steps = [];
    }
    return noContent();
  }],
].map(([method, pattern, handler]) => {
  const names = [];
  const source = pattern.replace(/:(\w+)/g, (_, name) => {
    names.push(name);
    // Ids are integers; the session id is any one (percent-encoded) segment.
    return name === 'sessionId' ? '([^/]+)' : '(\\d+)';
  });
  return { method, regex: new RegExp(`^${source}$`), names, handler };
});

function billingRange(query) {
  for (const name of ['startDate', 'endDate']) if (!query.get(name)) throw badRequest(`The ${name} field is required.`);
  const start = dateParam(query, 'startDate');
  const end = dateParam(query, 'endDate');
  if (start > end) throw badRequest('startDate must be before endDate');
  const types = query.get('usageTypes') ? query.get('usageTypes').split(',').map((t) => t.trim()) : USAGE_TYPES;
  return { start, end, types };
}

function route(method, pathname) {
  let pathMatched = false;
  for (const r of ROUTES) {
    const m = r.regex.exec(pathname);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== method) continue;
    const params = {};
    r.names.forEach((name, i) => { params[name] = decodeURIComponent(m[i + 1]); });
    return { handler: r.handler, params };
  }
  return { pathMatched };
}

// ---------------------------------------------------------------------------
// The server.

/**
 * Starts the mock. `requests` lists every request received (oldest first):
 * `{ method, path, authorization, contentType, body, receivedAt }` where `path` includes
 * the query exactly as sent and `body` is the parsed JSON (`null` when the
 * request had none, the raw text when it was not JSON).
 * `script(method, pathPrefix, answers)` queues one-off answers for requests
 * whose method matches (`'*'` = any) and whose path starts with `pathPrefix`;
 * each answer `{ status, headers, body, delayMs }` is used once, in order.
 * An answer without `status` only delays the normal answer.
 * `reset()` forgets requests and scripts and restores the account's data.
 */
export async function startMockApi({ host = '127.0.0.1', port = 0, log } = {}) {
  let db = seed();
  const requests = [];
  let scripts = [];
  const timers = new Set();

  const wait = (ms) => new Promise((resolve) => {
    const t = setTimeout(() => { timers.delete(t); resolve(); }, ms);
    timers.add(t);
  });

  function nextScripted(method, path) {
    for (const s of scripts) {
      if ((s.method === '*' || s.method === method) && path.startsWith(s.pathPrefix) && s.answers.length) {
        return s.answers.shift();
      }
    }
    return null;
  }

  function send(res, { status, headers = {}, body }) {
    if (res.destroyed || res.writableEnded) return;
    let payload = '';
    const h = { ...headers };
    if (body !== undefined && body !== '' && status !== 204) {
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        payload = body;
      } else {
        payload = JSON.stringify(body);
        if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json; charset=utf-8';
      }
    }
    res.writeHead(status, h);
    res.end(status === 204 ? undefined : payload);
  }

  async function handle(req, res) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body = null;
    if (raw.length) {
      try { body = JSON.parse(raw); } catch { body = raw; }
    }
    const path = req.url;
    const method = req.method;
    const record = {
      method,
      path,
      authorization: req.headers.authorization ?? null,
      contentType: req.headers['content-type'] ?? null,
      body,
      receivedAt: Date.now(),
    };
    requests.push(record);

    const answer = (a) => {
      send(res, a);
      log?.(`${method} ${path} → ${a.status}`);
    };

    const scripted = nextScripted(method, path);
    if (scripted?.delayMs) await wait(scripted.delayMs);
    if (scripted?.status) return answer(scripted);

    if (!/^(Bearer|ApiKey) \S+/.test(req.headers.authorization ?? '')) {
      return answer(json({ type: 'https://tools.ietf.org/html/rfc9110#section-15.5.2', title: 'Unauthorized', status: 401, detail: 'An Authorization header (Bearer token or ApiKey) is required.' }, 401));
    }

    const url = new URL(path, 'http://mock');
    const found = route(method, url.pathname);
    if (!found.handler) {
      return answer(found.pathMatched
        ? json({ message: `Method ${method} is not allowed on ${url.pathname}` }, 405)
        : json({ message: `Endpoint ${url.pathname} not found` }, 404));
    }
    try {
      const result = found.handler({ db, params: found.params, query: url.searchParams, body, now: Date.now() });
      answer(result);
    } catch (e) {
      if (!(e instanceof HttpError)) {
        answer(json({ statusCode: 500, statusDescription: 'Internal Server Error', message: 'The mock failed; see its console.', severity: 'Error' }, 500));
        console.error(e);
        return;
      }
      answer(json(e.status === 404
        ? { message: e.message }
        : { statusCode: e.status, statusDescription: http.STATUS_CODES[e.status], message: e.message, severity: 'Error' }, e.status));
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      console.error(e);
      if (!res.headersSent) send(res, json({ message: 'mock failure' }, 500));
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${shownHost}:${address.port}`,
    requests,
    reset() {
      requests.length = 0;
      scripts = [];
      db = seed();
    },
    script(method, pathPrefix, answers) {
      scripts.push({ method, pathPrefix, answers: [...answers] });
    },
    /** The account's current data (for tests that check a change landed). */
    get data() { return db; },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// Run directly: serve until killed.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
  };
  const mock = await startMockApi({
    host: arg('host', '127.0.0.1'),
    port: Number(arg('port', 8788)),
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  console.log(`Mock Sequentum API listening on ${mock.url}`);
  console.log('Any "Authorization: Bearer <token>" or "ApiKey sk-…" header is accepted. Ctrl-C to stop.');
  const stop = async () => { await mock.close(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
