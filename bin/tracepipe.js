#!/usr/bin/env node
// Runs the compiled CLI in dist/ (built by `npm ci` through `prepare`, or by `npm run build`).
// `npm run dev -- <args>` runs the TypeScript sources instead, without a build.
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1 and later keep compiled code between runs; Node 20 has no such cache.
module.enableCompileCache?.();

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    `tracepipe is not built: ${entry.pathname} is missing.\nhint: run \`npm run build\` in ${new URL('..', import.meta.url).pathname} (\`npm ci\` builds it too).\n`,
  );
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
