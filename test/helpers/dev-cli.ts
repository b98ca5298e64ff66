/** The real CLI (built-in stages, every command), as bin/tracepipe-dev.js runs it: the entry test/helpers/child-cli.ts bundles. */
import { main } from '../../cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
