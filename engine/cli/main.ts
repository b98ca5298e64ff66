import { builtinStages } from '../../stages/index.ts';
import { commandPlugins } from './stage-commands.ts';
import { processIo } from './io.ts';
import { runCli } from './program.ts';

/**
 * The composition root: the only engine file that imports stages/. It wires the
 * built-in stage registry and the stage-specific commands into the CLI.
 */
export async function main(argv: string[]): Promise<number> {
  const io = processIo(builtinStages);
  const plugins = commandPlugins();
  return runCli(argv, { ...io, afterVariants: plugins.afterVariants(io) }, plugins.commands);
}
