import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.ts';

/**
 * Which folder may import which, checked on every import statement (Playwright keeps
 * such a list per folder). The engine knows nothing of traces, LLMs or the web layer;
 * engine/cli is the composition root; stages see only the engine's contracts.
 */
const RULES: { from: string; mayNotImport: string[]; except?: string }[] = [
  { from: 'engine/', mayNotImport: ['stages/', 'web/', 'fixtures/', 'test/'], except: 'engine/cli/' },
  { from: 'stages/', mayNotImport: ['engine/cli/', 'engine/cache/', 'engine/run/', 'web/', 'test/', 'fixtures/'] },
  { from: 'web/', mayNotImport: ['test/', 'fixtures/'] },
];

function tsFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g), ...text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map((m) =>
    relative(repoRoot, resolve(dirname(join(repoRoot, file)), m[1]!)).split('\\').join('/'),
  );
}

describe('import boundaries', () => {
  for (const rule of RULES) {
    it(`${rule.from} imports none of ${rule.mayNotImport.join(', ')}${rule.except ? ` (except ${rule.except})` : ''}`, () => {
      const offenders = tsFiles(rule.from)
        .filter((f) => rule.except === undefined || !f.startsWith(rule.except))
        .flatMap((f) => importsOf(f).filter((target) => rule.mayNotImport.some((p) => target.startsWith(p))).map((target) => `${f} -> ${target}`));
      expect(offenders).toEqual([]);
    });
  }

  it('the engine has no console output outside the CLI', () => {
    const offenders = tsFiles('engine/')
      .filter((f) => !f.startsWith('engine/cli/'))
      .filter((f) => /\bconsole\.(log|error|warn|info)\(/.test(readFileSync(join(repoRoot, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
