import { describe, expect, it } from 'vitest';
import { InputEvent } from '../../domain/session/model.ts';
import { BadEvent, parseEvent } from '../../domain/session/read.ts';

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
  it('accepts and returns exactly what the zod schema does, on thousands of random events', () => {
    const r = rng(42);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
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
      const got = parseEvent(structuredClone(ev));
      if (expected.success) {
        expect(got, JSON.stringify(ev)).not.toBeInstanceOf(BadEvent);
        expect(got, JSON.stringify(ev)).toEqual(expected.data);
        fastAccepted++;
      } else {
        expect(got, JSON.stringify(ev)).toBeInstanceOf(BadEvent);
      }
    }
    expect(fastAccepted).toBeGreaterThan(500);
  });
});
