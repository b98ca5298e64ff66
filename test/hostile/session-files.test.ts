import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPath } from '../../domain/formats/index.ts';
import { readEventBatches } from '../../domain/session/read.ts';
import { validateSession } from '../../domain/session/validate.ts';
import { tempDir, writeSession } from '../load/fixture.ts';
import { rejectionOf } from '../helpers/rejection.ts';

/** Every case has a time bound: none may hang or take more than a few seconds. */
const BOUND = { timeout: 5000 };

const OUTSIDE_BYTES = 'OUTSIDE-FILE-FIRST-BYTES root:x:0:0';

/** A session folder next to a file outside it that links may point at. */
function sessionWithOutsideFile() {
  const root = tempDir();
  const dir = writeSession(root, 's', { events: [{ t: 1, type: 'mousemove', x: 1, y: 1 }] });
  const outside = join(root, 'outside.txt');
  writeFileSync(outside, `${OUTSIDE_BYTES}\n`);
  return { root, dir, outside };
}

describe('hostile inputs: files in a session folder', () => {
  for (const rel of ['session.json', 'input_events.jsonl', 'network.har', 'video.mp4', 'screenshots/001000.png']) {
    it(`a FIFO as ${rel} is refused without being opened for a writer`, BOUND, async () => {
      const { dir } = sessionWithOutsideFile();
      mkdirSync(join(dir, 'screenshots'), { recursive: true });
      rmSync(join(dir, rel), { force: true });
      execFileSync('mkfifo', [join(dir, rel)]);
      const err = await rejectionOf(validateSession(dir), 'TP_INPUT');
      expect(err.message).toBe(`${rel}: is a FIFO (named pipe), not a regular file; it was not read`);
    });
  }

  for (const rel of ['session.json', 'input_events.jsonl', 'network.har', 'video.mp4']) {
    it(`${rel} linked outside the session folder is refused, and the error echoes nothing of the target`, BOUND, async () => {
      const { dir, outside } = sessionWithOutsideFile();
      rmSync(join(dir, rel), { force: true });
      symlinkSync(outside, join(dir, rel));
      const err = await rejectionOf(validateSession(dir), 'TP_INPUT');
      expect(err.message).toBe(`${rel}: is a link that leads outside the session folder`);
      expect(JSON.stringify(err.toInfo())).not.toContain('OUTSIDE-FILE');
    });
  }

  it('a link that stays inside the session folder is followed', BOUND, async () => {
    const { dir } = sessionWithOutsideFile();
    mkdirSync(join(dir, 'meta'));
    writeFileSync(join(dir, 'meta/real.json'), JSON.stringify({ id: 's', suite: 'mail', startedAt: '2026-01-01T00:00:00.000Z' }));
    rmSync(join(dir, 'session.json'));
    symlinkSync('meta/real.json', join(dir, 'session.json'));
    expect((await validateSession(dir)).meta.id).toBe('s');
  });

  it('the native importer refuses a linked-out file instead of copying it', BOUND, async () => {
    const { root, dir, outside } = sessionWithOutsideFile();
    symlinkSync(outside, join(dir, 'video.mp4'));
    const err = await rejectionOf(importPath(dir, join(root, 'imported'), { format: 'native' }), 'TP_INPUT');
    expect(err.message).toBe('video.mp4: is a link that leads outside the session folder');
  });

  it('other importers refuse a file that is a symbolic link', BOUND, async () => {
    const root = tempDir();
    const rec = join(root, 'clones-rec');
    mkdirSync(rec);
    writeFileSync(join(root, 'log.jsonl'), `${JSON.stringify({ event: 'mousemove', data: { x: 1, y: 2 }, time: 1700000000000 })}\n`);
    symlinkSync(join(root, 'log.jsonl'), join(rec, 'input_log.jsonl'));
    const err = await rejectionOf(importPath(rec, join(root, 'out'), { format: 'clones' }), 'TP_INPUT');
    expect(err.message).toBe(`${join(rec, 'input_log.jsonl')}: is a symbolic link; importers read only regular files inside the recording`);
  });
});

describe('hostile inputs: bytes and shapes of session files', () => {
  it('session.json with a byte-order mark is a located error', BOUND, async () => {
    const dir = writeSession(tempDir(), 's');
    writeFileSync(
      join(dir, 'session.json'),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"id":"s","suite":"mail","startedAt":"2026-01-01T00:00:00.000Z"}')]),
    );
    const err = await rejectionOf(validateSession(dir), 'TP_INPUT');
    expect(err.message).toBe('session.json:1:1: starts with a byte-order mark (BOM)');
    expect(err.location).toMatchObject({ line: 1, column: 1 });
  });

  it('session.json with invalid UTF-8 names the line and column, not a silent U+FFFD', BOUND, async () => {
    const dir = writeSession(tempDir(), 's');
    const text = Buffer.from('{\n  "id": "s",\n  "description": "caf\xff\xfe",\n  "suite": "mail", "startedAt": "2026-01-01T00:00:00.000Z"\n}', 'latin1');
    writeFileSync(join(dir, 'session.json'), text);
    const err = await rejectionOf(validateSession(dir), 'TP_INPUT');
    expect(err.message).toBe('session.json:3:22: not valid UTF-8');
  });

  it('input_events.jsonl with invalid UTF-8 names its line', BOUND, async () => {
    const dir = writeSession(tempDir(), 's');
    writeFileSync(
      join(dir, 'input_events.jsonl'),
      Buffer.concat([Buffer.from('{"t":1,"type":"mousemove","x":1,"y":1}\n{"t":2,"type":"input","value":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]),
    );
    const err = await rejectionOf(validateSession(dir), 'TP_INPUT');
    expect(err.message).toMatch(/^input_events\.jsonl:2:\d+: not valid UTF-8$/);
  });

  it('labels nested 100,000 deep are a located error, not a stack overflow', BOUND, async () => {
    const dir = writeSession(tempDir(), 's');
    const depth = 100_000;
    const params = `{"x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    writeFileSync(
      join(dir, 'session.json'),
      `{"id":"s","suite":"mail","startedAt":"2026-01-01T00:00:00.000Z","labels":[{"action":"a","parameters":${params}}]}`,
    );
    const err = await rejectionOf(validateSession(dir), 'TP_INPUT');
    expect(err.message).toBe('session.json field "labels.0.parameters.x.0.0...": nested more than 64 levels deep');
  });

  it('an event nested deeply is a located error', BOUND, async () => {
    const dir = writeSession(tempDir(), 's', {
      events: [{ t: 1, type: 'mousemove', x: 1, y: 1 }, `{"t":2,"type":"input","value":"a","extra":${'['.repeat(5000)}${']'.repeat(5000)}}`],
    });
    const err = await rejectionOf(validateSession(dir), 'TP_INPUT');
    expect(err.message).toBe('input_events.jsonl:2 field "extra.0.0.0.0.0...": nested more than 64 levels deep');
  });

  it('invalid JSON is located and never quotes the file', BOUND, async () => {
    const dir = writeSession(tempDir(), 's');
    writeFileSync(join(dir, 'session.json'), 'root:x:0:0:root:/root:/bin/bash\n');
    const a = await rejectionOf(validateSession(dir), 'TP_INPUT');
    expect(a.message).toBe('session.json: not valid JSON (unexpected character "r")');
    writeFileSync(join(dir, 'session.json'), '{\n  "id": "s",\n  "suite": "mail",\n}');
    const b = await rejectionOf(validateSession(dir), 'TP_INPUT');
    expect(b.message).toBe('session.json: not valid JSON (Expected double-quoted property name at line 4 column 1)');
    expect(b.location).toMatchObject({ line: 4, column: 1 });
  });

  it('one 100 MB line in input_events.jsonl is refused at 8 MiB, naming file and line, in well under a second', BOUND, async () => {
    const dir = writeSession(tempDir(), 's');
    writeFileSync(
      join(dir, 'input_events.jsonl'),
      Buffer.concat([Buffer.from('{"t":1,"type":"mousemove","x":1,"y":1}\n{"t":2,"type":"input","value":"'), Buffer.alloc(100 << 20, 0x61)]),
    );
    const started = performance.now();
    const err = await rejectionOf(validateSession(dir), 'TP_INPUT');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(err.message).toBe('input_events.jsonl:2: line is longer than 8 MiB; input_events.jsonl holds one small JSON object per line');
    expect(err.location).toMatchObject({ line: 2 });
  });

  it('a 7 MiB line (under the cap) across many reads is read in linear time', BOUND, async () => {
    const dir = writeSession(tempDir(), 's');
    const value = 'a'.repeat(7 << 20);
    writeFileSync(join(dir, 'input_events.jsonl'), `${JSON.stringify({ t: 1, type: 'input', value })}\n`);
    const started = performance.now();
    const events = [];
    for await (const batch of readEventBatches(dir)) events.push(...batch);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'input', value });
  });
});

describe('hostile inputs: strict UTF-8 across reads', () => {
  it('multi-byte characters cut by every read boundary decode exactly; a bad byte after them is still found', BOUND, async () => {
    const dir = writeSession(tempDir(), 's');
    // 5 MB of 1- to 4-byte characters: more than one read, so reads end inside characters
    const value = 'aé€😀'.repeat(500_000);
    writeFileSync(join(dir, 'input_events.jsonl'), `${JSON.stringify({ t: 1, type: 'input', value })}\n`);
    const events = [];
    for await (const batch of readEventBatches(dir)) events.push(...batch);
    expect(events[0]).toMatchObject({ value });
    writeFileSync(
      join(dir, 'input_events.jsonl'),
      Buffer.concat([
        Buffer.from(`${JSON.stringify({ t: 1, type: 'input', value })}\n{"t":2,"type":"input","value":"`),
        Buffer.from([0xe2, 0x82]),
        Buffer.from('"}\n'),
      ]),
    );
    const err = await rejectionOf(validateSession(dir), 'TP_INPUT');
    expect(err.message).toMatch(/^input_events\.jsonl:2:\d+: not valid UTF-8$/);
  });
});
