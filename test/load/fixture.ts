import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export const STARTED_AT = '2026-01-01T00:00:00.000Z';
export const STARTED_AT_MS = Date.parse(STARTED_AT);

const made: string[] = [];
// Every folder a test file made is removed when that file's tests are done.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder for one test (removed after the test file). */
export function tempDir(prefix = 'tracepipe-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export interface SessionSpec {
  meta?: Record<string, unknown>;
  /** Event objects, or raw lines (strings) written as they are. */
  events?: (Record<string, unknown> | string)[];
  /** Extra files by path relative to the session folder. */
  files?: Record<string, string | Uint8Array>;
  har?: unknown;
}

/** Writes a native session folder `<root>/<id>/` and returns its path. */
export function writeSession(root: string, id: string, spec: SessionSpec = {}): string {
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  const meta = spec.meta ?? { id, suite: 'mail', startedAt: STARTED_AT, viewport: { width: 1000, height: 500 } };
  writeFileSync(join(dir, 'session.json'), JSON.stringify(meta));
  const lines = (spec.events ?? []).map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
  writeFileSync(join(dir, 'input_events.jsonl'), lines.map((l) => `${l}\n`).join(''));
  if (spec.har !== undefined) writeFileSync(join(dir, 'network.har'), JSON.stringify(spec.har));
  for (const [rel, data] of Object.entries(spec.files ?? {})) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), data);
  }
  return dir;
}
