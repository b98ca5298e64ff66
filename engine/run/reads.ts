import { basename, isAbsolute, join, normalize, sep } from 'node:path';
import { TracepipeError } from '../errors.ts';
import { manifestOf } from '../items.ts';
import type { Cache, Reads, ResultHit } from '../cache/types.ts';
import type { Item, Manifest, SourceFiles } from '../stage.ts';

type StatCache = Pick<Cache, 'statGet' | 'statSet'>;

/**
 * Where a recorded file is: the item, a path under the cache folder (both read by the
 * stage), or a path under the output folder (written by it, written.ts).
 */
type Root = 'item' | 'cache' | 'out';

/** The folders recorded paths are relative to, and the item (null for an aggregate, which reads none of its files). */
export interface ReadPlaces {
  item: Item | null;
  cacheDir: string;
  outDir: string;
}

/** Hashes every output file it is asked about: outputs are small, and an edit must never hide behind an unchanged size and time. */
const NO_STAT_CACHE: StatCache = { statGet: () => undefined, statSet: () => undefined };

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

  private use(root: 'item' | 'cache', rel: string): string {
    const clean = checkedRel(rel, 'read');
    const places = { item: this.subject, cacheDir: this.cacheDir, outDir: '' };
    this.recorded[`${root}:${clean}`] = currentManifest(root, clean, places, this.stats);
    return resolveRead(root, clean, places);
  }
}

/**
 * What changed since a result recorded its files, in a person's words (`input
 * input_events.jsonl changed`, `output examples/x/example.json removed`); empty when every
 * file still has the recorded content.
 */
export function changedReads(reads: Reads | undefined, places: ReadPlaces, stats: StatCache): string[] {
  if (reads === undefined) return [];
  const out: string[] = [];
  for (const [ref, before] of Object.entries(reads)) {
    const [root, rel] = splitRef(ref);
    const item = places.item;
    if (root !== 'out' && item === null) throw new TracepipeError('TP_CACHE', `a stored aggregate result records the read "${ref}", which only an item has`);
    const now = currentManifest(root, rel, places, stats);
    // Item files are named from the item's folder, outputs from the output folder; derived files from the folder that was read.
    const label = (file: string) => (root === 'cache' ? file || basename(rel) : [rel, file].filter((s) => s !== '').join('/') || (item?.id ?? rel));
    const what = root === 'out' ? 'output' : 'input';
    for (const file of Object.keys(before).sort()) {
      if (now[file] === undefined) out.push(`${what} ${label(file)} removed`);
      else if (now[file] !== before[file]) out.push(`${what} ${label(file)} changed`);
    }
    for (const file of Object.keys(now).sort()) if (before[file] === undefined) out.push(`${what} ${label(file)} added`);
  }
  return out;
}

/** Whether a stored result may be served: it recorded no files, or every file it read or wrote is unchanged. */
export function readsStillMatch(hit: ResultHit, places: ReadPlaces, stats: StatCache): boolean {
  if (hit.reads === undefined) return true;
  if (places.item === null && Object.keys(hit.reads).some((ref) => !ref.startsWith('out:'))) return false;
  return changedReads(hit.reads, places, stats).length === 0;
}

/**
 * The files a result read, without those it wrote: what says why a stage's key changed. A
 * stage that runs again writes its outputs again, so their state explains nothing then.
 */
export function inputsOf(reads: Reads | undefined): Reads | undefined {
  if (reads === undefined) return undefined;
  const inputs = Object.fromEntries(Object.entries(reads).filter(([ref]) => !ref.startsWith('out:')));
  return Object.keys(inputs).length === 0 ? undefined : inputs;
}

/** The content hash of every file under `rel` in the output folder, as it is now. */
export function outputManifest(outDir: string, rel: string): Manifest {
  return manifestOf(rel === '' ? outDir : join(outDir, rel), NO_STAT_CACHE);
}

function currentManifest(root: Root, rel: string, places: ReadPlaces, stats: StatCache): Manifest {
  if (root === 'out') return outputManifest(places.outDir, rel);
  if (root === 'item' && places.item?.files !== undefined) return subManifest(places.item.files, rel);
  return manifestOf(resolveRead(root, rel, places), stats);
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

function resolveRead(root: 'item' | 'cache', rel: string, places: ReadPlaces): string {
  const base = root === 'item' ? places.item!.path : places.cacheDir;
  return rel === '' ? base : join(base, rel);
}

function splitRef(ref: string): [Root, string] {
  const i = ref.indexOf(':');
  const root = ref.slice(0, i);
  if (root !== 'item' && root !== 'cache' && root !== 'out') throw new TracepipeError('TP_CACHE', `a stored result records an unknown read "${ref}"`);
  return [root, ref.slice(i + 1)];
}

/** A relative path inside its root, '/'-separated; a path that escapes is a stage bug. */
export function checkedRel(rel: string, verb: 'read' | 'write' | 'keep' = 'read'): string {
  const clean = rel === '' ? '' : normalize(rel).split(sep).join('/').replace(/\/$/, '');
  if (isAbsolute(rel) || clean === '..' || clean.startsWith('../')) {
    throw new TracepipeError('TP_INTERNAL', `a stage asked to ${verb} "${rel}", which is outside its folder`);
  }
  return clean === '.' ? '' : clean;
}
