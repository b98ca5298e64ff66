import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { NODE_BUNDLE } from '../../bin/bundle-options.js';
import { inject } from 'vitest';
import { oncePerRunSync } from './once-per-run.ts';

const ENTRIES = {
  /** The CLI with the generic test stages (test/helpers/test-cli.ts). */
  'test-cli': fileURLToPath(new URL('./test-cli.ts', import.meta.url)),
  /** The real CLI with every command and the built-in stages (test/helpers/dev-cli.ts). */
  'dev-cli': fileURLToPath(new URL('./dev-cli.ts', import.meta.url)),
};

/**
 * A CLI for child processes, bundled from the current sources once per `vitest run` (as
 * bin/build.js bundles dist/), so a child starts in a fraction of what compiling every
 * source file through tsx costs.
 */
export function childCli(name: keyof typeof ENTRIES): string {
  const dir = oncePerRunSync(inject('bundleRoot'), 'cli', (out) => {
    buildSync({
      entryPoints: ENTRIES,
      outdir: out,
      outExtension: { '.js': '.mjs' },
      ...NODE_BUNDLE,
    });
  });
  return join(dir, `${name}.mjs`);
}
