import type { LineCounter, YAMLError } from 'yaml';
import type { Diagnostic } from './types.ts';
import type { Loc } from './located.ts';
import { makeDiagnostic } from './make-diagnostic.ts';
import { locAt } from './yaml-to-located.ts';
import { friendlyYamlError } from './yaml-errors.ts';

/**
 * yaml's syntax errors as diagnostics placed where the fix goes: the opening
 * bracket that is never closed, the key that is indented too far.
 */
export function syntaxDiagnostics(yamlErrors: readonly YAMLError[], text: string, lineCounter: LineCounter, file: string): Diagnostic[] {
  const at = (start: number, end: number): Loc => locAt(text, lineCounter, file, start, end);
  const lines = text.split('\n');
  const seenLines = new Set<number>();
  // After the first syntax error yaml's later errors are mostly echoes of it; tabs are the exception worth listing.
  const errors = yamlErrors.filter((err, i) => i === 0 || err.code === 'TAB_AS_INDENT');
  return errors.flatMap((err) => {
    const overIndented =
      err.code === 'BLOCK_AS_IMPLICIT_KEY' || err.code === 'MULTILINE_IMPLICIT_KEY' ? overIndentedLine(lines, lineCounter, err.pos[0], file) : undefined;
    const friendly = overIndented ?? friendlyYamlError(err);
    const loc = overIndented?.loc ?? unclosedBracketLoc(err.message, text, at) ?? at(err.pos[0], err.pos[1]);
    if (seenLines.has(loc.line)) return [];
    seenLines.add(loc.line);
    const sourceLine = lines[loc.line - 1] ?? '';
    // `{key: ${X}}` is a classic: inside a flow collection `{` opens a mapping, so the value must be quoted.
    const hint = /\$\{/.test(sourceLine) && /[[{]/.test(sourceLine) ? 'Inside [ ] or { }, quote a value that uses ${...}: key: "${NAME}".' : friendly.hint;
    return [makeDiagnostic(loc, friendly.message, [], hint)];
  });
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
function overIndentedLine(lines: readonly string[], lc: LineCounter, offset: number, file: string): { loc: Loc; message: string; hint: string } | undefined {
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
