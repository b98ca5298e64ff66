import { hashJson, sha256 } from '../../engine/hash.ts';
import type { ResolvedPipeline, StageNode } from '../../engine/config/types.ts';
import type { AggregateContext, AggregateEntry, ArtifactStore, FileSet, Item, MapContext, Memo } from '../../engine/stage.ts';
import { readFileSync } from 'node:fs';

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

export function mapContext<Opts>(opts: {
  options: Opts;
  item?: Partial<Item>;
  inputs?: Record<string, unknown>;
  node?: Partial<StageNode>;
  pipeline?: Partial<ResolvedPipeline>;
  signal?: AbortSignal;
}): MapContext<Opts> & { events: { type: string; data?: Record<string, unknown> }[]; metricTotals: Record<string, number> } {
  const events: { type: string; data?: Record<string, unknown> }[] = [];
  const metricTotals: Record<string, number> = {};
  const item: Item = { id: 'item', path: '/virtual/item', fingerprint: 'f', ...opts.item };
  return {
    runId: 'test-run',
    node: { id: 'stage', uses: 'stage', needs: [], with: {}, ...opts.node },
    options: opts.options,
    pipeline: testPipeline(opts.pipeline),
    files: diskFiles(),
    artifacts: memoryArtifacts(),
    memo: memoryMemo(),
    metrics: { add: (n, a) => void (metricTotals[n] = (metricTotals[n] ?? 0) + a) },
    signal: opts.signal ?? new AbortController().signal,
    emit: (type, data) => void events.push(data === undefined ? { type } : { type, data }),
    item,
    inputs: opts.inputs ?? {},
    upstreamKeys: {},
    annotations: {},
    key: hashJson({ item, options: opts.options }),
    events,
    metricTotals,
  };
}

export function aggregateContext<Opts>(opts: {
  options: Opts;
  items: AggregateEntry[];
  node?: Partial<StageNode>;
  pipeline?: Partial<ResolvedPipeline>;
}): AggregateContext<Opts> {
  return {
    runId: 'test-run',
    node: { id: 'stage', uses: 'stage', needs: [], with: {}, ...opts.node },
    options: opts.options,
    pipeline: testPipeline(opts.pipeline),
    files: diskFiles(),
    artifacts: memoryArtifacts(),
    memo: memoryMemo(),
    metrics: { add: () => {} },
    signal: new AbortController().signal,
    emit: () => {},
    items: opts.items,
    failures: [],
  };
}
