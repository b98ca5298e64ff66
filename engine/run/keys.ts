import { basename, relative, sep } from 'node:path';
import { hashJson, sha256 } from '../hash.ts';
import { diffValues, formatValue } from '../values.ts';
import type { Cache, KeyParts } from '../cache/types.ts';
import type { ResolvedPipeline, StageNode } from '../config/types.ts';
import type { AggregateStageFailure, Annotation, FileSet, Item, StageDefinition, StageRegistry } from '../stage.ts';
import { configError, type ErrorInfo } from '../errors.ts';
import { expandGlob } from '../glob.ts';
import { bindRoles } from '../roles.ts';
import { redactSecrets } from '../values.ts';

/** A stage node ready to run: its definition and the part of its key every item shares. */
export interface PreparedNode {
  node: StageNode;
  def: StageDefinition;
  staticParts: Record<string, unknown>;
  staticHash: string;
  /** Role -> the need that provides it (the stage's `consumes`, bound to its needs). */
  roles: Record<string, string>;
}

/** A file whose text feeds a node's key, with what it is to the stage ('prompt', 'partial', 'suite'). */
export interface DeclaredFile {
  label: string;
  path: string;
}

/** The files each node declares, by node id, expanded from globs: what a run snapshot must hold. */
export function declaredFiles(pipeline: ResolvedPipeline, registry: StageRegistry): Map<string, DeclaredFile[]> {
  const out = new Map<string, DeclaredFile[]>();
  for (const node of pipeline.stages) {
    const def = lookup(registry, node);
    out.set(
      node.id,
      (def.keyFiles?.(node, pipeline) ?? []).flatMap((f) => expandGlob(f.path, 'files').map((path) => ({ label: f.label, path }))),
    );
  }
  return out;
}

export function prepareNodes(pipeline: ResolvedPipeline, registry: StageRegistry, files: FileSet): PreparedNode[] {
  const declared = declaredFiles(pipeline, registry);
  return pipeline.stages.map((node) => {
    const def = lookup(registry, node);
    const fileHashes: Record<string, { label: string; hash: string }> = {};
    // By path relative to the pipeline's folder: a project moved elsewhere keeps its keys.
    for (const { label, path } of declared.get(node.id) ?? []) fileHashes[portablePath(pipeline.dir, path)] = { label, hash: sha256(files.read(path)) };
    const { path: _path, ...sessionOptions } = pipeline.sessions;
    const staticParts: Record<string, unknown> = {
      stage: `${def.name}@${def.version}`,
      options: node.with,
      ...(node.model === undefined ? {} : { model: redactSecrets({ name: node.model.name, ...node.model.config }) }),
      ...(node.actionToolMap === undefined ? {} : { actionToolMap: { name: node.actionToolMap.name, value: node.actionToolMap.value } }),
      ...(node.thresholds === undefined ? {} : { thresholds: node.thresholds }),
      ...(Object.keys(fileHashes).length === 0 ? {} : { files: fileHashes }),
      ...(def.keyInputs === undefined ? {} : { inputs: def.keyInputs(node, pipeline) }),
      ...(node.needs.length === 0 ? { sessions: sessionOptions } : {}),
    };
    return { node, def, staticParts, staticHash: hashJson(staticParts), roles: nodeRoles(node, def, pipeline, registry) };
  });
}

/** The node's role binding; validation has already reported any problem, so one here is a config that skipped it. */
function nodeRoles(node: StageNode, def: StageDefinition, pipeline: ResolvedPipeline, registry: StageRegistry): Record<string, string> {
  const usesOf = new Map(pipeline.stages.map((s) => [s.id, s.uses]));
  const edges = node.needs.map((need) => ({ need, produces: registry[usesOf.get(need) ?? '']?.produces }));
  const { bound, problems } = bindRoles(def.consumes, edges);
  if (problems.length > 0)
    throw configError(`stage ${node.id}: its needs do not provide the roles it consumes (${problems.map((p) => p.kind).join(', ')})`, {
      hint: 'Run `tracepipe validate` on the pipeline.',
    });
  return bound;
}

/** A key file's path as keys hold it: relative to the pipeline's folder, '/'-separated. */
function portablePath(base: string, path: string): string {
  return relative(base, path).split(sep).join('/') || '.';
}

/**
 * The per-item part of a map stage's key: which item, the session's content (stages with no
 * needs) or the upstream outputs' hashes, plus people's decisions on upstream results.
 * The runner and `plan` both build keys through here, so plan never disagrees with a run.
 */
export function mapDynamicParts(
  node: StageNode,
  item: Item,
  upstream: Record<string, string>,
  annotations: Record<string, Annotation[]>,
): Record<string, unknown> {
  const decided = hashAnnotations(annotations);
  return {
    // A stage sees which item it runs for (and may write a file named after it): two items with
    // the same content or the same upstream outputs never share a result.
    itemId: item.id,
    ...(node.needs.length === 0 ? { item: item.fingerprint } : {}),
    upstream,
    ...(decided === undefined ? {} : { annotations: decided }),
  };
}

/**
 * An item that did not get through `stage`, as an aggregate's key and context hold it: the
 * error it failed with there, or (no error: it was skipped there) the skip. Run and plan both
 * build it here, so plan's aggregate keys are the run's.
 */
export function upstreamFailure(item: Item, stage: string, error: ErrorInfo | undefined): AggregateStageFailure {
  return error === undefined ? { item, stage, code: 'TP_ABORTED', message: 'skipped upstream' } : { item, stage, code: error.code, message: error.message };
}

/**
 * The per-run part of an aggregate stage's key: every ready item's upstream hashes and
 * decisions, and which items failed where and how (the stage is handed the error, and may
 * write it out, as the dataset manifest does).
 */
export function aggregateDynamicParts(
  ready: { item: Item; upstream: Record<string, string>; annotations: Record<string, Annotation[]> }[],
  failures: { item: Item; stage: string; code: string; message: string }[],
): Record<string, unknown> {
  return {
    items: ready.map((r) => [r.item.id, r.upstream, hashAnnotations(r.annotations) ?? null]),
    failures: failures.map((f) => [f.item.id, f.stage, f.code, f.message]),
  };
}

/** Decisions people attached to each upstream result, by upstream stage id (stages with none are left out). */
export function upstreamAnnotations(cache: Pick<Cache, 'annotations'>, upstreamKeys: Record<string, string>): Record<string, Annotation[]> {
  const out: Record<string, Annotation[]> = {};
  for (const [id, key] of Object.entries(upstreamKeys)) {
    const list = cache.annotations(key);
    if (list.length > 0) out[id] = list;
  }
  return out;
}

function hashAnnotations(byStage: Record<string, Annotation[]>): string | undefined {
  return Object.keys(byStage).length === 0 ? undefined : hashJson(byStage);
}

export function resultKey(prepared: PreparedNode, dynamic: Record<string, unknown>): string {
  return hashJson({ static: prepared.staticHash, dynamic });
}

function lookup(registry: StageRegistry, node: StageNode): StageDefinition {
  const def = registry[node.uses];
  if (def === undefined) throw configError(`stage ${node.id}: unknown stage type "${node.uses}"`);
  return def;
}

/** The reason given when a root stage's item changed and nothing says which file. */
export const SESSION_CHANGED = 'session content changed';

/**
 * Says in a person's words why a key differs from the last result's: which option,
 * model setting, prompt file, upstream output or input content changed.
 */
export function explainChange(before: KeyParts | undefined, after: KeyParts, cwd = process.cwd()): string[] {
  if (before === undefined) return ['never run'];
  const reasons: string[] = [];
  const b = before.static;
  const a = after.static;
  if (b.stage !== a.stage) reasons.push(`stage ${formatValue(b.stage)} -> ${formatValue(a.stage)}`);
  for (const c of diffValues(b.options ?? {}, a.options ?? {})) reasons.push(`options.${c.path} ${formatValue(c.before)} -> ${formatValue(c.after)}`);
  reasons.push(...explainModel(b.model, a.model));
  for (const c of diffValues(b.thresholds ?? {}, a.thresholds ?? {})) reasons.push(`thresholds.${c.path} ${formatValue(c.before)} -> ${formatValue(c.after)}`);
  reasons.push(...explainFiles(b.files, a.files, cwd));
  const bMap = b.actionToolMap as { name?: string; value?: unknown } | undefined;
  const aMap = a.actionToolMap as { name?: string; value?: unknown } | undefined;
  if (bMap?.name !== aMap?.name) reasons.push(`actionToolMap ${formatValue(bMap?.name)} -> ${formatValue(aMap?.name)}`);
  else if (diffValues(bMap?.value, aMap?.value).length > 0) reasons.push(`actionToolMap ${aMap?.name} changed`);
  for (const c of diffValues(b.inputs ?? {}, a.inputs ?? {})) reasons.push(`input ${c.path} changed`);
  for (const c of diffValues(b.sessions ?? {}, a.sessions ?? {})) reasons.push(`sessions.${c.path} ${formatValue(c.before)} -> ${formatValue(c.after)}`);
  const bd = before.dynamic;
  const ad = after.dynamic;
  if (bd.item !== ad.item) reasons.push(SESSION_CHANGED);
  const bu = (bd.upstream ?? {}) as Record<string, string>;
  const au = (ad.upstream ?? {}) as Record<string, string>;
  for (const id of [...new Set([...Object.keys(bu), ...Object.keys(au)])].sort()) {
    if (bu[id] !== au[id]) reasons.push(`upstream ${id} output changed`);
  }
  if (JSON.stringify(bd.annotations ?? null) !== JSON.stringify(ad.annotations ?? null)) reasons.push('review decisions changed');
  if (JSON.stringify(bd.items ?? null) !== JSON.stringify(ad.items ?? null) && reasons.length === 0) reasons.push('the set of items changed');
  return reasons.length > 0 ? reasons : ['key changed'];
}

function explainModel(before: unknown, after: unknown): string[] {
  const b = before as Record<string, unknown> | undefined;
  const a = after as Record<string, unknown> | undefined;
  if (b === undefined && a === undefined) return [];
  if (b === undefined || a === undefined) return [`model ${formatValue(b?.name)} -> ${formatValue(a?.name)}`];
  if (b.name !== a.name) {
    const changed = diffValues({ ...b, name: undefined }, { ...a, name: undefined }).map((c) => c.path);
    return [`model ${String(b.name)} -> ${String(a.name)}${changed.length > 0 ? ` (${changed.join(', ')} differ)` : ''}`];
  }
  return diffValues(b, a).map((c) => `model ${String(a.name)}.${c.path} ${formatValue(c.before)} -> ${formatValue(c.after)}`);
}

function explainFiles(before: unknown, after: unknown, cwd: string): string[] {
  const b = (before ?? {}) as Record<string, { label: string; hash: string }>;
  const a = (after ?? {}) as Record<string, { label: string; hash: string }>;
  // Keys are relative to the pipeline's folder; older caches held absolute paths.
  const rel = (p: string) => (p.startsWith('/') ? relative(cwd, p) || p : p);
  const out: string[] = [];
  const removed = Object.keys(b)
    .filter((p) => a[p] === undefined)
    .sort();
  const added = Object.keys(a)
    .filter((p) => b[p] === undefined)
    .sort();
  for (const path of Object.keys(a).sort()) {
    if (b[path] !== undefined && b[path].hash !== a[path]!.hash) out.push(`${a[path]!.label} ${rel(path)} changed`);
  }
  // A file that moved (same label, and the same name or the only one of its label) reads as one change.
  for (const from of [...removed]) {
    const label = b[from]!.label;
    const sameLabel = added.filter((p) => a[p]!.label === label);
    const to =
      sameLabel.find((p) => basename(p) === basename(from)) ??
      (sameLabel.length === 1 && removed.filter((r) => b[r]!.label === label).length === 1 ? sameLabel[0] : undefined);
    if (to === undefined) continue;
    removed.splice(removed.indexOf(from), 1);
    added.splice(added.indexOf(to), 1);
    out.push(`${label} ${rel(from)} -> ${rel(to)}${b[from]!.hash === a[to]!.hash ? ' (same text)' : ' (text changed)'}`);
  }
  for (const p of removed) out.push(`${b[p]!.label} ${rel(p)} removed`);
  for (const p of added) out.push(`${a[p]!.label} ${rel(p)} added`);
  return out;
}
