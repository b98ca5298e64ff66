import type { StageRegistry } from '../../stage.ts';
import type { Diagnostic } from '../types.ts';
import type { LMap, Path } from '../located.ts';
import type { DuplicateKey } from '../read-yaml.ts';
import { isPlainObject } from '../../values.ts';

/** One stage node as far as it could be read; fields that are the wrong type are left out (shape reports them). */
export interface StageView {
  id: string;
  /** Position in the file (after variants and overrides), for stable ordering. */
  index: number;
  uses?: string;
  needs: { id: string; path: Path }[];
  model?: string;
  actionToolMap?: string;
  prompt?: string;
  with: unknown;
}

export interface RuleContext {
  root: LMap;
  /** The merged config as plain data; it may not match the schema. */
  config: Record<string, unknown>;
  registry: StageRegistry;
  /** Folder relative paths resolve against. */
  dir: string;
  stages: StageView[];
  duplicates: DuplicateKey[];
}

/** A graph rule: reads the context, returns every problem it finds (never stops at the first). */
export type Rule = (ctx: RuleContext) => Diagnostic[];

export function stageViews(config: Record<string, unknown>): StageView[] {
  const stages = config['stages'];
  if (!isPlainObject(stages)) return [];
  return Object.entries(stages).map(([id, raw], index) => {
    const node = isPlainObject(raw) ? raw : {};
    const str = (k: string) => (typeof node[k] === 'string' ? (node[k] as string) : undefined);
    const needsRaw = node['needs'];
    const needs: StageView['needs'] =
      typeof needsRaw === 'string'
        ? [{ id: needsRaw, path: ['stages', id, 'needs'] }]
        : Array.isArray(needsRaw)
          ? needsRaw.flatMap((n, i) => (typeof n === 'string' ? [{ id: n, path: ['stages', id, 'needs', i] }] : []))
          : [];
    return {
      id,
      index,
      needs,
      with: node['with'],
      ...optional('uses', str('uses')),
      ...optional('model', str('model')),
      ...optional('actionToolMap', str('actionToolMap')),
      ...optional('prompt', str('prompt')),
    };
  });
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
