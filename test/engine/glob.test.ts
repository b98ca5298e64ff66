import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryStore } from '../../engine/cache/memory.ts';
import { diskFileSet } from '../../engine/config/disk-files.ts';
import type { ResolvedPipeline } from '../../engine/config/types.ts';
import { isGlob, splitGlob } from '../../engine/glob.ts';
import { discoverItems } from '../../engine/items.ts';
import { declaredFiles } from '../../engine/run/index.ts';
import { defineStage } from '../../engine/stage.ts';
import { listPartials } from '../../stages/classify/stage-inputs.ts';
import { codeSpelling } from '../helpers/source-files.ts';

/**
 * One glob rule for every place a path may be a glob: the sessions a pipeline reads, the
 * files a stage declares (run keys and validation), classify's partials. Each consumer is
 * asked about the same tree and must give the same answer.
 */

const root = mkdtempSync(join(tmpdir(), 'tp-glob-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function tree(files: string[], links: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(root, 't-'));
  for (const rel of files) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), rel);
  }
  for (const [rel, target] of Object.entries(links)) symlinkSync(target, join(dir, rel));
  return dir;
}

/** The tree every consumer is asked about: names that sort differently walked than listed, hidden files, links of every kind. */
const base = tree(['a/x.hbs', 'a-b/y.hbs', 'b.hbs', 'c/d/e.hbs', '.hidden.hbs', '.dot/z.hbs', 'a/.swap.hbs', 'notes.txt'], {
  'link.hbs': 'a/x.hbs',
  'link-dir': 'a',
  loop: '.',
  'dangling.hbs': 'nowhere.hbs',
});

const asSessions = (glob: string) => discoverItems(glob, new MemoryStore()).map((i) => i.id);

const probe = defineStage({
  name: 'probe',
  version: '1',
  kind: 'map',
  options: z.object({}),
  keyFiles: (node) => [{ label: 'file', path: node.with['glob'] as string }],
  run: () => null,
});
const pipelineWith = (glob: string): ResolvedPipeline => ({
  file: join(base, 'pipeline.yaml'),
  dir: base,
  name: 'glob',
  variant: null,
  sessions: { path: base },
  concurrency: 1,
  outDir: join(base, 'out'),
  cacheDir: join(base, 'cache'),
  models: {},
  actionToolMaps: {},
  stages: [{ id: 'probe', uses: 'probe', needs: [], with: { glob } }],
});
/** What a run puts in the key for a declared glob. */
const asRunKeyFiles = (glob: string) => (declaredFiles(pipelineWith(glob), { probe }).get('probe') ?? []).map((f) => relative(base, f.path));
/** What validation lets a stage's check() read for the same declaration. */
const asCheckedFiles = (glob: string) =>
  diskFileSet(base, [glob])
    .paths()
    .map((p) => relative(base, p));

describe('one glob rule for sessions, declared files and partials', () => {
  const EXPECTED = ['a-b/y.hbs', 'a/x.hbs', 'b.hbs', 'c/d/e.hbs', 'link.hbs'];

  it('**/*.hbs: hidden names skipped, a link to a file counted, links to folders not walked, a dangling link nothing, sorted by path', () => {
    const glob = join(base, '**/*.hbs');
    expect(asSessions(glob)).toEqual(EXPECTED);
    expect(asRunKeyFiles(glob)).toEqual(EXPECTED);
    expect(asCheckedFiles(glob)).toEqual(EXPECTED);
    expect(listPartials(base).map((p) => relative(base, p))).toEqual(EXPECTED);
  });

  it('*: sessions take folders and files, declared files only files; both by the same names and order', () => {
    const glob = join(base, '*');
    expect(asSessions(glob)).toEqual(['a', 'a-b', 'b.hbs', 'c', 'link-dir', 'link.hbs', 'loop', 'notes.txt']);
    expect(asRunKeyFiles(glob)).toEqual(['b.hbs', 'link.hbs', 'notes.txt']);
    expect(asCheckedFiles(glob)).toEqual(['b.hbs', 'link.hbs', 'notes.txt']);
  });

  it('a pattern that names nothing: an error for sessions, nothing for declared files', () => {
    const glob = join(base, '*.png');
    expect(() => asSessions(glob)).toThrow(`sessions.path: ${glob} matches no session`);
    expect(asRunKeyFiles(glob)).toEqual([]);
    expect(asCheckedFiles(glob)).toEqual([]);
  });

  it('parentheses are literal: a folder named "Recordings (2024)" is a base, not a pattern', () => {
    const dir = tree(['Recordings (2024)/s1/session.json', 'Recordings (2024)/s2/session.json', 'Recordings (2024)/p.hbs']);
    expect(splitGlob(join(dir, 'Recordings (2024)/*'))).toEqual({ base: join(dir, 'Recordings (2024)'), pattern: '*' });
    expect(isGlob(join(dir, 'Recordings (2024)'))).toBe(false);
    expect(asSessions(join(dir, 'Recordings (2024)/*'))).toEqual(['p.hbs', 's1', 's2']);
    expect(diskFileSet(dir, ['Recordings (2024)/*.hbs']).paths()).toEqual([join(dir, 'Recordings (2024)/p.hbs')]);
    expect(isGlob('a/@(x|y)')).toBe(true);
    expect(isGlob('a/{x,y}')).toBe(true);
  });

  it('a path with no glob syntax names itself', () => {
    expect(asSessions(join(base, 'a'))).toEqual(['a']);
    expect(asRunKeyFiles(join(base, 'b.hbs'))).toEqual(['b.hbs']);
  });
});

describe('no other copy of the rule', () => {
  /** Matching URLs (network include/exclude) is not matching paths: that is the one other picomatch user. */
  const ALLOWED = ['domain/network/select.ts', 'engine/glob.ts'];

  it('picomatch is imported only by engine/glob.ts (and the URL matcher)', () => {
    const users = [...new Set(codeSpelling(/from 'picomatch'/, { ext: /\.ts$/ }).map((hit) => hit.split(':')[0]!))];
    expect(users.sort()).toEqual(ALLOWED);
  });
});
