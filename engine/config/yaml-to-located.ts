import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node as YamlNode, type YAMLMap } from 'yaml';
import type { Diagnostic } from './types.ts';
import type { LEntry, LMap, LNode, Loc, Path } from './located.ts';
import { makeDiagnostic } from './make-diagnostic.ts';

/** A guard on the size of the tree after expanding aliases. */
const MAX_NODES = 200_000;

export interface DuplicateKey {
  path: Path;
  key: string;
  first: Loc;
  second: Loc;
}

export function locAt(text: string, lc: LineCounter, file: string, start: number, end: number): Loc {
  const { line, col } = lc.linePos(start);
  const lineEnd = text.indexOf('\n', start);
  const stop = Math.min(end, lineEnd === -1 ? text.length : lineEnd);
  return { file, line, column: col, length: Math.max(1, stop - start) };
}

/** yaml's document → our located tree: keys as strings, aliases and `<<` merges expanded. */
export class Converter {
  readonly problems: Diagnostic[] = [];
  readonly duplicates: DuplicateKey[] = [];
  private nodes = 0;
  private readonly anchors = new Map<string, YamlNode>();

  constructor(
    private readonly text: string,
    private readonly at: (start: number, end: number) => Loc,
    private readonly file: string,
  ) {}

  convert(node: YamlNode, path: Path): LNode {
    const loc = this.locOf(node);
    if (++this.nodes > MAX_NODES) {
      if (this.nodes === MAX_NODES + 1)
        this.problems.push(makeDiagnostic(loc, `the config expands to more than ${MAX_NODES} values`, path, 'Are aliases expanding into each other?'));
      return { kind: 'scalar', loc, value: null, style: 'plain', source: '' };
    }
    if (node.anchor) this.anchors.set(node.anchor, node);
    if (isAlias(node)) {
      const target = this.anchors.get(node.source);
      if (target === undefined) {
        this.problems.push(makeDiagnostic(loc, `unknown alias "*${node.source}"`, path, 'An alias must come after its `&anchor`.'));
        return { kind: 'scalar', loc, value: null, style: 'plain', source: '' };
      }
      return this.convert(target, path);
    }
    if (isScalar(node)) {
      const style = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 'quoted' : node.type === 'PLAIN' ? 'plain' : 'block';
      const source = node.range ? this.sourceOf(node.range[0], node.range[1]) : '';
      return { kind: 'scalar', loc, value: node.value, style, source };
    }
    if (isSeq(node)) {
      return { kind: 'seq', loc, flow: Boolean(node.flow), items: node.items.map((item, i) => this.convert(item as YamlNode, [...path, i])) };
    }
    if (isMap(node)) return this.convertMap(node as YAMLMap<YamlNode, YamlNode | null>, path, loc);
    throw new Error(`unreachable: unexpected YAML node ${String(node)}`);
  }

  private convertMap(node: YAMLMap<YamlNode, YamlNode | null>, path: Path, loc: Loc): LMap {
    const entries = new Map<string, LEntry>();
    const merged = new Set<string>();
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const keyLoc = keyNode ? this.locOf(keyNode) : loc;
      if (keyNode && isScalar(keyNode) && typeof keyNode.value === 'symbol') {
        this.mergeInto(entries, merged, pair.value, path, keyLoc);
        continue;
      }
      if (!keyNode || !isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        this.problems.push(makeDiagnostic(keyLoc, 'keys must be plain names', path));
        continue;
      }
      const key = String(keyNode.value);
      if (key === '__proto__') {
        // Validators and plain objects silently drop or misread it; refuse it where it is written.
        this.problems.push(makeDiagnostic(keyLoc, 'the key "__proto__" is not allowed', [...path, key]));
        continue;
      }
      const value = this.valueOf(pair.value, [...path, key], keyLoc);
      const previous = entries.get(key);
      if (previous !== undefined && !merged.has(key)) {
        this.duplicates.push({ path: [...path, key], key, first: previous.keyLoc, second: keyLoc });
        continue;
      }
      merged.delete(key);
      entries.set(key, { keyLoc, value });
    }
    return { kind: 'map', loc, flow: Boolean(node.flow), entries };
  }

  /** `<<: *base` or `<<: [*a, *b]`: keys written in the mapping itself win. */
  private mergeInto(entries: Map<string, LEntry>, merged: Set<string>, value: unknown, path: Path, keyLoc: Loc): void {
    const sources = isSeq(value) ? value.items : [value];
    for (const source of sources) {
      const converted = source ? this.convert(source as YamlNode, path) : undefined;
      if (converted?.kind !== 'map') {
        this.problems.push(makeDiagnostic(keyLoc, '`<<` must merge a mapping or a list of mappings', path));
        continue;
      }
      for (const [key, entry] of converted.entries) {
        if (entries.has(key)) continue;
        entries.set(key, entry);
        merged.add(key);
      }
    }
  }

  private valueOf(node: YamlNode | null, path: Path, keyLoc: Loc): LNode {
    if (node === null) return { kind: 'scalar', loc: keyLoc, value: null, style: 'plain', source: '' };
    const converted = this.convert(node, path);
    // An empty value (`model:`) has a zero-width position after the colon; the key is a better place to point.
    if (converted.kind === 'scalar' && converted.value === null && converted.source === '') converted.loc = keyLoc;
    return converted;
  }

  private locOf(node: YamlNode): Loc {
    return node.range ? this.at(node.range[0], node.range[1]) : { file: this.file, line: 1, column: 1, length: 1 };
  }

  private sourceOf(start: number, end: number): string {
    return this.text.slice(start, end);
  }
}
