/**
 * Every byte a stage reads is in its key, as a property over every format's sample: change
 * one byte (and, for text, one value) of a file the pipeline reads; `plan` names the file
 * beforehand, load and normalize run again (no stale hit), and what the incremental run
 * produced equals what an empty cache produces from the changed input. Undoing the change
 * gives the earlier outputs again.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import { cli, devCli, repoRoot } from '../helpers/cli.ts';

import { tempDir, writeSession } from '../load/fixture.ts';
import { lavfiVideo } from '../helpers/test-video.ts';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A native session with a video and no screenshots, so video bytes are read too. */
function videoSession(): string {
  const root = tempDir();
  made.push(root);
  const click = (t: number, x: number) => [
    { type: 'mousedown', t, x, y: 20 },
    { type: 'mouseup', t: t + 60, x, y: 20 },
  ];
  const dir = writeSession(root, 'video-session', { events: [...click(500, 10), ...click(1400, 90)] });
  lavfiVideo(join(dir, 'video.mp4'), 'testsrc=size=160x120:rate=10', 2);
  return dir;
}

interface Sample {
  format: string;
  /** A session folder or a recording file. */
  path: string;
  /** Files inside a folder sample to change (relative); a file sample changes itself. */
  files?: string[];
}

const real = (p: string) => join(repoRoot, 'fixtures/formats', p);
const SAMPLES: Sample[] = [
  {
    format: 'native',
    path: join(repoRoot, 'fixtures/sessions/reply-sam-lunch'),
    files: ['input_events.jsonl', 'network.har', 'session.json', 'screenshots/001579.png'],
  },
  { format: 'native (video)', path: videoSession(), files: ['video.mp4', 'input_events.jsonl'] },
  {
    format: 'extension',
    path: real('extension/compose-email'),
    files: ['input/1732262402900-a1f0c3e2-0004.json', 'screenshot/1732262401100/b2e1d4f3-0001.png'],
  },
  { format: 'playwright', path: real('real/playwright/trace-1.31.zip') },
  { format: 'har', path: real('real/playwright/har-redirect.har') },
  { format: 'rrweb', path: real('real/rrweb/rrweb_form_interactions.json') },
  { format: 'chrome-recorder', path: real('real/chrome-recorder/benchmark.json') },
  { format: 'clones', path: real('real/clones-desktop/20250817_232256'), files: ['input_log.jsonl', 'meta.json'] },
  { format: 'opencua', path: real('opencua/episode-0001'), files: ['events.jsonl', 'metadata.json', 'recording.mp4'] },
  {
    format: 'opencua-bench',
    path: join(repoRoot, '../shared/data/real/opencua-agentnetbench'),
    files: ['s_df0fd37049f470c2.json', 'images/s_df0fd37049f470c2_2.png'],
  },
];

const PIPELINE = (cache: string) => `name: reads
sessions: {path: "sessions/*"}
cache: ${cache}
output: out
stages:
  load: {uses: load}
  normalize: {uses: normalize, needs: [load]}
`;

/** A workspace holding one copy of the sample as its only item, and two pipelines: one incremental, one always from an empty cache. */
function workspace(sample: Sample): { dir: string; item: string; id: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tp-reads-'));
  made.push(dir);
  const id = basename(sample.path);
  const item = join(dir, 'sessions', id);
  mkdirSync(join(dir, 'sessions'));
  cpSync(sample.path, item, { recursive: true });
  writeFileSync(join(dir, 'p.yaml'), PIPELINE('.tracepipe'));
  writeFileSync(join(dir, 'fresh.yaml'), PIPELINE('.fresh'));
  return { dir, item, id };
}

const exec = (dir: string, yaml: string) => cli(['exec', yaml], { cwd: dir, builtin: true });

/** Each sample's workspace after its first `exec p.yaml`, made once: every case of the sample starts from a copy. */
const ranOnce = new Map<Sample, Promise<{ dir: string; id: string }>>();
async function ranWorkspace(sample: Sample): Promise<{ dir: string; item: string; id: string }> {
  let first = ranOnce.get(sample);
  if (first === undefined) {
    first = (async () => {
      const ws = workspace(sample);
      const r = await exec(ws.dir, 'p.yaml');
      if (r.code !== 0) throw new Error(`the first exec of ${sample.path} exited ${r.code}: ${r.err}`);
      return ws;
    })();
    ranOnce.set(sample, first);
  }
  const { dir: from, id } = await first;
  const dir = mkdtempSync(join(tmpdir(), 'tp-reads-'));
  made.push(dir);
  cpSync(from, dir, { recursive: true });
  return { dir, item: join(dir, 'sessions', id), id };
}

type StageState = { status: string; cacheHit: boolean; output: string | null; error: string | null };

/** What the last run did for load and normalize: status, hit or not, and the output hash or the error message. */
function lastRun(cacheDir: string): Record<string, StageState> {
  const store = new SqliteStore(join(cacheDir, 'cache.db'));
  try {
    const run = store.listRuns(1)[0]!;
    const out: Record<string, StageState> = {};
    for (const i of store.runItems(run.id)) {
      out[i.stageId] = {
        status: i.status,
        cacheHit: i.cacheHit,
        output: i.status === 'succeeded' && i.key !== null ? (store.getResult(i.key)?.outputHash ?? null) : null,
        error: i.error?.message ?? null,
      };
    }
    return out;
  } finally {
    store.close();
  }
}

const outcome = (s: Record<string, StageState>) =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, { status: v.status, output: v.output, error: v.error }]));

/** Flips the lowest bit of the middle byte. */
function flipByte(file: string): void {
  const data = readFileSync(file);
  const at = Math.floor(data.length / 2);
  data[at] = data[at]! ^ 1;
  writeFileSync(file, data);
}

/** Replaces the letter or digit nearest the middle with another of its kind: one value changes, the text stays well-formed. */
function changeValue(file: string): void {
  const text = readFileSync(file, 'utf8');
  const mid = Math.floor(text.length / 2);
  for (let d = 0; d < text.length; d++) {
    for (const at of [mid + d, mid - d]) {
      const c = text[at];
      if (c === undefined || !/[a-z0-9]/i.test(c) || /[ntrbfu\\]/.test(text[at - 1] === '\\' ? c : '')) continue;
      const next = /[0-9]/.test(c) ? String((Number(c) + 1) % 10) : c === 'z' ? 'y' : c === 'Z' ? 'Y' : String.fromCharCode(c.charCodeAt(0) + 1);
      writeFileSync(file, text.slice(0, at) + next + text.slice(at + 1));
      return;
    }
  }
  throw new Error(`no letter or digit in ${file}`);
}

const isText = (file: string) => /\.(json|jsonl|har)$/.test(file);

describe('every byte a stage reads is in its key (one case per format sample and file)', () => {
  for (const sample of SAMPLES) {
    const files = sample.files ?? [''];
    for (const file of files) {
      for (const mode of isText(file === '' ? sample.path : file) ? (['byte', 'value'] as const) : (['byte'] as const)) {
        it(`${sample.format}: one ${mode} of ${file === '' ? basename(sample.path) : file}`, async () => {
          const { dir, item, id } = await ranWorkspace(sample);
          const before = lastRun(join(dir, '.tracepipe'));
          const target = file === '' ? item : join(item, file);
          const original = readFileSync(target);
          if (mode === 'byte') flipByte(target);
          else changeValue(target);

          const plan = JSON.parse((await cli(['plan', 'p.yaml', '--items', '--json'], { cwd: dir, builtin: true })).out) as {
            stages: { stage: string; items: { item: string; reasons: string[] }[] }[];
          };
          const loadPlan = plan.stages.find((s) => s.stage === 'load')!;
          const named = file === '' ? id : file;
          expect(loadPlan.items).toEqual([{ item: id, reasons: [`input ${named} changed`] }]);

          await exec(dir, 'p.yaml');
          const after = lastRun(join(dir, '.tracepipe'));
          expect(after.load!.cacheHit).toBe(false);
          if (after.load!.status === 'succeeded') expect(after.normalize!.cacheHit).toBe(false);
          rmSync(join(dir, '.fresh'), { recursive: true, force: true });
          await exec(dir, 'fresh.yaml');
          expect(outcome(after)).toEqual(outcome(lastRun(join(dir, '.fresh'))));

          writeFileSync(target, original);
          await exec(dir, 'p.yaml');
          const undone = lastRun(join(dir, '.tracepipe'));
          expect(outcome(undone)).toEqual(outcome(before));
          // load is keyed on the item's content, so its earlier result is back; a later stage keeps one
          // result per key (the last computed), so it may compute the same output again
          expect(undone.load!.cacheHit).toBe(true);
        });
      }
    }
  }
});

describe('imports under .tracepipe/imports follow the same rule', () => {
  it('an altered import makes load and normalize stale (plan names the file), load imports again, and gc removes imports no result reads', async () => {
    const { dir, id } = workspace(SAMPLES.find((s) => s.format === 'rrweb')!);
    const run = (...args: string[]) => cli(args, { cwd: dir, builtin: true });
    expect((await run('exec', 'p.yaml')).code).toBe(0);
    const before = lastRun(join(dir, '.tracepipe'));
    const imports = join(dir, '.tracepipe/imports');
    const [folder] = readdirSync(imports);
    const [session] = readdirSync(join(imports, folder!));
    const events = join(imports, folder!, session!, 'input_events.jsonl');
    writeFileSync(events, readFileSync(events, 'utf8').replace('"t":', '"t": '));

    const plan = JSON.parse((await run('plan', 'p.yaml', '--items', '--json')).out) as {
      stages: { stage: string; items: { item: string; reasons: string[] }[] }[];
    };
    const byStage = Object.fromEntries(plan.stages.map((s) => [s.stage, s.items]));
    expect(byStage.load).toEqual([{ item: id, reasons: ['input input_events.jsonl changed'] }]);
    expect(byStage.normalize).toEqual([{ item: id, reasons: ['upstream load will run', 'input input_events.jsonl changed'] }]);
    expect((await run('exec', 'p.yaml')).code).toBe(0);
    const after = lastRun(join(dir, '.tracepipe'));
    // load imports again; normalize read the bytes the repaired import holds again, so its result stands
    expect([after.load!.cacheHit, after.normalize!.cacheHit]).toEqual([false, true]);
    expect(outcome(after)).toEqual(outcome(before));

    // a changed recording gets a new import; once no kept result reads the old one, gc removes it
    changeValue(join(dir, 'sessions', id));
    expect((await run('exec', 'p.yaml')).code).toBe(0);
    expect(readdirSync(imports).filter((n) => !n.includes('.tmp') && !n.includes('.old'))).toHaveLength(2);
    // gc through the real CLI in its own process: it takes no pipeline, so it must still know load's imports
    const gcChild = (...args: string[]) => spawnSync(process.execPath, [devCli(), 'gc', ...args], { cwd: dir, encoding: 'utf8' }).stdout;
    const dry = JSON.parse(gcChild('--keep-runs', '1', '--dry-run', '--json')) as { derivedFoldersDropped: string[] };
    expect(dry.derivedFoldersDropped).toEqual([`imports/${folder}`]);
    expect(readdirSync(imports)).toHaveLength(2);
    const gc = JSON.parse(gcChild('--keep-runs', '1', '--json')) as { derivedFoldersDropped: string[] };
    expect(gc.derivedFoldersDropped).toEqual([`imports/${folder}`]);
    expect(readdirSync(imports)).toHaveLength(1);
    expect((await run('exec', 'p.yaml')).code).toBe(0);
    const last = lastRun(join(dir, '.tracepipe'));
    expect(last.load!.cacheHit && last.normalize!.cacheHit).toBe(true);
  });
});
