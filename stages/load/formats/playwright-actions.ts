import type { InputEvent, Target } from '../../session/model.ts';

/** One API call of a trace, assembled from its before/input/after/log events (or a v3 `action`). */
export interface TraceCall {
  callId: string;
  apiName: string;
  method: string;
  className: string;
  params: Record<string, unknown>;
  /** Monotonic ms. */
  startTime: number;
  point?: { x: number; y: number };
  log: string[];
}

type Base = { id: string; t: number; url?: string; target?: Target };

/** Splits `Control+Shift+A` into keys. */
function chord(key: string): string[] {
  return key === '+' ? ['+'] : key.split('+').map((k) => (k === '' ? '+' : k));
}

function keyEvents(base: Base, keys: string[], suffix: string): InputEvent[] {
  const down = keys.map((key, i): InputEvent => ({ ...base, id: `${base.id}${suffix}:down${i}`, type: 'keydown', key }));
  const up = [...keys].reverse().map((key, i): InputEvent => ({ ...base, id: `${base.id}${suffix}:up${i}`, type: 'keyup', key }));
  return [...down, ...up];
}

function selectedValue(params: Record<string, unknown>): string | undefined {
  const opts = params['options'] ?? params['values'];
  if (Array.isArray(opts) && opts.length > 0) {
    const o = opts[0] as unknown;
    if (typeof o === 'string') return o;
    if (typeof o === 'object' && o !== null) {
      const r = o as Record<string, unknown>;
      for (const k of ['valueOrLabel', 'value', 'label']) if (typeof r[k] === 'string') return r[k] as string;
      if (typeof r['index'] === 'number') return String(r['index']);
    }
  }
  return undefined;
}

/**
 * The input events one Playwright API call stands for; calls that are not user input
 * (evaluate, waitFor, expect, route ...) give none. `mouse` tracks the pointer for mouse.down/up.
 */
export function eventsForCall(call: TraceCall, base: Base, mouse: { x: number; y: number }): InputEvent[] {
  const p = call.params;
  const xy = call.point ?? (typeof p['x'] === 'number' && typeof p['y'] === 'number' ? { x: p['x'], y: p['y'] } : undefined);
  const button = p['button'] === 'right' ? 'right' : p['button'] === 'middle' ? 'middle' : 'left';
  switch (call.method) {
    case 'click':
    case 'dblclick':
    case 'tap':
    case 'check':
    case 'uncheck':
    case 'setChecked':
    case 'mouseClick': {
      const clickCount = typeof p['clickCount'] === 'number' ? p['clickCount'] : 1;
      if (xy !== undefined) Object.assign(mouse, xy);
      const click: InputEvent = { ...base, type: 'click', ...(xy ?? {}), button, count: call.method === 'dblclick' ? 2 : clickCount, ...(call.method === 'tap' ? { pointer: 'touch' as const } : {}) };
      const checked = call.method === 'check' ? true : call.method === 'uncheck' ? false : call.method === 'setChecked' && typeof p['checked'] === 'boolean' ? p['checked'] : undefined;
      // check/uncheck click the box and leave it in that state: the click and its change.
      return checked === undefined ? [click] : [click, { ...base, id: `${base.id}:check`, type: 'check', checked }];
    }
    case 'fill':
      return typeof p['value'] === 'string' ? [{ ...base, type: 'input', value: p['value'] }] : [];
    case 'type':
    case 'pressSequentially':
    case 'keyboardType':
    case 'keyboardInsertText': {
      const text = typeof p['text'] === 'string' ? p['text'] : '';
      return [...text].flatMap((ch, i) => keyEvents(base, [ch], `:${i}`));
    }
    case 'press':
    case 'keyboardPress':
      return typeof p['key'] === 'string' ? keyEvents(base, chord(p['key']), '') : [];
    case 'keyboardDown':
      return typeof p['key'] === 'string' ? [{ ...base, type: 'keydown', key: p['key'] }] : [];
    case 'keyboardUp':
      return typeof p['key'] === 'string' ? [{ ...base, type: 'keyup', key: p['key'] }] : [];
    case 'goto':
      return typeof p['url'] === 'string' ? [{ ...base, type: 'navigate', url: p['url'] }] : [];
    case 'selectOption': {
      const value = selectedValue(p);
      return value === undefined ? [] : [{ ...base, type: 'select', value }];
    }
    case 'hover':
    case 'mouseMove':
      if (xy === undefined) return [];
      Object.assign(mouse, xy);
      return [{ ...base, type: 'mousemove', ...xy }];
    case 'mouseDown':
    case 'mouseUp':
      return [{ ...base, type: call.method === 'mouseDown' ? 'mousedown' : 'mouseup', x: mouse.x, y: mouse.y, button }];
    case 'mouseWheel':
      return [{ ...base, type: 'wheel', x: mouse.x, y: mouse.y, dx: typeof p['deltaX'] === 'number' ? p['deltaX'] : 0, dy: typeof p['deltaY'] === 'number' ? p['deltaY'] : 0 }];
    case 'dispatchEvent':
      return p['type'] === 'click' ? [{ ...base, type: 'click', button: 'left', count: 1 }] : [];
    default:
      return [];
  }
}
