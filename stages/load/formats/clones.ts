import { basename, join } from 'node:path';
import type { InputEvent } from '../../session/model.ts';
import { toSessionId, writeNativeSession } from '../../session/write.ts';
import { keyFromRdev } from './clones-keys.ts';
import { findVideo } from './find-video.ts';
import type { SessionFormat } from './format.ts';
import { isFile, isRecord, optNumber, optString, readJsonFile, readJsonLines, requireNumber, requireString } from './read-input.ts';

const LOG = 'input_log.jsonl';
const META = 'meta.json';

/**
 * Clones "Gym Desktop" recordings: a folder with input_log.jsonl (`{event, data, time}`, time in
 * epoch ms), meta.json and optionally the video. Every line keeps its own lineage id
 * (`input_log.jsonl:<line>`), exact duplicates included: dropping them is the normalizer's job.
 * The recorder writes some events (axtree) stamped with their start time after later ones, so
 * events are put in time order (stable).
 */
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
        case 'mouseup':
          // Older recorders report no position with buttons: the pointer is where it last moved.
          if (typeof data['x'] === 'number' && typeof data['y'] === 'number') pos = { x: data['x'], y: data['y'] };
          events.push({ ...base, type: event, ...pos, button: buttonOf(data['button']) });
          break;
        case 'mousewheel': {
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

function buttonOf(b: unknown): 'left' | 'right' | 'middle' {
  const s = typeof b === 'string' ? b.toLowerCase() : '';
  return s === 'right' ? 'right' : s === 'middle' ? 'middle' : 'left';
}
