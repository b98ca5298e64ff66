import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.ts';

/** Where a cache lives is said once (engine/cache/location.ts): the pipeline default, the commands' default and the file name. */
describe('cache location', () => {
  it('no code outside engine/cache/location.ts spells the default folder or the file name', () => {
    const spelled: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
        const rel = `${dir}/${e.name}`;
        if (e.isDirectory()) walk(rel);
        else if (/\.(ts|js)$/.test(e.name) && rel !== 'engine/cache/location.ts') {
          readFileSync(join(repoRoot, rel), 'utf8')
            .split('\n')
            .forEach((l, i) => {
              if (!/^\s*(\*|\/\/|\/\*)/.test(l) && /['"`](\.tracepipe|cache\.db)['"`]/.test(l)) spelled.push(`${rel}:${i + 1}`);
            });
        }
      }
    };
    for (const dir of ['engine', 'domain', 'stages', 'app', 'cli', 'web']) walk(dir);
    expect(spelled).toEqual([]);
  });
});
