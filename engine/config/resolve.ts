import { resolve } from 'node:path';
import type { StageRegistry } from '../stage.ts';
import type { ResolvedPipeline, ResourceRef, StageNode } from './types.ts';
import type { PipelineConfig, StageNodeConfig } from './pipeline-schema.ts';
import { maxConcurrency } from './concurrency-cap.ts';
import { topologicalOrder } from './toposort.ts';
import { safeParseOptions } from './rules/stage-options.ts';
import { DEFAULT_CACHE_DIR } from '../cache/location.ts';

export interface ResolveInput {
  file: string;
  dir: string;
  cwd: string;
  variant: string | null;
  registry: StageRegistry;
  actionToolMaps: Record<string, ResourceRef>;
}

/** A valid config → the runner's view: absolute paths, parsed options, references replaced by what they name. */
export function resolvePipeline(config: PipelineConfig, input: ResolveInput): ResolvedPipeline {
  const { dir, cwd, variant } = input;
  const models = config.models ?? {};
  const stages: StageNode[] = Object.entries(config.stages).map(([id, node]) => resolveNode(id, node, models, input));
  return {
    file: input.file,
    dir,
    name: config.name,
    variant,
    sessions: { ...config.sessions, path: resolve(dir, config.sessions.path) },
    ...(config.suite === undefined ? {} : { suite: resolve(dir, config.suite) }),
    concurrency: Math.min(config.concurrency, maxConcurrency()),
    // Defaults live beside the working directory (like a build's out/), explicit paths beside the pipeline file.
    outDir: config.output === undefined ? resolve(cwd, 'out', variant === null ? config.name : `${config.name}-${variant}`) : resolve(dir, config.output),
    cacheDir: config.cache === undefined ? resolve(cwd, DEFAULT_CACHE_DIR) : resolve(dir, config.cache),
    models,
    actionToolMaps: input.actionToolMaps,
    stages: topologicalOrder(stages),
  };
}

function resolveNode(id: string, node: StageNodeConfig, models: Record<string, Record<string, unknown>>, input: ResolveInput): StageNode {
  const needs = node.needs === undefined ? [] : [...new Set(typeof node.needs === 'string' ? [node.needs] : node.needs)];
  const def = input.registry[node.uses];
  if (def === undefined) throw new Error(`unreachable: unknown stage "${node.uses}" after validation`);
  const parsed = safeParseOptions(def, node.with ?? {});
  if (parsed.value === undefined && parsed.issues !== undefined) throw new Error(`unreachable: invalid options for "${id}" after validation`);
  const model = node.model === undefined ? undefined : models[node.model];
  const map = node.actionToolMap === undefined ? undefined : input.actionToolMaps[node.actionToolMap];
  return {
    id,
    uses: node.uses,
    needs,
    with: (parsed.value ?? {}) as Record<string, unknown>,
    ...(model === undefined || node.model === undefined ? {} : { model: { name: node.model, config: model } }),
    ...(map === undefined ? {} : { actionToolMap: map }),
    ...(node.prompt === undefined ? {} : { prompt: resolve(input.dir, node.prompt) }),
    ...(node.thresholds === undefined ? {} : { thresholds: node.thresholds }),
    ...(node.concurrency === undefined ? {} : { concurrency: Math.min(node.concurrency, maxConcurrency()) }),
  };
}
