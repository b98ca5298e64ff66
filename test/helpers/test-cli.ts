/**
 * The tracepipe CLI wired to the generic test stages instead of the built-in ones,
 * for tests that run pipelines in child processes (crash and concurrency tests).
 */
import { processIo } from '../../cli/io.ts';
import { runCli } from '../../cli/program.ts';
import { testRegistry } from './test-stages.ts';

process.exitCode = await runCli(process.argv.slice(2), processIo(testRegistry));
