import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectGarbage, runsBeyondKept, type GcReport } from '../../engine/cache/gc.ts';
import { MemoryStore } from '../../engine/cache/memory.ts';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import type { RunRecord, Store } from '../../engine/cache/types.ts';
import { sha256 } from '../../engine/hash.ts';

/**
 * gc is one policy (engine/cache/gc.ts) over every store: the same history collected in
 * memory and in SQLite gives the same report and leaves the same things behind.
 */

const root = mkdtempSync(join(tmpdir(), 'tp-gc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (id: string, startedAt: string, over: Partial<RunRecord> = {}): RunRecord => ({
  id,
  pipelinePath: '/a.yaml',
  pipelineName: 'a',
  variant: null,
  snapshot: {},
  status: 'succeeded',
  resumedFrom: null,
  startedAt,
  endedAt: null,
  pid: 1,
  summary: { items: 0, stages: [], total: 0, succeeded: 0, failed: 0, skipped: 0, cacheHits: 0, metrics: {} },
  ...over,
});

/**
 * A history: pipeline a has four finished runs (two started at the same instant: the one
 * recorded later is newer) and one still running; a's variant "v" and pipeline b have one
 * run each. Every run has a result of its own; a kept and a dropped run share one; results
 * reference images, one shared; one image and one result belong to nothing; memo entries
 * and a review decision hang off runs and results; imports were read by some results.
 */
function history(s: Store): void {
  const image = (byte: number) => s.putArtifact(new Uint8Array([byte, byte, byte]), 'image/png');
  const [img1, img2, img3] = [image(1), image(2), image(3)];
  image(4); // referenced by nothing: a killed run's leftover
  const put = (key: string, artifacts: string[], reads?: Record<string, Record<string, string>>) =>
    s.putResult(
      {
        key,
        stageId: 'st',
        item: key,
        outputHash: sha256(`"${key}"`),
        parts: { static: { stage: `st@1`, key }, dynamic: {} },
        createdAt: 'x',
        ...(reads ? { reads } : {}),
      },
      `"${key}"`,
      artifacts,
    );
  const item = (runId: string, key: string) =>
    s.recordItem({
      runId,
      stageId: 'st',
      item: key,
      status: 'succeeded',
      cacheHit: false,
      attempts: 1,
      startedAt: 'x',
      durationMs: 1,
      key,
      error: null,
      metrics: {},
    });
  const runs: [string, string, Partial<RunRecord>][] = [
    ['a1', '2026-01-01T00:00:01Z', {}],
    ['a2', '2026-01-01T00:00:02Z', {}],
    ['a3', '2026-01-01T00:00:03Z', {}],
    ['a3b', '2026-01-01T00:00:03Z', {}],
    ['a0-running', '2026-01-01T00:00:00Z', { status: 'running' }],
    ['v1', '2026-01-01T00:00:01Z', { variant: 'v' }],
    ['b1', '2026-01-01T00:00:01Z', { pipelinePath: '/b.yaml' }],
  ];
  for (const [id, at, over] of runs) {
    s.createRun(run(id, at, over));
    put(
      `k-${id}`,
      id === 'a1' ? [img1, img2] : id === 'a3b' ? [img2] : id === 'b1' ? [img3] : [],
      id === 'a1' ? { 'cache:imports/old/s': {} } : id === 'a3' ? { 'cache:imports/new/s': {} } : undefined,
    );
    item(id, `k-${id}`);
    s.memoSet('llm', `q-${id}`, `reply ${id}`, id);
  }
  put('k-shared', []);
  item('a1', 'k-shared');
  item('a3', 'k-shared');
  put('k-orphan', [img3]);
  s.addAnnotation({ subjectKey: 'k-a1', kind: 'review', payload: { decision: 'accept' }, createdAt: 'x' });
}

/** What a store holds, by what gc may drop. */
function contents(s: Store) {
  const keys = ['a1', 'a2', 'a3', 'a3b', 'a0-running', 'v1', 'b1', 'shared', 'orphan'].map((k) => `k-${k}`);
  return {
    runs: s
      .listRuns()
      .map((r) => r.id)
      .sort(),
    results: keys.filter((k) => s.getResult(k) !== undefined),
    images: [1, 2, 3, 4].filter((b) => s.getArtifact(sha256(new Uint8Array([b, b, b]))) !== undefined),
    memo: ['a1', 'a2', 'a3', 'a3b', 'a0-running', 'v1', 'b1'].filter((id) => s.memoGet('llm', `q-${id}`) !== undefined),
    decisions: s.annotations('k-a1').length,
  };
}

const implementations: [string, (cacheDir: string) => Store][] = [
  ['memory', () => new MemoryStore()],
  ['sqlite', (dir) => new SqliteStore(join(dir, 'cache.db'))],
];

function cacheWithImports(): string {
  const dir = mkdtempSync(join(root, 'cache-'));
  for (const name of ['old', 'new', 'leftover.tmp-1']) {
    mkdirSync(join(dir, 'imports', name, 's'), { recursive: true });
    writeFileSync(join(dir, 'imports', name, 's', 'session.json'), '{}');
  }
  return dir;
}

describe('one gc for every store', () => {
  const EXPECTED: GcReport = {
    // a keeps a3b and a3 (same start: a3b was recorded later, so it is newer); the running run is never counted
    runsDropped: 2,
    // k-a1, k-a2 and k-orphan; k-shared is still used by a3
    resultsDropped: 3,
    // images 1 and 4, and the outputs of the three results (image 3 is still b1's)
    artifactsDropped: 5,
    memoDropped: 2,
    bytesFreed: 3 + 3 + '"k-a1"'.length + '"k-a2"'.length + '"k-orphan"'.length,
    derivedFoldersDropped: ['imports/leftover.tmp-1', 'imports/old'],
    derivedBytesFreed: 4,
  };

  it.each(implementations)('%s: a dry run reports everything and changes nothing; the real one drops exactly that', (_name, make) => {
    const dir = cacheWithImports();
    const s = make(dir);
    history(s);
    const before = contents(s);
    const opts = { keepRuns: 2, includeMemo: true, derivedDirs: ['imports', 'imports'], cacheDir: dir };
    const dry = collectGarbage(s, { ...opts, dryRun: true });
    expect(contents(s)).toEqual(before);
    expect(readdirSync(join(dir, 'imports')).sort()).toEqual(['leftover.tmp-1', 'new', 'old']);
    const real = collectGarbage(s, { ...opts, dryRun: false });
    expect(dry).toEqual(EXPECTED);
    expect(real).toEqual(EXPECTED);
    expect(contents(s)).toEqual({
      runs: ['a0-running', 'a3', 'a3b', 'b1', 'v1'],
      results: ['k-a3', 'k-a3b', 'k-a0-running', 'k-v1', 'k-b1', 'k-shared'],
      images: [2, 3],
      memo: ['a3', 'a3b', 'a0-running', 'v1', 'b1'],
      decisions: 1,
    });
    expect(readdirSync(join(dir, 'imports'))).toEqual(['new']);
    // Nothing left to collect.
    expect(collectGarbage(s, { ...opts, dryRun: false })).toMatchObject({
      runsDropped: 0,
      resultsDropped: 0,
      artifactsDropped: 0,
      memoDropped: 0,
      derivedFoldersDropped: [],
    });
    s.close();
  });

  it('memory and SQLite give the same report for the same history, memo kept unless asked', () => {
    const reports = implementations.map(([, make]) => {
      const dir = cacheWithImports();
      const s = make(dir);
      history(s);
      const report = collectGarbage(s, { keepRuns: 1, dryRun: false, includeMemo: false, derivedDirs: ['imports'], cacheDir: dir });
      const left = contents(s);
      s.close();
      return { report, left };
    });
    expect(reports[0]).toEqual(reports[1]);
    expect(reports[0]!.report.memoDropped).toBe(0);
    expect(reports[0]!.left.memo).toHaveLength(7);
  });

  it('keeps the newest runs of each pipeline and variant, in the order given', () => {
    const r = (id: string, pipelinePath = '/a.yaml', variant: string | null = null) => ({ id, pipelinePath, variant });
    expect(runsBeyondKept([r('a3'), r('v2', '/a.yaml', 'v'), r('a2'), r('b1', '/b.yaml'), r('v1', '/a.yaml', 'v'), r('a1')], 1)).toEqual(['a2', 'v1', 'a1']);
    expect(runsBeyondKept([r('a2'), r('a1')], 0)).toEqual(['a2', 'a1']);
  });
});
