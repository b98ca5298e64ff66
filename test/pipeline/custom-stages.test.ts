import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import { cli, repoRoot } from '../helpers/cli.ts';

/**
 * The example pipeline with its own stage module and a command stage
 * (pipelines/custom-stages.yaml), run in-process in a copy: both run, a rerun is
 * all cache hits, and `plan` names what changed in the stage's code, the command
 * or the command's declared file.
 */
const SESSIONS = ['archive-github-notification', 'send-lunch-thursday', 'search-offsite'];
const folders: string[] = [];
afterAll(() => folders.forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tp-custom-stages-'));
  folders.push(dir);
  mkdirSync(join(dir, 'pipelines'));
  cpSync(join(repoRoot, 'pipelines/custom-stages.yaml'), join(dir, 'pipelines/custom-stages.yaml'));
  cpSync(join(repoRoot, 'pipelines/stages'), join(dir, 'pipelines/stages'), { recursive: true });
  // Outside the repository `tracepipe` is not installed: the copy imports the same entry by path.
  const stage = join(dir, 'pipelines/stages/step-summary.ts');
  writeFileSync(stage, readFileSync(stage, 'utf8').replace("from 'tracepipe'", `from '${join(repoRoot, 'index.ts')}'`));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  for (const s of SESSIONS) cpSync(join(repoRoot, 'fixtures/sessions', s), join(dir, 'sessions', s), { recursive: true });
  return dir;
}

const ARGS = ['pipelines/custom-stages.yaml', '--set', 'sessions.path=../sessions/*'];

async function plan(dir: string, extra: string[] = []): Promise<Record<string, { toRun: number; reasons: Record<string, number> }>> {
  const r = await cli(['plan', ...ARGS, ...extra, '--json'], { cwd: dir, builtin: true });
  expect(r.code, r.err).toBe(0);
  const stages = (JSON.parse(r.out) as { stages: { stage: string; toRun: number; reasons: Record<string, number> }[] }).stages;
  return Object.fromEntries(stages.map((s) => [s.stage, { toRun: s.toRun, reasons: s.reasons }]));
}

function output(dir: string, stage: string, item: string): unknown {
  const store = new SqliteStore(join(dir, '.tracepipe/cache.db'));
  try {
    const result = store.latestResult(stage, item);
    return JSON.parse(store.getOutput(result!.outputHash)!) as unknown;
  } finally {
    store.close();
  }
}

describe('a pipeline with its own stage module and an exec stage', () => {
  const dir = workspace();

  it('runs both, feeding the module output to the command as JSON on stdin', async () => {
    const run = await cli(['exec', ...ARGS], { cwd: dir, builtin: true });
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/summary\s+3\s+3\s+0\s+0\s+0/);
    expect(run.out).toMatch(/score\s+3\s+3\s+0\s+0\s+0/);
    const summary = output(dir, 'summary', 'send-lunch-thursday') as { session: string; steps: number; kinds: Record<string, number> };
    expect(summary.session).toBe('send-lunch-thursday');
    expect(summary.steps).toBe(Object.values(summary.kinds).reduce((a, b) => a + b, 0));
    expect(summary.kinds['type']).toBeGreaterThan(0);
    const score = output(dir, 'score', 'send-lunch-thursday') as { session: string; typingShare: number };
    expect(score.session).toBe('send-lunch-thursday');
    expect(score.typingShare).toBe(Math.round((summary.kinds['type']! / summary.steps) * 1000) / 1000);
  });

  it('a rerun is all cache hits', async () => {
    const rerun = await cli(['exec', ...ARGS], { cwd: dir, builtin: true });
    expect(rerun.code, rerun.err).toBe(0);
    expect(rerun.out).toMatch(/summary\s+3\s+0\s+3\s+0\s+0/);
    expect(rerun.out).toMatch(/score\s+3\s+0\s+3\s+0\s+0/);
    expect(Object.values(await plan(dir)).map((s) => s.toRun)).toEqual([0, 0, 0, 0]);
  });

  it('plan names the changed command, the changed declared file, and the changed stage code or a file it imports', async () => {
    expect((await plan(dir, ['--set', 'stages.score.with.run=python3 -B stages/score.py'])).score).toEqual({
      toRun: 3,
      reasons: { 'options.run "python3 stages/score.py" -> "python3 -B stages/score.py"': 3 },
    });

    const script = join(dir, 'pipelines/stages/score.py');
    writeFileSync(script, `${readFileSync(script, 'utf8')}# edited\n`);
    const afterScript = await plan(dir);
    expect(afterScript.summary!.toRun).toBe(0);
    expect(afterScript.score).toEqual({ toRun: 3, reasons: { 'input file stages/score.py changed': 3 } });

    const stage = join(dir, 'pipelines/stages/step-summary.ts');
    const source = readFileSync(stage, 'utf8');
    writeFileSync(
      join(dir, 'pipelines/stages/idle.ts'),
      'export const isIdle = (gapMs: number, limitSeconds: number): boolean => gapMs > limitSeconds * 1000;\n',
    );
    writeFileSync(
      stage,
      source
        .replace("import { z } from 'zod';", "import { z } from 'zod';\nimport { isIdle } from './idle.ts';")
        .replace('if (gap > ctx.options.idleAfterSeconds * 1000)', 'if (isIdle(gap, ctx.options.idleAfterSeconds))'),
    );
    expect((await plan(dir)).summary).toEqual({
      toRun: 3,
      reasons: { 'input code stages/idle.ts changed': 3, 'input code stages/step-summary.ts changed': 3 },
    });
    expect((await cli(['exec', ...ARGS], { cwd: dir, builtin: true })).code).toBe(0);

    writeFileSync(
      join(dir, 'pipelines/stages/idle.ts'),
      'export const isIdle = (gapMs: number, limitSeconds: number): boolean => gapMs >= limitSeconds * 1000;\n',
    );
    expect((await plan(dir)).summary).toEqual({ toRun: 3, reasons: { 'input code stages/idle.ts changed': 3 } });
  });
});

describe('stages that cannot be used', () => {
  it('a missing module, a module whose default export is not a stage, and a missing exec file are reported at their line', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'pipelines/stages/not-a-stage.ts'), "export default { name: 'half', version: '1' };\n");
    writeFileSync(
      join(dir, 'pipelines/broken.yaml'),
      [
        'name: broken',
        'sessions: { path: ../sessions/* }',
        'stages:',
        '  load: { uses: load }',
        '  gone: { uses: ./stages/gone.ts, needs: load }',
        '  half: { uses: ./stages/not-a-stage.ts, needs: load }',
        '  score: { uses: exec, needs: load, with: { run: python3 nope.py, files: [nope.py] } }',
        '',
      ].join('\n'),
    );
    const r = await cli(['validate', 'pipelines/broken.yaml'], { cwd: dir, builtin: true });
    expect(r.code).toBe(2);
    expect(r.err.replaceAll(dir, '<ws>')).toMatchInlineSnapshot(`
      "pipelines/broken.yaml:5:17 stage module "./stages/gone.ts" does not exist
        5 |   gone: { uses: ./stages/gone.ts, needs: load }
          |                 ^^^^^^^^^^^^^^^^
        hint: Looked for <ws>/pipelines/stages/gone.ts. \`uses:\` takes a built-in stage name or a path relative to the pipeline file.

      pipelines/broken.yaml:6:17 stage module "./stages/not-a-stage.ts" does not export a stage: its default export has no \`kind\` ("map" or "aggregate")
        6 |   half: { uses: ./stages/not-a-stage.ts, needs: load }
          |                 ^^^^^^^^^^^^^^^^^^^^^^^
        hint: End it with \`export default defineStage({ name, version, kind, options, run })\`, \`defineStage\` imported from 'tracepipe'.

      pipelines/broken.yaml:7:75 exec file "nope.py" does not exist
        7 |   score: { uses: exec, needs: load, with: { run: python3 nope.py, files: [nope.py] } }
          |                                                                           ^^^^^^^
        hint: Looked for <ws>/pipelines/nope.py; files are relative to the pipeline file.
      "
    `);
  });

  it('a module that does not compile is reported at its uses: line with the compiler message', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'pipelines/stages/typo.ts'), 'export default defineStage(({ ;\n');
    writeFileSync(
      join(dir, 'pipelines/typo.yaml'),
      ['name: typo', 'sessions: { path: ../sessions/* }', 'stages:', '  load: { uses: load }', '  typo: { uses: ./stages/typo.ts, needs: load }', ''].join(
        '\n',
      ),
    );
    const r = await cli(['validate', 'pipelines/typo.yaml'], { cwd: dir, builtin: true });
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `pipelines/typo.yaml:5:17 stage module "./stages/typo.ts" failed to load: Transform failed with 1 error:\n${dir}/pipelines/stages/typo.ts:1:30: ERROR: Expected identifier but found ";"\n`,
    );
    expect(r.err).toContain('  5 |   typo: { uses: ./stages/typo.ts, needs: load }\n    |                 ^^^^^^^^^^^^^^^^\n');
  });

  it("a command's non-zero exit fails the item with its stderr; output that is not JSON fails it too", async () => {
    const dir = workspace();
    writeFileSync(
      join(dir, 'pipelines/failing.yaml'),
      [
        'name: failing',
        'sessions: { path: ../sessions/* }',
        'stages:',
        '  load: { uses: load }',
        '  exits: { uses: exec, needs: load, with: { run: "echo no such label >&2; exit 3" } }',
        '  chatty: { uses: exec, needs: load, with: { run: "echo hello" } }',
        '',
      ].join('\n'),
    );
    const r = await cli(['exec', 'pipelines/failing.yaml'], { cwd: dir, builtin: true });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/exits\s+3\s+0\s+0\s+3\s+0/);
    expect(r.err).toContain('✗ exits send-lunch-thursday: TP_STAGE command "echo no such label >&2; exit 3" exited with code 3:\nno such label\n');
    expect(r.err).toContain('✗ chatty send-lunch-thursday: TP_STAGE command "echo hello" printed output that is not JSON on stdout: hello\n');
  });

  it('diff refuses two pipelines whose one uses: text names two different modules, instead of giving both the first one', async () => {
    const a = workspace();
    const b = workspace();
    const r = await cli(['diff', 'pipelines/custom-stages.yaml', join(b, 'pipelines/custom-stages.yaml')], { cwd: a, builtin: true });
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `TP_CONFIG "uses: ./stages/step-summary.ts" names two different stage modules: ${join(a, 'pipelines/stages/step-summary.ts')} and ${join(b, 'pipelines/stages/step-summary.ts')}`,
    );
  });
});
