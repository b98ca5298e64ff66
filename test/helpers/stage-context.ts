import { hashJson, sha256 } from '../../engine/hash.ts';
import type { ResolvedPipeline, StageNode } from '../../engine/config/types.ts';
import type { AggregateContext, AggregateEntry, Annotation, ArtifactStore, Env, FileSet, Item, MapContext, Memo, Upstreams } from '../../engine/stage.ts';
import { readFileSync } from 'node:fs';
import { MemoryStore } from '../../engine/cache/memory.ts';
import { ReadRecorder } from '../../engine/run/reads.ts';
import { OutputRecorder } from '../../engine/run/written.ts';

/** In-memory stores and a plain context, for calling one stage's `run` directly in a test. */
export function memoryArtifacts(): ArtifactStore & { size(): number } {
  const m = new Map<string, { data: Uint8Array; mediaType: string }>();
  return {
    put(data, mediaType) {
      const h = sha256(data);
      m.set(h, { data, mediaType });
      return h;
    },
    get: (h) => m.get(h),
    size: () => m.size,
  };
}

export function memoryMemo(): Memo & { entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>();
  return {
    entries,
    get: (ns, k) => entries.get(`${ns}\u0000${k}`),
    set: (ns, k, v) => void entries.set(`${ns}\u0000${k}`, v),
  };
}

export function diskFiles(paths: string[] = []): FileSet {
  return { read: (p) => readFileSync(p, 'utf8'), paths: () => [...paths].sort() };
}

export function testPipeline(over: Partial<ResolvedPipeline> = {}): ResolvedPipeline {
  return {
    file: '/virtual/pipeline.yaml',
    dir: '/virtual',
    name: 'test',
    variant: null,
    sessions: { path: '/virtual/sessions/*' },
    concurrency: 4,
    outDir: '/virtual/out',
    cacheDir: '/virtual/.tracepipe',
    models: {},
    actionToolMaps: {},
    stages: [],
    ...over,
  };
}

type StageEvent = { type: string; data?: Record<string, unknown> };

/** What every stage context holds, recording what the stage emits and the metrics it adds. */
function baseContext<Opts>(opts: { options: Opts; node?: Partial<StageNode>; pipeline?: Partial<ResolvedPipeline>; signal?: AbortSignal; env?: Env }) {
  const events: StageEvent[] = [];
  const metricTotals: Record<string, number> = {};
  const pipeline = testPipeline(opts.pipeline);
  return {
    runId: 'test-run',
    node: { id: 'stage', uses: 'stage', needs: [], with: {}, ...opts.node },
    options: opts.options,
    pipeline,
    files: diskFiles(),
    artifacts: memoryArtifacts(),
    outputs: new OutputRecorder(pipeline.outDir),
    memo: memoryMemo(),
    metrics: { add: (n: string, a: number) => void (metricTotals[n] = (metricTotals[n] ?? 0) + a) },
    signal: opts.signal ?? new AbortController().signal,
    // The process's own unless the test gives one (tools such as ffmpeg are found on its PATH).
    env: opts.env ?? process.env,
    emit: (type: string, data?: Record<string, unknown>) => void events.push(data === undefined ? { type } : { type, data }),
    events,
    metricTotals,
  };
}

/**
 * `ctx.upstream` from outputs by role; each came from the stage named in `from` (the role's
 * name when absent), under key `key-<stage>`, with the decisions in `annotations`.
 */
export function upstreamOf<In extends object>(
  outputs: In,
  over: { from?: Partial<Record<keyof In, string>>; annotations?: Partial<Record<keyof In, Annotation[]>> } = {},
): Upstreams<In> {
  const out: Record<string, unknown> = {};
  for (const [role, output] of Object.entries(outputs)) {
    const stage = over.from?.[role as keyof In] ?? role;
    out[role] = { stage, output, key: `key-${stage}`, annotations: over.annotations?.[role as keyof In] ?? [] };
  }
  return out as Upstreams<In>;
}

export function mapContext<Opts, In extends object = Record<string, unknown>>(opts: {
  options: Opts;
  item?: Partial<Item>;
  /** Outputs by role, as `ctx.upstream` hands them over. */
  upstream?: In;
  inputs?: Record<string, unknown>;
  node?: Partial<StageNode>;
  pipeline?: Partial<ResolvedPipeline>;
  signal?: AbortSignal;
  env?: Env;
}): MapContext<Opts, In> & { events: StageEvent[]; metricTotals: Record<string, number>; source: ReadRecorder; outputs: OutputRecorder } {
  const item: Item = { id: 'item', path: '/virtual/item', fingerprint: 'f', ...opts.item };
  const base = baseContext(opts);
  return {
    ...base,
    item,
    source: new ReadRecorder(item, base.pipeline.cacheDir, new MemoryStore()),
    upstream: upstreamOf(opts.upstream ?? ({} as In)),
    inputs: opts.inputs ?? {},
    upstreamKeys: {},
    annotations: {},
    key: hashJson({ item, options: opts.options }),
  };
}

export function aggregateContext<Opts, In = Record<string, unknown>>(opts: {
  options: Opts;
  items: AggregateEntry<In>[];
  node?: Partial<StageNode>;
  pipeline?: Partial<ResolvedPipeline>;
}): AggregateContext<Opts, In> & { events: StageEvent[]; metricTotals: Record<string, number>; outputs: OutputRecorder } {
  return { ...baseContext(opts), items: opts.items, failures: [] };
}
