import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.ts';
import { sourceFiles } from './helpers/source-files.ts';

/**
 * Which folder may import which, checked on every import statement (the map is in the
 * README's "Where things are"). The engine knows nothing of traces, LLMs or the web;
 * domain/ is the trace model on the engine; a stage sees the engine's contracts and the
 * domain, never another stage; app/ holds what the CLI and the API share; cli/ is the
 * composition root, the only folder that knows every other.
 */
const LAYERS: Record<string, string[]> = {
  'engine/': ['engine/'],
  'domain/': ['engine/', 'domain/'],
  'stages/': ['engine/', 'domain/', 'stages/'],
  'app/': ['engine/', 'domain/', 'app/'],
  'web/': ['engine/', 'domain/', 'app/', 'web/'],
  'cli/': ['engine/', 'domain/', 'stages/', 'app/', 'web/', 'cli/'],
};
const OURS = Object.keys(LAYERS).concat(['test/', 'fixtures/', 'bench/', 'bin/', 'pipelines/']);
/** What no stage, domain or use-case file may reach into: the runner and the store implementations. */
const ENGINE_INSIDES = ['engine/run/', 'engine/cache/'];
/** The registry files: the only stage files that import other stages' folders. */
const STAGE_REGISTRY = ['stages/index.ts', 'stages/loaders.ts'];

/** A layer's code files (`engine/` -> `engine/x.ts`, ...). */
const tsFiles = (layer: string) => sourceFiles(layer);

function importsOf(file: string): string[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g), ...text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)];
  return specs.map((m) =>
    relative(repoRoot, resolve(dirname(join(repoRoot, file)), m[1]!))
      .split('\\')
      .join('/'),
  );
}

const stageFolder = (path: string) => /^stages\/([^/]+)\//.exec(path)?.[1];

function offences(layer: string): string[] {
  const allowed = LAYERS[layer]!;
  return tsFiles(layer).flatMap((file) =>
    importsOf(file)
      .filter((target) => {
        if (!OURS.some((p) => target.startsWith(p)) && !target.startsWith('index.ts')) return false;
        if (!allowed.some((p) => target.startsWith(p))) return true;
        if (layer !== 'cli/' && ENGINE_INSIDES.some((p) => target.startsWith(p)) && ['domain/', 'stages/'].includes(layer)) return true;
        if (layer === 'stages/' && target.startsWith('stages/') && !STAGE_REGISTRY.includes(file)) {
          return stageFolder(target) !== stageFolder(file);
        }
        return false;
      })
      .map((target) => `${file} -> ${target}`),
  );
}

describe('import boundaries', () => {
  for (const layer of Object.keys(LAYERS)) {
    it(`${layer} imports only ${LAYERS[layer]!.join(', ')}`, () => {
      expect(offences(layer)).toEqual([]);
    });
  }

  it('only the composition root imports the stage registry', () => {
    const importers = Object.keys(LAYERS)
      .flatMap(tsFiles)
      .filter((f) => !f.startsWith('stages/') && importsOf(f).some((t) => STAGE_REGISTRY.includes(t)));
    expect(importers).toEqual(['cli/main.ts']);
  });

  it('no stage, check or library reads process.env: the environment reaches them through the context', () => {
    const offenders = ['engine/', 'domain/', 'stages/', 'app/']
      .flatMap(tsFiles)
      .filter((f) => /\bprocess\.env\b/.test(readFileSync(join(repoRoot, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('zod issues become messages in one place (engine/config/zod-issues.ts)', () => {
    const offenders = Object.keys(LAYERS)
      .flatMap(tsFiles)
      .filter(
        (f) =>
          f !== 'engine/config/zod-issues.ts' &&
          /[\w)]\.issues(\[\d+\]|\.map\(|\.forEach\()|for \(const \w+ of \w+\.error\.issues\)/.test(readFileSync(join(repoRoot, f), 'utf8')),
      );
    expect(offenders).toEqual([]);
  });

  it('no console output outside cli/ and web/', () => {
    const offenders = ['engine/', 'domain/', 'stages/', 'app/']
      .flatMap(tsFiles)
      .filter((f) => /\bconsole\.(log|error|warn|info)\(/.test(readFileSync(join(repoRoot, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
