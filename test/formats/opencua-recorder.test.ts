import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formats } from '../../domain/formats/index.ts';
import { keyFromPynput } from '../../domain/formats/opencua.ts';
import { loadAndNormalize } from '../normalize/run-stages.ts';
import { fixturesDir, readWritten, tempDir } from './session-files.ts';

/**
 * No raw AgentNet episode is published, so these recordings are built the way the AgentNet
 * tool writes them (xlang-ai/AgentNetTool @ 88da023f, api/core/recorder.py and utils.py):
 * `name` is get_key_name(key) (a special key's bare name "ctrl_l", a character, a control
 * character moved to its capital letter: Ctrl+T gives "T"), `pynput_key` is str(key)
 * (`Key.ctrl_l`, `'a'`, `'\x14'`), `button` is Button.name ("left", "x1"), metadata.json has
 * `system` (uname) and `scroll_direction` (-1 when natural scrolling is set, else 1), and
 * pause/resume write `{"action": "pause"}` lines.
 */
const VIDEO_START = 100;
let idx = 0;
const at = (s: number) => VIDEO_START + s;
const press = (s: number, name: string, pynputKey: string) => ({ time_stamp: at(s), action: 'press', name, pynput_key: pynputKey, event_idx: idx++ });
const release = (s: number, name: string, pynputKey: string) => ({ time_stamp: at(s), action: 'release', name, pynput_key: pynputKey, event_idx: idx++ });
const click = (s: number, x: number, y: number, button: string, pressed: boolean) => ({
  time_stamp: at(s),
  action: 'click',
  x,
  y,
  button,
  pressed,
  event_idx: idx++,
});
const scroll = (s: number, dy: number) => ({ time_stamp: at(s), action: 'scroll', x: 500, y: 400, dx: 0, dy, event_idx: idx++ });
const char = (s: number, c: string) => [press(s, c, `'${c}'`), release(s + 0.05, c, `'${c}'`)];

function episode(events: object[], metadata: object): string {
  const dir = path.join(tempDir(), 'episode');
  mkdirSync(dir);
  cpSync(path.join(fixturesDir, 'opencua/episode-0001/recording.mp4'), path.join(dir, 'recording.mp4'));
  writeFileSync(path.join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  writeFileSync(
    path.join(dir, 'metadata.json'),
    JSON.stringify({ system: 'Windows', screen_width: 1920, screen_height: 1080, scroll_direction: 1, video_start_timestamp: VIDEO_START, ...metadata }),
  );
  writeFileSync(path.join(dir, 'task_name.json'), JSON.stringify({ task_name: 'Type hi, copy it, stop', description: '' }));
  return dir;
}

const options = { screenshots: { enabled: false } };

describe('AgentNet recorder conventions', () => {
  it('the stop shortcut Ctrl+Alt+T (three keys) is no step; a real chord is one hotkey step', async () => {
    const dir = episode(
      [
        ...char(0.1, 'h'),
        ...char(0.2, 'i'),
        press(1.5, 'ctrl_l', 'Key.ctrl_l'),
        press(1.6, 'C', "'\\x03'"),
        release(1.65, 'C', "'\\x03'"),
        release(1.7, 'ctrl_l', 'Key.ctrl_l'),
        press(3.0, 'ctrl_l', 'Key.ctrl_l'),
        press(3.05, 'alt_l', 'Key.alt_l'),
        press(3.1, 'T', "'\\x14'"),
        release(3.15, 'T', "'\\x14'"),
        release(3.2, 'alt_l', 'Key.alt_l'),
        release(3.25, 'ctrl_l', 'Key.ctrl_l'),
      ],
      {},
    );
    const { timeline } = await loadAndNormalize(dir, options);
    expect(timeline.steps.map((s) => [s.kind, s.text ?? s.keys])).toEqual([
      ['type', 'hi'],
      ['hotkey', ['Control', 'c']],
    ]);
  });

  it('the macOS spelling of the shortcuts (Cmd+Option+R/T) is dropped on a Darwin recording', async () => {
    const dir = episode(
      [
        press(0.1, 'cmd', 'Key.cmd'),
        press(0.15, 'alt', 'Key.alt'),
        press(0.2, 't', "'t'"),
        release(0.25, 't', "'t'"),
        release(0.3, 'alt', 'Key.alt'),
        release(0.35, 'cmd', 'Key.cmd'),
        ...char(1, 'a'),
      ],
      { system: 'Darwin' },
    );
    const { timeline } = await loadAndNormalize(dir, options);
    expect(timeline.steps.map((s) => [s.kind, s.text])).toEqual([['type', 'a']]);
  });

  it('a lone modifier press and release is no step', async () => {
    const dir = episode(
      [
        press(0.1, 'shift', 'Key.shift'),
        release(0.3, 'shift', 'Key.shift'),
        press(0.5, 'ctrl_r', 'Key.ctrl_r'),
        release(0.6, 'ctrl_r', 'Key.ctrl_r'),
        ...char(2, 'x'),
      ],
      {},
    );
    const { timeline } = await loadAndNormalize(dir, options);
    expect(timeline.steps.map((s) => [s.kind, s.text])).toEqual([['type', 'x']]);
  });

  it('buttons by name: x1/x2 are back/forward, middle stays middle; pause lines are skipped', async () => {
    const dir = episode(
      [
        click(0.1, 10, 10, 'middle', true),
        click(0.15, 10, 10, 'middle', false),
        { time_stamp: at(0.5), action: 'pause', event_idx: idx++ },
        { time_stamp: at(0.9), action: 'resume', event_idx: idx++ },
        click(1.0, 20, 20, 'x1', true),
        click(1.05, 20, 20, 'x1', false),
        click(2.0, 30, 30, 'x2', true),
        click(2.05, 30, 30, 'x2', false),
        click(3.0, 40, 40, 'right', true),
        click(3.05, 40, 40, 'right', false),
      ],
      {},
    );
    const { timeline } = await loadAndNormalize(dir, options);
    expect(timeline.steps.map((s) => [s.kind, s.button, s.x])).toEqual([
      ['click', 'middle', 10],
      ['click', 'back', 20],
      ['click', 'forward', 30],
      ['right_click', 'right', 40],
    ]);
  });

  it('scroll steps use the DOM sign (positive dy = content moves up) for both scroll_direction settings', async () => {
    // pynput dy -2 = the wheel turned down = the page scrolls down (content moves up), unless the
    // person set natural scrolling, where the same recorded value means the opposite.
    const traditional = await loadAndNormalize(episode([scroll(0.1, -1), scroll(0.15, -1)], { scroll_direction: 1 }), options);
    const natural = await loadAndNormalize(episode([scroll(0.1, -1), scroll(0.15, -1)], { scroll_direction: -1 }), options);
    expect(traditional.timeline.steps.map((s) => [s.kind, s.dx, s.dy])).toEqual([['scroll', 0, 2]]);
    expect(natural.timeline.steps.map((s) => [s.kind, s.dx, s.dy])).toEqual([['scroll', 0, -2]]);
  });

  it('reads both key spellings the recorder writes', () => {
    expect(keyFromPynput('ctrl_l')).toBe('Control');
    expect(keyFromPynput('Key.alt_gr')).toBe('AltGraph');
    expect(keyFromPynput('enter')).toBe('Enter');
    expect(keyFromPynput('f11')).toBe('F11');
    expect(keyFromPynput('T')).toBe('T');
    expect(keyFromPynput('\u0014')).toBe('t');
    expect(keyFromPynput("'a'")).toBe('a');
  });

  it('the importer writes the shortcut keys out, keeping every other line', async () => {
    const dir = episode(
      [
        press(0.1, 'ctrl_l', 'Key.ctrl_l'),
        press(0.15, 'alt_l', 'Key.alt_l'),
        press(0.2, 'R', "'\\x12'"),
        release(0.25, 'R', "'\\x12'"),
        release(0.3, 'alt_l', 'Key.alt_l'),
        release(0.35, 'ctrl_l', 'Key.ctrl_l'),
      ],
      {},
    );
    const out = tempDir();
    await formats.opencua.convert(dir, out, {});
    expect(readWritten(out, 'episode').events.map((e) => [e.type, 'key' in e ? e.key : ''])).toEqual([
      ['keydown', 'Control'],
      ['keydown', 'Alt'],
      ['keyup', 'Alt'],
      ['keyup', 'Control'],
    ]);
  });
});
