import { resolve } from 'node:path';
import { EXIT, type Io } from '../io.ts';
import { openRun } from '../run-ref.ts';
import { writeReport } from '../../web/report/build.ts';
import { formatBytes } from '../../web/pages/assets/format.js';

/** `tracepipe report <run> --out <file>`: the run as one HTML file that opens offline. `latest` picks the newest run. */
export function reportCommand(io: Io, runId: string, args: { out: string; cache?: string; json?: boolean }): number {
  const { store, run } = openRun(io, args.cache, runId);
  const id = run.id;
  try {
    const file = resolve(io.cwd, args.out);
    const r = writeReport(store, run, file);
    if (args.json) io.out(JSON.stringify({ runId: id, file, ...r }));
    else
      io.out(
        `wrote ${args.out} (${formatBytes(r.bytes)}): run ${id}, ${plural(r.examples, 'example')}, ${plural(r.images, 'image')}, ${plural(r.failures, 'failure')}`,
      );
    return EXIT.ok;
  } finally {
    store.close();
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
