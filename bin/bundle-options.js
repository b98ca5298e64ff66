// What every tracepipe bundle is built with: dist/ (bin/build.js) and the CLIs tests start as
// child processes (test/helpers/child-cli.ts), so a child runs the code as users get it.
/** @type {import('esbuild').BuildOptions} */
export const NODE_BUNDLE = {
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
};
