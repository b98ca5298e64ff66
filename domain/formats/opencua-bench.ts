import { basename, dirname, extname, join } from 'node:path';
import { inputError, TracepipeError } from '../../engine/errors.ts';
import type { InputEvent, Target } from '../session/model.ts';
import type { ScreenshotData } from '../session/write.ts';
import { toSessionId, writeNativeSession } from '../session/write.ts';
import type { SessionFormat } from './format.ts';
import { parsePythonCall } from './python-call.ts';
import { fieldError, isDirectory, isRecord, listDir, optString, readInputFile, readJsonFile, tryReadJson } from './read-input.ts';

/**
 * OpenCUA AgentNetBench processed episodes (`<task_id>.json` with `steps[]` of a screenshot under
 * images/ and a pyautogui action in 0..1 coordinates). There are no times: step n is placed at
 * n·STEP_MS and its screenshot, taken before the action, STEP_MS/2 earlier. Coordinates are
 * scaled to the screenshot's pixel size.
 */
const STEP_MS = 1000;

const looksLikeBench = (doc: unknown) =>
  isRecord(doc) &&
  typeof doc['task_id'] === 'string' &&
  Array.isArray(doc['steps']) &&
  doc['steps'].some((s) => isRecord(s) && typeof s['action'] === 'string');

async function episodeFiles(path: string): Promise<string[]> {
  if (await isDirectory(path)) {
    const out: string[] = [];
    for (const f of (await listDir(path)).filter((n) => n.endsWith('.json'))) if (looksLikeBench(await tryReadJson(join(path, f)))) out.push(join(path, f));
    return out;
  }
  return extname(path).toLowerCase() === '.json' && looksLikeBench(await tryReadJson(path)) ? [path] : [];
}

export const opencuaBench: SessionFormat = {
  name: 'opencuaBench',
  async detect(path) {
    return (await episodeFiles(path)).length > 0;
  },
  async convert(path, outDir, opts) {
    const ids: string[] = [];
    for (const file of await episodeFiles(path)) ids.push(await convertEpisode(file, outDir, opts.suite));
    return ids;
  },
};

/** Width and height from a PNG's IHDR chunk. */
function pngSize(data: Uint8Array): { width: number; height: number } | undefined {
  if (data.length < 24 || data[0] !== 0x89 || data[1] !== 0x50) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

async function convertEpisode(file: string, outDir: string, suite: string | undefined): Promise<string> {
  const doc = await readJsonFile(file);
  if (!isRecord(doc) || !Array.isArray(doc['steps'])) return fieldError({ file }, 'steps', 'must be an array');
  const imagesDir = join(dirname(file), 'images');
  const events: InputEvent[] = [];
  const screenshots: ScreenshotData[] = [];
  let screen: { width: number; height: number } | undefined;
  const metaInfo = isRecord(doc['meta_info']) ? doc['meta_info'] : {};
  const res = isRecord(metaInfo['screen_resolution']) ? metaInfo['screen_resolution'] : undefined;

  for (const [index, step] of doc['steps'].entries()) {
    const at = `steps[${index}]`;
    if (!isRecord(step)) return fieldError({ file }, at, 'must be an object');
    const n = typeof step['step_num'] === 'number' ? step['step_num'] : index + 1;
    const t = n * STEP_MS;
    const image = optString(step['image']);
    if (image !== undefined) {
      let data: Uint8Array;
      try {
        data = await readInputFile(join(imagesDir, basename(image)));
      } catch (err) {
        if (err instanceof TracepipeError) throw err;
        throw inputError(`${file}: ${at}.image ${image} is not in ${imagesDir}`, { location: { file, field: `${at}.image` }, cause: err });
      }
      screen ??= pngSize(data);
      screenshots.push({ t: t - STEP_MS / 2, data, ext: /\.png$/i.test(image) ? 'png' : 'jpg' });
    }
    const size =
      screen ??
      (res !== undefined && typeof res['width'] === 'number' && typeof res['height'] === 'number'
        ? { width: res['width'], height: res['height'] }
        : { width: 1, height: 1 });
    const action = step['action'];
    if (typeof action !== 'string') return fieldError({ file }, `${at}.action`, 'must be a string');
    const target = targetOf(step);
    const lines = action.split('\n').filter((l) => l.trim() !== '');
    lines.forEach((line, k) => {
      const call = parsePythonCall(line);
      if (call === undefined) fieldError({ file }, `${at}.action`, `cannot parse ${JSON.stringify(line)}`);
      const base = { id: `${basename(file)}#${at}${lines.length > 1 ? `.${k}` : ''}`, t: t + k };
      events.push(...eventsFor(call!, base, size, target));
    });
  }
  const id = toSessionId(typeof doc['task_id'] === 'string' ? doc['task_id'] : basename(file, '.json'));
  const description = optString(doc['user_task_description']) ?? optString(doc['high_level_task_description']);
  await writeNativeSession(outDir, {
    meta: {
      id,
      suite: suite ?? 'desktop',
      recorder: 'opencua-agentnetbench',
      startedAt: new Date(0).toISOString(),
      ...(description === undefined ? {} : { description }),
      ...(screen === undefined ? {} : { viewport: screen }),
    },
    events,
    screenshots,
  });
  return id;
}

/** The ground-truth bbox (pixels of the screenshot) of the step's element, when annotated. */
function targetOf(step: Record<string, unknown>): Target | undefined {
  const gt = Array.isArray(step['ground_truth_actions']) ? step['ground_truth_actions'][0] : undefined;
  const boxes = isRecord(gt) && isRecord(gt['metadata']) && Array.isArray(gt['metadata']['bboxes']) ? gt['metadata']['bboxes'] : [];
  const abs = isRecord(boxes[0]) ? boxes[0]['abs_bbox'] : undefined;
  if (!Array.isArray(abs) || abs.length !== 4 || !abs.every((v) => typeof v === 'number')) return undefined;
  const [x, y, width, height] = abs as [number, number, number, number];
  return { bbox: { x, y, width, height } };
}

const PYAUTOGUI_KEYS: Record<string, string> = {
  enter: 'Enter',
  return: 'Enter',
  tab: 'Tab',
  space: ' ',
  backspace: 'Backspace',
  delete: 'Delete',
  esc: 'Escape',
  escape: 'Escape',
  ctrl: 'Control',
  control: 'Control',
  shift: 'Shift',
  alt: 'Alt',
  option: 'Alt',
  cmd: 'Meta',
  command: 'Meta',
  win: 'Meta',
  up: 'ArrowUp',
  down: 'ArrowDown',
  left: 'ArrowLeft',
  right: 'ArrowRight',
  home: 'Home',
  end: 'End',
  pageup: 'PageUp',
  pagedown: 'PageDown',
};
const keyName = (k: unknown) => (typeof k === 'string' ? (PYAUTOGUI_KEYS[k.toLowerCase()] ?? k) : String(k));

function eventsFor(
  call: NonNullable<ReturnType<typeof parsePythonCall>>,
  base: { id: string; t: number },
  size: { width: number; height: number },
  target: Target | undefined,
): InputEvent[] {
  const { fn, args, kwargs } = call;
  const num = (name: string, pos: number) =>
    typeof kwargs[name] === 'number' ? (kwargs[name] as number) : typeof args[pos] === 'number' ? (args[pos] as number) : undefined;
  const x = num('x', 0);
  const y = num('y', 1);
  // Actions are in 0..1 of the screen; values above 1 are already pixels.
  const px = x === undefined || y === undefined ? {} : { x: x <= 1 ? x * size.width : x, y: y <= 1 ? y * size.height : y };
  const withTarget = target === undefined ? {} : { target };
  const keys = (list: unknown[], suffix = ''): InputEvent[] => [
    ...list.map((k, i): InputEvent => ({ ...base, id: `${base.id}${suffix}:down${i}`, type: 'keydown', key: keyName(k) })),
    ...[...list].reverse().map((k, i): InputEvent => ({ ...base, id: `${base.id}${suffix}:up${i}`, type: 'keyup', key: keyName(k) })),
  ];
  if (call.module !== 'pyautogui') return []; // computer.terminate and other agent bookkeeping
  switch (fn) {
    case 'click':
    case 'doubleClick':
    case 'tripleClick':
    case 'rightClick':
    case 'middleClick': {
      const clicks = typeof kwargs['clicks'] === 'number' ? (kwargs['clicks'] as number) : fn === 'doubleClick' ? 2 : fn === 'tripleClick' ? 3 : 1;
      const button = fn === 'rightClick' || kwargs['button'] === 'right' ? 'right' : fn === 'middleClick' || kwargs['button'] === 'middle' ? 'middle' : 'left';
      return [{ ...base, ...withTarget, type: 'click', ...px, button, count: clicks }];
    }
    case 'moveTo':
      return 'x' in px ? [{ ...base, type: 'mousemove', x: px.x!, y: px.y! }] : [];
    case 'scroll':
    case 'vscroll':
    case 'hscroll': {
      const amount = typeof args[0] === 'number' ? args[0] : typeof kwargs['clicks'] === 'number' ? (kwargs['clicks'] as number) : 0;
      // pyautogui scrolls up for positive amounts; DOM dy is positive down.
      return [{ ...base, type: 'wheel', dx: fn === 'hscroll' ? amount : 0, dy: fn === 'hscroll' ? 0 : -amount }];
    }
    case 'write':
    case 'typewrite': {
      const text = kwargs['message'] ?? args[0];
      if (typeof text === 'string') return [...text].flatMap((ch, i) => keys([ch], `:${i}`));
      return Array.isArray(text) ? text.flatMap((k, i) => keys([k], `:${i}`)) : [];
    }
    case 'press': {
      const k = kwargs['keys'] ?? args[0];
      return (Array.isArray(k) ? k : [k]).flatMap((one, i) => keys([one], `:${i}`));
    }
    case 'hotkey':
      return keys(args);
    case 'keyDown':
      return [{ ...base, type: 'keydown', key: keyName(args[0]) }];
    case 'keyUp':
      return [{ ...base, type: 'keyup', key: keyName(args[0]) }];
    default:
      return [];
  }
}
