import { describe, expect, it } from 'vitest';
import { InputEvent } from '../../domain/session/model.ts';
import { BadEvent, fastEvent, parseEvent } from '../../domain/session/read.ts';

/** A small deterministic PRNG so the cases are the same every run. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
}

const VALUES: unknown[] = [0, 1, -3, 12.5, 'a', '', 'left', 'right', 'middle', 'up', null, true, [], ['x'], {}, { x: 1, y: 2, width: 3, height: 4 }, { x: 1 }];
const TYPES = ['mousemove', 'mousedown', 'mouseup', 'wheel', 'keydown', 'keyup', 'input', 'click', 'select', 'navigate', 'submit', 'hover'];
const KEYS = ['x', 'y', 'button', 'dx', 'dy', 'key', 'code', 'value', 'id', 'url', 'count', 'extra'];
const TARGET_KEYS = ['selector', 'tag', 'role', 'name', 'classes', 'bbox', 'field', 'inputType', 'xpath'];

describe('parseEvent fast path', () => {
  it('takes every plain event of its types itself, with the defaults zod fills in', () => {
    const plain: [Record<string, unknown>, Record<string, unknown>][] = [
      [
        { type: 'mousemove', t: 1, x: 2, y: 3 },
        { type: 'mousemove', t: 1, x: 2, y: 3 },
      ],
      [
        { type: 'mousedown', t: 1, x: 2, y: 3 },
        { type: 'mousedown', t: 1, x: 2, y: 3, button: 'left' },
      ],
      [
        { type: 'mouseup', t: 1, x: 2, y: 3, button: 'right', url: 'http://a.test/' },
        { type: 'mouseup', t: 1, x: 2, y: 3, button: 'right', url: 'http://a.test/' },
      ],
      [
        { type: 'wheel', t: 1, x: 2, y: 3 },
        { type: 'wheel', t: 1, x: 2, y: 3, dx: 0, dy: 0 },
      ],
      [
        { type: 'keydown', t: 1, key: 'a', code: 'KeyA', id: 'e1' },
        { type: 'keydown', t: 1, key: 'a', code: 'KeyA', id: 'e1' },
      ],
      [
        { type: 'keyup', t: 1, key: 'Enter' },
        { type: 'keyup', t: 1, key: 'Enter' },
      ],
      [
        { type: 'input', t: 1, value: 'hi', target: { selector: '#q', tag: 'input', classes: ['a'], bbox: { x: 1, y: 2, width: 3, height: 4 } } },
        { type: 'input', t: 1, value: 'hi', target: { selector: '#q', tag: 'input', classes: ['a'], bbox: { x: 1, y: 2, width: 3, height: 4 } } },
      ],
    ];
    for (const [raw, expected] of plain) {
      expect(fastEvent(structuredClone(raw)), JSON.stringify(raw)).toEqual(expected);
      expect(InputEvent.parse(structuredClone(raw))).toEqual(expected);
    }
  });

  it('accepts and returns exactly what the zod schema does, on thousands of random events, and takes the plain ones itself', () => {
    const r = rng(42);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
    let zodAccepted = 0;
    let fastAccepted = 0;
    for (let i = 0; i < 5000; i++) {
      const ev: Record<string, unknown> = { type: pick(TYPES), t: r() < 0.95 ? Math.floor(r() * 1000) : pick(VALUES) };
      // Mostly well-formed events of the type, with some noise.
      if (['mousemove', 'mousedown', 'mouseup'].includes(ev.type as string) && r() < 0.8) Object.assign(ev, { x: r() * 100, y: r() * 100 });
      if (['keydown', 'keyup'].includes(ev.type as string) && r() < 0.8) ev.key = pick(['a', 'Enter', 'Shift']);
      if (ev.type === 'input' && r() < 0.8) ev.value = 'hello';
      const extra = Math.floor(r() * 3);
      for (let k = 0; k < extra; k++) ev[pick(KEYS)] = pick(VALUES);
      if (r() < 0.5) {
        const target: Record<string, unknown> = {};
        for (let k = 0; k < 1 + Math.floor(r() * 3); k++) target[pick(TARGET_KEYS)] = r() < 0.7 ? 'btn' : pick(VALUES);
        ev.target = target;
      }
      const expected = InputEvent.safeParse(structuredClone(ev));
      const fast = fastEvent(structuredClone(ev));
      const got = parseEvent(structuredClone(ev));
      if (expected.success) {
        expect(got, JSON.stringify(ev)).not.toBeInstanceOf(BadEvent);
        expect(got, JSON.stringify(ev)).toEqual(expected.data);
        zodAccepted++;
        if (fast !== undefined) {
          expect(fast, JSON.stringify(ev)).toEqual(expected.data);
          fastAccepted++;
        }
      } else {
        // the fast path never takes an event the schema refuses
        expect(fast, JSON.stringify(ev)).toBeUndefined();
        expect(got, JSON.stringify(ev)).toBeInstanceOf(BadEvent);
      }
    }
    // The generator is seeded, so these are exact: a fast path that gives up on everything fails here (types it does not
    // serve, such as click and navigate, and events with extra fields go to zod).
    expect({ zodAccepted, fastAccepted }).toEqual({ zodAccepted: 1789, fastAccepted: 628 });
  });
});
