import type { RunListener } from '../../engine/run/events.ts';
import type { Io } from '../io.ts';
import { jsonReporter } from './json.ts';
import { plainReporter } from './plain.ts';
import { ttyReporter } from './tty.ts';

export interface Reporter {
  listener: RunListener;
  /** Stops live displays before the final text is printed. */
  close(): void;
}

/** JSON lines for machines, progress bars on a terminal, plain lines everywhere else. */
export function chooseReporter(io: Io, json: boolean): Reporter {
  if (json) return jsonReporter(io);
  return io.isTTY ? ttyReporter(io) : plainReporter(io);
}
