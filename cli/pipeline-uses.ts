import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { isPlainObject } from '../engine/values.ts';

/** `uses:` that names a module of the pipeline's own (a path relative to the pipeline file) rather than a built-in stage. */
export function isStageModule(uses: string): boolean {
  return uses.startsWith('./') || uses.startsWith('../');
}

/**
 * Every `uses:` a pipeline file may run: its stages, every variant's, and
 * `--set stages.<id>.uses=...` overrides. It is read before validation so the
 * composition root can load just those stages; a file that does not parse
 * names none here, and validation reports why.
 */
export function pipelineUses(file: string, sets: readonly string[] = []): string[] {
  const names = new Set<string>();
  const doc = parseOrUndefined(readOrEmpty(file));
  if (isPlainObject(doc)) {
    stagesUses(doc['stages'], names);
    if (isPlainObject(doc['variants'])) for (const variant of Object.values(doc['variants'])) if (isPlainObject(variant)) stagesUses(variant['stages'], names);
  }
  for (const set of sets) {
    const m = /^stages\.[^=]+\.uses=(.+)$/.exec(set);
    const value = m === null ? undefined : parseOrUndefined(m[1]!);
    if (typeof value === 'string') names.add(value);
  }
  return [...names].sort();
}

function stagesUses(stages: unknown, into: Set<string>): void {
  if (!isPlainObject(stages)) return;
  for (const node of Object.values(stages)) if (isPlainObject(node) && typeof node['uses'] === 'string') into.add(node['uses']);
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return parse(text, { uniqueKeys: false });
  } catch {
    return undefined;
  }
}
