import { builtinStages } from '../../stages/index.ts';
import { commandPlugins } from './stage-commands.ts';
import { processIo, type Io } from './io.ts';
import { runCli } from './program.ts';

/**
 * The composition root: with engine/cli/stage-commands.ts, the only engine files
 * that import stages/ (and web/). It wires the built-in stage registry and the
 * stage-specific commands into the CLI.
 */
export async function main(argv: string[]): Promise<number> {
  return runBuiltinCli(argv, processIo(builtinStages));
}

/** The full CLI (built-in stages, every command) over any Io; tests call it in-process. */
export function runBuiltinCli(argv: string[], io: Io): Promise<number> {
  const plugins = commandPlugins();
  return runCli(argv, { ...io, afterVariants: plugins.afterVariants(io) }, plugins.commands);
}
