/** The real CLI (built-in stages, every command) as a child-process entry, for kill and resume tests. */
import { main } from '../../engine/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
