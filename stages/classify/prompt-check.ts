import Handlebars from 'handlebars';
import { join, relative } from 'node:path';
import type { StageIssue } from '../../engine/stage.ts';
import { templateProblems } from '../../domain/templates/index.ts';
import { promptHelpers, type PromptTexts } from './openai/prompt.ts';

/**
 * Problems in the classify template and its partials that would fail every item at
 * run time (syntax, unknown helpers, unknown partials), each naming file:line:column.
 */
export function promptTemplateIssues(texts: PromptTexts, partialsDir: string, pipelineDir: string): StageIssue[] {
  const known = { helpers: [...Object.keys(Handlebars.create().helpers), ...Object.keys(promptHelpers(Handlebars))], partials: Object.keys(texts.partials) };
  const sources = [
    { file: texts.templatePath, text: texts.template },
    ...Object.entries(texts.partials).map(([name, text]) => ({ file: join(partialsDir, `${name}.hbs`), text })),
  ];
  return sources.flatMap(({ file, text }) =>
    templateProblems(text, known).map((p) => ({
      path: ['prompt'],
      message: `prompt template ${relative(pipelineDir, file)}:${p.line}:${p.column}: ${p.message}`,
      hint: 'Fix the template: it would fail every item when the stage runs.',
    })),
  );
}
