import { readFileSync } from 'node:fs';
import { configError } from '../errors.ts';
import type { FileSet } from '../stage.ts';

/** A FileSet over texts captured once: a run reads its key files at the start, and a resume reads the snapshot. */
export class SnapshotFiles implements FileSet {
  constructor(private readonly texts: Map<string, string>) {}

  static fromRecord(record: Record<string, string>): SnapshotFiles {
    return new SnapshotFiles(new Map(Object.entries(record)));
  }

  read(absPath: string): string {
    const text = this.texts.get(absPath);
    if (text === undefined) {
      throw configError(`the file ${absPath} was not declared in the stage's keyFiles`, {
        hint: 'A stage may only read files it lists in keyFiles, so that their text is part of its cache key.',
      });
    }
    return text;
  }

  paths(): string[] {
    return [...this.texts.keys()].sort();
  }

  toRecord(): Record<string, string> {
    return Object.fromEntries([...this.texts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  }
}

/** Reads files from disk into a snapshot; a missing file is a config error naming it. */
export function readFilesFromDisk(paths: Iterable<string>): Map<string, string> {
  const texts = new Map<string, string>();
  for (const p of paths) {
    try {
      texts.set(p, readFileSync(p, 'utf8'));
    } catch {
      throw configError(`cannot read ${p}`, { hint: 'A stage declared this file as one of its inputs; check the path.' });
    }
  }
  return texts;
}
