import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { makeWorkspace } from '../helpers/workspace.ts';

/** The generic test stages: read, shout (map) and all (aggregate), with per-item delays. */
export function testPipeline(opts: { delayMs?: number; concurrency?: number } = {}): string {
  const d = opts.delayMs ?? 0;
  return `name: web
sessions: { path: sessions/* }
concurrency: ${opts.concurrency ?? 4}
stages:
  read: { uses: read-text, with: { delayMs: ${d} } }
  shout: { uses: transform, needs: read, with: { upper: true, delayMs: ${d} } }
  all: { uses: collect, needs: shout }
`;
}

/** A workspace of `n` items (item 3 asks to fail) with p.yaml beside it. */
export function testWorkspace(n: number, opts: { delayMs?: number; concurrency?: number; failing?: number[] } = {}) {
  const failing = new Set(opts.failing ?? [3]);
  const ws = makeWorkspace(n, (i) => (failing.has(i) ? `FAIL item ${i}` : `item ${i}`));
  writeFileSync(join(ws.dir, 'p.yaml'), testPipeline(opts));
  return { ...ws, cacheFile: join(ws.dir, '.tracepipe/cache.db') };
}

/** Asserts the API's error body: a code and a message, and nothing that looks like a stack trace or a server path. */
export async function expectApiError(res: Response, status: number, code: string, mentions?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await res.text();
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  if (mentions) expect(body.error.message).toMatch(mentions);
  expect(text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules|\/tmp\/|\/work\//);
  return body;
}

export interface SseEvent {
  event: string;
  id?: string;
  data: unknown;
  at: number;
}

/** Reads a server-sent event stream to its end (or until `stop` says so). */
export async function readSse(res: Response, stop: (e: SseEvent) => boolean = () => false): Promise<SseEvent[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const fields = new Map<string, string>();
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const i = line.indexOf(': ');
        if (i > 0) fields.set(line.slice(0, i), (fields.has(line.slice(0, i)) ? `${fields.get(line.slice(0, i))}\n` : '') + line.slice(i + 2));
      }
      if (!fields.has('data')) continue;
      const e: SseEvent = {
        event: fields.get('event') ?? 'message',
        data: JSON.parse(fields.get('data')!),
        at: Date.now(),
        ...(fields.has('id') ? { id: fields.get('id')! } : {}),
      };
      events.push(e);
      if (stop(e)) {
        await reader.cancel();
        return events;
      }
    }
  }
  return events;
}
