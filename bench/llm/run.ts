/**
 * bench/llm: 500 sessions through the classify stage (openai provider, real SDK)
 * against the local fake server with 200 ms latency and a limit of 20 requests
 * per second (429 + Retry-After beyond). Prints:
 *   - wall time against the ideal requests / 20 s, and the 429s provoked
 *   - a run killed halfway (abort) and resumed: how many requests the resume makes
 *   - image bytes and estimated input tokens per session, with and without keyframes
 * Usage: npm run bench:llm [-- --sessions 500 --json]
 */
import { setMaxListeners } from 'node:events';
import { classifyStage, ClassifyOptions, OpenAIModelConfig } from '../../stages/classify/index.ts';
import { estimatePromptTokens } from '../../stages/classify/openai/prompt-tokens.ts';
import type { Timeline } from '../../domain/session/timeline.ts';
import type { Memo } from '../../engine/stage.ts';
import { diskFiles, mapContext, memoryArtifacts, memoryMemo } from '../../test/helpers/stage-context.ts';
import { startFakeOpenAI, type RecordedRequest } from '../../test/fakes/index.ts';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { FRAME, makeKeyframes, makeSession } from './sessions.ts';

const args = process.argv.slice(2);
const SESSIONS = Number(args[args.indexOf('--sessions') + 1]) || 500;
const RATE = 20;
const LATENCY_MS = 200;
const ITEM_CONCURRENCY = 32;
const KEY_ENV = 'TP_BENCH_OPENAI_KEY';
process.env[KEY_ENV] = 'sk-bench';

const SUITE = new URL('../../pipelines/suites/gmail.yaml', import.meta.url).pathname;
const artifacts = memoryArtifacts();
const frames = await makeKeyframes(artifacts);
const sessions = Array.from({ length: SESSIONS }, (_, i) => makeSession(i, frames));

// The rate-limited server runs in its own process, like a real endpoint.
const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./server.ts', import.meta.url)), String(LATENCY_MS), String(RATE)], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const [firstLine] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
const serverUrl = (JSON.parse(firstLine) as { url: string }).url;
const stats = async () =>
  (await (await fetch(serverUrl.replace(/\/v1$/, '/__stats'))).json()) as {
    requests: number;
    rateLimited: number;
    firstAt: number;
    lastAt: number;
    limitedAt: number[];
  };

const model = {
  provider: 'openai',
  baseURL: serverUrl,
  apiKeyEnv: KEY_ENV,
  model: 'bench-model',
  concurrency: 8,
  requestsPerMinute: RATE * 60,
  maxRetries: 8,
  timeoutMs: 10_000,
  images: true,
  imageDetail: 'low',
  price: { inputPerMTok: 0.15, outputPerMTok: 0.6 },
};
const options = ClassifyOptions.parse({});

function context(t: Timeline, memo: Memo, signal: AbortSignal) {
  const ctx = mapContext({
    options,
    item: { id: t.sessionId },
    upstream: { timeline: t },
    node: { id: 'classify', uses: 'classify', needs: ['normalize'], model: { name: 'bench', config: model } },
    pipeline: { suite: SUITE },
    signal,
  });
  ctx.files = diskFiles(classifyStage.keyFiles!(ctx.node, ctx.pipeline).map((f) => f.path));
  ctx.memo = memo;
  ctx.artifacts = artifacts;
  return ctx;
}

async function runAll(memo: Memo, signal: AbortSignal) {
  setMaxListeners(0, signal); // one run-wide signal, listened to by every in-flight call
  // Items run ITEM_CONCURRENCY at a time, as the engine runs them; the model's queue sets the request rate.
  const results: PromiseSettledResult<unknown>[] = [];
  let next = 0;
  const worker = async () => {
    while (next < sessions.length) {
      const i = next++;
      results[i] = await Promise.resolve()
        .then(() => classifyStage.run(context(sessions[i]!, memo, signal)))
        .then(
          (value) => ({ status: 'fulfilled' as const, value }),
          (reason: unknown) => ({ status: 'rejected' as const, reason }),
        );
    }
  };
  await Promise.all(Array.from({ length: ITEM_CONCURRENCY }, worker));
  return { ok: results.filter((r) => r.status === 'fulfilled').length, failed: results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[] };
}

// 1. A full run from an empty request cache.
const t0 = performance.now();
const full = await runAll(memoryMemo(), new AbortController().signal);
const wallS = (performance.now() - t0) / 1000;
const afterFull = await stats();
const fullRequests = afterFull.requests;
const ideal = fullRequests / RATE;
const rateLimited = afterFull.rateLimited;

// 2. A second run killed halfway, then resumed with the same request cache.
const memo = memoryMemo();
const ac = new AbortController();
const watcher = setInterval(() => {
  if (memo.entries.size >= SESSIONS / 2) ac.abort(new Error('killed halfway'));
}, 5);
const killed = await runAll(memo, ac.signal);
clearInterval(watcher);
// requests the client abandoned may still be arriving at the server; let them land before counting
await new Promise((r) => setTimeout(r, LATENCY_MS + 300));
const savedBeforeKill = memo.entries.size;
const afterKill = await stats();
const killedRequests = afterKill.requests - afterFull.requests;
const resumed = await runAll(memo, new AbortController().signal);
const afterResume = await stats();
const resumeRequests = afterResume.requests - afterKill.requests;
const rateLimitedAfter = afterResume.rateLimited - rateLimited;
child.stdin!.end();

// 3. What each session sends to the model, with and without keyframes: the bodies, captured by an
//    unlimited in-process server (same requests as above; a fresh cache so every one is sent).
const capture = await startFakeOpenAI({ handler: () => ({ json: { spans: [] } }) });
model.baseURL = capture.url;
await runAll(memoryMemo(), new AbortController().signal);
const bodies = capture.requests.map((r) => r.body);
await capture.close();
// The stage's own estimate (stages/classify/openai/prompt-tokens.ts): text and schema with o200k_base,
// images by the family rule, for a tile-priced (gpt-4o, low detail) and a patch-priced (gpt-4.1-mini) model.
const FAMILIES = ['gpt-4o', 'gpt-4.1-mini'] as const;
const configFor = (m: string) => OpenAIModelConfig.parse({ ...model, model: m });
const perSession = bodies.map((body: RecordedRequest['body']) => {
  const messages = body.messages as { content: string | { type: string; image_url?: { url: string } }[] }[];
  const parts = messages.flatMap((m) => (typeof m.content === 'string' ? [] : m.content));
  const imageParts = parts.filter((p) => p.type === 'image_url');
  const frames = imageParts.map(() => FRAME);
  const schema = body.response_format.json_schema.schema;
  const byFamily = Object.fromEntries(FAMILIES.map((f) => [f, estimatePromptTokens(messages as never, frames, schema, configFor(f))]));
  const noImages = estimatePromptTokens(messages as never, [], schema, configFor('gpt-4o'));
  return {
    images: imageParts.length,
    imageBytes: imageParts.reduce((n, p) => n + Buffer.from(p.image_url!.url.split(',')[1]!, 'base64').length, 0),
    requestBytes: JSON.stringify(body).length,
    schemaTokens: noImages.schema,
    withoutImages: noImages.total - noImages.images,
    withImages: Object.fromEntries(FAMILIES.map((f) => [f, byFamily[f]!.total])) as Record<(typeof FAMILIES)[number], number>,
  };
});
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const report = {
  sessions: SESSIONS,
  server: { latencyMs: LATENCY_MS, ratePerSecond: RATE },
  itemConcurrency: ITEM_CONCURRENCY,
  fullRun: {
    ok: full.ok,
    failed: full.failed.length,
    requests: fullRequests,
    wallSeconds: +wallS.toFixed(2),
    idealSeconds: +ideal.toFixed(2),
    overIdealPct: +((100 * (wallS - ideal)) / ideal).toFixed(1),
    rateLimited429: rateLimited,
  },
  killAndResume: {
    killedRunOk: killed.ok,
    killedRunAborted: killed.failed.filter((f) => (f.reason as { code?: string }).code === 'TP_ABORTED').length,
    requestsBeforeKill: killedRequests,
    successfulCallsSavedBeforeKill: savedBeforeKill,
    resumeRequests,
    resumeOk: resumed.ok,
    repeatedSuccessfulCalls: Math.max(0, resumeRequests - (SESSIONS - savedBeforeKill)),
    rateLimited429: rateLimitedAfter,
  },
  perSession: {
    keyframesMean: +mean(perSession.map((s) => s.images)).toFixed(2),
    imageBytesMean: Math.round(mean(perSession.map((s) => s.imageBytes))),
    imageBytesMedian: median(perSession.map((s) => s.imageBytes)),
    inputTokensWithKeyframesMean: Object.fromEntries(FAMILIES.map((f) => [f, Math.round(mean(perSession.map((s) => s.withImages[f])))])),
    inputTokensWithoutKeyframesMean: Math.round(mean(perSession.map((s) => s.withoutImages))),
    schemaTokens: perSession[0]?.schemaTokens ?? 0,
    requestBodyBytesMean: Math.round(mean(perSession.map((s) => s.requestBytes))),
  },
};

if (args.includes('--json')) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
else {
  const f = report.fullRun,
    k = report.killAndResume,
    p = report.perSession;
  process.stdout.write(
    [
      `bench/llm: ${SESSIONS} sessions, server latency ${LATENCY_MS} ms, limit ${RATE} req/s`,
      `full run     ${f.requests} requests in ${f.wallSeconds} s (ideal ${f.idealSeconds} s, ${f.overIdealPct >= 0 ? '+' : ''}${f.overIdealPct}%), 429s provoked: ${f.rateLimited429}, ok ${f.ok}, failed ${f.failed}`,
      `kill halfway ${k.requestsBeforeKill} requests, ${k.successfulCallsSavedBeforeKill} successful calls cached, ${k.killedRunAborted} items aborted`,
      `resume       ${k.resumeRequests} requests (needed ${SESSIONS - k.successfulCallsSavedBeforeKill}; successful calls repeated: ${k.repeatedSuccessfulCalls}), ok ${k.resumeOk}`,
      `per session  ${p.keyframesMean} keyframes, image bytes mean ${p.imageBytesMean} (median ${p.imageBytesMedian}), request body ${p.requestBodyBytesMean} B`,
      `input tokens without keyframes ${p.inputTokensWithoutKeyframesMean} (of which the schema ${p.schemaTokens}); with keyframes ${FAMILIES.map((f) => `${p.inputTokensWithKeyframesMean[f]} as ${f}`).join(', ')} (${FRAME.width}x${FRAME.height} frames, low detail)`,
      '',
    ].join('\n'),
  );
}
