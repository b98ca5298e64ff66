import { basename, join } from 'node:path';
import type { InputEvent } from '../../session/model.ts';
import { toSessionId, writeNativeSession } from '../../session/write.ts';
import { findVideo } from './find-video.ts';
import type { SessionFormat } from './format.ts';
import { fieldError, isFile, isRecord, optNumber, optString, readJsonFile, readJsonLines, requireNumber, requireString } from './read-input.ts';

const EVENTS = 'events.jsonl';
const METADATA = 'metadata.json';
const TASK = 'task_name.json';

/** pynput special keys (`Key.enter`) → DOM key names. */
const PYNPUT_KEYS: Record<string, string> = {
  enter: 'Enter', space: ' ', backspace: 'Backspace', tab: 'Tab', esc: 'Escape', delete: 'Delete', home: 'Home', end: 'End',
  page_up: 'PageUp', page_down: 'PageDown', up: 'ArrowUp', down: 'ArrowDown', left: 'ArrowLeft', right: 'ArrowRight',
  shift: 'Shift', shift_l: 'Shift', shift_r: 'Shift', ctrl: 'Control', ctrl_l: 'Control', ctrl_r: 'Control',
  alt: 'Alt', alt_l: 'Alt', alt_r: 'Alt', alt_gr: 'AltGraph', cmd: 'Meta', cmd_l: 'Meta', cmd_r: 'Meta', caps_lock: 'CapsLock',
  insert: 'Insert', menu: 'ContextMenu',
};

/** `Key.enter` → "Enter", `'a'` or `a` → "a". */
export function keyFromPynput(name: string): string {
  const special = /^Key\.(\w+)$/.exec(name)?.[1];
  if (special !== undefined) return PYNPUT_KEYS[special] ?? (/^f\d+$/.test(special) ? special.toUpperCase() : special);
  const quoted = /^'(.+)'$/.exec(name)?.[1] ?? /^"(.+)"$/.exec(name)?.[1];
  return quoted ?? name;
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

    const events: InputEvent[] = [];
    let pos = { x: 0, y: 0 };
    let lastT = 0;
    for (const { value, line } of await readJsonLines(eventsFile)) {
      const place = { file: eventsFile, line };
      const ts = requireNumber(value, 'time_stamp', place);
      const action = requireString(value, 'action', place);
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
          // pynput's dy is positive when the wheel turns up (content moves down); DOM's dy is the opposite.
          events.push({ ...base, type: 'wheel', ...pos, dx: optNumber(value['dx']) ?? 0, dy: -(optNumber(value['dy']) ?? 0) });
          break;
        case 'press':
        case 'release': {
          const raw = optString(value['name']) ?? optString(value['pynput_key']);
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
      events,
      ...(video === undefined ? {} : { video }),
    });
    return [id];
  },
};

function buttonOf(b: unknown): 'left' | 'right' | 'middle' {
  const s = typeof b === 'string' ? b.replace(/^Button\./, '').toLowerCase() : 'left';
  return s === 'right' ? 'right' : s === 'middle' ? 'middle' : 'left';
}
