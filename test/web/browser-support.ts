import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import type { Io } from '../../cli/io.ts';
import { runCli } from '../../cli/program.ts';
import { commandPlugins } from '../../cli/stage-commands.ts';
import { builtinStages } from '../../stages/index.ts';
import { chromiumLaunchOptions } from '../../fixtures/recorder/chromium.ts';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** Screenshots the browser tests keep (gitignored; CI can upload the folder). */
export const artifactsDir = path.join(repoRoot, 'test-artifacts');

/** Sets a session's description (the user turn), e.g. to markup that must stay text. */
export function setDescription(dir: string, session: string, description: string): void {
  const file = path.join(dir, 'fixtures/sessions', session, 'session.json');
  const meta = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...meta, description }, null, 2));
}

/** The real CLI (built-in stages and the composition root's commands), in-process, with captured output. */
export async function tracepipe(cwd: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => void (out += `${t}\n`),
    err: (t) => void (err += `${t}\n`),
    isTTY: false,
    env: {},
    cwd,
    registry: builtinStages,
  };
  const plugins = commandPlugins();
  const code = await runCli(argv, { ...io, afterVariants: plugins.afterVariants(io) }, plugins.commands);
  return { code, out, err };
}

/** Debian's Chromium through playwright-core, started as the recorders start it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions());
}

export function artifactPath(name: string): string {
  mkdirSync(artifactsDir, { recursive: true });
  return path.join(artifactsDir, name);
}

/** The lines of the dataset files (train and validation), parsed. */
export function datasetLines(
  outDir: string,
): { file: string; line: { messages: { role: string; content?: string; tool_calls?: { function: { name: string; arguments: string } }[] }[] } }[] {
  return ['dataset.jsonl', 'validation.jsonl'].flatMap((name) => {
    let text: string;
    try {
      text = readFileSync(path.join(outDir, name), 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => ({ file: name, line: JSON.parse(l) }));
  });
}
