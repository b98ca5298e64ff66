import { dirname, isAbsolute, resolve } from 'node:path';
import type { StageRegistry } from '../stage.ts';
import type { Diagnostic, ResolvedPipeline } from './types.ts';
import type { LEntry, LMap, LNode } from './located.ts';
import { toPlain } from './located.ts';
import { fileStart, makeDiagnostic } from './make-diagnostic.ts';
import { describeValue } from './describe-value.ts';
import { readYamlFile, readYamlText, type YamlReadResult } from './read-yaml.ts';
import { interpolate, type Env } from './interpolate.ts';
import { applySets } from './set-overrides.ts';
import { applyVariant, reservedVariantNames } from './variants.ts';
import { pipelineSchema } from './pipeline-schema.ts';
import { zodIssuesToDiagnostics } from './zod-issues.ts';
import { stageViews, type Rule, type RuleContext } from './rules/rule-context.ts';
import { duplicateKeys, duplicateStageIds } from './rules/duplicates.ts';
import { unknownUses } from './rules/unknown-uses.ts';
import { unknownNeeds } from './rules/unknown-needs.ts';
import { cycles } from './rules/cycles.ts';
import { roleEdges } from './rules/roles.ts';
import { unknownActionToolMaps, unknownModels } from './rules/unknown-references.ts';
import { missingPromptFiles, missingSuiteFile } from './rules/missing-files.ts';
import { invalidStageOptions } from './rules/stage-options.ts';
import { invalidModelOptions, invalidSessionOptions } from './rules/registry-options.ts';
import { stageCheckIssues } from './rules/stage-checks.ts';
import { folderIssues } from './rules/folders.ts';
import { loadActionToolMaps } from './action-tool-maps.ts';
import { resolvePipeline } from './resolve.ts';

export interface LoadOptions {
  /** Variant to deep-merge onto the pipeline before `sets`; null or absent for the base pipeline. */
  variant?: string | null;
  /** `--set` overrides, each `dotted.path=yaml-value`, applied in order after the variant. */
  sets?: readonly string[];
  /** The environment: variables for `${NAME}` interpolation, and what stage checks see (an API key set or not). */
  env: Env;
  registry: StageRegistry;
  /** Base of the default output and cache folders; defaults to process.cwd(). */
  cwd?: string;
}

export interface TextLoadOptions extends LoadOptions {
  /** Folder relative paths resolve against; defaults to the label's folder if it is an absolute path, else cwd. */
  dir?: string;
  /**
   * Set when the text is a run's recorded `raw` config: it is already
   * interpolated and has its variant applied, so neither is done again; the
   * variant only names the pipeline (and its default output folder).
   */
  snapshot?: { variant: string | null };
}

export type LoadResult =
  | {
      ok: true;
      pipeline: ResolvedPipeline;
      /** The merged plain config after variant, --set and interpolation, before resolution (no `variants`). */
      raw: Record<string, unknown>;
      /** Text of every file read, by Diagnostic `file`, for formatDiagnostics. */
      sources: Map<string, string>;
    }
  | { ok: false; diagnostics: Diagnostic[]; sources: Map<string, string> };

/** The graph rules, in the order their findings are reported. */
const RULES: readonly Rule[] = [
  duplicateStageIds,
  duplicateKeys,
  unknownUses,
  unknownNeeds,
  cycles,
  roleEdges,
  unknownModels,
  unknownActionToolMaps,
  missingPromptFiles,
  missingSuiteFile,
  invalidStageOptions,
  invalidSessionOptions,
  invalidModelOptions,
  reservedVariantNames,
];

/**
 * Reads, validates and resolves a pipeline file: parse (with positions), apply
 * the variant and `--set` overrides, interpolate `${ENV}`, check the shape, run
 * the graph rules, then each stage's own `check()`. Every problem is collected
 * as a Diagnostic; nothing half-valid is ever returned.
 */
export function loadPipeline(file: string, opts: LoadOptions): LoadResult {
  const cwd = opts.cwd ?? process.cwd();
  const abs = resolve(cwd, file);
  return guarded(abs, () => loadFromRead(readYamlFile(abs), abs, dirname(abs), opts, undefined));
}

/** Like loadPipeline, from text (a run's recorded snapshot); `fileLabel` names it in diagnostics. */
export function loadPipelineFromText(text: string, fileLabel: string, opts: TextLoadOptions): LoadResult {
  const cwd = opts.cwd ?? process.cwd();
  const dir = opts.dir ?? (isAbsolute(fileLabel) ? dirname(fileLabel) : cwd);
  return guarded(fileLabel, () => loadFromRead(readYamlText(text, fileLabel), fileLabel, dir, opts, opts.snapshot));
}

function guarded(file: string, load: () => LoadResult): LoadResult {
  try {
    return load();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      sources: new Map(),
      diagnostics: [
        makeDiagnostic(
          fileStart(file),
          `internal error while loading the pipeline: ${message}`,
          [],
          'This is a bug in tracepipe; please report it with the pipeline file.',
        ),
      ],
    };
  }
}

function loadFromRead(read: YamlReadResult, file: string, dir: string, opts: LoadOptions, snapshot: TextLoadOptions['snapshot']): LoadResult {
  const sources = new Map<string, string>();
  if (read.text !== undefined) sources.set(file, read.text);
  const fail = (diagnostics: Diagnostic[]): LoadResult => ({ ok: false, diagnostics, sources });
  if (!read.ok) return fail(read.diagnostics);
  if (read.root === null) {
    return fail([makeDiagnostic(fileStart(file), 'the pipeline file is empty', [], 'A pipeline needs at least `name:`, `sessions:` and `stages:`.')]);
  }
  if (read.root.kind !== 'map') {
    return fail([
      makeDiagnostic(
        read.root.loc,
        `the pipeline must be a mapping, got ${kindName(read.root)}`,
        [],
        'Write the pipeline as `key: value` lines: name, sessions, stages, ...',
      ),
    ]);
  }

  const diagnostics: Diagnostic[] = [];
  let root: LMap = read.root;
  const variant = snapshot !== undefined ? snapshot.variant : (opts.variant ?? null);
  if (snapshot === undefined && variant !== null) {
    const applied = applyVariant(root, variant);
    diagnostics.push(...applied.diagnostics);
    root = applied.root;
  }
  const setResult = applySets(root, opts.sets ?? []);
  diagnostics.push(...setResult.diagnostics);
  root = setResult.root;
  if (snapshot === undefined) {
    // Variants not applied are left as written: an unset variable there is not this run's problem.
    const { variants, rest } = splitVariants(root);
    const interpolated = interpolate(rest, opts.env);
    diagnostics.push(...interpolated.diagnostics);
    root = withVariants(interpolated.node as LMap, variants);
  }

  const plain = toPlain(root) as Record<string, unknown>;
  const shape = pipelineSchema.safeParse(plain);
  if (!shape.success) diagnostics.push(...zodIssuesToDiagnostics(shape.error.issues, { root, base: [], schema: pipelineSchema, input: plain }));

  const ctx: RuleContext = { root, config: plain, registry: opts.registry, dir, stages: stageViews(plain), duplicates: read.duplicates };
  for (const rule of RULES) diagnostics.push(...rule(ctx));
  const maps = loadActionToolMaps(root, plain, dir, sources);
  diagnostics.push(...maps.diagnostics);
  if (diagnostics.length > 0 || !shape.success) return fail(diagnostics);

  const pipeline = resolvePipeline(shape.data, { file, dir, cwd: opts.cwd ?? process.cwd(), variant, registry: opts.registry, actionToolMaps: maps.maps });
  const checkDiagnostics = [...folderIssues(pipeline, root, opts.cwd ?? process.cwd()), ...stageCheckIssues(pipeline, opts.registry, root, opts.env)];
  if (checkDiagnostics.length > 0) return fail(checkDiagnostics);

  const { variants: _variants, ...raw } = plain;
  return { ok: true, pipeline, raw, sources };
}

function kindName(node: LNode): string {
  if (node.kind === 'seq') return 'a list';
  if (node.kind === 'map') return 'a mapping';
  return typeof node.value === 'string' ? `the text ${describeValue(node.value)}` : describeValue(node.value);
}

function splitVariants(root: LMap): { variants: LEntry | undefined; rest: LMap } {
  const entries = new Map(root.entries);
  const variants = entries.get('variants');
  entries.delete('variants');
  return { variants, rest: { ...root, entries } };
}

function withVariants(root: LMap, variants: LEntry | undefined): LMap {
  if (variants === undefined) return root;
  return { ...root, entries: new Map([...root.entries, ['variants', variants]]) };
}
