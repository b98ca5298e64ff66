import type { Io } from '../io.ts';
import type { Reporter } from './index.ts';

/** One JSON object per event and line, so scripts never parse tables. */
export function jsonReporter(io: Io): Reporter {
  return { listener: (e) => io.out(JSON.stringify(e)), close: () => {} };
}
