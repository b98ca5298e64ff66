import { dirname, join, relative } from 'node:path';
import { configError, inputError } from '../../engine/errors.ts';
import { matchUnder } from '../../engine/glob.ts';
import { packagePath } from '../../engine/package-root.ts';
import type { FileSet } from '../../engine/stage.ts';
import type { ResolvedPipeline, StageNode } from '../../engine/config/types.ts';
import type { Timeline } from '../../domain/session/timeline.ts';
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
    partials[relative(dir, p).replace(/\.hbs$/, '').split('\\').join('/')] = files.read(p);
  }
  return { templatePath, template: files.read(templatePath), partials };
}

/** Parses the pipeline's suite (memoized by its text: the same text always parses the same). */
export function loadSuite(pipeline: ResolvedPipeline, files: FileSet): Suite {
  if (!pipeline.suite) throw configError(`pipeline ${pipeline.file} names no suite; the classify stage needs one`, { hint: 'Add `suite: suites/<name>.yaml` to the pipeline.' });
  return parseSuiteCached(files.read(pipeline.suite), pipeline.suite);
}

export function parseModel(node: StageNode): ClassifyModelConfig {
  if (!node.model) throw configError(`stage "${node.id}" needs a model (provider openai or rules)`, { hint: 'Add `model: <name>` naming an entry of `models:`.' });
  const parsed = ClassifyModelConfig.safeParse(node.model.config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw configError(`model "${node.model.name}": ${issue.path.join('.') || 'config'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The Timeline to classify: the input named by `from`, or the only input. */
export function pickTimeline(inputs: Record<string, unknown>, from: string, itemId: string): Timeline {
  const values = Object.values(inputs);
  const value = from in inputs ? inputs[from] : values.length === 1 ? values[0] : undefined;
  if (value === undefined) {
    throw configError(`classify reads a Timeline from stage "${from}", but its inputs are: ${Object.keys(inputs).join(', ') || 'none'}`, { hint: 'Set `with: {from: <normalize stage id>}` or list that stage in needs.' });
  }
  const t = value as Partial<Timeline>;
  if (typeof t !== 'object' || t === null || !Array.isArray(t.steps) || !Array.isArray(t.preamble ?? [])) {
    throw inputError(`input "${from}" of session ${itemId} is not a Timeline (no steps array)`);
  }
  return { preamble: [], ...t, sessionId: t.sessionId ?? itemId } as Timeline;
}

