import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The folder that holds tracepipe's package.json, the same from the TypeScript
 * sources and from the compiled `dist/`: files shipped beside the code (the
 * default prompt, the chat template, the page assets) resolve against it.
 */
export function packageRoot(): string {
  return (root ??= findRoot(dirname(fileURLToPath(import.meta.url))));
}

/** A path inside the tracepipe package, e.g. `packagePath('prompts', 'classify.hbs')`. */
export function packagePath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'tracepipe') return dir;
    if (dirname(dir) === dir) throw new Error(`unreachable: no tracepipe package.json above ${start}`);
  }
}
