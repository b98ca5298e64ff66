import type { Diagnostic } from './types.ts';
import type { LMap, LNode, Loc } from './located.ts';
import { isNullScalar } from './located.ts';
import { makeDiagnostic } from './make-diagnostic.ts';
import { readYamlText } from './read-yaml.ts';

const PREFIX = '--set ';

/** The source label of one `--set` argument; diagnostics use it as their file, on line 1. */
function setLabel(arg: string): string {
  return PREFIX + arg;
}

interface ParsedSet {
  label: string;
  segments: { name: string; loc: Loc }[];
  value: LNode;
}

/**
 * Applies `--set a.b.c=value` overrides in order. The value is read as YAML
 * (`0.2` is a number, `[a, b]` a list, `null` deletes the key); missing parents
 * are created. Returns the new root and a diagnostic per unusable override.
 */
export function applySets(root: LMap, args: readonly string[]): { root: LMap; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let current = root;
  for (const arg of args) {
    const parsed = parseSet(arg, diagnostics);
    if (parsed === undefined) continue;
    const next = setAt(current, parsed, diagnostics);
    if (next !== undefined) current = next;
  }
  return { root: current, diagnostics };
}

function parseSet(arg: string, diagnostics: Diagnostic[]): ParsedSet | undefined {
  const label = setLabel(arg);
  const at = (index: number, length: number): Loc => ({ file: label, line: 1, column: PREFIX.length + index + 1, length: Math.max(1, length) });
  const eq = arg.indexOf('=');
  if (eq === -1) {
    diagnostics.push(makeDiagnostic(at(0, arg.length), `--set needs the form path=value, got "${arg}"`, [], 'Example: --set stages.classify.model=strong'));
    return undefined;
  }
  const pathText = arg.slice(0, eq);
  const segments: ParsedSet['segments'] = [];
  let offset = 0;
  for (const name of pathText.split('.')) {
    if (name === '__proto__') {
      diagnostics.push(makeDiagnostic(at(offset, name.length), 'the key "__proto__" is not allowed', []));
      return undefined;
    }
    if (name.trim() === '') {
      diagnostics.push(
        makeDiagnostic(
          at(offset, Math.max(1, name.length)),
          `--set path "${pathText}" has an empty segment`,
          [],
          'Write the path as dot-separated keys, e.g. models.small.temperature',
        ),
      );
      return undefined;
    }
    segments.push({ name, loc: at(offset, name.length) });
    offset += name.length + 1;
  }
  const valueText = arg.slice(eq + 1);
  const read = readYamlText(valueText, label);
  const shift = (loc: Loc): Loc => (loc.line === 1 ? { ...loc, column: loc.column + PREFIX.length + eq + 1 } : loc);
  if (!read.ok) {
    for (const d of read.diagnostics) {
      const loc = shift({ file: label, line: d.line, column: d.column, length: d.length });
      diagnostics.push({ ...d, ...loc, message: `--set value: ${d.message}`, path: segments.map((s) => s.name) });
    }
    return undefined;
  }
  const value: LNode =
    read.root === null ? { kind: 'scalar', loc: at(eq + 1, valueText.length), value: null, style: 'plain', source: '' } : shiftTree(read.root, shift);
  return { label, segments, value };
}

function shiftTree(node: LNode, shift: (loc: Loc) => Loc): LNode {
  switch (node.kind) {
    case 'scalar':
      return { ...node, loc: shift(node.loc) };
    case 'seq':
      return { ...node, loc: shift(node.loc), items: node.items.map((i) => shiftTree(i, shift)) };
    case 'map':
      return {
        ...node,
        loc: shift(node.loc),
        entries: new Map([...node.entries].map(([k, e]) => [k, { keyLoc: shift(e.keyLoc), value: shiftTree(e.value, shift) }] as const)),
      };
  }
}

/** Copies the spine of the path so the tree before the override stays as it was. */
function setAt(root: LMap, set: ParsedSet, diagnostics: Diagnostic[]): LMap | undefined {
  const names = set.segments.map((s) => s.name);
  const rec = (node: LMap, depth: number): LMap | undefined => {
    const seg = set.segments[depth]!;
    const entries = new Map(node.entries);
    if (depth === set.segments.length - 1) {
      if (isNullScalar(set.value)) entries.delete(seg.name);
      else entries.set(seg.name, { keyLoc: seg.loc, value: set.value });
      return { ...node, entries };
    }
    const existing = entries.get(seg.name);
    let child: LMap;
    if (existing === undefined) {
      child = { kind: 'map', loc: seg.loc, flow: true, entries: new Map() };
    } else if (existing.value.kind === 'map') {
      child = existing.value;
    } else {
      const what = existing.value.kind === 'seq' ? 'a list' : `the value ${JSON.stringify(existing.value.value)}`;
      diagnostics.push(makeDiagnostic(seg.loc, `cannot set "${names.join('.')}": "${names.slice(0, depth + 1).join('.')}" is ${what}, not a mapping`, names));
      return undefined;
    }
    const updated = rec(child, depth + 1);
    if (updated === undefined) return undefined;
    entries.set(seg.name, { keyLoc: existing?.keyLoc ?? seg.loc, value: updated });
    return { ...node, entries };
  };
  return rec(root, 0);
}
