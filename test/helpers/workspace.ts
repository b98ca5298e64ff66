import { mkdirSync, mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
