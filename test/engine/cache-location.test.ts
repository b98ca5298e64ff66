import { describe, expect, it } from 'vitest';
import { codeSpelling } from '../helpers/source-files.ts';

/** Where a cache lives is said once (engine/cache/location.ts): the pipeline default, the commands' default and the file name. */
describe('cache location', () => {
  it('no code outside engine/cache/location.ts spells the default folder or the file name', () => {
    expect(codeSpelling(/['"`](\.tracepipe|cache\.db)['"`]/, { except: ['engine/cache/location.ts'] })).toEqual([]);
  });
});
