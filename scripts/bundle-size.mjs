// Builds the production bundle with `wrangler deploy --dry-run` (offline; the
// [build] command runs worker-build with wasm-opt) and prints its raw and gzip
// sizes. Exits non-zero when gzip exceeds the budget below.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const GZIP_BUDGET = 1024 * 1024; // 1 MiB; Cloudflare's free-plan limit is 3 MiB.
const outdir = path.resolve('build/dry-run');
rmSync(outdir, { recursive: true, force: true });

const run = spawnSync(path.resolve('node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', outdir], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
if (run.status !== 0) {
  process.stderr.write(`${run.error ?? ''}${run.stdout ?? ''}${run.stderr ?? ''}`);
  console.error(`bundle: wrangler deploy --dry-run failed (exit ${run.status})`);
  process.exit(1);
}
const reported = /Total Upload: ([\d.]+ KiB) \/ gzip: ([\d.]+ KiB)/.exec(run.stdout + run.stderr);

let raw = 0;
let gzip = 0;
const rows = [];
for (const name of readdirSync(outdir)) {
  const file = path.join(outdir, name);
  if (!statSync(file).isFile() || name.endsWith('.map') || name === 'README.md') continue;
  const bytes = readFileSync(file);
  const gz = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzip += gz;
  rows.push(`  ${name.padEnd(24)} ${String(bytes.length).padStart(10)} B raw ${String(gz).padStart(9)} B gzip`);
}
console.log(rows.join('\n'));
console.log(`bundle: ${raw} B raw, ${gzip} B gzip (budget ${GZIP_BUDGET} B gzip)`);
if (reported) console.log(`bundle: wrangler reports Total Upload ${reported[1]} / gzip ${reported[2]}`);
if (gzip > GZIP_BUDGET) {
  console.error(`bundle: gzip size ${gzip} B exceeds the ${GZIP_BUDGET} B budget`);
  process.exit(1);
}
