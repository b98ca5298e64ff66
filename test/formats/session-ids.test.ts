import { describe, expect, it } from 'vitest';
import { exampleIdFor } from '../../domain/example/index.ts';
import { isSafeName } from '../../domain/session/safe-name.ts';
import { toSessionId } from '../../domain/session/write.ts';

/** Session ids (importers) and example ids (synthesize) follow one folder-name rule (domain/session/safe-name.ts). */
describe('safe names', () => {
  const names = ['Send again (2)', 'trace-1.31', 'Ünïcode näme', '  padded  ', '..dots', 'a/b\\c', '20250817_232256', ''];

  it('an id an importer makes is safe, and is its own example id', () => {
    for (const name of names) {
      const id = toSessionId(name);
      expect(isSafeName(id), name).toBe(true);
      expect(exampleIdFor(id), name).toBe(id);
    }
    expect(names.map(toSessionId)).toEqual(['Send-again-2', 'trace-1.31', 'n-code-n-me', 'padded', 'dots', 'a-b-c', '20250817_232256', 'session']);
  });

  it('an unsafe session id gets a slug plus a hash of the whole id', () => {
    expect(exampleIdFor('Send again (2)')).toMatch(/^Send-again-2-[0-9a-f]{8}$/);
    expect(exampleIdFor('x'.repeat(129))).toMatch(new RegExp(`^x{80}-[0-9a-f]{8}$`));
  });
});
