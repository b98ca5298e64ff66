import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defineStage, type AggregateContext } from '../../engine/stage.ts';
import type { DatasetLine, ExampleStatus } from '../../domain/example/index.ts';
import type { Consumes } from '../../domain/roles.ts';
import { jsonFile, jsonLines } from '../../engine/atomic-write.ts';
import { splitOf, type Split } from './split.ts';

export const DatasetOptions = z.strictObject({
  /** Share of sessions that go to validation.jsonl (by a hash of the session id). */
  validationFraction: z.number().min(0).max(1).default(0.1),
  /** Changes which sessions land in validation. */
  seed: z.string().default('tracepipe'),
  /**
   * Remove examples/<id> folders this run did not produce (only folders holding an example.json):
   * on by default, so a session that now fails, or was removed, leaves no stale example behind.
   */
  clean: z.boolean().default(true),
});
export type DatasetOptions = z.infer<typeof DatasetOptions>;

/** Where write-examples puts each example's folder, under the output folder. */
const EXAMPLES_FOLDER = 'examples';

export const DATASET_FILES = { train: 'dataset.jsonl', validation: 'validation.jsonl', manifest: 'manifest.json' } as const;

/** manifest.json: a function of the examples and options alone (no run id, nothing about earlier runs). */
export interface DatasetManifest {
  pipeline: string;
  variant: string | null;
  files: typeof DATASET_FILES;
  validationFraction: number;
  seed: string;
  counts: { examples: number; train: number; validation: number; excluded: number; upstreamFailures: number; byStatus: Partial<Record<ExampleStatus, number>> };
  /** Example ids per split, in file order. */
  train: string[];
  validation: string[];
  /** Examples left out of both files, with why. */
  excluded: { exampleId: string; sessionId: string; status: ExampleStatus; reason: string }[];
  upstreamFailures: { item: string; stage: string; code: string; message: string }[];
}

/** What the stage returns: the manifest (what `clean` removed is history, so only in the `dataset.cleaned` event). */
export type DatasetResult = DatasetManifest;

/**
 * Writes the fine-tuning files: `dataset.jsonl` (train), `validation.jsonl` and
 * `manifest.json`, one `{messages, tools}` per line, COMPLETED examples only, split
 * by session. Every line is validated again; all writes are atomic. Cached: a rerun
 * with the same examples and failures only checks that the three files still hold what
 * was written and, with `clean`, that `examples/` holds exactly what it held after the
 * clean (a folder added since, or a file removed or edited, runs the stage again).
 */
export const datasetStage = defineStage<DatasetOptions, Consumes<'example'>, DatasetResult>({
  name: 'dataset',
  version: '3',
  kind: 'aggregate',
  description: 'COMPLETED examples -> dataset.jsonl (train) + validation.jsonl, split by session',
  options: DatasetOptions,
  consumes: ['example'],
  produces: 'dataset',
  // The manifest names the pipeline and the variant.
  keyInputs: (_node, pipeline) => ({ pipeline: pipeline.name, variant: pipeline.variant }),
  run: (ctx) => writeDataset(ctx),
});

async function writeDataset(ctx: AggregateContext<DatasetOptions, Consumes<'example'>>): Promise<DatasetResult> {
  const o = ctx.options;
  // Imported here, not at the top: a run whose dataset is a cache hit never loads the validator and the chat template.
  const { formatIssues, validateExample } = await import('../../domain/example/validate.ts');
  const examples = ctx.items.map((e) => e.upstream.example.output).sort((a, b) => a.sessionId.localeCompare(b.sessionId) || a.id.localeCompare(b.id));
  const lines: Record<Split, DatasetLine[]> = { train: [], validation: [] };
  const ids: Record<Split, string[]> = { train: [], validation: [] };
  const excluded: DatasetManifest['excluded'] = [];
  const byStatus: Partial<Record<ExampleStatus, number>> = {};
  for (const ex of examples) {
    byStatus[ex.status] = (byStatus[ex.status] ?? 0) + 1;
    if (ex.status !== 'COMPLETED') {
      excluded.push({ exampleId: ex.id, sessionId: ex.sessionId, status: ex.status, reason: ex.statusReason ?? ex.status });
      continue;
    }
    const line: DatasetLine = { messages: ex.messages, tools: ex.tools };
    const issues = validateExample(line, undefined, { exampleId: ex.id });
    if (issues.length > 0) {
      excluded.push({ exampleId: ex.id, sessionId: ex.sessionId, status: ex.status, reason: formatIssues(issues) });
      ctx.emit('dataset.invalid', { exampleId: ex.id, issues: issues.length });
      continue;
    }
    const split = splitOf(ex.sessionId, o.validationFraction, o.seed);
    lines[split].push(line);
    ids[split].push(ex.id);
  }
  ctx.outputs.write(DATASET_FILES.train, jsonLines(lines.train));
  ctx.outputs.write(DATASET_FILES.validation, jsonLines(lines.validation));
  const removedFolders = o.clean ? removeStaleExamples(ctx.pipeline.outDir, new Set(examples.map((e) => e.id))) : [];
  const manifest: DatasetManifest = {
    pipeline: ctx.pipeline.name,
    variant: ctx.pipeline.variant,
    files: DATASET_FILES,
    validationFraction: o.validationFraction,
    seed: o.seed,
    counts: {
      examples: examples.length,
      train: lines.train.length,
      validation: lines.validation.length,
      excluded: excluded.length,
      upstreamFailures: ctx.failures.length,
      byStatus,
    },
    train: ids.train,
    validation: ids.validation,
    excluded,
    upstreamFailures: ctx.failures.map((f) => ({ item: f.item.id, stage: f.stage, code: f.code, message: f.message })),
  };
  ctx.outputs.write(DATASET_FILES.manifest, jsonFile(manifest));
  if (o.clean) ctx.outputs.keep(EXAMPLES_FOLDER);
  ctx.metrics.add('dataset.train', lines.train.length);
  ctx.metrics.add('dataset.validation', lines.validation.length);
  if (removedFolders.length > 0) ctx.emit('dataset.cleaned', { removedFolders });
  return manifest;
}

function removeStaleExamples(outDir: string, keep: Set<string>): string[] {
  const root = path.join(outDir, EXAMPLES_FOLDER);
  if (!existsSync(root)) return [];
  const removed: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || keep.has(entry.name)) continue;
    const dir = path.join(root, entry.name);
    if (!existsSync(path.join(dir, 'example.json'))) continue;
    rmSync(dir, { recursive: true, force: true });
    removed.push(entry.name);
  }
  return removed.sort();
}
