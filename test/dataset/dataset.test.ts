import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatasetOptions, datasetStage, splitOf, validateExample, type DatasetResult } from '../../stages/dataset/index.ts';
import type { DatasetLine, Example } from '../../domain/example/index.ts';
import { sha256 } from '../../engine/hash.ts';
import { aggregateContext, upstreamOf } from '../helpers/stage-context.ts';
import { archiveSpan, classification, sendSpan, synthesizeExample, timeline } from '../synthesize/fixtures.ts';

const SESSIONS = Array.from({ length: 40 }, (_, i) => `sess-${String(i).padStart(3, '0')}`);

async function examples(): Promise<Example[]> {
  const out: Example[] = [];
  for (const [i, id] of SESSIONS.entries()) {
    // every 7th session has a low-confidence span (NEEDS_REVIEW), every 11th nothing classified (FAILED)
    const spans = i % 11 === 5 ? [] : i % 7 === 3 ? [sendSpan, { ...archiveSpan, confidence: 0.4 }] : [sendSpan, archiveSpan];
    out.push(await synthesizeExample({ sessionId: id, classification: classification(id, spans), timeline: timeline(id) }));
  }
  return out;
}

async function run(exs: Example[], outDir: string, options: Partial<DatasetOptions> = {}) {
  const ctx = aggregateContext({
    options: DatasetOptions.parse(options),
    items: exs.map((e) => ({
      item: { id: e.sessionId, path: `/s/${e.sessionId}`, fingerprint: 'f' },
      upstream: upstreamOf({ example: e }, { from: { example: 'write' } }),
      inputs: { write: e },
      upstreamKeys: {},
      annotations: {},
    })),
    pipeline: { outDir, name: 'gmail' },
  });
  ctx.failures = [{ item: { id: 'sess-broken', path: '/s/sess-broken', fingerprint: 'f' }, stage: 'load', code: 'TP_INPUT', message: 'bad line' }];
  const manifest = (await datasetStage.run(ctx)) as DatasetResult;
  const cleaned = ctx.events.filter((e) => e.type === 'dataset.cleaned').map((e) => e.data?.['removedFolders']);
  return { manifest, cleaned, written: ctx.outputs.written() };
}

const readLines = (file: string): DatasetLine[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as DatasetLine);

const sessionOf = (line: DatasetLine) => {
  const call = line.messages.flatMap((m) => (m.role === 'assistant' ? (m.tool_calls ?? []) : []))[0]!;
  return call.id; // tool_call ids are per session
};

describe('dataset stage', () => {
  it('writes COMPLETED examples only, split by session with no session in both, every line valid', async () => {
    const exs = await examples();
    const out = mkdtempSync(path.join(os.tmpdir(), 'tp-dataset-'));
    const { manifest, cleaned, written } = await run(exs, out, { validationFraction: 0.25 });
    const train = readLines(path.join(out, 'dataset.jsonl'));
    const validation = readLines(path.join(out, 'validation.jsonl'));
    const completed = exs.filter((e) => e.status === 'COMPLETED');
    expect(manifest.counts).toEqual({
      examples: 40,
      train: train.length,
      validation: validation.length,
      excluded: 40 - completed.length,
      upstreamFailures: 1,
      byStatus: { COMPLETED: completed.length, NEEDS_REVIEW: 5, FAILED: 4 },
    });
    expect(train.length + validation.length).toBe(completed.length);
    expect(validation.length).toBeGreaterThan(0);
    expect(new Set([...manifest.train, ...manifest.validation]).size).toBe(completed.length);
    expect(manifest.train.filter((id) => manifest.validation.includes(id))).toEqual([]);
    const trainCalls = new Set(train.map(sessionOf));
    expect(validation.map(sessionOf).filter((c) => trainCalls.has(c))).toEqual([]);
    for (const line of [...train, ...validation]) {
      expect(Object.keys(line).sort()).toEqual(['messages', 'tools']);
      expect(validateExample(line)).toEqual([]);
    }
    for (const id of manifest.validation) expect(splitOf(id, 0.25, 'tracepipe')).toBe('validation');
    expect(manifest.excluded.find((x) => x.exampleId === 'sess-003')).toMatchObject({
      status: 'NEEDS_REVIEW',
      reason: expect.stringContaining('below the review threshold'),
    });
    expect(manifest.upstreamFailures).toEqual([{ item: 'sess-broken', stage: 'load', code: 'TP_INPUT', message: 'bad line' }]);
    expect(cleaned).toEqual([]);
    // the file holds no run id and nothing about earlier runs: the same examples give the same bytes
    expect(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'))).toEqual(manifest);
    expect(Object.keys(manifest)).not.toContain('runId');
    // every file it wrote is recorded with the hash of its bytes, and the examples folder as the clean left it
    expect(Object.keys(written ?? {}).sort()).toEqual(['out:dataset.jsonl', 'out:examples', 'out:manifest.json', 'out:validation.jsonl']);
    expect(written?.['out:manifest.json']).toEqual({ '': sha256(readFileSync(path.join(out, 'manifest.json'))) });
  });

  it('is deterministic: a rerun, in any item order, writes the same bytes', async () => {
    const exs = await examples();
    const a = mkdtempSync(path.join(os.tmpdir(), 'tp-dataset-'));
    const b = mkdtempSync(path.join(os.tmpdir(), 'tp-dataset-'));
    await run(exs, a);
    await run([...exs].reverse(), b);
    for (const f of ['dataset.jsonl', 'validation.jsonl', 'manifest.json']) {
      expect(readFileSync(path.join(b, f), 'utf8')).toBe(readFileSync(path.join(a, f), 'utf8'));
    }
  });

  it('keeps a session in its split when other sessions come or go', () => {
    const before = SESSIONS.map((s) => splitOf(s, 0.3, 'tracepipe'));
    expect(before.filter((s) => s === 'validation').length).toBeGreaterThan(3);
    expect(SESSIONS.map((s) => splitOf(s, 0.3, 'tracepipe'))).toEqual(before);
    expect(SESSIONS.map((s) => splitOf(s, 0.3, 'other-seed'))).not.toEqual(before);
    expect(SESSIONS.every((s) => splitOf(s, 0, 'x') === 'train' && splitOf(s, 1, 'x') === 'validation')).toBe(true);
  });

  it('by default removes example folders the run did not produce, and only those; clean: false keeps them', async () => {
    const exs = (await examples()).slice(0, 3);
    const out = mkdtempSync(path.join(os.tmpdir(), 'tp-dataset-'));
    for (const id of ['sess-000', 'old-session']) {
      mkdirSync(path.join(out, 'examples', id), { recursive: true });
      writeFileSync(path.join(out, 'examples', id, 'example.json'), '{}');
    }
    mkdirSync(path.join(out, 'examples', 'notes'));
    const kept = await run(exs, out, { clean: false });
    expect(kept.cleaned).toEqual([]);
    // without clean the examples folder is not the stage's to check
    expect(Object.keys(kept.written ?? {})).not.toContain('out:examples');
    expect(existsSync(path.join(out, 'examples/old-session'))).toBe(true);
    const cleaned = await run(exs, out);
    expect(cleaned.cleaned).toEqual([['old-session']]);
    expect(cleaned.written?.['out:examples']).toStrictEqual({ 'sess-000/example.json': sha256('{}') });
    expect(existsSync(path.join(out, 'examples/old-session'))).toBe(false);
    expect(existsSync(path.join(out, 'examples/sess-000'))).toBe(true);
    expect(existsSync(path.join(out, 'examples/notes'))).toBe(true);
  });
});
