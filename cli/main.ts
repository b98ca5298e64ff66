import { builtinStageLoaders } from '../stages/loaders.ts';
import { commandPlugins } from './stage-commands.ts';
import { processIo, type Io } from './io.ts';
import { runCli } from './program.ts';

/**
 * The composition root: with engine/cli/stage-commands.ts, the only engine files
 * that import stages/ (and web/). It wires the built-in stages (each loaded when
 * a pipeline names it), the pipeline's own stage modules and the stage-specific
 * commands into the CLI. Commands are imported when they run, so start-up loads
 * only what the command line needs.
 */
export async function main(argv: string[]): Promise<number> {
  return runBuiltinCli(argv, processIo({}));
}

/** The full CLI (built-in stages, every command) over any Io; tests call it in-process. */
export function runBuiltinCli(argv: string[], io: Io): Promise<number> {
  const plugins = commandPlugins();
  const wired: Io = { ...io, stagesFor: async (need) => (await import('./stage-registry.ts')).registryFor(need, builtinStageLoaders, wired) };
  return runCli(argv, { ...wired, afterVariants: plugins.afterVariants(wired) }, plugins.commands);
}
