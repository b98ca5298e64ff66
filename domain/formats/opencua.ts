import { basename, join } from 'node:path';
import type { InputEvent, MouseButton } from '../session/model.ts';
import { toSessionId, writeNativeSession } from '../session/write.ts';
import { dropControlHotkeys } from './control-hotkeys.ts';
import { findVideo } from './find-video.ts';
import type { SessionFormat } from './format.ts';
import { fieldError, isFile, isRecord, optNumber, optString, readJsonFile, readJsonLines, requireNumber, requireString } from './read-input.ts';

const EVENTS = 'events.jsonl';
const METADATA = 'metadata.json';
const TASK = 'task_name.json';

/** pynput special keys (`Key.enter`) → DOM key names. */
const PYNPUT_KEYS: Record<string, string> = {
  enter: 'Enter',
  space: ' ',
  backspace: 'Backspace',
  tab: 'Tab',
  esc: 'Escape',
  delete: 'Delete',
  home: 'Home',
  end: 'End',
  page_up: 'PageUp',
  page_down: 'PageDown',
  up: 'ArrowUp',
  down: 'ArrowDown',
  left: 'ArrowLeft',
  right: 'ArrowRight',
  shift: 'Shift',
  shift_l: 'Shift',
  shift_r: 'Shift',
  ctrl: 'Control',
  ctrl_l: 'Control',
  ctrl_r: 'Control',
  alt: 'Alt',
  alt_l: 'Alt',
  alt_r: 'Alt',
  alt_gr: 'AltGraph',
  cmd: 'Meta',
  cmd_l: 'Meta',
  cmd_r: 'Meta',
  caps_lock: 'CapsLock',
  insert: 'Insert',
  menu: 'ContextMenu',
};

/**
 * The AgentNet tool's own global shortcuts (Electron `CommandOrControl+Alt+R` start,
 * `CommandOrControl+Alt+T` stop, `CommandOrControl+Shift+T` fetch the accessibility tree):
 * Control on Windows and Linux, Command (Meta) on macOS. Dropped on import.
 */
const CONTROL_HOTKEYS = ['Alt+R', 'Alt+T', 'Shift+T'];
const controlHotkeys = (system: string | undefined): string[] => {
  const mods = system === 'Darwin' ? ['Meta'] : system === 'Windows' || system === 'Linux' ? ['Control'] : ['Control', 'Meta'];
  return mods.flatMap((m) => CONTROL_HOTKEYS.map((h) => `${m}+${h}`));
};

/** pynput special key name → DOM key name ("enter" → "Enter", "f5" → "F5"), or undefined. */
function specialKey(name: string): string | undefined {
  return PYNPUT_KEYS[name] ?? (/^f\d{1,2}$/.test(name) ? name.toUpperCase() : undefined);
}

/**
 * The DOM key of a pynput key. The AgentNet recorder writes `name` (a special key's bare name,
 * "enter" / "ctrl_l"; a character; a control character moved to its letter, so Ctrl+T gives
 * "T") and `pynput_key` (`str(key)`: `Key.enter`, `'a'`). Both spellings are read.
 */
export function keyFromPynput(name: string): string {
  const dotted = /^Key\.(\w+)$/.exec(name)?.[1];
  if (dotted !== undefined) return specialKey(dotted) ?? dotted;
  const quoted = /^'(.+)'$/.exec(name)?.[1] ?? /^"(.+)"$/.exec(name)?.[1];
  if (quoted !== undefined) return quoted;
  if ([...name].length > 1) return specialKey(name) ?? name;
  const code = name.codePointAt(0)!;
  // pynput reports Ctrl+letter as its control character (Ctrl+T = \x14).
  return code >= 1 && code <= 26 ? String.fromCodePoint(code + 96) : name;
}

/**
 * The sign of a scroll: metadata `scroll_direction` is 1, or -1 when the person set natural
 * scrolling in the tool. pynput's dy is positive for "scroll up" in the wheel's sense; times
 * scroll_direction it is the content's sense, so DOM dy (positive = content moves up) is its opposite.
 */
function scrollSign(value: unknown): 1 | -1 {
  if (value === -1 || value === '-1' || (typeof value === 'string' && /^(natural|reverse|inverted)$/i.test(value))) return -1;
  return 1;
}

/**
 * OpenCUA AgentNet raw episodes: events.jsonl (pynput events, `time_stamp` in seconds on a
 * monotonic clock), metadata.json (screen size, `video_start_timestamp` on the same clock),
 * task_name.json and the folder's .mp4. Event times are aligned to the video:
 * t = (time_stamp − video_start_timestamp)·1000. Events before the video started are DROPPED:
 * no frame shows them, so nothing downstream could ground them.
 */
export const opencua: SessionFormat = {
  name: 'opencua',
  async detect(path) {
    return (await isFile(join(path, EVENTS))) && (await isFile(join(path, METADATA)));
  },
  async convert(path, outDir, opts) {
    const eventsFile = join(path, EVENTS);
    const metaFile = join(path, METADATA);
    const metaDoc = await readJsonFile(metaFile);
    if (!isRecord(metaDoc)) return fieldError({ file: metaFile }, '(root)', 'must be an object');
    const videoStart = requireNumber(metaDoc, 'video_start_timestamp', { file: metaFile });
    const width = optNumber(metaDoc['screen_width']);
    const height = optNumber(metaDoc['screen_height']);
    const task = (await isFile(join(path, TASK))) ? await readJsonFile(join(path, TASK)) : {};
    const taskRec = isRecord(task) ? task : {};
    const scroll = scrollSign(metaDoc['scroll_direction']);

    const events: InputEvent[] = [];
    let pos = { x: 0, y: 0 };
    let lastT = 0;
    for (const { value, line } of await readJsonLines(eventsFile)) {
      const place = { file: eventsFile, line };
      const ts = requireNumber(value, 'time_stamp', place);
      const action = requireString(value, 'action', place);
      if (action === 'pause' || action === 'resume') continue; // the recorder's own pause marks, not input
      // Rounded to µs: float seconds carry noise like 149.9999999996362 ms.
      const t = Math.round((ts - videoStart) * 1e6) / 1000;
      const x = optNumber(value['x']);
      const y = optNumber(value['y']);
      if (x !== undefined && y !== undefined) pos = { x, y };
      if (t < 0) continue;
      if (t < lastT) fieldError(place, 'time_stamp', `goes back in time (${ts} after an event ${lastT / 1000 + videoStart})`);
      lastT = t;
      const idx = optNumber(value['event_idx']);
      const base = { id: idx === undefined ? `${EVENTS}:${line}` : `${EVENTS}#${idx}`, t };
      switch (action) {
        case 'move':
          if (x === undefined || y === undefined) fieldError(place, x === undefined ? 'x' : 'y', 'is missing');
          events.push({ ...base, type: 'mousemove', ...pos });
          break;
        case 'click': {
          const pressed = value['pressed'];
          if (typeof pressed !== 'boolean') fieldError(place, 'pressed', 'must be true (down) or false (up)');
          events.push({ ...base, type: pressed ? 'mousedown' : 'mouseup', ...pos, button: buttonOf(value['button']) });
          break;
        }
        case 'scroll':
          // pynput's dx is positive to the left (the tool draws it so), DOM's dx to the right.
          events.push({ ...base, type: 'wheel', ...pos, dx: -(optNumber(value['dx']) ?? 0) * scroll, dy: -(optNumber(value['dy']) ?? 0) * scroll });
          break;
        case 'press':
        case 'release': {
          const pynputKey = optString(value['pynput_key']);
          // `Key.x` is unambiguous; else the name, which knows the letter of a control character.
          const raw = pynputKey?.startsWith('Key.') ? pynputKey : (optString(value['name']) ?? pynputKey);
          if (raw === undefined) fieldError(place, 'name', 'is missing');
          events.push({ ...base, type: action === 'press' ? 'keydown' : 'keyup', key: keyFromPynput(raw as string), code: raw as string });
          break;
        }
        default:
          fieldError(place, 'action', `"${action}" is not one of move, click, scroll, press, release`);
      }
    }

    const id = toSessionId(basename(path));
    const video = await findVideo(path);
    const description = optString(taskRec['description']) ?? optString(taskRec['task_name']);
    // The clock is monotonic, not wall time: with no wall-clock start in metadata, t = 0 is the epoch.
    const wallStart = optString(metaDoc['start_time']) ?? optString(metaDoc['recording_start_time']);
    await writeNativeSession(outDir, {
      meta: {
        id,
        suite: opts.suite ?? 'desktop',
        ...(description === undefined ? {} : { description }),
        recorder: 'opencua-agentnet',
        startedAt: wallStart !== undefined && !Number.isNaN(Date.parse(wallStart)) ? new Date(wallStart).toISOString() : new Date(0).toISOString(),
        ...(width !== undefined && height !== undefined && width > 0 && height > 0 ? { viewport: { width, height } } : {}),
      },
      events: dropControlHotkeys(events, controlHotkeys(optString(metaDoc['system']))),
      ...(video === undefined ? {} : { video }),
    });
    return [id];
  },
};

/** pynput `Button.name`: left, right, middle; x1/x2 (Windows) and button8/button9 (X11) are back/forward. */
function buttonOf(b: unknown): MouseButton {
  const s = typeof b === 'string' ? b.replace(/^Button\./, '').toLowerCase() : 'left';
  if (s === 'right' || s === 'middle') return s;
  if (s === 'x1' || s === 'button8') return 'back';
  if (s === 'x2' || s === 'button9') return 'forward';
  return 'left';
}
