import { basename, join } from 'node:path';
import { inputError, TracepipeError } from '../../engine/errors.ts';
import type { InputEvent, MouseButton, Target } from '../session/model.ts';
import type { ScreenshotData } from '../session/write.ts';
import { toSessionId, writeNativeSession } from '../session/write.ts';
import type { SessionFormat } from './format.ts';
import { isDirectory, isRecord, listDir, optNumber, optString, readInputFile, readJsonFile, fieldError, requireNumber, requireString } from './read-input.ts';

/**
 * The upstream browser-extension layout: `input/<ts>-<uuid>.json` (one event per file) and
 * `screenshot/<ts>/<uuid>.json` + `.png` pairs. `timestamp` is epoch ms. Actions: click,
 * dblclick, input (additional_info.value), keypress/keydown (additional_info.key), scroll
 * (additional_info.deltaX/deltaY or scrollX/scrollY), navigation (url), select/change, submit.
 * Unknown actions are skipped. DOM event fields read when the extension copied them into
 * additional_info: `button` (MouseEvent.button 0-4 or a name: back/forward are 3/4),
 * `pointerType` (touch, pen), `checked` (a checkbox/radio change is a check event), `isTrusted`
 * (false = a page script dispatched the event: a scripted change); selector `type` is the
 * input's type. mousedown/mouseup/touchstart/touchend with a position are presses.
 */
export const extension: SessionFormat = {
  name: 'extension',
  async detect(path) {
    if (!(await isDirectory(join(path, 'input')))) return false;
    return (await listDir(join(path, 'input'))).some((f) => f.endsWith('.json'));
  },
  async convert(path, outDir, opts) {
    const inputDir = join(path, 'input');
    const raw: { file: string; ev: Record<string, unknown>; ts: number }[] = [];
    for (const name of (await listDir(inputDir)).filter((f) => f.endsWith('.json'))) {
      const file = join(inputDir, name);
      const ev = await readJsonFile(file);
      if (!isRecord(ev)) return fieldError({ file }, '(root)', 'must be an event object');
      raw.push({ file, ev, ts: requireNumber(ev, 'timestamp', { file }) });
    }
    const shots = await readScreenshots(path);
    const times = [...raw.map((r) => r.ts), ...shots.map((s) => s.ts)];
    if (times.length === 0) throw inputError(`${inputDir}: no events`, { location: { file: inputDir } });
    const startMs = Math.min(...times);
    raw.sort((a, b) => a.ts - b.ts || a.file.localeCompare(b.file));

    const events: InputEvent[] = [];
    let suite: string | undefined;
    let scroll = { x: 0, y: 0 };
    for (const { file, ev, ts } of raw) {
      const place = { file };
      const action = requireString(ev, 'action', place).toLowerCase();
      suite ??= optString(ev['suite']);
      const url = optString(ev['url']);
      const info = isRecord(ev['additional_info']) ? ev['additional_info'] : {};
      const target = targetOf(ev['selector']);
      const base = {
        id: `input/${basename(file)}`,
        t: ts - startMs,
        ...(url === undefined ? {} : { url }),
        ...(target === undefined ? {} : { target }),
      };
      const xy = pointOf(info);
      const touch = action === 'touchstart' || action === 'touchend' || action === 'tap';
      const pointerType = touch ? 'touch' : optString(info['pointerType']);
      const pointer: { pointer?: 'touch' | 'pen' } = pointerType === 'touch' || pointerType === 'pen' ? { pointer: pointerType } : {};
      const scripted = info['isTrusted'] === false ? { scripted: true } : {};
      const checkable = target?.inputType === 'checkbox' || target?.inputType === 'radio';
      switch (action) {
        case 'click':
        case 'dblclick':
        case 'contextmenu':
        case 'tap':
          events.push({
            ...base,
            type: 'click',
            ...xy,
            count: action === 'dblclick' ? 2 : 1,
            button: action === 'contextmenu' ? 'right' : buttonOf(info['button']),
            ...pointer,
          });
          break;
        case 'mousedown':
        case 'mouseup':
        case 'touchstart':
        case 'touchend':
          // A press needs its position; without one it says nothing a click does not.
          if (xy.x !== undefined && xy.y !== undefined) {
            const type = action === 'mousedown' || action === 'touchstart' ? 'mousedown' : 'mouseup';
            events.push({ ...base, type, x: xy.x, y: xy.y, button: buttonOf(info['button']), ...pointer });
          }
          break;
        case 'input':
        case 'change': {
          if (checkable || typeof info['checked'] === 'boolean') {
            const checked = info['checked'];
            if (typeof checked !== 'boolean') fieldError(place, 'additional_info.checked', 'must be true or false (a checkbox or radio change)');
            const value = optString(info['value']);
            events.push({
              ...base,
              type: 'check',
              checked: checked as boolean,
              ...(value === undefined || target?.inputType === 'checkbox' ? {} : { value }),
              ...scripted,
            });
            break;
          }
          const value = info['value'];
          if (typeof value !== 'string') fieldError(place, 'additional_info.value', 'must be a string');
          events.push({ ...base, type: target?.tag === 'select' ? 'select' : 'input', value: value as string, ...scripted });
          break;
        }
        case 'select': {
          const value = info['value'];
          if (typeof value !== 'string') fieldError(place, 'additional_info.value', 'must be a string');
          events.push({ ...base, type: 'select', value: value as string, ...scripted });
          break;
        }
        case 'keypress':
        case 'keydown': {
          const key = optString(info['key']);
          const value = info['value'];
          if (key !== undefined) {
            events.push({ ...base, type: 'keydown', key });
            if (action === 'keypress') events.push({ ...base, id: `${base.id}:up`, type: 'keyup', key });
          } else if (typeof value === 'string') {
            events.push({ ...base, type: 'input', value });
          } else fieldError(place, 'additional_info.key', 'is missing (a keypress needs key or value)');
          break;
        }
        case 'scroll': {
          const dx = optNumber(info['deltaX']);
          const dy = optNumber(info['deltaY']);
          if (dx !== undefined || dy !== undefined) {
            events.push({ ...base, type: 'wheel', ...xy, dx: dx ?? 0, dy: dy ?? 0 });
          } else {
            const x = optNumber(info['scrollX']) ?? scroll.x;
            const y = optNumber(info['scrollY']) ?? scroll.y;
            events.push({ ...base, type: 'wheel', dx: x - scroll.x, dy: y - scroll.y });
            scroll = { x, y };
          }
          break;
        }
        case 'navigation':
        case 'navigate':
        case 'pageload':
          if (url === undefined) fieldError(place, 'url', 'is missing');
          events.push({ ...base, type: 'navigate', url: url as string });
          break;
        case 'submit':
          events.push({ ...base, type: 'submit' });
          break;
        default:
          break;
      }
    }

    const viewport = shots.find((s) => s.viewport !== undefined)?.viewport;
    const id = toSessionId(basename(path));
    await writeNativeSession(outDir, {
      meta: {
        id,
        suite: opts.suite ?? suite ?? shots.find((s) => s.suite !== undefined)?.suite ?? 'web',
        recorder: 'browser-extension',
        startedAt: new Date(startMs).toISOString(),
        ...(viewport === undefined ? {} : { viewport }),
      },
      events,
      screenshots: shots.map((s): ScreenshotData => ({ t: s.ts - startMs, data: s.data, ext: s.ext })),
    });
    return [id];
  },
};

interface Shot {
  ts: number;
  data: Uint8Array;
  ext: 'png' | 'jpg';
  viewport?: { width: number; height: number };
  suite?: string;
}

async function readScreenshots(root: string): Promise<Shot[]> {
  const shotRoot = join(root, 'screenshot');
  const out: Shot[] = [];
  for (const sub of await listDir(shotRoot)) {
    const dir = join(shotRoot, sub);
    if (!(await isDirectory(dir))) continue;
    for (const name of (await listDir(dir)).filter((f) => f.endsWith('.json'))) {
      const file = join(dir, name);
      const doc = await readJsonFile(file);
      if (!isRecord(doc)) return fieldError({ file }, '(root)', 'must be an object');
      const ts = requireNumber(doc, 'timestamp', { file });
      const fmt = (optString(doc['image_format']) ?? 'png').toLowerCase();
      const imageName = optString(doc['filename']) ?? name.replace(/\.json$/, `.${fmt}`);
      const imagePath = join(dir, basename(imageName));
      let data: Uint8Array;
      try {
        data = await readInputFile(imagePath);
      } catch (err) {
        if (err instanceof TracepipeError) throw err;
        throw inputError(`${file}: its image ${basename(imageName)} is missing`, { location: { file, field: 'filename' }, cause: err });
      }
      const vp = isRecord(doc['viewport']) ? doc['viewport'] : undefined;
      const w = optNumber(vp?.['width']);
      const h = optNumber(vp?.['height']);
      const suite = optString(doc['suite']);
      out.push({
        ts,
        data,
        ext: fmt === 'jpeg' || fmt === 'jpg' ? 'jpg' : 'png',
        ...(w !== undefined && h !== undefined && w > 0 && h > 0 ? { viewport: { width: w, height: h } } : {}),
        ...(suite === undefined ? {} : { suite }),
      });
    }
  }
  return out;
}

function pointOf(info: Record<string, unknown>): { x?: number; y?: number } {
  const x = optNumber(info['x']) ?? optNumber(info['clientX']);
  const y = optNumber(info['y']) ?? optNumber(info['clientY']);
  return x !== undefined && y !== undefined ? { x, y } : {};
}

/** MouseEvent.button (0 left, 1 middle, 2 right, 3 back, 4 forward) or its name. */
function buttonOf(b: unknown): MouseButton {
  if (typeof b === 'number') return (['left', 'middle', 'right', 'back', 'forward'] as const)[b] ?? 'left';
  if (b === 'right' || b === 'middle' || b === 'back' || b === 'forward') return b;
  return 'left';
}

function targetOf(sel: unknown): Target | undefined {
  if (!isRecord(sel)) return undefined;
  const tag = optString(sel['tag'])?.toLowerCase();
  const inputType = optString(sel['type'])?.toLowerCase();
  const id = optString(sel['id']);
  const cls = sel['class'];
  const classes = (Array.isArray(cls) ? cls.filter((c): c is string => typeof c === 'string') : typeof cls === 'string' ? cls.split(/\s+/) : []).filter(
    (c) => c !== '',
  );
  if (tag === undefined && id === undefined && classes.length === 0) return undefined;
  const selector = `${tag ?? ''}${id === undefined ? '' : `#${id}`}${classes.map((c) => `.${c}`).join('')}`;
  return {
    selector,
    ...(tag === undefined ? {} : { tag }),
    ...(id === undefined ? {} : { id }),
    ...(classes.length === 0 ? {} : { classes }),
    ...(inputType === undefined ? {} : { inputType }),
  };
}
