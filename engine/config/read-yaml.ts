import { statSync, readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isAlias, isMap, isScalar, isSeq, isPair, type Document, type Node as YamlNode } from 'yaml';
import type { Diagnostic } from './types.ts';
import type { LEntry, LMap, LNode, Loc, Path } from './located.ts';
import { fileStart, makeDiagnostic } from './make-diagnostic.ts';
import { friendlyYamlError } from './yaml-errors.ts';

/** Config files are small; anything larger is almost certainly the wrong file. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** yaml's guard against alias bombs (billion laughs). */
const MAX_ALIAS_COUNT = 100;
/** Deeper `[[[...` only serves to exhaust the parser's stack. */
const MAX_FLOW_DEPTH = 64;
/** A second guard, on the size of the tree after expanding aliases. */
const MAX_NODES = 200_000;

export interface DuplicateKey {
  path: Path;
  key: string;
  first: Loc;
  second: Loc;
}

export type YamlReadResult =
  | { ok: true; root: LNode | null; duplicates: DuplicateKey[]; text: string }
  | { ok: false; diagnostics: Diagnostic[]; text?: string };

/** Reads a YAML (or JSON) config file into a located tree, refusing oversized files before parsing. */
export function readYamlFile(file: string): YamlReadResult {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) return fail(file, 'not a file (a folder?)');
    size = st.size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail(file, code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(err)})`, 'Check the path; relative paths resolve against the working directory or the pipeline file\'s folder.');
  }
  if (size > MAX_CONFIG_BYTES) return tooLarge(file, size);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return fail(file, `cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return readYamlText(text, file);
}

export function readYamlText(text: string, file: string): YamlReadResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CONFIG_BYTES) return tooLarge(file, bytes);
  const deep = flowDepthBeyond(text, MAX_FLOW_DEPTH);
  if (deep !== undefined) {
    return { ok: false, text, diagnostics: [makeDiagnostic(locFromOffset(text, file, deep), `brackets nested more than ${MAX_FLOW_DEPTH} levels deep`, [], 'A pipeline never needs this; is the file generated or corrupted?')] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, merge: true });
  const at = (start: number, end: number): Loc => locAt(text, lineCounter, file, start, end);

  if (doc.errors.length > 0) {
    const seen = new Set<string>();
    // After the first syntax error yaml's later errors are mostly echoes of it; tabs are the exception worth listing.
    const errors = doc.errors.filter((err, i) => i === 0 || err.code === 'TAB_AS_INDENT');
    const diagnostics = errors.flatMap((err) => {
      const overIndented = err.code === 'BLOCK_AS_IMPLICIT_KEY' || err.code === 'MULTILINE_IMPLICIT_KEY' ? overIndentedLine(text, lineCounter, err.pos[0], file) : undefined;
      const friendly = overIndented ?? friendlyYamlError(err);
      const loc = overIndented?.loc ?? unclosedBracketLoc(err.message, text, at) ?? at(err.pos[0], err.pos[1]);
      const { message } = friendly;
      const sourceLine = text.split('\n')[loc.line - 1] ?? '';
      const hint = /\$\{/.test(sourceLine) && /[[{]/.test(sourceLine) ? 'Inside [ ] or { }, quote a value that uses ${...}: key: "${NAME}".' : friendly.hint;
      // yaml often reports one mistake several times on one line; the first wording is the better one.
      const key = String(loc.line);
      if (seen.has(key)) return [];
      seen.add(key);
      return [makeDiagnostic(loc, message, [], hint)];
    });
    return { ok: false, diagnostics, text };
  }
  const aliasProblem = checkAliases(doc);
  if (aliasProblem !== undefined) {
    const firstAlias = findFirstAlias(doc);
    const loc = firstAlias?.range ? at(firstAlias.range[0], firstAlias.range[1]) : fileStart(file);
    return {
      ok: false,
      text,
      diagnostics: [makeDiagnostic(loc, `too many alias expansions (${aliasProblem})`, [], 'This looks like a YAML alias bomb; a pipeline needs only a few `*aliases`.')],
    };
  }
  if (doc.contents === null) return { ok: true, root: null, duplicates: [], text };
  const converter = new Converter(text, at, file);
  const root = converter.convert(doc.contents as YamlNode, []);
  if (converter.problems.length > 0) return { ok: false, diagnostics: converter.problems, text };
  return { ok: true, root, duplicates: converter.duplicates, text };
}

/**
 * yaml reports an unclosed `[` or `{` where it gave up (often the end of the
 * file); the opening bracket, on the nearest line before that leaves one open, is
 * where the fix goes.
 */
function unclosedBracketLoc(message: string, text: string, at: (start: number, end: number) => Loc): Loc | undefined {
  const close = /end with an? ([\]}])/.exec(message)?.[1];
  if (close === undefined) return undefined;
  const open = close === ']' ? '[' : '{';
  let lineStart = text.length;
  while (lineStart > 0) {
    const prevEnd = lineStart - 1;
    const start = text.lastIndexOf('\n', prevEnd - 1) + 1;
    const line = text.slice(start, prevEnd + (text[prevEnd] === '\n' ? 0 : 1));
    let depth = 0;
    let lastOpen = -1;
    for (let i = 0; i < line.length; i++) {
      if (line[i] === open) {
        depth++;
        lastOpen = i;
      } else if (line[i] === close) depth--;
    }
    if (depth > 0 && lastOpen !== -1) return at(start + lastOpen, start + lastOpen + 1);
    lineStart = start;
  }
  return undefined;
}

/**
 * `key: value` followed by a line indented further (`   other: x`) makes YAML read
 * the second line as part of the value; say that, at the line that moved.
 */
function overIndentedLine(text: string, lc: LineCounter, offset: number, file: string): { loc: Loc; message: string; hint: string } | undefined {
  const lines = text.split('\n');
  const index = lc.linePos(offset).line - 1;
  const line = lines[index];
  const next = lines[index + 1];
  if (line === undefined || next === undefined) return undefined;
  const keyed = /^(\s*)(?:- )?([^\s:#][^:#]*):\s+\S/.exec(line);
  const nextKeyed = /^(\s*)([^\s:#][^:#]*):(?:\s|$)/.exec(next);
  if (keyed === null || nextKeyed === null) return undefined;
  const indent = keyed[1]!.length;
  const nextIndent = nextKeyed[1]!.length;
  if (nextIndent <= indent) return undefined;
  return {
    loc: { file, line: index + 2, column: nextIndent + 1, length: nextKeyed[2]!.length },
    message: `"${nextKeyed[2]}" is indented more than "${keyed[2]}" on the line above, so YAML reads it as part of that value`,
    hint: `Line up "${nextKeyed[2]}:" with "${keyed[2]}:" (column ${indent + 1}).`,
  };
}

/** Offset of the first bracket that opens deeper than `max`, ignoring quoted text and comments. */
function flowDepthBeyond(text: string, max: number): number | undefined {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (quote === '#' ? c === '\n' : c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) quote = '#';
    else if (c === '[' || c === '{') {
      if (++depth > max) return i;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

function locFromOffset(text: string, file: string, offset: number): Loc {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { file, line, column, length: 1 };
}

function fail(file: string, message: string, hint?: string): YamlReadResult {
  return { ok: false, diagnostics: [makeDiagnostic(fileStart(file), message, [], hint)] };
}

function tooLarge(file: string, bytes: number): YamlReadResult {
  const mb = (bytes / (1024 * 1024)).toFixed(1);
  return fail(file, `this file is ${mb} MB; a config file may be at most 1 MB`, 'Is this the right file? Session data belongs under `sessions.path`, not in the config.');
}

function checkAliases(doc: Document): string | undefined {
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return undefined;
  } catch (err) {
    // Unresolved aliases are reported by the converter, at the alias.
    if (err instanceof ReferenceError && /Excessive alias count/.test(err.message)) return `more than ${MAX_ALIAS_COUNT}`;
    if (err instanceof ReferenceError && /alias/i.test(err.message)) return undefined;
    throw err;
  }
}

function findFirstAlias(doc: Document): YamlNode | undefined {
  let found: YamlNode | undefined;
  const visit = (node: unknown): void => {
    if (found !== undefined || node === null || typeof node !== 'object') return;
    if (isAlias(node)) {
      found = node;
      return;
    }
    if (isPair(node)) {
      visit(node.key);
      visit(node.value);
    } else if (isMap(node) || isSeq(node)) {
      for (const item of node.items) visit(item);
    }
  };
  visit(doc.contents);
  return found;
}

export function locAt(text: string, lc: LineCounter, file: string, start: number, end: number): Loc {
  const { line, col } = lc.linePos(start);
  const lineEnd = text.indexOf('\n', start);
  const stop = Math.min(end, lineEnd === -1 ? text.length : lineEnd);
  return { file, line, column: col, length: Math.max(1, stop - start) };
}

/** yaml's document → our located tree: keys as strings, aliases and `<<` merges expanded. */
class Converter {
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
      if (this.nodes === MAX_NODES + 1) this.problems.push(makeDiagnostic(loc, `the config expands to more than ${MAX_NODES} values`, path, 'Are aliases expanding into each other?'));
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
    if (isMap(node)) return this.convertMap(node as import('yaml').YAMLMap<YamlNode, YamlNode | null>, path, loc);
    throw new Error(`unreachable: unexpected YAML node ${String(node)}`);
  }

  private convertMap(node: import('yaml').YAMLMap<YamlNode, YamlNode | null>, path: Path, loc: Loc): LMap {
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
