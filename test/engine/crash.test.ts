import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import { spawnTestCli, spawnTestCliSync } from '../helpers/cli.ts';
import { outputTree } from '../helpers/output-tree.ts';
import { makeWorkspace, readInvocations } from '../helpers/workspace.ts';

const PIPELINE = `name: crash
sessions: { path: sessions/* }
concurrency: 3
stages:
  read: { uses: read-text, with: { delayMs: 25 } }
  shout: { uses: transform, needs: read, with: { upper: true, delayMs: 25 } }
  mark: { uses: transform, needs: shout, with: { suffix: "!", delayMs: 5 } }
  all: { uses: collect, needs: mark }
`;

/** A deterministic pseudo-random sequence, so a failing trial can be replayed. */
function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const TRIALS_AT_ONCE = 4;

/** exec in a child process, its invocations counted in `log`. */
function execChild(cwd: string, log: string): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawnTestCli(['exec', 'p.yaml'], { cwd, env: { TRACEPIPE_TEST_INVOCATIONS: log } });
    let err = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, err }));
  });
}

function workspace() {
  const ws = makeWorkspace(24);
  writeFileSync(join(ws.dir, 'p.yaml'), PIPELINE);
  return ws;
}

describe('crash safety', () => {
  it('after SIGKILL at random points, exec completes with identical outputs and recomputes nothing that had finished', async () => {
    const reference = workspace();
    expect(spawnTestCliSync(['exec', 'p.yaml'], { cwd: reference.dir }).code).toBe(0);
    const expected = outputTree(join(reference.dir, 'out'));
    expect(Object.keys(expected)).toContain('crash/all.txt');
    const random = rng(42);
    const trials = 20;
    const delays = Array.from({ length: trials }, () => random() * 400);

    /** One trial in its own folder: kill a run `delay` ms after its first item starts, then run again. Returns whether the kill landed mid-run. */
    const trial = async (index: number): Promise<boolean> => {
      const delay = delays[index]!;
      const fresh = mkdtempSync(join(tmpdir(), 'tp-crash-'));
      cpSync(join(reference.dir, 'sessions'), join(fresh, 'sessions'), { recursive: true });
      writeFileSync(join(fresh, 'p.yaml'), PIPELINE);
      const firstLog = join(fresh, 'invocations-1.log');
      const child = spawnTestCli(['exec', 'p.yaml'], { cwd: fresh, env: { TRACEPIPE_TEST_INVOCATIONS: firstLog } });
      const closed = new Promise((r) => child.once('close', r));
      child.stdout.resume();
      child.stderr.resume();
      // wait until the child is really working, then kill it somewhere inside the run
      const t0 = Date.now();
      while (!existsSync(firstLog) && child.exitCode === null && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, delay));
      const alreadyDone = child.exitCode !== null;
      child.kill('SIGKILL');
      await closed;

      const db = join(fresh, '.tracepipe/cache.db');
      const finished = new Set<string>();
      try {
        const store = new SqliteStore(db);
        for (const run of store.listRuns()) {
          for (const i of store.runItems(run.id, { status: 'succeeded' })) if (!i.cacheHit && i.stageId !== 'all') finished.add(`${i.stageId} ${i.item}`);
        }
        store.close();
      } catch {
        // killed before the cache file was created
      }
      if (index === 0) {
        // a killed run stays `running` in the file; the CLI says it is stale
        const runs = JSON.parse(spawnTestCliSync(['runs', '--json'], { cwd: fresh }).out || '[]') as { status: string; stale: boolean }[];
        for (const r of runs) expect(r.stale).toBe(r.status === 'running');
      }

      const secondLog = join(fresh, 'invocations-2.log');
      const again = await execChild(fresh, secondLog);
      expect(again.code, again.err).toBe(0);
      // every output file, byte for byte, not only the collected text
      expect(outputTree(join(fresh, 'out'))).toEqual(expected);
      const recomputed = readInvocations(secondLog).filter((line) => finished.has(line));
      expect(recomputed, `trial ${index} (kill after ${Math.round(delay)} ms)`).toEqual([]);
      // everything not finished before the kill ran exactly once in the second run
      const second = readInvocations(secondLog).filter((l) => !l.startsWith('all '));
      expect(second.length + finished.size).toBe(72);
      const check = new SqliteStore(db);
      expect(check.integrityCheck()).toBe('ok');
      check.close();
      return !alreadyDone && finished.size > 0 && finished.size < 72;
    };

    // The trials are independent (each its own folder and cache file) and mostly wait on the
    // stages' delays, so a few run at once; the kill points are the same seeded ones.
    const landed: boolean[] = [];
    const next = { index: 0 };
    await Promise.all(
      Array.from({ length: TRIALS_AT_ONCE }, async () => {
        while (next.index < trials) {
          const index = next.index++;
          landed[index] = await trial(index);
        }
      }),
    );
    // the random points must actually land inside runs, not only before or after them
    expect(landed.filter(Boolean).length).toBeGreaterThanOrEqual(10);
  }, 240_000);

  it('two processes writing the same cache file at once both finish correctly', async () => {
    const ws = workspace();
    writeFileSync(join(ws.dir, 'q.yaml'), PIPELINE.replace('name: crash', 'name: other').replace('suffix: "!"', 'suffix: "?"'));
    const run = (file: string) =>
      new Promise<{ code: number | null; err: string }>((resolve) => {
        const child = spawnTestCli(['exec', file], { cwd: ws.dir });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        child.on('close', (code) => resolve({ code, err }));
      });
    const [a, b] = await Promise.all([run('p.yaml'), run('q.yaml')]);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    expect(readFileSync(join(ws.dir, 'out/crash/all.txt'), 'utf8')).toContain('s00007\tITEM 7!');
    expect(readFileSync(join(ws.dir, 'out/other/all.txt'), 'utf8')).toContain('s00007\tITEM 7?');
    const store = new SqliteStore(join(ws.dir, '.tracepipe/cache.db'));
    expect(store.integrityCheck()).toBe('ok');
    expect(store.listRuns().map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    store.close();
  }, 60_000);

  it('SIGINT stops scheduling, lets in-flight items finish, records the run as interrupted and exits 130; resume finishes it', async () => {
    const ws = workspace();
    const log = join(ws.dir, 'invocations.log');
    const child = spawnTestCli(['exec', 'p.yaml'], { cwd: ws.dir, env: { TRACEPIPE_TEST_INVOCATIONS: log } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.resume();
    const closed = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
    const t0 = Date.now();
    while (readInvocations(log).length < 6 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGINT');
    expect(await closed).toBe(130);
    const store = new SqliteStore(join(ws.dir, '.tracepipe/cache.db'));
    const run = store.listRuns()[0]!;
    expect(run.status).toBe('interrupted');
    expect(run.summary.succeeded).toBeLessThan(72);
    // nothing was left half-recorded: every item that ran is either finished or marked as skipped by the interruption
    expect(store.runItems(run.id).every((i) => i.status === 'succeeded' || (i.status === 'skipped' && i.error?.code === 'TP_ABORTED'))).toBe(true);
    store.close();
    expect(out).toContain(`tracepipe resume ${run.id}`);
    const resumed = spawnTestCliSync(['resume', run.id], { cwd: ws.dir, env: { TRACEPIPE_TEST_INVOCATIONS: join(ws.dir, 'resume.log') } });
    expect(resumed.code, resumed.err).toBe(0);
    expect(readInvocations(join(ws.dir, 'resume.log')).filter((l) => !l.startsWith('all ')).length).toBe(72 - run.summary.succeeded);
  }, 60_000);
});
