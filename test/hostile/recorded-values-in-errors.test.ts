import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { tempDir, writeSession } from '../load/fixture.ts';
import { SHAPES } from './secret-shapes.ts';

const PIN = 482913;

/**
 * An error about a recorded field names the value's kind, never the value: a PIN typed into a
 * password field arrives as a number, a token can sit in a field of the wrong type, and the
 * message reaches the terminal, the cache's run log and the API.
 */
describe('recorded values never appear in an error message', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['a PIN as a number in a password field', { type: 'input', t: 5, value: PIN, target: { name: 'pin', inputType: 'password' } }],
    ['a token where a boolean belongs', { type: 'check', t: 5, checked: SHAPES.skProjKeyInJson, target: { name: 'remember' } }],
  ];
  for (const [name, bad] of cases) {
    it(`${name}: the item fails with file, line and field, and the cache file holds no trace of the value`, async () => {
      const dir = tempDir();
      writeSession(join(dir, 'sessions'), 's1', { events: [{ type: 'mousemove', t: 1, x: 1, y: 1 }, bad] });
      writeFileSync(join(dir, 'p.yaml'), 'name: recorded\nsessions: {path: sessions/*}\nstages:\n  load: {uses: load}\n');
      const r = await cli(['exec', 'p.yaml'], { cwd: dir, builtin: true });
      expect(r.code).toBe(1);
      expect(r.err + r.out).toMatch(/input_events\.jsonl:2 field "(value|checked)": must be (a string|true or false), got a (number|string)/);
      const secret = typeof bad.value === 'number' ? String(PIN) : SHAPES.skProjKeyInJson.slice(0, 12);
      expect(r.err + r.out).not.toContain(secret);
      for (const f of readdirSync(join(dir, '.tracepipe')).filter((n) => n.startsWith('cache.db'))) {
        expect(readFileSync(join(dir, '.tracepipe', f)).includes(secret)).toBe(false);
      }
    });
  }
});
