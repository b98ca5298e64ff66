import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../engine/cache/memory.ts';
import { loadPipeline, type Env } from '../../engine/config/index.ts';
import { executeRun, takeSnapshot } from '../../engine/run/index.ts';
import { builtinStages } from '../../stages/index.ts';
import { makeWorkspace } from '../helpers/workspace.ts';

const KEY = 'TP_ENV_TEST_KEY';
afterEach(() => void delete process.env[KEY]);

function load(ws: { dir: string }, stages: string, env: Env) {
  writeFileSync(join(ws.dir, 'suite.yaml'), readFileSync(new URL('../../pipelines/suites/gmail.yaml', import.meta.url), 'utf8'));
  writeFileSync(
    join(ws.dir, 'p.yaml'),
    `name: env\nsessions: {path: sessions/*}\nsuite: suite.yaml\nmodels:\n  m: {provider: openai, model: gpt-4.1-mini, apiKeyEnv: ${KEY}}\nstages:\n${stages}`,
  );
  return loadPipeline(join(ws.dir, 'p.yaml'), { registry: builtinStages, env, cwd: ws.dir });
}

const CLASSIFY = '  load: {uses: load}\n  normalize: {uses: normalize, needs: load}\n  classify: {uses: classify, needs: normalize, model: m}\n';

describe('the environment reaches stages through the context, never the process', () => {
  it("a check sees the environment it was given: the key set there passes, the process's own is not looked at", () => {
    const ws = makeWorkspace(1);
    expect(load(ws, CLASSIFY, { [KEY]: 'sk-given' }).ok).toBe(true);
    process.env[KEY] = 'sk-process';
    const refused = load(ws, CLASSIFY, {});
    expect(refused.ok ? [] : refused.diagnostics.map((d) => d.message)).toEqual([`the API key environment variable ${KEY} is not set (model "m")`]);
  });

  it('a command stage runs with the environment of the run', async () => {
    const ws = makeWorkspace(2);
    writeFileSync(join(ws.dir, 'probe.sh'), 'printf \'{"seen": "%s"}\' "$TP_ENV_PROBE"\n');
    const result = load(ws, '  probe: {uses: exec, with: {run: sh probe.sh, files: [probe.sh]}}\n', {});
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    const store = new MemoryStore();
    const { files } = takeSnapshot(result.pipeline, builtinStages, {});
    process.env['TP_ENV_PROBE'] = 'from the process';
    try {
      const run = await executeRun({
        pipeline: result.pipeline,
        registry: builtinStages,
        store,
        files,
        snapshot: {},
        env: { TP_ENV_PROBE: 'from the run', PATH: process.env.PATH },
      });
      expect(run.summary.failures).toEqual([]);
    } finally {
      delete process.env['TP_ENV_PROBE'];
    }
    const outputs = ['s00000', 's00001'].map((id) => JSON.parse(store.getOutput(store.latestResult('probe', id)!.outputHash)!));
    expect(outputs).toEqual([{ seen: 'from the run' }, { seen: 'from the run' }]);
  });
});
