import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './cli.ts';

/** The folders that hold tracepipe's own code (not tests, fixtures or benches). */
export const SOURCE_FOLDERS = ['engine', 'domain', 'stages', 'app', 'cli', 'web'];

/** Files under `dir` (repo-relative, `/`-separated) whose names match `ext`. */
export function sourceFiles(dir: string, ext = /\.(ts|js)$/): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir.replace(/\/$/, '')}/${e.name}`;
    return e.isDirectory() ? sourceFiles(rel, ext) : ext.test(e.name) ? [rel] : [];
  });
}

const COMMENT_LINE = /^\s*(\*|\/\/|\/\*)/;

/**
 * Where our code (comment lines left out) matches `pattern`, as `file:line: match`, in every
 * source file but `except`: the check that a rule written once stays written once.
 */
export function codeSpelling(pattern: RegExp, opts: { except?: readonly string[]; ext?: RegExp } = {}): string[] {
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  return SOURCE_FOLDERS.flatMap((dir) => sourceFiles(dir, opts.ext))
    .filter((file) => !opts.except?.includes(file))
    .flatMap((file) =>
      readFileSync(join(repoRoot, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (COMMENT_LINE.test(line) ? [] : [...line.matchAll(global)].map((m) => `${file}:${i + 1}: ${m[0]}`))),
    );
}
