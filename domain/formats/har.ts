import { basename, extname } from 'node:path';
import { inputError, TracepipeError } from '../../engine/errors.ts';
import { readHar } from '../network/har.ts';
import type { Har, HarEntry } from '../network/har.ts';
import type { InputEvent } from '../session/model.ts';
import { toSessionId, writeNativeSession } from '../session/write.ts';
import type { SessionFormat } from './format.ts';
import { isRecord, readInputFile, tryReadJson } from './read-input.ts';
import { decodeUtf8 } from '../session/session-file.ts';

/**
 * A HAR 1.2 file alone: a network-only session. Each page load becomes a navigate event to the
 * URL it landed on (redirects followed); the HAR itself is kept as network.har.
 */
export const har: SessionFormat = {
  name: 'har',
  async detect(path) {
    const ext = extname(path).toLowerCase();
    if (ext !== '.har' && ext !== '.json') return false;
    const doc = await tryReadJson(path);
    return isRecord(doc) && isRecord(doc['log']) && Array.isArray(doc['log']['entries']);
  },
  async convert(path, outDir, opts) {
    const bytes = await readInputFile(path).catch((err: Error) => {
      if (err instanceof TracepipeError) throw err;
      throw inputError(`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? err.message})`, { location: { file: path } });
    });
    const text = decodeUtf8(bytes, path, path);
    const doc = readHar(text, path);
    const entries = doc.log.entries;
    const times = [
      ...entries.map((e) => Date.parse(e.startedDateTime)),
      ...(doc.log.pages ?? []).map((p) => Date.parse(p.startedDateTime)).filter((t) => !Number.isNaN(t)),
    ];
    if (times.length === 0) throw inputError(`${path}: log.entries is empty: nothing to import`, { location: { file: path, field: 'log.entries' } });
    const startMs = Math.min(...times);
    const events = navigationsOf(doc, basename(path), startMs);
    const id = toSessionId(basename(path, extname(path)));
    await writeNativeSession(outDir, {
      meta: { id, suite: opts.suite ?? 'web', recorder: `har:${doc.log.creator.name}`, startedAt: new Date(startMs).toISOString() },
      events,
      har: doc,
    });
    return [id];
  },
};

/** Navigate events for a HAR: one per page (or per document request when there are no pages). */
export function navigationsOf(doc: Har, file: string, startMs: number): InputEvent[] {
  const entries = doc.log.entries.map((entry, index) => ({ entry, index, t: Date.parse(entry.startedDateTime) - startMs })).sort((a, b) => a.t - b.t);
  const firsts: typeof entries = [];
  const pages = doc.log.pages ?? [];
  if (pages.length > 0) {
    for (const page of pages) {
      const first = entries.find((e) => e.entry.pageref === page.id);
      if (first !== undefined) firsts.push(first);
    }
  } else {
    for (const e of entries) if (isDocument(e.entry)) firsts.push(e);
  }
  const events: InputEvent[] = [];
  const seen = new Set<number>();
  for (const first of firsts) {
    if (seen.has(first.index)) continue;
    let landing = first;
    // Follow 3xx hops to where the page landed.
    for (let hop = 0; hop < 20 && isRedirect(landing.entry); hop++) {
      seen.add(landing.index);
      const to = redirectTarget(landing.entry);
      const next = entries.find((e) => e.t >= landing.t && e.index !== landing.index && (to === undefined || e.entry.request.url === to));
      if (next === undefined) break;
      landing = next;
    }
    seen.add(landing.index);
    events.push({ id: `${file}#${first.index}`, t: Math.max(0, first.t), type: 'navigate', url: landing.entry.request.url });
  }
  return events;
}

function isDocument(e: HarEntry): boolean {
  if (e['_resourceType'] === 'document') return true;
  return e.request.method === 'GET' && /text\/html|application\/xhtml/.test(e.response.content.mimeType ?? '') && e.response.status < 400;
}

const isRedirect = (e: HarEntry) => e.response.status >= 300 && e.response.status < 400;

function redirectTarget(e: HarEntry): string | undefined {
  const loc = e.response.redirectURL || e.response.headers.find((h) => h.name.toLowerCase() === 'location')?.value;
  if (loc === undefined || loc === '') return undefined;
  try {
    return new URL(loc, e.request.url).toString();
  } catch {
    return undefined;
  }
}
