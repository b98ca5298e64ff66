import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { charFromUnicodeInfo, keyFromRdev } from '../../domain/formats/clones-keys.ts';
import { formats } from '../../domain/formats/index.ts';
import { actions, readWritten, realDir, rejection, tempDir } from './session-files.ts';

const sample = path.join(realDir, 'clones-desktop/20250817_232256');

describe('Clones desktop importer', () => {
  it('imports the real recording: clicks at the last pointer position, wheel, quest metadata', async () => {
    const out = tempDir();
    expect(await formats.clones.convert(sample, out, {})).toEqual(['20250817_232256']);
    const s = readWritten(out, '20250817_232256');
    const lines = readFileSync(path.join(sample, 'input_log.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const inputLines = lines.filter((l) => /"event":"(mousemove|mousedown|mouseup|mousewheel)"/.test(l));
    // Every input line is kept, exact duplicates included, each with its own line-number id.
    expect(s.events).toHaveLength(inputLines.length);
    expect(new Set(s.events.map((e) => e.id)).size).toBe(s.events.length);
    const counts = Object.fromEntries(['mousemove', 'mousedown', 'mouseup', 'wheel'].map((t) => [t, s.events.filter((e) => e.type === t).length]));
    expect(counts).toEqual({ mousemove: 3431, mousedown: 30, mouseup: 30, wheel: 106 });
    const ts = s.events.map((e) => e.t);
    expect(ts.every((t, i) => i === 0 || t >= ts[i - 1]!)).toBe(true);

    const firstDown = actions(s.events).find((e) => e.type === 'mousedown');
    expect(firstDown).toMatchObject({ id: 'input_log.jsonl:232', x: 1280.67578125, y: -38.2890625, button: 'left' });
    // The mousemove just before it put the pointer there.
    const downIndex = s.events.indexOf(firstDown!);
    expect(
      s.events
        .slice(0, downIndex)
        .reverse()
        .find((e) => e.type === 'mousemove'),
    ).toMatchObject({ x: 1280.67578125, y: -38.2890625 });
    expect(s.events.find((e) => e.type === 'wheel')).toMatchObject({ dx: 0, dy: 1 }); // delta -1 = wheel toward the user = scroll down

    expect(s.meta).toMatchObject({
      id: '20250817_232256',
      suite: 'docker-desktop',
      app: 'Docker Desktop',
      recorder: 'clones:macos',
      startedAt: new Date(1755517898374).toISOString(),
      viewport: { width: 1440, height: 900 },
    });
    expect(s.meta.description).toContain('Configure Docker container resources');
    expect(s.meta.description).toContain('- Navigate to Resources section');
    expect(s.files).not.toContain('video.mp4');
  });

  it('types keys from actual_char, names special keys, copies the video, and names bad lines', async () => {
    const dir = path.join(tempDir(), 'rec1');
    cpSync(path.join(sample, 'meta.json'), path.join(dir, 'meta.json'));
    const line = (event: string, data: unknown, time: number) => JSON.stringify({ event, data, time });
    const log = [
      line('mousemove', { x: 10, y: 20 }, 1000),
      line('keydown', { key: 'KeyC', actual_char: 'UnicodeInfo { name: Some("c"), unicode: [99], is_dead: false }' }, 1100),
      line('keyup', { key: 'KeyC', actual_char: null }, 1150),
      line('keydown', { key: 'ShiftLeft', actual_char: 'UnicodeInfo { name: None, unicode: [], is_dead: false }' }, 1200),
      line('keydown', { key: 'KeyO', actual_char: 'UnicodeInfo { name: Some("O"), unicode: [79], is_dead: false }' }, 1210),
      line('keydown', { key: 'Return', actual_char: 'UnicodeInfo { name: Some("\\r"), unicode: [13], is_dead: false }' }, 1300),
      line('ffmpeg_stderr', { output: 'frame=1' }, 1301),
      line('keydown', { key: 'KeyC', actual_char: 'UnicodeInfo { name: Some("c"), unicode: [99], is_dead: false }' }, 1100),
    ];
    writeFileSync(path.join(dir, 'input_log.jsonl'), `${log.join('\n')}\n`);
    writeFileSync(path.join(dir, 'screen.mp4'), 'not really a video');
    const out = tempDir();
    await formats.clones.convert(dir, out, { suite: 'desktop' });
    const s = readWritten(out, 'rec1');
    expect(s.events.map((e) => [e.id, e.type, 'key' in e ? e.key : ''])).toEqual([
      ['input_log.jsonl:1', 'mousemove', ''],
      ['input_log.jsonl:2', 'keydown', 'c'],
      ['input_log.jsonl:8', 'keydown', 'c'],
      ['input_log.jsonl:3', 'keyup', 'c'],
      ['input_log.jsonl:4', 'keydown', 'Shift'],
      ['input_log.jsonl:5', 'keydown', 'O'],
      ['input_log.jsonl:6', 'keydown', 'Enter'],
    ]);
    expect(s.files).toContain('video.mp4');
    expect(s.meta.suite).toBe('desktop');

    writeFileSync(
      path.join(dir, 'input_log.jsonl'),
      `${line('mousemove', { x: 1, y: 2 }, 1)}\n${JSON.stringify({ event: 'mousemove', data: { x: 1 }, time: 2 })}\n`,
    );
    const err = await rejection(formats.clones.convert(dir, out, {}));
    expect(err.code).toBe('TP_INPUT');
    expect(err.location).toEqual({ file: path.join(dir, 'input_log.jsonl'), line: 2, field: 'y' });
    writeFileSync(path.join(dir, 'input_log.jsonl'), `${line('mousemove', { x: 1, y: 2 }, 1)}\n{"event":\n`);
    expect((await rejection(formats.clones.convert(dir, out, {}))).location).toMatchObject({ line: 2 });
  });

  it('takes positions from newer recorders that put x/y on buttons and {axis, value} on wheels', async () => {
    const dir = path.join(tempDir(), 'rec2');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    const line = (event: string, data: unknown, time: number) => JSON.stringify({ event, data, time });
    writeFileSync(
      path.join(dir, 'input_log.jsonl'),
      [
        line('mousemove', { x: 10, y: 20 }, 0),
        line('mousedown', { button: 'Right', x: 50, y: 60 }, 10),
        line('mousewheel', { axis: 'horizontal', value: 2 }, 20),
        line('axtree_interaction', { focused_app: { name: 'Finder' }, tree: [] }, 30),
      ].join('\n'),
    );
    const out = tempDir();
    await formats.clones.convert(dir, out, {});
    const s = readWritten(out, 'rec2');
    expect(s.events.slice(1)).toEqual([
      { id: 'input_log.jsonl:2', t: 10, type: 'mousedown', x: 50, y: 60, button: 'right' },
      { id: 'input_log.jsonl:3', t: 20, type: 'wheel', x: 50, y: 60, dx: -2, dy: 0 },
    ]);
    expect(s.meta.suite).toBe('desktop');
  });

  it('reads rdev key info', () => {
    expect(charFromUnicodeInfo('UnicodeInfo { name: Some("\\"") , unicode: [34], is_dead: false }')).toBe('"');
    expect(keyFromRdev('Num1', undefined)).toBe('1');
    expect(keyFromRdev('Backspace', 'UnicodeInfo { name: Some("\\u{8}"), unicode: [8], is_dead: false }')).toBe('Backspace');
  });
});
