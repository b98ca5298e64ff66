import { mkdirSync, symlinkSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { listScreenshots, readEvents, readSessionMeta } from '../../domain/session/read.ts';
import { validateSession } from '../../domain/session/validate.ts';
import { tempDir, writeSession } from './fixture.ts';
import { rejectionOf } from '../helpers/rejection.ts';

const png = (shade = 128) =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: { r: shade, g: shade, b: shade } } })
    .png()
    .toBuffer();

async function collect(dir: string) {
  const out = [];
  for await (const ev of readEvents(dir)) out.push(ev);
  return out;
}

const ok = (t: number) => ({ type: 'mousemove', t, x: 1, y: 2 });

describe('readEvents', () => {
  it('validates lines and gives events without an id the id input_events.jsonl:<line>', async () => {
    const dir = writeSession(tempDir(), 's', {
      events: [ok(0), '', { type: 'keydown', t: 5, key: 'a', id: 'own-id' }, { type: 'mousedown', t: 6, x: 1, y: 1 }],
    });
    const events = await collect(dir);
    expect(events.map((e) => e.id)).toEqual(['input_events.jsonl:1', 'own-id', 'input_events.jsonl:4']);
    expect(events[2]).toMatchObject({ type: 'mousedown', button: 'left' });
  });

  it('a wrong field type names file, line and field', async () => {
    const events: (Record<string, unknown> | string)[] = Array.from({ length: 16 }, (_, i) => ok(i));
    events.push({ type: 'mousemove', t: 20, x: '12', y: 3 });
    const err = await rejectionOf(collect(writeSession(tempDir(), 's', { events })), 'TP_INPUT');
    expect(err.message).toBe('input_events.jsonl:17 field "x": must be a number, got a string');
    expect(err.location).toMatchObject({ line: 17, field: 'x' });
    expect(err.location!.file).toMatch(/input_events\.jsonl$/);
  });

  it('an unknown event type names the type field and the known types', async () => {
    const err = await rejectionOf(collect(writeSession(tempDir(), 's', { events: [{ type: 'hover', t: 0 }] })), 'TP_INPUT');
    expect(err.message).toMatch(/^input_events\.jsonl:1 field "type": must be one of "mousemove", "mousedown", .*, got a string$/);
  });

  it('a truncated last line is reported as such', async () => {
    const dir = writeSession(tempDir(), 's', { events: [ok(0), ok(1)] });
    writeFileSync(join(dir, 'input_events.jsonl'), `${JSON.stringify(ok(0))}\n${JSON.stringify(ok(1))}\n{"type":"mousemove","t":2,"x`);
    const err = await rejectionOf(collect(dir), 'TP_INPUT');
    expect(err.message).toMatch(/^input_events\.jsonl:3: truncated last line/);
    expect(err.location!.line).toBe(3);
  });

  it('a broken line in the middle is invalid JSON, not truncation', async () => {
    const err = await rejectionOf(collect(writeSession(tempDir(), 's', { events: [ok(0), '{oops', ok(2)] })), 'TP_INPUT');
    expect(err.message).toMatch(/^input_events\.jsonl:2: not valid JSON/);
  });

  it('timestamps going backwards name the line and both times', async () => {
    const events = [ok(0), ok(500), ok(900), ok(1000), ok(1100), ok(1200), ok(1300), ok(1500), ok(1200)];
    const err = await rejectionOf(collect(writeSession(tempDir(), 's', { events })), 'TP_INPUT');
    expect(err.message).toBe('input_events.jsonl:9 field "t": 1200 is earlier than the previous event\'s 1500');
    expect(err.location).toMatchObject({ line: 9, field: 't' });
  });

  it('a missing input_events.jsonl is TP_INPUT', async () => {
    const dir = writeSession(tempDir(), 's');
    rmSync(join(dir, 'input_events.jsonl'));
    const err = await rejectionOf(collect(dir), 'TP_INPUT');
    expect(err.message).toMatch(/input_events\.jsonl: missing/);
  });
});

describe('readSessionMeta', () => {
  it('a missing session.json names the file', async () => {
    const dir = writeSession(tempDir(), 's');
    rmSync(join(dir, 'session.json'));
    const err = await rejectionOf(readSessionMeta(dir), 'TP_INPUT');
    expect(err.message).toMatch(/^session\.json: missing/);
    expect(err.location!.file).toMatch(/session\.json$/);
  });

  it('a bad field names it', async () => {
    const err = await rejectionOf(readSessionMeta(writeSession(tempDir(), 's', { meta: { id: 's', startedAt: '2026-01-01T00:00:00Z' } })), 'TP_INPUT');
    expect(err.message).toBe('session.json field "suite": is required');
    expect(err.location!.field).toBe('suite');
    const nested = await rejectionOf(
      readSessionMeta(
        writeSession(tempDir(), 's', { meta: { id: 's', suite: 'm', startedAt: '2026-01-01T00:00:00Z', viewport: { width: 'wide', height: 1 } } }),
      ),
      'TP_INPUT',
    );
    expect(nested.message).toBe('session.json field "viewport.width": must be a number, got a string');
    const time = await rejectionOf(readSessionMeta(writeSession(tempDir(), 's', { meta: { id: 's', suite: 'm', startedAt: 'yesterday' } })), 'TP_INPUT');
    expect(time.message).toMatch(/field "startedAt"/);
  });
});

describe('listScreenshots', () => {
  it('lists files named by time, sorted, zero padding allowed', async () => {
    const img = await png();
    const dir = writeSession(tempDir(), 's', { files: { 'screenshots/0001500.png': img, 'screenshots/200.png': img, 'screenshots/.DS_Store': 'x' } });
    expect(await listScreenshots(dir)).toEqual([
      { t: 200, path: 'screenshots/200.png' },
      { t: 1500, path: 'screenshots/0001500.png' },
    ]);
  });

  it('reads screenshots/index.json when present', async () => {
    const img = await png();
    const dir = writeSession(tempDir(), 's', {
      files: { 'screenshots/a.png': img, 'screenshots/index.json': JSON.stringify([{ t: 30, path: 'screenshots/a.png' }]) },
    });
    expect(await listScreenshots(dir)).toEqual([{ t: 30, path: 'screenshots/a.png' }]);
  });

  it('accepts index.json paths written relative to screenshots/', async () => {
    const img = await png();
    const dir = writeSession(tempDir(), 's', {
      files: {
        'screenshots/b.png': img,
        'screenshots/..b.png': img,
        'screenshots/index.json': JSON.stringify([
          { t: 9, path: 'b.png' },
          { t: 3, path: 'screenshots/..b.png' },
        ]),
      },
    });
    expect(await listScreenshots(dir)).toEqual([
      { t: 3, path: 'screenshots/..b.png' },
      { t: 9, path: 'screenshots/b.png' },
    ]);
  });

  it('a "PNG" that is text is TP_INPUT naming the file', async () => {
    const dir = writeSession(tempDir(), 's', { files: { 'screenshots/100.png': 'not an image at all' } });
    const err = await rejectionOf(listScreenshots(dir), 'TP_INPUT');
    expect(err.message).toBe('screenshots/100.png: "screenshots/100.png" is not a PNG, JPEG or WebP image');
  });

  it('path traversal in index.json is TP_INPUT naming file and field', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'x.png'), await png());
    const dir = writeSession(root, 'deep/s', { files: { 'screenshots/index.json': JSON.stringify([{ t: 1, path: '../../x.png' }]) } });
    const err = await rejectionOf(listScreenshots(dir), 'TP_INPUT');
    expect(err.message).toBe('screenshots/index.json field "0.path": path "../../x.png" escapes the session folder');
    expect(err.location).toMatchObject({ file: 'screenshots/index.json', field: '0.path' });
  });

  it('absolute paths are refused', async () => {
    const dir = writeSession(tempDir(), 's', { files: { 'screenshots/index.json': JSON.stringify([{ t: 1, path: '/etc/passwd' }]) } });
    const err = await rejectionOf(listScreenshots(dir), 'TP_INPUT');
    expect(err.message).toMatch(/path "\/etc\/passwd" is absolute/);
  });

  it('a symlink that escapes the session folder is refused', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'outside.png'), await png());
    const dir = writeSession(root, 's');
    mkdirSync(join(dir, 'screenshots'));
    symlinkSync(join(root, 'outside.png'), join(dir, 'screenshots', '100.png'));
    const err = await rejectionOf(listScreenshots(dir), 'TP_INPUT');
    expect(err.message).toMatch(/^screenshots\/100\.png: path "screenshots\/100\.png" is a link that escapes the session folder/);
  });

  it('an image not named by its time is refused with a hint', async () => {
    const dir = writeSession(tempDir(), 's', { files: { 'screenshots/shot.png': await png() } });
    const err = await rejectionOf(listScreenshots(dir), 'TP_INPUT');
    expect(err.message).toMatch(/not named by its capture time/);
    expect(err.hint).toMatch(/index\.json/);
  });
});

describe('validateSession', () => {
  it('summarises a valid folder without keeping events', async () => {
    const dir = writeSession(tempDir(), 's', {
      events: [ok(0), ok(1)],
      files: { 'screenshots/5.png': await png() },
      har: { log: { version: '1.2', creator: { name: 't', version: '1' }, entries: [] } },
    });
    const summary = await validateSession(dir);
    expect(summary).toMatchObject({ eventCount: 2, hasNetwork: true, hasVideo: false, screenshots: [{ t: 5, path: 'screenshots/5.png' }] });
    expect(summary.meta.id).toBe('s');
  });

  it('a HAR that is not HAR is TP_INPUT', async () => {
    const dir = writeSession(tempDir(), 's', { har: { nope: true } });
    const err = await rejectionOf(validateSession(dir), 'TP_INPUT');
    expect(err.message).toBe(`${join(dir, 'network.har')}: log is missing`);
  });

  it('a HAR entry normalize could not read fails at load, naming the field', async () => {
    const entry = { startedDateTime: '2024-01-01T00:00:00.000Z', request: { method: 'GET', headers: [] }, response: { status: 200, headers: [], content: {} } };
    const dir = writeSession(tempDir(), 's', { har: { log: { entries: [entry] } } });
    const err = await rejectionOf(validateSession(dir), 'TP_INPUT');
    expect(err.message).toBe(`${join(dir, 'network.har')}: log.entries[0].request.url is missing`);
  });
});
