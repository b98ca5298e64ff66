import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { makeWorkspace } from '../helpers/workspace.ts';

function writePipeline(dir: string, body: string, name = 'p.yaml'): string {
  writeFileSync(join(dir, name), body);
  return name;
}

const BASE = `name: demo
sessions:
  path: sessions/*
models:
  cold: { provider: fake, temperature: 0 }
  warm: { provider: fake, temperature: 0.2 }
stages:
  read:
    uses: read-text
  shout:
    uses: transform
    needs: read
    with: { upper: true }
  say:
    uses: template
    needs: shout
    model: cold
    prompt: prompts/say.txt
    with: { partials: prompts/partials }
  all:
    uses: collect
    needs: say
variants:
  hot:
    stages:
      say: { model: warm }
`;

function setup(n = 3) {
  const ws = makeWorkspace(n);
  mkdirSync(join(ws.dir, 'prompts/partials'), { recursive: true });
  writeFileSync(join(ws.dir, 'prompts/say.txt'), 'Say: {{text}}');
  writeFileSync(join(ws.dir, 'prompts/partials/tone.txt'), 'calm');
  writePipeline(ws.dir, BASE);
  return ws;
}

describe('tracepipe CLI', () => {
  it('exec runs the pipeline, exits 0, and a second exec is all cache hits', async () => {
    const ws = setup();
    const r1 = await cli(['exec', 'p.yaml'], { cwd: ws.dir });
    expect(r1.err).toBe('');
    expect(r1.code).toBe(0);
    expect(r1.out).toMatch(/run \S+ succeeded/);
    expect(r1.out).toMatch(/✓ shout +3 items: 3 ran, 0 cached, 0 failed, 0 skipped/);
    expect(r1.out).toMatch(/✓ all +1 item: 1 ran, 0 cached/);
    expect(readFileSync(join(ws.dir, 'out/demo/all.txt'), 'utf8')).toContain('s00001\tSay: ITEM 1');
    const r2 = await cli(['exec', 'p.yaml', '--json'], { cwd: ws.dir });
    const events = r2.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const ran = events.filter((e) => e.type === 'item:done' && !e.cacheHit).map((e) => e.stage);
    expect(ran).toEqual(['all']);
  });

  it('exec exits 1 with an actionable per-item summary when an item fails', async () => {
    const ws = makeWorkspace(3, (i) => (i === 1 ? 'FAIL' : `x${i}`));
    writePipeline(ws.dir, 'name: f\nsessions: { path: sessions/* }\nstages:\n  read: { uses: read-text }\n  up: { uses: transform, needs: read }\n');
    const r = await cli(['exec', 'p.yaml'], { cwd: ws.dir });
    expect(r.code).toBe(1);
    expect(r.err).toContain('✗ read s00001: TP_INPUT input.txt:1 field "text": the item asks to fail');
    expect(r.err).toContain('hint: Remove FAIL from the first line of the file.');
    expect(r.out).toContain('tracepipe resume');
    const status = await cli(['status', '--json'], { cwd: ws.dir });
    const s = JSON.parse(status.out);
    expect(s.status).toBe('failed');
    expect(s.failures[0]).toMatchObject({ stageId: 'read', item: 's00001', error: { code: 'TP_INPUT' } });
    expect(s.stages.find((x: { stage: string }) => x.stage === 'up')).toMatchObject({ ran: 2, skipped: 1 });
  });

  it('validate exits 2 and prints every problem with its place', async () => {
    const ws = setup();
    writePipeline(ws.dir, BASE.replace('model: cold', 'model: cld').replace('needs: read\n', 'needs: red\n'), 'bad.yaml');
    const r = await cli(['validate', 'bad.yaml'], { cwd: ws.dir });
    expect(r.code).toBe(2);
    expect(r.err).toContain('bad.yaml:');
    expect(r.err).toContain('"cld"');
    expect(r.err).toContain('"red"');
    const ok = await cli(['validate', 'p.yaml', '--variant', 'all'], { cwd: ws.dir });
    expect(ok.out).toContain('p.yaml is valid: 4 stages, 1 variant');
  });

  it('plan explains by key part: options, prompt partial, model temperature, new stage', async () => {
    const ws = setup();
    await cli(['exec', 'p.yaml'], { cwd: ws.dir });
    const clean = await cli(['plan', 'p.yaml'], { cwd: ws.dir });
    expect(clean.out).toMatch(/all\s+1\s+0\s+1\s+always runs \(writes outputs\) \(1\)/);
    expect(clean.out).toMatch(/say\s+3\s+3\s+0/);

    const opt = await cli(['plan', 'p.yaml', '--set', 'stages.shout.with.suffix=yo'], { cwd: ws.dir });
    expect(opt.out).toMatch(/shout\s+3\s+0\s+3\s+options\.suffix "" -> yo \(3\)/);
    expect(opt.out).toMatch(/say\s+3\s+0\s+3\s+upstream shout will run \(3\)/);

    writeFileSync(join(ws.dir, 'prompts/partials/tone.txt'), 'excited');
    const partial = await cli(['plan', 'p.yaml'], { cwd: ws.dir });
    expect(partial.out).toMatch(/say\s+3\s+0\s+3\s+partial prompts\/partials\/tone.txt changed \(3\)/);
    writeFileSync(join(ws.dir, 'prompts/partials/tone.txt'), 'calm');

    const temp = await cli(['plan', 'p.yaml', '--variant', 'hot'], { cwd: ws.dir });
    expect(temp.out).toMatch(/say\s+3\s+0\s+3\s+model cold -> warm \(temperature differ\) \(3\)/);
    const temp2 = await cli(['plan', 'p.yaml', '--set', 'models.cold.temperature=0.2'], { cwd: ws.dir });
    expect(temp2.out).toMatch(/model cold\.temperature 0 -> 0\.2 \(3\)/);
    // upstream cached: the stage's own estimate of what it would spend ("ITEM n" is 6 characters)
    expect(temp2.out).toContain('estimate say: llm.calls ~3, llm.inputTokens ~18');
    expect(opt.out).toContain('estimate say: nothing (+3 sessions not estimated: an upstream stage runs first)');

    writePipeline(ws.dir, BASE.replace('  all:\n', '  again:\n    uses: transform\n    needs: say\n  all:\n'), 'p2.yaml');
    const added = await cli(['plan', 'p2.yaml'], { cwd: ws.dir });
    expect(added.out).toMatch(/again\s+3\s+0\s+3\s+never run \(3\)/);
  });

  it('diff shows config changes, prompt text diffs and invalidated stages with session counts', async () => {
    const ws = setup();
    await cli(['exec', 'p.yaml'], { cwd: ws.dir });
    mkdirSync(join(ws.dir, 'prompts2/partials'), { recursive: true });
    writeFileSync(join(ws.dir, 'prompts2/say.txt'), 'Say: {{text}}');
    writeFileSync(join(ws.dir, 'prompts2/partials/tone.txt'), 'excited');
    writePipeline(
      ws.dir,
      BASE.replace('prompts/say.txt', 'prompts2/say.txt')
        .replace('partials: prompts/partials', 'partials: prompts2/partials')
        .replace('temperature: 0 }', 'temperature: 0.5 }'),
      'b.yaml',
    );
    const r = await cli(['diff', 'p.yaml', 'b.yaml'], { cwd: ws.dir });
    expect(r.code).toBe(0);
    expect(r.out).toContain('models.cold.temperature: 0 -> 0.5');
    expect(r.out).toContain('stages.say.prompt: prompts/say.txt -> prompts2/say.txt');
    expect(r.out).toContain('-calm');
    expect(r.out).toContain('+excited');
    expect(r.out).toMatch(/say\s+3 of 3\s+.*model cold\.temperature 0 -> 0\.5/);
    expect(r.out).toMatch(/all\s+0 \(if upstream output changes\)\s+upstream say changed/);
    expect(r.out).toContain('--- a/prompts/partials/tone.txt');
    expect(r.out).toContain('+++ b/prompts2/partials/tone.txt');
    expect(r.out).not.toContain('a/prompts/say.txt');
    expect(r.out).not.toMatch(/^\s+shout\s/m);
  });

  it('resume re-runs the recorded config even after the YAML changed, reusing every finished item', async () => {
    const ws = setup();
    const first = await cli(['exec', 'p.yaml', '--json'], { cwd: ws.dir });
    const runId = JSON.parse(first.out.split('\n')[0]!).runId as string;
    writeFileSync(join(ws.dir, 'p.yaml'), BASE.replace('upper: true', 'upper: false'));
    writeFileSync(join(ws.dir, 'prompts/say.txt'), 'CHANGED {{text}}');
    const r = await cli(['resume', runId, '--json'], { cwd: ws.dir });
    expect(r.code).toBe(0);
    const events = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ type: 'run:start', resumedFrom: runId });
    expect(events.filter((e) => e.type === 'item:done' && !e.cacheHit).map((e) => e.stage)).toEqual(['all']);
    expect(readFileSync(join(ws.dir, 'out/demo/all.txt'), 'utf8')).toContain('Say: ITEM 0');
  });

  it('runs and gc report in text and JSON', async () => {
    const ws = setup();
    for (let i = 0; i < 3; i++) await cli(['exec', 'p.yaml', '--set', `stages.shout.with.suffix=s${i}`], { cwd: ws.dir });
    const runs = JSON.parse((await cli(['runs', '--json'], { cwd: ws.dir })).out);
    expect(runs).toHaveLength(3);
    const dry = JSON.parse((await cli(['gc', '--dry-run', '--keep-runs', '1', '--json'], { cwd: ws.dir })).out);
    expect(dry).toMatchObject({ dryRun: true, runsDropped: 2 });
    expect(dry.resultsDropped).toBe(12);
    const real = await cli(['gc', '--keep-runs', '1'], { cwd: ws.dir });
    expect(real.out).toMatch(/dropped 2 runs, 12 stage results/);
    const plan = await cli(['plan', 'p.yaml', '--set', 'stages.shout.with.suffix=s2'], { cwd: ws.dir });
    expect(plan.out).toMatch(/shout\s+3\s+3\s+0/);
  });
});

describe('tracepipe CLI: stopping early and git revisions', () => {
  it('--fail-fast stops scheduling at the first failed item', async () => {
    const ws = makeWorkspace(30, (i) => (i === 0 ? 'FAIL' : `x${i}`));
    writePipeline(ws.dir, 'name: ff\nsessions: { path: sessions/* }\nconcurrency: 1\nstages:\n  read: { uses: read-text, with: { delayMs: 5 } }\n');
    const r = await cli(['exec', 'p.yaml', '--fail-fast', '--json'], { cwd: ws.dir });
    expect(r.code).toBe(1);
    const done = r.out.split('\n').filter((l) => l.includes('"item:done"')).length;
    expect(done).toBeLessThan(29);
    expect(JSON.parse(r.out.trim().split('\n').pop()!)).toMatchObject({ type: 'run:end', status: 'failed' });
  });

  it('diff --rev compares the file and its prompts with a git revision', async () => {
    const ws = setup();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: ws.dir, encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    await cli(['exec', 'p.yaml'], { cwd: ws.dir });
    writeFileSync(join(ws.dir, 'prompts/partials/tone.txt'), 'lively');
    writeFileSync(join(ws.dir, 'p.yaml'), BASE.replace('temperature: 0 }', 'temperature: 0.7 }'));
    const r = await cli(['diff', 'p.yaml', '--rev', 'HEAD'], { cwd: ws.dir });
    expect(r.code).toBe(0);
    expect(r.out).toContain('config (p.yaml@HEAD → p.yaml (working tree))');
    expect(r.out).toContain('models.cold.temperature: 0 -> 0.7');
    expect(r.out).toContain('-calm');
    expect(r.out).toContain('+lively');
    expect(r.out).toMatch(/say\s+3 of 3\s+model cold\.temperature 0 -> 0\.7; partial prompts\/partials\/tone\.txt changed/);
    const bad = await cli(['diff', 'p.yaml', '--rev', 'no-such-rev'], { cwd: ws.dir });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('cannot read p.yaml at git revision no-such-rev');
  });
});
