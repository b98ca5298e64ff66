import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RunRecord, Store } from '../../engine/cache/types.ts';
import { loadReportData } from './report-data.ts';
import { renderReport } from './render.ts';

/** One self-contained HTML document for a run: summary, every example with its keyframes and tool calls, failures. */
export function buildReport(store: Store, run: RunRecord): { html: string; examples: number; images: number; failures: number } {
  const data = loadReportData(store, run);
  const urls = new Map<string, string | undefined>();
  const image = (hash: string) => {
    if (!urls.has(hash)) {
      const a = store.getArtifact(hash);
      urls.set(hash, a === undefined ? undefined : `data:${a.mediaType};base64,${Buffer.from(a.data).toString('base64')}`);
    }
    return urls.get(hash);
  };
  const html = renderReport(data, image);
  return { html, examples: data.examples.length, images: [...urls.values()].filter(Boolean).length, failures: data.failures.length };
}

/** Writes the report atomically (temp file + rename) and returns what it holds. */
export function writeReport(store: Store, run: RunRecord, file: string): { bytes: number; examples: number; images: number; failures: number } {
  const { html, ...counts } = buildReport(store, run);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, html);
  renameSync(tmp, file);
  return { bytes: Buffer.byteLength(html), ...counts };
}
