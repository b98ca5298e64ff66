import { statSync, readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isAlias, isMap, isSeq, isPair, type Alias, type Document, type Node as YamlNode } from 'yaml';
import type { Diagnostic } from './types.ts';
import type { LNode, Loc } from './located.ts';
import { fileStart, makeDiagnostic } from './make-diagnostic.ts';
import { flowDepthBeyond, locFromOffset } from './nesting-guard.ts';
import { syntaxDiagnostics } from './yaml-syntax.ts';
import { Converter, locAt, type DuplicateKey } from './yaml-to-located.ts';

export type { DuplicateKey } from './yaml-to-located.ts';

/** Config files are small; anything larger is almost certainly the wrong file. */
const MAX_CONFIG_BYTES = 1024 * 1024;
/** yaml's guard against alias bombs (billion laughs). */
const MAX_ALIAS_COUNT = 100;
/** Deeper `[[[...` only serves to exhaust the parser's stack. */
const MAX_FLOW_DEPTH = 64;

export type YamlReadResult =
  { ok: true; root: LNode | null; duplicates: DuplicateKey[]; text: string } | { ok: false; diagnostics: Diagnostic[]; text?: string };

/** Reads a YAML (or JSON) config file into a located tree, refusing oversized files before parsing. */
export function readYamlFile(file: string): YamlReadResult {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) return fail(file, 'is a folder, not a file', 'Name a YAML file, not the folder that holds it.');
    if (!st.isFile()) return fail(file, 'is not a regular file (a device, socket or pipe?)');
    size = st.size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail(
      file,
      code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(err)})`,
      "Check the path; relative paths resolve against the working directory or the pipeline file's folder.",
    );
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
    return {
      ok: false,
      text,
      diagnostics: [
        makeDiagnostic(
          locFromOffset(text, file, deep),
          `brackets nested more than ${MAX_FLOW_DEPTH} levels deep`,
          [],
          'A pipeline never needs this; is the file generated or corrupted?',
        ),
      ],
    };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, merge: true });
  const at = (start: number, end: number): Loc => locAt(text, lineCounter, file, start, end);

  if (doc.errors.length > 0) return { ok: false, diagnostics: syntaxDiagnostics(doc.errors, text, lineCounter, file), text };
  const cyclic = selfReferencingAlias(doc);
  if (cyclic !== undefined) {
    const loc = cyclic.range ? at(cyclic.range[0], cyclic.range[1]) : fileStart(file);
    const name = cyclic.source;
    return {
      ok: false,
      text,
      diagnostics: [
        makeDiagnostic(
          loc,
          `the alias "*${name}" is inside the value it names, so it would expand forever`,
          [],
          `Move *${name} out of the &${name} value, or copy the part you need.`,
        ),
      ],
    };
  }
  const aliasProblem = checkAliases(doc);
  if (aliasProblem !== undefined) {
    const firstAlias = findFirstAlias(doc);
    const loc = firstAlias?.range ? at(firstAlias.range[0], firstAlias.range[1]) : fileStart(file);
    return {
      ok: false,
      text,
      diagnostics: [
        makeDiagnostic(loc, `too many alias expansions (${aliasProblem})`, [], 'This looks like a YAML alias bomb; a pipeline needs only a few `*aliases`.'),
      ],
    };
  }
  if (doc.contents === null) return { ok: true, root: null, duplicates: [], text };
  const converter = new Converter(text, at, file);
  const root = converter.convert(doc.contents as YamlNode, []);
  if (converter.problems.length > 0) return { ok: false, diagnostics: converter.problems, text };
  return { ok: true, root, duplicates: converter.duplicates, text };
}

function fail(file: string, message: string, hint?: string): YamlReadResult {
  return { ok: false, diagnostics: [makeDiagnostic(fileStart(file), message, [], hint)] };
}

function tooLarge(file: string, bytes: number): YamlReadResult {
  const mb = (bytes / (1024 * 1024)).toFixed(1);
  return fail(
    file,
    `this file is ${mb} MB; a config file may be at most 1 MB`,
    'Is this the right file? Session data belongs under `sessions.path`, not in the config.',
  );
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

/**
 * The first alias that sits inside the value of the anchor it names (`&a [*a]`,
 * `&a {<<: *a}`), which would expand forever. An anchor of the same name completed
 * inside that value shadows the outer one, as yaml resolves aliases to the latest anchor.
 */
function selfReferencingAlias(doc: Document): Alias | undefined {
  const open: { name: string; shadowed: boolean }[] = [];
  let found: Alias | undefined;
  const visit = (node: unknown): void => {
    if (found !== undefined || node === null || typeof node !== 'object') return;
    if (isAlias(node)) {
      if (open.some((o) => o.name === node.source && !o.shadowed)) found = node;
      return;
    }
    if (isPair(node)) {
      visit(node.key);
      visit(node.value);
      return;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (isMap(node) || isSeq(node)) {
      if (anchor) open.push({ name: anchor, shadowed: false });
      for (const item of node.items) visit(item);
      if (anchor) open.pop();
    }
    if (anchor) for (const o of open) if (o.name === anchor) o.shadowed = true;
  };
  visit(doc.contents);
  return found;
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
