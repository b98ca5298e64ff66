import type { Io } from './io.ts';
import type { CommandPlugin } from './program.ts';

/** Commands that know about sessions and datasets (import, inspect, compare, review). */
export function commandPlugins(): { commands: CommandPlugin[]; afterVariants: (io: Io) => ((runIds: string[], json: boolean) => void) | undefined } {
  return { commands: [], afterVariants: () => undefined };
}
