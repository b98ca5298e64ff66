/**
 * Status API latency on a big live run: a run of 10,000 sessions (the generic test
 * stages with small delays, so it is still writing) in one process, the server in
 * this one, and a load loop in a third that GETs /api/runs/:id. Prints median and
 * p95 while the run writes, and again once it has finished. Asserts nothing.
 *
 *   node --import tsx bench/serve/run.ts [--sessions 10000] [--seconds 8] [--delay 8]
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import { startServer } from '../../web/server.ts';
import { testRegistry } from '../../test/helpers/test-stages.ts';
import { testPipeline } from '../../test/web/helpers.ts';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i === -1 ? dflt : Number(args[i + 1]);
};
const SESSIONS = arg('--sessions', 10_000);
const SECONDS = arg('--seconds', 8);
const DELAY = arg('--delay', 8);

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = import.meta.resolve('tsx');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tp-bench-serve-'));
  for (let i = 0; i < SESSIONS; i++) {
    const d = join(dir, 'sessions', `s${String(i).padStart(6, '0')}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'input.txt'), i % 997 === 0 ? `FAIL session ${i}` : `session ${i}`);
  }
  writeFileSync(join(dir, 'p.yaml'), testPipeline({ delayMs: DELAY, concurrency: 4 }));
  return dir;
}

interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  medianMs: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Runs the load loop in its own process (asynchronously: the server answers from this one). */
async function load(url: string, seconds: number, concurrency = 1): Promise<LoadResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', tsx, join(root, 'bench/serve/load.ts'), url, String(seconds), String(concurrency)],
    { encoding: 'utf8' },
  );
  return JSON.parse(stdout) as LoadResult;
}

const fmt = (r: LoadResult) =>
  `median ${r.medianMs.toFixed(2)} ms, p95 ${r.p95Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms, max ${r.maxMs.toFixed(1)} ms, ${r.rps.toFixed(0)} req/s, ${r.requests} requests, ${r.errors} errors`;

const dir = workspace();
const cacheFile = join(dir, '.tracepipe/cache.db');
process.stdout.write(`${SESSIONS} sessions in ${dir}; stage delay ${DELAY} ms, concurrency 4\n`);
const child = spawn(process.execPath, ['--import', tsx, join(root, 'test/helpers/test-cli.ts'), 'exec', 'p.yaml'], {
  cwd: dir,
  env: { ...process.env, CI: '1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const exited = new Promise<number | null>((r) => child.once('close', r));

const watch = new SqliteStore(cacheFile);
let runId: string | undefined;
while ((runId = watch.listRuns(1)[0]?.id) === undefined) await sleep(50);
const server = await startServer({ cacheFile, registry: testRegistry });
const url = `${server.url}/api/runs/${runId}`;
// Measure once every session has been through the first stage: the run is full size and still writing the second.
while (watch.countRunItems(runId) < SESSIONS && watch.getRun(runId)!.status === 'running') await sleep(200);

const before = watch.countRunItems(runId);
const t0 = Date.now();
const writing = await load(url, SECONDS);
const writingC4 = await load(url, SECONDS, 4);
const after = watch.countRunItems(runId);
const stillRunning = watch.getRun(runId)!.status === 'running';
process.stdout.write(
  `GET /api/runs/:id while the run writes (${before} -> ${after} items recorded in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${stillRunning ? 'still running' : 'FINISHED during the measurement'}):\n` +
    `  1 client : ${fmt(writing)}\n  4 clients: ${fmt(writingC4)}\n`,
);

await exited;
const final = watch.getRun(runId)!;
const idle = await load(url, SECONDS / 2);
process.stdout.write(`GET /api/runs/:id after the run (${final.status}, ${watch.countRunItems(runId)} items): ${fmt(idle)}\n`);
const list = await load(`${server.url}/api/runs`, SECONDS / 2);
process.stdout.write(`GET /api/runs: ${fmt(list)}\n`);
const page = await load(`${server.url}/api/runs/${runId}/items?stage=shout&limit=100&offset=5000`, SECONDS / 2);
process.stdout.write(`GET /api/runs/:id/items (a page of 100): ${fmt(page)}\n`);
await server.close();
watch.close();
