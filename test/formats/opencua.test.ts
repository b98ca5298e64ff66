import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formats } from '../../domain/formats/index.ts';
import { keyFromPynput } from '../../domain/formats/opencua.ts';
import { fixturesDir, readWritten, rejection, tempDir } from './session-files.ts';

const episode = path.join(fixturesDir, 'opencua/episode-0001');

describe('OpenCUA AgentNet raw importer', () => {
  it('aligns events to the video, drops those before it, and maps pynput fields', async () => {
    const out = tempDir();
    expect(await formats.opencua.convert(episode, out, {})).toEqual(['episode-0001']);
    const s = readWritten(out, 'episode-0001');
    expect(s.events[0]).toEqual({ id: 'events.jsonl#1', t: 150, type: 'mousemove', x: 812, y: 455 });
    expect(s.events.map((e) => [e.t, e.type, 'key' in e ? e.key : 'button' in e ? e.button : ''])).toEqual([
      [150, 'mousemove', ''],
      [270, 'mousemove', ''],
      [550, 'mousedown', 'left'],
      [630, 'mouseup', 'left'],
      [1350, 'keydown', 'Enter'],
      [1430, 'keyup', 'Enter'],
      [1850, 'keydown', 'f'],
      [1910, 'keyup', 'f'],
      [2050, 'keydown', 'Shift'],
      [2090, 'keydown', 'I'],
      [2150, 'keyup', 'I'],
      [2170, 'keyup', 'Shift'],
      [2750, 'wheel', ''],
      [3450, 'mousedown', 'right'],
      [3510, 'mouseup', 'right'],
    ]);
    expect(s.events[2]).toMatchObject({ x: 830, y: 470 });
    // metadata says natural scrolling: pynput dy -3 is then the content moving down (DOM dy -3).
    expect(s.events[12]).toMatchObject({ x: 900, y: 600, dx: 0, dy: -3 });
    expect(s.meta).toMatchObject({
      suite: 'desktop',
      description: 'Rename the file report.txt on the desktop to report-final.txt',
      viewport: { width: 1920, height: 1080 },
    });
    expect(s.files).toContain('video.mp4');
  });

  it('names file, line and field of a bad event', async () => {
    const dir = path.join(tempDir(), 'ep');
    cpSync(episode, dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'events.jsonl'),
      '{"time_stamp": 5022, "action": "move", "x": 1, "y": 2}\n{"time_stamp": 5023, "action": "click", "x": 1, "y": 2}\n',
    );
    const err = await rejection(formats.opencua.convert(dir, tempDir(), {}));
    expect(err.code).toBe('TP_INPUT');
    expect(err.location).toEqual({ file: path.join(dir, 'events.jsonl'), line: 2, field: 'pressed' });
    writeFileSync(path.join(dir, 'events.jsonl'), '{"action": "move", "x": 1, "y": 2}\n');
    expect((await rejection(formats.opencua.convert(dir, tempDir(), {}))).location).toMatchObject({ line: 1, field: 'time_stamp' });
  });

  it('reads pynput key names', () => {
    expect(keyFromPynput('Key.ctrl_l')).toBe('Control');
    expect(keyFromPynput("'a'")).toBe('a');
    expect(keyFromPynput('Key.f5')).toBe('F5');
  });
});
