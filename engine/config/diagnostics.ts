import { isAbsolute, relative } from 'node:path';
import type { Diagnostic } from './types.ts';

export interface FormatOptions {
  /** Paths are shown relative to this folder; defaults to process.cwd(). */
  cwd?: string;
}

/** Labels such as `--set a.b=1` or `--variant x` are their own source text, on line 1. */
const isCommandLine = (file: string) => file.startsWith('--');

/**
 * One diagnostic as a person reads it:
 * ```
 * pipelines/gmail.yaml:12:12 unknown model "strng" (did you mean "strong"?)
 *   12 |     model: strng
 *      |            ^^^^^
 *   hint: ...
 * ```
 * A problem in a command-line argument is shown as `<command line>:1:COL` with the argument as its source line.
 */
export function formatDiagnostic(d: Diagnostic, sourceText: string | undefined, opts: FormatOptions = {}): string {
  const commandLine = isCommandLine(d.file);
  const where = commandLine ? '<command line>' : displayPath(d.file, opts.cwd ?? process.cwd());
  const lines = [`${where}:${d.line}:${d.column} ${d.message}`];
  const text = commandLine ? d.file : sourceText;
  const sourceLine = text?.split(/\r?\n/)[d.line - 1];
  if (sourceLine !== undefined) {
    const number = String(d.line);
    const gutter = ' '.repeat(number.length);
    // A tab is shown as one space so the underline stays under the right characters.
    const { shown, start } = window(sourceLine.replace(/\t/g, ' '), Math.max(0, d.column - 1));
    const width = Math.max(1, Math.min(d.length, shown.length - start));
    lines.push(`  ${number} | ${shown}`.trimEnd(), `  ${gutter} | ${' '.repeat(start)}${'^'.repeat(width)}`);
  }
  if (d.hint !== undefined) lines.push(`  hint: ${d.hint}`);
  return lines.join('\n');
}

/** Every diagnostic, ordered by file, line and column, separated by blank lines. */
export function formatDiagnostics(
  list: readonly Diagnostic[],
  sources: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
  opts: FormatOptions = {},
): string {
  const lookup = (file: string) => (sources instanceof Map ? sources.get(file) : (sources as Record<string, string>)[file]);
  const fileOrder = new Map<string, number>();
  for (const d of list) if (!fileOrder.has(d.file)) fileOrder.set(d.file, isCommandLine(d.file) ? -1 : fileOrder.size);
  const sorted = [...list].sort(
    (a, b) => fileOrder.get(a.file)! - fileOrder.get(b.file)! || a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
  return sorted.map((d) => formatDiagnostic(d, lookup(d.file), opts)).join('\n\n');
}

const MAX_SHOWN = 120;

/** A very long line is cut to a window around the column, marked with `…`. */
function window(line: string, column: number): { shown: string; start: number } {
  if (line.length <= MAX_SHOWN) return { shown: line, start: Math.min(column, line.length) };
  const from = Math.max(0, Math.min(column - 40, line.length - MAX_SHOWN));
  const to = Math.min(line.length, from + MAX_SHOWN);
  const head = from > 0 ? '…' : '';
  const tail = to < line.length ? '…' : '';
  return { shown: head + line.slice(from, to) + tail, start: head.length + Math.min(column, line.length) - from };
}

function displayPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('../../') || isAbsolute(rel) ? file : rel;
}
