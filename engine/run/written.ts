import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import { sha256 } from '../hash.ts';
import type { Reads } from '../cache/types.ts';
import type { OutputFiles } from '../stage.ts';
import { checkedRel, outputManifest } from './reads.ts';

/**
 * Writes a stage's files under the output folder and records, for each, the hash of the
 * bytes written, as `out:<rel>` entries beside the result's reads: a later run serves the
 * result only while the files still hold them (reads.ts checks `out:` against the disk).
 */
export class OutputRecorder implements OutputFiles {
  private readonly recorded: Record<string, Record<string, string>> = {};

  constructor(private readonly outDir: string) {}

  write(rel: string, data: string | Uint8Array): void {
    const clean = checkedRel(rel, 'write');
    const file = join(this.outDir, clean);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (!holds(file, bytes)) writeFileAtomic(file, bytes);
    this.recorded[`out:${clean}`] = { '': sha256(bytes) };
  }

  keep(rel: string): void {
    const clean = checkedRel(rel, 'keep');
    this.recorded[`out:${clean}`] = outputManifest(this.outDir, clean);
  }

  /** What was written and kept, or undefined when nothing was. */
  written(): Reads | undefined {
    return Object.keys(this.recorded).length === 0 ? undefined : { ...this.recorded };
  }
}

/** Whether the file already has exactly these bytes (a rerun that changes nothing renames nothing). */
function holds(file: string, bytes: Uint8Array): boolean {
  try {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(readFileSync(file));
  } catch {
    return false;
  }
}
