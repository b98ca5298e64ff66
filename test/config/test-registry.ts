import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { defineStage, type StageRegistry } from '../../engine/stage.ts';
import { formatDiagnostics, loadPipeline, type LoadOptions, type LoadResult } from '../../engine/config/index.ts';

/** Three small stages standing in for the built-ins, so config tests do not depend on stages/. */
export const testRegistry = {
  load: defineStage({
    name: 'load',
    version: '1',
    kind: 'map',
    description: 'Reads sessions.',
    options: z.object({
      format: z.enum(['native', 'har']).default('native'),
      maxImages: z.int().min(1).default(20),
    }),
    run: () => null,
  }),
  classify: defineStage({
    name: 'classify',
    version: '1',
    kind: 'map',
    options: z.strictObject({
      chunkSize: z.int().min(1).default(40),
      temperature: z.number().min(0).max(2).optional(),
      images: z.object({ max: z.int().min(0), detail: z.enum(['low', 'high']).default('low') }).optional(),
    }),
    keyFiles: (node) => (node.prompt === undefined ? [] : [{ label: 'prompt', path: node.prompt }]),
    check: (node, _pipeline, files) => [
      ...(node.model === undefined ? [{ message: 'classify needs a model', path: [] as string[], hint: 'Add `model: <name>`.' }] : []),
      ...(node.prompt !== undefined && files.read(node.prompt).trim() === '' ? [{ message: 'the prompt template is empty', path: ['prompt'] }] : []),
    ],
    run: () => null,
  }),
  write: defineStage({
    name: 'write',
    version: '1',
    kind: 'aggregate',
    cache: false,
    options: z.object({ split: z.number().min(0).max(1).default(0.1) }),
    run: () => null,
  }),
} satisfies StageRegistry;

/** Writes files into a fresh temp folder and returns its path. */
export function tempTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tp-config-'));
  for (const [rel, text] of Object.entries(files)) {
    const abs = join(dir, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  return dir;
}

/** Loads `pipeline.yaml` from a temp tree with the test registry and an empty environment. */
export function loadTree(files: Record<string, string>, opts: Partial<LoadOptions> = {}): { dir: string; result: LoadResult } {
  const dir = tempTree(files);
  const result = loadPipeline(join(dir, 'pipeline.yaml'), { registry: testRegistry, env: {}, cwd: dir, ...opts });
  return { dir, result };
}

/** The printed diagnostics of a failed load, paths relative to the temp folder. */
export function printed(files: Record<string, string>, opts: Partial<LoadOptions> = {}): string {
  const { dir, result } = loadTree(files, opts);
  if (result.ok) throw new Error('expected the pipeline to be rejected, but it loaded');
  return formatDiagnostics(result.diagnostics, result.sources, { cwd: dir }).replaceAll(dir, '<tmp>');
}

export const BASE = `name: gmail
sessions:
  path: sessions/*
models:
  strong:
    provider: openai
    model: gpt-4o
  small:
    provider: openai
    model: gpt-4o-mini
    temperature: 0
stages:
  load:
    uses: load
  classify:
    uses: classify
    needs: load
    model: strong
  write:
    uses: write
    needs: [classify]
`;
