import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TracepipeError } from '../../engine/errors.ts';
import type { Example } from '../../domain/example/index.ts';

/** Every `examples/<id>/example.json` under an output folder, sorted by id (for review and compare). */
export function readWrittenExamples(outDir: string): Example[] {
  const root = path.join(outDir, 'examples');
  if (!existsSync(root)) return [];
  const out: Example[] = [];
  for (const id of readdirSync(root).sort()) {
    const file = path.join(root, id, 'example.json');
    if (!existsSync(file)) continue;
    try {
      out.push(JSON.parse(readFileSync(file, 'utf8')) as Example);
    } catch (e) {
      throw new TracepipeError('TP_INPUT', `${file} is not valid JSON`, { location: { file }, cause: e, hint: 'Rerun the pipeline to rewrite it.' });
    }
  }
  return out;
}
