import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The page scripts are checked against the API's own types (tsconfig.pages.json, run by
// `npm run typecheck`). These tests change one API type in memory, run the same check,
// and expect the page that reads the field to fail: the check is real, not a formality.
const root = fileURLToPath(new URL('../..', import.meta.url));
const ASSETS = path.join(root, 'web/pages/assets') + path.sep;

function pagesConfig(): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'tsconfig.pages.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (parsed === undefined) throw new Error('tsconfig.pages.json did not parse');
  return parsed;
}

/** The diagnostics of the page scripts, with each edit applied to its file's text first. */
function pageErrors(config: ts.ParsedCommandLine, edits: { file: string; from: string; to: string }[]): string[] {
  const host = ts.createCompilerHost(config.options);
  const changed = new Map(
    edits.map((edit) => {
      const target = path.join(root, edit.file);
      const original = readFileSync(target, 'utf8');
      const text = original.replace(edit.from, edit.to);
      if (text === original) throw new Error(`${edit.file} has no "${edit.from}" to rename`);
      return [target, text];
    }),
  );
  const read = host.readFile.bind(host);
  host.readFile = (f) => changed.get(path.resolve(f)) ?? read(f);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
  return program
    .getSourceFiles()
    .filter((f) => f.fileName.startsWith(ASSETS.split(path.sep).join('/')))
    .flatMap((f) => program.getSemanticDiagnostics(f).concat(program.getSyntacticDiagnostics(f)))
    .map(
      (d) =>
        `${path.relative(root, d.file!.fileName)}(${d.file!.getLineAndCharacterOfPosition(d.start!).line + 1}): ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    );
}

describe('page scripts are type-checked against the API types', () => {
  const config = pagesConfig();

  // That they pass as they are is `npm run typecheck` (tsc -p tsconfig.pages.json).
  it('covers every script the pages load', () => {
    const scripts = readdirSync(ASSETS).filter((n) => n.endsWith('.js'));
    expect(scripts).toContain('runs.js');
    expect(config.fileNames.map((f) => path.relative(ASSETS, f)).sort()).toEqual(scripts.sort());
  });

  // One program for every rename: each is a different page, so one cannot hide another.
  it('renaming a field of a response type breaks the page that reads it', () => {
    const renames = [
      {
        file: 'web/api/run-view.ts',
        from: '  pipelineName: string;',
        to: '  pipelineTitle: string;',
        page: /^web\/pages\/assets\/runs\.js\(\d+\): Property 'pipelineName' does not exist on type 'RunView'/,
      },
      {
        file: 'web/api/responses.ts',
        from: '  url: string;',
        to: '  href: string;',
        page: /^web\/pages\/assets\/frames\.js\(\d+\): Property 'url' does not exist on type 'KeyframeView'/,
      },
      {
        file: 'domain/review/queue.ts',
        from: '  spanIndex: number;',
        to: '  span: number;',
        page: /^web\/pages\/assets\/review\.js\(\d+\): Property 'spanIndex' does not exist on type 'ReviewQueueItem'/,
      },
    ];
    const errors = pageErrors(config, renames);
    for (const r of renames)
      expect(
        errors.some((e) => r.page.test(e)),
        `${r.file}: ${r.from.trim()} -> ${r.to.trim()}\n${errors.join('\n')}`,
      ).toBe(true);
  });
});
