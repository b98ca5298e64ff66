import path from 'node:path';
import { z } from 'zod';
import { TracepipeError } from '../../engine/errors.ts';
import { defineStage, type MapContext } from '../../engine/stage.ts';
import type { Example } from '../../domain/example/index.ts';
import type { Consumes } from '../../domain/roles.ts';
import { jsonFile, jsonLines } from '../../engine/atomic-write.ts';
import { isSafeName } from '../../domain/session/safe-name.ts';

export const WriteOptions = z.strictObject({});
export type WriteOptions = z.infer<typeof WriteOptions>;

/** Folder of one example, relative to the pipeline's output directory. */
export function exampleFolder(exampleId: string): string {
  return `examples/${exampleId}`;
}

/** Folder of one example under the pipeline's output directory. */
export function exampleDir(outDir: string, exampleId: string): string {
  return path.join(outDir, exampleFolder(exampleId));
}

/**
 * Validates an example (the validator, with the chat template, is imported by the first
 * example that is not a cache hit) and writes `examples/<id>/messages.jsonl` and `example.json`
 * atomically. An invalid COMPLETED example fails its item with every issue, each
 * naming the example and the field; an invalid NEEDS_REVIEW or FAILED example is
 * written with its `validationIssues` (it stays out of the dataset). Cached: a rerun
 * with the same example only checks that both files still hold what was written, and
 * writes them again when one was removed or edited.
 */
export const writeExamplesStage = defineStage<WriteOptions, Consumes<'example'>, Example>({
  name: 'write-examples',
  version: '3',
  kind: 'map',
  description: 'Validate each example and write examples/<id>/{messages.jsonl,example.json}',
  options: WriteOptions,
  consumes: ['example'],
  produces: 'example',
  run: (ctx) => writeExample(ctx),
});

async function writeExample(ctx: MapContext<WriteOptions, Consumes<'example'>>): Promise<Example> {
  const input = ctx.upstream.example.output;
  if (!isSafeName(input.id)) {
    throw new TracepipeError('TP_STAGE', `example id "${input.id}" is not a safe folder name`, { location: { file: 'example.json', field: 'id' } });
  }
  const dir = exampleDir(ctx.pipeline.outDir, input.id);
  const { formatIssues, validateExample } = await import('../../domain/example/validate.ts');
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
  ctx.outputs.write(`${exampleFolder(input.id)}/messages.jsonl`, jsonLines(example.messages));
  ctx.outputs.write(`${exampleFolder(input.id)}/example.json`, jsonFile(example));
  ctx.metrics.add('examples.written', 1);
  return example;
}
