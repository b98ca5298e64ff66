import { dirname, join, relative } from 'node:path';
import { configError } from '../../engine/errors.ts';
import { matchUnder } from '../../engine/glob.ts';
import { firstZodIssue } from '../../engine/config/zod-issues.ts';
import { packagePath } from '../../engine/package-root.ts';
import type { FileSet } from '../../engine/stage.ts';
import type { ResolvedPipeline, StageNode } from '../../engine/config/types.ts';
import { parseSuiteCached, type Suite } from '../../domain/suite/index.ts';
import { ClassifyModelConfig } from './model-config.ts';
import type { PromptTexts } from './openai/prompt.ts';

/** The prompt shipped with tracepipe, used when the node names none. */
export const DEFAULT_PROMPT = packagePath('prompts', 'classify.hbs');

export function promptPath(node: StageNode): string {
  return node.prompt ?? DEFAULT_PROMPT;
}

/** Partials live in `partials/` next to the main template; names are paths below it without `.hbs`. */
export function partialsDir(node: StageNode): string {
  return join(dirname(promptPath(node)), 'partials');
}

/** Every partial below `dir`, by the glob rule declared files follow (hidden files are not partials). */
export function listPartials(dir: string): string[] {
  return matchUnder(dir, '**/*.hbs', 'files').map((rel) => join(dir, rel));
}

/** Reads the template and partials through the run's FileSet, so a resumed run sees its snapshot's text. */
export function readPrompt(node: StageNode, files: FileSet): PromptTexts {
  const templatePath = promptPath(node);
  const dir = partialsDir(node);
  const partials: Record<string, string> = {};
  for (const p of files.paths()) {
    if (!p.endsWith('.hbs') || relative(dir, p).startsWith('..')) continue;
    partials[
      relative(dir, p)
        .replace(/\.hbs$/, '')
        .split('\\')
        .join('/')
    ] = files.read(p);
  }
  return { templatePath, template: files.read(templatePath), partials };
}

/** Parses the pipeline's suite (memoized by its text: the same text always parses the same). */
export function loadSuite(pipeline: ResolvedPipeline, files: FileSet): Suite {
  if (!pipeline.suite)
    throw configError(`pipeline ${pipeline.file} names no suite; the classify stage needs one`, { hint: 'Add `suite: suites/<name>.yaml` to the pipeline.' });
  return parseSuiteCached(files.read(pipeline.suite), pipeline.suite);
}

export function parseModel(node: StageNode): ClassifyModelConfig {
  if (!node.model)
    throw configError(`stage "${node.id}" needs a model (provider openai or rules)`, { hint: 'Add `model: <name>` naming an entry of `models:`.' });
  const parsed = ClassifyModelConfig.safeParse(node.model.config);
  if (!parsed.success) {
    const issue = firstZodIssue(parsed.error, node.model.config);
    throw configError(`model "${node.model.name}" field "${issue.field}": ${issue.problem}`, {
      hint: 'Fix that entry under `models:` (stages/classify/README.md lists the settings of each provider).',
    });
  }
  return parsed.data;
}
