import { relative } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Cache } from '../cache/types.ts';
import type { ResolvedPipeline } from '../config/types.ts';
import type { StageRegistry } from '../stage.ts';
import { diffValues, type ValueChange } from '../values.ts';
import type { SnapshotFiles } from './files.ts';
import { declaredFiles, explainChange, prepareNodes } from './keys.ts';
import { basename } from 'node:path';
import { planRun } from './plan.ts';

export interface PipelineSide {
  label: string;
  pipeline: ResolvedPipeline;
  raw: unknown;
  files: SnapshotFiles;
}

export interface StageInvalidation {
  stage: string;
  reasons: string[];
  /** Items whose cached result under A this change makes stale. */
  cachedSessions: number;
  totalSessions: number;
  /** True when only an upstream changed: the stage reruns only if that output changes. */
  onlyIfUpstreamChanges: boolean;
}

export interface PipelineDiff {
  config: ValueChange[];
  prompts: { path: string; patch: string }[];
  invalidated: StageInvalidation[];
}

/**
 * Compares two pipeline configurations: the config by path, every key file's text
 * (prompt templates and partials) as a unified diff, and which stages the change
 * invalidates with how many sessions' cached results that makes stale.
 */
export function diffPipelines(a: PipelineSide, b: PipelineSide, registry: StageRegistry, cache: Cache, cwd = process.cwd()): PipelineDiff {
  const config = diffValues(a.raw, b.raw);
  const prompts: PipelineDiff['prompts'] = [];
  const filesA = pairableFiles(a, registry);
  const filesB = pairableFiles(b, registry);
  const seen = new Set<string>();
  for (const slot of [...new Set([...filesA.keys(), ...filesB.keys()])].sort()) {
    const pathA = filesA.get(slot);
    const pathB = filesB.get(slot);
    const pairId = `${pathA ?? ''}\u0000${pathB ?? ''}`;
    if (seen.has(pairId)) continue;
    seen.add(pairId);
    const before = pathA === undefined ? '' : a.files.read(pathA);
    const after = pathB === undefined ? '' : b.files.read(pathB);
    if (before === after) continue;
    const relA = pathA === undefined ? '/dev/null' : relative(cwd, pathA) || pathA;
    const relB = pathB === undefined ? '/dev/null' : relative(cwd, pathB) || pathB;
    prompts.push({
      path: relA === relB || relB === '/dev/null' ? relA : relB,
      patch: createTwoFilesPatch(`a/${relA}`, `b/${relB}`, before, after, a.label, b.label),
    });
  }
  const pa = new Map(prepareNodes(a.pipeline, registry, a.files).map((p) => [p.node.id, p]));
  const pb = prepareNodes(b.pipeline, registry, b.files);
  const planA = new Map(planRun(a.pipeline, registry, cache, a.files, cwd).map((s) => [s.stage, s]));
  const invalid = new Set<string>();
  const invalidated: StageInvalidation[] = [];
  for (const p of pb) {
    const before = pa.get(p.node.id);
    const reasons: string[] = [];
    if (before === undefined) reasons.push('new stage');
    else if (before.staticHash !== p.staticHash) {
      reasons.push(
        ...explainChange({ static: before.staticParts, dynamic: {} }, { static: p.staticParts, dynamic: {} }, cwd).filter((r) => r !== 'key changed'),
      );
      if (reasons.length === 0) reasons.push('stage configuration changed');
    }
    const changedNeeds = p.node.needs.filter((n) => invalid.has(n));
    const onlyUpstream = reasons.length === 0 && changedNeeds.length > 0;
    for (const n of changedNeeds) reasons.push(`upstream ${n} changed`);
    if (reasons.length === 0) continue;
    invalid.add(p.node.id);
    const plan = planA.get(p.node.id);
    invalidated.push({
      stage: p.node.id,
      reasons,
      cachedSessions: plan?.cached ?? 0,
      totalSessions: plan?.total ?? 0,
      onlyIfUpstreamChanges: onlyUpstream,
    });
  }
  return { config, prompts, invalidated };
}

/**
 * Each key file under a slot that stays stable when a file is renamed: stage,
 * label, and (for globs of several files such as partials) the file name. So a
 * node that moves from prompts/a.hbs to prompts/b.hbs shows one text diff.
 */
function pairableFiles(side: PipelineSide, registry: StageRegistry): Map<string, string> {
  const out = new Map<string, string>();
  for (const [nodeId, entries] of declaredFiles(side.pipeline, registry)) {
    const byLabel = new Map<string, string[]>();
    for (const { label, path } of entries) byLabel.set(label, [...(byLabel.get(label) ?? []), path]);
    for (const [label, paths] of byLabel) {
      for (const p of paths) out.set(`${nodeId}\u0000${label}\u0000${paths.length === 1 ? '' : basename(p)}`, p);
    }
  }
  return out;
}
