// The official MCP TypeScript SDK client against the built worker served by
// workerd on a loopback port: connect, list, ping, terminate.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { MCP_HEADERS, startWorker } from './harness.mjs';

let mf;
let base;
before(async () => {
  mf = await startWorker({ host: '127.0.0.1', port: 0 });
  base = await mf.ready;
});
after(async () => { await mf?.dispose(); });

test('SDK client connects, lists, pings and terminates its session', async () => {
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', base), {
    requestInit: { headers: { authorization: MCP_HEADERS.authorization } },
  });
  const client = new Client({ name: 'sdk-e2e', version: '1.0.0' });
  await client.connect(transport);

  assert.equal(client.getServerVersion()?.name, 'sequentum-mcp');
  assert.ok(client.getServerCapabilities()?.tools, 'tools capability announced');
  assert.ok(client.getInstructions()?.length > 0);
  const sessionId = transport.sessionId;
  assert.match(sessionId, /^[0-9a-f]{64}$/);

  const { tools } = await client.listTools();
  assert.ok(tools.length > 0, 'the catalog lists its tools');
  for (const tool of tools) {
    assert.equal(tool.inputSchema.type, 'object', tool.name);
    assert.equal(typeof tool.annotations?.readOnlyHint, 'boolean', tool.name);
  }
  const { prompts } = await client.listPrompts();
  assert.equal(prompts.length, 11);
  const debug = await client.getPrompt({ name: 'debug-agent', arguments: { agentName: 'Shop' } });
  assert.equal(debug.messages.length, 1);
  assert.match(debug.messages[0].content.text, /`search_agents` with query `Shop`/);
  assert.equal((await client.listResources()).resources.length, 7);
  assert.equal((await client.listResourceTemplates()).resourceTemplates.length, 11);
  assert.deepEqual(await client.ping(), {});
  await client.setLoggingLevel('warning');

  await transport.terminateSession();
  await client.close();

  // The terminated id is gone for everyone.
  const res = await fetch(new URL('/mcp', base), {
    method: 'POST',
    headers: { ...MCP_HEADERS, 'mcp-session-id': sessionId },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });
  assert.equal(res.status, 404);
  await res.arrayBuffer();
});
