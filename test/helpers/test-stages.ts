import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { defineStage, type StageRegistry } from '../../engine/stage.ts';
import { inputError } from '../../engine/errors.ts';

/**
 * Small generic stages for engine tests. Each appends `<stage> <item>` to the file
 * named by TRACEPIPE_TEST_INVOCATIONS (when set), so tests can count real invocations
 * even across processes.
 */
function countInvocation(stage: string, item: string): void {
  const file = process.env.TRACEPIPE_TEST_INVOCATIONS;
  if (file) appendFileSync(file, `${stage} ${item}\n`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const readText = defineStage({
  name: 'read-text',
  version: '1',
  kind: 'map',
  options: z.object({ file: z.string().default('input.txt'), delayMs: z.number().default(0) }),
  async run(ctx) {
    countInvocation(ctx.node.id, ctx.item.id);
    if (ctx.options.delayMs > 0) await sleep(ctx.options.delayMs);
    const text = readFileSync(join(ctx.item.path, ctx.options.file), 'utf8');
    if (text.startsWith('FAIL')) {
      throw inputError(`${ctx.options.file}:1 field "text": the item asks to fail`, {
        location: { file: join(ctx.item.path, ctx.options.file), line: 1, field: 'text' },
        hint: 'Remove FAIL from the first line of the file.',
      });
    }
    return { text: text.trim() };
  },
});

export const transform = defineStage({
  name: 'transform',
  version: '1',
  kind: 'map',
  options: z.object({ suffix: z.string().default(''), upper: z.boolean().default(false), delayMs: z.number().default(0), from: z.string().optional() }),
  async run(ctx) {
    countInvocation(ctx.node.id, ctx.item.id);
    if (ctx.options.delayMs > 0) await sleep(ctx.options.delayMs);
    const from = ctx.options.from ?? ctx.node.needs[0]!;
    const input = ctx.inputs[from] as { text: string };
    const text = ctx.options.upper ? input.text.toUpperCase() : input.text;
    return { text: text + ctx.options.suffix };
  },
});

/** Renders a template file declared as a key file, so prompt changes reach the key. */
export const template = defineStage({
  name: 'template',
  version: '1',
  kind: 'map',
  options: z.object({ partials: z.string().optional() }),
  keyFiles: (node, pipeline) => [
    ...(node.prompt ? [{ label: 'prompt', path: node.prompt }] : []),
    ...(node.with.partials ? [{ label: 'partial', path: `${resolve(pipeline.dir, String(node.with.partials))}/*.txt` }] : []),
  ],
  estimate(ctx) {
    const input = ctx.inputs[ctx.node.needs[0]!] as { text: string };
    return { 'llm.calls': 1, 'llm.inputTokens': input.text.length };
  },
  run(ctx) {
    countInvocation(ctx.node.id, ctx.item.id);
    const input = ctx.inputs[ctx.node.needs[0]!] as { text: string };
    const tpl = ctx.node.prompt ? ctx.files.read(ctx.node.prompt) : '{{text}}';
    const model = ctx.node.model?.config ?? {};
    return { text: tpl.replace('{{text}}', input.text), temperature: model.temperature ?? null };
  },
});

export const collect = defineStage({
  name: 'collect',
  version: '1',
  kind: 'aggregate',
  cache: false,
  options: z.object({ out: z.string().default('all.txt') }),
  run(ctx) {
    countInvocation(ctx.node.id, '*');
    const lines = ctx.items.map((e) => `${e.item.id}\t${(e.inputs[ctx.node.needs[0]!] as { text: string }).text}`);
    mkdirSync(ctx.pipeline.outDir, { recursive: true });
    const tmp = join(ctx.pipeline.outDir, `.${ctx.options.out}.tmp`);
    writeFileSync(tmp, lines.join('\n') + '\n');
    writeFileSync(join(ctx.pipeline.outDir, ctx.options.out), lines.join('\n') + '\n');
    return { count: lines.length, failed: ctx.failures.map((f) => f.item.id) };
  },
});

export const testRegistry = { 'read-text': readText, transform, template, collect } as const satisfies StageRegistry;
