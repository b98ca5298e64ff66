import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { cli, repoRoot } from '../helpers/cli.ts';

/**
 * A throwaway copy of pipelines/ and prompts/ with the first `sessions` recorded mail
 * sessions, laid out like the repo so pipelines/gmail.yaml runs unchanged.
 */
export function mailWorkspace(sessions = 2): string {
  const dir = mkdtempSync(join(tmpdir(), 'tp-hostile-'));
  cpSync(join(repoRoot, 'pipelines'), join(dir, 'pipelines'), { recursive: true });
  cpSync(join(repoRoot, 'prompts'), join(dir, 'prompts'), { recursive: true });
  for (const s of readdirSync(join(repoRoot, 'fixtures/sessions')).sort().slice(0, sessions)) {
    cpSync(join(repoRoot, 'fixtures/sessions', s), join(dir, 'fixtures/sessions', s), { recursive: true });
  }
  return dir;
}

/** pipelines/gmail.yaml with `edit` applied to its text, written as pipelines/<name>. */
export function editedPipeline(dir: string, name: string, edit: (yaml: string) => string): string {
  const text = edit(readFileSync(join(dir, 'pipelines/gmail.yaml'), 'utf8'));
  writeFileSync(join(dir, 'pipelines', name), text);
  return `pipelines/${name}`;
}

/** The real CLI with every command, in-process. */
export const tracepipe = (cwd: string, argv: string[], env: Record<string, string> = {}) => cli(argv, { cwd, env, builtin: true });

/** A hostile-input case: a test that must finish well within `ms` (the whole point of some cases is that they once hung). */
export function bounded(name: string, ms: number, fn: () => Promise<void> | void): void {
  it(
    name,
    async () => {
      const started = Date.now();
      await fn();
      const took = Date.now() - started;
      if (took > ms) throw new Error(`took ${took} ms, more than the ${ms} ms bound`);
    },
    ms * 3,
  );
}
