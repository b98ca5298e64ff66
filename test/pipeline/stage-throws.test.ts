import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import type { ErrorInfo } from '../../engine/errors.ts';
import { createApp } from '../../web/api/index.ts';
import { repoRoot } from '../helpers/cli.ts';

/**
 * A pipeline's own stage module that throws a plain Error (with a key and the item's
 * absolute path in its message): the failure is TP_STAGE, and its cause (the error and
 * the frames in the module, then in tracepipe) is shown everywhere a failure is, with
 * the key masked and no absolute path, so the stored failure is the same wherever the
 * pipeline lies. The CLI runs in a child process, as people run it: the frames' lines
 * are those of the module's source (vitest's own stack handling would show tsx's output).
 */
const KEY = `sk-proj-${'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0'}`;
const STAGE = `import { z } from 'zod';
import { defineStage } from ${JSON.stringify(join(repoRoot, 'index.ts'))};

function explode(where: string): never {
  throw new Error(\`no summary for \${where} (sent with key ${KEY})\`);
}

export default defineStage({
  name: 'boom',
  version: '1',
  kind: 'map',
  options: z.strictObject({}),
  run: (ctx) => explode(ctx.item.path),
});
`;
const PIPELINE = `name: boom
sessions: { path: sessions/* }
stages:
  load: { uses: load }
  boom: { uses: ./boom.ts, needs: load }
`;

const MESSAGE = 'no summary for sessions/send-lunch-thursday (sent with key [REDACTED])';
const HINT = 'The stage threw an unexpected error; see the cause.';
/** The module's frames exactly; the runner's by shape (its line moves as the runner changes). */
const CAUSE = new RegExp(
  `^${escape(`Error: ${MESSAGE}\n  at explode (boom.ts:5:9)\n  at Object.run (boom.ts:13:17)\n  at RunExecution.#invoke (tracepipe/engine/run/runner.ts:`)}\\d+:\\d+\\)$`,
);

const folders: string[] = [];
afterAll(() => folders.forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tp-stage-throws-'));
  folders.push(dir);
  writeFileSync(join(dir, 'p.yaml'), PIPELINE);
  writeFileSync(join(dir, 'boom.ts'), STAGE);
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  cpSync(join(repoRoot, 'fixtures/sessions/send-lunch-thursday'), join(dir, 'sessions/send-lunch-thursday'), { recursive: true });
  return dir;
}

// The sources through tsx, not the test bundle: the frames asserted here are the sources' own files and lines.
const DEV_CLI = join(repoRoot, 'bin/tracepipe-dev.js');

function tracepipe(dir: string, args: string[]) {
  const r = spawnSync(process.execPath, [DEV_CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function storedFailure(dir: string): { runId: string; error: ErrorInfo } {
  const store = new SqliteStore(join(dir, '.tracepipe/cache.db'));
  try {
    const runId = store.listRuns(1)[0]!.id;
    const [failed, ...more] = store.runItems(runId, { status: 'failed' });
    expect(more).toEqual([]);
    expect(failed!.stageId).toBe('boom');
    return { runId, error: failed!.error! };
  } finally {
    store.close();
  }
}

/** The failure block a run summary and `status` print: the message, the hint, the cause with its frames. */
function expectFailureBlock(text: string) {
  const start = text.indexOf('  ✗ boom send-lunch-thursday:');
  expect(start, text).toBeGreaterThan(-1);
  const lines = text.slice(start).split('\n').slice(0, 6);
  expect(lines.slice(0, 5)).toEqual([
    `  ✗ boom send-lunch-thursday: TP_STAGE ${MESSAGE}`,
    `      hint: ${HINT}`,
    `      cause: Error: ${MESSAGE}`,
    '          at explode (boom.ts:5:9)',
    '          at Object.run (boom.ts:13:17)',
  ]);
  expect(lines[5]).toMatch(/^ {10}at RunExecution\.#invoke \(tracepipe\/engine\/run\/runner\.ts:\d+:\d+\)$/);
  expect(text.split('✗ boom send-lunch-thursday').length - 1).toBe(1);
}

describe('a stage module that throws a plain Error', () => {
  const dir = workspace();

  it('fails its item as TP_STAGE, and the run summary shows the cause with the frames in the module', async () => {
    const run = tracepipe(dir, ['exec', 'p.yaml']);
    expect(run.code).toBe(1);
    expectFailureBlock(run.out);
    expect(run.out + run.err).not.toContain(dir);
    expect(run.out + run.err).not.toContain(KEY);
    const { error } = storedFailure(dir);
    expect(error).toEqual({ code: 'TP_STAGE', message: MESSAGE, hint: HINT, cause: expect.stringMatching(CAUSE) });
  });

  it('tracepipe status RUN shows the same failure with its cause', async () => {
    const { runId } = storedFailure(dir);
    const status = tracepipe(dir, ['status', runId]);
    expect(status.code, status.err).toBe(0);
    expectFailureBlock(status.out);
  });

  it('exec --json gives the cause in the item:failed event and the run:end summary', async () => {
    const run = tracepipe(dir, ['exec', 'p.yaml', '--json']);
    expect(run.code).toBe(1);
    expect(run.err).toBe('');
    const events = run.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; error?: ErrorInfo; summary?: { failures: { error: ErrorInfo }[] } });
    const failed = events.filter((e) => e.type === 'item:failed');
    const end = events.find((e) => e.type === 'run:end');
    const { error } = storedFailure(dir);
    expect(failed.map((e) => e.error)).toEqual([error]);
    expect(end?.summary?.failures.map((f) => f.error)).toEqual([error]);
    expect(run.out).not.toContain(KEY);
  });

  it("the API's failure views give the cause", async () => {
    const { runId, error } = storedFailure(dir);
    const store = new SqliteStore(join(dir, '.tracepipe/cache.db'));
    try {
      const app = createApp({ store, requireToken: false, registry: {} });
      const { errors } = (await (await app.request(`/api/runs/${runId}/errors`)).json()) as { errors: Record<string, unknown>[] };
      expect(errors.map((e) => [e.code, e.message, e.hint, e.cause])).toEqual([['TP_STAGE', MESSAGE, HINT, error.cause]]);
      const { items } = (await (await app.request(`/api/runs/${runId}/items?status=failed`)).json()) as { items: { error: ErrorInfo }[] };
      expect(items.map((i) => i.error)).toEqual([error]);
    } finally {
      store.close();
    }
  });

  it('stores the same failure for the same pipeline in another folder', async () => {
    const other = workspace();
    expect(tracepipe(other, ['exec', 'p.yaml']).code).toBe(1);
    expect(storedFailure(other).error).toEqual(storedFailure(dir).error);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
