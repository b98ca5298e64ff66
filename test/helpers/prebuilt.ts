import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { cli } from './cli.ts';
import { fillGmailWorkspace, fillTrustWorkspace } from './mail-workspaces.ts';
import { oncePerRun } from './once-per-run.ts';

async function execIn(dir: string, pipeline: string): Promise<void> {
  const r = await cli(['exec', pipeline], { cwd: dir, builtin: true });
  if (r.code !== 0) throw new Error(`prebuilding ${pipeline} in ${dir} exited ${r.code}:\n${r.err}`);
}

/**
 * The mail pipeline's finished workspaces, each built cold once per `vitest run`:
 * `gmail` is fillGmailWorkspace() after `exec pipelines/gmail.yaml` (every fixture session,
 * rules, outputs in out/gmail); `trust` is fillTrustWorkspace() after `exec pipelines/trust.yaml`
 * (six sessions, outputs in out/).
 */
const BUILDERS = {
  gmail: (dir: string) => execIn(fillGmailWorkspace(dir), 'pipelines/gmail.yaml'),
  trust: (dir: string) => execIn(fillTrustWorkspace(dir), 'pipelines/trust.yaml'),
};
export type PrebuiltName = keyof typeof BUILDERS;

/** The finished workspace, built by whichever test process asks first. */
const prebuilt = (name: PrebuiltName): Promise<string> => oncePerRun(inject('prebuiltRoot'), name, BUILDERS[name]);

/** The prebuilt workspace itself, to read only (a reference output tree): change a copy instead. */
export const prebuiltPath = prebuilt;

/** A private copy of a prebuilt workspace (its SQLite cache file and outputs included) in a new temp folder: the test may change anything in it. */
export async function copyPrebuilt(name: PrebuiltName, prefix = `tp-${name}-`): Promise<string> {
  const source = await prebuilt(name);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(source, dir, { recursive: true });
  return dir;
}
