import { fileURLToPath } from 'node:url';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStage, LoadOptions, type LoadedSession } from '../../stages/load/index.ts';
import { mapContext } from '../helpers/stage-context.ts';
import { tempDir, writeSession } from './fixture.ts';
import { rejectionOf } from '../helpers/rejection.ts';

const CLONES = fileURLToPath(new URL('../../fixtures/formats/real/clones-desktop/20250817_232256', import.meta.url));

function ctxFor(path: string, opts: { format?: string; sessionsFormat?: string; cacheDir?: string; fingerprint?: string } = {}) {
  return mapContext({
    options: LoadOptions.parse(opts.format === undefined ? {} : { format: opts.format }),
    item: { id: 'item', path, fingerprint: opts.fingerprint ?? 'fp1' },
    pipeline: {
      cacheDir: opts.cacheDir ?? tempDir(),
      sessions: { path: '/x/*', ...(opts.sessionsFormat === undefined ? {} : { format: opts.sessionsFormat }) },
    },
  });
}

describe('load stage', () => {
  it('validates a native folder and returns a small summary without the events', async () => {
    const events = Array.from({ length: 500 }, (_, i) => ({ type: 'mousemove', t: i, x: i, y: i }));
    const dir = writeSession(tempDir(), 's1', { events });
    const out = (await loadStage.run(ctxFor(dir))) as LoadedSession;
    expect(out).toEqual({
      source: { root: 'item', path: '' },
      format: 'native',
      meta: expect.objectContaining({ id: 's1', suite: 'mail' }),
      eventCount: 500,
      screenshots: [],
      hasNetwork: false,
      hasVideo: false,
    });
    expect(JSON.stringify(out).length).toBeLessThan(1000);
  });

  it('a native folder without session.json is TP_INPUT naming session.json', async () => {
    const dir = writeSession(tempDir(), 's1', { events: [{ type: 'mousemove', t: 0, x: 1, y: 1 }] });
    rmSync(join(dir, 'session.json'));
    const err = await rejectionOf(loadStage.run(ctxFor(dir)));
    expect(err.code).toBe('TP_INPUT');
    expect(err.message).toMatch(/^session\.json: missing/);
  });

  it('a bad event line fails the session with file, line and field', async () => {
    const dir = writeSession(tempDir(), 's1', {
      events: [
        { type: 'mousemove', t: 0, x: 1, y: 1 },
        { type: 'wheel', t: 1, dy: 'down' },
      ],
    });
    const err = await rejectionOf(loadStage.run(ctxFor(dir)));
    expect(err.message).toBe('input_events.jsonl:2 field "dy": must be a number, got a string');
  });

  it('imports another format into <cacheDir>/imports/<fingerprint>-<options and version>/, named by content alone', async () => {
    const cacheDir = tempDir();
    const ctx = ctxFor(CLONES, { cacheDir, fingerprint: 'abc' });
    const first = (await loadStage.run(ctx)) as LoadedSession;
    expect(first.format).toBe('clones');
    const [folder] = readdirSync(join(cacheDir, 'imports'));
    expect(folder).toMatch(/^abc-[0-9a-f]{12}$/);
    expect(first.source).toEqual({ root: 'cache', path: `imports/${folder}/${readdirSync(join(cacheDir, 'imports', folder!))[0]}` });
    expect(first.eventCount).toBeGreaterThan(3000);
    // the import is read through ctx.source, so a damaged import makes the result stale
    expect(Object.keys(ctx.source.reads()!).sort()).toEqual([`cache:${first.source.path}`, 'item:']);
    // load runs only when no valid result exists: then it imports again, to the same place
    rmSync(join(cacheDir, first.source.path, 'input_events.jsonl'));
    const again = (await loadStage.run(ctxFor(CLONES, { cacheDir, fingerprint: 'abc' }))) as LoadedSession;
    expect(again).toEqual(first);
    expect(statSync(join(cacheDir, again.source.path, 'input_events.jsonl')).isFile()).toBe(true);
    expect(readdirSync(join(cacheDir, 'imports'))).toEqual([folder]);
    // options that change the import get a folder of their own
    const forced = (await loadStage.run(ctxFor(CLONES, { cacheDir, fingerprint: 'abc', format: 'clones' }))) as LoadedSession;
    expect(forced.source.path.startsWith(`imports/${folder}/`)).toBe(false);
    expect(readdirSync(join(cacheDir, 'imports'))).toHaveLength(2);
  });

  it('takes the format from the pipeline sessions when the stage does not force one', async () => {
    const err = await rejectionOf(loadStage.run(ctxFor(CLONES, { sessionsFormat: 'rrweb' })));
    expect(err.code).toBe('TP_INPUT');
    const ok = (await loadStage.run(ctxFor(CLONES, { sessionsFormat: 'clones' }))) as LoadedSession;
    expect(ok.format).toBe('clones');
  });

  it('an input holding several sessions asks for `tracepipe import` first', async () => {
    const root = tempDir();
    writeSession(root, 'a');
    writeSession(root, 'b');
    const err = await rejectionOf(loadStage.run(ctxFor(root)));
    expect(err.code).toBe('TP_INPUT');
    expect(err.message).toMatch(/holds 2 sessions/);
    expect(err.hint).toMatch(/tracepipe import/);
  });
});
