import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { StageNode } from '../../engine/config/types.ts';
import type { Classification, ClassifiedSpan } from '../../domain/session/classification.ts';
import type { Step, Timeline } from '../../domain/session/timeline.ts';
import { diskFiles, mapContext } from '../helpers/stage-context.ts';
import type { Example } from '../../domain/example/index.ts';
import { SynthesizeOptions, synthesizeStage } from '../../stages/synthesize/index.ts';
import type { Annotation } from '../../engine/stage.ts';

/** Hand-made inputs for the synthesize stage, over the repo's real suite, map and prompts. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PIPELINE_DIR = path.join(ROOT, 'pipelines');
export const SUITE_FILE = path.join(PIPELINE_DIR, 'suites/gmail.yaml');
export const MAP_FILE = path.join(PIPELINE_DIR, 'maps/gmail-tools.yaml');
export const PROMPTS = [path.join(ROOT, 'prompts/system.hbs'), path.join(ROOT, 'prompts/user.hbs')];

export function gmailMapValue(): unknown {
  return parse(readFileSync(MAP_FILE, 'utf8'));
}

function step(id: number, over: Partial<Step> = {}): Step {
  return { id, kind: 'click', t0: id * 1000, t1: id * 1000 + 100, network: [], sourceEvents: [`input_events.jsonl:${id}`], ...over };
}

export function timeline(sessionId = 'sess-001', over: Partial<Timeline> = {}): Timeline {
  return {
    sessionId,
    suite: 'gmail',
    app: 'mailapp',
    description: 'Email Ana the Q3 numbers, then archive the newsletter m-0007.',
    steps: [
      step(1, { kind: 'click', target: { name: 'Compose' } }),
      step(2, { kind: 'type', text: 'ana@example.com', sourceEvents: ['input_events.jsonl:2', 'input_events.jsonl:3'] }),
      step(3, {
        kind: 'click',
        target: { name: 'Send' },
        network: [
          {
            id: 'har:4',
            t: 3050,
            method: 'POST',
            url: 'http://127.0.0.1/api/messages/send',
            status: 200,
            requestBody: { to: ['ana@example.com'], cc: [], subject: 'Q3 numbers', body: 'Attached.' },
            responseBody: { id: 'm-0101', labels: ['SENT'] },
          },
        ],
      }),
      step(4, {
        kind: 'click',
        target: { name: 'Archive' },
        network: [{ id: 'har:5', t: 4050, method: 'POST', url: 'http://127.0.0.1/api/messages/m-0007/modify', status: 204 }],
      }),
    ],
    preamble: [],
    labels: [
      { action: 'send_email', parameters: { to: ['ana@example.com'], cc: [], subject: 'Q3 numbers', body: 'Attached.' } },
      { action: 'modify_labels', parameters: { message_id: 'm-0007', add_labels: [], remove_labels: ['INBOX'] } },
    ],
    ...over,
  };
}

export const sendSpan: ClassifiedSpan = {
  action: 'send_email',
  startStep: 1,
  endStep: 3,
  parameters: { to: ['ana@example.com'], cc: [], subject: 'Q3 numbers', body: 'Attached.' },
  confidence: 0.95,
  evidence: ['step 3: POST /api/messages/send'],
};
export const archiveSpan: ClassifiedSpan = {
  action: 'modify_labels',
  startStep: 4,
  endStep: 4,
  parameters: { message_id: 'm-0007', add_labels: [], remove_labels: ['INBOX'] },
  confidence: 0.9,
  evidence: ['step 4: POST /api/messages/m-0007/modify'],
};

export function classification(sessionId = 'sess-001', spans: ClassifiedSpan[] = [sendSpan, archiveSpan]): Classification {
  return {
    sessionId,
    provider: 'openai',
    modelId: 'gpt-4.1-mini',
    spans,
    usage: { calls: 1, promptTokens: 1200, completionTokens: 150, costUsd: 0.0012, latencyMs: 850 },
  };
}

export const classifyNode: StageNode = {
  id: 'classify',
  uses: 'classify',
  needs: ['normalize'],
  with: {},
  model: {
    name: 'strong',
    config: {
      provider: 'openai',
      model: 'gpt-4.1-mini',
      temperature: 0,
      apiKeyEnv: 'OPENAI_API_KEY',
      apiKey: 'sk-live-123',
      headers: { Authorization: 'Bearer abc' },
    },
  },
};

export function synthesizeContext(opts: {
  sessionId?: string;
  timeline?: Timeline;
  classification?: Classification;
  options?: Partial<SynthesizeOptions>;
  thresholds?: Record<string, number>;
  annotations?: Annotation[];
  mapValue?: unknown;
  outDir?: string;
  runId?: string;
}) {
  const sessionId = opts.sessionId ?? 'sess-001';
  const options = SynthesizeOptions.parse(opts.options ?? {});
  const ctx = mapContext({
    options,
    item: { id: sessionId, path: `/virtual/sessions/${sessionId}` },
    inputs: { classify: opts.classification ?? classification(sessionId), normalize: opts.timeline ?? timeline(sessionId) },
    upstream: { classification: opts.classification ?? classification(sessionId), timeline: opts.timeline ?? timeline(sessionId) },
    node: {
      id: 'synthesize',
      uses: 'synthesize',
      needs: ['classify', 'normalize'],
      with: options,
      actionToolMap: { name: 'gmail', file: MAP_FILE, value: opts.mapValue ?? gmailMapValue() },
      thresholds: opts.thresholds ?? { review: 0.7 },
    },
    pipeline: { dir: PIPELINE_DIR, suite: SUITE_FILE, stages: [classifyNode], ...(opts.outDir ? { outDir: opts.outDir } : {}) },
  });
  ctx.files = diskFiles([...PROMPTS, SUITE_FILE]);
  ctx.upstreamKeys = { classify: `key-classify-${sessionId}`, normalize: `key-normalize-${sessionId}` };
  ctx.annotations = opts.annotations ? { classify: opts.annotations } : {};
  ctx.upstream = {
    classification: {
      stage: 'classify',
      output: ctx.inputs['classify'] as Classification,
      key: ctx.upstreamKeys['classify']!,
      annotations: opts.annotations ?? [],
    },
    timeline: { stage: 'normalize', output: ctx.inputs['normalize'] as Timeline, key: ctx.upstreamKeys['normalize']!, annotations: [] },
  };
  if (opts.runId) ctx.runId = opts.runId;
  return ctx;
}

export async function synthesizeExample(opts: Parameters<typeof synthesizeContext>[0] = {}): Promise<Example> {
  return (await synthesizeStage.run(synthesizeContext(opts))) as Example;
}

export function review(span: number, decision: 'accept' | 'fix' | 'reject', createdAt: string, extra: Record<string, unknown> = {}): Annotation {
  return { subjectKey: 'key-classify-sess-001', kind: 'review', payload: { span, decision, ...extra }, createdAt };
}
