import { basename, join } from 'node:path';
import type { InputEvent, MouseButton } from '../session/model.ts';
import { toSessionId, writeNativeSession } from '../session/write.ts';
import { keyFromRdev } from './clones-keys.ts';
import { findVideo } from './find-video.ts';
import type { SessionFormat } from './format.ts';
import { isFile, isRecord, optNumber, optString, readJsonFile, readJsonLines, requireNumber, requireString } from './read-input.ts';

const LOG = 'input_log.jsonl';
const META = 'meta.json';

/**
 * Clones "Gym Desktop" recordings: a folder with input_log.jsonl (`{event, data, time}`, time in
 * epoch ms), meta.json and optionally the video. Every line keeps its own lineage id
 * (`input_log.jsonl:<line>`), exact duplicates included: dropping them is the normalizer's job
 * (but for wheel lines, below).
 * The recorder writes some events (axtree) stamped with their start time after later ones, so
 * events are put in time order (stable).
 *
 * The macOS recorder writes some lines twice, the copy up to 2 ms later. Repeated keys and
 * button presses are the normalizer's to drop (a key cannot go down twice without coming up),
 * but a repeated wheel line looks like more scrolling, so a mousewheel line equal to one
 * written within the last DOUBLE_WRITE_MS is dropped here. The recorder has no control shortcut
 * of its own (recording stops from its overlay window), so no key is dropped.
 */
const DOUBLE_WRITE_MS = 2;
export const clones: SessionFormat = {
  name: 'clones',
  async detect(path) {
    return isFile(join(path, LOG));
  },
  async convert(path, outDir, opts) {
    const logFile = join(path, LOG);
    const lines = await readJsonLines(logFile);
    const meta = (await isFile(join(path, META))) ? await readJsonFile(join(path, META)) : {};
    const m = isRecord(meta) ? meta : {};
    const quest = isRecord(m['quest']) ? m['quest'] : {};

    const timed = lines.map((l) => ({ ...l, time: requireNumber(l.value, 'time', { file: logFile, line: l.line }) }));
    timed.sort((a, b) => a.time - b.time || a.line - b.line);
    const startMs = timed[0]?.time ?? 0;

    const events: InputEvent[] = [];
    let pos = { x: 0, y: 0 };
    let maxAbsX = 0;
    const platform = optString(m['platform']);
    /** Wheel lines of the last DOUBLE_WRITE_MS (several can share a millisecond). */
    let recentWheels: { time: number; data: string }[] = [];
    for (const { value, line, time } of timed) {
      const place = { file: logFile, line };
      const event = requireString(value, 'event', place);
      const data = isRecord(value['data']) ? value['data'] : {};
      const base = { id: `${LOG}:${line}`, t: time - startMs };
      switch (event) {
        case 'mousemove': {
          pos = { x: requireNumber(data, 'x', place), y: requireNumber(data, 'y', place) };
          maxAbsX = Math.max(maxAbsX, Math.abs(pos.x));
          events.push({ ...base, type: 'mousemove', ...pos });
          break;
        }
        case 'mousedown':
        case 'mouseup': {
          // Older recorders report no position with buttons: the pointer is where it last moved.
          if (typeof data['x'] === 'number' && typeof data['y'] === 'number') pos = { x: data['x'], y: data['y'] };
          const button = buttonOf(data['button'], platform);
          // A button no platform table names is not one of the five a step can say.
          if (button !== undefined) events.push({ ...base, type: event, ...pos, button });
          break;
        }
        case 'mousewheel': {
          const written = JSON.stringify(data);
          recentWheels = recentWheels.filter((w) => time - w.time <= DOUBLE_WRITE_MS);
          if (recentWheels.some((w) => w.data === written)) break;
          recentWheels.push({ time, data: written });
          // rdev's delta is the wheel delta, positive away from the user (scrolls up); DOM's dy is
          // positive down, hence the sign flip. Newer recorders write {axis, value} instead.
          const delta = typeof data['delta'] === 'number' ? data['delta'] : requireNumber(data, 'value', place);
          const horizontal = typeof data['axis'] === 'string' && /^(x|horizontal)$/i.test(data['axis']);
          events.push({ ...base, type: 'wheel', ...pos, dx: horizontal ? -delta : 0, dy: horizontal ? 0 : -delta });
          break;
        }
        case 'keydown':
        case 'keyup': {
          const code = requireString(data, 'key', place);
          events.push({ ...base, type: event, key: keyFromRdev(code, data['actual_char']), code });
          break;
        }
        default:
          // axtree / axtree_interaction carry the focused app's whole tree, not the element acted
          // on; ffmpeg_stderr and the like are recorder noise. None is input.
          break;
      }
    }

    const monitor = isRecord(m['primary_monitor']) ? m['primary_monitor'] : {};
    const width = optNumber(monitor['width']);
    const height = optNumber(monitor['height']);
    // macOS reports the monitor in pixels but pointer positions in points (half on Retina).
    const scale = m['platform'] === 'macos' && width !== undefined && maxAbsX <= (width / 2) * 1.1 ? 2 : 1;
    const objectives = Array.isArray(quest['objectives']) ? quest['objectives'].filter((o): o is string => typeof o === 'string') : [];
    const title = optString(quest['title']) ?? optString(m['title']);
    const description = [title, ...objectives.map((o) => `- ${o}`)].filter((s) => s !== undefined).join('\n') || undefined;
    const app = optString(quest['app']);
    const id = toSessionId(basename(path));
    const video = await findVideo(path);
    await writeNativeSession(outDir, {
      meta: {
        id,
        suite: opts.suite ?? (app === undefined ? 'desktop' : toSessionId(app.toLowerCase())),
        ...(app === undefined ? {} : { app }),
        ...(description === undefined ? {} : { description }),
        recorder: `clones${optString(m['platform']) === undefined ? '' : `:${m['platform'] as string}`}`,
        startedAt: new Date(startMs).toISOString(),
        ...(width !== undefined && height !== undefined ? { viewport: { width: width / scale, height: height / scale } } : {}),
      },
      events,
      ...(video === undefined ? {} : { video }),
    });
    return [id];
  },
};

/** rdev's side buttons are `Unknown(n)` with the OS's own number; Windows' multiinput says Button4/5. */
const SIDE_BUTTONS: Record<string, Record<number, MouseButton>> = {
  linux: { 8: 'back', 9: 'forward' },
  windows: { 1: 'back', 2: 'forward' },
  macos: { 3: 'back', 4: 'forward' },
};

/** rdev / multiinput button names (`Left`, `Right`, `Middle`, `Unknown(8)`, `Button4`). */
function buttonOf(b: unknown, platform: string | undefined): MouseButton | undefined {
  const s = typeof b === 'string' ? b.toLowerCase() : '';
  if (s === 'right' || s === 'middle') return s;
  if (s === 'button4') return 'back';
  if (s === 'button5') return 'forward';
  const unknown = /^unknown\((\d+)\)$/.exec(s)?.[1];
  if (unknown !== undefined) return SIDE_BUTTONS[platform ?? '']?.[Number(unknown)];
  return 'left';
}
