import Handlebars from 'handlebars';
import path from 'node:path';
import type { ResolvedPipeline, StageNode } from '../../engine/config/types.ts';
import { TracepipeError } from '../../engine/errors.ts';
import type { FileSet } from '../../engine/stage.ts';
import { joinHelper } from '../../domain/toolmap/index.ts';
import { templateProblems, type TemplateProblem } from '../../domain/templates/index.ts';
import type { SynthesizeOptions } from './options.ts';

/** Prompt templates see plain text (no HTML escaping) and helpers: `join`, `is` and `capitalize`. */
const hbs = Handlebars.create();
hbs.registerHelper('join', joinHelper);
hbs.registerHelper('is', function (this: unknown, a: unknown, b: unknown, options: Handlebars.HelperOptions) {
  return a === b ? options.fn(this) : options.inverse(this);
});

hbs.registerHelper('capitalize', function (this: unknown, options: Handlebars.HelperOptions) {
  const text = options.fn(this);
  return text.charAt(0).toUpperCase() + text.slice(1);
});

/** What would make a prompt fail to render (syntax, helpers this instance lacks); synthesize prompts have no partials. */
export function promptProblems(source: string): TemplateProblem[] {
  return templateProblems(source, { helpers: Object.keys(hbs.helpers), partials: [] });
}

/** Compiled templates by source text: every session of a run renders the same two prompts. */
const compiled = new Map<string, Handlebars.TemplateDelegate>();

function compiledTemplate(source: string): Handlebars.TemplateDelegate {
  let fn = compiled.get(source);
  if (fn === undefined) {
    fn = hbs.compile(source, { noEscape: true });
    if (compiled.size > 32) compiled.clear();
    compiled.set(source, fn);
  }
  return fn;
}

export interface PromptPaths {
  system: string;
  user: string;
}

export function promptPaths(node: StageNode, pipeline: ResolvedPipeline, options: Pick<SynthesizeOptions, 'systemPrompt' | 'userPrompt'>): PromptPaths {
  return {
    system: node.prompt ?? path.resolve(pipeline.dir, options.systemPrompt),
    user: path.resolve(pipeline.dir, options.userPrompt),
  };
}

export function renderPrompt(files: FileSet, file: string, data: Record<string, unknown>): { text: string; source: string } {
  let source: string;
  try {
    source = files.read(file);
  } catch (e) {
    throw new TracepipeError('TP_CONFIG', `prompt template ${file} cannot be read`, {
      location: { file },
      cause: e,
      hint: 'Set with.systemPrompt / with.userPrompt to a file relative to the pipeline, or declare it in keyFiles.',
    });
  }
  try {
    return { text: compiledTemplate(source)(data).trim(), source };
  } catch (e) {
    throw new TracepipeError('TP_CONFIG', `prompt template ${file} does not render: ${(e as Error).message}`, {
      location: { file },
    });
  }
}
