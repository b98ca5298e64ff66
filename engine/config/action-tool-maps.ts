import { resolve } from 'node:path';
import type { Diagnostic, ResourceRef } from './types.ts';
import type { LMap } from './located.ts';
import { locate, toPlain } from './located.ts';
import { makeDiagnostic } from './make-diagnostic.ts';
import { readYamlFile } from './read-yaml.ts';
import { fileProblem } from './disk-files.ts';
import { isPlainObject } from '../values.ts';

/**
 * Loads `actionToolMaps`: a string is a YAML or JSON file relative to the
 * pipeline's folder, a mapping is the map itself. Problems inside a map file
 * point into that file, whose text is added to `sources`.
 */
export function loadActionToolMaps(
  root: LMap,
  config: Record<string, unknown>,
  dir: string,
  sources: Map<string, string>,
): { maps: Record<string, ResourceRef>; diagnostics: Diagnostic[] } {
  const maps: Record<string, ResourceRef> = {};
  const diagnostics: Diagnostic[] = [];
  const section = config['actionToolMaps'];
  if (!isPlainObject(section)) return { maps, diagnostics };
  for (const [name, value] of Object.entries(section)) {
    if (value === '') continue;
    if (typeof value !== 'string') {
      maps[name] = { name, value };
      continue;
    }
    const file = resolve(dir, value);
    const path = ['actionToolMaps', name];
    const problem = fileProblem(file);
    if (problem !== undefined) {
      diagnostics.push(
        makeDiagnostic(
          locate(root, path),
          `action-tool map file "${value}" ${problem}`,
          path,
          `Looked for ${file}; relative paths resolve against the pipeline file's folder.`,
        ),
      );
      continue;
    }
    const read = readYamlFile(file);
    if (read.text !== undefined) sources.set(file, read.text);
    if (!read.ok) {
      diagnostics.push(...read.diagnostics);
      continue;
    }
    for (const d of read.duplicates) {
      diagnostics.push(makeDiagnostic(d.second, `duplicate key "${d.key}" (first at line ${d.first.line}, column ${d.first.column})`, d.path));
    }
    maps[name] = { name, file, value: read.root === null ? null : toPlain(read.root) };
  }
  return { maps, diagnostics };
}
