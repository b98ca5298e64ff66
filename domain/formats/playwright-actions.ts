import type { InputEvent, Target } from '../session/model.ts';

/** One API call of a trace, assembled from its before/input/after/log events (or a v3 `action`). */
export interface TraceCall {
  callId: string;
  apiName: string;
  method: string;
  className: string;
  params: Record<string, unknown>;
  /** Monotonic ms. */
  startTime: number;
  /** Monotonic ms, from the call's `after` line when there is one. */
  endTime?: number;
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

/** The key Playwright presses for a character of typed text: control characters are named keys. */
const TYPED_KEY: Record<string, string> = { '\n': 'Enter', '\r': 'Enter', '\t': 'Tab' };

/**
 * One keystroke per character of typed text, spread evenly over the call's duration: the trace
 * has one time per call, and equal times would make a repeated letter ("twice") an exact duplicate.
 */
function typedEvents(base: Base, text: string, durationMs: number): InputEvent[] {
  const chars = [...text];
  const step = chars.length > 1 ? durationMs / chars.length : 0;
  return chars.flatMap((ch, i) => {
    const t = Math.round((base.t + step * i) * 1000) / 1000;
    return keyEvents({ ...base, t }, [TYPED_KEY[ch] ?? ch], `:${i}`);
  });
}

/** Calls that leave keyboard focus on the element they act on. */
const FOCUSING = new Set([
  'click',
  'dblclick',
  'tap',
  'fill',
  'focus',
  'check',
  'uncheck',
  'setChecked',
  'selectOption',
  'type',
  'pressSequentially',
  'press',
  'mouseClick',
]);
/** Keys that move focus somewhere the trace does not say. */
const MOVES_FOCUS = /(^|\+)(Tab|Escape)$/;

/**
 * Page-level keyboard calls (keyboard.type, keyboard.press) name no element: they go to the one
 * the last element call left focused, until a key that moves focus (Tab) or a pointer call
 * without a selector.
 */
export class FocusTracker {
  private focused: Target | undefined;

  targetOf(call: TraceCall, own: Target | undefined): Target | undefined {
    const keyboard = call.method.startsWith('keyboard');
    const target = own ?? (keyboard ? this.focused : undefined);
    if (own !== undefined && FOCUSING.has(call.method)) this.focused = own;
    else if (call.method.startsWith('mouse') || call.method === 'goto') this.focused = undefined;
    const key = call.params['key'];
    if (typeof key === 'string' && MOVES_FOCUS.test(key)) this.focused = undefined;
    return target;
  }
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
 * (evaluate, waitFor, expect, route ...) give none. `mouse` tracks the pointer for mouse.down/up;
 * `durationMs` is how long the call took, over which typed text is spread.
 */
export function eventsForCall(call: TraceCall, base: Base, mouse: { x: number; y: number }, durationMs = 0): InputEvent[] {
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
      const click: InputEvent = {
        ...base,
        type: 'click',
        ...(xy ?? {}),
        button,
        count: call.method === 'dblclick' ? 2 : clickCount,
        ...(call.method === 'tap' ? { pointer: 'touch' as const } : {}),
      };
      const checked =
        call.method === 'check'
          ? true
          : call.method === 'uncheck'
            ? false
            : call.method === 'setChecked' && typeof p['checked'] === 'boolean'
              ? p['checked']
              : undefined;
      // check/uncheck click the box and leave it in that state: the click and its change.
      return checked === undefined ? [click] : [click, { ...base, id: `${base.id}:check`, type: 'check', checked }];
    }
    case 'fill':
      return typeof p['value'] === 'string' ? [{ ...base, type: 'input', value: p['value'] }] : [];
    case 'type':
    case 'pressSequentially':
    case 'keyboardType':
    case 'keyboardInsertText': {
      return typedEvents(base, typeof p['text'] === 'string' ? p['text'] : '', durationMs);
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
      return [
        {
          ...base,
          type: 'wheel',
          x: mouse.x,
          y: mouse.y,
          dx: typeof p['deltaX'] === 'number' ? p['deltaX'] : 0,
          dy: typeof p['deltaY'] === 'number' ? p['deltaY'] : 0,
        },
      ];
    case 'dispatchEvent':
      return p['type'] === 'click' ? [{ ...base, type: 'click', button: 'left', count: 1 }] : [];
    default:
      return [];
  }
}
