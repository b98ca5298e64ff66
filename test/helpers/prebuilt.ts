import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { cli } from './cli.ts';
import { fillGmailWorkspace, fillTrustWorkspace } from './mail-workspaces.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's folder of prebuilt workspaces (test/global/prebuilt-mail.ts). */
    prebuiltRoot: string;
  }
}

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

const BUILD_WAIT_MS = 120_000;

/** The finished workspace, built by whichever test process asks first (a lock folder), waited for by the others. */
async function prebuilt(name: PrebuiltName): Promise<string> {
  const root = inject('prebuiltRoot');
  const done = join(root, name);
  const lock = join(root, `${name}.lock`);
  const t0 = Date.now();
  while (!existsSync(done)) {
    try {
      mkdirSync(lock);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() - t0 > BUILD_WAIT_MS) throw new Error(`waited ${BUILD_WAIT_MS} ms for another test process to build the ${name} workspace (${lock})`);
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    try {
      if (existsSync(done)) break;
      const building = join(root, `${name}.building-${process.pid}`);
      mkdirSync(building);
      await BUILDERS[name](building);
      renameSync(building, done);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return done;
}

/** The prebuilt workspace itself, to read only (a reference output tree): change a copy instead. */
export const prebuiltPath = prebuilt;

/** A private copy of a prebuilt workspace (its SQLite cache file and outputs included) in a new temp folder: the test may change anything in it. */
export async function copyPrebuilt(name: PrebuiltName, prefix = `tp-${name}-`): Promise<string> {
  const source = await prebuilt(name);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(source, dir, { recursive: true });
  return dir;
}
