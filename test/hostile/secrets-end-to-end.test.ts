import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import { builtinStages } from '../../stages/index.ts';
import { createApp } from '../../web/api/index.ts';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.ts';
import { cli, repoRoot } from '../helpers/cli.ts';
import { NEEDLES } from './secret-shapes.ts';
import { writeSecretsSession } from './secrets-session.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

const pipelineYaml = (baseURL: string) => `name: hostile
sessions: {path: ../sessions/*}
suite: suites/gmail.yaml
models:
  small: {provider: openai, baseURL: "${baseURL}", apiKeyEnv: TP_HOSTILE_KEY, model: fake-model, requestsPerMinute: 100000, images: false}
actionToolMaps:
  gmail: maps/gmail-tools.yaml
stages:
  load: {uses: load}
  normalize: {uses: normalize, needs: [load]}
  classify: {uses: classify, needs: [normalize], model: small, prompt: ../prompts/classify.hbs}
  synthesize: {uses: synthesize, needs: [classify, normalize], actionToolMap: gmail, thresholds: {review: 0.7}}
  write: {uses: write-examples, needs: synthesize}
`;

/**
 * A pipeline with an LLM classifier (the scripted OpenAI-compatible server) over a session
 * carrying every secret shape in SHAPES: no shape reaches the cache file or its WAL, the
 * outputs, the CLI's output, the status API's answers or any request the model server saw.
 */
describe('hostile inputs: no secret shape leaves the recording', () => {
  let server: FakeOpenAIServer;
  let dir: string;
  let store: SqliteStore;
  let exec: { code: number; out: string; err: string };

  beforeAll(async () => {
    server = await startFakeOpenAI({
      handler: () => ({
        json: { spans: [{ action: 'search_emails', startStep: 1, endStep: 2, parameters: { query: 'lunch' }, confidence: 0.9, evidence: ['step 1'] }] },
      }),
    });
    // The classify stage's key check reads the process environment.
    process.env.TP_HOSTILE_KEY = 'test-key';
    dir = mkdtempSync(join(tmpdir(), 'tp-hostile-secrets-'));
    for (const d of ['pipelines/suites', 'pipelines/maps', 'prompts']) cpSync(join(repoRoot, d), join(dir, d), { recursive: true });
    await writeSecretsSession(join(dir, 'sessions'));
    writeFileSync(join(dir, 'pipelines/hostile.yaml'), pipelineYaml(server.url));
    mkdirSync(join(dir, '.tracepipe'), { recursive: true });
    // Held open through the run, so the WAL is still there to search afterwards.
    store = new SqliteStore(join(dir, '.tracepipe/cache.db'));
    exec = await cli(['exec', 'pipelines/hostile.yaml'], { cwd: dir, env: { TP_HOSTILE_KEY: 'test-key' }, builtin: true });
  }, 60_000);
  afterAll(async () => {
    store.close();
    await server.close();
    delete process.env.TP_HOSTILE_KEY;
  });

  it('runs, sends the session to the model, and writes its example', () => {
    expect(exec.err).toBe('');
    expect(exec.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    // the recorded traffic did reach the model, masked
    expect(JSON.stringify(server.requests[0]!.body)).toContain('summarize my inbox');
    expect(JSON.stringify(server.requests[0]!.body)).toContain('[REDACTED]');
  });

  it('no shape is in cache.db, its WAL, the outputs or the CLI output', () => {
    const wal = join(dir, '.tracepipe/cache.db-wal');
    expect(existsSync(wal) && statSync(wal).size > 0).toBe(true);
    const haystacks: [string, Buffer][] = [
      ['stdout', Buffer.from(exec.out)],
      ['stderr', Buffer.from(exec.err)],
    ];
    for (const file of [...filesUnder(join(dir, '.tracepipe')), ...filesUnder(join(dir, 'out'))]) haystacks.push([file, readFileSync(file)]);
    expect(haystacks.map(([f]) => f)).toContain(wal);
    for (const [where, bytes] of haystacks) {
      for (const [name, needle] of NEEDLES) expect(bytes.includes(needle), `${name} found in ${where}`).toBe(false);
    }
  });

  it('no shape is in any request the model server received (bodies and headers)', () => {
    const text = JSON.stringify(server.requests.map((r) => ({ headers: r.headers, body: r.body })));
    for (const [name, needle] of NEEDLES) expect(text.includes(needle), name).toBe(false);
  });

  it('no shape is in the status API answers: runs, items, errors, the example and its timeline, review', async () => {
    const app = createApp({ store, requireToken: false, registry: builtinStages });
    const runId = store.listRuns(1)[0]!.id;
    const paths = ['/api/runs', `/api/runs/${runId}`, `/api/runs/${runId}/items`, `/api/runs/${runId}/errors`, '/api/examples/hostile-secrets', '/api/review'];
    const answers: string[] = [];
    for (const path of paths) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      answers.push(await res.text());
    }
    const example = JSON.parse(answers[4]!) as { timeline: { steps: { kind: string; text?: string; target?: { field?: string } }[] } };
    expect(example.timeline.steps.find((s) => s.target?.field === 'passcode' && s.kind === 'type')?.text).toBe('[REDACTED]');
    for (const [i, body] of answers.entries()) {
      for (const [name, needle] of NEEDLES) expect(body.includes(needle), `${name} in ${paths[i]}`).toBe(false);
    }
  });
});
