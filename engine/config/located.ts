/**
 * A config tree that remembers where every value came from (a file position, or a
 * `--set` argument), so validation issues found after merging variants and
 * overrides can still point at the text the user wrote.
 */

/** A place in a source text; `file` is a path or a label such as `--set a.b=1`. */
export interface Loc {
  file: string;
  line: number;
  column: number;
  length: number;
}

export type LNode = LMap | LSeq | LScalar;

export interface LMap {
  kind: 'map';
  loc: Loc;
  /** Written inline (`{a: 1}`), so the node itself is a good place to point at. */
  flow: boolean;
  entries: Map<string, LEntry>;
}

export interface LEntry {
  keyLoc: Loc;
  value: LNode;
}

export interface LSeq {
  kind: 'seq';
  loc: Loc;
  flow: boolean;
  items: LNode[];
}

export interface LScalar {
  kind: 'scalar';
  loc: Loc;
  value: unknown;
  /** `plain` scalars are re-typed after `${ENV}` interpolation; quoted ones stay strings. */
  style: 'plain' | 'quoted' | 'block';
  /** The scalar's source text, used to point at one `${VAR}` inside it. */
  source: string;
}

export type Path = (string | number)[];

export function isNullScalar(node: LNode): boolean {
  return node.kind === 'scalar' && node.value === null;
}

/** Plain JSON-like value of a located tree. */
export function toPlain(node: LNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [key, entry] of node.entries) {
        // defineProperty: a `__proto__` key stays an ordinary key.
        Object.defineProperty(out, key, { value: toPlain(entry.value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
  }
}

function childOf(node: LNode, seg: string | number): { keyLoc: Loc; value: LNode } | undefined {
  if (node.kind === 'map') return node.entries.get(String(seg));
  if (node.kind === 'seq' && typeof seg === 'number') {
    const item = node.items[seg];
    return item === undefined ? undefined : { keyLoc: item.loc, value: item };
  }
  return undefined;
}

/**
 * Where to point for a path. `value` points at the value when it is a scalar or
 * written inline, else at its key (the first line of a block mapping is a child,
 * which would mislead). `key` points at the key. A path that does not exist
 * points at the key of its deepest existing ancestor.
 */
export function locate(root: LNode, path: Path, target: 'value' | 'key' = 'value'): Loc {
  let node: LNode = root;
  // The document itself has no key; a single caret at its start is the honest place for "missing at the top level".
  let keyLoc: Loc = { ...root.loc, length: 1 };
  for (const seg of path) {
    const child = childOf(node, seg);
    if (child === undefined) return keyLoc;
    node = child.value;
    keyLoc = child.keyLoc;
  }
  if (target === 'key') return keyLoc;
  const pointAtValue = node.kind === 'scalar' || node.flow;
  return pointAtValue ? node.loc : keyLoc;
}
