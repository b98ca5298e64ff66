import { resolve } from 'node:path';
import type { Rule } from './rule-context.ts';
import type { Path } from '../located.ts';
import { locate } from '../located.ts';
import { makeDiagnostic } from '../make-diagnostic.ts';
import { fileProblem } from '../disk-files.ts';

function missing(ctx: Parameters<Rule>[0], rel: string, path: Path, what: string) {
  const abs = resolve(ctx.dir, rel);
  const problem = fileProblem(abs);
  if (problem === undefined) return [];
  return [
    makeDiagnostic(
      locate(ctx.root, path),
      `${what} "${rel}" ${problem}`,
      path,
      `Looked for ${abs}; relative paths resolve against the pipeline file's folder.`,
    ),
  ];
}

/** A stage's `prompt:` must be an existing file (not a folder). */
export const missingPromptFiles: Rule = (ctx) =>
  ctx.stages.flatMap((s) => (s.prompt === undefined || s.prompt === '' ? [] : missing(ctx, s.prompt, ['stages', s.id, 'prompt'], 'prompt file')));

/** `suite:` must be an existing file (not a folder). */
export const missingSuiteFile: Rule = (ctx) => {
  const suite = ctx.config['suite'];
  return typeof suite === 'string' && suite !== '' ? missing(ctx, suite, ['suite'], 'suite file') : [];
};
