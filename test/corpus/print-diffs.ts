// Prints, for every corpus case, whether it matches its truth and where it differs:
// node --import tsx test/corpus/print-diffs.ts [name-substring]
// IGNORE=button,pointer leaves those fields out on both sides, to see what else differs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { corpusCases, reduceCase } from './cases.ts';
import { project } from './projection.ts';

const filter = process.argv[2];
let matched = 0;
const ignored = (process.env['IGNORE'] ?? '').split(',').filter((k) => k !== '');
const cacheDir = mkdtempSync(join(tmpdir(), 'tp-corpus-'));
const cases = corpusCases().filter((c) => filter === undefined || c.name.includes(filter));
for (const c of cases) {
  try {
    const projected = project((await reduceCase(c, cacheDir)).steps, c.truth);
    const drop = (p: Record<string, unknown>) => Object.fromEntries(Object.entries(p).filter(([k]) => !ignored.includes(k)));
    const expected = projected.expected.map(drop);
    const actual = projected.actual.map(drop);
    if (isDeepStrictEqual(expected, actual)) {
      matched++;
      process.stdout.write(`ok    ${c.name}\n`);
      continue;
    }
    process.stdout.write(`DIFF  ${c.name}\n`);
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      const e = JSON.stringify(expected[i]);
      const a = JSON.stringify(actual[i]);
      process.stdout.write(`  ${e === a ? ' ' : '≠'} ${i}: want ${e ?? '-'}\n  ${' '.repeat(4 + String(i).length)}got  ${a ?? '-'}\n`);
    }
  } catch (error) {
    process.stdout.write(`ERROR ${c.name}: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
process.stdout.write(`${matched}/${cases.length} cases match their truth\n`);
rmSync(cacheDir, { recursive: true, force: true });
