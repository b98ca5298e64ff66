import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryStore } from '../../engine/cache/memory.ts';
import { loadPipeline } from '../../engine/config/index.ts';
import { executeRun, takeSnapshot } from '../../engine/run/index.ts';
import type { Example } from '../../domain/example/index.ts';
import { builtinStages } from '../../stages/index.ts';
import { validateExample, type DatasetManifest } from '../../stages/dataset/index.ts';
import { reviewPayload, reviewQueue, REVIEW_KIND } from '../../domain/review/index.ts';
import { ROOT } from '../synthesize/fixtures.ts';
import { rulesPipelineYaml } from '../helpers/rules-pipeline.ts';

const registry = builtinStages;

/** The recorded mail-app sessions through the real engine: load -> normalize -> classify (rules) -> synthesize -> write -> dataset. */
function workspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-'));
  cpSync(path.join(ROOT, 'pipelines'), path.join(dir, 'pipelines'), { recursive: true });
  cpSync(path.join(ROOT, 'prompts'), path.join(dir, 'prompts'), { recursive: true });
  cpSync(path.join(ROOT, 'fixtures/sessions'), path.join(dir, 'sessions'), { recursive: true });
  writeFileSync(
    path.join(dir, 'pipelines/e2e.yaml'),
    rulesPipelineYaml('e2e', {
      output: '../out',
      moreStages: '  write: {uses: write-examples, needs: [synthesize]}\n  dataset: {uses: dataset, needs: [write], with: {validationFraction: 0.2}}\n',
    }),
  );
  return dir;
}

async function exec(dir: string, store: MemoryStore) {
  const loaded = loadPipeline(path.join(dir, 'pipelines/e2e.yaml'), { registry, cwd: dir, env: {} });
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`).join('\n'));
  const p = loaded.pipeline;
  const { files } = takeSnapshot(p, registry, loaded.raw);
  return { result: await executeRun({ pipeline: p, registry, store, files, snapshot: loaded.raw, env: process.env }), outDir: p.outDir };
}

describe('gmail pipeline end to end (rules classifier)', () => {
  // One workspace and store for both tests (each full run takes a few seconds): the second builds on the first.
  let dir: string;
  let store: MemoryStore;
  let first: Awaited<ReturnType<typeof exec>>;
  beforeAll(async () => {
    dir = workspace();
    store = new MemoryStore();
    first = await exec(dir, store);
  });

  it('writes examples and a dataset whose every line passes the validator; a rerun rewrites the same files', async () => {
    const { result, outDir } = first;
    const failures = result.summary.failures.map((f) => `${f.stage} ${f.item}: ${f.error.message}`);
    expect(failures).toEqual([]);
    const sessions = readdirSync(path.join(dir, 'sessions')).sort();
    expect(readdirSync(path.join(outDir, 'examples')).sort()).toEqual(sessions);
    const manifest = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as DatasetManifest;
    expect(manifest.counts.examples).toBe(sessions.length);
    const lines = ['dataset.jsonl', 'validation.jsonl'].flatMap((f) => readFileSync(path.join(outDir, f), 'utf8').split('\n').filter(Boolean));
    expect(lines.length).toBe(manifest.counts.train + manifest.counts.validation);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(validateExample(JSON.parse(line))).toEqual([]);
    for (const id of sessions) {
      const ex = JSON.parse(readFileSync(path.join(outDir, 'examples', id, 'example.json'), 'utf8')) as Example;
      expect(ex.provenance.toolCalls.every((t) => t.sourceEvents.length > 0)).toBe(true);
    }

    const snapshot = ['dataset.jsonl', 'validation.jsonl', ...sessions.map((s) => `examples/${s}/messages.jsonl`)].map((f) =>
      readFileSync(path.join(outDir, f), 'utf8'),
    );
    const again = await exec(dir, store);
    expect(again.result.status).toBe('succeeded');
    expect(
      ['dataset.jsonl', 'validation.jsonl', ...sessions.map((s) => `examples/${s}/messages.jsonl`)].map((f) => readFileSync(path.join(outDir, f), 'utf8')),
    ).toEqual(snapshot);
  });

  it('a review decision stored against the classify result takes a flagged example into the dataset on the next run', async () => {
    // The rules classifier is confident on every fixture; a strict threshold flags its spans for review.
    const file = path.join(dir, 'pipelines/e2e.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('thresholds: {review: 0.7}', 'thresholds: {review: 0.99}'));
    const strict = await exec(dir, store);
    expect(strict.result.summary.stages['classify']?.cached).toBe(readdirSync(path.join(dir, 'sessions')).length);
    const { outDir } = strict;
    const sessions = readdirSync(path.join(dir, 'sessions')).sort();
    const examples = sessions.map((id) => JSON.parse(readFileSync(path.join(outDir, 'examples', id, 'example.json'), 'utf8')) as Example);
    const queue = reviewQueue(examples);
    const entry = queue.find((e) => e.sessionId === 'reply-dana-offsite');
    expect(entry).toMatchObject({ action: 'reply_email', spanIndex: 0, subject: { stage: 'classify' } });
    const before = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as DatasetManifest;
    expect([...before.train, ...before.validation]).not.toContain('reply-dana-offsite');

    store.addAnnotation({
      subjectKey: entry!.subject.key,
      kind: REVIEW_KIND,
      payload: reviewPayload({ span: 0, decision: 'accept', reviewer: 'test' }),
      createdAt: '2026-11-22T00:00:00.000Z',
    });
    const { result } = await exec(dir, store);
    expect(result.summary.stages['classify']?.cached).toBe(sessions.length); // nothing upstream is recomputed
    expect(result.summary.stages['synthesize']?.done).toBe(1); // only the annotated session's example is rebuilt
    const after = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as DatasetManifest;
    expect([...after.train, ...after.validation]).toContain('reply-dana-offsite');
    expect(after.counts.byStatus.COMPLETED).toBe((before.counts.byStatus.COMPLETED ?? 0) + 1);
    const ex = JSON.parse(readFileSync(path.join(outDir, 'examples/reply-dana-offsite/example.json'), 'utf8')) as Example;
    expect(ex.status).toBe('COMPLETED');
    expect(ex.messages.flatMap((m) => (m.role === 'assistant' ? (m.tool_calls ?? []) : [])).map((c) => ('function' in c ? c.function.name : c.name))).toEqual([
      'gmail_reply_to_message',
    ]);
  });
});
