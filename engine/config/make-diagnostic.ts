import type { Diagnostic } from './types.ts';
import type { Loc, Path } from './located.ts';

export function makeDiagnostic(loc: Loc, message: string, path: Path, hint?: string): Diagnostic {
  return {
    file: loc.file,
    line: loc.line,
    column: loc.column,
    length: Math.max(1, loc.length),
    message,
    ...(hint === undefined ? {} : { hint }),
    path,
  };
}

/** The start of a file, for problems that belong to the file as a whole. */
export function fileStart(file: string): Loc {
  return { file, line: 1, column: 1, length: 1 };
}
