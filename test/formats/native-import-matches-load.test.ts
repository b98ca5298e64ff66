import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { importPath } from '../../domain/formats/index.ts';
import { TracepipeError } from '../../engine/errors.ts';
import { loadStage, LoadOptions, type LoadedSession } from '../../stages/load/index.ts';
import { cli, repoRoot } from '../helpers/cli.ts';
import { mapContext } from '../helpers/stage-context.ts';
import { tempDir } from '../load/fixture.ts';
import { BROKEN, FIXTURES, SESSIONS } from '../fixtures/sessions-on-disk.ts';

/**
 * `load` (a pipeline reading a native folder in place) and `import` (rewriting it) apply one
 * validation: the same folder is accepted by both, or rejected by both with the same error.
 */

const load = (dir: string) =>
  loadStage.run(
    mapContext({
      options: LoadOptions.parse({}),
      item: { id: 'item', path: dir, fingerprint: 'fp' },
      pipeline: { cacheDir: tempDir(), sessions: { path: '/x/*' } },
    }),
  ) as Promise<LoadedSession>;

/** What either command says about a folder: the summary load returns, or the error's code, message and location. */
async function verdict<T>(p: Promise<T>): Promise<{ ok: T } | { error: Pick<TracepipeError, 'code' | 'message' | 'location'> }> {
  try {
    return { ok: await p };
  } catch (err) {
    if (!(err instanceof TracepipeError)) throw err;
    return { error: { code: err.code, message: err.message, location: err.location } };
  }
}

/** Loads the folder import wrote for `dir` and checks it holds what load read from `dir`. */
async function expectImportedCopyLoadsTheSame(dir: string, loaded: LoadedSession): Promise<string> {
  const out = tempDir();
  expect(await importPath(dir, out)).toEqual([loaded.meta.id]);
  const copy = await load(join(out, loaded.meta.id));
  expect(copy.meta).toEqual(loaded.meta);
  expect(copy.eventCount).toBe(loaded.eventCount);
  expect(copy.screenshots.map((s) => s.t)).toEqual(loaded.screenshots.map((s) => s.t));
  expect([copy.hasNetwork, copy.hasVideo]).toEqual([loaded.hasNetwork, loaded.hasVideo]);
  return join(out, loaded.meta.id);
}

const sessionFolders = (root: string) =>
  readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(root, d.name));

describe('import accepts exactly what load accepts', () => {
  const recorded = [...sessionFolders(SESSIONS), join(FIXTURES, 'keyframes/send-trip-with-cc'), join(BROKEN, 'secrets'), join(BROKEN, 'prompt-injection')];

  it.each(recorded)('%s', async (dir) => {
    const loaded = await load(dir);
    expect(loaded.eventCount).toBeGreaterThan(0);
    await expectImportedCopyLoadsTheSame(dir, loaded);
  });

  it('a WebP screenshot listed in screenshots/index.json', async () => {
    const dir = join(tempDir(), 'webp-index');
    cpSync(join(SESSIONS, 'archive-github-notification'), dir, { recursive: true });
    const shots = join(dir, 'screenshots');
    const [first, second] = readdirSync(shots).sort();
    const webp = await sharp(readFileSync(join(shots, first!)))
      .webp({ lossless: true })
      .toBuffer();
    rmSync(join(shots, first!));
    mkdirSync(join(dir, 'frames'));
    writeFileSync(join(dir, 'frames', 'first.webp'), webp);
    writeFileSync(
      join(shots, 'index.json'),
      JSON.stringify([
        { t: 860, path: 'frames/first.webp' },
        { t: 1252, path: second },
      ]),
    );

    const loaded = await load(dir);
    expect(loaded.screenshots).toEqual([
      { t: 860, path: 'frames/first.webp' },
      { t: 1252, path: `screenshots/${second}` },
    ]);
    const copy = await expectImportedCopyLoadsTheSame(dir, loaded);
    expect(readdirSync(join(copy, 'screenshots'))).toEqual(['00000860.webp', '00001252.png']);
    expect(readFileSync(join(copy, 'screenshots/00000860.webp')).equals(webp)).toBe(true);
  });
});

describe('import rejects what load rejects, with the same error', () => {
  const broken = ['clock-backwards', 'invalid-field-type', 'missing-session-json', 'path-traversal', 'png-is-text', 'truncated-jsonl'];

  it.each(broken)('fixtures/broken/%s', async (name) => {
    const dir = join(BROKEN, name);
    const byLoad = await verdict(load(dir));
    expect('error' in byLoad && byLoad.error.code).toBe('TP_INPUT');
    expect(await verdict(importPath(dir, tempDir()))).toEqual(byLoad);
  });

  const edited: [string, (dir: string) => void][] = [
    ['startedAt that is not a time', (dir) => writeFileSync(join(dir, 'session.json'), JSON.stringify({ id: 's', suite: 'mail', startedAt: 'yesterday' }))],
    ['no input_events.jsonl', (dir) => rmSync(join(dir, 'input_events.jsonl'))],
    [
      'a screenshot named by something other than its time',
      (dir) => writeFileSync(join(dir, 'screenshots', 'shot.png'), readFileSync(join(dir, 'screenshots', '000860.png'))),
    ],
  ];
  it.each(edited)('%s', async (_what, edit) => {
    const dir = join(tempDir(), 's');
    cpSync(join(SESSIONS, 'archive-github-notification'), dir, { recursive: true });
    edit(dir);
    const byLoad = await verdict(load(dir));
    expect('error' in byLoad && byLoad.error.code).toBe('TP_INPUT');
    expect(await verdict(importPath(dir, tempDir()))).toEqual(byLoad);
  });

  it('tracepipe import --json reports the error load reports', async () => {
    const dir = join(BROKEN, 'clock-backwards');
    const byLoad = await verdict(load(dir));
    const r = await cli(['import', dir, '--out', tempDir(), '--json'], { cwd: repoRoot, builtin: true });
    expect(r.code).toBe(2);
    // One recording: its own error is the command's error.
    const { error } = JSON.parse(r.err) as { error: { code: string; message: string; location: unknown } };
    expect(byLoad).toEqual({ error: { code: error.code, message: error.message, location: error.location } });
  });
});
