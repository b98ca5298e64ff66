import { resolve } from 'node:path';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import { EXIT, cacheFile, type Io } from '../../engine/cli/io.ts';
import { writeReport } from './build.ts';

/** `tracepipe report <run> --out <file>`: the run as one HTML file that opens offline. `latest` picks the newest run. */
export function reportCommand(io: Io, runId: string, args: { out: string; cache?: string; json?: boolean }): number {
  const store = new SqliteStore(cacheFile(io, args.cache));
  try {
    const id = runId === 'latest' ? store.listRuns(1)[0]?.id : runId;
    if (id === undefined || store.getRun(id) === undefined) {
      io.err(id === undefined ? `no runs yet in ${store.file}` : `no run ${id} in ${store.file}\nhint: list runs with \`tracepipe runs\`.`);
      return EXIT.badInput;
    }
    const file = resolve(io.cwd, args.out);
    const r = writeReport(store, id, file);
    if (args.json) io.out(JSON.stringify({ runId: id, file, ...r }));
    else io.out(`wrote ${args.out} (${(r.bytes / 1024 / 1024).toFixed(1)} MB): run ${id}, ${plural(r.examples, "example")}, ${plural(r.images, "image")}, ${plural(r.failures, "failure")}`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
