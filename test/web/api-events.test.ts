import { serve } from '@hono/node-server';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import { createApp } from '../../web/api/index.ts';
import { cli, spawnTestCli } from '../helpers/cli.ts';
import { testRegistry } from '../helpers/test-stages.ts';
import { expectApiError, readSse, testWorkspace, type SseEvent } from './helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const stores: SqliteStore[] = [];
afterAll(() => stores.forEach((s) => s.close()));

/** Starts `tracepipe exec p.yaml` on a fresh workspace of `n` items in a child process and opens its cache once the file exists. */
async function spawnRun(n: number, opts: { delayMs: number; concurrency: number }) {
  const ws = testWorkspace(n, opts);
  const child = spawnTestCli(['exec', 'p.yaml'], { cwd: ws.dir });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  let exitedAt = 0;
  const closed = new Promise<number | null>((r) => child.once('close', (code) => ((exitedAt = Date.now()), r(code))));
  await until('the cache file', () => (existsSync(ws.cacheFile) ? true : undefined));
  const store = new SqliteStore(ws.cacheFile);
  stores.push(store);
  return { child, closed, store, stderr: () => stderr, exitedAt: () => exitedAt };
}

describe('status API: the live event stream', () => {
  it('follows a run written by a second process: each item once, in order, progress while it runs, then the end', async () => {
    const N = 30;
    const { closed: exited, store, stderr, exitedAt } = await spawnRun(N, { delayMs: 40, concurrency: 3 });
    const run = await until('the run to start', () => store.listRuns(1)[0]);
    const app = createApp({ store, requireToken: false, registry: testRegistry, pollMs: 50 });

    const live = (await (await app.request(`/api/runs/${run.id}`)).json()) as {
      run: { status: string; progress: { fraction: number }; etaSeconds: number | null };
    };
    expect(live.run.status).toBe('running');
    expect(live.run.progress.fraction).toBeLessThan(1);

    const res = await app.request(`/api/runs/${run.id}/events`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await readSse(res);
    expect(await exited, stderr()).toBe(1); // item 3 fails

    const items = events.filter((e) => e.event === 'item');
    const seen = items.map((e) => e.data as { stage: string; item: string; status: string; seq: number; error?: { code: string } });
    expect(seen).toHaveLength(2 * N + 1);
    expect(new Set(seen.map((i) => `${i.stage}/${i.item}`)).size).toBe(2 * N + 1);
    expect(items.map((e) => Number(e.id))).toEqual(seen.map((i) => i.seq));
    expect(seen.map((i) => i.seq)).toEqual([...seen.map((i) => i.seq)].sort((a, b) => a - b));
    expect(seen.find((i) => i.stage === 'read' && i.item === 's00003')).toMatchObject({ status: 'failed', error: { code: 'TP_INPUT' } });
    expect(seen.find((i) => i.stage === 'shout' && i.item === 's00003')).toMatchObject({ status: 'skipped' });
    // it was live: items arrived while the other process was still running
    expect(items[0]!.at).toBeLessThan(exitedAt());
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.data as { progress: { finished: number; total: number } });
    expect(progress.some((p) => p.progress.finished < p.progress.total)).toBe(true);
    expect(progress.at(-1)!.progress).toMatchObject({ finished: 2 * N + 1, total: 2 * N + 1 });
    const end = events.at(-1) as SseEvent;
    expect(end).toMatchObject({ event: 'end', data: { status: 'failed', stale: false } });
  }, 60_000);

  it('replays a finished run at once, resumes after Last-Event-ID, and rejects bad cursors', async () => {
    const ws = testWorkspace(4, { failing: [] });
    expect((await cli(['exec', 'p.yaml'], { cwd: ws.dir })).code).toBe(0);
    const store = new SqliteStore(ws.cacheFile);
    stores.push(store);
    const app = createApp({ store, requireToken: false, registry: testRegistry, pollMs: 50 });
    const id = store.listRuns(1)[0]!.id;
    const all = await readSse(await app.request(`/api/runs/${id}/events`));
    expect(all.map((e) => e.event)).toEqual([...Array(9).fill('item'), 'progress', 'end']);
    const cursor = all[5]!.id!;
    const rest = await readSse(await app.request(`/api/runs/${id}/events`, { headers: { 'Last-Event-ID': cursor } }));
    expect(rest.filter((e) => e.event === 'item').map((e) => e.id)).toEqual(all.slice(6, 9).map((e) => e.id));
    // an EventSource reconnecting after the end is told to stop
    const again = await app.request(`/api/runs/${id}/events`, { headers: { 'Last-Event-ID': all[8]!.id! } });
    expect(again.status).toBe(204);
    const viaQuery = await readSse(await app.request(`/api/runs/${id}/events?after=${cursor}`));
    expect(viaQuery.filter((e) => e.event === 'item')).toHaveLength(3);
    await expectApiError(await app.request(`/api/runs/${id}/events`, { headers: { 'Last-Event-ID': 'abc' } }), 400, 'bad_request', /Last-Event-ID/);
    await expectApiError(await app.request(`/api/runs/${id}/events?after=-1`), 400, 'bad_request', /query parameter after/);
    await expectApiError(await app.request('/api/runs/20991231-000000-abcdef/events'), 404, 'not_found');
  });

  it('ends the stream of a run whose process was killed, saying it is stale', async () => {
    const { child, closed, store } = await spawnRun(40, { delayMs: 50, concurrency: 1 });
    const run = await until('the first item', () => {
      const r = store.listRuns(1)[0];
      return r && store.countRunItems(r.id) > 0 ? r : undefined;
    });
    child.kill('SIGKILL');
    await closed;
    const app = createApp({ store, requireToken: false, registry: testRegistry, pollMs: 50 });
    const events = await readSse(await app.request(`/api/runs/${run.id}/events`));
    expect(events.at(-1)).toMatchObject({ event: 'end', data: { status: 'running', stale: true } });
    const view = (await (await app.request(`/api/runs/${run.id}`)).json()) as { run: { status: string; stale: boolean; etaSeconds: null } };
    expect(view.run).toMatchObject({ status: 'running', stale: true, etaSeconds: null });
  }, 30_000);

  it('stops polling the file when the client goes away', async () => {
    const { child, closed, store } = await spawnRun(200, { delayMs: 50, concurrency: 1 });
    const run = await until('the run to start', () => store.listRuns(1)[0]);
    let polls = 0;
    const getRun = store.getRun.bind(store);
    store.getRun = (id: string) => (polls++, getRun(id));
    const app = createApp({ store, requireToken: false, registry: testRegistry, pollMs: 20 });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    try {
      await new Promise((r) => server.once('listening', r));
      const abort = new AbortController();
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/runs/${run.id}/events`, { signal: abort.signal });
      const reader = res.body!.getReader();
      await reader.read();
      await until('a few polls', () => (polls > 3 ? true : undefined));
      abort.abort();
      await sleep(200);
      const afterAbort = polls;
      await sleep(500);
      expect(polls - afterAbort).toBeLessThanOrEqual(1);
    } finally {
      server.close();
      child.kill('SIGKILL');
      await closed;
    }
  }, 30_000);
});
