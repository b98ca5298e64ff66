/**
 * Outputs are a function of inputs alone: the defects a new user found, each reproduced on
 * the real mail pipeline (rules classifier) and now giving the right output. A stale cache
 * hit after an edit, a moved sessions folder, a symlinked session.json, resume and a killed
 * run versus a plain exec (every output file byte for byte), two sessions with one id, and a
 * sessions glob that matches nothing.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import type { Timeline } from '../../domain/session/timeline.ts';
import { cli, devCli, repoRoot } from '../helpers/cli.ts';
import { differing, outputTree } from '../helpers/output-tree.ts';
import { TRUST_SESSIONS, trustWorkspace, writeTrustPipeline as writePipeline } from '../helpers/mail-workspaces.ts';
import { copyPrebuilt, prebuiltPath } from '../helpers/prebuilt.ts';

const SESSIONS = TRUST_SESSIONS;
const made: string[] = [];

afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A copy of the mail pipeline's finished run over six fixture sessions (examples and a dataset written to out/). */
async function finished(): Promise<string> {
  const dir = await copyPrebuilt('trust');
  made.push(dir);
  return dir;
}

/** The same workspace, never run: for the cases about a first run. */
function fresh(): string {
  const dir = trustWorkspace();
  made.push(dir);
  return dir;
}

const run = (dir: string, ...args: string[]) => cli(args, { cwd: dir, builtin: true });
const exec = (dir: string, ...more: string[]) => run(dir, 'exec', 'pipelines/trust.yaml', ...more);

const outputTreeOf = (dir: string) => outputTree(join(dir, 'out'));

/** Per stage: how many items ran and how many were cache hits, from `exec --json`'s end event. */
function stageCounts(out: string): Record<string, { done: number; cached: number; failed: number }> {
  const end = out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { type: string; summary?: { stages: Record<string, { done: number; cached: number; failed: number }> } })
    .find((e) => e.type === 'run:end');
  return Object.fromEntries(Object.entries(end!.summary!.stages).map(([k, c]) => [k, { done: c.done, cached: c.cached, failed: c.failed }]));
}

/** How many sessions the killed run's normalize has finished (0 before the schema exists). */
function normalized(db: string): number {
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (conn.prepare("SELECT COUNT(*) AS n FROM results WHERE stage_id = 'normalize'").get() as { n: number }).n;
    } finally {
      conn.close();
    }
  } catch {
    return 0; // the schema is not there yet
  }
}

function normalizedTimeline(dir: string, session: string): Timeline {
  const store = new SqliteStore(join(dir, '.tracepipe/cache.db'));
  try {
    const r = store.latestResult('normalize', session)!;
    return JSON.parse(store.getOutput(r.outputHash)!) as Timeline;
  } finally {
    store.close();
  }
}

describe('outputs are a function of inputs', () => {
  it('an edited event (same line count) re-runs normalize and everything after it; plan says which file changed', async () => {
    const dir = await finished();
    const file = join(dir, 'sessions/reply-sam-lunch/input_events.jsonl');
    const text = readFileSync(file, 'utf8');
    const first = text.indexOf('#/inbox');
    writeFileSync(file, text.slice(0, first) + '#/starred' + text.slice(first + '#/inbox'.length));

    const plan = await run(dir, 'plan', 'pipelines/trust.yaml', '--items', '--json');
    const stages = (JSON.parse(plan.out) as { stages: unknown }).stages as { stage: string; toRun: number; items: { item: string; reasons: string[] }[] }[];
    const byStage = Object.fromEntries(stages.map((s) => [s.stage, s]));
    expect(byStage.load!.items).toEqual([{ item: 'reply-sam-lunch', reasons: ['input input_events.jsonl changed'] }]);
    expect(byStage.normalize!.items).toEqual([{ item: 'reply-sam-lunch', reasons: ['upstream load will run', 'input input_events.jsonl changed'] }]);

    const again = await exec(dir, '--json');
    expect(again.code).toBe(0);
    const counts = stageCounts(again.out);
    expect(counts.load).toEqual({ done: 1, cached: SESSIONS.length - 1, failed: 0 });
    expect(counts.normalize).toEqual({ done: 1, cached: SESSIONS.length - 1, failed: 0 });
    const urls = normalizedTimeline(dir, 'reply-sam-lunch').steps.flatMap((s) => (s.kind === 'navigate' ? [s.text ?? s.url] : []));
    expect(urls[0]).toMatch(/#\/starred$/);
    const plan2 = (JSON.parse((await run(dir, 'plan', 'pipelines/trust.yaml', '--json')).out) as { stages: unknown }).stages as {
      stage: string;
      toRun: number;
      uses: string;
    }[];
    expect(plan2.filter((s) => s.uses !== 'write-examples' && s.uses !== 'dataset').map((s) => s.toRun)).toEqual([0, 0, 0, 0]);
  });

  it('a changed screenshot pixel or HAR byte re-runs normalize for that session only', async () => {
    const dir = await finished();
    const shots = join(dir, 'sessions/search-offsite/screenshots');
    const png = readdirSync(shots)
      .filter((n) => n.endsWith('.png'))
      .sort()[0]!;
    const sharp = (await import('sharp')).default;
    const img = sharp(join(shots, png));
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    data[0] = data[0]! ^ 0xff;
    writeFileSync(
      join(shots, png),
      await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
        .png()
        .toBuffer(),
    );
    const har = join(dir, 'sessions/send-lunch-thursday/network.har');
    writeFileSync(har, readFileSync(har, 'utf8').replace('"HTTP/1.1"', '"HTTP/1.0"'));

    const plan = (JSON.parse((await run(dir, 'plan', 'pipelines/trust.yaml', '--items', '--json')).out) as { stages: unknown }).stages as {
      stage: string;
      items: { item: string; reasons: string[] }[];
    }[];
    const normalize = plan.find((s) => s.stage === 'normalize')!;
    expect(normalize.items).toEqual([
      { item: 'search-offsite', reasons: ['upstream load will run', `input screenshots/${png} changed`] },
      { item: 'send-lunch-thursday', reasons: ['upstream load will run', 'input network.har changed'] },
    ]);
    const counts = stageCounts((await exec(dir, '--json')).out);
    expect(counts.normalize).toEqual({ done: 2, cached: SESSIONS.length - 2, failed: 0 });
  });

  it('a moved sessions folder reuses every result and writes byte-identical files; the old path no longer matters', async () => {
    const dir = await finished();
    const before = outputTreeOf(dir);
    renameSync(join(dir, 'sessions'), join(dir, 'recordings'));
    writePipeline(dir, '../recordings/*');
    // another session at the old path, under one of the moved ids, must not leak into any example
    mkdirSync(join(dir, 'sessions'));
    cpSync(join(repoRoot, 'fixtures/sessions/send-typos-report'), join(dir, 'sessions/reply-sam-lunch'), { recursive: true });
    const again = await exec(dir, '--json');
    expect(again.code).toBe(0);
    const counts = stageCounts(again.out);
    for (const stage of ['load', 'normalize', 'classify', 'synthesize']) expect(counts[stage]).toEqual({ done: 0, cached: SESSIONS.length, failed: 0 });
    expect(differing(outputTreeOf(dir), before)).toEqual([]);
  });

  it('a session.json symlinked inside its folder is fingerprinted by its target: an edit to the target is seen', async () => {
    const dir = await finished();
    const s = join(dir, 'sessions/star-budget-review');
    mkdirSync(join(s, 'meta'));
    renameSync(join(s, 'session.json'), join(s, 'meta/real-session.json'));
    symlinkSync('meta/real-session.json', join(s, 'session.json'));
    expect((await exec(dir)).code).toBe(0);
    const target = join(s, 'meta/real-session.json');
    const meta = JSON.parse(readFileSync(target, 'utf8')) as { description: string };
    writeFileSync(target, JSON.stringify({ ...meta, description: 'Star the budget review thread, please.' }));
    expect((await exec(dir)).code).toBe(0);
    const example = JSON.parse(readFileSync(join(dir, 'out/examples/star-budget-review/example.json'), 'utf8')) as {
      messages: { role: string; content: string }[];
    };
    expect(example.messages.find((m) => m.role === 'user')!.content).toContain('Star the budget review thread, please.');
  });

  it('a rerun that changes nothing computes nothing; a deleted, an edited or a stale output file is written again, byte for byte', async () => {
    const dir = await finished();
    expect((await exec(dir)).code).toBe(0);
    const before = outputTreeOf(dir);
    const allCached = Object.fromEntries(
      ['load', 'normalize', 'classify', 'synthesize', 'write'].map((s) => [s, { done: 0, cached: SESSIONS.length, failed: 0 }]),
    );
    const noop = await exec(dir, '--json');
    expect(stageCounts(noop.out)).toEqual({ ...allCached, dataset: { done: 0, cached: 1, failed: 0 } });
    expect(outputTreeOf(dir)).toEqual(before);

    const reasons = async () => {
      const plan = JSON.parse((await run(dir, 'plan', 'pipelines/trust.yaml', '--items', '--json')).out) as {
        stages: { stage: string; items: { item: string; reasons: string[] }[] }[];
      };
      return Object.fromEntries(plan.stages.filter((s) => s.items.length > 0).map((s) => [s.stage, s.items]));
    };
    rmSync(join(dir, 'out/examples/reply-sam-lunch/example.json'));
    writeFileSync(join(dir, 'out/examples/search-offsite/messages.jsonl'), '{"role": "user", "content": "edited by hand"}\n');
    expect(await reasons()).toEqual({
      write: [
        { item: 'reply-sam-lunch', reasons: ['output examples/reply-sam-lunch/example.json removed'] },
        { item: 'search-offsite', reasons: ['output examples/search-offsite/messages.jsonl changed'] },
      ],
      dataset: [{ item: '*', reasons: ['upstream write will run'] }],
    });
    const repaired = await exec(dir, '--json');
    // write gives the same examples again, and the examples folder is as the dataset left it: its result stands
    expect(stageCounts(repaired.out)).toEqual({
      ...allCached,
      write: { done: 2, cached: SESSIONS.length - 2, failed: 0 },
      dataset: { done: 0, cached: 1, failed: 0 },
    });
    expect(differing(outputTreeOf(dir), before)).toEqual([]);

    // The dataset's own files: an edited manifest, and an example folder no session produced.
    writeFileSync(join(dir, 'out/manifest.json'), '{}\n');
    mkdirSync(join(dir, 'out/examples/gone-session'));
    writeFileSync(join(dir, 'out/examples/gone-session/example.json'), '{}\n');
    expect(await reasons()).toEqual({ dataset: [{ item: '*', reasons: ['output examples/gone-session/example.json added', 'output manifest.json changed'] }] });
    const cleaned = await exec(dir, '--json');
    expect(stageCounts(cleaned.out)).toEqual({ ...allCached, dataset: { done: 1, cached: 0, failed: 0 } });
    expect(differing(outputTreeOf(dir), before)).toEqual([]);
  });

  it('a session that now fails leaves no stale example from an earlier run', async () => {
    const dir = await finished();
    expect(existsSync(join(dir, 'out/examples/search-offsite/example.json'))).toBe(true);
    writeFileSync(join(dir, 'sessions/search-offsite/input_events.jsonl'), '{broken\n');
    expect((await exec(dir)).code).toBe(1);
    expect(existsSync(join(dir, 'out/examples/search-offsite'))).toBe(false);
    expect(readFileSync(join(dir, 'out/dataset.jsonl'), 'utf8')).not.toContain('search-offsite');
  });

  it('two sessions with one id fail as input errors naming both paths; nothing is written for that id, not even from an earlier run', async () => {
    const dir = await finished();
    cpSync(join(dir, 'sessions/reply-sam-lunch'), join(dir, 'sessions/reply-sam-lunch-copy'), { recursive: true });
    const r = await exec(dir);
    expect(r.code).toBe(1);
    const a = join(dir, 'sessions/reply-sam-lunch');
    const b = join(dir, 'sessions/reply-sam-lunch-copy');
    expect(r.err).toContain(`${a}: its id "reply-sam-lunch" is also the id of ${b}`);
    expect(r.err).toContain(`${b}: its id "reply-sam-lunch" is also the id of ${a}`);
    expect(existsSync(join(dir, 'out/examples/reply-sam-lunch'))).toBe(false);
    expect(readdirSync(join(dir, 'out/examples')).sort()).toEqual(SESSIONS.filter((s) => s !== 'reply-sam-lunch'));
  });

  it('a sessions glob that matches nothing is a config error (exit 2) and leaves earlier outputs alone', async () => {
    const dir = await finished();
    const before = outputTreeOf(dir);
    writePipeline(dir, '../sessions/nothing-*');
    const r = await exec(dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('sessions/nothing-* matches no session');
    expect(differing(outputTreeOf(dir), before)).toEqual([]);
  });

  it('exec, a killed and re-run exec, and resume write byte-identical files', async () => {
    // the reference: what a plain exec wrote
    const expected = outputTreeOf(await prebuiltPath('trust'));

    const dir = fresh();
    const db = join(dir, '.tracepipe/cache.db');
    const proc = spawn(process.execPath, [devCli(), 'exec', 'pipelines/trust.yaml'], { cwd: dir, env: { ...process.env, CI: '1' }, stdio: 'ignore' });
    const closed = new Promise((r) => proc.once('close', r));
    // kill it once some, but not all, sessions are through normalize (its slowest stage)
    const t0 = Date.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, 20));
      if (proc.exitCode !== null || Date.now() - t0 > 20_000) break;
      if (existsSync(db) && normalized(db) >= 1) break;
    }
    proc.kill('SIGKILL');
    await closed;
    const store = new SqliteStore(db);
    const killed = store.listRuns()[0]!;
    store.close();
    expect(killed.status).toBe('running');

    const resumed = await run(dir, 'resume', killed.id);
    expect(resumed.code, resumed.err).toBe(0);
    expect(differing(outputTreeOf(dir), expected)).toEqual([]);
    rmSync(join(dir, 'out'), { recursive: true });
    expect((await exec(dir)).code).toBe(0);
    expect(differing(outputTreeOf(dir), expected)).toEqual([]);
  }, 60_000);
});
