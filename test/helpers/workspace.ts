import { mkdirSync, mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedPipeline, StageNode } from '../../engine/config/types.ts';

/** A temp folder with `n` item folders, each holding input.txt. */
export function makeWorkspace(n: number, text = (i: number) => `item ${i}`): { dir: string; sessions: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tp-ws-'));
  const sessions = join(dir, 'sessions');
  for (let i = 0; i < n; i++) {
    const d = join(sessions, `s${String(i).padStart(5, '0')}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'input.txt'), text(i));
  }
  return { dir, sessions };
}

export function readInvocations(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/** A pipeline over a workspace's item folders, its cache and outputs inside the workspace. */
export function workspacePipeline(ws: { dir: string; sessions: string }, stages: StageNode[], over: Partial<ResolvedPipeline> = {}): ResolvedPipeline {
  return {
    file: join(ws.dir, 'p.yaml'),
    dir: ws.dir,
    name: 'p',
    variant: null,
    sessions: { path: `${ws.sessions}/*` },
    concurrency: 4,
    outDir: join(ws.dir, 'out'),
    cacheDir: join(ws.dir, '.tracepipe'),
    models: {},
    actionToolMaps: {},
    stages,
    ...over,
  };
}
