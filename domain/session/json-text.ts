import { inputError } from '../../engine/errors.ts';

/** Deepest nesting a session document may have; real labels and events nest a few levels. */
export const MAX_JSON_DEPTH = 64;

/**
 * Why `JSON.parse` refused `text`, located by line and column when the parser gives a
 * position, and never quoting the text (V8's messages quote it, which would copy a file's
 * first bytes, perhaps a secret, into errors, logs and the cache).
 */
export function describeJsonError(err: unknown, text: string): { text: string; line?: number; column?: number } {
  const message = err instanceof Error ? err.message : String(err);
  const position = /\s+in JSON at position (\d+)/.exec(message);
  if (position !== null) {
    const offset = Number(position[1]);
    const before = text.slice(0, offset);
    const line = (before.match(/\n/g)?.length ?? 0) + 1;
    const column = offset - (before.lastIndexOf('\n') + 1) + 1;
    return { text: `${message.slice(0, position.index)} at line ${line} column ${column}`, line, column };
  }
  const token = /^Unexpected token '(.)'/u.exec(message);
  if (token !== null) return { text: `unexpected character ${JSON.stringify(token[1])}` };
  return { text: message.replace(/,?\s*".*$/s, '') };
}

/**
 * Parses a session file's JSON: a syntax error or nesting deeper than MAX_JSON_DEPTH is
 * TP_INPUT naming the file (and line, or field path), so no reader later overflows its stack.
 */
export function parseSessionJson(text: string, rel: string, file: string, line?: number): unknown {
  const where = line === undefined ? rel : `${rel}:${line}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = describeJsonError(err, text);
    throw inputError(`${where}: not valid JSON (${why.text})`, {
      location: { file, ...(line === undefined ? (why.line === undefined ? {} : { line: why.line, column: why.column }) : { line }) },
    });
  }
  const deep = pathDeeperThan(value, MAX_JSON_DEPTH);
  if (deep !== undefined) {
    throw inputError(`${where} field "${deep}": nested more than ${MAX_JSON_DEPTH} levels deep`, {
      location: { file, ...(line === undefined ? {} : { line }), field: deep },
    });
  }
  return value;
}

/** The path (first levels, then `...`) of a value nested deeper than `max`, found without recursion. */
export function pathDeeperThan(root: unknown, max: number): string | undefined {
  const stack: { value: unknown; depth: number; path: string[] }[] = [{ value: root, depth: 0, path: [] }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= max) return `${path.slice(0, 6).join('.')}...`;
    const children = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [k, v] of children)
      if (typeof v === 'object' && v !== null) stack.push({ value: v, depth: depth + 1, path: path.length < 6 ? [...path, k] : path });
  }
  return undefined;
}
