#!/usr/bin/env node
// Runs the CLI from the TypeScript sources through tsx: no build step, a slower start.
// For working on tracepipe itself (`npm run dev -- <args>`); `bin/tracepipe.js` runs the compiled dist/.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
