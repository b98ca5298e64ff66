import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import { builtinStages } from '../../stages/index.ts';
import type { ReviewQueueEntry } from '../../domain/review/index.ts';
import { exampleIdFor, type Example } from '../../domain/example/index.ts';
import type { CompareReport } from '../../domain/compare/index.ts';
import { createApp } from '../../web/api/index.ts';
import { cli } from '../helpers/cli.ts';
import { expectApiError } from './helpers.ts';
import { mailWorkspace } from './mail-workspace.ts';

/** The real mail stages (rules classifier) over sessions written by the test: examples, keyframes, review, compare. */
describe('status API: examples, artifacts, review and compare', () => {
  let ws: Awaited<ReturnType<typeof mailWorkspace>>;
  let store: SqliteStore;
  let app: ReturnType<typeof createApp>;
  let runId: string;
  const exec = (...args: string[]) => cli(['exec', ws.pipeline, ...args], { cwd: ws.dir, registry: builtinStages });
  const post = (path: string, body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
    app.request(path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

  beforeAll(async () => {
    ws = await mailWorkspace();
    expect((await exec()).code).toBe(1); // the broken session fails to load
    store = new SqliteStore(join(ws.dir, '.tracepipe/cache.db'));
    runId = store.listRuns(1)[0]!.id;
    app = createApp({ store, requireToken: false, registry: builtinStages });
  }, 60_000);
  afterAll(() => store.close());

  it('shows an example with its messages, provenance, the timeline from the same run and keyframe URLs', async () => {
    const res = await app.request('/api/examples/send-sure');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      runId: string;
      example: Example;
      messages: Example['messages'];
      provenance: Example['provenance'];
      timeline: { steps: { id: number; kind: string }[] };
      keyframes: { step: number; t: number; url: string }[];
    };
    expect(body.runId).toBe(runId);
    expect(body.example).toMatchObject({ id: 'send-sure', sessionId: 'send-sure', status: 'COMPLETED' });
    expect(body.messages).toEqual(body.example.messages);
    const call = body.messages.flatMap((m) => (m.role === 'assistant' ? (m.tool_calls ?? []) : []))[0]!;
    expect(JSON.stringify(call)).toContain('sam@example.com');
    expect(Object.keys(body.provenance).sort()).toEqual(['promptHashes', 'reviewSubject', 'stageKeys', 'toolCalls']);
    expect(body.timeline.steps.map((s) => s.kind)).toContain('click');
    expect(body.keyframes.length).toBeGreaterThan(0);
    const frame = body.keyframes[0]!;
    expect(frame.url).toMatch(/^\/api\/artifacts\/[0-9a-f]{64}$/);
    expect(body.timeline.steps.map((s) => s.id)).toContain(frame.step);

    const image = await app.request(frame.url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toMatch(/^image\/(png|jpeg|webp)$/);
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await image.arrayBuffer()).byteLength).toBeGreaterThan(50);

    // an example whose id is not its item's (the session id is no safe folder name)
    const againId = exampleIdFor('Send again (2)');
    expect(againId).not.toBe('again');
    const again = (await (await app.request(`/api/examples/${againId}`)).json()) as { example: Example; timeline: { sessionId: string } };
    expect(again.example).toMatchObject({ id: againId, sessionId: 'Send again (2)', status: 'COMPLETED' });
    expect(again.timeline.sessionId).toBe('Send again (2)');
    expect(((await (await app.request(`/api/examples/${againId}?run=${runId}`)).json()) as { runId: string }).runId).toBe(runId);

    const pinned = await app.request(`/api/examples/send-sure?run=${runId}`);
    expect(((await pinned.json()) as { runId: string }).runId).toBe(runId);
  });

  it('answers bad example ids, runs and hashes with 400, unknown ones with 404, and never serves a non-image artifact', async () => {
    await expectApiError(await app.request('/api/examples/..%2F..%2Fetc%2Fpasswd'), 400, 'bad_request', /path parameter id/);
    await expectApiError(await app.request('/api/examples/a%2Fb'), 400, 'bad_request');
    await expectApiError(await app.request('/api/examples/send-sure?run=../x'), 400, 'bad_request', /query parameter run/);
    await expectApiError(await app.request('/api/examples/nobody'), 404, 'not_found', /no run has an example nobody/);
    await expectApiError(await app.request('/api/examples/broken'), 404, 'not_found');
    await expectApiError(await app.request('/api/examples/send-sure?run=20991231-000000-abcdef'), 404, 'not_found', /no run/);
    await expectApiError(await app.request('/api/artifacts/abc'), 400, 'bad_request', /path parameter hash/);
    await expectApiError(await app.request(`/api/artifacts/${'A'.repeat(64)}`), 400, 'bad_request');
    await expectApiError(await app.request(`/api/artifacts/${'0'.repeat(64)}`), 404, 'not_found');
    const jsonOutput = store.runItems(runId, { stageId: 'synthesize', item: 'send-sure' })[0]!.key!;
    const outputHash = store.getResult(jsonOutput)!.outputHash;
    await expectApiError(await app.request(`/api/artifacts/${outputHash}`), 404, 'not_found', /no image artifact/);
  });

  it('lists the review queue and validates decisions before storing them', async () => {
    const res = await app.request('/api/review');
    const { runId: queueRun, queue } = (await res.json()) as { runId: string; queue: ReviewQueueEntry[] };
    expect(queueRun).toBe(runId);
    expect(queue.map((q) => [q.exampleId, q.spanIndex, q.action])).toEqual([['send-guess', 0, 'send_email']]);
    expect(queue[0]!.confidence).toBeLessThan(0.7);
    expect(queue[0]).toMatchObject({ decision: null });
    await expectApiError(await app.request('/api/review?run=nope!'), 400, 'bad_request', /query parameter run/);
    await expectApiError(await app.request('/api/review?run=20991231-000000-abcdef'), 404, 'not_found');

    const path = '/api/review/send-guess';
    await expectApiError(await post(path, { span: 0, decision: 'accept' }, {}), 400, 'bad_request', /Content-Type: application\/json/);
    await expectApiError(await post(path, '{not json'), 400, 'bad_request', /not valid JSON/);
    await expectApiError(await post(path, { span: 0, decision: 'maybe' }), 400, 'bad_request', /body field decision/);
    await expectApiError(await post(path, { span: -1, decision: 'accept' }), 400, 'bad_request', /body field span/);
    await expectApiError(await post(path, { span: 0, decision: 'accept', extra: 1 }), 400, 'bad_request', /extra/);
    await expectApiError(await post(path, { span: 0, decision: 'accept', parameters: { to: [] } }), 400, 'bad_request', /only a "fix"/);
    await expectApiError(await post(path, { span: 0, decision: 'fix' }), 400, 'bad_request', /needs an action, parameters or both/);
    await expectApiError(await post(path, { span: 5, decision: 'accept' }), 400, 'bad_request', /no span 5 \(spans: 0\)/);
    await expectApiError(await post(path, { span: 0, decision: 'fix', action: 'launch_rocket' }), 400, 'bad_request', /unknown action "launch_rocket"/);
    await expectApiError(
      await post(path, { span: 0, decision: 'fix', parameters: { to: 'ana@example.com' } }),
      400,
      'bad_request',
      /parameters for send_email: .*to/,
    );
    await expectApiError(await post('/api/review/nobody', { span: 0, decision: 'accept' }), 404, 'not_found');
    await expectApiError(await post(path, { span: 0, decision: 'accept', note: 'x'.repeat(300_000) }), 413, 'too_large');
    // no CORS: a cross-site page's preflight gets no permission
    const preflight = await app.request(path, { method: 'OPTIONS', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    await expectApiError(await post('/api/review/..%2Fx', { span: 0, decision: 'accept' }), 400, 'bad_request');
    const subject = queue[0]!.subject.key;
    expect(store.annotations(subject)).toEqual([]);
  });

  it('stores a fix like `tracepipe review fix`, and the next run builds the example from it', async () => {
    const parameters = { to: ['ana@example.com'], cc: [], subject: 'Quarterly report', body: 'Attached is the report.' };
    const res = await post('/api/review/send-guess', { span: 0, decision: 'fix', parameters, reviewer: 'pat', note: 'subject was cut' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; decision: Record<string, unknown>; subject: { key: string } };
    expect(body).toMatchObject({ ok: true, decision: { span: 0, decision: 'fix', parameters, reviewer: 'pat' } });
    const notes = store.annotations(body.subject.key);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: 'review', payload: { span: 0, decision: 'fix', parameters } });
    const pending = (await (await app.request(`/api/review?run=${runId}`)).json()) as { queue: { decision: Record<string, unknown> | null }[] };
    expect(pending.queue[0]!.decision).toMatchObject({ decision: 'fix', parameters, reviewer: 'pat', createdAt: expect.any(String) });

    expect((await exec()).code).toBe(1);
    const rerun = store.listRuns(1)[0]!.id;
    const { example } = (await (await app.request('/api/examples/send-guess')).json()) as { example: Example };
    expect(example.status).toBe('COMPLETED');
    expect(JSON.stringify(example.messages)).toContain('Quarterly report');
    const { runId: queueRun, queue } = (await (await app.request('/api/review')).json()) as { runId: string; queue: unknown[] };
    expect(queueRun).toBe(rerun);
    expect(queue).toEqual([]);
    // the first run still shows what it made
    const old = (await (await app.request(`/api/examples/send-guess?run=${runId}`)).json()) as { example: Example };
    expect(old.example.status).toBe('NEEDS_REVIEW');
  }, 60_000);

  it('compares two runs', async () => {
    expect((await exec('--variant', 'strict')).code).toBe(1);
    const [b, a] = store.listRuns(2).map((r) => r.id) as [string, string];
    const res = await app.request(`/api/compare?a=${a}&b=${b}`);
    expect(res.status).toBe(200);
    const report = (await res.json()) as CompareReport;
    expect(report.a).toMatchObject({ runId: a, variant: null, labeledSessions: 3 });
    expect(report.b).toMatchObject({ runId: b, variant: 'strict' });
    expect(report.sharedSessions).toBe(3);
    // the strict variant flags the click-only span again (0.6 < 0.99) and the sure one too (0.95 < 0.99)
    expect(report.b.reviewFlags.spans).toBeGreaterThan(report.a.reviewFlags.spans);
    await expectApiError(await app.request(`/api/compare?a=${a}`), 400, 'bad_request', /query parameter b/);
    await expectApiError(await app.request(`/api/compare?a=${a}&b=x/y`), 400, 'bad_request', /query parameter b/);
    await expectApiError(await app.request(`/api/compare?a=${a}&b=20991231-000000-abcdef`), 404, 'not_found', /no run 20991231-000000-abcdef/);
  }, 60_000);
});
