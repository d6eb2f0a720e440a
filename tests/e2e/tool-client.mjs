// Helpers shared by the tool tests: the worker with the mock Sequentum API
// as its upstream, an official SDK client session, and tool calls whose
// failures read clearly.
import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startMockApi } from '../../mock/sequentum-api.mjs';
import { MCP_HEADERS, startWorker } from './harness.mjs';

/** The mock API and a worker (on a loopback port) that calls it. */
export async function startStack(vars = {}) {
  const api = await startMockApi();
  const mf = await startWorker({ host: '127.0.0.1', port: 0, vars: { SEQUENTUM_API_URL: api.url, ...vars } });
  const base = await mf.ready;
  return {
    api,
    base,
    async close() {
      await mf.dispose();
      await api.close();
    },
  };
}

/**
 * Registers the hooks of a suite that shares one stack and one SDK session:
 * started before the first test, the mock's record and scripts reset before
 * each, all closed after the last. The returned object's `stack` and
 * `client` are set once the suite starts.
 */
export function sharedSession(vars = {}) {
  const shared = { stack: undefined, client: undefined };
  before(async () => {
    shared.stack = await startStack(vars);
    shared.client = await connect(shared.stack.base);
  });
  after(async () => {
    await shared.client?.close();
    await shared.stack?.close();
  });
  beforeEach(() => shared.stack.api.reset());
  return shared;
}

/** A new MCP session through the official SDK client, with the e2e token. */
export async function connect(base) {
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', base), {
    requestInit: { headers: { authorization: MCP_HEADERS.authorization } },
  });
  const client = new Client({ name: 'tools-e2e', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

/**
 * Calls a tool. A tool this build does not have is a JSON-RPC error
 * ("Unknown tool"); it fails the test with a sentence saying so.
 */
export async function callTool(client, name, args = {}) {
  try {
    return await client.callTool({ name, arguments: args });
  } catch (e) {
    if (/Unknown tool/i.test(e.message)) {
      assert.fail(`tool ${name} is not implemented in this build: the server answered "${e.message}"`);
    }
    throw e;
  }
}

/** The text block of a result (every result has exactly one). */
export function resultText(result) {
  assert.equal(result.content?.length, 1, `one content block: ${JSON.stringify(result)}`);
  assert.equal(result.content[0].type, 'text');
  return result.content[0].text;
}

/** Asserts a successful result: structured content plus its compact JSON. */
export function assertSuccess(result, label) {
  const text = resultText(result);
  assert.ok(!result.isError, `${label} failed: ${text}`);
  const sc = result.structuredContent;
  assert.ok(sc !== null && typeof sc === 'object' && !Array.isArray(sc), `${label}: structuredContent is an object, got ${JSON.stringify(sc)}`);
  assert.equal(text, JSON.stringify(sc), `${label}: the text is the compact JSON of structuredContent`);
  return sc;
}

/** Asserts a failed result and returns its text. */
export function assertFailure(result, label) {
  const text = resultText(result);
  assert.equal(result.isError, true, `${label} should fail, got: ${text}`);
  assert.equal(result.structuredContent, undefined, `${label}: no structuredContent on failure`);
  return text;
}
