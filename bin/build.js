#!/usr/bin/env node
// Builds dist/: the CLI and the public entry bundled by esbuild (split at every dynamic
// import, so a command loads only its own chunks), and the entry's type declarations by tsc.
// Run by `npm ci` through `prepare`, or `npm run build`.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;

rmSync(dist, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'cli/main.ts', index: 'index.ts' },
  outdir: dist,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // Native addons and packages that locate their own files at run time stay in node_modules.
  external: ['better-sqlite3', 'sharp', '@ffmpeg-installer/ffmpeg', 'tsx', 'esbuild'],
  // Bundled CommonJS dependencies call require() for Node's built-ins.
  banner: { js: "import { createRequire as __tracepipeRequire } from 'node:module'; const require = __tracepipeRequire(import.meta.url);" },
  logLevel: 'warning',
});
execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.types.json'], { cwd: root, stdio: 'inherit' });
