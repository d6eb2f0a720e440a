#!/usr/bin/env node
// A small MCP client for trying the server by hand: one command per run, the
// answer pretty-printed. It uses the official MCP TypeScript SDK (already in
// node_modules), so nothing else needs installing. With `make demo` running,
// the defaults fit: http://127.0.0.1:8787/mcp and the token `demo`.
//
//   node scripts/try.mjs tools
//   node scripts/try.mjs call get_agent '{"agentId":101}'
//   node scripts/try.mjs --help            (everything else)
//
// Exit status: 0 when the server answered, 1 when it answered with an error
// (a JSON-RPC error or a tool result with isError), 2 for a usage mistake.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const USAGE = `Usage: node scripts/try.mjs [--url URL] [--token TOKEN] [--json] COMMAND …

Commands:
  info                                   server name, version, capabilities, instructions
  tools                                  list the tools
  call TOOL ['{"json":"args"}' | key=value …]
                                         call a tool (--progress: show progress notifications)
  resources                              list the resources
  templates                              list the resource templates
  read URI                               read a resource, e.g. sequentum://agents/101
  prompts                                list the prompts and their arguments
  prompt NAME [key=value …]              get a prompt, e.g. prompt debug-agent agentName=…
  complete prompt NAME ARG PREFIX [key=value …]
  complete resource URI_TEMPLATE VAR PREFIX [key=value …]
                                         ask for completions; key=value pairs are the
                                         context (e.g. agentId=101 when completing runId)

Options:
  --url URL       the MCP endpoint (default http://127.0.0.1:8787/mcp)
  --token TOKEN   sent as "Authorization: Bearer TOKEN" (default: demo); a Sequentum
                  API key (sk-…) works the same way
  --json          print the raw JSON result instead of the readable form
  --progress      with call: ask for progress and print each notification

In key=value pairs a value that parses as JSON (101, true, [1,2]) is sent as
that JSON value for call; prompts and completions always get strings.`;

/** Thrown for a usage mistake (exit status 2). */
class UsageError extends Error {}

function parseArgs(argv) {
  const opts = { url: 'http://127.0.0.1:8787/mcp', token: 'demo', json: false, progress: false };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--url') opts.url = value();
    else if (a === '--token') opts.token = value();
    else if (a === '--json') opts.json = true;
    else if (a === '--progress') opts.progress = true;
    else if (a === '-h' || a === '--help') opts.help = true;
    else if (a.startsWith('--') && rest.length === 0) throw new UsageError(`unknown option ${a}`);
    else rest.push(a);
  }
  return { opts, command: rest[0], args: rest.slice(1) };
}

/** `key=value …` → an object; `typed` turns JSON-looking values into JSON. */
function pairs(list, { typed }) {
  const out = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`expected key=value, got '${item}'`);
    const key = item.slice(0, eq);
    const raw = item.slice(eq + 1);
    out[key] = raw;
    if (typed) {
      try { out[key] = JSON.parse(raw); } catch { /* a plain string */ }
    }
  }
  return out;
}

/** Tool arguments: one JSON object, or key=value pairs. */
function toolArguments(list) {
  if (list.length === 1 && list[0].trimStart().startsWith('{')) {
    let parsed;
    try {
      parsed = JSON.parse(list[0]);
    } catch (e) {
      throw new UsageError(`the arguments are not valid JSON: ${e.message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new UsageError('the arguments must be a JSON object');
    }
    return parsed;
  }
  return pairs(list, { typed: true });
}

const pretty = (value) => JSON.stringify(value, null, 2);

/** Text that holds JSON, pretty-printed; any other text as it is. */
function prettyText(text) {
  try {
    return pretty(JSON.parse(text));
  } catch {
    return text;
  }
}

/** Fixed-width columns for a list; the last column is not padded. */
function table(rows) {
  const widths = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, String(cell ?? '').length); });
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? String(cell ?? '') : String(cell ?? '').padEnd(widths[i]))).join('  ').trimEnd())
    .map((line) => `  ${line}`)
    .join('\n');
}

/** A count line, then the rows. */
function listing(heading, rows) {
  return rows.length ? `${heading}\n${table(rows)}` : heading;
}

function need(args, count, what) {
  if (args.length < count) throw new UsageError(`missing ${what}`);
}

/** Every page of a list method (tools/list, prompts/list, …). */
async function listAll(fetchPage, key) {
  const items = [];
  let cursor;
  do {
    const page = await fetchPage(cursor ? { cursor } : undefined);
    items.push(...(page[key] ?? []));
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

// ---------------------------------------------------------------------------
// The commands. `parse` checks the words after the command before anything
// is sent (a mistake there is a usage error); `run` asks the server and
// returns what to print, and whether it is an error.

const noArgs = () => ({});

/** The CallToolResult's text blocks, joined. */
const resultText = (result) => (result.content ?? [])
  .map((c) => (c.type === 'text' ? c.text : `[${c.type} content]`))
  .join('\n');

const commands = {
  info: {
    parse: noArgs,
    async run(client) {
      return {
        value: {
          server: client.getServerVersion(),
          capabilities: client.getServerCapabilities(),
          instructions: client.getInstructions(),
        },
      };
    },
  },

  tools: {
    parse: noArgs,
    async run(client, _input, opts) {
      const tools = await listAll((p) => client.listTools(p), 'tools');
      if (opts.json) return { value: tools };
      const kind = (t) => {
        const a = t.annotations ?? {};
        if (a.readOnlyHint) return 'read-only';
        return a.destructiveHint ? 'writes, destructive' : 'writes';
      };
      const rows = tools.map((t) => [t.name, t.title ?? t.annotations?.title ?? '', kind(t)]);
      return { text: listing(plural(tools.length, 'tool'), rows) };
    },
  },

  call: {
    parse(args) {
      need(args, 1, 'the tool name');
      const [name, ...rest] = args;
      return { name, arguments: toolArguments(rest) };
    },
    async run(client, params, opts) {
      const options = {};
      if (opts.progress) {
        options.onprogress = (p) => {
          const of = p.total !== undefined ? `/${p.total}` : '';
          console.error(`progress ${p.progress}${of}${p.message ? `: ${p.message}` : ''}`);
        };
        options.resetTimeoutOnProgress = true;
      }
      const result = await client.callTool(params, undefined, options);
      if (opts.json) return { value: result, error: result.isError === true };
      if (result.isError) return { text: resultText(result), error: true };
      // The text block repeats structuredContent as compact JSON: print it once, readably.
      return result.structuredContent !== undefined
        ? { value: result.structuredContent }
        : { text: prettyText(resultText(result)) };
    },
  },

  resources: {
    parse: noArgs,
    async run(client, _input, opts) {
      const resources = await listAll((p) => client.listResources(p), 'resources');
      if (opts.json) return { value: resources };
      const rows = resources.map((r) => [r.uri, r.title ?? r.name ?? '']);
      return { text: listing(plural(resources.length, 'resource'), rows) };
    },
  },

  templates: {
    parse: noArgs,
    async run(client, _input, opts) {
      const templates = await listAll((p) => client.listResourceTemplates(p), 'resourceTemplates');
      if (opts.json) return { value: templates };
      const rows = templates.map((t) => [t.uriTemplate, t.title ?? t.name ?? '']);
      return { text: listing(plural(templates.length, 'resource template'), rows) };
    },
  },

  read: {
    parse(args) {
      need(args, 1, 'the resource URI');
      return { uri: args[0] };
    },
    async run(client, params, opts) {
      const result = await client.readResource(params);
      if (opts.json) return { value: result };
      const parts = (result.contents ?? []).map((c) => {
        const head = `--- ${c.uri}${c.mimeType ? ` (${c.mimeType})` : ''}`;
        if (typeof c.text === 'string') return `${head}\n${prettyText(c.text)}`;
        return `${head}\n[${Buffer.from(c.blob ?? '', 'base64').length} bytes of binary content]`;
      });
      return { text: parts.join('\n') || '(no contents)' };
    },
  },

  prompts: {
    parse: noArgs,
    async run(client, _input, opts) {
      const prompts = await listAll((p) => client.listPrompts(p), 'prompts');
      if (opts.json) return { value: prompts };
      const lines = [plural(prompts.length, 'prompt')];
      for (const p of prompts) {
        const args = (p.arguments ?? []).map((a) => (a.required ? a.name : `[${a.name}]`)).join(' ');
        lines.push(`  ${p.name}${args ? ` ${args}` : ''}`);
        if (p.description) lines.push(`      ${p.description}`);
      }
      return { text: lines.join('\n') };
    },
  },

  prompt: {
    parse(args) {
      need(args, 1, 'the prompt name');
      const [name, ...rest] = args;
      return { name, arguments: pairs(rest, { typed: false }) };
    },
    async run(client, params, opts) {
      const result = await client.getPrompt(params);
      if (opts.json) return { value: result };
      const lines = result.description ? [result.description, ''] : [];
      for (const m of result.messages ?? []) {
        const c = m.content ?? {};
        let body;
        if (c.type === 'text') body = c.text;
        else if (c.type === 'resource') body = c.resource?.text ?? `[resource ${c.resource?.uri}]`;
        else body = `[${c.type} content]`;
        lines.push(`[${m.role}]`, body, '');
      }
      return { text: lines.join('\n').trimEnd() };
    },
  },

  complete: {
    parse(args) {
      need(args, 4, "'prompt NAME ARG PREFIX' or 'resource URI_TEMPLATE VAR PREFIX'");
      const [kind, target, argument, prefix, ...rest] = args;
      let ref;
      if (kind === 'prompt') ref = { type: 'ref/prompt', name: target };
      else if (kind === 'resource') ref = { type: 'ref/resource', uri: target };
      else throw new UsageError(`complete: expected 'prompt' or 'resource', got '${kind}'`);
      const params = { ref, argument: { name: argument, value: prefix } };
      if (rest.length) params.context = { arguments: pairs(rest, { typed: false }) };
      return params;
    },
    async run(client, params, opts) {
      const result = await client.complete(params);
      if (opts.json) return { value: result };
      const { values = [], total, hasMore } = result.completion ?? {};
      const more = hasMore ? ` (more exist${total !== undefined ? `: ${total} in all` : ''})` : '';
      return { text: [`${plural(values.length, 'value')}${more}`, ...values.map((v) => `  ${v}`)].join('\n') };
    },
  },
};

// ---------------------------------------------------------------------------

/** One line that says what went wrong, without a stack trace. */
function describeFailure(e, url) {
  const cause = e?.cause?.code ?? e?.code;
  if (cause === 'ECONNREFUSED' || /fetch failed/i.test(e?.message ?? '')) {
    return `could not reach ${url}: is the server running? (make demo, or make dev)`;
  }
  // The transport's HTTP errors carry the status as their code.
  if (e?.code === 401) {
    return `the server wants a credential (HTTP 401); pass --token (any value works against make demo, an sk-… key against a real account): ${e.message}`;
  }
  // McpError: a JSON-RPC error object from the server.
  if (typeof e?.code === 'number' && e?.name === 'McpError') return `error ${e.code}: ${e.message.replace(/^MCP error -?\d+: /, '')}`;
  return e?.message ?? String(e);
}

export async function main(argv) {
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    console.error(`${e.message} (see: node scripts/try.mjs --help)`);
    return 2;
  }
  const { opts, command, args } = parsed;
  if (opts.help || !command) {
    (opts.help ? console.log : console.error)(USAGE);
    return opts.help ? 0 : 2;
  }
  const chosen = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!chosen) {
    console.error(`unknown command '${command}' (see: node scripts/try.mjs --help)`);
    return 2;
  }
  let url;
  let input;
  try {
    url = new URL(opts.url);
  } catch {
    console.error(`--url: not a URL: ${opts.url}`);
    return 2;
  }
  try {
    input = chosen.parse(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message} (see: node scripts/try.mjs --help)`);
    return 2;
  }

  const headers = opts.token ? { Authorization: `Bearer ${opts.token}` } : {};
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers } });
  const client = new Client({ name: 'sequentum-mcp-try', version: '1.0.0' });
  try {
    await client.connect(transport);
    const out = await chosen.run(client, input, opts);
    const shown = out.value !== undefined ? pretty(out.value) : out.text;
    (out.error ? console.error : console.log)(shown);
    return out.error ? 1 : 0;
  } catch (e) {
    console.error(describeFailure(e, url.href));
    return 1;
  } finally {
    // End the session on the server rather than leave it to expire.
    if (transport.sessionId) await transport.terminateSession().catch(() => {});
    await client.close().catch(() => {});
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
