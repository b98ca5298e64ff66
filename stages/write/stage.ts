import path from 'node:path';
import { z } from 'zod';
import { TracepipeError } from '../../engine/errors.ts';
import { defineStage, type MapContext } from '../../engine/stage.ts';
import { formatIssues, validateExample } from '../../domain/example/validate.ts';
import type { Example } from '../../domain/example/index.ts';
import type { Consumes } from '../../domain/roles.ts';
import { jsonFile, jsonLines, writeFileAtomic } from '../../engine/atomic-write.ts';

export const WriteOptions = z.strictObject({});
export type WriteOptions = z.infer<typeof WriteOptions>;

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

/** Folder of one example under the pipeline's output directory. */
export function exampleDir(outDir: string, exampleId: string): string {
  return path.join(outDir, 'examples', exampleId);
}

/**
 * Validates an example and writes `examples/<id>/messages.jsonl` and `example.json`
 * atomically. An invalid COMPLETED example fails its item with every issue, each
 * naming the example and the field; an invalid NEEDS_REVIEW or FAILED example is
 * written with its `validationIssues` (it stays out of the dataset). Not cached.
 */
export const writeExamplesStage = defineStage<WriteOptions, Consumes<'example'>, Example>({
  name: 'write-examples',
  version: '3',
  kind: 'map',
  description: 'Validate each example and write examples/<id>/{messages.jsonl,example.json}',
  options: WriteOptions,
  consumes: ['example'],
  produces: 'example',
  cache: false,
  run: (ctx) => writeExample(ctx),
});

function writeExample(ctx: MapContext<WriteOptions, Consumes<'example'>>): Example {
  const input = ctx.upstream.example.output;
  if (!SAFE_ID.test(input.id)) {
    throw new TracepipeError('TP_STAGE', `example id "${input.id}" is not a safe folder name`, { location: { file: 'example.json', field: 'id' } });
  }
  const dir = exampleDir(ctx.pipeline.outDir, input.id);
  const issues = validateExample(input, input.tools, { exampleId: input.id, requireAssistant: input.status !== 'FAILED' });
  if (issues.length > 0 && input.status === 'COMPLETED') {
    const first = issues[0];
    throw new TracepipeError('TP_STAGE', `example ${input.id} is invalid:\n${formatIssues(issues)}`, {
      location: { file: path.join(dir, 'example.json'), ...(first ? { field: first.path } : {}) },
      hint: 'Fix the action-tool map or the classification that produced it; nothing was written for this example.',
      details: { issues },
    });
  }
  // An example that is not COMPLETED never reaches the dataset; it is written with its
  // issues so a reviewer sees what a fix must repair.
  if (issues.length > 0) ctx.emit('example.invalid', { exampleId: input.id, status: input.status, issues: issues.length });
  const example: Example = { ...input, ...(issues.length > 0 ? { validationIssues: issues } : {}) };
  writeFileAtomic(path.join(dir, 'messages.jsonl'), jsonLines(example.messages));
  writeFileAtomic(path.join(dir, 'example.json'), jsonFile(example));
  ctx.metrics.add('examples.written', 1);
  return example;
}
