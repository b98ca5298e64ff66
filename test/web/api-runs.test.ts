import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import { API_ROUTES, createApp } from '../../web/api/index.ts';
import { ItemsQuery } from '../../web/api/schemas.ts';
import { startServer } from '../../web/server.ts';
import { cli } from '../helpers/cli.ts';
import { testRegistry } from '../helpers/test-stages.ts';
import { expectApiError, testWorkspace } from './helpers.ts';

const N = 12;

describe('status API: runs, items, errors (test stages, a real cache file)', () => {
  let ws: ReturnType<typeof testWorkspace>;
  let store: SqliteStore;
  let app: ReturnType<typeof createApp>;
  let first: string;
  let second: string;
  const logged: string[] = [];

  beforeAll(async () => {
    ws = testWorkspace(N);
    expect((await cli(['exec', 'p.yaml'], { cwd: ws.dir })).code).toBe(1); // item 3 fails
    expect((await cli(['exec', 'p.yaml'], { cwd: ws.dir })).code).toBe(1);
    store = new SqliteStore(ws.cacheFile);
    [second, first] = store.listRuns().map((r) => r.id) as [string, string];
    app = createApp({ store, requireToken: false, registry: testRegistry, log: (m) => logged.push(m) });
  });
  afterAll(() => store.close());

  const get = (path: string, init?: RequestInit) => app.request(path, init);

  it('lists runs newest first with progress, no snapshot, and no ETA once finished', async () => {
    const res = await get('/api/runs');
    expect(res.status).toBe(200);
    const { runs } = (await res.json()) as { runs: Record<string, unknown>[] };
    expect(runs.map((r) => r.id)).toEqual([second, first]);
    expect(runs[0]).toMatchObject({
      pipelineName: 'web',
      variant: null,
      status: 'failed',
      resumedFrom: null,
      progress: { finished: 2 * N + 1, total: 2 * N + 1, fraction: 1 },
      etaSeconds: null,
      stale: false,
    });
    expect(runs[0]!.pipelinePath).toMatch(/p\.yaml$/);
    // wall time from the recorded start to the recorded end, to the millisecond
    const recorded = store.listRuns(1)[0]!;
    expect(recorded.endedAt).not.toBeNull();
    expect(runs[0]).toMatchObject({ startedAt: recorded.startedAt, endedAt: recorded.endedAt });
    expect(runs[0]!.elapsedMs).toBe(Date.parse(recorded.endedAt!) - Date.parse(recorded.startedAt));
    expect(runs[0]).not.toHaveProperty('snapshot');
    expect(((await (await get('/api/runs?limit=1')).json()) as { runs: unknown[] }).runs).toHaveLength(1);
  });

  it('shows one run with its config, per-stage counts and timings', async () => {
    const res = await get(`/api/runs/${first}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { run } = (await res.json()) as { run: Record<string, any> };
    expect(run.id).toBe(first);
    expect(run.config).toMatchObject({ name: 'web', stages: { shout: { uses: 'transform', needs: 'read' } } });
    expect(run.stages.map((s: { stage: string }) => s.stage)).toEqual(['read', 'shout', 'all']);
    expect(run.stages[0]).toMatchObject({ stage: 'read', uses: 'read-text', total: N, ran: N - 1, cached: 0, failed: 1, skipped: 0 });
    expect(run.stages[1]).toMatchObject({ stage: 'shout', total: N, ran: N - 1, failed: 0, skipped: 1 });
    expect(run.stages[2]).toMatchObject({ stage: 'all', uses: 'collect', total: 1, ran: 1 });
    // busy time is the stage's items' recorded durations, summed
    const readItems = ((await (await get(`/api/runs/${first}/items?stage=read&limit=1000`)).json()) as { items: { durationMs: number }[] }).items;
    expect(readItems).toHaveLength(N);
    expect(Math.abs(run.stages[0].busyMs - readItems.reduce((n, i) => n + i.durationMs, 0))).toBeLessThanOrEqual(0.5);
    expect(run).toMatchObject({ tokens: 0, costUsd: 0, latencyMs: 0, progress: { fraction: 1 } });
    const rerun = ((await (await get(`/api/runs/${second}`)).json()) as { run: Record<string, any> }).run;
    expect(rerun.stages[0]).toMatchObject({ ran: 0, cached: N - 1, failed: 1 });
  });

  it('pages items by stage and status', async () => {
    const res = await get(`/api/runs/${first}/items?stage=read&status=succeeded&limit=5&offset=5`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: { stageId: string; item: string; status: string }[]; total: number; limit: number; offset: number };
    expect(page).toMatchObject({ total: N - 1, limit: 5, offset: 5 });
    expect(page.items.map((i) => i.item)).toEqual(['s00006', 's00007', 's00008', 's00009', 's00010']);
    expect(page.items.every((i) => i.stageId === 'read' && i.status === 'succeeded')).toBe(true);
    const all = (await (await get(`/api/runs/${first}/items`)).json()) as { total: number; items: unknown[]; limit: number };
    expect(all).toMatchObject({ total: 2 * N + 1, limit: 100 });
    expect(all.items).toHaveLength(2 * N + 1);
    const skipped = (await (await get(`/api/runs/${first}/items?status=skipped`)).json()) as { items: { stageId: string; item: string }[] };
    expect(skipped.items.map((i) => `${i.stageId}/${i.item}`)).toEqual(['shout/s00003']);
    const one = (await (await get(`/api/runs/${first}/items?item=s00003`)).json()) as { items: { stageId: string; status: string }[]; total: number };
    expect(one.items.map((i) => `${i.stageId}:${i.status}`)).toEqual(['read:failed', 'shout:skipped']);
    expect(one.total).toBe(2);
  });

  it('lists each failed item with code, message, hint, location and the key it was computing', async () => {
    const { errors } = (await (await get(`/api/runs/${first}/errors`)).json()) as { errors: Record<string, any>[] };
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      stage: 'read',
      item: 's00003',
      code: 'TP_INPUT',
      hint: 'Remove FAIL from the first line of the file.',
      location: { line: 1, field: 'text' },
    });
    expect(errors[0]!.message).toMatch(/asks to fail/);
    expect(errors[0]!.key).toMatch(/^[0-9a-f]{64}$/);
    expect(errors[0]).toHaveProperty('cause');
  });

  it('answers a bad id or query parameter with a 400 naming it, and an unknown run with a 404', async () => {
    for (const path of [
      '/api/runs/..%2F..%2Fetc%2Fpasswd',
      '/api/runs/%2Fetc%2Fpasswd',
      '/api/runs/a%00b',
      `/api/runs/${'x'.repeat(200)}`,
      '/api/runs/%ZZ',
      '/api/runs/.hidden',
      `/api/runs/a%20b/items`,
      `/api/runs/..%5C..%5Cwin/errors`,
      `/api/runs/<script>/events`,
    ]) {
      await expectApiError(await get(path), 400, 'bad_request', /path parameter id/);
    }
    for (const [query, name] of [
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=5000', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=1e3', 'limit'],
      ['offset=-1', 'offset'],
      ['stage=../x', 'stage'],
      ['stage=a%20b', 'stage'],
      ['status=weird', 'status'],
      ['item=a%0Ab', 'item'],
      [`item=${'x'.repeat(300)}`, 'item'],
      ['verbose=1', 'verbose'],
    ] as const) {
      await expectApiError(await get(`/api/runs/${first}/items?${query}`), 400, 'bad_request', new RegExp(`query parameter ${name}`));
    }
    await expectApiError(await get('/api/runs?limit=99999'), 400, 'bad_request', /query parameter limit/);
    await expectApiError(await get(`/api/runs/${first}?x=1`), 400, 'bad_request', /query parameter x: is not a known parameter/);
    await expectApiError(await get('/api/runs/20991231-000000-abcdef'), 404, 'not_found', /no run 20991231-000000-abcdef/);
    await expectApiError(await get('/api/runs/20991231-000000-abcdef/items'), 404, 'not_found');
    await expectApiError(await get('/api/runs/20991231-000000-abcdef/errors'), 404, 'not_found');
    await expectApiError(await get('/api/nothing-here'), 404, 'not_found');
  });

  it('answers only loopback host names when it has no token (no DNS rebinding)', async () => {
    await expectApiError(await get('http://evil.example/api/runs'), 403, 'forbidden');
    expect((await get('http://127.0.0.1:7411/api/runs')).status).toBe(200);
  });

  it('serves an OpenAPI 3.1 document generated from the request schemas', async () => {
    const doc = (await (await get('/api/openapi.json')).json()) as Record<string, any>;
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.paths);
    for (const r of API_ROUTES) expect(doc.paths[r.path.replace(/:(\w+)/g, '{$1}')]?.[r.method]).toBeDefined();
    expect(paths).toContain('/api/openapi.json');
    const items = doc.paths['/api/runs/{id}/items'].get;
    expect(items.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
      'path:id',
      'query:stage',
      'query:status',
      'query:item',
      'query:limit',
      'query:offset',
    ]);
    const fromZod = z.toJSONSchema(ItemsQuery, { io: 'input' }) as { properties: Record<string, Record<string, unknown>> };
    const stage = items.parameters.find((p: { name: string }) => p.name === 'stage');
    expect(stage.schema.pattern).toBe(fromZod.properties.stage!.pattern);
    expect(items.parameters.find((p: { name: string }) => p.name === 'status').schema.enum).toEqual(['succeeded', 'failed', 'skipped']);
    expect(doc.paths['/api/review/{id}'].post.requestBody.content['application/json'].schema.properties.decision.enum).toEqual(['accept', 'fix', 'reject']);
    expect(doc.paths['/api/runs/{id}/events'].get.responses['200'].content).toHaveProperty('text/event-stream');
    expect(doc.security).toBeUndefined();
    // every schema in it is valid JSON Schema 2020-12
    const ajv = new Ajv2020({ strict: false });
    for (const methods of Object.values(doc.paths) as Record<string, any>[]) {
      for (const op of Object.values(methods)) {
        for (const p of op.parameters ?? []) expect(() => ajv.compile(p.schema), `${op.operationId} ${p.name}`).not.toThrow();
        if (op.requestBody) expect(() => ajv.compile(op.requestBody.content['application/json'].schema)).not.toThrow();
      }
    }
  });

  it('turns an unexpected failure into a 500 without details, and reports it to the log', async () => {
    const closed = new SqliteStore(ws.cacheFile);
    const broken = createApp({ store: closed, requireToken: false, registry: testRegistry, log: (m) => logged.push(m) });
    closed.close();
    const res = await broken.request('/api/runs');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: expect.stringMatching(/server log/) } });
    expect(text).not.toMatch(/database|sqlite|\n\s+at /i);
    expect(logged.at(-1)).toMatch(/GET \/api\/runs failed/);
  });
});

describe('status API: the token', () => {
  let ws: ReturnType<typeof testWorkspace>;
  beforeAll(async () => {
    ws = testWorkspace(2, { failing: [] });
    expect((await cli(['exec', 'p.yaml'], { cwd: ws.dir })).code).toBe(0);
  });

  it('requires the bearer token on every route when the app is told to', async () => {
    const store = new SqliteStore(ws.cacheFile);
    try {
      const app = createApp({ store, requireToken: true, token: 's3cret-token', registry: testRegistry });
      for (const path of ['/api/runs', '/api/openapi.json', '/api/review', '/api/compare?a=x&b=y', '/api/runs/bad..id']) {
        const res = await app.request(path);
        await expectApiError(res, 401, 'unauthorized', /Authorization: Bearer/);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
      await expectApiError(await app.request('/api/runs', { headers: { Authorization: 'Bearer wrong' } }), 401, 'unauthorized', /wrong/);
      await expectApiError(await app.request('/api/runs', { headers: { Authorization: 's3cret-token' } }), 401, 'unauthorized');
      expect((await app.request('/api/runs', { headers: { Authorization: 'Bearer s3cret-token' } })).status).toBe(200);
      // with the token, any host name is fine (the server was deliberately bound off loopback)
      expect((await app.request('http://build-box.lan:7411/api/runs', { headers: { Authorization: 'Bearer s3cret-token' } })).status).toBe(200);
      const doc = (await (await app.request('/api/openapi.json', { headers: { Authorization: 'Bearer s3cret-token' } })).json()) as Record<string, any>;
      expect(doc.security).toEqual([{ bearer: [] }]);
      expect(() => createApp({ store, requireToken: true, registry: testRegistry })).toThrow(/needs a token/);
    } finally {
      store.close();
    }
  });

  it('bound off loopback, refuses to start without a token and answers 401 to requests without it', async () => {
    await expect(startServer({ cacheFile: ws.cacheFile, host: '0.0.0.0', registry: testRegistry })).rejects.toThrow(/TRACEPIPE_TOKEN/);
    const server = await startServer({ cacheFile: ws.cacheFile, host: '0.0.0.0', token: 'tok-123', registry: testRegistry });
    try {
      const url = `http://127.0.0.1:${server.port}/api/runs`;
      await expectApiError(await fetch(url), 401, 'unauthorized');
      const ok = await fetch(url, { headers: { Authorization: 'Bearer tok-123' } });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { runs: unknown[] }).runs).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('on loopback, serves without a token', async () => {
    const server = await startServer({ cacheFile: ws.cacheFile, registry: testRegistry });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${server.url}/api/runs`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
