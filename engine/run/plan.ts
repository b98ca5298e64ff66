import type { ErrorInfo } from '../errors.ts';
import { discoverItems } from '../items.ts';
import type { Cache, KeyParts, Reads } from '../cache/types.ts';
import type { ResolvedPipeline } from '../config/types.ts';
import type { ArtifactStore, Item, MapStage, Memo, StageRegistry } from '../stage.ts';
import { clashingItems } from './clashes.ts';
import { changedReads, inputsOf } from './reads.ts';
import { upstreamByRole } from './upstream.ts';
import type { SnapshotFiles } from './files.ts';
import {
  aggregateDynamicParts,
  upstreamFailure,
  explainChange,
  SESSION_CHANGED,
  mapDynamicParts,
  prepareNodes,
  resultKey,
  upstreamAnnotations,
} from './keys.ts';

export interface StagePlan {
  stage: string;
  uses: string;
  kind: 'map' | 'aggregate';
  total: number;
  cached: number;
  toRun: number;
  /** Items known to fail without running anything (a value the stage says must be unique is shared). */
  failing: number;
  /** Items a run would skip because an upstream result of theirs fails. */
  skipped: number;
  /** Reason → how many items it applies to. */
  reasons: Record<string, number>;
  /** Summed estimates of the items that would run (stages with an `estimate` hook), e.g. model calls and tokens. */
  estimate: Record<string, number>;
  /** Items that would run but could not be estimated because an upstream stage has to run first. */
  unestimated: number;
  /** The `estimate` figures that are exact counts; the others are estimates. */
  exact: string[];
  items: { item: string; reasons: string[] }[];
}

const AGGREGATE_ITEM = '*';

/**
 * What `exec` would do, without doing it: per stage how many items are cached and
 * how many would run, and why, comparing each key with the stage's last result.
 */
export function planRun(pipeline: ResolvedPipeline, registry: StageRegistry, cache: Cache, files: SnapshotFiles, cwd = process.cwd()): StagePlan[] {
  const prepared = prepareNodes(pipeline, registry, files);
  const items = discoverItems(pipeline.sessions.path, cache);
  // node id -> item id -> output hash and key, when known without running anything
  const known = new Map<string, Map<string, { outputHash: string; key: string }>>();
  // node id -> items a run will not get a result for, known without running anything: the error they fail with, or undefined when skipped
  const notOk = new Map<string, Map<string, ErrorInfo | undefined>>();
  const kinds = new Map(prepared.map((p) => [p.node.id, p.def.kind]));
  const plans: StagePlan[] = [];
  const memo: Memo = {
    get: (ns, key) => {
      const v = cache.memoGet(ns, key);
      return v === undefined ? undefined : JSON.parse(v);
    },
    set: () => {},
  };
  const artifacts: ArtifactStore = { put: () => '', get: (h) => cache.getArtifact(h) };
  for (const p of prepared) {
    const mine = new Map<string, { outputHash: string; key: string }>();
    known.set(p.node.id, mine);
    const lost = new Map<string, ErrorInfo | undefined>();
    notOk.set(p.node.id, lost);
    const plan: StagePlan = {
      stage: p.node.id,
      uses: p.node.uses,
      kind: p.def.kind,
      total: 0,
      cached: 0,
      toRun: 0,
      failing: 0,
      skipped: 0,
      reasons: {},
      estimate: {},
      unestimated: 0,
      exact: [...(p.def.exactFigures ?? [])],
      items: [],
    };
    const note = (item: string, reasons: string[]) => {
      plan.toRun++;
      plan.items.push({ item, reasons });
      for (const r of reasons) count(r);
    };
    const count = (reason: string) => (plan.reasons[reason] = (plan.reasons[reason] ?? 0) + 1);
    /** Cached items a run fails because they share a value the stage says must be unique (the run asks the same function). */
    const failClashes = (uniqueBy: NonNullable<MapStage['uniqueBy']>) => {
      const outputs = items
        .filter((item) => mine.has(item.id))
        .map((item) => ({ item, output: () => JSON.parse(cache.getOutput(mine.get(item.id)!.outputHash) ?? 'null') as unknown }));
      for (const [item, err] of clashingItems(uniqueBy, outputs)) {
        mine.delete(item.id);
        lost.set(item.id, err.toInfo());
        plan.cached--;
        plan.failing++;
        plan.items.push({ item: item.id, reasons: [`fails: ${err.message}`] });
        count('fails: shares a value that must be unique');
      }
    };
    const upstreamOf = (itemId: string): { pending: string } | { failedNeed: string } | { upstream: Record<string, string>; keys: Record<string, string> } => {
      const upstream: Record<string, string> = {};
      const keys: Record<string, string> = {};
      for (const need of p.node.needs) {
        if (notOk.get(need)?.has(itemId)) return { failedNeed: need };
        const k = known.get(need)?.get(kinds.get(need) === 'aggregate' ? AGGREGATE_ITEM : itemId);
        if (k === undefined) return { pending: need };
        upstream[need] = k.outputHash;
        keys[need] = k.key;
      }
      return { upstream, keys };
    };
    /** What changed in the files a stored result of this stage read for the item or wrote (an aggregate records only what it wrote). */
    const readsChanged = (result: { reads?: Reads } | undefined, item: Item | null): string[] =>
      result?.reads === undefined ? [] : changedReads(result.reads, { item, cacheDir: pipeline.cacheDir, outDir: pipeline.outDir }, cache);
    const decide = (item: Item | null, dynamic: Record<string, unknown>) => {
      const itemId = item?.id ?? AGGREGATE_ITEM;
      const key = resultKey(p, dynamic);
      if (p.def.cache === false) return note(itemId, ['always runs (writes outputs)']);
      const hit = cache.getResult(key);
      const stale = readsChanged(hit, item);
      if (stale.length > 0) return note(itemId, stale);
      if (hit !== undefined) {
        plan.cached++;
        mine.set(itemId, { outputHash: hit.outputHash, key });
        return;
      }
      const parts: KeyParts = { static: p.staticParts, dynamic };
      const latest = cache.latestResult(p.node.id, itemId);
      const reasons = explainChange(latest?.parts, parts, cwd);
      // Name the files behind "session content changed" when the last result recorded what it read.
      const files = readsChanged(latest && { reads: inputsOf(latest.reads) }, item);
      note(itemId, files.length === 0 ? reasons : [...reasons.filter((r) => r !== SESSION_CHANGED), ...files]);
    };
    if (p.def.kind === 'map') {
      for (const item of items) {
        plan.total++;
        const up = upstreamOf(item.id);
        if ('failedNeed' in up) {
          plan.skipped++;
          lost.set(item.id, undefined);
          plan.items.push({ item: item.id, reasons: [`skipped: upstream ${up.failedNeed} fails`] });
          count(`skipped: upstream ${up.failedNeed} fails`);
          continue;
        }
        if ('pending' in up) {
          // The upstream output is not known yet, but a changed file this stage itself read is.
          note(item.id, [`upstream ${up.pending} will run`, ...readsChanged({ reads: inputsOf(cache.latestResult(p.node.id, item.id)?.reads) }, item)]);
          if (p.def.estimate !== undefined) plan.unestimated++;
          continue;
        }
        const before = plan.toRun;
        const annotations = upstreamAnnotations(cache, up.keys);
        decide(item, mapDynamicParts(p.node, item, up.upstream, annotations));
        if (plan.toRun > before && p.def.estimate !== undefined) {
          const inputs = Object.fromEntries(Object.entries(up.upstream).map(([id, hash]) => [id, JSON.parse(cache.getOutput(hash) ?? 'null')]));
          const upstream = upstreamByRole(p.roles, inputs, up.keys, annotations);
          const e = p.def.estimate({ item, upstream, inputs, options: p.node.with, node: p.node, pipeline, files, memo, artifacts });
          for (const [k, v] of Object.entries(e)) plan.estimate[k] = (plan.estimate[k] ?? 0) + v;
        }
      }
      if (p.def.uniqueBy !== undefined) failClashes(p.def.uniqueBy);
    } else {
      plan.total = 1;
      const ready: Parameters<typeof aggregateDynamicParts>[0] = [];
      const failures: Parameters<typeof aggregateDynamicParts>[1] = [];
      let pending: string | undefined;
      for (const item of items) {
        const up = upstreamOf(item.id);
        if ('pending' in up) pending ??= up.pending;
        else if ('failedNeed' in up) failures.push(upstreamFailure(item, up.failedNeed, notOk.get(up.failedNeed)!.get(item.id)));
        else ready.push({ item, upstream: up.upstream, annotations: upstreamAnnotations(cache, up.keys) });
      }
      if (pending !== undefined) note(AGGREGATE_ITEM, [`upstream ${pending} will run`]);
      else decide(null, aggregateDynamicParts(ready, failures));
    }
    plans.push(plan);
  }
  return plans;
}
