import { symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { describe, expect, test } from 'vitest';
import { configError } from '../../engine/errors.ts';
import { defineStage } from '../../engine/stage.ts';
import { formatDiagnostics, loadPipeline, loadPipelineFromText } from '../../engine/config/index.ts';
import { tempTree, testRegistry } from './test-registry.ts';

const registry = {
  ...testRegistry,
  buggy: defineStage({
    name: 'buggy',
    version: '1',
    kind: 'map',
    options: z.object({}),
    check: () => {
      throw new TypeError("cannot read properties of undefined (reading 'x')");
    },
    run: () => null,
  }),
  snoop: defineStage({
    name: 'snoop',
    version: '1',
    kind: 'map',
    options: z.object({}),
    check: (_node, pipeline, files) => (files.read(join(pipeline.dir, 'pipeline.yaml')), []),
    run: () => null,
  }),
  picky: defineStage({
    name: 'picky',
    version: '1',
    kind: 'map',
    options: z.object({}),
    check: () => {
      throw configError('the suite has no actions', { hint: 'Add actions to the suite.' });
    },
    run: () => null,
  }),
  reader: defineStage({
    name: 'reader',
    version: '1',
    kind: 'map',
    options: z.object({ template: z.string().default('missing.hbs') }),
    keyFiles: (node, pipeline) => [
      { label: 'template', path: join(pipeline.dir, node.with['template'] as string) },
      { label: 'partials', path: join(pipeline.dir, 'partials/*.hbs') },
    ],
    check: (_node, pipeline, files) =>
      files.paths().length === 2
        ? []
        : [
            {
              message: `saw [${files
                .paths()
                .map((p) => relative(pipeline.dir, p))
                .join(', ')}]`,
              path: ['with', 'template'],
            },
          ],
    run: () => null,
  }),
};

function printedWith(yaml: string, files: Record<string, string> = {}, links: Record<string, string> = {}): string {
  const dir = tempTree({ 'pipeline.yaml': yaml, ...files });
  for (const [rel, target] of Object.entries(links)) symlinkSync(target, join(dir, rel));
  const result = loadPipeline(join(dir, 'pipeline.yaml'), { registry, env: {}, cwd: dir });
  if (result.ok) return 'ok';
  return formatDiagnostics(result.diagnostics, result.sources, { cwd: dir }).replaceAll(dir, '<tmp>');
}

const pipeline = (stage: string) => `name: checks\nsessions: {path: s/*}\nstages:\n  only:\n${stage}`;

describe("stages' own checks", () => {
  test('a check that throws is reported as a bug in that stage, at the node', () => {
    expect(printedWith(pipeline('    uses: buggy\n'))).toMatchInlineSnapshot(`
      "pipeline.yaml:4:3 stage "only" (uses buggy) failed its checks: cannot read properties of undefined (reading 'x')
        4 |   only:
          |   ^^^^
        hint: This is a bug in the "buggy" stage, unless the message says otherwise."
    `);
  });

  test('a check that throws a config error reads like any other diagnostic', () => {
    expect(printedWith(pipeline('    uses: picky\n'))).toMatchInlineSnapshot(`
      "pipeline.yaml:4:3 the suite has no actions
        4 |   only:
          |   ^^^^
        hint: Add actions to the suite."
    `);
  });

  test('a check may read only the files its stage declares, as at run time', () => {
    expect(printedWith(pipeline('    uses: snoop\n'))).toContain("pipeline.yaml:4:3 the file <tmp>/pipeline.yaml was not declared in the stage's keyFiles");
  });

  test('declared key files: a missing one is reported, globs are expanded for the check', () => {
    expect(printedWith(pipeline('    uses: reader\n'))).toMatchInlineSnapshot(`
      "pipeline.yaml:4:3 stage "only" reads template "missing.hbs", which does not exist
        4 |   only:
          |   ^^^^
        hint: Looked for <tmp>/missing.hbs.

      pipeline.yaml:4:3 saw []
        4 |   only:
          |   ^^^^"
    `);
    expect(printedWith(pipeline('    uses: reader\n    with: {template: t.hbs}\n'), { 't.hbs': 'x', 'partials/a.hbs': 'a' })).toBe('ok');
    // Only regular files the glob matches: not a nested folder's, another extension, or a dangling link.
    const many = { 't.hbs': 'x', 'partials/a.hbs': 'a', 'partials/b.hbs': 'b', 'partials/c.txt': 'c', 'partials/sub/d.hbs': 'd' };
    expect(printedWith(pipeline('    uses: reader\n    with: {template: t.hbs}\n'), many, { 'partials/gone.hbs': 'nowhere.hbs' })).toMatchInlineSnapshot(`
      "pipeline.yaml:6:22 saw [partials/a.hbs, partials/b.hbs, t.hbs]
        6 |     with: {template: t.hbs}
          |                      ^^^^^"
    `);
  });
});

describe('loading from text', () => {
  test('a label that is not a path resolves relative paths against cwd', () => {
    const dir = tempTree({});
    const result = loadPipelineFromText(pipeline('    uses: load\n'), '<snapshot of run r1>', { registry, env: {}, cwd: dir });
    expect(result.ok && [result.pipeline.file, result.pipeline.sessions.path]).toEqual(['<snapshot of run r1>', join(dir, 's/*')]);
  });

  test('duplicate stage ids inside a variant are caught too', () => {
    expect(printedWith(`${pipeline('    uses: load\n')}variants:\n  v:\n    stages:\n      x: {uses: load}\n      x: {uses: write}\n`)).toMatchInlineSnapshot(`
      "pipeline.yaml:10:7 duplicate stage id "x" (first defined at line 9, column 7)
        10 |       x: {uses: write}
           |       ^
        hint: Stage ids must be unique; rename one of them."
    `);
  });
});
