import { basename, extname } from 'node:path';
import type { InputEvent, MouseButton, Target } from '../session/model.ts';
import { toSessionId, writeNativeSession } from '../session/write.ts';
import type { SessionFormat } from './format.ts';
import { fieldError, isRecord, optNumber, optString, readJsonFile, tryReadJson } from './read-input.ts';

/**
 * Chrome DevTools Recorder JSON (`{title, steps: [...]}`). Steps carry no times, so they are
 * placed STEP_MS apart in order. Waits, hovers (no position) and emulation steps give no event.
 * Each step is one action of its own: STEP_MS is longer than the normalizer's default merge windows
 * (double click 500 ms, typing pause 1000 ms), or a click step followed by a doubleClick step on
 * the same button would read as one double click.
 */
const STEP_MS = 1500;
const KNOWN_STEPS = new Set([
  'setViewport',
  'navigate',
  'click',
  'doubleClick',
  'keyDown',
  'keyUp',
  'change',
  'hover',
  'scroll',
  'waitForElement',
  'waitForExpression',
  'close',
  'emulateNetworkConditions',
  'customStep',
]);

export const chromeRecorder: SessionFormat = {
  name: 'chromeRecorder',
  async detect(path) {
    if (extname(path).toLowerCase() !== '.json') return false;
    const doc = await tryReadJson(path);
    return isRecord(doc) && Array.isArray(doc['steps']) && doc['steps'].some((s) => isRecord(s) && KNOWN_STEPS.has(String(s['type'])));
  },
  async convert(path, outDir, opts) {
    const file = basename(path);
    const doc = await readJsonFile(path);
    if (!isRecord(doc)) return fieldError({ file: path }, '(root)', 'must be an object {title, steps}');
    const steps = doc['steps'];
    if (!Array.isArray(steps)) return fieldError({ file: path }, 'steps', 'must be an array');
    const events: InputEvent[] = [];
    let viewport: { width: number; height: number } | undefined;
    let url: string | undefined;
    let scroll = { x: 0, y: 0 };
    steps.forEach((step, i) => {
      const place = { file: path };
      if (!isRecord(step)) return fieldError(place, `steps[${i}]`, 'must be an object');
      const type = step['type'];
      if (typeof type !== 'string') return fieldError(place, `steps[${i}].type`, 'is missing');
      const base = { id: `${file}#${i}`, t: i * STEP_MS, ...(url === undefined ? {} : { url }) };
      const target = targetFromSelectors(step['selectors']);
      const withTarget = target === undefined ? {} : { target };
      const offset = pointOf(step);
      switch (type) {
        case 'setViewport': {
          const width = optNumber(step['width']);
          const height = optNumber(step['height']);
          if (width !== undefined && height !== undefined && width > 0 && height > 0) viewport = { width, height };
          return;
        }
        case 'navigate': {
          const to = step['url'];
          if (typeof to !== 'string') return fieldError(place, `steps[${i}].url`, 'is missing');
          url = to;
          events.push({ ...base, type: 'navigate', url: to });
          return;
        }
        case 'click':
        case 'doubleClick':
          events.push({
            ...base,
            ...withTarget,
            type: 'click',
            // offsetX/Y are relative to the clicked element, the only position the recorder keeps.
            ...offset,
            button: buttonOf(step['button']),
            count: type === 'doubleClick' ? 2 : 1,
            ...pointerOf(step['deviceType']),
          });
          return;
        case 'keyDown':
        case 'keyUp': {
          const key = step['key'];
          if (typeof key !== 'string') return fieldError(place, `steps[${i}].key`, 'is missing');
          events.push({ ...base, ...withTarget, type: type === 'keyDown' ? 'keydown' : 'keyup', key });
          return;
        }
        case 'change': {
          const value = step['value'];
          if (typeof value !== 'string') return fieldError(place, `steps[${i}].value`, 'is missing');
          // The recorder writes `change` for text fields and selects alike; only the selectors can tell.
          events.push({ ...base, ...withTarget, type: isSelectTarget(step['selectors']) ? 'select' : 'input', value });
          return;
        }
        case 'scroll': {
          const x = optNumber(step['x']) ?? scroll.x;
          const y = optNumber(step['y']) ?? scroll.y;
          events.push({ ...base, ...withTarget, type: 'wheel', dx: x - scroll.x, dy: y - scroll.y });
          scroll = { x, y };
          return;
        }
        default:
          // hover (no position), waits, emulation, close: not actions a person performs on the page.
          return;
      }
    });
    const title = optString(doc['title']);
    const id = toSessionId(basename(path, extname(path)));
    await writeNativeSession(outDir, {
      meta: {
        id,
        suite: opts.suite ?? 'web',
        recorder: 'chrome-devtools-recorder',
        startedAt: new Date(0).toISOString(),
        ...(title === undefined ? {} : { description: title }),
        ...(viewport === undefined ? {} : { viewport }),
      },
      events,
    });
    return [id];
  },
};

function pointOf(step: Record<string, unknown>): { x?: number; y?: number } {
  const x = optNumber(step['offsetX']);
  const y = optNumber(step['offsetY']);
  return x !== undefined && y !== undefined ? { x, y } : {};
}

/** The recorder's button names (puppeteer/replay Schema: primary, auxiliary, secondary, back, forward). */
function buttonOf(b: unknown): MouseButton {
  if (b === 'secondary') return 'right';
  if (b === 'auxiliary') return 'middle';
  if (b === 'back' || b === 'forward') return b;
  return 'left';
}

/** `deviceType` of a click step: mouse (default), pen or touch. */
function pointerOf(d: unknown): { pointer?: 'touch' | 'pen' } {
  return d === 'touch' || d === 'pen' ? { pointer: d } : {};
}

/**
 * A change on a `<select>`: a CSS alternative whose element is a `select` (`select#country`,
 * `form > select`), an aria one with role combobox/listbox, or an xpath ending in a select.
 */
export function isSelectTarget(selectors: unknown): boolean {
  if (!Array.isArray(selectors)) return false;
  return selectors.some((alt) => {
    const chain = Array.isArray(alt) ? alt : [alt];
    const last = chain[chain.length - 1];
    if (typeof last !== 'string') return false;
    if (last.startsWith('aria/')) return /\[role="(combobox|listbox)"\]$/.test(last);
    if (last.startsWith('xpath/')) return /\/select(\[[^\]]*\])?$/i.test(last);
    if (last.startsWith('text/') || last.startsWith('pierce/')) return false;
    const compound =
      last
        .trim()
        .split(/\s*[\s>+~]\s*/)
        .pop() ?? '';
    return /^select(?![\w-])/i.test(compound);
  });
}

/**
 * Recorder selectors are alternatives, each a string or a piercing chain (array): `aria/Name`,
 * `text/Label`, `xpath//...`, `pierce/...`, or CSS. The first CSS one becomes the selector.
 */
export function targetFromSelectors(selectors: unknown): Target | undefined {
  if (!Array.isArray(selectors)) return undefined;
  const target: Target = {};
  for (const alt of selectors) {
    const chain = Array.isArray(alt) ? alt.filter((s): s is string => typeof s === 'string') : typeof alt === 'string' ? [alt] : [];
    const last = chain[chain.length - 1];
    if (last === undefined) continue;
    if (last.startsWith('aria/')) {
      target.name ??= last.slice(5).replace(/\[role="[^"]*"\]$/, '');
      const role = /\[role="([^"]+)"\]$/.exec(last)?.[1];
      if (role !== undefined) target.role ??= role;
    } else if (last.startsWith('text/')) target.text ??= last.slice(5);
    else if (last.startsWith('xpath/') || last.startsWith('pierce/')) continue;
    else {
      target.selector ??= chain.join(' >>> ');
      const id = /^#([A-Za-z][\w-]*)$/.exec(last)?.[1];
      if (id !== undefined) target.id ??= id;
    }
  }
  return Object.keys(target).length === 0 ? undefined : target;
}
