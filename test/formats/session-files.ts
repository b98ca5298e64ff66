import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TracepipeError } from '../../engine/errors.ts';
import type { InputEvent, SessionMeta } from '../../domain/session/model.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
/** Real samples, copied into the repo with their licenses. */
export const realDir = path.join(repoRoot, 'fixtures/formats/real');
export const fixturesDir = path.join(repoRoot, 'fixtures/formats');

export const tempDir = (prefix = 'tp-formats-') => mkdtempSync(path.join(tmpdir(), prefix));

export interface WrittenSession {
  meta: SessionMeta;
  events: (InputEvent & { id: string })[];
  files: string[];
  screenshots: string[];
  har?: { log: { entries: { request: { url: string } }[] } };
}

/** Reads back a native session an importer wrote. */
export function readWritten(outDir: string, id: string): WrittenSession {
  const dir = path.join(outDir, id);
  const files = readdirSync(dir).sort();
  const events = readFileSync(path.join(dir, 'input_events.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
  return {
    meta: JSON.parse(readFileSync(path.join(dir, 'session.json'), 'utf8')),
    events,
    files,
    screenshots: files.includes('screenshots') ? readdirSync(path.join(dir, 'screenshots')).sort() : [],
    ...(files.includes('network.har') ? { har: JSON.parse(readFileSync(path.join(dir, 'network.har'), 'utf8')) } : {}),
  };
}

export async function rejection(p: Promise<unknown>): Promise<TracepipeError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TracepipeError) return err;
    throw err;
  }
  throw new Error('expected a TracepipeError');
}

/** Events without mouse moves, for asserting the actions. */
export const actions = <T extends { type: string }>(events: T[]) => events.filter((e) => e.type !== 'mousemove');
