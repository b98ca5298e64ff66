import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../engine/cache/gc.ts';
import { MemoryStore } from '../../engine/cache/memory.ts';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import type { RunRecord, Store } from '../../engine/cache/types.ts';
import { sha256 } from '../../engine/hash.ts';

const implementations: [string, () => Store][] = [
  ['memory', () => new MemoryStore()],
  ['sqlite', () => new SqliteStore(join(mkdtempSync(join(tmpdir(), 'tp-store-')), 'cache.db'))],
];

const run = (id: string, over: Partial<RunRecord> = {}): RunRecord => ({
  id,
  pipelinePath: '/p.yaml',
  pipelineName: 'p',
  variant: null,
  snapshot: { a: 1 },
  status: 'succeeded',
  resumedFrom: null,
  startedAt: `2026-01-01T00:00:0${id.slice(-1)}.000Z`,
  endedAt: null,
  pid: 1,
  summary: { items: 0, stages: [], total: 0, succeeded: 0, failed: 0, skipped: 0, cacheHits: 0, metrics: {} },
  ...over,
});

const result = (key: string, stageId: string, item: string, output: string) => ({
  key,
  stageId,
  item,
  outputHash: sha256(output),
  parts: { static: { stage: `${stageId}@1`, options: { n: key } }, dynamic: { item: 'fp' } },
  createdAt: new Date().toISOString(),
});

describe.each(implementations)('store contract: %s', (_name, make) => {
  describe('ResultCache', () => {
    it('stores results with their key parts and output, and finds the latest per stage and item', () => {
      const s = make();
      s.putResult(result('k1', 'st', 'i', '{"v":1}'), '{"v":1}', []);
      s.putResult(result('k2', 'st', 'i', '{"v":2}'), '{"v":2}', []);
      expect(s.getResult('k1')!.parts.static).toEqual({ stage: 'st@1', options: { n: 'k1' } });
      expect(s.getOutput(s.getResult('k2')!.outputHash)).toBe('{"v":2}');
      expect(s.latestResult('st', 'i')!.key).toBe('k2');
      expect(s.latestResult('st', 'other')).toBeUndefined();
      expect(s.hitOf('k2')).toEqual({ outputHash: sha256('{"v":2}') });
      expect(s.hitOf('nope')).toBeUndefined();
    });

    it('keeps the reads a result recorded, for the hit check and for gc', () => {
      const s = make();
      const reads = { 'item:': { 'input_events.jsonl': 'h1' }, 'cache:imports/abc/s1': { 'session.json': 'h2' } };
      s.putResult({ ...result('k1', 'st', 'i', '{"v":1}'), reads }, '{"v":1}', []);
      s.putResult(result('k2', 'st', 'j', '{"v":2}'), '{"v":2}', []);
      expect(s.hitOf('k1')).toEqual({ outputHash: sha256('{"v":1}'), reads });
      expect(s.getResult('k1')!.reads).toEqual(reads);
      expect(s.getResult('k2')!.reads).toBeUndefined();
      expect(s.cacheReads()).toEqual(['imports/abc/s1']);
    });

    it('trusts a stat-cached hash only while size, mtime and inode match', () => {
      const s = make();
      s.statSet('/f', 10, 1000, 7, 'h');
      expect(s.statGet('/f', 10, 1000, 7)).toBe('h');
      expect(s.statGet('/f', 11, 1000, 7)).toBeUndefined();
      expect(s.statGet('/f', 10, 1001, 7)).toBeUndefined();
    });
  });

  describe('ArtifactBlobs', () => {
    it('stores artifacts by content hash', () => {
      const s = make();
      const h = s.putArtifact(new Uint8Array([1, 2, 3]), 'image/png');
      expect(h).toBe(sha256(new Uint8Array([1, 2, 3])));
      expect(s.putArtifact(new Uint8Array([1, 2, 3]), 'image/png')).toBe(h);
      expect([...s.getArtifact(h)!.data]).toEqual([1, 2, 3]);
      expect(s.getArtifact('nope')).toBeUndefined();
    });
  });

  describe('ReplyMemo', () => {
    it('memoizes requests by namespace and key', () => {
      const s = make();
      expect(s.memoGet('llm', 'r1')).toBeUndefined();
      s.memoSet('llm', 'r1', '{"reply":1}', 'run1');
      expect(s.memoGet('llm', 'r1')).toBe('{"reply":1}');
      expect(s.memoGet('other', 'r1')).toBeUndefined();
    });
  });

  describe('DecisionLog', () => {
    it('keeps annotations in order, per subject', () => {
      const s = make();
      s.addAnnotation({ subjectKey: 'k', kind: 'review', payload: { n: 1 }, createdAt: '2026-01-01T00:00:00Z' });
      s.addAnnotation({ subjectKey: 'k', kind: 'review', payload: { n: 2 }, createdAt: '2026-01-01T00:00:01Z' });
      expect(s.annotations('k').map((a) => a.payload)).toEqual([{ n: 1 }, { n: 2 }]);
      expect(s.annotations('other')).toEqual([]);
      expect(s.annotationCount()).toBe(2);
    });
  });

  describe('RunLog', () => {
    it('records runs and items, filters and counts them', () => {
      const s = make();
      s.createRun(run('r1'));
      s.createRun(run('r2'));
      s.updateRun('r1', { status: 'failed', endedAt: '2026-01-01T00:01:00Z' });
      expect(s.getRun('r1')).toMatchObject({ status: 'failed', endedAt: '2026-01-01T00:01:00Z', snapshot: { a: 1 } });
      expect(s.listRuns().map((r) => r.id)).toEqual(['r2', 'r1']);
      const base = { runId: 'r1', attempts: 1, startedAt: 'x', durationMs: 1, metrics: { tokens: 3 } };
      s.recordItem({ ...base, stageId: 'a', item: 'i1', status: 'succeeded', cacheHit: true, key: 'k1', error: null });
      s.recordItem({
        ...base,
        stageId: 'a',
        item: 'i2',
        status: 'failed',
        cacheHit: false,
        key: null,
        error: { code: 'TP_INPUT', message: 'bad', hint: 'fix it' },
      });
      s.recordItem({ ...base, stageId: 'b', item: 'i1', status: 'succeeded', cacheHit: false, key: 'k3', error: null });
      expect(s.runItems('r1', { status: 'failed' })[0]!.error).toEqual({ code: 'TP_INPUT', message: 'bad', hint: 'fix it' });
      expect(s.runItems('r1', { stageId: 'a', limit: 1, offset: 1 }).map((i) => i.item)).toEqual(['i2']);
      s.recordItem({
        ...base,
        runId: 'r2',
        stageId: 'a',
        item: 'i2',
        status: 'failed',
        cacheHit: false,
        key: 'k-bad',
        error: { code: 'TP_MODEL', message: 'x' },
      });
      s.recordItem({ ...base, stageId: 'c', item: 'i2', status: 'failed', cacheHit: false, key: 'k-bad', error: { code: 'TP_MODEL', message: 'x' } });
      expect(s.failedAttempts('k-bad')).toBe(2);
      expect(s.failedAttempts('k1')).toBe(0);
    });

    it('pages, counts and sums items, and replays them in recording order after a cursor', () => {
      const s = make();
      s.createRun(run('r1'));
      s.createRun(run('r2'));
      const base = { runId: 'r1', attempts: 1, startedAt: 'x', metrics: {}, key: null, error: null };
      s.recordItem({ ...base, stageId: 'b', item: 'i2', status: 'succeeded', cacheHit: false, durationMs: 5 });
      s.recordItem({ ...base, stageId: 'a', item: 'i1', status: 'succeeded', cacheHit: true, durationMs: 0 });
      s.recordItem({ ...base, stageId: 'a', item: 'i2', status: 'failed', cacheHit: false, durationMs: 7 });
      s.recordItem({ ...base, runId: 'r2', stageId: 'a', item: 'i1', status: 'succeeded', cacheHit: false, durationMs: 1 });
      s.recordItem({ ...base, stageId: 'b', item: 'i1', status: 'succeeded', cacheHit: false, durationMs: 3 });
      expect(s.countRunItems('r1')).toBe(4);
      expect(s.countRunItems('r1', { stageId: 'a', status: 'failed', limit: 1, offset: 9 })).toBe(1);
      expect(s.runItems('r1', { item: 'i1' }).map((i) => i.stageId)).toEqual(['a', 'b']);
      expect(s.runItems('r1', { item: 'i1' })[0]).not.toHaveProperty('seq');
      const stats = s.itemStats('r1').sort((x, y) => x.stageId.localeCompare(y.stageId) || x.status.localeCompare(y.status));
      expect(stats).toEqual([
        { stageId: 'a', status: 'failed', cacheHit: false, n: 1, durationMs: 7 },
        { stageId: 'a', status: 'succeeded', cacheHit: true, n: 1, durationMs: 0 },
        { stageId: 'b', status: 'succeeded', cacheHit: false, n: 2, durationMs: 8 },
      ]);
      const all = s.itemsAfter('r1', 0);
      expect(all.map((e) => `${e.item.stageId}/${e.item.item}`)).toEqual(['b/i2', 'a/i1', 'a/i2', 'b/i1']);
      expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((x, y) => x - y));
      const cursor = all[1]!.seq;
      expect(s.itemsAfter('r1', cursor, 1).map((e) => e.item.item)).toEqual(['i2']);
      // re-recording an item sends it again, after everything recorded before
      s.recordItem({ ...base, stageId: 'b', item: 'i2', status: 'failed', cacheHit: false, durationMs: 9 });
      const tail = s.itemsAfter('r1', all.at(-1)!.seq);
      expect(tail.map((e) => [e.item.stageId, e.item.item, e.item.status])).toEqual([['b', 'i2', 'failed']]);
      expect(s.itemsAfter('r2', 0)).toHaveLength(1);
      expect(s.itemsAfter('nope', 0)).toEqual([]);
    });
  });

  describe('Store (transactions and gc over every part)', () => {
    it('rolls a transaction back when it throws: every write in it, and nothing before it', () => {
      const s = make();
      s.createRun(run('r1'));
      s.putResult(result('k1', 'st', 'i', '"a"'), '"a"', []);
      expect(() =>
        s.transaction(() => {
          s.createRun(run('r9'));
          s.updateRun('r1', { status: 'failed' });
          s.recordItem({
            runId: 'r1',
            stageId: 'st',
            item: 'i',
            status: 'succeeded',
            cacheHit: false,
            attempts: 1,
            startedAt: 'x',
            durationMs: 1,
            key: 'k2',
            error: null,
            metrics: {},
          });
          s.putResult(result('k2', 'st', 'i', '"b"'), '"b"', []);
          s.memoSet('llm', 'q', '"reply"', 'r9');
          s.addAnnotation({ subjectKey: 'k1', kind: 'review', payload: {}, createdAt: 'x' });
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(s.getRun('r9')).toBeUndefined();
      expect(s.getRun('r1')!.status).toBe('succeeded');
      expect(s.runItems('r1')).toEqual([]);
      expect(s.hitOf('k2')).toBeUndefined();
      expect(s.latestResult('st', 'i')!.key).toBe('k1');
      expect(s.memoGet('llm', 'q')).toBeUndefined();
      expect(s.annotations('k1')).toEqual([]);
      // and a transaction that returns keeps its writes
      s.transaction(() => s.createRun(run('r8')));
      expect(s.getRun('r8')).toBeDefined();
    });
    it('gc keeps what kept runs need and drops the rest', () => {
      const s = make();
      const img = s.putArtifact(new Uint8Array([9]), 'image/png');
      for (const id of ['r1', 'r2']) {
        s.createRun(run(id));
        s.putResult(result(`k-${id}`, 'st', 'i', `"${id}"`), `"${id}"`, id === 'r2' ? [img] : []);
        s.recordItem({
          runId: id,
          stageId: 'st',
          item: 'i',
          status: 'succeeded',
          cacheHit: false,
          attempts: 1,
          startedAt: 'x',
          durationMs: 1,
          key: `k-${id}`,
          error: null,
          metrics: {},
        });
      }
      s.putArtifact(new Uint8Array([8]), 'image/png'); // an orphan, e.g. from a killed run
      const dry = collectGarbage(s, { keepRuns: 1, dryRun: true, includeMemo: false, derivedDirs: [] });
      expect(dry).toMatchObject({ runsDropped: 1, resultsDropped: 1, artifactsDropped: 2 });
      expect(s.getRun('r1')).toBeDefined();
      collectGarbage(s, { keepRuns: 1, dryRun: false, includeMemo: false, derivedDirs: [] });
      expect(s.getRun('r1')).toBeUndefined();
      expect(s.getResult('k-r2')).toBeDefined();
      expect(s.getArtifact(img)).toBeDefined();
      expect(s.getResult('k-r1')).toBeUndefined();
    });
  });
});

describe('sqlite store: files from before run items had a recording order', () => {
  it('gains the seq column in place and keeps its items', async () => {
    const Database = (await import('better-sqlite3')).default;
    const file = join(mkdtempSync(join(tmpdir(), 'tp-store-old-')), 'cache.db');
    const old = new Database(file);
    old.exec(`CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT NOT NULL); INSERT INTO meta VALUES ('schema', '1');
      CREATE TABLE run_items(run_id TEXT NOT NULL, stage_id TEXT NOT NULL, item TEXT NOT NULL, status TEXT NOT NULL, cache_hit INTEGER NOT NULL,
        attempts INTEGER NOT NULL, started_at TEXT NOT NULL, duration_ms REAL NOT NULL, key TEXT, error TEXT, metrics TEXT NOT NULL,
        PRIMARY KEY(run_id, stage_id, item)) WITHOUT ROWID;
      INSERT INTO run_items VALUES ('r1', 'a', 'old', 'succeeded', 0, 1, 'x', 2, NULL, NULL, '{}');`);
    old.close();
    const s = new SqliteStore(file);
    expect(s.runItems('r1').map((i) => i.item)).toEqual(['old']);
    s.recordItem({
      runId: 'r1',
      stageId: 'a',
      item: 'new',
      status: 'succeeded',
      cacheHit: false,
      attempts: 1,
      startedAt: 'x',
      durationMs: 1,
      key: null,
      error: null,
      metrics: {},
    });
    expect(s.itemsAfter('r1', 0).map((e) => e.item.item)).toEqual(['new']);
    s.close();
    new SqliteStore(file).close(); // a second open finds the column and leaves it
  });
});
