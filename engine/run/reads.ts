import { basename, isAbsolute, join, normalize, sep } from 'node:path';
import { TracepipeError } from '../errors.ts';
import { manifestOf } from '../items.ts';
import type { Cache, Reads, ResultHit } from '../cache/types.ts';
import type { Item, Manifest, SourceFiles } from '../stage.ts';

type StatCache = Pick<Cache, 'statGet' | 'statSet'>;

/** Where a recorded read points: the item, or a path under the cache folder. */
type Root = 'item' | 'cache';

/**
 * Hands a stage the paths it reads and records, for each, the content hash of every file
 * under it. Keys are location-independent (`item:<rel>`, `cache:<rel>`), so a moved
 * sessions folder reuses the same results.
 */
export class ReadRecorder implements SourceFiles {
  private readonly recorded: Record<string, Manifest> = {};

  constructor(
    private readonly subject: Item,
    private readonly cacheDir: string,
    private readonly stats: StatCache,
  ) {}

  item(rel = ''): string {
    return this.use('item', rel);
  }

  cache(rel: string): string {
    return this.use('cache', rel);
  }

  /** What was read, or undefined when the stage read nothing through here. */
  reads(): Reads | undefined {
    return Object.keys(this.recorded).length === 0 ? undefined : { ...this.recorded };
  }

  private use(root: Root, rel: string): string {
    const clean = checkedRel(rel);
    this.recorded[`${root}:${clean}`] = currentManifest(root, clean, this.subject, this.cacheDir, this.stats);
    return resolveRead(root, clean, this.subject, this.cacheDir);
  }
}

/**
 * What changed since a result recorded its reads, in a person's words (`input
 * input_events.jsonl changed`); empty when every file still has the recorded content.
 */
export function changedReads(reads: Reads | undefined, item: Item, cacheDir: string, stats: StatCache): string[] {
  if (reads === undefined) return [];
  const out: string[] = [];
  for (const [ref, before] of Object.entries(reads)) {
    const [root, rel] = splitRef(ref);
    const now = currentManifest(root, rel, item, cacheDir, stats);
    // Item files are named from the item's folder; derived files from the folder that was read.
    const label = (file: string) => (root === 'item' ? [rel, file].filter((s) => s !== '').join('/') || item.id : file || basename(rel));
    for (const file of Object.keys(before).sort()) {
      if (now[file] === undefined) out.push(`input ${label(file)} removed`);
      else if (now[file] !== before[file]) out.push(`input ${label(file)} changed`);
    }
    for (const file of Object.keys(now).sort()) if (before[file] === undefined) out.push(`input ${label(file)} added`);
  }
  return out;
}

/** Whether a stored result may be served: it read no files, or every file it read is unchanged. */
export function readsStillMatch(hit: ResultHit, item: Item | null, cacheDir: string, stats: StatCache): boolean {
  if (hit.reads === undefined) return true;
  return item !== null && changedReads(hit.reads, item, cacheDir, stats).length === 0;
}

function currentManifest(root: Root, rel: string, item: Item, cacheDir: string, stats: StatCache): Manifest {
  if (root === 'item' && item.files !== undefined) return subManifest(item.files, rel);
  return manifestOf(resolveRead(root, rel, item, cacheDir), stats);
}

/** The part of the item's manifest under `rel`, keyed relative to `rel`. */
function subManifest(files: Manifest, rel: string): Manifest {
  if (rel === '') return files;
  if (files[rel] !== undefined) return { '': files[rel] };
  const prefix = `${rel}/`;
  const out: Record<string, string> = {};
  for (const [p, h] of Object.entries(files)) if (p.startsWith(prefix)) out[p.slice(prefix.length)] = h;
  return out;
}

function resolveRead(root: Root, rel: string, item: Item, cacheDir: string): string {
  const base = root === 'item' ? item.path : cacheDir;
  return rel === '' ? base : join(base, rel);
}

function splitRef(ref: string): [Root, string] {
  const i = ref.indexOf(':');
  const root = ref.slice(0, i);
  if (root !== 'item' && root !== 'cache') throw new TracepipeError('TP_CACHE', `a stored result records an unknown read "${ref}"`);
  return [root, ref.slice(i + 1)];
}

/** A relative path inside its root, '/'-separated; a path that escapes is a stage bug. */
function checkedRel(rel: string): string {
  const clean = rel === '' ? '' : normalize(rel).split(sep).join('/').replace(/\/$/, '');
  if (isAbsolute(rel) || clean === '..' || clean.startsWith('../')) {
    throw new TracepipeError('TP_INTERNAL', `a stage asked to read "${rel}", which is outside its folder`);
  }
  return clean === '.' ? '' : clean;
}
